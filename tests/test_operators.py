"""Every operator, pinned by the data-driven cases in fixtures/operators.json (values in, matches out)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

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
