"""One small function per condition operator, each returning a SQL boolean: operators.py in SQL.

Every function may return NULL where the cell is missing; :func:`compile_condition` turns NULL
into FALSE, so a missing value never satisfies a condition (``not_equals`` and ``not_in``
included); only ``missing = true`` matches it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlglot import exp

from leadscore.model import AllOf, AnyOf, Condition, Predicate
from leadscore.operators import fold
from leadscore.sql import dialects as sq
from leadscore.sql.exprs import in_list, not_null
from leadscore.sql.readings import Readings
from leadscore.sql.regex import translate


class Target:
    """The condition being compiled: its column, the readings of its relation, and a label for errors."""

    def __init__(self, column: str, readings: Readings, where: str) -> None:
        self.column = column
        self.readings = readings
        self.where = where


SqlOperator = Callable[[Any, Target], "exp.Expr"]
SQL_OPERATORS: dict[str, SqlOperator] = {}


def operator(*names: str) -> Callable[[SqlOperator], SqlOperator]:
    def register(fn: SqlOperator) -> SqlOperator:
        for name in names:
            SQL_OPERATORS[name] = fn
        return fn

    return register


def compile_condition(cond: Condition, readings: Readings, where: str) -> exp.Expr:
    """The condition as a SQL boolean that is never NULL."""
    test = SQL_OPERATORS[cond.op](cond.value, Target(cond.column, readings, where))
    return exp.Coalesce(this=test, expressions=[exp.false()])


def compile_predicate(pred: Predicate, readings: Readings, where: str) -> exp.Expr:
    if isinstance(pred, Condition):
        return compile_condition(pred, readings, where)
    parts = [compile_predicate(p, readings, where) for p in pred.parts]
    if isinstance(pred, AllOf):
        return sq.all_of(*parts)
    assert isinstance(pred, AnyOf)
    return exp.Paren(this=sq.any_of(*parts))


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _compare_value(value: Any, t: Target) -> tuple[exp.Expr, exp.Expr]:
    """The column read the way ``value`` needs it, and the literal to compare it with."""
    r = t.readings
    if isinstance(value, bool):
        return r.boolean(t.column).expr, exp.true() if value else exp.false()
    if isinstance(value, str):
        return r.folded(t.column).expr, sq.string(fold(value))
    if _is_date(value):
        return r.date(t.column).expr, sq.date_literal(value.isoformat())
    return r.number(t.column).expr, sq.number(float(value))


@operator("equals")
def equals(value: Any, t: Target) -> exp.Expr:
    column, target = _compare_value(value, t)
    return exp.EQ(this=column, expression=target)


@operator("not_equals")
def not_equals(value: Any, t: Target) -> exp.Expr:
    column, target = _compare_value(value, t)
    return exp.NEQ(this=column, expression=target)


def _member(values: tuple[Any, ...], t: Target) -> exp.Expr:
    # IN on a NULL is NULL, which compile_condition reads as "not met"
    members: list[exp.Expr]
    if isinstance(values[0], str):
        column = t.readings.folded(t.column).expr
        members = [sq.string(fold(v)) for v in dict.fromkeys(values)]
    else:
        column = t.readings.number(t.column).expr
        members = [sq.number(float(v)) for v in dict.fromkeys(values)]
    return in_list(column, members)


@operator("in")
def in_(value: tuple[Any, ...], t: Target) -> exp.Expr:
    return _member(value, t)


@operator("not_in")
def not_in(value: tuple[Any, ...], t: Target) -> exp.Expr:
    return exp.Not(this=exp.Paren(this=_member(value, t)))


@operator("contains")
def contains(value: str, t: Target) -> exp.Expr:
    found = exp.StrPosition(this=t.readings.folded(t.column).expr, substr=sq.string(fold(value)))
    return exp.GT(this=found, expression=exp.Literal.number(0))


@operator("matches")
def matches(value: str, t: Target) -> exp.Expr:
    # the regex runs on the cell as written (no trimming or case folding), placeholders excluded
    r = t.readings
    pattern = translate(value, r.dialect, t.where)
    subject = sq.cast_text(r.raw(t.column).expr)
    found = sq.regex_search(r.dialect, subject, pattern.pattern, pattern.ignore_case)
    return sq.all_of(not_null(r.text(t.column).expr), found)


def _ordered(value: Any, t: Target) -> tuple[exp.Expr, exp.Expr]:
    if _is_date(value):
        return t.readings.date(t.column).expr, sq.date_literal(value.isoformat())
    return t.readings.number(t.column).expr, sq.number(float(value))


@operator("gt")
def gt(value: Any, t: Target) -> exp.Expr:
    column, bound = _ordered(value, t)
    return exp.GT(this=column, expression=bound)


@operator("gte")
def gte(value: Any, t: Target) -> exp.Expr:
    column, bound = _ordered(value, t)
    return exp.GTE(this=column, expression=bound)


@operator("lt")
def lt(value: Any, t: Target) -> exp.Expr:
    column, bound = _ordered(value, t)
    return exp.LT(this=column, expression=bound)


@operator("lte")
def lte(value: Any, t: Target) -> exp.Expr:
    column, bound = _ordered(value, t)
    return exp.LTE(this=column, expression=bound)


@operator("between")
def between(value: tuple[Any, Any], t: Target) -> exp.Expr:
    lo, hi = value
    column, low = _ordered(lo, t)
    _, high = _ordered(hi, t)
    return exp.Between(this=column, low=low, high=high)


@operator("missing")
def missing(value: bool, t: Target) -> exp.Expr:
    absent = t.readings.is_missing(t.column)
    return absent if value else exp.Not(this=absent)


@operator("within_days")
def within_days(value: float, t: Target) -> exp.Expr:
    # later dates than the as-of date are included: their age is negative
    return exp.LTE(this=t.readings.age_days(t.column), expression=sq.number(value))


@operator("older_than_days")
def older_than_days(value: float, t: Target) -> exp.Expr:
    return exp.GT(this=t.readings.age_days(t.column), expression=sq.number(value))
