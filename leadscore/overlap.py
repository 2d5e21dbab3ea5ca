"""Whether two rules' conditions can hold for the same lead at once.

A learnt model cuts a column into bins, one rule each: a lead in '3 to 10 days ago' cannot also be
'within 2 days'. Advice on what would raise a score (see :mod:`leadscore.explain`) must count
the points a lead gives up when it moves to another bin. Here a condition is turned into the
values of one column it allows (a :class:`Span`: a range of numbers, dates or days of age, a set
of texts, or "missing"), a superset of what it allows when it is more than one test; two
conditions exclude each other when their spans cannot meet. Anything not read that way
(``matches``, ``any = [...]``, ``not_in``...) is taken to overlap: no points are counted lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from leadscore.model import AllOf, Condition, Predicate
from leadscore.operators import fold

Bound = tuple[Any, bool]  # a value, and whether it is allowed itself


@dataclass(frozen=True)
class Span:
    """The values of ``column`` a condition allows, of one ``kind``: number, date, age (days
    before the as-of date), text (``members``) or missing. A missing bound is no bound."""

    column: str
    kind: str
    low: Bound | None = None
    high: Bound | None = None
    members: frozenset[str] | None = None


def span(pred: Predicate | None) -> Span | None:
    """The values ``pred`` allows, or None when they cannot be told."""
    if isinstance(pred, Condition):
        return _condition_span(pred)
    if isinstance(pred, AllOf):  # every part holds: the parts' spans narrow each other
        found = [s for s in (span(p) for p in pred.parts) if s is not None]
        if not found:
            return None
        first = found[0]
        same = [s for s in found if (s.column, s.kind) == (first.column, first.kind)]
        return _intersection(same) if first.kind != "text" else first
    return None


def exclusive(a: Span | None, b: Span | None) -> bool:
    """Whether no lead can be in both spans (unknown spans overlap)."""
    if a is None or b is None or a.column != b.column:
        return False
    if (a.kind == "missing") != (b.kind == "missing"):
        return True  # every other span needs a value
    if a.kind != b.kind or a.kind == "missing":
        return False
    if a.kind == "text":
        return a.members is not None and b.members is not None and not a.members & b.members
    return _below(a.high, b.low) or _below(b.high, a.low)


def _condition_span(cond: Condition) -> Span | None:
    op, value, column = cond.op, cond.value, cond.column
    if op == "missing":
        return Span(column, "missing") if value is True else None
    if op == "within_days":
        return Span(column, "age", high=(float(value), True))
    if op == "older_than_days":
        return Span(column, "age", low=(float(value), False))
    if op == "in" and value and all(isinstance(v, str) for v in value):
        return Span(column, "text", members=frozenset(fold(v) for v in value))
    if op == "equals" and isinstance(value, str):
        return Span(column, "text", members=frozenset([fold(value)]))
    kind = _ordered_kind(value[0] if op == "between" else value)
    if kind is None:
        return None
    if op == "between":
        lo, hi = value
        return Span(column, kind, low=(_ordered(lo), True), high=(_ordered(hi), True))
    bounds = {
        "equals": ((_ordered(value), True), (_ordered(value), True)),
        "gte": ((_ordered(value), True), None),
        "gt": ((_ordered(value), False), None),
        "lte": (None, (_ordered(value), True)),
        "lt": (None, (_ordered(value), False)),
    }
    if op not in bounds:
        return None
    low, high = bounds[op]
    return Span(column, kind, low=low, high=high)


def _ordered_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return "date"
    return "number" if isinstance(value, int | float) else None


def _ordered(value: Any) -> Any:
    return value if isinstance(value, dt.date) else float(value)


def _intersection(spans: list[Span]) -> Span:
    low = max((s.low for s in spans if s.low is not None), key=lambda b: (b[0], not b[1]), default=None)
    high = min((s.high for s in spans if s.high is not None), key=lambda b: (b[0], b[1]), default=None)
    return Span(spans[0].column, spans[0].kind, low=low, high=high)


def _below(high: Bound | None, low: Bound | None) -> bool:
    """Whether every value under ``high`` is under every value over ``low``: no value in both."""
    if high is None or low is None:
        return False
    return bool(high[0] < low[0] or (high[0] == low[0] and not (high[1] and low[1])))
