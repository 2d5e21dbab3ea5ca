"""Excel output of text columns and dates: numbers where Excel shows them back as written.

CSV is read as text, so the writer decides per column whether its cells can be numbers (or
dates) in Excel without changing what anyone sees. The oracle below states that rule cell by
cell with ``Decimal`` and ``datetime``; the writer must agree with it on any column.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leadscore
from leadscore.io import XlsxStyle, read_table, xlsx_writer
from leadscore.model import DEFAULT_NULL_VALUES

SAMPLE = Path(__file__).parents[1] / "sample_data" / "leads.csv"
PLACEHOLDERS = {v.strip().lower() for v in DEFAULT_NULL_VALUES} | {""}
# what the brief lists as not numbers, and a few more ways of writing one
NOT_SHOWN_BACK = ["00123", "+33", "1,200", "12,5", "1e5", "4.50", "-0", "0.0", ".5", "5.", " 12", "12 "]
NOT_SHOWN_BACK += ["1234567890123456", "Infinity", "0x1F", "1_000", "hot"]
DATE_SHAPES = {10: "%Y-%m-%d", 16: "%Y-%m-%d %H:%M", 19: "%Y-%m-%d %H:%M:%S"}


# --- the oracle -------------------------------------------------------------------------


def is_placeholder(cell: str) -> bool:
    return cell.strip().lower() in PLACEHOLDERS


def shown_back(cell: str) -> bool:
    """Excel shows this number exactly as written: no '+', leading or trailing zero, grouping or
    exponent, not -0, at most 15 decimals and 15 digits (not counting the zeros of 0.05)."""
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell) or cell == "-0":
        return False
    number = Decimal(cell)
    digits = cell.lstrip("-").replace(".", "").lstrip("0")
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    return format(number.normalize(), "f") == cell and len(digits) <= 15 and -exponent <= 15


def as_date(cell: str) -> dt.datetime | None:
    """The instant an ISO date text names, if it is one Excel holds (1900 to 9999)."""
    shape = DATE_SHAPES.get(len(cell))
    if shape is None or not re.fullmatch(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?", cell
    ):
        return None
    try:
        moment = dt.datetime.strptime(cell, shape)
    except ValueError:
        return None
    return moment if moment.year >= 1900 else None


def column_kind(cells: list[str | None]) -> str:
    """'numbers', 'dates' or 'text': what the writer must make of a text column."""
    values = [c for c in cells if c is not None and not is_placeholder(c)]
    if values and all(shown_back(c) for c in values):
        return "numbers"
    if values and all(as_date(c) for c in values):
        return "dates"
    return "text"


def shown(value: float, number_format: str) -> str:
    """The text Excel shows for a number in the formats '0', '0.0', '0.00', ..."""
    decimals = len(number_format.partition(".")[2])
    assert number_format == "0" + ("." + "0" * decimals if decimals else "")
    return f"{value:.{decimals}f}"


def written(cells: list[str | None], name: str = "c") -> list[openpyxl.cell.cell.Cell]:
    target = io.BytesIO()
    xlsx_writer.write_xlsx(pl.DataFrame({name: cells}, schema={name: pl.String}), target, XlsxStyle())
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    return [sheet.cell(row=r, column=1) for r in range(2, len(cells) + 2)]


def check_column(cells: list[str | None]) -> None:
    """The column is written as the oracle says, and each cell reads back as its text."""
    kind = column_kind(cells)
    for text, cell in zip(cells, written(cells), strict=True):
        if text is None:
            assert cell.value is None
        elif kind == "numbers" and not is_placeholder(text):
            assert cell.data_type == "n" and isinstance(cell.value, int | float), (text, cell.value)
            assert shown(cell.value, cell.number_format) == text
            assert Decimal(text) == Decimal(repr(cell.value))
        elif kind == "dates" and not is_placeholder(text):
            assert cell.value == as_date(text)
            assert cell.number_format == {10: "yyyy-mm-dd", 16: "yyyy-mm-dd hh:mm"}.get(
                len(text), "yyyy-mm-dd hh:mm:ss"
            )
        else:
            assert (cell.data_type, cell.value) == ("s", text)


def test_the_oracle_says_what_the_brief_says() -> None:
    assert all(shown_back(c) for c in ["12", "-3", "4.5", "0.25", "0", "0.05", "123456789012345"])
    assert not any(shown_back(c) for c in NOT_SHOWN_BACK)
    assert not shown_back("١٢")  # Arabic-Indic digits: Decimal reads them, Excel does not


# --- the property ---------------------------------------------------------------------

plain_numbers = st.one_of(
    st.integers(-(10**15) + 1, 10**15 - 1).map(str),
    st.decimals(-(10**9), 10**9, places=6, allow_nan=False).map(lambda d: format(d.normalize(), "f")),
)
numbers = plain_numbers | st.floats(-1e6, 1e6, allow_nan=False).map(repr)  # 1e-05, 3.0: not plain
near_misses = st.sampled_from([*NOT_SHOWN_BACK, "0.1234567890123456", "99999999999999999", "NaN", "L0042"])
placeholders = st.sampled_from(["N/A", "n/a", "NA", "-", "--", "", "  ", "Select", "null", "None", "#N/A"])
dates = st.one_of(
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(9999, 12, 31)).map(
        lambda m: m.strftime("%Y-%m-%d %H:%M:%S")
    ),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(
        lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    ),
    st.sampled_from(["2026-02-30", "2026-11-03 24:00", "2026-11-03 09:30", "03/11/2026", "2026-11-03T09:30"]),
)
words = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=4)  # Cc: read back as _x001F_
mostly_numbers = st.lists(st.none() | plain_numbers | placeholders, max_size=8)
anything = st.lists(st.none() | numbers | near_misses | placeholders | dates | words, max_size=8)


@settings(max_examples=300, deadline=None)
@given(cells=st.one_of(mostly_numbers, anything, st.lists(st.none() | dates | placeholders, max_size=6)))
def test_a_text_column_is_numbers_exactly_when_every_cell_shows_back_the_same(
    cells: list[str | None],
) -> None:
    check_column(cells)


@pytest.mark.parametrize(
    ("cells", "kind"),
    [
        (["12", "100", "-3", None], "numbers"),
        (["4.5", "0.25", "10", "-0.5"], "numbers"),
        (["12", "N/A", "", "-", None, "Select"], "numbers"),  # placeholders stay text cells
        (["123456789012345", "1"], "numbers"),  # 15 digits: Excel holds them all
        (["00123", "12345"], "text"),  # a zip code or an id
        (["12", "4.50"], "text"),  # the trailing zero would be lost
        (["+33612345678", "12"], "text"),
        (["1,200", "12"], "text"),
        (["12,5", "12"], "text"),
        (["1e5", "12"], "text"),
        (["1234567890123456", "12"], "text"),  # an account number of 16 digits
        (["12", "unknown"], "text"),  # not a placeholder leadscore knows: the column stays text
        (["N/A", "-", ""], "text"),  # placeholders alone
        (["hot", "1"], "text"),
        (["2026-11-03", "2026-11-03 09:30", "2026-11-03 00:00:00", "N/A"], "dates"),
        (["2026-11-03", "2026-02-30"], "text"),  # no such day
        (["2026-11-03", "1899-12-31"], "text"),  # before Excel's first day
        (["2026-11-03", "03/11/2026"], "text"),  # which day is it? left as written
    ],
)
def test_text_columns(cells: list[str | None], kind: str) -> None:
    assert column_kind(cells) == kind
    check_column(cells)


def test_the_sample_leads_in_excel(tmp_path: Path) -> None:
    """The complaint: visits stored as text, sorted 100 before 12, and no SUM."""
    output = tmp_path / "ranked.xlsx"
    leadscore.score_file([SAMPLE], output=output, as_of=dt.date(2026, 11, 1))
    sheet = openpyxl.load_workbook(output).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    columns = {name: [row[i] for row in sheet.iter_rows(min_row=2)] for i, name in enumerate(header)}
    source = pl.read_csv(SAMPLE, infer_schema=False)
    for name in ("website_visits", "email_clicks", "pricing_page_views"):
        assert {c.data_type for c in columns[name]} == {"n"}
        assert sorted(str(c.value) for c in columns[name] if c.value is not None) == sorted(
            source[name].drop_nulls().to_list()
        )
    assert {type(c.value) for c in columns["last_activity"]} == {dt.datetime}
    assert columns["last_activity"][0].number_format == "yyyy-mm-dd"
    # ids, grouped sizes ('2,944') and yes/no stay text; the scores stay numbers
    for name in ("lead_id", "company_size", "demo_requested", "grade"):
        assert {c.data_type for c in columns[name] if c.value is not None} == {"s"}
    assert {c.data_type for c in columns["score"]} == {"n"}
    back = read_table([output]).frame.collect()  # leadscore reads its own output as numbers
    assert back.schema["website_visits"] == pl.Int64
    assert back.schema["last_activity"] == pl.Date


# --- typed dates ------------------------------------------------------------------------


def test_typed_dates_and_datetimes_are_excel_dates(tmp_path: Path) -> None:
    moments = [dt.datetime(2026, 11, 3, 9, 30), dt.datetime(1900, 1, 1), None]
    zoned = [dt.datetime(2026, 11, 3, 9, 30), dt.datetime(2026, 7, 1, 12), None]
    frame = pl.DataFrame(
        {
            "day": [dt.date(2026, 11, 3), dt.date(1900, 2, 28), None],
            "minutes": moments,
            "seconds": [dt.datetime(2026, 11, 3, 9, 30, 15), dt.datetime(9999, 12, 31, 23, 59), None],
            "paris": pl.Series(zoned).dt.replace_time_zone("Europe/Paris"),
            "utc": pl.Series(zoned).dt.replace_time_zone("UTC"),
            "ancient": [dt.date(1, 1, 1), dt.date(2026, 1, 1), None],  # a database's "no date"
        }
    )
    leadscore.io.write_table(frame, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    rows = [[(c.value, c.number_format) for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == [
        (dt.datetime(2026, 11, 3), "yyyy-mm-dd"),
        (dt.datetime(2026, 11, 3, 9, 30), "yyyy-mm-dd hh:mm"),
        (dt.datetime(2026, 11, 3, 9, 30, 15), "yyyy-mm-dd hh:mm:ss"),
        (dt.datetime(2026, 11, 3, 8, 30), 'yyyy-mm-dd hh:mm "UTC"'),  # 09:30 in Paris
        (dt.datetime(2026, 11, 3, 9, 30), 'yyyy-mm-dd hh:mm "UTC"'),
        ("0001-01-01", "General"),  # Excel has no day before 1900: kept as text
    ]
    assert rows[1] == [
        (dt.datetime(1900, 2, 28), "yyyy-mm-dd"),
        (dt.datetime(1900, 1, 1), "yyyy-mm-dd hh:mm"),
        (dt.datetime(9999, 12, 31, 23, 59), "yyyy-mm-dd hh:mm:ss"),
        (dt.datetime(2026, 7, 1, 10), 'yyyy-mm-dd hh:mm "UTC"'),  # noon in Paris, in summer
        (dt.datetime(2026, 7, 1, 12), 'yyyy-mm-dd hh:mm "UTC"'),
        (dt.datetime(2026, 1, 1), "yyyy-mm-dd"),
    ]
    assert len(rows) == 2  # the row of nulls has no cells
    back = read_table([tmp_path / "out.xlsx"]).frame.collect()
    assert back["day"].to_list()[0] == dt.date(2026, 11, 3)
    assert back["paris"].to_list()[0] == dt.datetime(2026, 11, 3, 8, 30)


def test_a_workbook_with_a_date_column_comes_back_with_dates(tmp_path: Path) -> None:
    """An .xlsx input with real date cells, one of them 'N/A': the output has dates too."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["lead_id", "website_visits", "last_activity"])
    sheet.append(["L1", 12, dt.datetime(2026, 11, 3)])
    sheet.append(["L2", 100, "N/A"])
    sheet.append(["L3", 3, dt.datetime(2026, 10, 1)])
    book.save(tmp_path / "leads.xlsx")
    model = tmp_path / "model.toml"
    model.write_text(
        '[model]\nname = "m"\nid = "lead_id"\n[tiers]\nhot = 10\ncold = 0\n'
        '[[rules]]\nname = "Visits"\ndimension = "engagement"\ncolumn = "website_visits"\npoints_per_unit = 1\n'
        '[[rules]]\nname = "Recent"\ndimension = "engagement"\ncolumn = "last_activity"\nwithin_days = 60\npoints = 5\n',
        encoding="utf-8",
    )
    output = tmp_path / "ranked.xlsx"
    leadscore.score_file([tmp_path / "leads.xlsx"], model, output=output, as_of=dt.date(2026, 11, 1))
    ranked = openpyxl.load_workbook(output).active
    assert ranked is not None
    cells = {row[0].value: (row[1].value, row[2].value) for row in ranked.iter_rows(min_row=2)}
    assert cells == {
        "L1": (12, dt.datetime(2026, 11, 3)),
        "L2": (100, "N/A"),
        "L3": (3, dt.datetime(2026, 10, 1)),
    }


def test_columns_named_like_wildcards_are_written_as_themselves() -> None:
    frame = pl.DataFrame({"*": ["a", "12"], "^b$": ["12", "3"], "c": [1, 2]})
    target = io.BytesIO()
    xlsx_writer.write_xlsx(frame, target, XlsxStyle())
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["*", "^b$", "c"],
        ["a", 12, 1],
        ["12", 3, 2],
    ]
