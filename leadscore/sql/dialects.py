"""The warehouses leadscore writes SQL for, and the few functions whose spelling differs.

Most of the query is built from sqlglot's portable expressions and rendered by sqlglot for the
chosen dialect. A handful of functions either do not transpile or transpile to something with
different semantics (a regex search that Snowflake anchors at both ends, a date function
PostgreSQL does not have); each of those gets one builder here, with one branch per dialect.
"""

from __future__ import annotations

from sqlglot import exp

from leadscore.sql.warehouses import Dialect

__all__ = ["Dialect"]


def string(value: str) -> exp.Literal:
    """A string literal; sqlglot escapes quotes and backslashes the way each dialect needs."""
    return exp.Literal.string(value)


def number(value: float) -> exp.Expr:
    """A numeric literal: whole numbers as integers, others in Python's shortest exact form."""
    if float(value).is_integer():
        lit: exp.Expr = exp.Literal.number(abs(int(value)))
    else:
        lit = exp.Literal.number(repr(abs(float(value))))
    return exp.Neg(this=lit) if value < 0 else lit


def double(value: float) -> exp.Expr:
    """A number computed with as a DOUBLE, so that arithmetic matches the file engine's Float64."""
    return exp.cast(number(value), "double", copy=False)


def call(name: str, *args: exp.Expr) -> exp.Expr:
    """A function spelled the same in every supported dialect (GREATEST, REPLACE, RPAD, ...)."""
    return exp.Anonymous(this=name, expressions=list(args))


def cast_text(expr: exp.Expr) -> exp.Expr:
    return exp.cast(expr, "text")


def regex_search(dialect: Dialect, subject: exp.Expr, pattern: str, ignore_case: bool = False) -> exp.Expr:
    """True when ``pattern`` matches somewhere in ``subject`` (not anchored), null on null.

    ``pattern`` must already be in the dialect's regex syntax (see leadscore.sql.regex).
    """
    pat = string(pattern)
    if dialect is Dialect.duckdb:
        args = [subject, pat] + ([string("i")] if ignore_case else [])
        return call("REGEXP_MATCHES", *args)
    if dialect is Dialect.postgres:
        return (
            exp.RegexpILike(this=subject, expression=pat)
            if ignore_case
            else exp.RegexpLike(this=subject, expression=pat)
        )
    if dialect is Dialect.snowflake:
        # REGEXP_LIKE and RLIKE anchor the pattern at both ends; REGEXP_COUNT searches
        args = [subject, pat] + ([exp.Literal.number(1), string("i")] if ignore_case else [])
        return exp.GT(this=call("REGEXP_COUNT", *args), expression=exp.Literal.number(0))
    if dialect is Dialect.bigquery:
        return call("REGEXP_CONTAINS", subject, pat)
    return exp.RegexpLike(this=subject, expression=pat)  # Spark: RLIKE, a search


def regex_group(dialect: Dialect, subject: exp.Expr, pattern: str) -> exp.Expr:
    """The text of the first (and only) capture group of ``pattern`` in ``subject``."""
    pat = string(pattern)
    one = exp.Literal.number(1)
    if dialect is Dialect.postgres:
        return exp.Substring(this=subject, start=pat)  # SUBSTRING(s FROM pattern): group 1
    if dialect is Dialect.snowflake:
        return call("REGEXP_SUBSTR", subject, pat, one, one, string("e"), one)
    if dialect is Dialect.bigquery:
        return call("REGEXP_EXTRACT", subject, pat)
    return call("REGEXP_EXTRACT", subject, pat, one)


def make_date(dialect: Dialect, year: exp.Expr, month: exp.Expr, day: exp.Expr) -> exp.Expr:
    """A DATE from three integers (the caller checks that they name a real day)."""
    if dialect is Dialect.postgres:
        return call("MAKE_DATE", year, month, day)
    return exp.DateFromParts(year=year, month=month, day=day)


def date_literal(iso: str) -> exp.Expr:
    return exp.cast(string(iso), "date")


def add_days(dialect: Dialect, date: exp.Expr, days: exp.Expr) -> exp.Expr:
    """``date`` plus a whole number of days, still a DATE."""
    if dialect in (Dialect.postgres, Dialect.duckdb):  # DATE + INTERVAL would be a TIMESTAMP there
        return exp.Add(this=date, expression=exp.cast(days, "int"))
    return exp.DateAdd(this=date, expression=days, unit=exp.var("DAY"))


def days_between(dialect: Dialect, start: exp.Expr, end: exp.Expr) -> exp.Expr:
    """Whole days from the DATE ``start`` to the DATE ``end`` (negative when start is later)."""
    if dialect is Dialect.postgres:
        return exp.Paren(this=exp.Sub(this=end, expression=start))
    return exp.DateDiff(this=end, expression=start, unit=exp.var("DAY"))


def epoch_micros(dialect: Dialect, ts: exp.Expr) -> exp.Expr:
    """Microseconds since 1970-01-01 00:00 UTC of a TIMESTAMP (one without a zone is read as UTC)."""
    if dialect is Dialect.duckdb:
        return call("EPOCH_US", ts)
    if dialect is Dialect.postgres:
        seconds = exp.Extract(this=exp.var("EPOCH"), expression=ts)
        return exp.cast(exp.Mul(this=seconds, expression=exp.Literal.number(1_000_000)), "bigint")
    if dialect is Dialect.snowflake:
        return call("DATE_PART", exp.var("EPOCH_MICROSECOND"), ts)
    return call("UNIX_MICROS", ts)  # BigQuery and Spark


def is_finite(expr: exp.Expr) -> exp.Expr:
    """True for a finite number: x - x is 0 for those, NaN for infinities and NaN (never equal to 0)."""
    return exp.EQ(this=exp.Sub(this=expr, expression=expr), expression=exp.Literal.number(0))


# The first year each warehouse's DATE type can hold (PostgreSQL, BigQuery and Snowflake have no year 0).
MIN_YEAR = {Dialect.duckdb: 0, Dialect.spark: 0}


def min_year(dialect: Dialect) -> int:
    return MIN_YEAR.get(dialect, 1)


def all_of(*parts: exp.Expr) -> exp.Expr:
    """AND of the parts (built in place: these trees are large and copying them is slow)."""
    return exp.and_(*parts, copy=False)


def any_of(*parts: exp.Expr) -> exp.Expr:
    return exp.or_(*parts, copy=False)
