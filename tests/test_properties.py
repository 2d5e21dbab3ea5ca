"""The engine against the plain reference scorer, on random models and random messy leads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadscore import InputError, Model, parse_model, score
from tests import reference

AS_OF = dt.date(2026, 11, 1)

TITLES = ["CEO", " ceo ", "Chief Marketing Officer", "VP Sales", "marketing manager", "Student", "N/A",
          "Select", "-", "", "Müller & Co", "Director, IT"]  # fmt: skip
SIZES = ["1,200", " 45 ", "12,5", "1.234,5", "30%", "N/A", "abc", "0", "-7", "5000", "250", "", "1 200", "$1,200",
         "1.200 €", "-€5", "USD 250", "45 kr", "$"]  # fmt: skip
FLAGS = ["yes", "No", "TRUE", "false", "1", "0", "y", "maybe", "Sí", "", "N/A", "VRAI", "Falsch"]
DATES = ["2026-10-30", "2026-11-01", "2026-11-05", "2025-01-15", "10/20/2026", "2026-10-31T23:00:00Z",
         "garbage", "", "01.02.2026", "2026/09/01", "20-Oct-2026", "Oct 30, 2026", "30-oct-26", "10/5/2026 9:05 AM",
         "31-Sept-2026"]  # fmt: skip

COLUMNS: dict[str, list[Any]] = {"title": TITLES, "size": SIZES, "demo": FLAGS, "last": DATES}


@st.composite
def leads(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=0, max_value=25))
    rows = []
    for i in range(n):
        row: dict[str, Any] = {"lead_id": f"L{i:03d}"}
        for col, values in COLUMNS.items():
            row[col] = draw(st.one_of(st.none(), st.sampled_from(values)))
        row["visits"] = draw(st.one_of(st.none(), st.integers(min_value=-3, max_value=40)))
        row["ratio"] = draw(st.one_of(st.none(), st.sampled_from([0.0, 0.5, 1.5, 2.0, 3.5, -1.0])))
        rows.append(row)
    order = draw(st.permutations(range(n)))
    return [rows[i] for i in order]


def _condition(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["title", "size", "demo", "last", "visits", "ratio"]))
    if kind == "title":
        op = draw(st.sampled_from(["equals", "not_equals", "in", "not_in", "contains", "matches", "missing"]))
        value: Any = {
            "equals": draw(st.sampled_from(["ceo", "CEO ", "student", "n/a"])),
            "not_equals": draw(st.sampled_from(["ceo", "Student"])),
            "in": draw(
                st.lists(st.sampled_from(["CEO", "vp sales", "Student", "x"]), min_size=1, max_size=3)
            ),
            "not_in": draw(st.lists(st.sampled_from(["CEO", "vp sales", "Student"]), min_size=1, max_size=2)),
            "contains": draw(st.sampled_from(["chief", "MANAGER", "&", "o"])),
            "matches": draw(
                st.sampled_from([r"(?i)\b(ceo|chief)\b", "^VP", "Student|Director", "(?i)manager$"])
            ),
            "missing": draw(st.booleans()),
        }[op]
    elif kind == "demo":
        op, value = draw(st.sampled_from([("equals", True), ("equals", False), ("not_equals", True),
                                          ("missing", True), ("missing", False)]))  # fmt: skip
    elif kind == "last":
        op = draw(st.sampled_from(["within_days", "older_than_days", "gte", "missing"]))
        value = {
            "within_days": draw(st.sampled_from([0, 1, 7, 30, 400])),
            "older_than_days": draw(st.sampled_from([0, 2, 30, 180])),
            "gte": dt.date(2026, 10, 1),
            "missing": draw(st.booleans()),
        }[op]
    else:
        op = draw(
            st.sampled_from(["equals", "gt", "gte", "lt", "lte", "between", "in", "not_equals", "missing"])
        )
        num = st.sampled_from([0, 1, 2, 12.5, 45, 250, 1200, 5000])
        value = draw(num)
        if op == "between":
            lo, hi = sorted([draw(num), draw(num)])
            value = [lo, hi]
        elif op == "in":
            value = draw(st.lists(num, min_size=1, max_size=3))
        elif op == "missing":
            value = draw(st.booleans())
    return {"column": kind, op: value}


@st.composite
def models(draw: st.DrawFn) -> dict[str, Any]:
    rules = []
    for i in range(draw(st.integers(min_value=1, max_value=6))):
        rule: dict[str, Any] = {
            "name": f"rule {i}",
            "dimension": draw(st.sampled_from(["fit", "engagement"])),
        }
        shape = draw(st.sampled_from(["single", "all", "any", "per_unit"]))
        if shape == "single":
            rule.update(_condition(draw))
        elif shape in ("all", "any"):
            rule[shape] = [_condition(draw) for _ in range(draw(st.integers(min_value=1, max_value=3)))]
        else:
            rule["column"] = draw(st.sampled_from(["visits", "size", "ratio"]))
            rule["points_per_unit"] = draw(st.sampled_from([1, 3, -2, 0.5, 2.5]))
        if shape != "per_unit":
            rule["points"] = draw(st.integers(min_value=-30, max_value=30))
        if draw(st.booleans()):
            rule["max_points"] = draw(st.sampled_from([5, 15, 20]))
        if draw(st.booleans()):
            rule["min_points"] = draw(st.sampled_from([-20, -5, 0]))
            if rule.get("max_points") is not None and rule["min_points"] > rule["max_points"]:
                del rule["min_points"]
        rule["disqualify"] = draw(st.booleans()) and draw(st.booleans())
        rules.append(rule)
    data: dict[str, Any] = {"model": {"name": "random", "id": "lead_id"}, "rules": rules}
    data["dimensions"] = {
        "fit": {k: v for k, v in (("max", draw(st.sampled_from([None, 30, 60]))),) if v is not None},
        "engagement": {"min": -40, "max": draw(st.sampled_from([40, 70]))},
    }
    if draw(st.booleans()):
        data["tiers"] = {"hot": 40, "warm": 15, "cold": draw(st.sampled_from([0, -10]))}
    if draw(st.booleans()):
        data["qualify"] = {"min_score": draw(st.sampled_from([0, 20, 35]))}
    if draw(st.booleans()):
        data["grades"] = {"fit": {"A": 30, "B": 15, "C": 5}, "engagement": {"1": 30, "2": 15, "3": 5}}
    return data


SCHEMA = {"lead_id": pl.String, "title": pl.String, "size": pl.String, "demo": pl.String, "last": pl.String,
          "visits": pl.Int64, "ratio": pl.Float64}  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=models(), rows=leads())
def test_engine_matches_reference(spec: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    model = parse_model(spec)
    scored = engine_and_reference(model, rows)
    if scored is None:
        return
    got, want = scored
    keys = ["lead_id", "score", "rank", "reasons", *(f"{d}_score" for d in model.dimension_names)]
    keys += [k for k in ("tier", "grade", "qualified") if k in (got[0] if got else {})]
    assert [{k: r[k] for k in keys} for r in got] == [{k: r[k] for k in keys} for r in want]


@st.composite
def many_rules(draw: st.DrawFn) -> dict[str, Any]:
    """A model of 60 to 100 rules, most with fixed points: more than one 64-rule mask of reasons.

    Points come from a short list, so many rules tie and the model's order must break the ties.
    Many rules never fire, so the reasons often come from the rules with the fewest points.
    """
    rules: list[dict[str, Any]] = []
    never = draw(st.sampled_from([0, 50, 90, 97]))  # in a hundred rules
    for i in range(draw(st.integers(min_value=60, max_value=100))):
        rule: dict[str, Any] = {"name": f"r{i}", "dimension": "fit"}
        if draw(st.integers(min_value=0, max_value=99)) < never:
            rule.update(column="title", equals="no such title", points=draw(st.sampled_from([10, 25, -25])))
        elif draw(st.integers(min_value=0, max_value=19)) == 0:
            rule["column"] = draw(st.sampled_from(["visits", "ratio"]))
            rule["points_per_unit"] = draw(st.sampled_from([1, 3, -2, 0.5]))
        else:
            rule.update(_condition(draw))
            rule["points"] = draw(st.sampled_from([-25, -5, 0, 5, 10, 15, 25]))
        rules.append(rule)
    return {"model": {"name": "many", "id": "lead_id"}, "rules": rules}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=many_rules(), rows=leads())
def test_reasons_of_many_rules_match_reference(spec: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    scored = engine_and_reference(parse_model(spec), rows)
    if scored is None:
        return
    got, want = scored
    assert [(r["lead_id"], r["reasons"]) for r in got] == [(r["lead_id"], r["reasons"]) for r in want]


def engine_and_reference(
    model: Model, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """The leads as the engine and as the reference score them; None when the engine refused a
    column as unreadable, after checking that none of its values can be read."""
    try:
        got = score(pl.DataFrame(rows, schema=SCHEMA), model, as_of=AS_OF).frame.to_dicts()
    except InputError as exc:
        assert_none_readable(str(exc), rows, model.null_values)
        return None
    return got, reference.score_rows(model, rows, AS_OF)


READERS = {"numbers": reference.number, "dates": reference.date, "yes/no values": reference.boolean}


def assert_none_readable(message: str, rows: list[dict[str, Any]], null_values: tuple[str, ...]) -> None:
    """The engine refused a column as unreadable: check that truly none of its values can be read."""
    match = re.search(r"reads? column '(\w+)' as (numbers|dates|yes/no values), but none", message)
    assert match, message
    column, kind = match.groups()
    nulls = {v.strip().lower() for v in null_values} | {""}
    present = [r[column] for r in rows if reference.text(r[column], nulls) is not None]
    assert present
    assert all(READERS[kind](v, nulls) is None for v in present)
