"""Report exports: title lines above the header and footer lines below the leads are left out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadscore.errors import InputError
from leadscore.io import ReadOptions, read_table
from leadscore.io.csv_layout import HEAD_BYTES
from leadscore.io.report_edges import footer_indexes, header_index

# --- the two functions, case by case ---------------------------------------------------

HEADER_CASES = [
    # (rows, the header's position, why)
    ([["id", "name", "email"], ["L1", "Ana", "a@x"]], 0, "a header on the first row"),
    ([[], [None, ""], ["id", "name", "email"]], 2, "blank rows above it"),
    ([["Leads report"], ["id", "name", "email"], ["L1", "Ana", "a@x"]], 1, "a title"),
    ([["Leads report", None, None], ["As of 2026-11-01"], [], ["id", "name", "email"]], 3, "two"),
    ([["Filtered by:", "status = Open"], ["id", "name", "email"]], 1, "a filter line"),
    ([["id", "score"], ["L1", "5"]], 0, "a two-column file"),
    ([["id", "score"], ["L1", "5", "extra"]], 0, "a narrow header above ragged rows"),
    ([["Report"], ["L1", "Ana", "1200"]], 0, "a row with a number is data, not a header"),
    ([["Report"], ["a", "b", "c"], ["1", "2", "3", "4", "5", "6", "7"]], 0, "narrower than half"),
    ([["Report"], ["only", "two"]], 0, "no row wide enough"),
    ([], 0, "nothing at all"),
]


@pytest.mark.parametrize(("rows", "expected", "why"), HEADER_CASES, ids=[c[2] for c in HEADER_CASES])
def test_header_index(rows: list[list[object]], expected: int, why: str) -> None:
    assert header_index(rows) == expected, why


DATA = ["L1", "Ana", "CMO"]
FOOTER_CASES = [
    # (rows, width, the footer's positions, why)
    ([DATA, ["Grand Totals (1 record)"]], 3, [1], "one line"),
    ([DATA, [""], ["Grand Totals (1 record)", None, ""], [], ["Do not distribute"]], 3, [2, 4], "blanks"),
    ([DATA, ["L0042"]], 3, [], "one word is an id, not a footer"),
    ([DATA, [None, "Grand Totals (1 record)"]], 3, [], "text in another column than the first"),
    ([DATA, ["Grand Totals", "3"]], 3, [1], "a totals row: a label and an amount"),
    ([DATA, ["Total", None, "2,255"], [], ["Do not distribute"]], 3, [1, 3], "a totals row, a line below"),
    ([DATA, ["TOTAL:", "$12,500", "(3)"]], 3, [1], "amounts with a currency symbol or brackets"),
    ([DATA, ["Summe", 350, 12.5]], 3, [1], "numbers from a spreadsheet, a German label"),
    ([DATA, ["Total Wine", "Bo", "3"]], 3, [], "a lead whose company starts with Total"),
    ([DATA, ["Sumo Logic", None, "3"]], 3, [], "a label is a whole word"),
    ([DATA, ["Total", "Ana", "3"]], 3, [], "text beside the label: a lead"),
    ([["Ana Lopez", None, None]], 3, [], "the only row is data"),
    ([DATA, ["Grand Totals (1 record)"]], 2, [], "a table narrower than three columns"),
    ([DATA, None, ["Grand Totals (1 record)"]], 3, [2], "a line known to be data stops the walk"),
    ([DATA, *[["a footer line"]] * 12], 3, [], "more than ten: not a footer"),
    ([DATA, [7.5], ["Grand total"]], 3, [2], "a number is not a sentence"),
]


@pytest.mark.parametrize(("rows", "width", "expected", "why"), FOOTER_CASES, ids=[c[3] for c in FOOTER_CASES])
def test_footer_indexes(rows: list[list[object] | None], width: int, expected: list[int], why: str) -> None:
    assert footer_indexes(rows, width=width) == expected, why


# --- CSV files: what is read is the table between them ----------------------------------

names = st.lists(st.text(alphabet="abcdefgh_", min_size=1, max_size=6), min_size=3, max_size=7, unique=True)
cell = st.text(alphabet='ab c,;"1\né', max_size=6)
words = st.lists(st.text(alphabet='Gabc(,)"é', min_size=1, max_size=6), min_size=2, max_size=4)
sentence = st.tuples(st.sampled_from(["", " "]), words.map(" ".join), st.sampled_from(["", "  "])).map(
    "".join
)
LABELS = ["Total", "Grand Total", "Totals:", "SUBTOTAL", "Summe", "Grand Totals (3 records)"]
title_line = st.lists(st.text(alphabet="Leads report,:/ 1é", min_size=1, max_size=12), min_size=1, max_size=2)


def _filled(row: list[str]) -> int:
    return sum(1 for v in row if v.strip())


@st.composite
def report(draw: st.DrawFn) -> tuple[str, list[str], list[tuple[str | None, ...]], int, int]:
    """CSV text, its header, its data rows as read, and the numbers of title and footer lines."""
    header = draw(names)
    width = len(header)
    data_row = st.lists(cell, min_size=width, max_size=width).filter(lambda r: _filled(r) >= 2)
    rows = draw(st.lists(data_row, min_size=1, max_size=6))
    titles = draw(st.lists(title_line.filter(lambda t: any(v.strip() for v in t)), max_size=3))
    totals = st.lists(st.sampled_from(["", "12", "2,255", "$1,200.50", "(3)", "40%"]), min_size=width - 1,
                      max_size=width - 1).map(lambda amounts: [draw(st.sampled_from(LABELS)), *amounts])  # fmt: skip
    footers = draw(st.lists(st.one_of(sentence.map(lambda s: [s]), totals), max_size=4))
    pad = draw(st.booleans())  # Excel pads every line with separators to the table's width
    filler = draw(st.sampled_from([0, HEAD_BYTES // 5]))  # 6 bytes or more each: the tail is out of the head
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    for title in titles:
        writer.writerow(title + [""] * (width - len(title)) if pad else title)
    if titles and draw(st.booleans()):
        writer.writerow([])
    writer.writerow(header)
    writer.writerows([["x", "1", *["y"] * (width - 2)]] * filler + rows)
    for footer in footers:
        if draw(st.booleans()):
            writer.writerow([""])  # a blank line as a quoted empty field: '""'
        writer.writerow(footer + [""] * (width - len(footer)) if pad else footer)
    expected = [("x", "1", *["y"] * (width - 2))] * filler + [tuple(v or None for v in r) for r in rows]
    return out.getvalue(), header, expected, len(titles), len(footers)


@given(report())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_report_export_reads_as_its_table(
    tmp_path: Path, case: tuple[str, list[str], list[tuple[str | None, ...]], int, int]
) -> None:
    text, header, expected, titles, footers = case
    path = tmp_path / "report.csv"
    path.write_text(text, encoding="utf-8")
    read = read_table([path])
    frame = read.frame.collect()
    assert frame.columns == header
    assert frame.rows() == expected
    assert any("left out the report title" in n for n in read.notices) == bool(titles)
    assert any(f"footer below the leads ({footers} line" in n for n in read.notices) == bool(footers)


def test_header_row_turns_the_search_off(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text('"Leads report"\nid,name,email\nL1,Ana,a@x\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2 has 3 fields, the header has 1"):
        read_table([path], ReadOptions(header_row=1))
    assert read_table([path], ReadOptions(header_row=2)).notices == []


def test_a_footer_like_line_inside_a_quoted_field_is_data(tmp_path: Path) -> None:
    # The last lead's note spans lines; its last line alone would look like a footer line.
    body = "id,name,note\n" + "L0,Ana,x\n" * (HEAD_BYTES // 9) + 'L9,Bo,"first line\nsecond line"\n'
    path = tmp_path / "leads.csv"
    path.write_text(body, encoding="utf-8")
    read = read_table([path])
    assert read.frame.collect().row(-1) == ("L9", "Bo", "first line\nsecond line")
    assert read.notices == []


def test_a_footer_of_a_windows_1252_file(tmp_path: Path) -> None:
    body = "id,name,city\n" + "L0,Zoë,Köln\n" * (HEAD_BYTES // 10) + "Généré par le CRM\n"
    path = tmp_path / "leads.csv"
    path.write_bytes(body.encode("cp1252"))
    read = read_table([path])
    frame = read.frame.collect()
    assert frame.height == HEAD_BYTES // 10
    assert frame.row(-1) == ("L0", "Zoë", "Köln")
    assert any("'Généré par le CRM'" in n for n in read.notices)


# --- workbooks -------------------------------------------------------------------------


def test_a_report_workbook_reads_as_its_table(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Report")
    sheet.write(1, 0, "Open leads, EMEA")  # row 1 left empty: the sheet starts on row 2
    sheet.write(2, 0, "As of 22/11/2026")
    sheet.write_row(4, 0, ["id", "name", "employees"])
    sheet.write_row(5, 0, ["L1", "Ana", 1200])
    sheet.write_row(6, 0, ["L2", "Bo", 40])
    sheet.write(8, 0, "Grand Totals (2 records)")
    sheet.write(9, 0, "Confidential Information - Do Not Distribute")
    book.close()
    read = read_table([path])
    assert read.frame.collect().rows() == [("L1", "Ana", 1200), ("L2", "Bo", 40)]
    assert read.notices == [
        f"{path}: the header is on row 5; left out the report title above it "
        "(2 rows: 'Open leads, EMEA', 'As of 22/11/2026'); --header-row chooses another row",
        f"{path}: left out the report footer below the leads "
        "(2 rows: 'Grand Totals (2 records)', 'Confidential Information - Do Not Distr…')",
    ]
    assert read_table([path], ReadOptions(header_row=5)).frame.collect().height == 2
