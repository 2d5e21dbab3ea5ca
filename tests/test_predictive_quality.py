"""The quality bar: on held-out leads, a learnt model ranks about as well as a plain logistic
regression on one-hot/standardised columns trained on the same rows, and at least as well where
conversion depends on a number in a way no straight line follows (a company-size sweet spot).

The larger comparison is ``bench/predictive_quality.py``.
"""

from __future__ import annotations

import polars as pl
import pytest

from leadscore import score
from leadscore.predictive.baseline import baseline_scores
from leadscore.predictive.fit import fit_model
from leadscore.predictive.metrics import auc
from leadscore.predictive.outcome import read_outcome
from tests.predictive_data import AS_OF, history, linear_history, split

TOLERANCE = 0.01


def held_out_aucs(frame: pl.DataFrame) -> tuple[float, float]:
    """(learnt model, baseline) AUC on the 30 % of leads neither was trained on."""
    known = frame.filter(read_outcome(frame, "converted").values.is_not_null())
    train, test = split(known)
    learnt = fit_model(train, "converted", as_of=AS_OF)
    y_test = read_outcome(test, "converted").values.to_numpy()
    scored = score(test, learnt.model, as_of=AS_OF, reasons=False).frame
    scores = test.select("lead_id").join(scored, on="lead_id", how="left", maintain_order="left")["score"]
    used = [u.column for u in learnt.columns]
    y_train = read_outcome(train, "converted").values.to_numpy()
    baseline = baseline_scores(train, y_train, test, used, as_of=AS_OF)
    return auc(scores.to_numpy(), y_test), auc(baseline, y_test)


@pytest.mark.parametrize(("rows", "seed"), [(4000, 1), (6000, 3)])
def test_within_a_hundredth_of_the_baseline_where_the_baseline_is_the_true_model(
    rows: int, seed: int
) -> None:
    model, baseline = held_out_aucs(linear_history(rows, seed))
    assert model >= baseline - TOLERANCE, (model, baseline)


@pytest.mark.parametrize(("rows", "seed"), [(4000, 5), (5000, 12)])
def test_at_least_as_good_as_the_baseline_with_a_sweet_spot(rows: int, seed: int) -> None:
    model, baseline = held_out_aucs(history(rows, seed))
    assert model >= baseline, (model, baseline)
