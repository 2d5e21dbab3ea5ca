"""Write a frame as an .xlsx workbook made to be read by a person.

Bold frozen header with filters, columns as wide as their content, dates as dates, tiers in
their colours, and text stored as text: a lead named "=HYPERLINK(...)" stays a name, never a
formula.

CSV is read as text, so a column of visits arrives as text. A text column is written as
numbers (or dates) only when that loses nothing: every cell is a number Excel shows back
exactly as written (``12``, ``-3``, ``4.5``; not ``00123``, ``4.50``, ``+33``, ``1,200``, ``1e5``
or more than 15 digits), or one of the placeholders an export writes for "no value" ("N/A",
"-", "Select", blank), which stay text cells that SUM skips. One cell of any other kind keeps
the whole column text, so an id column is never half numbers. Each number gets the format
that shows its own digits (``0``, ``0.0``, ``0.00``...), whatever Excel's General format would
round. Time zones: Excel has none, so zoned datetimes are written in UTC, shown as
``2026-11-03 09:30 UTC``.

The workbook is written here rather than through a cell-by-cell library: the sheet's XML is
built by Polars a column at a time (a cell-by-cell writer spends some 6 µs of Python a cell:
17 s for 100k leads); the other parts are small fixed texts (:mod:`leadscore.io.xlsx_parts`).
Cells are inline strings, numbers, booleans and errors, never formulas. The tests read the workbooks back
with openpyxl and with fastexcel, the reader leadscore uses.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import polars as pl

from leadscore.coerce import is_placeholder
from leadscore.errors import UsageError
from leadscore.io import xlsx_parts as parts
from leadscore.model import DEFAULT_NULL_VALUES

if TYPE_CHECKING:
    from leadscore.io.writers import XlsxStyle

MIN_WIDTH, MAX_WIDTH = 6, 50
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's own limits, header row included
MAX_TEXT = 32_767  # characters in a cell; Excel refuses a workbook with more
ROWS_AT_A_TIME = 20_000  # rows of XML built at once
_SAMPLE_ROWS = 1_000  # rows that rule most text columns out of being numbers or dates
_EXACT_INTEGERS = 2**53  # beyond this Excel (a float) would change the digits: write as text
_UNIX_EPOCH = 25_569  # Excel's serial number of 1970-01-01 (Excel counts 1900 as a leap year)
_DAY_US = 86_400 * 10**6
_DAY_NS = _DAY_US * 1000

# A number as Excel shows it back: no sign but '-', no leading zero, no trailing zero after
# the point, no grouping or exponent. At most 15 digits (leading zeros of 0.05 aside): Excel
# keeps 15 significant digits, so an account number of 16 stays text.
_PLAIN_NUMBER = rf"^-?(0|[1-9][0-9]*)(\.[0-9]{{0,{parts.MAX_DECIMALS - 1}}}[1-9])?$"
_MAX_DIGITS = 15
_DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}( ([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)?$"
_EXCEL_DATES = (dt.datetime(1900, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999_999))
_CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: f"_x{ord(c):04X}_" for c in _CONTROL}}


def write_xlsx(frame: pl.DataFrame, path: Path | IO[bytes], style: XlsxStyle) -> None:
    """Write ``frame`` (no nested columns) to ``path`` (or an open binary file) as one sheet."""
    if frame.height + 1 > MAX_ROWS or frame.width > MAX_COLUMNS:
        raise UsageError(
            f"{frame.height:,} rows and {frame.width:,} columns do not fit in an Excel sheet "
            f"(at most {MAX_ROWS - 1:,} rows and {MAX_COLUMNS:,} columns); write .csv or .parquet"
        )
    tiers = _Tiers.of(style)
    letters = [column_letter(i) for i in range(frame.width)]
    last = f"{letters[-1]}{frame.height + 1}" if frame.width else "A1"
    area = f"A1:{last}" if frame.width else None
    big = frame.height * frame.width > 10_000_000  # the sheet may pass 2 GiB: zip's 64-bit sizes
    kinds = _kinds(frame, style.tier_column, style.percent_columns)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.fixed(tiers.colours, area).items():
            package.writestr(parts.entry(name), text)
        # opened by name, the part gets ZipInfo's fixed date (1980) and the package's deflate
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=big) as sheet:
            sheet.write(parts.sheet_head(_widths(frame, kinds), area).encode())
            sheet.write(_header_row(frame.columns, letters).encode())
            cells = [
                _cell(index, dtype, kind, letter, tiers if name == style.tier_column else None)
                for index, ((name, dtype), kind, letter) in enumerate(
                    zip(frame.schema.items(), kinds, letters, strict=True)
                )
            ]
            for start in range(0, frame.height, ROWS_AT_A_TIME):
                numbered = (pl.int_range(pl.len()) + start + 2).cast(pl.String).alias(_ROW)  # row 1: header
                rows = frame.slice(start, ROWS_AT_A_TIME).with_columns(numbered)
                sheet.write(rows.select(_row(cells).str.join("")).item().encode())
            sheet.write(parts.sheet_tail(area).encode())


def cut_texts(frame: pl.DataFrame) -> dict[str, int]:
    """For each column written as text, how many of its cells are longer than ``MAX_TEXT``
    characters, the most an Excel cell holds: :func:`write_xlsx` cuts them there. Columns with
    none are left out.
    """
    texts = [
        (name, _as_text(pl.nth(i), dtype))
        for i, (name, dtype) in enumerate(frame.schema.items())
        if dtype in (pl.String, pl.Categorical, pl.Binary) or isinstance(dtype, pl.Enum)
    ]
    counts = _aggregated(frame, [(text.str.len_chars() > MAX_TEXT).sum() for _, text in texts])
    return {name: int(count) for (name, _), count in zip(texts, counts, strict=True) if count}


def column_letter(index: int) -> str:
    """Excel's name for the column at 0-based ``index``: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class _Tiers:
    """Tier colours: each tier (lower case) and its cell style, the colours in style order."""

    styles: dict[str, int]
    colours: tuple[str, ...]

    @classmethod
    def of(cls, style: XlsxStyle) -> _Tiers:
        colours: list[str] = []
        styles: dict[str, int] = {}
        for tier, colour in style.tier_colors.items():
            styles[tier.lower()] = parts.FIRST_TIER + len(colours)  # a later spelling wins, as before
            colours.append("FF" + colour.lstrip("#").upper())
        return cls(styles, tuple(colours))


# --- what each column becomes ---------------------------------------------------------------

# Text columns written as numbers or as dates; any other column is written as its type says.
_NUMBERS, _DATES, _AS_TYPED = "numbers", "dates", "as typed"


def _kinds(frame: pl.DataFrame, tier_column: str, percent_columns: Sequence[str] = ()) -> list[str | int]:
    """For each column: how its cells are written, settled by a look at the whole column.

    A text column is _NUMBERS or _DATES when every cell that is not a placeholder is one (and
    one cell at least); a datetime column gets its cell style (seconds shown when some have
    them), and so does a float column of ``percent_columns``; every other column is _AS_TYPED.
    """
    kinds: list[str | int] = [_AS_TYPED] * frame.width
    schema = list(frame.schema.items())
    for i, (name, dtype) in enumerate(schema):
        if name in percent_columns and dtype.is_float():
            kinds[i] = parts.PERCENT
    texts = [i for i, (name, dtype) in enumerate(schema) if dtype == pl.String and name != tier_column]
    moments = [i for i, (_, dtype) in enumerate(schema) if isinstance(dtype, pl.Datetime)]
    tests = {_NUMBERS: _plain_number, _DATES: _date_text}

    def every(i: int, kind: str) -> pl.Expr:  # nulls aside
        return (tests[kind](pl.nth(i)) | _placeholder(pl.nth(i))).all()

    # Names, e-mails and the like fail in their first rows: only the others are read whole.
    pairs = [(i, kind) for i in texts for kind in tests]
    sample = _one_row(frame.head(_SAMPLE_ROWS), [every(i, kind) for i, kind in pairs])
    candidates = [pair for pair, passed in zip(pairs, sample, strict=True) if passed]
    walls = [_wall_time(pl.nth(i), schema[i][1])[0] for i in moments]
    seconds = [((wall.dt.second() != 0) | (wall.dt.nanosecond() != 0)).any() for wall in walls]
    found = _one_row(
        frame, [every(i, kind) & tests[kind](pl.nth(i)).any() for i, kind in candidates] + seconds
    )
    for (i, kind), yes in zip(candidates, found[: len(candidates)], strict=True):
        if yes:
            kinds[i] = kind
    for i, with_seconds in zip(moments, found[len(candidates) :], strict=True):
        if getattr(schema[i][1], "time_zone", None):
            kinds[i] = parts.UTC_SECONDS if with_seconds else parts.UTC_MINUTES
        else:
            kinds[i] = parts.SECONDS if with_seconds else parts.MINUTES
    return kinds


def _one_row(frame: pl.DataFrame, checks: Sequence[pl.Expr]) -> list[bool]:
    """Each check (an aggregate) over ``frame``; False for all on an empty frame."""
    return [bool(v) for v in _aggregated(frame, checks)]


def _aggregated(frame: pl.DataFrame, aggregates: Sequence[pl.Expr]) -> list[Any]:
    """Each aggregate over ``frame``, in one pass; None for all on an empty frame."""
    if not aggregates or frame.height == 0:
        return [None] * len(aggregates)
    return list(frame.select(a.alias(f"c{n}") for n, a in enumerate(aggregates)).row(0))


def _plain_number(text: pl.Expr) -> pl.Expr:
    """The text is a number Excel shows back as written (see _PLAIN_NUMBER)."""
    digits = text.str.len_bytes() - text.str.count_matches(r"[-.]")  # 15 at most, but 0.05's zeros
    short = (digits <= _MAX_DIGITS) | text.str.contains(r"^-?0\.")  # 0.x has 15 decimals at most
    return text.str.contains(_PLAIN_NUMBER) & (text != "-0") & short


def _date_text(text: pl.Expr) -> pl.Expr:
    """The text is a date Excel can hold, written 2026-11-03, 2026-11-03 09:30 or 2026-11-03 09:30:15."""
    return _text_moment(text).is_not_null()


def _placeholder(text: pl.Expr) -> pl.Expr:
    """A cell an export writes for "no value": blank, "N/A", "-", "Select" (any case)."""
    return is_placeholder(text.str.strip_chars(), DEFAULT_NULL_VALUES)


def _text_moment(text: pl.Expr) -> pl.Expr:
    """The instant a date text (2026-11-03, 2026-11-03 09:30, 2026-11-03 09:30:15) names, if
    Excel can hold it; else null."""
    width = text.str.len_bytes()
    full = pl.when(width == 10).then(text + " 00:00:00").when(width == 16).then(text + ":00").otherwise(text)
    moment = full.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
    return pl.when(text.str.contains(_DATE_TEXT) & moment.is_between(*_EXCEL_DATES)).then(moment)


def _wall_time(value: pl.Expr, dtype: pl.DataType) -> tuple[pl.Expr, str]:
    """A datetime as Excel will show it (a zoned one in UTC: Excel has no time zones), and the
    text that names the zone."""
    if getattr(dtype, "time_zone", None):
        return value.dt.convert_time_zone("UTC").dt.replace_time_zone(None), " UTC"
    return value, ""


# --- cells ---------------------------------------------------------------------------------

_ROW = "__ls_xlsx_row"


def _row(cells: Sequence[pl.Expr]) -> pl.Expr:
    """``<row r="2">`` and the row's cells, numbered by the column ``_ROW``."""
    return pl.concat_str([pl.lit('<row r="'), pl.col(_ROW), pl.lit('">'), *cells, pl.lit("</row>")])


def _cell(index: int, dtype: pl.DataType, kind: str | int, letter: str, tiers: _Tiers | None) -> pl.Expr:
    """The XML of each cell of a column (empty for a null), chosen by the column's type and kind.

    The column is taken by position: pl.col("*") would be every column.
    """
    value = pl.nth(index)
    if kind == _NUMBERS:
        return _number_cell(letter, value)
    if kind == _DATES:
        return _date_text_cell(letter, value)
    if dtype == pl.Boolean:
        return _value_cell(letter, value.cast(pl.Int8).cast(pl.String), ' t="b"')
    if dtype.is_integer():
        exact = value.is_between(-_EXACT_INTEGERS + 1, _EXACT_INTEGERS - 1)
        text = value.cast(pl.String)
        return pl.when(exact).then(_value_cell(letter, text)).otherwise(_text_cell(letter, text))
    if dtype.is_numeric():  # floats and decimals; a style for a share
        number = value.cast(pl.Float64)
        error = pl.when(number.is_nan()).then(pl.lit("#NUM!")).otherwise(pl.lit("#DIV/0!"))
        shown = f' s="{kind}"' if isinstance(kind, int) else ""
        return (
            pl.when(number.is_finite())
            .then(_value_cell(letter, number.cast(pl.String), shown))
            .when(number.is_not_null())  # NaN and infinity, as Excel's errors
            .then(_value_cell(letter, error, ' t="e"'))
            .otherwise(pl.lit(""))
        )
    if dtype == pl.Date:
        days = value.cast(pl.Int32).cast(pl.Int64) + _UNIX_EPOCH
        date = _value_cell(letter, _serial(days).cast(pl.String), f' s="{parts.DATE}"')
        return _within_excel(
            value.cast(pl.Datetime("us")), date, _text_cell(letter, value.dt.to_string("%Y-%m-%d"))
        )
    if isinstance(dtype, pl.Datetime):
        assert isinstance(kind, int)
        wall, zone = _wall_time(value, dtype)
        days = wall.dt.epoch("us").cast(pl.Float64) / _DAY_US + _UNIX_EPOCH  # µs: ns overflow past 2262
        moment = _value_cell(letter, _serial(days).cast(pl.String), f' s="{kind}"')
        shown = "%Y-%m-%d %H:%M:%S" if kind in (parts.SECONDS, parts.UTC_SECONDS) else "%Y-%m-%d %H:%M"
        return _within_excel(wall, moment, _text_cell(letter, wall.dt.to_string(shown) + zone))
    if dtype == pl.Time:
        fraction = value.cast(pl.Int64).cast(pl.Float64) / _DAY_NS
        return _value_cell(letter, fraction.cast(pl.String), f' s="{parts.TIME}"')
    text = _as_text(value, dtype)
    if tiers is None or not tiers.styles:
        return _text_cell(letter, text)
    tier = text.str.strip_chars().str.to_lowercase()
    style = tier.replace_strict(
        list(tiers.styles), [str(s) for s in tiers.styles.values()], default=None, return_dtype=pl.String
    )
    attribute = pl.concat_str([pl.lit(' s="'), style, pl.lit('"')]).fill_null("")
    return _text_cell(letter, text, attribute)


def _number_cell(letter: str, text: pl.Expr) -> pl.Expr:
    """A text number as a number, in the format that shows its digits (placeholders stay text)."""
    point = text.str.find(".", literal=True)
    decimals = text.str.len_bytes() - point - 1
    style = pl.when(point.is_null()).then(parts.INTEGER).otherwise(decimals + parts.FIRST_DECIMAL - 1)
    attribute = pl.concat_str([pl.lit(' s="'), style.cast(pl.String), pl.lit('"')])
    number = _value_cell(letter, text, attribute)  # the text is already a number as XML writes one
    return pl.when(_plain_number(text)).then(number).otherwise(_text_cell(letter, text))


def _date_text_cell(letter: str, text: pl.Expr) -> pl.Expr:
    """A date text as a date, with a time when it has one (placeholders stay text)."""
    moment, width = _text_moment(text), text.str.len_bytes()
    days = moment.dt.epoch("us").cast(pl.Float64) / _DAY_US + _UNIX_EPOCH
    serial = (
        pl.when(width == 10)
        .then(_serial(days).cast(pl.Int64).cast(pl.String))
        .otherwise(_serial(days).cast(pl.String))
    )
    style = (
        pl.when(width == 10).then(parts.DATE).when(width == 16).then(parts.MINUTES).otherwise(parts.SECONDS)
    )
    attribute = pl.concat_str([pl.lit(' s="'), style.cast(pl.String), pl.lit('"')])
    return (
        pl.when(moment.is_not_null())
        .then(_value_cell(letter, serial, attribute))
        .otherwise(_text_cell(letter, text))
    )


def _within_excel(moment: pl.Expr, cell: pl.Expr, text: pl.Expr) -> pl.Expr:
    """``cell`` for an instant from 1900 to 9999, Excel's dates; ``text`` for one outside them
    (a database's 0001-01-01 would show as ####)."""
    return pl.when(moment.is_between(*_EXCEL_DATES)).then(cell).otherwise(text)


def _as_text(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A column shown as text: bytes (which need not be UTF-8) as hex, durations as ``1d 2h``."""
    if dtype == pl.Binary:
        return value.bin.encode("hex")
    if isinstance(dtype, pl.Duration):
        return value.dt.to_string("polars")
    return value.cast(pl.String)


def _serial(days: pl.Expr) -> pl.Expr:
    """Excel's serial number: before 1 March 1900 one less (Excel counts a 29 February 1900)."""
    return pl.when(days < 61).then(days - 1).otherwise(days)


def _value_cell(letter: str, text: pl.Expr, attributes: str | pl.Expr = "") -> pl.Expr:
    """``<c r="B2"><v>10</v></c>``; empty for null."""
    extra = pl.lit(attributes) if isinstance(attributes, str) else attributes
    parts = [
        pl.lit(f'<c r="{letter}'),
        pl.col(_ROW),
        pl.lit('"'),
        extra,
        pl.lit("><v>"),
        text,
        pl.lit("</v></c>"),
    ]
    return pl.concat_str(parts).fill_null("")


def _text_cell(letter: str, text: pl.Expr, attributes: pl.Expr | None = None) -> pl.Expr:
    """An inline string cell; empty for null."""
    text = _escaped(text.str.slice(0, MAX_TEXT))
    spaced = text.str.contains(r"^\s") | text.str.contains(r"\s$")  # faster than one pattern
    open_tag = pl.when(spaced).then(pl.lit('<t xml:space="preserve">')).otherwise(pl.lit("<t>"))
    parts = [
        pl.lit(f'<c r="{letter}'),
        pl.col(_ROW),
        pl.lit('"'),
        *([attributes] if attributes is not None else []),
        pl.lit(' t="inlineStr"><is>'),
        open_tag,
        text,
        pl.lit("</t></is></c>"),
    ]
    return pl.concat_str(parts).fill_null("")


def _escaped(text: pl.Expr) -> pl.Expr:
    """Text as XML character data; control characters (not allowed in XML) as Excel's _xHHHH_,
    and text that reads as such an escape escaped itself (``_x0041_`` would read as ``A``)."""
    text = text.str.replace_all(r"_(x[0-9A-Fa-f]{4}_)", "_x005F_$1")
    return text.str.replace_many(list(_ESCAPES), list(_ESCAPES.values()))  # one pass for all


def _header_row(names: Sequence[str], letters: Sequence[str]) -> str:
    """Row 1: the column names, bold, as text."""
    frame = pl.DataFrame({_ROW: ["1"], **{f"h{i}": [name] for i, name in enumerate(names)}})
    bold = pl.lit(f' s="{parts.HEADER}"')
    cells = [_text_cell(letter, pl.col(f"h{i}"), bold) for i, letter in enumerate(letters)]
    return str(frame.select(_row(cells)).item())


# --- column widths ----------------------------------------------------------------------


def _widths(frame: pl.DataFrame, kinds: Sequence[str | int]) -> list[int]:
    """Each column as wide as its header or its longest value, within sensible bounds."""
    fixed = {pl.Date: 10, pl.Time: 8, pl.Boolean: 5}
    lengths = []
    for index, ((name, dtype), kind) in enumerate(zip(frame.schema.items(), kinds, strict=True)):
        width = next((w for t, w in fixed.items() if dtype == t), None)
        if isinstance(kind, int):  # a datetime or a share: as wide as its format shows it
            width = len(parts.FORMATS[kind].replace('"', ""))
        if width is None:
            longest = frame.select(_as_text(pl.nth(index), dtype).str.len_chars().max()).item()
            width = longest or 0
            if dtype.is_numeric():
                width = min(width, 12)  # Excel shows long floats rounded
        lengths.append(min(max(width, len(name), MIN_WIDTH - 2) + 2, MAX_WIDTH))
    return lengths
