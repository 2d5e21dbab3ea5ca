"""Where the good leads come from: per-value summaries against a plain-Python count."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadscore import InputError
from leadscore.io import write_table
from leadscore.sources import BLANK, long_table, source_tables

SOURCES = ["Webinar", "Referral", "Paid search", None, " Webinar ", "webinar", "PAID SEARCH"]
OUTCOMES = ["yes", "no", "Won", "lost", "", None, "1", "0", "closed won"]
WON = {"yes", "won", "1", "closed won"}
LOST = {"no", "lost", "0"}


@st.composite
def scored(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for i in range(draw(st.integers(min_value=1, max_value=30))):
        s = draw(st.integers(min_value=-20, max_value=90))
        rows.append(
            {
                "lead_id": f"L{i}",
                "lead_source": draw(st.sampled_from(SOURCES)),
                "score": s,
                "tier": "hot" if s >= 60 else "warm" if s >= 30 else "cold",
                "qualified": s >= 40,
                "converted": draw(st.sampled_from(OUTCOMES)),
            }
        )
    return rows


def reference(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    spellings: dict[str, list[str]] = {}  # in the order of the file
    for r in rows:
        value = (r["lead_source"] or "").strip() or BLANK
        groups.setdefault(value.lower(), []).append(r)
        spellings.setdefault(value.lower(), []).append(value)
    # a value is shown as most of its leads spell it, the first in the file on a tie
    shown = {key: max(dict.fromkeys(seen), key=seen.count) for key, seen in spellings.items()}
    wins_all = sum(1 for r in rows if (r["converted"] or "").lower() in WON)
    tiers = {r["tier"] for r in rows}  # only the tiers the file has can be counted
    out = {}
    for value, members in groups.items():
        scores = [m["score"] for m in members]
        outcomes = [(m["converted"] or "").lower() for m in members]
        known = [o for o in outcomes if o in WON | LOST]
        wins = sum(1 for o in outcomes if o in WON)
        out[shown[value]] = {
            "leads": len(members),
            "mean_score": round(statistics.mean(scores), 2),
            "median_score": round(statistics.median(scores), 2),
            **{f"{t}_share": round(sum(m["tier"] == t for m in members) / len(members), 4) for t in tiers},
            "qualified": sum(m["qualified"] for m in members),
            "conversions": wins,
            "conversion_rate": round(wins / len(known), 4) if known else None,
            "conversion_share": round(wins / wins_all, 4) if wins_all else None,
        }
    return out


SCHEMA = {"lead_id": pl.String, "lead_source": pl.String, "score": pl.Int64, "tier": pl.String,
          "qualified": pl.Boolean, "converted": pl.String}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(rows=scored())
def test_per_value_measures_match_a_plain_count(rows: list[dict[str, Any]]) -> None:
    (table,), _ = source_tables(pl.DataFrame(rows, schema=SCHEMA), ["lead_source"], target="converted")
    want = reference(rows)
    got = {r["value"]: r for r in table.table.to_dicts()}
    assert set(got) == set(want)
    for value, expected in want.items():
        for key, number in expected.items():
            assert got[value][key] == pytest.approx(number), (value, key)
    means = table.table["mean_score"].to_list()
    assert means == sorted(means, reverse=True)
    assert table.totals["leads"] == len(rows)


FRAME = pl.DataFrame(
    {"lead_id": ["a", "b", "c", "d"], "lead_source": ["Webinar", "Webinar", "Referral", None],
     "score": [80, 20, 50, 10], "tier": ["hot", "cold", "warm", "cold"], "qualified": [True, False, True, False],
     "converted": ["yes", "no", "maybe", ""]}
)  # fmt: skip


def test_outcomes_that_cannot_be_read_count_as_open_and_are_said() -> None:
    (table,), messages = source_tables(FRAME, ["lead_source"], target="converted", source="s.csv")
    assert messages.warnings == [
        "1 of 3 values in column 'converted' are not an outcome (e.g. 'maybe'); they count as open"
    ]
    assert table.tiers == ("hot", "warm", "cold")
    with pytest.raises(
        InputError, match=r"none of the 3 values in column 'lead_source' of s\.csv reads as an outcome"
    ):
        source_tables(
            FRAME.filter(pl.col("lead_source").is_not_null()), ["tier"], target="lead_source", source="s.csv"
        )


def test_missing_columns_are_named() -> None:
    with pytest.raises(InputError) as info:
        source_tables(FRAME.drop("score"), ["lead_sorce"], source="s.csv")
    assert str(info.value) == (
        "column 'score' is not in s.csv; column 'lead_sorce' is not in s.csv (did you mean 'lead_source'?); "
        "score the leads first (leadscore score leads.csv)"
    )


@pytest.mark.parametrize("ext", ["csv", "xlsx", "parquet", "json"])
def test_any_scored_output_gives_the_same_numbers(tmp_path: Path, ext: str) -> None:
    from leadscore.io import read_table

    path = tmp_path / f"scored.{ext}"
    write_table(FRAME, path)
    read = read_table([path])
    (got,), _ = source_tables(read.frame, ["lead_source"], target="converted")
    (want,), _ = source_tables(FRAME, ["lead_source"], target="converted")
    assert got.table.equals(want.table)


def test_several_columns_make_one_long_table_for_a_file() -> None:
    tables, _ = source_tables(FRAME, ["lead_source", "tier"])
    long = long_table(tables)
    assert long.columns[:4] == ["by", "value", "leads", "lead_share"]
    assert long.filter(pl.col("by") == "tier")["value"].to_list() == ["hot", "warm", "cold"]
    assert long.filter(pl.col("by") == "lead_source")["value"].to_list() == ["Webinar", "Referral", BLANK]


def test_values_in_other_capitals_are_counted_as_one_with_a_notice() -> None:
    sources = ["referral", "Webinar", "webinar", "Referral", "REFERRAL", "Webinar", "Ads"]
    frame = pl.DataFrame({"lead_source": sources, "score": [10, 50, 30, 40, 10, 20, 5]})
    (table,), (notices, _) = source_tables(frame, ["lead_source"])
    assert dict(table.table.select("value", "leads").iter_rows()) == {
        "Webinar": 3,
        "referral": 3,
        "Ads": 1,
    }
    assert notices == [
        "column 'lead_source': 'Referral', 'REFERRAL' counted as 'referral', as rules ignore capitals; "
        "and 1 other value in several capitals"
    ]


def test_a_column_named_as_a_measure_can_be_the_breakdown() -> None:
    frame = pl.DataFrame({"score": [60, 50, 10], "qualified": [True, True, False], "leads": ["a", "b", "a"]})
    (by_qualified, by_leads), _ = source_tables(frame, ["qualified", "leads"])
    rows = {r["value"]: (r["leads"], r["qualified"]) for r in by_qualified.table.to_dicts()}
    assert rows == {"true": (2, 2), "false": (1, 0)}
    assert {r["value"]: r["leads"] for r in by_leads.table.to_dicts()} == {"a": 2, "b": 1}
