"""Conditions that exclude each other, against the values that meet them, one by one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from leadscore import parse_model
from leadscore.explain import explain
from leadscore.model import AllOf, Condition, Predicate
from leadscore.overlap import exclusive, span
from tests.test_explain import AS_OF

NUMBERS = st.sampled_from([0, 1, 2, 2.5, 3, 10])
NUMBER_TESTS = st.one_of(
    st.tuples(st.sampled_from(["gte", "gt", "lte", "lt", "equals"]), NUMBERS),
    st.tuples(st.just("between"), st.tuples(NUMBERS, NUMBERS).map(lambda t: tuple(sorted(t)))),
    st.tuples(st.sampled_from(["within_days", "older_than_days"]), NUMBERS),
    st.tuples(st.just("missing"), st.just(True)),
    st.tuples(st.just("in"), st.lists(st.sampled_from(["a", "B", "c "]), min_size=1, max_size=2).map(tuple)),
    st.tuples(st.just("matches"), st.just("^a")),
)


@st.composite
def predicates(draw: st.DrawFn) -> Predicate:
    parts = [Condition("x", op, value) for op, value in draw(st.lists(NUMBER_TESTS, min_size=1, max_size=3))]
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def holds(pred: Predicate, value: Any) -> bool:
    """A plain reading of the condition for one cell: a number, a text, or None (missing)."""
    if isinstance(pred, AllOf):
        return all(holds(p, value) for p in pred.parts)
    op, v = pred.op, pred.value
    if op == "missing":
        return value is None
    if value is None:
        return False
    if op == "in" or op == "matches":
        return isinstance(value, str) and (
            value.strip().lower() in {x.strip().lower() for x in v} if op == "in" else value.startswith("a")
        )
    if isinstance(value, str):
        return False
    age = value  # the same cell read as days of age for within/older than
    return {
        "gte": lambda: value >= v, "gt": lambda: value > v, "lte": lambda: value <= v,
        "lt": lambda: value < v, "equals": lambda: value == v, "between": lambda: v[0] <= value <= v[1],
        "within_days": lambda: age <= v, "older_than_days": lambda: age > v,
    }[op]()  # fmt: skip


CELLS = [None, "a", "b", "c", *(x / 2 for x in range(-2, 24))]


@given(predicates(), predicates())
def test_conditions_said_to_exclude_each_other_never_both_hold(a: Predicate, b: Predicate) -> None:
    # ages and numbers share the cells here, so a span of one kind meeting one of another is
    # taken to overlap; what is said to exclude must exclude for every cell
    if exclusive(span(a), span(b)):
        assert not [c for c in CELLS if holds(a, c) and holds(b, c)]


def test_the_bins_of_a_learnt_column_exclude_each_other() -> None:
    bins = [
        Condition("days", "within_days", 2.0),
        AllOf((Condition("days", "older_than_days", 2.0), Condition("days", "within_days", 10.0))),
        Condition("days", "older_than_days", 10.0),
        Condition("days", "missing", True),
    ]
    for i, a in enumerate(bins):
        for j, b in enumerate(bins):
            assert exclusive(span(a), span(b)) == (i != j)
    assert not exclusive(span(Condition("visits", "gte", 5)), span(Condition("visits", "gte", 10)))
    assert exclusive(
        span(Condition("d", "lt", dt.date(2026, 1, 1))), span(Condition("d", "gte", dt.date(2026, 1, 1)))
    )


def test_advice_counts_the_points_of_the_bin_a_lead_would_leave() -> None:
    model = parse_model(
        {
            "model": {"name": "bins", "id": "id"},
            "qualify": {"min_score": 20},
            "rules": [
                {"name": "within 2 days", "dimension": "engagement", "column": "last", "within_days": 2,
                 "points": 14},
                {"name": "3 to 10 days", "dimension": "engagement",
                 "all": [{"column": "last", "older_than_days": 2}, {"column": "last", "within_days": 10}],
                 "points": 13},
                {"name": "Demo", "dimension": "engagement", "column": "demo", "equals": True, "points": 4},
            ],
        }
    )  # fmt: skip
    leads = pl.DataFrame({"id": ["A", "B"], "last": ["2026-10-31", "2026-10-25"], "demo": ["no", "no"]})
    recent, older = explain(leads, model, ["A", "B"], as_of=AS_OF)
    assert recent.score == 14  # 6 short: moving to '3 to 10 days' would lose a point
    assert "3 to 10 days" not in {r.rule for r in recent.room}
    assert not any("would close the gap" in step for step in recent.next_steps)
    assert older.score == 13  # 7 short: 'within 2 days' adds 1 net, the demo 4
    assert {(r.rule, r.points) for r in older.room} == {("within 2 days", 1), ("Demo", 4)}
