"""Blank and repeated lead ids: counted in one pass, reported with examples, dropped on request."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadscore.errors import InputError
from leadscore.ids import check_ids, dedupe, id_warnings, refuse_duplicates


def test_blank_and_placeholder_ids_count_as_missing() -> None:
    frame = pl.LazyFrame({"lead_id": ["L1", "", "  ", None, "N/A", "L2"]})
    found = check_ids(frame, "lead_id")
    assert (found.rows, found.blank, found.blank_rows) == (6, 4, (2, 3, 4))
    assert found.duplicate_ids == 0


def test_repeated_ids_are_compared_as_trimmed_text_with_examples_in_input_order() -> None:
    frame = pl.LazyFrame({"lead_id": ["B", "A ", "C", " A", "B", "D", "D", "B", "E", "E"]})
    found = check_ids(frame, "lead_id")
    assert (found.duplicate_ids, found.duplicate_rows, found.repeats) == (4, 9, 5)
    assert found.examples == (("B", 3), ("A", 2), ("D", 2))
    assert found.example_text() == "'B' on 3 rows, 'A' on 2 rows, 'D' on 2 rows, ..."


def test_numeric_ids_from_a_workbook() -> None:
    found = check_ids(pl.LazyFrame({"id": [101, 102, 101, None]}), "id")
    assert (found.blank, found.examples) == (1, (("101", 2),))


def test_warnings_name_the_column_and_the_file() -> None:
    found = check_ids(pl.LazyFrame({"lead_id": ["L1", None, "L1"]}), "lead_id")
    assert id_warnings(found, "lead_id", "leads.csv") == [
        "1 lead in leads.csv has no lead_id (data row 2); kept and scored, but --previous and explain cannot find it: give it an id in the file",
        "1 lead_id value is repeated in leads.csv ('L1' on 2 rows); every row is kept: "
        "use --dedupe first or --dedupe last to keep one",
    ]
    assert len(id_warnings(found, "lead_id", "leads.csv", deduped=True)) == 1


def test_refuse_duplicates() -> None:
    found = check_ids(pl.LazyFrame({"lead_id": ["L1", "L1"]}), "lead_id")
    with pytest.raises(
        InputError, match=r"^1 lead_id value is repeated in x\.csv \('L1' on 2 rows\); remove"
    ):
        refuse_duplicates(found, "lead_id", "x.csv")


@given(
    st.lists(st.sampled_from(["a", "b", " a", "c", "", None, "N/A"]), max_size=30),
    st.sampled_from(["first", "last"]),
)
def test_dedupe_matches_a_plain_loop(ids: list[str | None], keep: str) -> None:
    frame = pl.LazyFrame(
        {"lead_id": ids, "row": list(range(len(ids)))}, schema={"lead_id": pl.String, "row": pl.Int64}
    )
    kept = dedupe(frame, "lead_id", "first" if keep == "first" else "last").collect()["row"].to_list()

    def key(v: str | None) -> str | None:
        return None if v is None or v.strip() in ("", "N/A") else v.strip()

    order = range(len(ids)) if keep == "first" else reversed(range(len(ids)))
    seen: set[str] = set()
    expected = []
    for i in order:
        k = key(ids[i])
        if k is None or k not in seen:
            expected.append(i)
        if k is not None:
            seen.add(k)
    assert kept == sorted(expected)
