"""The benchmark runs end to end at a small size (no timing assertions: timings live in bench/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from bench import run
from leadscore import load_model, score

BENCH = Path(__file__).parents[1] / "bench"


def test_bench_smoke_run_covers_every_case_and_scores_like_the_library(tmp_path: Path) -> None:
    timings = run.main(["--sizes", "2k", "--repeat", "1", "--events", "--xlsx", "1k", "--out", str(tmp_path)])
    names = [t.case.name for t in timings]
    assert names == ["floor 2k", "score 2k x 40 rules", "score 2k + events", "xlsx in and out 1k"]
    assert all(t.seconds > 0 and t.peak_mb > 0 for t in timings)
    leads = pl.read_csv(tmp_path / "leads_2k.csv", infer_schema=False)
    expected = score(leads, load_model(BENCH / "model40.toml"), as_of=dt.date(2026, 11, 1)).frame
    written = pl.read_csv(tmp_path / "scored_2k.csv", infer_schema=False)
    assert written["lead_id"].to_list() == expected["lead_id"].to_list()
    assert written["score"].to_list() == [str(s) for s in expected["score"].to_list()]


def test_the_40_rule_model_uses_every_operator() -> None:
    text = (BENCH / "model40.toml").read_text(encoding="utf-8")
    model = load_model(BENCH / "model40.toml")
    assert len(model.rules) == 40
    from leadscore.model import OPERATORS

    assert [op for op in OPERATORS if f"{op} =" not in text] == []
