"""evaluate: any model measured on history, with numbers that add up to the scored leads."""

from __future__ import annotations

import json
import math

import polars as pl
import pytest

from leadscore import default_model, parse_model_text, score
from leadscore.errors import InputError, UsageError
from leadscore.plan import parse_plan
from leadscore.predictive.evaluate import Evaluation, evaluate_model
from leadscore.predictive.holdout import split_newest
from leadscore.predictive.metrics import auc
from leadscore.predictive.outcome import read_outcome
from tests.predictive_data import AS_OF, history

HAND_MODEL = parse_model_text(
    """
[model]
name = "hand"
[tiers]
hot = 20
cold = 0
[qualify]
min_score = 20
[[rules]]
name = "Demo"
dimension = "engagement"
column = "demo"
equals = true
points = 20
[[rules]]
name = "Big"
dimension = "fit"
column = "size"
gte = 100
points = 10
"""
)


def hand_history() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(8)],
            "demo": ["yes", "yes", "yes", "no", "no", "no", "yes", "no"],
            "size": [500, 50, 200, 500, 10, 10, 5, 20],
            "won": ["y", "y", "n", "y", "n", "n", None, "n"],
        }
    )


def test_a_hand_written_model_on_a_hand_made_history() -> None:
    ev = evaluate_model(hand_history(), HAND_MODEL, "won", as_of=AS_OF)
    # scores of the 7 leads with an outcome: 30 20 30 10 0 0 0; won: y y n y n n n
    assert (ev.rows, ev.dropped, ev.leads, ev.positives) == (8, 1, 7, 3)
    expected_auc = auc([30, 20, 30, 10, 0, 0, 0], [True, True, False, True, False, False, False])
    assert ev.auc == pytest.approx(expected_auc)
    assert ev.gini == pytest.approx(2 * expected_auc - 1)
    assert ev.qualified is not None
    assert (ev.qualified.selected, ev.qualified.converted) == (3, 2)
    assert ev.qualified.recall == pytest.approx(2 / 3)
    assert ev.tiers is not None
    assert [(t.label, t.leads, t.converted) for t in ev.tiers] == [("hot", 3, 2), ("cold", 4, 1)]
    assert ev.grades is None
    assert ev.default_advice
    assert [a.target for a in ev.advice] == [0.1, 0.2, 0.3]


@pytest.fixture(scope="module")
def on_history() -> Evaluation:
    return evaluate_model(
        history(), default_model(), "converted", as_of=AS_OF, mql_rates=[0.2], min_precisions=[0.3]
    )


def test_the_numbers_add_up_to_the_scored_leads(on_history: Evaluation) -> None:
    h = history()
    known = h.filter(read_outcome(h, "converted").values.is_not_null())
    scored = score(known, default_model(), as_of=AS_OF, reasons=False).frame
    y = read_outcome(scored, "converted").values.to_numpy()
    ev = on_history
    assert ev.leads == known.height
    assert ev.auc == pytest.approx(auc(scored["score"].to_numpy(), y))
    assert sum(g.leads for g in ev.gains) == ev.leads
    assert sum(g.converted for g in ev.gains) == ev.positives
    assert ev.tiers is not None
    assert sum(t.leads for t in ev.tiers) == ev.leads
    assert ev.grades is not None
    assert sum(g.leads for g in ev.grades) == ev.leads
    assert ev.qualified is not None
    assert ev.qualified.selected == scored["qualified"].sum()
    assert not ev.default_advice
    assert [(a.goal, a.target) for a in ev.advice] == [("share", 0.2), ("precision", 0.3)]


def test_results_are_plain_json(on_history: Evaluation) -> None:
    data = json.loads(json.dumps(on_history.to_dict()))
    assert data["auc"] == on_history.auc
    assert len(data["gains"]) == len(on_history.gains)
    assert data["threshold_advice"][0]["selection"]["threshold"] is not None


def test_holdout_keeps_the_newest_fifth_by_date() -> None:
    h = history()
    known = h.filter(read_outcome(h, "converted").values.is_not_null())
    rest, newest, info = split_newest(known, "created_at", as_of=AS_OF)
    assert newest.height == info.rows == math.ceil(0.2 * known.height)
    assert rest.height + newest.height == known.height
    assert newest["created_at"].str.to_date().min() >= rest["created_at"].str.to_date().max()  # type: ignore[operator]
    ev = evaluate_model(h, default_model(), "converted", as_of=AS_OF, holdout_by="created_at")
    assert ev.holdout == info
    assert ev.leads == newest.height


def test_holdout_by_an_unknown_column() -> None:
    with pytest.raises(UsageError, match=r"--holdout-by: no column 'created'.*did you mean 'created_at'"):
        evaluate_model(history(), default_model(), "converted", as_of=AS_OF, holdout_by="created")


def test_holdout_by_a_column_without_dates_says_what_it_needs() -> None:
    h = history().with_columns(pl.lit("soon").alias("created_at"))
    with pytest.raises(InputError) as caught:
        evaluate_model(h, default_model(), "converted", as_of=AS_OF, holdout_by="created_at")
    assert str(caught.value) == (
        "--holdout-by: column 'created_at' has no dates that can be read; "
        "give --holdout-by a column of dates, such as the day each lead was created"
    )


def test_history_without_the_models_id_column_is_fine() -> None:
    ev = evaluate_model(hand_history().drop("lead_id"), HAND_MODEL, "won", as_of=AS_OF)
    assert ev.leads == 7


def test_a_model_column_missing_from_the_history() -> None:
    with pytest.raises(InputError, match="column 'size' is not in"):
        evaluate_model(hand_history().drop("size"), HAND_MODEL, "won", as_of=AS_OF)


def test_a_segmented_model_is_measured_like_any_other() -> None:
    segmented = parse_plan(
        {
            "model": {"name": "by size"},
            "tiers": {"hot": 20, "cold": 0},
            "qualify": {"min_score": 20},
            "segments": [
                {"name": "Big", "when": {"column": "size", "gte": 100},
                 "rules": [{"name": "Demo", "dimension": "engagement", "column": "demo", "equals": True, "points": 30}]},
                {"name": "Rest",
                 "rules": [{"name": "Demo", "dimension": "engagement", "column": "demo", "equals": True, "points": 20}]},
            ],
        }
    ).model  # fmt: skip
    ev = evaluate_model(hand_history(), segmented, "won", as_of=AS_OF)
    # scores of the 7 leads with an outcome: 30 20 30 0 0 0 0; won: y y n y n n n
    assert ev.auc == pytest.approx(
        auc([30, 20, 30, 0, 0, 0, 0], [True, True, False, True, False, False, False])
    )
    assert ev.min_score is None
    assert ev.qualified is not None
    assert ev.qualified.selected == 3


def test_a_target_named_like_a_column_scoring_writes() -> None:
    with pytest.raises(UsageError, match="--target 'score' is a column that scoring writes"):
        evaluate_model(hand_history().rename({"won": "score"}), HAND_MODEL, "score", as_of=AS_OF)
