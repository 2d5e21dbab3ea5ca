"""One small function per condition operator, each returning a boolean ``pl.Expr``.

Operators are registered by name with :func:`operator`; the compiler looks them up. Every
function may return null where the cell is missing: the compiler turns null into "not met", so
a missing value never satisfies a condition (``not_equals`` and ``not_in`` included); only
``missing = true`` matches it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

import polars as pl

from leadscore import coerce
from leadscore.model import Condition


class Readings(Protocol):
    """Where a ColumnReader caches what it reads (leadscore.compiler.Context)."""

    schema: dict[str, pl.DataType]
    null_values: tuple[str, ...]
    as_of: dt.date
    conventions: coerce.Conventions

    def cached(self, column: str, kind: str, layer: int, build: Callable[[], pl.Expr]) -> pl.Expr: ...

    def reading_name(self, column: str, kind: str) -> str | None: ...


class ColumnReader:
    """How to read one lead column as each kind of value; every reading is computed once."""

    def __init__(self, name: str, readings: Readings) -> None:
        self.name = name
        self.readings = readings
        self.dtype = readings.schema[name]
        self.from_text = coerce.is_text(self.dtype)

    @property
    def raw(self) -> pl.Expr:
        return pl.col(self.name)

    def text(self) -> pl.Expr:
        """Trimmed text, case kept; placeholders and blanks are null."""
        r = self.readings
        return r.cached(self.name, "text", 0, lambda: coerce.text(self.raw, self.dtype, r.null_values))

    def _parsed(self, kind: str, direct: Callable[[], pl.Expr]) -> pl.Expr:
        """A column of another dtype (numbers, dates from Excel or Parquet) read directly."""
        return self.readings.cached(self.name, kind, 0, direct)

    def folded(self) -> pl.Expr:
        if self.from_text:
            return self.readings.cached(self.name, "folded", 1, lambda: self.text().str.to_lowercase())
        nulls = self.readings.null_values
        return self._parsed("folded", lambda: coerce.folded(self.raw, self.dtype, nulls))

    def _from_text(
        self, kind: str, fast: Callable[[pl.Expr], pl.Expr], full: Callable[[pl.Expr], pl.Expr]
    ) -> pl.Expr:
        """Text read as ``kind`` in two steps: the fast path on every cell, the full reading on the rest.

        Three cached columns: ``kind_fast`` (the fast path, from the raw cell), ``kind_rest`` (the
        text of the cells it did not read, null elsewhere) and ``kind`` (one or the other).
        Each step after the fast path is computed only where it has cells to read (see
        :func:`coerce.only_where`): in a batch the fast path read whole, it costs nothing.
        """
        r = self.readings
        # Categorical, Enum and all-null columns are text too; the fast paths want String
        raw = self.raw if self.dtype == pl.String else self.raw.cast(pl.String)
        fast_col = r.cached(self.name, f"{kind}_fast", 0, lambda: fast(raw))
        unread = fast_col.is_null() & raw.is_not_null()
        rest = r.cached(
            self.name,
            f"{kind}_rest",
            1,
            lambda: coerce.read_where(
                unread, raw, lambda cells: coerce.text(cells, pl.String(), r.null_values)
            ),
        )
        return r.cached(
            self.name,
            kind,
            3,
            lambda: pl.coalesce(fast_col, coerce.only_where(rest.is_not_null(), full(rest))),
        )

    def number(self) -> pl.Expr:
        r = self.readings
        if self.from_text:

            def full(rest: pl.Expr) -> pl.Expr:
                # parse_clean_number reads its input in every branch: give it a column
                cleaned = r.cached(
                    self.name,
                    "number_text",
                    2,
                    lambda: coerce.only_where(rest.is_not_null(), coerce.number_text(rest)),
                )
                return coerce.parse_clean_number(cleaned, decimal_comma=r.conventions.decimal_comma)

            def fast(raw: pl.Expr) -> pl.Expr:
                return coerce.fast_number(raw, r.null_values, decimal_comma=r.conventions.decimal_comma)

            return self._from_text("number", fast, full)
        return self._parsed(
            "number",
            lambda: coerce.number(
                self.raw, self.dtype, r.null_values, decimal_comma=r.conventions.decimal_comma
            ),
        )

    def date(self) -> pl.Expr:
        r = self.readings
        if self.from_text:
            return self._from_text(
                "date",
                lambda raw: coerce.fast_date(raw, r.null_values),
                lambda rest: coerce.parse_date(rest, dayfirst=r.conventions.dayfirst),
            )
        return self._parsed(
            "date", lambda: coerce.date(self.raw, self.dtype, r.null_values, dayfirst=r.conventions.dayfirst)
        )

    def boolean(self) -> pl.Expr:
        nulls = self.readings.null_values
        if self.from_text:
            return self._from_text(
                "boolean", lambda raw: coerce.fast_boolean(raw, nulls), coerce.parse_boolean
            )
        return self._parsed("boolean", lambda: coerce.boolean(self.raw, self.dtype, nulls))

    def present(self, kind: str) -> pl.Expr:
        """Whether the cell holds a value (not blank, not a placeholder), as ``kind`` reads it."""
        if self.from_text and kind in ("number", "date", "boolean"):
            getattr(self, kind)()
            return (
                self._cached_ref(f"{kind}_fast").is_not_null()
                | self._cached_ref(f"{kind}_rest").is_not_null()
            )
        return self.text().is_not_null()

    def unread_text(self, kind: str) -> pl.Expr:
        """The text of cells that ``kind``'s fast path did not read (all cells when there is none)."""
        if self.from_text and kind in ("number", "date", "boolean"):
            getattr(self, kind)()
            return self._cached_ref(f"{kind}_rest")
        return self.text()

    def _cached_ref(self, kind: str) -> pl.Expr:
        name = self.readings.reading_name(self.name, kind)
        assert name is not None, (self.name, kind)
        return pl.col(name)

    def is_missing(self) -> pl.Expr:
        if self.from_text or isinstance(self.dtype, pl.Float32 | pl.Float64):
            return self.text().is_null()
        return self.raw.is_null()

    def age_days(self) -> pl.Expr:
        """Whole days from the cell's date to the as-of date (negative for later dates)."""
        return (pl.lit(self.readings.as_of) - self.date()).dt.total_days()


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
    absent = reader.is_missing()
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
