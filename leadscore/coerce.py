"""Read a column as the kind of value an operator needs: text, number, date or yes/no.

Input files arrive untyped (CSV is read as text so that output reproduces every cell as the user
wrote it). Each function here takes the column's Polars dtype and returns an expression that
reads the column as the wanted kind, with placeholder values ("N/A", "Select", "-", blank) read
as missing. They are pure expression builders: nothing is evaluated here.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Conventions:
    """How the leads write dates and numbers as text, where a cell alone cannot say.

    ``dayfirst``: 03/04/2026 is 3 April (by default 4 March). ``decimal_comma``: 1.200 is twelve
    hundred and 1,200 is one point two (by default the other way round; see GROUPED_DOT).
    A file's reading settles them (:class:`leadscore.io.readers.ReadResult`); everything that
    reads a cell as a number or a date takes them from there.
    """

    dayfirst: bool = False
    decimal_comma: bool = False


# English, and the yes and no of European exports: Spanish, Italian, German, Dutch, French, Portuguese;
# TRUE and FALSE as Excel in those languages writes them when it saves a CSV (VRAI, WAHR, ...);
# and 1.0/0.0, as pandas writes a 0/1 column with blanks (a float column). One or two zeros only:
# 1.000 may be a thousand where the comma is the decimal mark.
TRUE_WORDS = ("yes", "y", "true", "t", "1", "1.0", "1.00", "sí", "si", "sì", "x", "on", "ja", "oui", "sim",
              "vrai", "wahr", "verdadero", "vero", "verdadeiro", "waar")  # fmt: skip
FALSE_WORDS = ("no", "n", "false", "f", "0", "0.0", "0.00", "off", "nein", "nee", "non", "não", "nao",
               "faux", "falsch", "falso", "onwaar")  # fmt: skip

# a first group of 0 is no thousands group: 0,125 is a decimal comma in any file
_THOUSANDS_COMMA = r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$"  # 1,234,567.5
# a dot before three digits is a thousands separator only where it cannot be a decimal point:
# 1.234.567 or 1.234,5 (a lone 1.200 stays one point two)
_THOUSANDS_DOT = r"^[+-]?\d{1,3}((\.\d{3}){2,}(,\d+)?|\.\d{3},\d+)$"
_DECIMAL_COMMA = r"^[+-]?\d*,\d+$"  # 12,5
_THOUSANDS_SPACE = r"^[+-]?\d{1,3}( \d{3})+([.,]\d+)?$"  # 1 234 567
# The two shapes the cell alone cannot settle: 1.200 and 1,200. Read as above (1.2 and 1200)
# unless the file writes the comma as its decimal mark, as Excel's ';'-separated CSV does; then
# 1.200 is twelve hundred and 1,200 is one point two (an amount, "1,200 €", still groups).
GROUPED_DOT = r"^[+-]?[1-9][0-9]{0,2}\.[0-9]{3}$"  # not 0.125
LONE_COMMA = r"^[+-]?[1-9][0-9]{0,2},[0-9]{3}$"  # not 0,125


def is_text(dtype: pl.DataType) -> bool:
    return dtype == pl.String or dtype == pl.Categorical or dtype == pl.Enum or dtype == pl.Null


def is_numeric(dtype: pl.DataType) -> bool:
    return dtype.is_numeric()


def is_temporal(dtype: pl.DataType) -> bool:
    return dtype == pl.Date or isinstance(dtype, pl.Datetime)


def text(expr: pl.Expr, dtype: pl.DataType, null_values: Sequence[str]) -> pl.Expr:
    """The cell as trimmed text, case kept; placeholders and blanks become null."""
    if dtype == pl.Boolean:
        return pl.when(expr).then(pl.lit("true")).when(~expr).then(pl.lit("false")).cast(pl.String)
    if isinstance(dtype, pl.Float32 | pl.Float64):
        expr = pl.when(expr.is_nan()).then(None).otherwise(expr)
        # 3.0 is written 3 so that `equals = "3"` and `in = ["3"]` read as people expect
        whole = (expr.round(0) == expr) & (expr.abs() < 1e15)
        as_int = expr.cast(pl.Int64).cast(pl.String)
        return pl.when(whole).then(as_int).otherwise(expr.cast(pl.String))
    s = expr.cast(pl.String).str.strip_chars()
    return pl.when(is_placeholder(s, null_values)).then(None).otherwise(s)


def is_placeholder(trimmed: pl.Expr, null_values: Sequence[str]) -> pl.Expr:
    """Whether trimmed text is blank or a placeholder ("N/A", "Select"...), in any case."""
    spellings = null_spellings(tuple(null_values))
    if spellings is not None:  # the same test without lower-casing every cell
        return trimmed.is_in(spellings)
    return trimmed.str.to_lowercase().is_in(lowered_nulls(null_values))


def lowered_nulls(null_values: Sequence[str]) -> list[str]:
    """The placeholders as :func:`text` compares them: trimmed and lower-cased, blank included."""
    return sorted({v.strip().lower() for v in null_values} | {""})


_SPELLINGS_LIMIT = 5_000


@functools.lru_cache(maxsize=8)
def null_spellings(null_values: tuple[str, ...]) -> list[str] | None:
    """Every cell whose lower case is a placeholder ("n/a" -> n/a, N/a, n/A, N/A), or None.

    A cell is a placeholder when its lower case is one; comparing it with every spelling gives
    the same answer without lower-casing the cell. For ASCII placeholders the spellings are
    each letter in either case, plus the Kelvin sign for k: the one non-ASCII character whose
    lower case is ASCII. None when the placeholders are not ASCII, or have too many spellings.
    """
    placeholders = lowered_nulls(null_values)
    if not all(p.isascii() for p in placeholders):
        return None
    if sum(2 ** sum(c.isalpha() for c in p) for p in placeholders) > _SPELLINGS_LIMIT:
        return None
    spellings = []
    for p in placeholders:
        options = [sorted({c, c.upper(), *(["\u212a"] if c == "k" else [])}) for c in p]
        spellings += ["".join(chars) for chars in itertools.product(*options)]
    return spellings


def folded(expr: pl.Expr, dtype: pl.DataType, null_values: Sequence[str]) -> pl.Expr:
    """Trimmed, lower-cased text: what text comparisons (equals, in, contains) look at."""
    return text(expr, dtype, null_values).str.to_lowercase()


def number(
    expr: pl.Expr, dtype: pl.DataType, null_values: Sequence[str], *, decimal_comma: bool = False
) -> pl.Expr:
    """The cell as a Float64; numbers written as text ("1,200", " 45 ", "12,5", "30%") included.

    ``decimal_comma``: the file writes the comma as its decimal mark (see :data:`GROUPED_DOT`).
    """
    if dtype == pl.Boolean:
        return expr.cast(pl.Float64)
    if is_numeric(dtype):
        f = expr.cast(pl.Float64)
        return pl.when(f.is_nan() | f.is_infinite()).then(None).otherwise(f)
    if is_temporal(dtype) or not is_text(dtype):
        return pl.lit(None, dtype=pl.Float64)
    return parse_number(text(expr, dtype, null_values), decimal_comma=decimal_comma)


# A currency mark an amount may be written with, before or after it: a currency symbol, a dollar
# with its country (US$, R$), a three-letter code in capitals (USD, EUR), or the Nordic "kr".
# Alternatives never match at the same place, so every regex engine takes the same mark.
CURRENCY_SYMBOLS = "$€£¥₹₩₽₺₪₫₱₦฿₴₡₲"
_MARK = rf"([A-Z]{{1,2}}\$|[{CURRENCY_SYMBOLS}]|[A-Z]{{3}}|kr)"
# Where a mark is taken off, as (pattern, replacement): a sign before it stays ("-$500" is -500).
# Plain replacement text (no group references), so that every SQL dialect can do the same.
CURRENCY_EDITS = (
    (rf"^-{_MARK} *", "-"),
    (rf"^\+{_MARK} *", "+"),
    (rf"^{_MARK} *", ""),
    (rf" *{_MARK}$", ""),
)
# the same edits as one regex: the mark in front (its sign kept as group 1), or the one at the end
_CURRENCY = rf"^([+-]?){_MARK} *| *{_MARK}$"
# An amount with one dot before three digits: money has no third decimal, so the dot groups
# thousands ("1.200 €" is 1200), where a bare 1.200 is one point two.
MONEY_THOUSANDS_DOT = r"^[+-]?[1-9][0-9]{0,2}\.[0-9]{3}$"


# An accounting negative: the amount in brackets, a currency mark outside them allowed, no sign
# ("(1,200)", "($1,200.00)", "$(1,200.00)", "(1.200 €)"). Read as the amount with a minus sign.
ACCOUNTING = rf"^({_MARK} *)?\([^()+-]+\)( *{_MARK})?$"


def number_text(s: pl.Expr) -> pl.Expr:
    """Trimmed text with no-break spaces and a trailing % removed, and brackets around an amount
    turned into a minus sign (:data:`ACCOUNTING`): the input of parse_clean_number."""
    s = s.str.replace_all("\u00a0", " ", literal=True).str.strip_chars()
    negative = pl.lit("-") + s.str.replace_all("[()]", "").str.strip_chars()
    s = pl.when(s.str.contains(ACCOUNTING)).then(negative).otherwise(s)
    return s.str.strip_suffix("%").str.strip_chars()


def parse_clean_number(s: pl.Expr, *, decimal_comma: bool = False) -> pl.Expr:
    """Parse number_text's output: thousands separators and decimal commas, both conventions, and
    amounts with a currency mark ("$1,200", "1.200 €", "USD 500"; see :data:`CURRENCY_EDITS`).
    With ``decimal_comma``, 1.200 is 1200 and 1,200 is 1.2 (:data:`GROUPED_DOT`).

    ``s`` should be a column reference: each branch reads it again.
    """
    amount = s.str.replace_all(_CURRENCY, "${1}")  # CURRENCY_EDITS in one pass
    amount = (
        pl.when(amount.str.contains(MONEY_THOUSANDS_DOT))
        .then(amount.str.replace(".", "", literal=True))
        .otherwise(amount)
    )
    # Most cells have no mark, and Polars skips a branch no row of a batch takes: a batch without
    # any amount costs one regex test, not the replacements.
    plain = s
    if decimal_comma:
        plain = (
            pl.when(s.str.contains(GROUPED_DOT))
            .then(s.str.replace(".", "", literal=True))
            .when(s.str.contains(LONE_COMMA))
            .then(s.str.replace(",", ".", literal=True))
            .otherwise(s)
        )
    value = pl.when(s.str.contains(_CURRENCY)).then(_separated(amount)).otherwise(_separated(plain))
    return finite(value)


def _separated(s: pl.Expr) -> pl.Expr:
    """Text with thousands separators or a decimal comma as a Float64 (null when not a number)."""
    s = (
        pl.when(s.str.contains(_THOUSANDS_COMMA))
        .then(s.str.replace_all(",", "", literal=True))
        .when(s.str.contains(_THOUSANDS_DOT))
        .then(s.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(s.str.contains(_DECIMAL_COMMA))
        .then(s.str.replace(",", ".", literal=True))
        .when(s.str.contains(_THOUSANDS_SPACE))
        .then(s.str.replace_all(" ", "", literal=True).str.replace(",", ".", literal=True))
        .otherwise(s)
    )
    return s.cast(pl.Float64, strict=False)


def parse_number(s: pl.Expr, *, decimal_comma: bool = False) -> pl.Expr:
    """Parse trimmed text into Float64 (number_text then parse_clean_number, in one expression)."""
    return parse_clean_number(number_text(s), decimal_comma=decimal_comma)


# ---------------------------------------------------------------------------------------------
# Fast paths. Most cells of an export are plainly written: 42, 2026-10-31, yes. Each function below
# reads only such cells, straight from the raw text, and gives null for every other cell; the
# reader then runs the full reading (trim, placeholders, separators, formats) on those others
# only. A cell a fast path reads always gets the value the full reading would give it, by
# construction (see each function), so the split never changes a result, only its cost.


def case_spellings(word: str) -> list[str]:
    """Every way to write ``word`` in upper and lower case: ``"on"`` -> on, oN, On, ON."""
    options = [
        sorted({c, c.upper()}) if len(c.upper()) == 1 and c.upper().lower() == c else [c] for c in word
    ]
    return ["".join(chars) for chars in itertools.product(*options)]


def _castable_null_spellings(null_values: Sequence[str]) -> list[str]:
    """Spellings of placeholders that a plain Float64 cast would read as a number (e.g. "0")."""
    # A cast reads only digits, signs, dots, exponents and inf/infinity/nan: a placeholder made of
    # anything else can never be read as a number, so only these are worth spelling out.
    spellings = []
    for value in lowered_nulls(null_values):
        if value and set(value) <= set("0123456789+-.einfaty") and len(value) <= 12:
            spellings += case_spellings(value)
    if not spellings:
        return []
    candidates = pl.Series(spellings, dtype=pl.String)
    return candidates.filter(candidates.cast(pl.Float64, strict=False).is_not_null()).to_list()


def fast_number(raw: pl.Expr, null_values: Sequence[str], *, decimal_comma: bool = False) -> pl.Expr:
    """Plain numbers (42, -3.5, 1e3) read by a cast; null for every other cell.

    A cell the cast reads has no spaces, commas, no-break spaces or %, so trimming and
    :func:`parse_clean_number` leave it as it is; placeholders that would cast ("0", say) and
    NaN or infinities (which the full reading makes null) are left to the full reading, and so
    is 1.200 when the file writes a decimal comma (it is then twelve hundred).
    """
    value = finite(raw.cast(pl.Float64, strict=False))
    spellings = _castable_null_spellings(null_values)
    left = raw.is_in(spellings) if spellings else None
    if decimal_comma:
        grouped = raw.str.contains(GROUPED_DOT)
        left = grouped if left is None else left | grouped
    return value if left is None else pl.when(~left).then(value)


ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"


def fast_date(raw: pl.Expr, null_values: Sequence[str]) -> pl.Expr:
    """Dates written exactly ``yyyy-mm-dd``; null for every other cell.

    Such a cell is its own trimmed text, and :func:`parse_date` tries ``%Y-%m-%d`` on it first.
    (The pattern is needed: ``to_date`` alone also reads ``+2026-01-05``, which parse_date does not.)
    """
    nulls = pl.Series(lowered_nulls(null_values), dtype=pl.String)
    spellings = nulls.filter(nulls.str.contains(ISO_DAY)).to_list()
    plain = raw.str.contains(ISO_DAY)
    if spellings:
        plain = plain & ~raw.is_in(spellings)
    day = raw.str.to_date("%Y-%m-%d", strict=False)
    return pl.when(plain & (day.dt.year() >= 1)).then(day)


def fast_boolean(raw: pl.Expr, null_values: Sequence[str]) -> pl.Expr:
    """Yes/no words written without spaces, in any case (Yes, TRUE, n); null for every other cell."""
    placeholders = set(lowered_nulls(null_values))

    def spellings(words: Sequence[str]) -> list[str]:
        return [s for word in words if word not in placeholders for s in case_spellings(word)]

    return yes_no(raw, spellings(TRUE_WORDS), spellings(FALSE_WORDS))


def yes_no(s: pl.Expr, true_words: Sequence[str], false_words: Sequence[str]) -> pl.Expr:
    """True for the true words, False for the false ones, null for anything else.

    (Two membership tests rather than ``replace_strict``: that one cannot run a batch at a time,
    so it would make the streaming engine hold every column of every lead at once.)
    """
    return pl.when(s.is_in(true_words)).then(True).when(s.is_in(false_words)).then(False)


def only_where(mask: pl.Expr, value: pl.Expr) -> pl.Expr:
    """``value`` where ``mask`` holds, null elsewhere: for a reading of the few cells a fast path
    left. Polars evaluates ``value`` only for a batch where ``mask`` holds somewhere, so a batch
    the fast path read whole costs one test (a regex replacement costs about 0.1 s per million
    cells even when every one of them is null)."""
    return pl.when(mask).then(value)


def read_where(mask: pl.Expr, cells: pl.Expr, reading: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """``reading`` of the ``cells`` where ``mask`` holds, null elsewhere: the reading sees those
    cells only, and a batch where there are none skips it (:func:`only_where`)."""
    return only_where(mask, reading(pl.when(mask).then(cells)))


def finite(value: pl.Expr) -> pl.Expr:
    """NaN and infinities as null: they are not numbers a rule can use."""
    return pl.when(value.is_nan() | value.is_infinite()).then(None).otherwise(value)


EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(expr: pl.Expr, dtype: pl.DataType, null_values: Sequence[str], *, dayfirst: bool = False) -> pl.Expr:
    """The cell as a Date.

    Dates and datetimes keep their calendar day (in their own time zone). Text is read as ISO
    (``2026-11-01``, with or without a time), then ``yyyy/mm/dd``, then ``mm/dd/yyyy`` (or
    ``dd/mm/yyyy`` with ``dayfirst``), then ``dd.mm.yyyy``, then with an English month name
    (``20-Nov-2026``, ``20 November 2026``, ``Nov 20, 2026``; ``20-Nov-26`` is 2026), each
    with or without a time after it; then four or five digits, Excel's serial day. Number
    cells are Excel serial days.
    """
    if dtype == pl.Date:
        return expr
    if isinstance(dtype, pl.Datetime):
        return expr.dt.date()
    if is_numeric(dtype):
        return excel_serial(expr.cast(pl.Float64))
    if not is_text(dtype):
        return pl.lit(None, dtype=pl.Date)
    return parse_date(text(expr, dtype, null_values), dayfirst=dayfirst)


def parse_date(s: pl.Expr, *, dayfirst: bool = False) -> pl.Expr:
    """Parse trimmed text into a Date (see :func:`date` for the formats)."""
    slashed = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    read = pl.coalesce(
        s.str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})").str.to_date("%Y-%m-%d", strict=False),
        # strptime's %Y takes one to four digits: the shapes let only a four-digit year through
        leading_date(s, YMD).str.to_date("%Y/%m/%d", strict=False),
        leading_date(s, SLASHED).str.to_date(slashed, strict=False),
        leading_date(s, DOTTED).str.to_date("%d.%m.%Y", strict=False),
        named_month_date(s),
        pl.when(s.str.contains(r"^\d{4,5}(\.\d+)?$")).then(excel_serial(s.cast(pl.Float64, strict=False))),
    )
    return pl.when(read.dt.year() >= 1).then(read)  # the year 0000 is no day


# The shapes of a date in text other than ISO, in the order they are tried. Each may be followed
# by a time (DATE_END), which is not read. leadscore.sql.formats reads the same in SQL.
YMD = r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}"  # 2026/11/20
SLASHED = r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"  # 11/20/2026, or 20/11/2026 with dayfirst
DOTTED = r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}"  # 20.11.2026
NAMED_DMY = r"[0-9]{1,2}[- ][A-Za-z]{3,9}\.?[- ][0-9]{4}"  # 20-Nov-2026, 20 November 2026
NAMED_DMY_SHORT = r"[0-9]{1,2}[- ][A-Za-z]{3,9}\.?[- ][0-9]{2}"  # 20-Nov-26 (Excel's d-mmm-yy)
NAMED_MDY = r"[A-Za-z]{3,9}\.? [0-9]{1,2},? [0-9]{4}"  # Nov 20 2026, November 20, 2026
DATE_END = r"($|[ T])"
SHORT_YEAR_PIVOT = 30  # as Excel reads them: a two-digit year below 30 is 20xx, from 30 on 19xx
# the parts of a date with a month name, each the one capture group of a pattern over the date
NAMED_DAY_FIRST = r"^([0-9]{1,2})[- ]"  # 20-Nov-2026
NAMED_DAY_AFTER_MONTH = r"^[A-Za-z]{3,9}\.? ([0-9]{1,2})"  # Nov 20, 2026
NAMED_MONTH = r"([A-Za-z]{3,9})"
NAMED_YEAR = r"([0-9]{2,4})$"
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")  # fmt: skip


def month_spellings(number: int) -> list[str]:
    """How month ``number`` (1 to 12) may be written, lower-cased: its English name, its first
    three letters, and "sept" for September."""
    name = MONTH_NAMES[number - 1]
    return [name, name[:3], *(["sept"] if number == 9 else [])]


def leading_date(s: pl.Expr, shape: str) -> pl.Expr:
    """The date at the start of the text when it has ``shape`` and nothing or a time follows."""
    return s.str.extract(rf"^({shape}){DATE_END}")


def named_month_date(s: pl.Expr) -> pl.Expr:
    """A date written with an English month name: ``20-Nov-2026``, ``20-Nov-26``, ``Nov 20, 2026``."""
    written = pl.coalesce(leading_date(s, NAMED_DMY), leading_date(s, NAMED_MDY))
    short = leading_date(s, NAMED_DMY_SHORT)
    either = pl.coalesce(written, short)
    day = pl.coalesce(either.str.extract(NAMED_DAY_FIRST), either.str.extract(NAMED_DAY_AFTER_MONTH))
    month = either.str.extract(NAMED_MONTH).str.to_lowercase()
    year = either.str.extract(NAMED_YEAR).cast(pl.Int32)
    year = (
        pl.when(short.is_null())
        .then(year)
        .when(year < SHORT_YEAR_PIVOT)
        .then(year + 2000)
        .otherwise(year + 1900)
    )
    # a chain of is_in, not replace_strict: that one made the scoring query hold 0.3 GB more at 1M
    number = pl.lit(None, dtype=pl.Int32)
    for n in range(12, 0, -1):
        number = pl.when(month.is_in(month_spellings(n))).then(n).otherwise(number)
    return pl.format("{}-{}-{}", year, number, day).str.to_date("%Y-%m-%d", strict=False)


def excel_serial(days: pl.Expr) -> pl.Expr:
    """Excel's serial day number (1900 date system) as a Date; out-of-range numbers are null."""
    ok = (days >= 1) & (days < 2_958_466)
    return pl.when(ok).then(pl.lit(EXCEL_EPOCH) + pl.duration(days=days.floor().cast(pl.Int64, strict=False)))


def boolean(expr: pl.Expr, dtype: pl.DataType, null_values: Sequence[str]) -> pl.Expr:
    """The cell as yes/no: true/false, yes/no, y/n, 1/0 (1.0/0.0), sí, ja/nein, oui/non... (TRUE_WORDS,
    FALSE_WORDS); anything else is null."""
    if dtype == pl.Boolean:
        return expr
    if is_numeric(dtype):
        f = expr.cast(pl.Float64)
        return pl.when(f == 1).then(True).when(f == 0).then(False)
    return parse_boolean(text(expr, dtype, null_values))


def parse_boolean(s: pl.Expr) -> pl.Expr:
    """Yes/no words (any case) as booleans; other text is null."""
    return yes_no(s.str.to_lowercase(), TRUE_WORDS, FALSE_WORDS)


def timestamp(expr: pl.Expr, dtype: pl.DataType, null_values: Sequence[str]) -> pl.Expr:
    """The cell as a UTC datetime. Text without a zone is UTC; a date alone is its midnight UTC.

    Accepts ISO 8601 with ``T`` or a space, with ``Z`` or ``+02:00`` or no zone, with or without
    seconds and fractions; Excel date cells (datetimes, dates, or serial numbers with a fraction).
    One expression of the steps of :func:`timestamp_steps` (each step's input computed again in
    every place it is used: for a big column, add the steps as columns instead).
    """
    value: pl.Expr | None = None
    for step in timestamp_steps(expr, dtype, null_values):
        value = step(value)
    assert value is not None
    return value


TimestampStep = Callable[[pl.Expr | None], pl.Expr]


def timestamp_steps(expr: pl.Expr, dtype: pl.DataType, null_values: Sequence[str]) -> list[TimestampStep]:
    """:func:`timestamp` as steps, each a function of the one before (None for the first).

    Text is read by the fast path's three shapes in turn (:data:`_TIMESTAMP_SHAPES`), then by
    the full reading; each step reads only the cells left unread, and in a batch with none left
    costs one test (:func:`only_where`). An activity log is nearly all of the first shape, so
    most of its batches skip everything after it.
    """
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            return [lambda _: expr.dt.cast_time_unit("us").dt.replace_time_zone("UTC")]
        return [lambda _: expr.dt.cast_time_unit("us").dt.convert_time_zone("UTC")]
    if dtype == pl.Date:
        return [lambda _: expr.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")]
    if is_numeric(dtype):
        return [lambda _: excel_timestamp(expr.cast(pl.Float64))]
    if not is_text(dtype):
        return [lambda _: pl.lit(None, dtype=pl.Datetime("us", "UTC"))]
    raw = expr if dtype == pl.String else expr.cast(pl.String)
    shapes = fast_timestamp_shapes(raw, null_values)
    if shapes is None:
        return [lambda _: parse_timestamp(text(expr, dtype, null_values))]

    def after(read: pl.Expr | None, reading: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
        """``read``, and where it is null, ``reading`` of the cells left."""
        if read is None:
            return reading(raw)
        return pl.coalesce(read, read_where(read.is_null() & raw.is_not_null(), raw, reading))

    def full(cells: pl.Expr) -> pl.Expr:
        return parse_timestamp(text(cells, pl.String(), null_values))

    steps: list[TimestampStep] = [functools.partial(after, reading=shape) for shape in shapes]
    return [*steps, functools.partial(after, reading=full)]


# The shapes nearly every export writes, in ASCII digits: 2026-10-03T14:22:05Z,
# 2026-10-03T14:22:05+02:00 and 2026-10-03 14:22:05 (UTC).
_DAY_TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
_TIMESTAMP_SHAPES = (
    (rf"^{_DAY_TIME.replace('[T ]', 'T')}Z$", "%Y-%m-%dT%H:%M:%SZ", True),
    (rf"^{_DAY_TIME.replace('[T ]', 'T')}[+-][0-9]{{2}}:[0-9]{{2}}$", "%Y-%m-%dT%H:%M:%S%:z", True),
    (rf"^{_DAY_TIME.replace('[T ]', ' ')}$", "%Y-%m-%d %H:%M:%S", False),
)


def fast_timestamp_shapes(
    raw: pl.Expr, null_values: Sequence[str]
) -> list[Callable[[pl.Expr], pl.Expr]] | None:
    """Readings of the three common shapes, one strptime each; each gives null for other cells.

    Each takes the cells to read (``raw``, or ``raw`` where earlier steps left it unread).
    :func:`parse_timestamp` rewrites such a cell into the very fields each format here reads,
    so both give the same instant. Placeholders of these shapes are left to the full reading;
    None when they cannot all be spelled out (see :func:`null_spellings`).
    """
    spellings = null_spellings(tuple(null_values))
    if spellings is None:
        return None
    candidates = pl.Series(spellings, dtype=pl.String)

    def shape_reading(shape: str, fmt: str, zoned: bool) -> Callable[[pl.Expr], pl.Expr]:
        excluded = candidates.filter(candidates.str.contains(shape)).to_list()

        def read(cells: pl.Expr) -> pl.Expr:
            plain = cells.str.contains(shape)
            if excluded:
                plain = plain & ~cells.is_in(excluded)
            mine = pl.when(plain).then(cells)  # each format reads only its own cells: a failed parse costs
            if zoned:
                return mine.str.to_datetime(fmt, time_unit="us", time_zone="UTC", strict=False)
            return mine.str.to_datetime(fmt, time_unit="us", strict=False).dt.replace_time_zone("UTC")

        return read

    return [shape_reading(*shape) for shape in _TIMESTAMP_SHAPES]


def parse_timestamp(s: pl.Expr) -> pl.Expr:
    """Parse trimmed ISO text into a UTC datetime.

    Every accepted form is first rewritten into one shape, ``YYYY-MM-DDTHH:MM:SS[.f]+HHMM``, by a
    chain of replacements (each applied once to the previous result), so one strptime reads all.
    """
    canonical = (
        s.str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})$", "${1}T00:00:00")
        .str.replace(r"^(\d{4}-\d{1,2}-\d{1,2}) +", "${1}T")
        .str.replace(r"(?i) *Z$", "+0000")
        .str.replace(r" *([+-]\d{2}):?(\d{2})$", "${1}${2}")
        .str.replace(r"T(\d{1,2}):(\d{1,2})([+-]\d{4})?$", "T${1}:${2}:00${3}")
        .str.replace(r"(:\d{1,2}(\.\d+)?)$", "${1}+0000")
    )
    return canonical.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", time_unit="us", time_zone="UTC", strict=False)


def excel_timestamp(days: pl.Expr) -> pl.Expr:
    """Excel's serial day number with its fraction of a day, as a UTC datetime."""
    ok = (days >= 1) & (days < 2_958_466)
    micros = (days * 86_400_000_000).round(0).cast(pl.Int64, strict=False)  # NaN: not ok
    base = pl.lit(dt.datetime(1899, 12, 30), dtype=pl.Datetime("us"))
    return pl.when(ok).then(base + pl.duration(microseconds=micros)).dt.replace_time_zone("UTC")
