"""Comparing a run with an earlier one: the change of each lead, and what the comparison needs."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from leadscore import parse_model_text, score
from leadscore.changes import changed_rows, compare, read_previous
from leadscore.errors import InputError

MODEL = """
[model]
name = "t"
[tiers]
hot = 20
cold = 0
[qualify]
min_score = 20
[[rules]]
name = "Points"
dimension = "fit"
column = "points"
points_per_unit = 1
max_points = 100
"""


def ranked(model_text: str, points: dict[str, int]) -> pl.DataFrame:
    leads = pl.DataFrame({"lead_id": list(points), "points": [str(p) for p in points.values()]})
    return score(leads, parse_model_text(model_text)).frame


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def changes(before: dict[str, int], after: dict[str, int], model_text: str = MODEL) -> dict[str, str | None]:
    model = parse_model_text(model_text)
    ranked(model_text, before).write_csv("before.csv")
    frame, _, _ = compare(ranked(model_text, after), read_previous("before.csv", model), model)
    return dict(zip(frame["lead_id"].to_list(), frame["change"].to_list(), strict=True))


def test_each_kind_of_change(folder: Path) -> None:
    got = changes(
        {"up": 1, "down": 15, "same": 5, "in": 10, "out": 30},
        {"up": 2, "down": 10, "same": 5, "in": 25, "out": 5, "new": 50},
    )
    assert got == {
        "new": "new", "in": "newly_qualified", "same": "same", "up": "up", "down": "down",
        "out": "no_longer_qualified",
    }  # fmt: skip


def test_without_qualify_only_scores_are_compared(folder: Path) -> None:
    no_qualify = MODEL.replace("[qualify]\nmin_score = 20\n", "")
    assert changes({"a": 10}, {"a": 30}, no_qualify) == {"a": "up"}


def test_summary_counts_and_leads_that_are_gone(folder: Path) -> None:
    model = parse_model_text(MODEL)
    ranked(MODEL, {"a": 1, "b": 2, "gone": 3}).write_csv("before.csv")
    frame, summary, warnings = compare(
        ranked(MODEL, {"a": 1, "b": 30}), read_previous("before.csv", model), model
    )
    assert summary.counts == {
        "new": 0, "newly_qualified": 1, "no_longer_qualified": 0, "up": 0, "down": 0, "same": 1,
    }  # fmt: skip
    assert (summary.gone, summary.unmatched, summary.changed) == (1, 0, 1)
    assert changed_rows(frame)["lead_id"].to_list() == ["b"]
    assert warnings == []


def test_a_repeated_id_in_the_previous_file_keeps_its_first_row(folder: Path) -> None:
    model = parse_model_text(MODEL)
    pl.DataFrame({"lead_id": ["a", "a"], "score": ["30", "1"]}).write_csv("before.csv")
    previous = read_previous("before.csv", model)
    assert previous.frame["previous_score"].to_list() == [30]
    assert previous.rows == 2


def test_input_columns_named_like_the_new_ones_are_replaced_with_a_warning(folder: Path) -> None:
    model = parse_model_text(MODEL)
    ranked(MODEL, {"a": 1}).write_csv("before.csv")
    current = ranked(MODEL, {"a": 1}).with_columns(pl.lit("old").alias("change"))
    frame, _, warnings = compare(current, read_previous("before.csv", model), model)
    assert frame["change"].to_list() == ["same"]
    assert warnings == ["input column 'change' is replaced by the new change (from --previous)"]


def test_previous_file_must_have_the_id_and_the_score(folder: Path) -> None:
    pl.DataFrame({"lead_id": ["a"], "points": ["1"]}).write_csv("leads.csv")
    with pytest.raises(InputError, match=r"^--previous leads\.csv has no 'score' column"):
        read_previous("leads.csv", parse_model_text(MODEL))
