"""Small builders of sqlglot expressions shared by the SQL modules."""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from leadscore.sql import dialects as sq

# What the file engine's strip_chars() removes: Unicode White_Space.
WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + ("\u2028\u2029\u202f\u205f\u3000")
)


def col(name: str) -> exp.Column:
    return exp.column(exp.to_identifier(name, quoted=True))


def when(cond: exp.Expr, then: exp.Expr, otherwise: exp.Expr | None = None) -> exp.Case:
    case = exp.Case().when(cond, then)
    return case.else_(otherwise) if otherwise is not None else case


def is_null(expr: exp.Expr) -> exp.Expr:
    return exp.Is(this=expr, expression=exp.Null())


def not_null(expr: exp.Expr) -> exp.Expr:
    return exp.Not(this=is_null(expr))


def in_list(expr: exp.Expr, values: Sequence[exp.Expr]) -> exp.Expr:
    return exp.In(this=expr, expressions=list(values))


def trim(expr: exp.Expr) -> exp.Expr:
    return exp.Trim(this=expr, expression=sq.string(WHITESPACE))


def to_int(expr: exp.Expr) -> exp.Expr:
    return exp.cast(expr, "int")


def add(*terms: exp.Expr) -> exp.Expr:
    out = terms[0]
    for t in terms[1:]:
        out = exp.Add(this=out, expression=t)
    return out


def mul(expr: exp.Expr, factor: int | exp.Expr) -> exp.Expr:
    right = exp.Literal.number(factor) if isinstance(factor, int) else factor
    return exp.Mul(this=expr, expression=right)


def real_day(year: exp.Expr, month: exp.Expr, day: exp.Expr, first_year: int) -> exp.Expr:
    """True when year-month-day is a day of the proleptic Gregorian calendar (leap years included)."""

    def divisible(n: int) -> exp.Expr:
        return exp.EQ(
            this=exp.Mod(this=year.copy(), expression=exp.Literal.number(n)), expression=exp.Literal.number(0)
        )

    leap = sq.any_of(sq.all_of(divisible(4), exp.Not(this=divisible(100))), divisible(400))
    month_days = (
        exp.Case()
        .when(
            exp.EQ(this=month.copy(), expression=exp.Literal.number(2)),
            when(leap, exp.Literal.number(29), exp.Literal.number(28)),
        )
        .when(in_list(month.copy(), [exp.Literal.number(m) for m in (4, 6, 9, 11)]), exp.Literal.number(30))
        .else_(exp.Literal.number(31))
    )
    return sq.all_of(
        exp.GTE(this=year.copy(), expression=exp.Literal.number(first_year)),
        exp.Between(this=month.copy(), low=exp.Literal.number(1), high=exp.Literal.number(12)),
        exp.Between(this=day.copy(), low=exp.Literal.number(1), high=month_days),
    )


def round_half_away(expr: exp.Expr, decimals: int) -> exp.Expr:
    """Round half away from zero, exactly as the engine does: (x * 10^d).round() / 10^d.

    ``SIGN(w) * (FLOOR(|w|) + (1 if |w| - FLOOR(|w|) >= 0.5))`` is exact in floating point, unlike
    ``FLOOR(|w| + 0.5)``, and unlike ROUND, which rounds half to even on PostgreSQL doubles.
    """
    scale = 10**decimals
    w = expr if decimals == 0 else exp.Mul(this=expr, expression=exp.Literal.number(scale))
    magnitude = exp.Abs(this=w)
    floor = exp.Floor(this=magnitude)
    frac = exp.Sub(this=magnitude.copy(), expression=floor.copy())
    up = when(
        exp.GTE(this=frac, expression=exp.Literal.number(0.5)), exp.Literal.number(1), exp.Literal.number(0)
    )
    rounded: exp.Expr = exp.Mul(
        this=exp.Sign(this=w.copy()), expression=exp.Paren(this=exp.Add(this=floor, expression=up))
    )
    if decimals:
        rounded = exp.Div(this=rounded, expression=exp.Literal.number(scale))
    return rounded


def comment_text(text: str) -> str:
    """Text that is safe inside a /* */ comment in every dialect, on one line.

    PostgreSQL nests block comments, so an opening /* must be defused as well as a closing */.
    """
    flat = " ".join(text.split())
    flat = "".join(ch if ch.isprintable() else " " for ch in flat)
    while "*/" in flat or "/*" in flat:
        flat = flat.replace("*/", "* /").replace("/*", "/ *")
    return flat


def named(expr: exp.Expr, name: str, comment: str | None = None) -> exp.Expr:
    """``expr AS "name"``, with the comment after it."""
    aliased = exp.alias_(expr, exp.to_identifier(name, quoted=True))
    if comment:
        aliased.add_comments([comment_text(comment)])
    return aliased
