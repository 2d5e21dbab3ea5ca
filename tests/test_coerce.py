"""The fast paths of reading text cells give exactly what the full readings give, on any text."""

from __future__ import annotations

import datetime as dt
import functools

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadscore import coerce
from leadscore.compiler import Context
from leadscore.model import DEFAULT_NULL_VALUES
from tests import reference as oracle

AS_OF = dt.date(2026, 11, 1)

# Cells as exports write them, and the characters that could fool a shortcut: signs, separators,
# spaces (no-break ones too), exponents, case, the Kelvin sign (lower case "k"), other digits.
TOKENS = ["12", "-7", "+3.5", ".5", "5.", "1e5", "1E5", "1,200", "1.200", "-1.500", "0.125", "0,125", "1.234.567", "1.234,5", "12,5",
          "1 200", "30%", "nan", "NaN", "inf", "-Infinity", "0x10", "2026-10-31", "2026-1-5",
          "+2026-01-05", "10/20/2026", "01.02.2026", "45000", "2026-10-31T23:00:00Z", "٢٠٢٦-٠١-٠٥",
          "yes", "No", "TRUE", "y", "Sí", "SÍ", "x", "on", "OFF", "Ja", "NEIN", "Oui", "non", "Não", "sì", "N/A", "n/a", "Select", "NULL", "-",
          "--", "unknown", "\u212aG", "0", "1900-01-01", "n", "1E0", "$1,200", "1.200 €", "-$5", "USD 2,500",
          "45 kr", "R$ 1.200,50", "$", "usd 5", "20-Nov-2026", "20-nov-26", "Nov 20, 2026", "1/5/2026 10:15 AM",
          "1.11.2026 10:15", "31-Feb-2026", "Sept 3 2026", "20-Novem-2026", "(1,200)", "($1,200.00)",
          "$ (1.200)", "(12,5 %)", "(-5)", "1(5)", "( )", "(5) kr", "1.0", "0.0", "1.00", "0.00", "1.000",
          "-0.0", "01.0", "1."]  # fmt: skip
# Timestamps: the three shapes read directly, near misses of them, and the other accepted forms.
STAMPS = ["2026-10-03T14:22:05Z", "2026-10-03T14:22:05+02:00", "2026-10-03T14:22:05-05:30",
          "2026-10-03 14:22:05", "2026-02-30T10:00:00Z", "2026-10-03T24:00:00Z", "2026-10-03T14:22:05z",
          "2026-10-03T14:22:05 Z", "2026-10-03T14:22:05+0200", "2026-10-03T14:22", "2026-10-03T14:22:05.25Z",
          "2026-10-03  14:22:05", "2026-10-03", "2026-1-3T4:05:06Z", "02026-10-03T14:22:05Z",
          "2026-10-03T14:22:05+02:00 ", "2026-10-03T14:22:05+99:00", "0000-01-01 00:00:00"]  # fmt: skip
PIECES = st.sampled_from([*TOKENS, " ", "\u00a0", "%", ",", ".", "0", "9", "e", "k", "K", "\u212a", "a", "$", "€",
                          "US", "D", "-", "+", "(", ")"])  # fmt: skip
CELLS = st.one_of(st.none(), st.sampled_from(TOKENS), st.lists(PIECES, max_size=4).map("".join), st.text())
STAMP_PIECES = st.sampled_from(
    [*STAMPS, "2026", "-10", "-03", "T", " ", "14", ":22", ":05", "Z", "z", "+02:00", "."]
)
STAMP_CELLS = st.one_of(CELLS, st.sampled_from(STAMPS), st.lists(STAMP_PIECES, max_size=8).map("".join))
NULL_SETS = [
    DEFAULT_NULL_VALUES,
    (
        *DEFAULT_NULL_VALUES,
        "0",
        "1900-01-01",
        "n",
        "nan",
        "yes",
        "unknown",
        "KG",
        "1e0",
        "2026-10-03 14:22:05",
    ),
    (),
]
NULLS = st.sampled_from(NULL_SETS)
KINDS = ["number", "date", "boolean"]


def full_text(raw: pl.Expr, nulls: tuple[str, ...]) -> pl.Expr:
    """text() as it reads without the spellings shortcut: lower-case every cell, then compare."""
    s = raw.str.strip_chars()
    return pl.when(s.str.to_lowercase().is_in(coerce.lowered_nulls(nulls))).then(None).otherwise(s)


def read(
    cells: list[str | None],
    nulls: tuple[str, ...],
    kind: str,
    dtype: pl.DataType | None = None,
    decimal_comma: bool = False,
) -> list[object]:
    dtype = dtype or pl.String()
    frame = pl.LazyFrame({"x": cells}, schema={"x": pl.String}).cast({"x": dtype})
    ctx = Context({"x": dtype}, nulls, AS_OF, coerce.Conventions(decimal_comma=decimal_comma))
    reader = ctx.reader("x")
    expr = {"number": reader.number, "date": reader.date, "boolean": reader.boolean}[kind]()
    present = reader.present(kind)
    return ctx.add_readings(frame).select(expr.alias("v"), present.alias("p")).collect().rows()


def reference(
    cells: list[str | None], nulls: tuple[str, ...], kind: str, decimal_comma: bool = False
) -> list[object]:
    text = full_text(pl.col("x"), nulls)
    parse = {
        "number": functools.partial(coerce.parse_number, decimal_comma=decimal_comma),
        "date": coerce.parse_date,
        "boolean": coerce.parse_boolean,
    }[kind]
    frame = pl.DataFrame({"x": cells}, schema={"x": pl.String}).with_columns(text.alias("t"))
    return frame.select(parse(pl.col("t")).alias("v"), pl.col("t").is_not_null().alias("p")).rows()


@pytest.mark.parametrize("decimal_comma", [False, True])
@pytest.mark.parametrize("nulls", NULL_SETS)
@pytest.mark.parametrize("kind", KINDS)
def test_fast_paths_on_every_token(nulls: tuple[str, ...], kind: str, decimal_comma: bool) -> None:
    cells = [*TOKENS, *(f" {t}" for t in TOKENS), *(t.upper() for t in TOKENS), None]
    assert read(cells, nulls, kind, decimal_comma=decimal_comma) == reference(
        cells, nulls, kind, decimal_comma
    )


@pytest.mark.parametrize("kind", KINDS)
def test_fast_paths_on_categorical_and_all_null_columns(kind: str) -> None:
    cells = [*TOKENS, None]
    assert read(cells, DEFAULT_NULL_VALUES, kind, pl.Categorical()) == reference(
        cells, DEFAULT_NULL_VALUES, kind
    )
    assert read([None, None], DEFAULT_NULL_VALUES, kind, pl.Null()) == [(None, False), (None, False)]


@given(cells=st.lists(CELLS, max_size=30), nulls=NULLS)
def test_text_spellings_match_lower_casing(cells: list[str | None], nulls: tuple[str, ...]) -> None:
    frame = pl.DataFrame({"x": cells}, schema={"x": pl.String})
    fast = frame.select(coerce.text(pl.col("x"), pl.String(), nulls)).to_series()
    assert fast.to_list() == frame.select(full_text(pl.col("x"), nulls)).to_series().to_list()


@given(cells=st.lists(CELLS, max_size=30), nulls=NULLS, kind=st.sampled_from(KINDS), comma=st.booleans())
def test_fast_paths_read_what_the_full_reading_reads(
    cells: list[str | None], nulls: tuple[str, ...], kind: str, comma: bool
) -> None:
    assert read(cells, nulls, kind, decimal_comma=comma) == reference(cells, nulls, kind, comma)


@given(cells=st.lists(CELLS, max_size=30), nulls=NULLS, comma=st.booleans())
def test_numbers_read_as_the_plain_restatement_reads_them(
    cells: list[str | None], nulls: tuple[str, ...], comma: bool
) -> None:
    """Separators, percentages, currency marks: the engine against tests/reference.py, cell by cell."""
    got = pl.DataFrame({"x": cells}, schema={"x": pl.String}).select(
        coerce.number(pl.col("x"), pl.String(), nulls, decimal_comma=comma)
    )
    lowered = {v.strip().lower() for v in nulls} | {""}
    assert got.to_series().to_list() == [oracle.number(c, lowered, comma) for c in cells]


@given(cells=st.lists(CELLS, max_size=30), nulls=NULLS)
def test_yes_no_read_as_the_plain_restatement_reads_them(
    cells: list[str | None], nulls: tuple[str, ...]
) -> None:
    """yes/no words, 1/0 and 1.0/0.0: the engine against tests/reference.py, cell by cell."""
    lowered = {v.strip().lower() for v in nulls} | {""}
    assert [value for value, _ in read(cells, nulls, "boolean")] == [
        oracle.boolean(c, lowered) for c in cells
    ]


@pytest.mark.parametrize(
    ("cell", "point", "comma"),
    [("1.200", 1.2, 1200), ("1,200", 1200, 1.2), ("-1.200", -1.2, -1200), ("(1.200)", -1.2, -1200),
     ("1.200 €", 1200, 1200), ("$1,200", 1200, 1200), ("12,5", 12.5, 12.5), ("1.234,5", 1234.5, 1234.5),
     ("1.234.567", 1234567, 1234567), ("1,234,567", 1234567, 1234567), ("3.5", 3.5, 3.5),
     ("0.125", 0.125, 0.125), ("0,125", 0.125, 0.125), ("1200.5", 1200.5, 1200.5)],
)  # fmt: skip
def test_the_two_shapes_a_decimal_comma_settles(cell: str, point: float, comma: float) -> None:
    """1.200 and 1,200 are read by the file's decimal mark; every other shape reads the same."""
    for decimal_comma, value in ((False, point), (True, comma)):
        assert read([cell], DEFAULT_NULL_VALUES, "number", decimal_comma=decimal_comma) == [(value, True)]


@pytest.mark.parametrize(
    ("cell", "value"),
    [("$1,200,000", 1_200_000), ("1.200 €", 1200), ("€1.50", 1.5), ("-$500", -500), ("$-500", -500),
     ("USD 2,500", 2500), ("R$ 1.234,50", 1234.5), ("1 200 kr", 1200), ("1200 US$", 1200), ("1.200", 1.2),
     ("usd 5", None), ("$", None), ("5 EURO", None)],
)  # fmt: skip
def test_amounts_with_a_currency_mark(cell: str, value: float | None) -> None:
    frame = pl.DataFrame({"x": [cell]})
    assert frame.select(coerce.number(pl.col("x"), pl.String(), DEFAULT_NULL_VALUES)).item() == value


@pytest.mark.parametrize(
    ("cell", "value"),
    [("(1,200)", -1200), ("($1,200.00)", -1200), (" $ (1,200.00) ", -1200), ("(1.200 €)", -1200),
     ("(USD 2,500)", -2500), ("(12,5)", -12.5), ("(30%)", -30), ("(-5)", None), ("1(5)", None),
     ("(5", None), ("(N/A)", None), ("()", None)],
)  # fmt: skip
def test_accounting_negatives(cell: str, value: float | None) -> None:
    """Excel's accounting and currency formats write a negative amount in brackets."""
    frame = pl.DataFrame({"x": [cell]})
    assert frame.select(coerce.number(pl.col("x"), pl.String(), DEFAULT_NULL_VALUES)).item() == value


def test_null_spellings_cover_every_case_and_the_kelvin_sign() -> None:
    spellings = coerce.null_spellings(("N/A", "unknown"))
    assert spellings is not None
    assert {"n/a", "N/A", "N/a", "UNKNOWN", "un\u212anown", ""} <= set(spellings)
    assert coerce.null_spellings(("ningún",)) is None  # not ASCII: lower-case every cell instead


def read_stamps(cells: list[str | None], nulls: tuple[str, ...]) -> tuple[list[object], list[object]]:
    """Event timestamps read the fast way and by the full reading alone, in microseconds since 1970.

    (Microseconds, as Python's datetime has no year 0 and Polars does.)
    """
    frame = pl.DataFrame({"x": cells}, schema={"x": pl.String})
    fast = frame.select(coerce.timestamp(pl.col("x"), pl.String(), nulls).dt.epoch("us")).to_series()
    full = frame.select(coerce.parse_timestamp(full_text(pl.col("x"), nulls)).dt.epoch("us")).to_series()
    assert fast.to_list() == stepwise(frame, nulls)  # the two ways the steps are put together agree
    return fast.to_list(), full.to_list()


def stepwise(frame: pl.DataFrame, nulls: tuple[str, ...]) -> list[object]:
    """Timestamps read as the activity log reads them: each step a column, the next reading it."""
    lazy, read = frame.lazy(), None
    for step in coerce.timestamp_steps(pl.col("x"), pl.String(), nulls):
        lazy = lazy.with_columns(step(read).alias("ts"))
        read = pl.col("ts")
    return lazy.select(pl.col("ts").dt.epoch("us")).collect(engine="streaming").to_series().to_list()


@pytest.mark.parametrize("nulls", NULL_SETS)
def test_timestamps_on_every_token(nulls: tuple[str, ...]) -> None:
    cells = [*STAMPS, *TOKENS, *(f" {t}" for t in STAMPS), None]
    fast, full = read_stamps(cells, nulls)
    assert fast == full
    moment = dt.datetime(2026, 10, 3, 14, 22, 5, tzinfo=dt.UTC)
    assert fast[0] == (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


@given(cells=st.lists(STAMP_CELLS, max_size=30), nulls=NULLS)
def test_timestamps_read_what_the_full_reading_reads(cells: list[str | None], nulls: tuple[str, ...]) -> None:
    fast, full = read_stamps(cells, nulls)
    assert fast == full


def test_only_four_digit_years_are_read() -> None:
    cells = [
        "10/02/20",
        "10/02/2020",
        "20/1/2",
        "2020/1/2",
        "1.2.20",
        "1.2.2020",
        "0000-01-01",
        "+2026/01/05",
    ]
    days = pl.DataFrame({"x": cells}).select(coerce.parse_date(pl.col("x")).alias("d"))["d"].to_list()
    assert days == [
        None,
        dt.date(2020, 10, 2),
        None,
        dt.date(2020, 1, 2),
        None,
        dt.date(2020, 2, 1),
        None,
        None,
    ]


def test_dates_with_a_month_name_or_a_time_after_them() -> None:
    cells = {
        "20-Nov-2026": dt.date(2026, 11, 20),
        "20 November 2026": dt.date(2026, 11, 20),
        "20 nov. 2026": dt.date(2026, 11, 20),
        "Nov 20 2026": dt.date(2026, 11, 20),
        "November 20, 2026 10:15 AM": dt.date(2026, 11, 20),
        "SEPT 3, 2026": dt.date(2026, 9, 3),
        "20-Nov-26": dt.date(2026, 11, 20),  # Excel's d-mmm-yy: below 30 is 20xx
        "1-Jan-30": dt.date(1930, 1, 1),
        "29-Feb-2024": dt.date(2024, 2, 29),
        "11/5/2026 9:05 PM": dt.date(2026, 11, 5),
        "5.11.2026 09:05": dt.date(2026, 11, 5),
        "2026/11/05T09:05": dt.date(2026, 11, 5),
        "29-Feb-2026": None,  # no such day
        "20-Novem-2026": None,  # not a month's name nor its first three letters
        "20-Mai-2026": None,  # English names only
        "20-Nov-2026x": None,  # a time, or nothing, may follow a date; not other text
        "11/5/2026x": None,
        "Nov 20 26": None,  # a two-digit year only after the day and the month
        "20-Nov-202": None,
    }
    days = pl.DataFrame({"x": list(cells)}).select(coerce.parse_date(pl.col("x")).alias("d"))["d"].to_list()
    assert dict(zip(cells, days, strict=True)) == cells
