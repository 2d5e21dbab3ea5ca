"""Held-out AUC of fit's points model against a plain logistic regression, on larger data.

Run from the repository root:

    uv run python -m bench.predictive_quality                      # 100,000 generated leads
    uv run python -m bench.predictive_quality --rows 20000 --seed 3
    uv run python -m bench.predictive_quality --bank path/to/bank-full.csv

Each data set is split 70/30 at random; fit learns from the 70 %, the baseline (one-hot and
standardised columns, scikit-learn's LogisticRegression, see leadscore.predictive.baseline)
is trained on the same rows and the same columns, and both are scored on the other 30 %.
The bank file (UCI Bank Marketing, ';'-separated, target 'y') is run with and without
'duration', the length of the last call, which is only known after the call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Sequence

import numpy as np
import polars as pl

from leadscore import fit_model, score
from leadscore.io import ReadOptions, read_table
from leadscore.predictive.baseline import baseline_scores
from leadscore.predictive.metrics import auc
from leadscore.predictive.outcome import read_outcome
from leadscore.synthetic import AS_OF, generate_history
from tests.predictive_data import linear_history


def compare(name: str, frame: pl.DataFrame, target: str, as_of: dt.date, exclude: Sequence[str] = ()) -> None:
    known = frame.filter(read_outcome(frame, target).values.is_not_null())
    order = np.random.default_rng(0).permutation(known.height)
    cut = int(0.7 * known.height)
    train, test = known[order[:cut]], known[order[cut:]]
    started = time.perf_counter()
    learnt = fit_model(train, target, as_of=as_of, exclude=list(exclude))
    seconds = time.perf_counter() - started
    y_test = read_outcome(test, target).values.to_numpy()
    scored = score(test, learnt.model, as_of=as_of, reasons=False).frame
    scores = test.select("lead_id").join(scored, on="lead_id", how="left", maintain_order="left")["score"]
    used = [u.column for u in learnt.columns]
    baseline = baseline_scores(train, read_outcome(train, target).values.to_numpy(), test, used, as_of=as_of)
    model_auc, baseline_auc = auc(scores.to_numpy(), y_test), auc(baseline, y_test)
    print(
        f"{name:<34} {train.height:>8,} {test.height:>8,} {learnt.cv_auc:>7.4f} {model_auc:>9.4f} "
        f"{baseline_auc:>9.4f} {model_auc - baseline_auc:>+7.4f} {len(learnt.model.rules):>6} {seconds:>7.1f}"
    )
    for warning in learnt.warnings:
        print(f"    warning: {warning}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="generated leads (default 100,000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bank", help="path of bank-full.csv (UCI Bank Marketing) to run as well")
    args = parser.parse_args()

    print(f"{'data':<34} {'train':>8} {'test':>8} {'cv AUC':>7} {'fit AUC':>9} {'baseline':>9} {'diff':>7} "
          f"{'rules':>6} {'fit s':>7}")  # fmt: skip
    compare(
        f"synthetic CRM history, seed {args.seed}",
        generate_history(args.rows, seed=args.seed),
        "converted",
        AS_OF,
    )
    compare(
        f"straight-line world, seed {args.seed}", linear_history(args.rows, args.seed), "converted", AS_OF
    )
    if args.bank:
        bank = read_table([args.bank], ReadOptions(separator=";")).frame.collect()
        bank = bank.with_row_index("lead_id", offset=1).with_columns(pl.col("lead_id").cast(pl.String))
        # the campaign ran in 2008-2010; the file has no dates, so the as-of date does not matter
        compare("bank marketing, all columns", bank, "y", dt.date(2010, 12, 31))
        compare("bank marketing, without duration", bank, "y", dt.date(2010, 12, 31), exclude=["duration"])


if __name__ == "__main__":
    main()
