"""One small function per condition operator, each returning a boolean ``pl.Expr``.

Operators are registered by name with :func:`operator`; the compiler looks them up. Every
function may return null where the cell is missing: the compiler turns null into "not met", so
a missing value never satisfies a condition (``not_equals`` and ``not_in`` included); only
``missing = true`` matches it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from leadscore import coerce
from leadscore.model import Condition


@dataclass(frozen=True)
class ColumnReader:
    """How to read one lead column: its name and dtype, the placeholders, the as-of date."""

    name: str
    dtype: pl.DataType
    null_values: Sequence[str]
    as_of: dt.date
    dayfirst: bool = False

    @property
    def raw(self) -> pl.Expr:
        return pl.col(self.name)

    def text(self) -> pl.Expr:
        return coerce.text(self.raw, self.dtype, self.null_values)

    def folded(self) -> pl.Expr:
        return coerce.folded(self.raw, self.dtype, self.null_values)

    def number(self) -> pl.Expr:
        return coerce.number(self.raw, self.dtype, self.null_values)

    def date(self) -> pl.Expr:
        return coerce.date(self.raw, self.dtype, self.null_values, dayfirst=self.dayfirst)

    def boolean(self) -> pl.Expr:
        return coerce.boolean(self.raw, self.dtype, self.null_values)

    def age_days(self) -> pl.Expr:
        """Whole days from the cell's date to the as-of date (negative for later dates)."""
        return (pl.lit(self.as_of) - self.date()).dt.total_days()


OperatorFn = Callable[[Any, ColumnReader], pl.Expr]
OPERATOR_FUNCTIONS: dict[str, OperatorFn] = {}


def operator(*names: str) -> Callable[[OperatorFn], OperatorFn]:
    """Register a function as the implementation of one or more operator names."""

    def register(fn: OperatorFn) -> OperatorFn:
        for name in names:
            OPERATOR_FUNCTIONS[name] = fn
        return fn

    return register


def compile_condition(cond: Condition, reader: ColumnReader) -> pl.Expr:
    """The condition as a boolean expression that is never null."""
    return OPERATOR_FUNCTIONS[cond.op](cond.value, reader).fill_null(False)


def fold(value: str) -> str:
    return value.strip().lower()


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _compare_value(value: Any, reader: ColumnReader) -> tuple[pl.Expr, Any]:
    """The column read the way ``value`` needs it, and the value to compare it with."""
    if isinstance(value, bool):
        return reader.boolean(), value
    if isinstance(value, str):
        return reader.folded(), fold(value)
    if _is_date(value):
        return reader.date(), value
    return reader.number(), float(value)


@operator("equals")
def equals(value: Any, reader: ColumnReader) -> pl.Expr:
    col, target = _compare_value(value, reader)
    result: pl.Expr = col == target
    return result


@operator("not_equals")
def not_equals(value: Any, reader: ColumnReader) -> pl.Expr:
    col, target = _compare_value(value, reader)
    result: pl.Expr = col != target
    return result


def _member(values: tuple[Any, ...], reader: ColumnReader) -> pl.Expr:
    col = reader.folded() if isinstance(values[0], str) else reader.number()
    members = [fold(v) if isinstance(v, str) else float(v) for v in values]
    # is_in on a null gives null (not false), which compile_condition reads as "not met"
    return pl.when(col.is_not_null()).then(col.is_in(members))


@operator("in")
def in_(value: tuple[Any, ...], reader: ColumnReader) -> pl.Expr:
    return _member(value, reader)


@operator("not_in")
def not_in(value: tuple[Any, ...], reader: ColumnReader) -> pl.Expr:
    return ~_member(value, reader)


@operator("contains")
def contains(value: str, reader: ColumnReader) -> pl.Expr:
    return reader.folded().str.contains(fold(value), literal=True)


@operator("matches")
def matches(value: str, reader: ColumnReader) -> pl.Expr:
    # the regex runs on the cell as written (no trimming or case folding), placeholders excluded
    present = reader.text().is_not_null()
    return pl.when(present).then(reader.raw.cast(pl.String).str.contains(value))


def _ordered(value: Any, reader: ColumnReader) -> pl.Expr:
    return reader.date() if _is_date(value) else reader.number()


def _bound(value: Any) -> Any:
    return value if _is_date(value) else float(value)


@operator("gt")
def gt(value: Any, reader: ColumnReader) -> pl.Expr:
    result: pl.Expr = _ordered(value, reader) > _bound(value)
    return result


@operator("gte")
def gte(value: Any, reader: ColumnReader) -> pl.Expr:
    result: pl.Expr = _ordered(value, reader) >= _bound(value)
    return result


@operator("lt")
def lt(value: Any, reader: ColumnReader) -> pl.Expr:
    result: pl.Expr = _ordered(value, reader) < _bound(value)
    return result


@operator("lte")
def lte(value: Any, reader: ColumnReader) -> pl.Expr:
    result: pl.Expr = _ordered(value, reader) <= _bound(value)
    return result


@operator("between")
def between(value: tuple[Any, Any], reader: ColumnReader) -> pl.Expr:
    lo, hi = value
    return _ordered(lo, reader).is_between(_bound(lo), _bound(hi), closed="both")


@operator("missing")
def missing(value: bool, reader: ColumnReader) -> pl.Expr:
    absent = coerce.is_missing(reader.raw, reader.dtype, reader.null_values)
    return absent if value else ~absent


@operator("within_days")
def within_days(value: float, reader: ColumnReader) -> pl.Expr:
    # later dates than the as-of date are included: their age is negative
    return reader.age_days() <= value


@operator("older_than_days")
def older_than_days(value: float, reader: ColumnReader) -> pl.Expr:
    return reader.age_days() > value


# What each operator needs the column to be readable as; used to report unreadable cells.
def needed_kind(cond: Condition) -> str:
    """'number', 'date', 'boolean' or 'text': how the operator reads its column."""
    v = cond.value
    if cond.op in ("within_days", "older_than_days"):
        return "date"
    if cond.op in ("gt", "gte", "lt", "lte", "between"):
        first = v[0] if cond.op == "between" else v
        return "date" if _is_date(first) else "number"
    if cond.op in ("equals", "not_equals"):
        if isinstance(v, bool):
            return "boolean"
        if _is_date(v):
            return "date"
        return "text" if isinstance(v, str) else "number"
    if cond.op in ("in", "not_in"):
        return "text" if isinstance(v[0], str) else "number"
    return "text"
