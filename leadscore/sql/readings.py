"""How a warehouse column is read as text, a number, a date or yes/no: coerce.py in SQL.

Warehouse columns are typed. A column is read as *text* (its ``CAST AS TEXT`` form, trimmed and
parsed the way the file engine parses a CSV cell) unless its :class:`Kind` is declared, in which
case it is read natively the way the file engine reads a typed Parquet column. Reading every
column as text gives the same results for text, integer, decimal, date and boolean columns;
float columns and timestamps are where declaring the kind matters (see docs/sql.md).

Like the engine's ``Context``, a :class:`Readings` computes each reading of a column once, into
an internal column that every rule shares, in layers: the text first, then what is parsed from
it. :meth:`Readings.layers` returns them, one SELECT list per layer, for the compiler to put in
CTEs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlglot import exp

from leadscore.coerce import (
    ACCOUNTING,
    CURRENCY_EDITS,
    FALSE_WORDS,
    GROUPED_DOT,
    LONE_COMMA,
    MONEY_THOUSANDS_DOT,
    TRUE_WORDS,
    Conventions,
)
from leadscore.sql import dialects as sq
from leadscore.sql.dialects import Dialect
from leadscore.sql.exprs import (
    add,
    col,
    comment_text,
    in_list,
    is_null,
    mul,
    real_day,
    round_half_away,
    to_int,
    trim,
    when,
)
from leadscore.sql.formats import (
    DAY_MICROS,
    DECIMAL_COMMA,
    DMY_DOT,
    DMY_SLASH,
    DOUBLE_SHAPE,
    EXCEL_EPOCH,
    EXCEL_LAST,
    EXCEL_SERIAL,
    ISO,
    MDY,
    NAMED_DMY,
    NAMED_DMY_SHORT,
    NAMED_MDY,
    SHORT_YEAR_PIVOT,
    THOUSANDS_COMMA,
    THOUSANDS_DOT,
    THOUSANDS_SPACE,
    TIME_PARTS,
    TIME_SHAPE,
    YMD,
    DateFormat,
    month_number,
)


class Kind(StrEnum):
    """What a warehouse column holds, where it matters for reading it."""

    text = "text"
    integer = "integer"
    decimal = "decimal"
    float = "float"
    boolean = "boolean"
    date = "date"
    timestamp = "timestamp"

    @property
    def is_exact_number(self) -> bool:
        return self in (Kind.integer, Kind.decimal)


@dataclass(frozen=True)
class Ref:
    """A reading: the expression that refers to it, and the CTE layer that computes it (-1: input)."""

    node: exp.Expr
    layer: int

    @property
    def expr(self) -> exp.Expr:
        """A fresh copy of the reference, to place in a tree (a node has one parent)."""
        return self.node.copy()

    @property
    def next(self) -> int:
        return self.layer + 1


class Readings:
    """Readings of the columns of one relation (the leads, or the events), cached and layered."""

    def __init__(
        self,
        dialect: Dialect,
        kinds: Mapping[str, Kind],
        null_values: Sequence[str],
        as_of: exp.Expr,
        prefix: str,
        conventions: Conventions = Conventions(),
    ) -> None:
        self.dialect = dialect
        self.kinds = dict(kinds)
        self.nulls = sorted({v.strip().lower() for v in null_values} | {""})
        self.as_of = as_of
        self.prefix = prefix
        self.conventions = conventions
        self._layers: list[dict[str, tuple[exp.Expr, str]]] = []
        self._names: dict[tuple[str, str], Ref] = {}

    # -- bookkeeping ------------------------------------------------------------------------

    def cached(self, column: str, kind: str, layer: int, build: Callable[[], exp.Expr]) -> Ref:
        """The reading (column, kind), computed in ``layer`` the first time it is asked for."""
        key = (column, kind)
        if key not in self._names:
            name = f"{self.prefix}{len(self._names)}_{kind}"
            expr = build()
            while len(self._layers) <= layer:
                self._layers.append({})
            self._layers[layer][name] = (expr, f"{column}: {kind.replace('_', ' ')}")
            self._names[key] = Ref(col(name), layer)
        return self._names[key]

    def add(self, name: str, layer: int, expr: exp.Expr, comment: str) -> Ref:
        """An internal column that is not a reading of one column (event ages, for instance)."""
        while len(self._layers) <= layer:
            self._layers.append({})
        self._layers[layer][name] = (expr, comment)
        return Ref(col(name), layer)

    def layers(self) -> list[list[exp.Expr]]:
        """One SELECT list per layer: each reading aliased to its internal name, with a comment."""
        out = []
        for layer in self._layers:
            items = []
            for name, (expr, comment) in layer.items():
                aliased = exp.alias_(expr, exp.to_identifier(name, quoted=True))
                aliased.add_comments([comment_text(comment)])
                items.append(aliased)
            if items:
                out.append(items)
        return out

    def kind(self, column: str) -> Kind:
        return self.kinds.get(column, Kind.text)

    def raw(self, column: str) -> Ref:
        return Ref(col(column), -1)

    # -- readings ---------------------------------------------------------------------------

    def text(self, column: str) -> Ref:
        """Trimmed text, case kept; placeholders and blanks are null (coerce.text)."""
        raw = self.raw(column).expr
        kind = self.kind(column)
        if kind is Kind.boolean:
            return self.cached(column, "text", 0, lambda: _boolean_text(raw))
        if kind is Kind.float:
            return self.cached(column, "text", 0, lambda: _float_text(raw))
        return self.cached(column, "text", 0, lambda: self._trimmed_text(raw))

    def _trimmed_text(self, raw: exp.Expr) -> exp.Expr:
        trimmed = trim(sq.cast_text(raw))
        placeholder = in_list(exp.Lower(this=trimmed), [sq.string(v) for v in self.nulls])
        return when(placeholder, exp.Null(), trimmed.copy())

    def folded(self, column: str) -> Ref:
        t = self.text(column)
        return self.cached(column, "folded", t.next, lambda: exp.Lower(this=t.expr))

    def number(self, column: str) -> Ref:
        raw = self.raw(column).expr
        kind = self.kind(column)
        if kind is Kind.boolean:
            return self.cached(
                column, "number", 0, lambda: when(raw, sq.double(1)).when(exp.Not(this=raw), sq.double(0))
            )
        if kind.is_exact_number:
            return self.cached(column, "number", 0, lambda: exp.cast(raw, "double"))
        if kind is Kind.float:
            return self.cached(column, "number", 0, lambda: when(sq.is_finite(raw), exp.cast(raw, "double")))
        if kind in (Kind.date, Kind.timestamp):
            return Ref(exp.cast(exp.Null(), "double"), -1)
        return self.parse_number(column)

    def parse_number(self, column: str) -> Ref:
        """coerce.number_text, parse_clean_number and the cast, one layer each (brackets around an
        amount read as a minus sign, the currency mark taken off by CURRENCY_EDITS, one plain
        replacement each, and an amount's dot group)."""
        t = self.text(column)

        def plain() -> exp.Expr:
            spaced = trim(sq.call("REPLACE", t.expr, sq.string("\xa0"), sq.string(" ")))
            unbracketed = spaced.copy()
            for bracket in "()":
                unbracketed = sq.call("REPLACE", unbracketed, sq.string(bracket), sq.string(""))
            negative = exp.DPipe(this=sq.string("-"), expression=trim(unbracketed), safe=True)
            signed = when(sq.regex_search(self.dialect, spaced, ACCOUNTING), negative, spaced.copy())
            return trim(_regex_replace(signed, "%$", ""))

        p = self.cached(column, "number_plain", t.next, plain)

        def amount() -> exp.Expr:
            out = p.expr
            for pattern, replacement in CURRENCY_EDITS:
                out = _regex_replace(out, pattern, replacement)
            return out

        a = self.cached(column, "number_amount", p.next, amount)

        def number_text() -> exp.Expr:
            money = sq.all_of(
                exp.NEQ(this=a.expr, expression=p.expr),
                sq.regex_search(self.dialect, a.expr, MONEY_THOUSANDS_DOT),
            )
            return when(money, sq.call("REPLACE", a.expr, sq.string("."), sq.string("")), a.expr)

        s = self.cached(column, "number_text", a.next, number_text)

        def cleaned() -> exp.Expr:
            def found(pattern: str) -> exp.Expr:
                return sq.regex_search(self.dialect, s.expr, pattern)

            def replace(expr: exp.Expr, old: str, new: str) -> exp.Expr:
                return sq.call("REPLACE", expr, sq.string(old), sq.string(new))

            case = exp.Case()
            if self.conventions.decimal_comma:  # an amount's mark was taken off (a != p): it groups as ever
                plain = exp.EQ(this=a.expr, expression=p.expr)
                case = case.when(sq.all_of(plain, found(GROUPED_DOT)), replace(s.expr, ".", "")).when(
                    sq.all_of(plain.copy(), found(LONE_COMMA)), replace(s.expr, ",", ".")
                )
            return (
                case.when(found(THOUSANDS_COMMA), replace(s.expr, ",", ""))
                .when(found(THOUSANDS_DOT), replace(replace(s.expr, ".", ""), ",", "."))
                .when(found(DECIMAL_COMMA), replace(s.expr, ",", "."))
                .when(found(THOUSANDS_SPACE), replace(replace(s.expr, " ", ""), ",", "."))
                .else_(s.expr)
            )

        c = self.cached(column, "number_clean", s.next, cleaned)
        shaped = sq.regex_search(self.dialect, c.expr, DOUBLE_SHAPE)
        return self.cached(column, "number", c.next, lambda: when(shaped, exp.cast(c.expr, "double")))

    def boolean(self, column: str) -> Ref:
        raw = self.raw(column).expr
        kind = self.kind(column)
        if kind is Kind.boolean:
            return Ref(raw, -1)
        if kind.is_exact_number or kind is Kind.float:
            return self.cached(column, "boolean", 0, lambda: _number_boolean(raw))
        t = self.text(column)

        def build() -> exp.Expr:
            lowered = exp.Lower(this=t.expr)
            yes = in_list(lowered, [sq.string(w) for w in TRUE_WORDS])
            no = in_list(lowered.copy(), [sq.string(w) for w in FALSE_WORDS])
            return when(yes, exp.true()).when(no, exp.false())

        return self.cached(column, "boolean", t.next, build)

    def date(self, column: str) -> Ref:
        raw = self.raw(column).expr
        kind = self.kind(column)
        if kind is Kind.date:
            return Ref(raw, -1)
        if kind is Kind.timestamp:
            return self.cached(column, "date", 0, lambda: exp.cast(raw, "date"))
        if kind.is_exact_number or kind is Kind.float:
            return self.cached(column, "date", 0, lambda: self.excel_date(exp.cast(raw, "double")))
        if kind is Kind.boolean:
            return Ref(exp.cast(exp.Null(), "date"), -1)
        return self.parse_date(column)

    def excel_date(self, days: exp.Expr) -> exp.Expr:
        """Excel's serial day number (1900 date system) as a DATE; out-of-range numbers are null."""
        ok = sq.all_of(
            exp.GTE(this=days, expression=exp.Literal.number(1)),
            exp.LT(this=days.copy(), expression=exp.Literal.number(EXCEL_LAST)),
        )
        whole_days = exp.cast(exp.Floor(this=days.copy()), "bigint")
        return when(ok, sq.add_days(self.dialect, sq.date_literal(EXCEL_EPOCH), whole_days))

    def parse_date(self, column: str) -> Ref:
        """coerce.parse_date: each format's parts in one layer, the first real date in the next."""
        t = self.text(column)
        slashed = DMY_SLASH if self.conventions.dayfirst else MDY
        candidates = []
        for fmt in (ISO, YMD, slashed, DMY_DOT, NAMED_DMY, NAMED_MDY, NAMED_DMY_SHORT):
            parts = [
                self.cached(
                    column, f"date_{fmt.name}_{part}", t.next, self._date_part(t.expr, fmt, part, pattern)
                )
                for part, pattern in (("year", fmt.year), ("month", fmt.month), ("day", fmt.day))
            ]
            candidates.append(parts)
        serial = self.cached(
            column,
            "date_serial",
            t.next,
            lambda: when(sq.regex_search(self.dialect, t.expr, EXCEL_SERIAL), exp.cast(t.expr, "double")),
        )

        def build() -> exp.Expr:
            dates = [self.checked_date(y.expr, m.expr, d.expr) for y, m, d in candidates]
            return exp.Coalesce(this=dates[0], expressions=[*dates[1:], self.excel_date(serial.expr)])

        return self.cached(column, "date", serial.next, build)

    def _date_part(self, text: exp.Expr, fmt: DateFormat, part: str, pattern: str) -> Callable[[], exp.Expr]:
        """The ``part`` of a date in ``fmt`` (``pattern`` finds it), as an integer, where the text
        has the format's shape."""

        def build() -> exp.Expr:
            matched = sq.regex_search(self.dialect, text.copy(), fmt.shape)
            date = sq.regex_group(self.dialect, text.copy(), fmt.date_part) if fmt.leading else text.copy()
            found = sq.regex_group(self.dialect, date, pattern)
            if part == "month" and fmt.named_month:
                return when(matched, month_number(found))
            value = to_int(found)
            if part == "year" and fmt.short_year:
                century = when(
                    exp.LT(this=value.copy(), expression=exp.Literal.number(SHORT_YEAR_PIVOT)),
                    exp.Literal.number(2000),
                    exp.Literal.number(1900),
                )
                value = add(value, century)
            return when(matched, value)

        return build

    def _part(self, subject: exp.Expr, shape: str, pattern: str) -> Callable[[], exp.Expr]:
        def build() -> exp.Expr:
            matched = sq.regex_search(self.dialect, subject.copy(), shape)
            return when(matched, to_int(sq.regex_group(self.dialect, subject.copy(), pattern)))

        return build

    def checked_date(self, year: exp.Expr, month: exp.Expr, day: exp.Expr) -> exp.Expr:
        """MAKE_DATE(year, month, day) when that day exists, else null (no warehouse errors)."""
        return when(
            real_day(year, month, day, sq.min_year(self.dialect)),
            sq.make_date(self.dialect, year, month, day),
        )

    def is_missing(self, column: str) -> exp.Expr:
        kind = self.kind(column)
        if kind in (Kind.text, Kind.float):
            return is_null(self.text(column).expr)
        return is_null(self.raw(column).expr)

    def age_days(self, column: str) -> exp.Expr:
        """Whole days from the cell's date to the as-of date (negative for later dates)."""
        return sq.days_between(self.dialect, self.date(column).expr, self.as_of.copy())

    # -- timestamps (event times) --------------------------------------------------------------

    def epoch_micros(self, column: str) -> Ref:
        """The cell as microseconds since 1970 UTC (coerce.timestamp); null when unreadable."""
        raw = self.raw(column).expr
        kind = self.kind(column)
        d = self.dialect
        if kind is Kind.timestamp:
            return self.cached(column, "micros", 0, lambda: sq.epoch_micros(d, raw))
        if kind is Kind.date:
            return self.cached(column, "micros", 0, lambda: self.day_micros(raw))
        if kind.is_exact_number or kind is Kind.float:

            def serial() -> exp.Expr:
                days = exp.cast(raw, "double")
                ok = sq.all_of(
                    exp.GTE(this=days, expression=exp.Literal.number(1)),
                    exp.LT(this=days.copy(), expression=exp.Literal.number(EXCEL_LAST)),
                )
                micros = exp.Mul(this=days.copy(), expression=exp.Literal.number(DAY_MICROS))
                offset = self.day_micros(sq.date_literal(EXCEL_EPOCH))
                return when(
                    ok, exp.Add(this=offset, expression=exp.cast(round_half_away(micros, 0), "bigint"))
                )

            return self.cached(column, "micros", 0, serial)
        if kind is Kind.boolean:
            return Ref(exp.cast(exp.Null(), "bigint"), -1)
        t = self.text(column)
        layer = t.next
        date_parts = [
            self.cached(column, f"ts_{part}", layer, self._part(t.expr, TIME_SHAPE, pattern))
            for part, pattern in (("year", ISO.year), ("month", ISO.month), ("day", ISO.day))
        ]
        parts = {
            name: self.cached(column, f"ts_{name}", layer, self._time_part(t.expr, name, pattern))
            for name, pattern in TIME_PARTS.items()
        }

        def build() -> exp.Expr:
            y, m, dd = (p.expr for p in date_parts)
            hour, minute, second = (parts[n].expr for n in ("hour", "minute", "second"))
            zone_h, zone_m = parts["zone_hours"].expr, parts["zone_minutes"].expr
            ok = sq.all_of(
                real_day(y, m, dd, sq.min_year(d)),
                exp.LTE(this=hour, expression=exp.Literal.number(23)),
                exp.LTE(this=minute, expression=exp.Literal.number(59)),
                exp.LTE(this=second, expression=exp.Literal.number(60)),
                exp.LTE(this=zone_h, expression=exp.Literal.number(23)),
                exp.LTE(this=zone_m, expression=exp.Literal.number(59)),
            )
            zone = mul(parts["zone_sign"].expr, add(mul(zone_h.copy(), 3600), mul(zone_m.copy(), 60)))
            seconds = add(
                mul(hour.copy(), 3600),
                mul(minute.copy(), 60),
                second.copy(),
                exp.Neg(this=exp.Paren(this=zone)),
            )
            micros = add(
                self.day_micros(sq.make_date(d, y.copy(), m.copy(), dd.copy())),
                mul(exp.Paren(this=seconds), 1_000_000),
                parts["fraction"].expr,
            )
            return when(ok, micros)

        return self.cached(column, "micros", layer + 1, build)

    def _time_part(self, t: exp.Expr, name: str, pattern: str) -> Callable[[], exp.Expr]:
        """One part of a timestamp as a whole number, 0 when the text leaves it out."""

        def build() -> exp.Expr:
            shaped = sq.regex_search(self.dialect, t.copy(), TIME_SHAPE)
            found = sq.regex_search(self.dialect, t.copy(), pattern)
            text = sq.regex_group(self.dialect, t.copy(), pattern)
            if name == "fraction":  # digits after the point, as microseconds (the engine truncates)
                text = sq.call("RPAD", text, exp.Literal.number(6), sq.string("0"))
            if name == "zone_sign":
                value: exp.Expr = when(
                    exp.EQ(this=text, expression=sq.string("-")),
                    exp.Literal.number(-1),
                    exp.Literal.number(1),
                )
            else:
                value = exp.cast(text, "bigint")
            return when(shaped, when(found, value, exp.Literal.number(1 if name == "zone_sign" else 0)))

        return build

    def day_micros(self, date: exp.Expr) -> exp.Expr:
        """Microseconds from 1970-01-01 to the start (UTC) of a DATE."""
        days = sq.days_between(self.dialect, sq.date_literal("1970-01-01"), date)
        return mul(exp.cast(days, "bigint"), DAY_MICROS)


def _number_boolean(raw: exp.Expr) -> exp.Expr:
    one, zero = exp.Literal.number(1), exp.Literal.number(0)
    return when(exp.EQ(this=raw, expression=one), exp.true()).when(
        exp.EQ(this=raw.copy(), expression=zero), exp.false()
    )


def _boolean_text(raw: exp.Expr) -> exp.Expr:
    return when(raw, sq.string("true")).when(exp.Not(this=raw.copy()), sq.string("false"))


def _float_text(raw: exp.Expr) -> exp.Expr:
    """3.0 is written 3, as the engine writes it; NaN (and, here, infinities) are missing."""
    whole = sq.all_of(
        exp.EQ(this=exp.Floor(this=raw.copy()), expression=raw.copy()),
        exp.LT(this=exp.Abs(this=raw.copy()), expression=sq.number(1e15)),
    )
    return (
        exp.Case()
        .when(exp.Not(this=sq.is_finite(raw.copy())), exp.Null())
        .when(whole, sq.cast_text(exp.cast(raw.copy(), "bigint")))
        .else_(sq.cast_text(raw.copy()))
    )


def _regex_replace(subject: exp.Expr, pattern: str, replacement: str) -> exp.Expr:
    """The first match of an anchored ``pattern`` replaced by plain text (no group references)."""
    return exp.RegexpReplace(this=subject, expression=sq.string(pattern), replacement=sq.string(replacement))
