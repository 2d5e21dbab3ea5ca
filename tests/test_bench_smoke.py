"""The benchmark runs end to end at 10k leads, and what it times is a correct score run.

No timing is asserted: the point is that ``bench/run.py`` keeps working as the code changes.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from leadscore import load_model, score

BENCH = Path(__file__).parents[1] / "bench"
CASES = [
    "leadscore --help (start-up)",
    "floor 10k",
    "score 10k",
    "score with events 10k + 100k events",
    "explain 1 lead of 10k",
    "score 10k .xlsx in",
    "score 10k .xlsx out",
]


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("bench")
    command = [sys.executable, str(BENCH / "run.py"), "--sizes", "10k", "--repeat", "1", "--out", str(out),
               "--markdown", str(out / "RESULTS.md")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out, done.stdout


@pytest.mark.slow
def test_the_table_has_every_case(bench_run: tuple[Path, str]) -> None:
    out, table = bench_run
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["case", "rows", "seconds"]
    for case in CASES:
        assert any(line.startswith(case) for line in lines), case
    markdown = (out / "RESULTS.md").read_text(encoding="utf-8")
    assert all(f"| {case} |" in markdown for case in CASES)
    assert "Polars" in markdown


@pytest.mark.slow
def test_the_timed_score_run_writes_what_the_library_scores(bench_run: tuple[Path, str]) -> None:
    out, _ = bench_run
    leads = pl.read_csv(out / "leads_10k.csv", infer_schema=False)
    expected = score(leads, load_model(BENCH / "model40.toml"), as_of=dt.date(2026, 11, 1)).ranked
    assert (out / "scored_10k.csv").read_bytes() == expected.write_csv().encode()


def test_the_events_model_is_the_40_rule_model_plus_event_rules() -> None:
    plain, events = load_model(BENCH / "model40.toml"), load_model(BENCH / "model40_events.toml")
    assert len(plain.rules) == 40
    assert [r.name for r in events.rules[:40]] == [r.name for r in plain.rules]
    assert [r for r in events.rules if r.event is None] == list(events.rules[:40])
    assert all(r.event is not None for r in events.rules[40:])
