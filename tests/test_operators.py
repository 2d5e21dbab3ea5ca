"""Every operator, pinned by the data-driven cases in fixtures/operators.json (values in, matches out)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadscore import parse_model, score
from leadscore.model import OPERATORS
from leadscore.operators import OPERATOR_FUNCTIONS

CASES = json.loads((Path(__file__).parent / "fixtures" / "operators.json").read_text(encoding="utf-8"))
AS_OF = dt.date(2026, 11, 1)


def _operand(case: dict[str, Any]) -> dict[str, Any]:
    when = dict(case["when"])
    if case.get("dates"):
        when = {op: [dt.date.fromisoformat(v) for v in vals] for op, vals in when.items()}
    return when


def matches(case: dict[str, Any]) -> list[bool]:
    """Score one lead per value with a one-rule model giving 1 point, and read which ones got it."""
    model_spec: dict[str, Any] = {
        "model": {"name": "op", "id": "id"},
        "rules": [{"name": "r", "dimension": "d", "column": "x", "points": 1, **_operand(case)}],
    }
    if "null_values" in case:
        model_spec["model"]["null_values"] = case["null_values"]
    model = parse_model(model_spec)
    frame = pl.DataFrame(
        {"id": [f"{i:03d}" for i in range(len(case["values"]))], "x": case["values"]},
        schema={"id": pl.String, "x": pl.String},
    )
    out = score(frame, model, as_of=AS_OF).frame.sort("id")
    return [s == 1 for s in out["score"].to_list()]


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_operator_case(case: dict[str, Any]) -> None:
    assert matches(case) == case["expect"]


def test_every_operator_has_a_function_and_a_case() -> None:
    assert set(OPERATOR_FUNCTIONS) == set(OPERATORS)
    covered = {op for case in CASES for op in case["when"]}
    assert covered == set(OPERATORS)


@pytest.mark.parametrize(
    ("dtype", "values", "when", "expect"),
    [
        (pl.Int64, [5, None, 0], {"gte": 5}, [True, False, False]),
        (pl.Float64, [3.0, float("nan"), None], {"missing": True}, [False, True, True]),
        (pl.Float64, [3.0, 2.5], {"in": ["3"]}, [True, False]),
        (pl.Boolean, [True, False, None], {"equals": True}, [True, False, False]),
        (pl.Boolean, [True, False, None], {"not_equals": True}, [False, True, False]),
        (pl.Int64, [1, 0, 2], {"equals": True}, [True, False, False]),
        (
            pl.Date,
            [dt.date(2026, 10, 30), dt.date(2025, 1, 1), None],
            {"within_days": 7},
            [True, False, False],
        ),
        (
            pl.Datetime("us", "UTC"),
            [dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC), None],
            {"within_days": 1},
            [True, False],
        ),
        (pl.Int64, [45000, 46300], {"older_than_days": 365}, [True, False]),
    ],
)
def test_typed_columns(
    dtype: pl.DataType, values: list[Any], when: dict[str, Any], expect: list[bool]
) -> None:
    """XLSX, JSON and Parquet bring typed columns; operators read them natively."""
    model = parse_model(
        {
            "model": {"name": "t", "id": "id"},
            "rules": [{"name": "r", "dimension": "d", "column": "x", "points": 1, **when}],
        }
    )
    frame = pl.DataFrame({"id": [str(i) for i in range(len(values))], "x": pl.Series(values, dtype=dtype)})
    out = score(frame, model, as_of=AS_OF).frame.sort("id")
    assert [s == 1 for s in out["score"].to_list()] == expect


@settings(max_examples=40, deadline=None)
@given(
    offsets=st.lists(st.one_of(st.none(), st.integers(-400, 400)), min_size=1, max_size=30),
    typed=st.booleans(),
)
def test_dates_after_the_as_of_date_count_as_that_day_and_are_warned_about(
    offsets: list[int | None], typed: bool
) -> None:
    """A date later than the as-of date has no age: both age operators read it as the as-of
    day itself, and one warning counts those dates and shows the latest."""
    as_of = dt.date(2026, 11, 1)
    dates = [None if o is None else as_of - dt.timedelta(days=o) for o in offsets]
    column = pl.Series(dates, dtype=pl.Date) if typed else pl.Series([d and d.isoformat() for d in dates])
    leads = pl.DataFrame({"lead_id": [f"L{i}" for i in range(len(dates))], "seen": column})
    model = parse_model(
        {
            "model": {"name": "m", "id": "lead_id"},
            "rules": [
                {"name": "Recent", "dimension": "e", "column": "seen", "within_days": 30, "points": 10},
                {"name": "Stale", "dimension": "e", "column": "seen", "older_than_days": 180, "points": -5},
            ],
        }
    )
    result = score(leads, model, as_of=as_of)
    got = dict(zip(result.frame["lead_id"], result.frame["score"], strict=True))
    for i, o in enumerate(offsets):
        age = None if o is None else max(o, 0)  # later dates: the as-of day
        expected = 0 if age is None else (10 if age <= 30 else 0) - (5 if age > 180 else 0)
        assert got[f"L{i}"] == expected
    later = [d for d in dates if d is not None and d > as_of]
    warned = [w for w in result.warnings if "after the as-of date" in w]
    if not later:
        assert warned == []
        return
    present = sum(d is not None for d in dates)
    assert warned == [
        f"rule 'Recent' (#1) and rule 'Stale' (#2): {len(later)} of {present} dates in column 'seen' are "
        f"after the as-of date 2026-11-01 (the latest {max(later).isoformat()}); the rules count them as "
        "dated 2026-11-01; if the file is newer, give --as-of the day it was exported"
    ]
