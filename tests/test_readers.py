"""Reading leads files: every format, the messy exports users really have, and every error text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from leadscore.errors import InputError, UsageError
from leadscore.io import ReadOptions, csv_layout, read_table
from leadscore.io.columns import clean_column_names


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work inside a fresh folder, so messages show plain file names as a user types them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def put(name: str, content: str | bytes, encoding: str = "utf-8") -> str:
    data = content.encode(encoding) if isinstance(content, str) else content
    Path(name).write_bytes(data)
    return name


def rows(name: str, options: ReadOptions | None = None) -> list[dict[str, object]]:
    return read_table([name], options or ReadOptions()).frame.collect().to_dicts()


def error(name: str, options: ReadOptions | None = None) -> str:
    with pytest.raises(InputError) as caught:
        read_table([name], options or ReadOptions()).frame.collect()
    return str(caught.value)


# --- CSV: text kept exactly -----------------------------------------------------------


def test_csv_columns_are_text_exactly_as_written(folder: Path) -> None:
    put("leads.csv", 'id,zip,revenue,status\n007,01234,"1,200",N/A\n')
    frame = read_table(["leads.csv"]).frame.collect()
    assert frame.schema == pl.Schema(dict.fromkeys(["id", "zip", "revenue", "status"], pl.String))
    assert frame.row(0) == ("007", "01234", "1,200", "N/A")


def test_csv_empty_cells_quoted_or_not_are_null(folder: Path) -> None:
    put("leads.csv", 'a,b,c\nx,,""\n')
    assert rows("leads.csv") == [{"a": "x", "b": None, "c": None}]


def test_clean_utf8_csv_stays_a_lazy_scan_of_the_file(folder: Path) -> None:
    put("leads.csv", "a,b\n1,2\n")
    assert "Csv SCAN [leads.csv]" in read_table(["leads.csv"]).frame.explain()


def test_csv_blank_lines_are_not_leads(folder: Path) -> None:
    put("leads.csv", "a,b\n1,2\n\n,\n3,4\n\n")
    assert rows("leads.csv") == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]


def test_csv_short_rows_are_padded_with_nulls(folder: Path) -> None:
    put("leads.csv", "a,b,c\n1,2,3\n4,5\n")
    assert rows("leads.csv")[1] == {"a": "4", "b": "5", "c": None}


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_csv_quoted_fields_may_hold_newlines(folder: Path, newline: str) -> None:
    put("leads.csv", f'name,notes{newline}Ann,"line one{newline}line two"{newline}Bob,x{newline}')
    assert rows("leads.csv") == [
        {"name": "Ann", "notes": f"line one{newline}line two"},
        {"name": "Bob", "notes": "x"},
    ]


# --- CSV: encodings -------------------------------------------------------------------


def test_utf8_bom_is_not_part_of_the_first_column_name(folder: Path) -> None:
    put("leads.csv", b"\xef\xbb\xbfemail,name\na@b.com,Z\xc3\xa9\n")
    result = read_table(["leads.csv"])
    assert result.frame.collect().to_dicts() == [{"email": "a@b.com", "name": "Zé"}]
    assert result.notices == []


CP1252_TEXT = "name,city\nJosé Núñez,Françoise\nConceição,Köln – €\n"


def test_cp1252_is_detected_and_reported(folder: Path) -> None:
    put("leads.csv", CP1252_TEXT, encoding="cp1252")
    result = read_table(["leads.csv"])
    assert result.frame.collect().rows() == [("José Núñez", "Françoise"), ("Conceição", "Köln – €")]
    assert result.notices == ["leads.csv: read as Windows-1252 (not UTF-8); use --encoding to force another"]


def test_cp1252_after_a_long_ascii_start_is_found_by_the_checking_pass(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_layout, "HEAD_BYTES", 64)
    ascii_rows = "".join(f"lead{i},Paris\n" for i in range(20))
    put("leads.csv", "name,city\n" + ascii_rows + "José,Köln\n", encoding="cp1252")
    result = read_table(["leads.csv"])
    assert result.frame.collect()[-1].rows() == [("José", "Köln")]
    assert "read as Windows-1252" in result.notices[0]


def test_bytes_without_a_windows_1252_character_are_read_as_latin1(folder: Path) -> None:
    put("leads.csv", b"name\nA\x81B\n")
    result = read_table(["leads.csv"])
    assert result.frame.collect().item() == "A\x81B"
    assert result.notices == ["leads.csv: read as Latin-1 (not UTF-8); use --encoding to force another"]


def test_forced_encoding_is_used_without_a_notice(folder: Path) -> None:
    put("leads.csv", "name\nJosé\n", encoding="latin-1")
    result = read_table(["leads.csv"], ReadOptions(encoding="latin-1"))
    assert result.frame.collect().item() == "José"
    assert result.notices == []


def test_forced_utf8_on_a_cp1252_file_names_the_line(folder: Path) -> None:
    put("leads.csv", CP1252_TEXT, encoding="cp1252")
    assert error("leads.csv", ReadOptions(encoding="utf-8")) == (
        "leads.csv line 2 is not valid utf-8 (byte 0xe9); "
        "use --encoding with the file's real encoding, such as cp1252 or latin-1"
    )


def test_unknown_encoding_is_a_usage_error(folder: Path) -> None:
    put("leads.csv", "a\n1\n")
    with pytest.raises(UsageError, match="unknown encoding 'klingon'"):
        read_table(["leads.csv"], ReadOptions(encoding="klingon"))


def test_utf16_unicode_text_from_excel(folder: Path) -> None:
    put("leads.txt", "name\tcity\nJosé\tKöln\n", encoding="utf-16")
    result = read_table(["leads.txt"])
    assert result.frame.collect().rows() == [("José", "Köln")]
    assert result.notices == ["leads.txt: read as UTF-16 (Excel's 'Unicode text')"]


# --- CSV: separators ------------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_separator_is_sniffed(folder: Path, sep: str) -> None:
    lines = [["name", "company", "revenue"], ["Ann", "Acme, Inc", "1,5"], ["Bob", "Foo, Bar", "2,25"]]
    put("leads.csv", "".join(sep.join(line) + "\n" for line in lines))
    assert read_table(["leads.csv"]).frame.collect().rows() == [
        ("Ann", "Acme, Inc", "1,5"),
        ("Bob", "Foo, Bar", "2,25"),
    ]


def test_commas_inside_quotes_do_not_fool_the_sniffer(folder: Path) -> None:
    put("leads.csv", 'name;note\n"Ann";"a, b, c, d"\n"Bob";"e, f, g"\n')
    assert rows("leads.csv") == [{"name": "Ann", "note": "a, b, c, d"}, {"name": "Bob", "note": "e, f, g"}]


def test_tsv_is_tab_separated_without_sniffing(folder: Path) -> None:
    put("leads.tsv", "name\tnote\nAnn\ta;b;c\n")
    assert rows("leads.tsv") == [{"name": "Ann", "note": "a;b;c"}]


@pytest.mark.parametrize(("given", "sep"), [(";", ";"), ("tab", "\t"), ("\\t", "\t"), ("pipe", "|")])
def test_separator_can_be_forced(folder: Path, given: str, sep: str) -> None:
    put("leads.csv", f"a{sep}b,c\n1{sep}2,3\n")
    assert rows("leads.csv", ReadOptions(separator=given)) == [{"a": "1", "b,c": "2,3"}]


def test_bad_separator_option_is_a_usage_error(folder: Path) -> None:
    with pytest.raises(UsageError, match="--separator must be one character"):
        read_table(["leads.csv"], ReadOptions(separator=";;"))


def test_single_column_file(folder: Path) -> None:
    put("leads.csv", "email\na@b.com\nc@d.com\n")
    assert rows("leads.csv") == [{"email": "a@b.com"}, {"email": "c@d.com"}]


# --- CSV: headers ---------------------------------------------------------------------


def test_header_cells_are_stripped_named_and_deduplicated(folder: Path) -> None:
    put("leads.csv", " Name ,,email,email,email\nAnn,x,a,b,c\n")
    result = read_table(["leads.csv"])
    assert result.frame.collect_schema().names() == ["Name", "column_2", "email", "email_2", "email_3"]
    assert result.notices == [
        "leads.csv: column 2 has no header: named it 'column_2'; "
        "repeated column 'email' renamed 'email_2'; repeated column 'email' renamed 'email_3'"
    ]


def test_line_breaks_and_runs_of_spaces_in_header_names_are_one_space(folder: Path) -> None:
    """Alt+Enter in an Excel header cell, or doubled spaces: names a model can name, on one line."""
    put(
        "leads.csv",
        'id,"Annual\r\nRevenue",Lead  Source,Job\tTitle,Web\u00a0Visits,Annual Revenue\n1,2,3,4,5,6\n',
    )
    result = read_table(["leads.csv"])
    assert result.frame.collect_schema().names() == [
        "id", "Annual Revenue", "Lead Source", "Job Title", "Web Visits", "Annual Revenue_2",
    ]  # fmt: skip
    assert result.notices == [
        "leads.csv: column 2's name has a line break in it: read as 'Annual Revenue'; "
        "column 3's name has doubled spaces in it: read as 'Lead Source'; "
        "column 4's name has a tab in it: read as 'Job Title'; and 2 more"
    ]
    assert all("\n" not in notice for notice in result.notices)


@pytest.mark.parametrize("kind", ["xlsx", "json", "parquet"])
def test_header_names_with_a_line_break_are_one_space_in_every_format(folder: Path, kind: str) -> None:
    frame = pl.DataFrame({"id": ["L1"], "Annual\nRevenue": [2000]})
    if kind == "xlsx":
        workbook = xlsxwriter.Workbook("leads.xlsx")
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, frame.columns)
        sheet.write_row(1, 0, frame.row(0))
        workbook.close()
    else:
        getattr(frame, f"write_{kind}")(f"leads.{kind}")
    result = read_table([f"leads.{kind}"])
    assert result.frame.collect().to_dicts() == [{"id": "L1", "Annual Revenue": 2000}]
    assert result.notices == [
        f"leads.{kind}: column 2's name has a line break in it: read as 'Annual Revenue'"
    ]


@given(st.lists(st.text(st.sampled_from("ab \t\n\r\u00a0\u2028_2"), max_size=6), min_size=1, max_size=6))
def test_clean_names_are_unique_and_typeable(raw: list[str]) -> None:
    names, renames = clean_column_names(raw)
    assert len(set(names)) == len(names) == len(raw)
    assert all(name == " ".join(name.split()) and name for name in names)
    assert all("\n" not in str(rename) for rename in renames)


def test_trailing_separators_make_no_empty_column(folder: Path) -> None:
    put("leads.csv", "a,b,\n1,2,\n3,4,\n")
    result = read_table(["leads.csv"])
    assert result.frame.collect().to_dicts() == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]
    assert result.notices == []


def test_xlsx_empty_unnamed_column_is_dropped_quietly(folder: Path) -> None:
    workbook = xlsxwriter.Workbook("leads.xlsx")
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["email", None, "score"])
    sheet.write_row(1, 0, ["a@b.com", None, 3])
    workbook.close()
    result = read_table(["leads.xlsx"])
    assert result.frame.collect().to_dicts() == [{"email": "a@b.com", "score": 3}]
    assert result.notices == []


def test_header_row_skips_a_preamble(folder: Path) -> None:
    put("leads.csv", "Exported from CRM\n2024-05-01; 2 leads\n\nemail,score\na@b.com,5\nc@d.com,7\n")
    assert rows("leads.csv", ReadOptions(header_row=3)) == [
        {"email": "a@b.com", "score": "5"},
        {"email": "c@d.com", "score": "7"},
    ]


def test_header_row_past_the_end(folder: Path) -> None:
    put("leads.csv", "a,b\n1,2\n")
    assert error("leads.csv", ReadOptions(header_row=9)) == (
        "leads.csv has no header on line 9 or below it; give the line of the header with --header-row"
    )


def test_header_row_below_one_is_a_usage_error(folder: Path) -> None:
    with pytest.raises(UsageError, match="--header-row must be 1 or more, not 0"):
        read_table(["leads.csv"], ReadOptions(header_row=0))


def test_header_only_file_is_an_empty_frame_with_columns(folder: Path) -> None:
    put("leads.csv", "email,score\n")
    frame = read_table(["leads.csv"]).frame.collect()
    assert frame.shape == (0, 2)
    assert frame.columns == ["email", "score"]


# --- CSV: bad rows --------------------------------------------------------------------

HEADER8 = "a,b,c,d,e,f,g,h\n"
GOOD8 = "1,2,3,4,5,6,7,8\n"
BAD9 = "1,2,3,4,5,6,7,8,9\n"


def test_row_with_too_many_fields_names_its_line(folder: Path) -> None:
    put("leads.csv", HEADER8 + GOOD8 * 55 + BAD9 + GOOD8)
    assert error("leads.csv") == (
        "leads.csv line 57 has 9 fields, the header has 8; fix the line or use --skip-bad-rows"
    )


def test_line_numbers_count_newlines_inside_quotes(folder: Path) -> None:
    put("leads.csv", 'a,b\n"x\ny\nz",1\n1,2,3\n4,5,6\n')
    assert error("leads.csv") == (
        "leads.csv line 5 has 3 fields, the header has 2 (1 more lines like it); "
        "fix the line or use --skip-bad-rows"
    )


def test_trailing_separator_on_a_data_row_is_a_bad_row(folder: Path) -> None:
    # "Acme, Inc" unquoted with an empty last field looks like a trailing comma; it shifts data.
    put("leads.csv", "name,email,phone\nAcme, Inc,a@b.com,\n")
    assert "line 2 has 4 fields, the header has 3" in error("leads.csv")


PLAIN_CELL = st.text(st.sampled_from("abcxyz019 .-@"), max_size=6)
# No space in an id: a last lead holding "L 0" alone reads as a report footer (report_edges).
PLAIN_ID = st.text(st.sampled_from("abcxyz019.-@"), max_size=6)


TITLE = "leads.csv: the header is on line 3; left out the report title above it (1 line: 'Open leads'); "
CP1252 = "leads.csv: read as Windows-1252 (not UTF-8); use --encoding to force another"


@pytest.mark.parametrize(
    ("content", "encoding", "notices"),
    [
        ("lead_id,company,revenue\n1,Acme,2000,\n2,Globex,10,\n", "utf-8", []),  # the fast path
        ("lead_id,company,revenue\r\n1,Acme,2000,\r\n2,Globex,10,\r\n", "utf-8", []),
        ("lead_id,company,revenue\n1,Acme,2000,\n2,Globex,10,\n", "cp1252", [CP1252]),  # decoded in Python
        ("lead_id,company,revenue\n1,Acme,2000,,\n2,Globex,10,,\n", "utf-8", []),  # two separators
        ("lead_id,company,revenue\n1,Acme,2000,\n3,Initech\n2,Globex,10,\n", "utf-8", []),  # a short row
        ("lead_id;company;revenue\n1;Acme;2000;\n2;Globex;10;\n", "utf-8", []),
        (
            "Open leads\n\nlead_id,company,revenue\n1,Acme,2000,\n\n2,Globex,10,\n",
            "utf-8",
            [TITLE + "--header-row chooses another line"],
        ),
        ('lead_id,"company\n",revenue\n1,Acme,2000,\n2,Globex,10,""\n', "utf-8", []),  # a header of two lines
    ],
)
def test_rows_ending_in_a_separator_the_header_lacks_are_ordinary_rows(
    folder: Path, content: str, encoding: str, notices: list[str]
) -> None:
    """Many exporters end every data row with a separator the header lacks."""
    put("leads.csv", content.replace("Acme", "Acmé"), encoding)
    result = read_table(["leads.csv"])
    expected = [("1", "Acmé", "2000"), ("2", "Globex", "10")]
    if "Initech" in content:
        expected.insert(1, ("3", "Initech", None))
    assert result.frame.collect().rows() == expected
    assert result.notices == notices


def test_rows_ending_in_a_separator_stay_a_lazy_scan_of_the_file(folder: Path) -> None:
    put("leads.csv", "a,b,c\n1,2,3,\n4,5,6,\n7,8\n")
    result = read_table(["leads.csv"], ReadOptions(check_rows=False))
    assert "Csv SCAN [leads.csv]" in result.frame.explain()
    assert result.frame.collect().rows() == [("1", "2", "3"), ("4", "5", "6"), ("7", "8", None)]


@pytest.mark.parametrize(
    ("content", "line", "fields"),
    [
        ("a,b\n1,2,\n3,4,x\n5,6,\n", 3, 3),  # something in the field after the header's
        ("a,b\n1,2,\n3,4,,\n5,6,\n", 3, 4),  # one empty field more than every other row
        ("a,b\n1,2\n3,4,\n5,6\n", 3, 3),  # the only row that ends so: 'Acme, Inc' unquoted, say
    ],
)
def test_a_row_longer_than_the_others_is_still_a_bad_row(
    folder: Path, content: str, line: int, fields: int
) -> None:
    put("leads.csv", content)
    assert error("leads.csv") == (
        f"leads.csv line {line} has {fields} fields, the header has 2; fix the line or use --skip-bad-rows"
    )
    result = read_table(["leads.csv"], ReadOptions(skip_bad_rows=True))
    assert result.frame.collect().rows() == [("1", "2"), ("5", "6")]
    assert pl.read_csv(folder / "leads.rejects.csv")["line"].to_list() == [line]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.lists(st.tuples(PLAIN_ID, PLAIN_CELL, PLAIN_CELL), min_size=2, max_size=20),
    trailing=st.integers(1, 3),
    separator=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_trailing_separators_read_as_the_file_without_them(
    folder: Path, table: list[tuple[str, str, str]], trailing: int, separator: str, newline: str
) -> None:
    lines = [separator.join(("L" + a, b, c)) for a, b, c in table]
    header = separator.join(["id", "b", "c"])
    put("plain.csv", newline.join([header, *lines]) + newline)
    put("ends.csv", newline.join([header, *(line + separator * trailing for line in lines)]) + newline)
    plain, ends = (read_table([n], ReadOptions(separator=separator)) for n in ("plain.csv", "ends.csv"))
    assert_frame_equal(ends.frame.collect(), plain.frame.collect())
    assert ends.notices == plain.notices


def test_skip_bad_rows_that_skipped_every_row_says_so(folder: Path) -> None:
    put("leads.csv", HEADER8 + BAD9 + BAD9)
    assert error("leads.csv", ReadOptions(skip_bad_rows=True)) == (
        "leads.csv: all 2 rows were skipped as bad rows; see leads.rejects.csv"
    )
    assert pl.read_csv(folder / "leads.rejects.csv")["line"].to_list() == [2, 3]
    put("one.csv", "a,b\n1,2,3\n")
    (folder / "out").mkdir()
    assert error("one.csv", ReadOptions(skip_bad_rows=True, rejects_path=Path("out/bad.csv"))) == (
        "one.csv: its one row was skipped as a bad row; see out/bad.csv"
    )


def test_skip_bad_rows_writes_rejects_in_the_current_folder(folder: Path) -> None:
    put("leads.csv", HEADER8 + GOOD8 + BAD9 + GOOD8 + BAD9)
    result = read_table(["leads.csv"], ReadOptions(skip_bad_rows=True))
    assert result.frame.collect().height == 2
    assert result.rejected_rows == 2
    assert result.notices == ["leads.csv: skipped 2 bad rows (lines 3, 5); they are in leads.rejects.csv"]
    rejects = pl.read_csv(folder / "leads.rejects.csv")
    assert rejects.columns == ["line", "reason", "raw"]
    assert rejects.rows() == [
        (3, "9 fields, the header has 8", BAD9.strip()),
        (5, "9 fields, the header has 8", BAD9.strip()),
    ]


def test_skip_bad_rows_to_a_given_rejects_file(folder: Path) -> None:
    put("leads.csv", "a,b\n1,2\n3,4,5\n")
    (folder / "out").mkdir()
    result = read_table(["leads.csv"], ReadOptions(skip_bad_rows=True, rejects_path=Path("out/bad.csv")))
    assert result.rejected_rows == 1
    assert pl.read_csv(folder / "out/bad.csv")["raw"].to_list() == ["3,4,5"]


def test_rejects_never_overwrite_an_input(folder: Path) -> None:
    put("leads.csv", "a,b\n1,2\n3,4,5\n")
    with pytest.raises(UsageError, match=r"refusing to overwrite the input leads\.csv"):
        read_table(["leads.csv"], ReadOptions(skip_bad_rows=True, rejects_path=Path("leads.csv")))


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('a,b\n1,2\n"3,4\n5,6\n', "a quote opens a field that is never closed"),
        ('a;b\n1;2\n"Acme" Inc;4\n5;6\n', "text follows the closing quote of a field"),
    ],
)
def test_a_quote_problem_names_its_line(folder: Path, content: str, problem: str) -> None:
    put("leads.csv", content)
    assert error("leads.csv") == (
        f"leads.csv line 3: {problem}; check the quotes on that line, or use --skip-bad-rows"
    )


def test_a_quote_problem_in_the_header_is_named_as_the_header(folder: Path) -> None:
    put("leads.csv", 'a,"b"x\n1,2\n1,2,3\n')  # the bad row sends the file to the csv module
    assert error("leads.csv", ReadOptions(skip_bad_rows=True)) == (
        "leads.csv line 1 (the header): text follows the closing quote of a field; check its quotes"
    )


def test_skip_bad_rows_skips_a_line_whose_quote_is_never_closed(folder: Path) -> None:
    put("leads.csv", 'a,b\n1,2\n"3,4\n5,6\n"7",8\n')
    result = read_table(["leads.csv"], ReadOptions(skip_bad_rows=True))
    # the stray quote pairs with the one on line 5: a record of lines 3 to 5, with text after its quote
    assert result.frame.collect().rows() == [("1", "2"), ("5", "6"), ("7", "8")]
    assert result.notices == ["leads.csv: skipped 1 bad row (line 3); it is in leads.rejects.csv"]
    assert pl.read_csv(folder / "leads.rejects.csv").rows() == [
        (3, "a quote opens a field that runs on to line 5", '"3,4')
    ]


def test_a_quote_never_closed_reads_ahead_only_to_the_field_limit(folder: Path) -> None:
    """The csv module stops a field at 128 KB: the lines after it are read again, not lost."""
    many = "".join(f"{n},x\n" for n in range(20_000))  # some 170 KB
    put("leads.csv", 'a,b\n"never closed,1\n' + many)
    result = read_table(["leads.csv"], ReadOptions(skip_bad_rows=True))
    assert result.frame.collect()["a"].to_list() == [str(n) for n in range(20_000)]
    assert pl.read_csv(folder / "leads.rejects.csv").rows() == [
        (2, "a field is too long, probably a quote never closed", '"never closed,1')
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.lists(st.tuples(PLAIN_ID, PLAIN_CELL, PLAIN_CELL), min_size=1, max_size=30),
    strays=st.sets(st.integers(0, 29), min_size=1, max_size=4),
    separator=st.sampled_from([",", ";"]),
)
def test_skip_bad_rows_leaves_out_exactly_the_lines_with_a_stray_quote(
    folder: Path, table: list[tuple[str, str, str]], strays: set[int], separator: str
) -> None:
    """A quote opening a line's first field, never closed, in a file of unquoted cells: each
    such line is skipped and rejected, and every other line is read as it was written."""
    strays = {n for n in strays if n < len(table)} or {0}
    lines = [separator.join(("L" + a, b, c)) for a, b, c in table]
    written = ['"' + line if n in strays else line for n, line in enumerate(lines)]
    put("leads.csv", separator.join(["id", "b", "c"]) + "\n" + "\n".join(written) + "\n")
    options = ReadOptions(skip_bad_rows=True, separator=separator)
    if len(strays) == len(table):
        skipped = (
            f"all {len(table)} rows were skipped as bad rows"
            if len(table) > 1
            else "its one row was skipped as a bad row"
        )
        assert error("leads.csv", options) == f"leads.csv: {skipped}; see leads.rejects.csv"
        return
    result = read_table(["leads.csv"], options)
    expected = [
        tuple(v or None for v in ("L" + a, b, c)) for n, (a, b, c) in enumerate(table) if n not in strays
    ]
    assert result.frame.collect().rows() == expected
    rejected = pl.read_csv(folder / "leads.rejects.csv", separator=separator)  # as the leads are
    assert rejected["line"].to_list() == [n + 2 for n in sorted(strays)]
    assert rejected["raw"].to_list() == [written[n] for n in sorted(strays)]


def test_stray_quote_inside_a_field_is_kept(folder: Path) -> None:
    put("leads.csv", 'name,size\nThe 12" Co,5\n')
    assert rows("leads.csv") == [{"name": 'The 12" Co', "size": "5"}]


# --- CSV: Excel for Mac's lines ended by a carriage return alone ------------------------

MAC_CELL = st.text(st.sampled_from("abzAZ09 ,.-éñüçÉ'"), max_size=8)


def csv_line(cells: tuple[str, ...]) -> str:
    return ",".join(f'"{c}"' if "," in c else c for c in cells)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.lists(st.tuples(MAC_CELL, MAC_CELL), min_size=1, max_size=20),
    encoding=st.sampled_from(["utf-8", "mac_roman"]),
)
def test_lines_ended_by_a_carriage_return_alone_read_as_lines(
    folder: Path, table: list[tuple[str, str]], encoding: str
) -> None:
    """Each line of a CR-only file is a lead, read as the same file with usual line ends is;
    one that is not UTF-8 is in Mac Roman, as Excel for Mac writes it."""
    lines = ["id,name,note", *(csv_line((f"L{n}", a, b)) for n, (a, b) in enumerate(table))]
    put("unix.csv", "\n".join(lines) + "\n")
    put("mac.csv", "\r".join(lines) + "\r", encoding=encoding)
    mac = read_table(["mac.csv"])
    assert_frame_equal(mac.frame.collect(), read_table(["unix.csv"]).frame.collect())
    assert mac.notices[0] == (
        "mac.csv: lines end in a carriage return alone, as in Excel's Macintosh CSV; read as lines"
    )
    accents = any(not c.isascii() for row in table for cell in row for c in cell)
    assert ("mac.csv: read as Mac Roman (not UTF-8); use --encoding to force another" in mac.notices) == (
        encoding == "mac_roman" and accents
    )


# --- CSV: what Excel writes into CSV for Excel: sep=; and ="00123" --------------------

FORMULA_CELL = st.text(st.sampled_from('ab09 ,"-'), max_size=6)


def csv_text(rows: list[list[str]], separator: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\n").writerows(rows)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.lists(st.tuples(FORMULA_CELL, FORMULA_CELL, FORMULA_CELL), min_size=1, max_size=15),
    wrapped=st.sets(st.integers(0, 2), min_size=1),
)
def test_cells_written_as_excel_formula_text_read_as_their_text(
    folder: Path, table: list[tuple[str, str, str]], wrapped: set[int]
) -> None:
    """="00123" (with a quote inside written "", as in any Excel formula) reads as 00123, and
    =\"\" as empty: the file reads as the same file written with plain cells."""
    header = ["a", "b", "c"]
    plain = [header, *([f"L{n}", *row[1:]] for n, row in enumerate(table))]
    as_formula = [
        header,
        *(
            [('="' + cell.replace('"', '""') + '"') if i in wrapped else cell for i, cell in enumerate(row)]
            for row in plain[1:]
        ),
    ]
    put("plain.csv", csv_text(plain))
    put("formula.csv", csv_text(as_formula))
    read = read_table(["formula.csv"])
    assert_frame_equal(read.frame.collect(), read_table(["plain.csv"]).frame.collect())
    assert read.notices == [
        'formula.csv: cells written ="..." (Excel text, such as ="00123") are read as their text'
    ]


@pytest.mark.parametrize("note", ['x,="y", z', '="', 'a ="b" c', '="y" and more'])
def test_formula_text_inside_another_cell_is_no_excel_text(folder: Path, note: str) -> None:
    """Only a whole cell written ="..." makes the file one of Excel text cells."""
    put("leads.csv", csv_text([["id", "note"], ["L1", note], ["L2", "plain"]]))
    read = read_table(["leads.csv"])
    assert read.frame.collect().rows() == [("L1", note), ("L2", "plain")]
    assert read.notices == []


@pytest.mark.parametrize(("hint", "separator"), [("sep=;", ";"), ('"sep=|"', "|"), ("SEP=\t\t\t", "\t")])
def test_excels_separator_line_names_the_separator_and_is_left_out(
    folder: Path, hint: str, separator: str
) -> None:
    rows = [["id", "name", "visits"], ["1", "Ann, Jr", "3"], ["2", "Bo", "4"]]
    put("leads.csv", hint + "\n" + csv_text(rows, separator))
    read = read_table(["leads.csv"])
    assert read.frame.collect().rows() == [("1", "Ann, Jr", "3"), ("2", "Bo", "4")]
    assert read.notices == []


def test_a_separator_given_wins_over_excels_separator_line(folder: Path) -> None:
    put("leads.csv", "sep=;\nid,name\n1,a;b\n")
    read = read_table(["leads.csv"], ReadOptions(separator=","))
    assert read.frame.collect().rows() == [("1", "a;b")]


# --- CSV: files that are not CSV ------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t", b"\xef\xbb\xbf"])
def test_empty_file(folder: Path, content: bytes) -> None:
    put("leads.csv", content)
    assert error("leads.csv") == "leads.csv is empty: export the leads again, with a header row"


def test_binary_file_renamed_csv(folder: Path) -> None:
    put("leads.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert error("leads.csv") == (
        "leads.csv is not a text CSV (it holds binary data); export the leads as CSV again"
    )


def test_xlsx_renamed_csv(folder: Path) -> None:
    workbook = xlsxwriter.Workbook("real.xlsx")
    workbook.add_worksheet().write(0, 0, "a")
    workbook.close()
    Path("real.xlsx").rename("leads.csv")
    assert error("leads.csv") == (
        "leads.csv is not a text CSV: it looks like an Excel file; rename it to .xlsx"
    )


# --- files that are not there ---------------------------------------------------------


def test_missing_file(folder: Path) -> None:
    assert error("leads.csv") == "leads.csv: file not found"


def test_missing_file_suggests_a_close_name(folder: Path) -> None:
    put("leads.csv", "a\n1\n")
    assert error("leads.cvs") == "leads.cvs: file not found (did you mean 'leads.csv'?)"


def test_folder_instead_of_a_file(folder: Path) -> None:
    (folder / "exports").mkdir()
    assert error("exports") == "exports is a folder, give a file"


def test_unknown_extension(folder: Path) -> None:
    put("leads.pdf", b"%PDF")
    assert error("leads.pdf") == (
        "leads.pdf: cannot read '.pdf' files; "
        "use one of .csv, .tsv, .txt, .xlsx, .xlsm, .json, .ndjson, .jsonl, .parquet"
    )


def test_old_excel_format(folder: Path) -> None:
    put("leads.xls", b"\xd0\xcf\x11\xe0")
    assert error("leads.xls") == (
        "leads.xls is an old-format Excel file (.xls): open it in Excel and save it as .xlsx"
    )


def test_extension_is_case_insensitive(folder: Path) -> None:
    put("LEADS.CSV", "a\n1\n")
    assert rows("LEADS.CSV") == [{"a": "1"}]


# --- standard input and several files -------------------------------------------------


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_dash_reads_csv_from_standard_input(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin("name;city\nJosé;Köln\n".encode("cp1252")))
    result = read_table(["-"])
    assert result.frame.collect().rows() == [("José", "Köln")]
    assert result.sources == ["stdin"]
    assert result.notices == ["stdin: read as Windows-1252 (not UTF-8); use --encoding to force another"]


def test_standard_input_only_once(folder: Path) -> None:
    with pytest.raises(UsageError, match="standard input"):
        read_table(["-", "-"])


def test_several_files_are_stacked_by_column_name(folder: Path) -> None:
    put("a.csv", "email,score\nx@a.com,1\n")
    put("b.csv", "score,email,region\n2,y@b.com,EU\n")
    result = read_table(["a.csv", "b.csv"])
    assert result.sources == ["a.csv", "b.csv"]
    assert result.frame.collect().to_dicts() == [
        {"email": "x@a.com", "score": "1", "region": None},
        {"email": "y@b.com", "score": "2", "region": "EU"},
    ]
    assert result.notices == [
        "a.csv has no column 'region', which b.csv has: its leads are empty there; name the columns alike "
        "in every file"
    ]


def test_stacked_files_that_name_a_column_differently_are_pointed_out(folder: Path) -> None:
    put("a.csv", "lead_id,job_title\nA,CEO\n")
    put("b.csv", "lead_id,Job Title,Phone\nB,VP,1\n")
    put("c.csv", "lead_id,job_title\nC,CTO\n")
    assert read_table(["a.csv", "b.csv", "c.csv"]).notices == [
        "a.csv has no columns 'Job Title', 'Phone' (did you mean 'job_title'?), which b.csv has: its leads "
        "are empty there; name the columns alike in every file",
        "b.csv has no column 'job_title' (did you mean 'Job Title'?), which a.csv has: its leads are empty "
        "there; name the columns alike in every file",
        "c.csv has no columns 'Job Title', 'Phone' (did you mean 'job_title'?), which b.csv has: its leads "
        "are empty there; name the columns alike in every file",
    ]
    assert read_table(["a.csv", "c.csv"]).notices == []


def test_a_single_path_is_accepted_as_well_as_a_list(folder: Path) -> None:
    put("leads.csv", "a\n1\n")
    assert read_table("leads.csv").frame.collect().height == 1  # type: ignore[arg-type]


# --- Excel ----------------------------------------------------------------------------


def build_workbook(path: str) -> None:
    """Two sheets of leads written the way Excel stores them (formulas with cached values)."""
    workbook = xlsxwriter.Workbook(path)
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    leads = workbook.add_worksheet("Leads")
    leads.write_row(0, 0, ["email", "employees", "revenue", "signed_up", "active", "calc", "size", "seats"])
    for i in range(3):
        leads.write_string(i + 1, 0, f"lead{i}@x.com")
        leads.write_number(i + 1, 1, 10 * (i + 1))
        leads.write_number(i + 1, 2, 1.5 * i)
        leads.write_datetime(i + 1, 3, dt.datetime(2024, 1, i + 1), date)
        leads.write_boolean(i + 1, 4, i % 2 == 0)
        leads.write_formula(i + 1, 5, "=1+1", None, 2)
    leads.write_number(1, 6, 50)
    leads.write_string(2, 6, "50+")
    leads.write_number(3, 6, 200)
    leads.write_number(1, 7, 5)
    leads.write_number(2, 7, 7)
    leads.write_string(3, 7, "N/A")
    other = workbook.add_worksheet("Other Leads")
    other.write_row(0, 0, ["Report of 2024-05"])
    other.merge_range(2, 0, 2, 1, "Name")
    other.write_row(2, 2, ["", " email ", "email"])
    other.write_row(3, 0, ["Ann", "x", "y", "a@x", "b@x"])
    workbook.add_worksheet("Empty")
    workbook.add_worksheet("Header only").write_row(0, 0, ["email", "score"])
    workbook.close()


@pytest.fixture
def workbook(folder: Path) -> str:
    build_workbook("leads.xlsx")
    return "leads.xlsx"


def test_xlsx_first_sheet_keeps_its_types(workbook: str) -> None:
    result = read_table([workbook])
    frame = result.frame.collect()
    assert frame.schema == pl.Schema(
        {
            "email": pl.String,
            "employees": pl.Int64,
            "revenue": pl.Float64,
            "signed_up": pl.Date,
            "active": pl.Boolean,
            "calc": pl.Int64,
            "size": pl.String,
            "seats": pl.String,
        }
    )
    assert frame.row(0) == ("lead0@x.com", 10, 0.0, dt.date(2024, 1, 1), True, 2, "50", "5")
    assert result.notices == []


def test_xlsx_column_of_numbers_and_text_is_text_with_every_cell_kept(workbook: str) -> None:
    frame = read_table([workbook]).frame.collect()
    assert frame["size"].to_list() == ["50", "50+", "200"]
    assert frame["seats"].to_list() == ["5", "7", "N/A"]


def test_xlsx_formula_gives_its_cached_value(workbook: str) -> None:
    assert read_table([workbook]).frame.collect()["calc"].to_list() == [2, 2, 2]


@pytest.mark.parametrize("sheet", ["other leads", "OTHER LEADS", 2, "2"])
def test_xlsx_sheet_by_name_or_number(workbook: str, sheet: str | int) -> None:
    frame = read_table([workbook], ReadOptions(sheet=sheet, header_row=3)).frame.collect()
    assert frame.rows() == [("Ann", "x", "y", "a@x", "b@x")]


def test_xlsx_merged_empty_and_repeated_header_cells(workbook: str) -> None:
    result = read_table([workbook], ReadOptions(sheet="Other Leads", header_row=3))
    assert result.frame.collect_schema().names() == ["Name", "column_2", "column_3", "email", "email_2"]
    assert result.notices == [
        "leads.xlsx: column 2 has no header: named it 'column_2'; "
        "column 3 has no header: named it 'column_3'; repeated column 'email' renamed 'email_2'"
    ]


def test_xlsx_hidden_sheets_before_the_leads_are_passed_over_with_a_note(folder: Path) -> None:
    """A sheet of lists for drop-downs, hidden first: Excel shows the leads' sheet first."""
    book = openpyxl.Workbook()
    lists = book.active
    lists.title, lists.sheet_state = "lists", "hidden"
    lists.append(["country"])
    leads = book.create_sheet("Leads")
    leads.append(["lead_id", "employees"])
    leads.append(["L1", 1500])
    book.create_sheet("Notes").append(["written by hand"])
    book.save("leads.xlsx")
    result = read_table(["leads.xlsx"])
    assert result.frame.collect().rows() == [("L1", 1500)]
    assert result.notices == [
        "leads.xlsx: sheet 'lists' is hidden: read sheet 'Leads', the first one shown; --sheet chooses another"
    ]
    chosen = read_table(["leads.xlsx"], ReadOptions(sheet="lists"))
    assert (chosen.frame.collect().columns, chosen.notices) == (["country"], [])
    # numbers count the tabs Excel shows: 1 is Leads, 2 is Notes, and there is no third
    assert read_table(["leads.xlsx"], ReadOptions(sheet=1)).frame.collect().rows() == [("L1", 1500)]
    assert read_table(["leads.xlsx"], ReadOptions(sheet="2")).frame.collect().columns == ["written by hand"]
    assert error("leads.xlsx", ReadOptions(sheet=3)) == (
        "leads.xlsx has no sheet number 3: it shows 2 sheets ('Leads', 'Notes')"
    )


def test_xlsx_unknown_sheet(workbook: str) -> None:
    assert error(workbook, ReadOptions(sheet="Leeds")) == (
        "leads.xlsx has no sheet 'Leeds' (did you mean 'Leads'?); "
        "its sheets are 'Leads', 'Other Leads', 'Empty', 'Header only'"
    )


def test_xlsx_sheet_number_out_of_range(workbook: str) -> None:
    assert error(workbook, ReadOptions(sheet=9)) == (
        "leads.xlsx has no sheet number 9: it has 4 sheets ('Leads', 'Other Leads', 'Empty', 'Header only')"
    )


def test_xlsx_empty_sheet(workbook: str) -> None:
    assert error(workbook, ReadOptions(sheet="empty")) == (
        "sheet 'Empty' of leads.xlsx is empty: choose the sheet with the leads with --sheet"
    )


def test_xlsx_empty_header_row(workbook: str) -> None:
    assert error(workbook, ReadOptions(sheet="Other Leads", header_row=2)) == (
        "row 2 of sheet 'Other Leads' in leads.xlsx is empty; give the row of the header with --header-row"
    )


def test_xlsx_header_without_rows_is_an_empty_frame(workbook: str) -> None:
    frame = read_table([workbook], ReadOptions(sheet="Header only")).frame.collect()
    assert frame.shape == (0, 2)
    assert frame.schema == pl.Schema({"email": pl.String, "score": pl.String})


def test_text_renamed_xlsx(folder: Path) -> None:
    put("leads.xlsx", "email\na@b.com\n")
    assert error("leads.xlsx") == "leads.xlsx is not an Excel file: it looks like text; rename it to .csv"


def test_broken_xlsx(folder: Path) -> None:
    put("leads.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    assert error("leads.xlsx").startswith("leads.xlsx cannot be opened as an Excel workbook (")


def _percent_workbook(path: str, first_row: int = 0, first_column: int = 0) -> None:
    """A sheet whose number cells are formatted as percentages in several ways (and some not)."""
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    formats = {
        code: workbook.add_format({"num_format": code})
        for code in ("0%", "0.00%", "0.0%;[Red]-0.0%", '0" %"', "0\\%", "0.00")
    }
    columns = {  # name: the format of its cells, and the values they hold
        "id": (None, ["L1", "L2", "L3"]),
        "open_rate": ("0%", [0.45, 0.455, None]),  # 0.455 shows as 46%: it is read as 45.5
        "win": ("0.00%", [0.07, 1, -0.125]),
        "red": ("0.0%;[Red]-0.0%", [0.5, -0.25, 0.333]),
        "quoted": ('0" %"', [45, 46, 47]),  # a % in quotes is text shown after the number
        "escaped": ("0\\%", [45, 46, 47]),
        "some": (None, [0.5, 0.25, 0.3]),  # one cell formatted 0%, the others not: as it is
        "plain": ("0.00", [0.5, 0.25, 0.3]),
    }
    for position, (name, (code, values)) in enumerate(columns.items()):
        sheet.write(first_row, first_column + position, name)
        for row, value in enumerate(values, start=first_row + 1):
            cell_format = (
                formats["0%"] if name == "some" and row == first_row + 1 else formats.get(code or "")
            )
            if value is not None:
                sheet.write(row, first_column + position, value, cell_format)
    workbook.close()


@pytest.mark.parametrize(("first_row", "first_column"), [(0, 0), (2, 2)])
def test_xlsx_percent_cells_read_as_excel_shows_them(folder: Path, first_row: int, first_column: int) -> None:
    _percent_workbook("leads.xlsx", first_row, first_column)
    result = read_table(["leads.xlsx"])
    assert result.frame.collect().to_dict(as_series=False) == {
        "id": ["L1", "L2", "L3"],
        "open_rate": [45.0, 45.5, None],
        "win": [7.0, 100.0, -12.5],
        "red": [50.0, -25.0, 33.3],
        "quoted": [45, 46, 47],
        "escaped": [45, 46, 47],
        "some": [0.5, 0.25, 0.3],
        "plain": [0.5, 0.25, 0.3],
    }
    assert result.notices == [
        "leads.xlsx: columns 'open_rate', 'win', 'red' are formatted as percentages: "
        "read as Excel shows them (45% as 45, not 0.45)"
    ]


def test_xlsx_percent_cells_below_a_title_and_on_another_sheet(folder: Path) -> None:
    workbook = xlsxwriter.Workbook("leads.xlsx")
    workbook.add_worksheet("Notes").write(0, 0, "nothing here")
    sheet = workbook.add_worksheet("Leads")
    percent = workbook.add_format({"num_format": "0%"})
    sheet.write(0, 0, "Open leads, EMEA")
    sheet.write_row(2, 0, ["id", "name", "open_rate"])
    sheet.write_row(3, 0, ["L1", "Ana"])
    sheet.write(3, 2, 0.45, percent)
    workbook.close()
    result = read_table(["leads.xlsx"], ReadOptions(sheet="Leads"))
    assert result.frame.collect().rows() == [("L1", "Ana", 45)]
    assert "column 'open_rate' is formatted as percentages" in result.notices[0]


@pytest.mark.parametrize("sheet", [1, 7])
def test_a_sheet_the_workbook_does_not_list_as_expected_keeps_its_values(folder: Path, sheet: int) -> None:
    """The percent formats are a nicety: a sheet position the workbook's own list does not hold
    (a chart sheet counted otherwise, say) gives no column, not an error."""
    from leadscore.io.excel_percent import percent_columns

    _percent_workbook("leads.xlsx")
    frame = pl.DataFrame({"id": ["L1", "L2", "L3"], "open_rate": [0.45, 0.455, None]})
    assert percent_columns(Path("leads.xlsx"), sheet, None, frame) == []
    assert percent_columns(Path("leads.xlsx"), 0, None, frame) == [1]


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=6, allow_nan=False, allow_infinity=False))
def test_a_percent_is_the_fraction_with_its_point_moved_two_places(fraction: object) -> None:
    """No floating-point dust (0.07 is 7, not 7.000000000000001) and no rounding to the format's digits."""
    from leadscore.io.excel_percent import as_percent

    value = float(str(fraction))
    got = pl.select(as_percent(pl.lit(value))).item()
    assert got == float(Decimal(repr(value)).scaleb(2))


def test_xlsx_column_of_numbers_and_text_away_from_the_sheets_corner(folder: Path) -> None:
    """A table that starts at C3: the column read again as text is the one that held the text."""
    workbook = xlsxwriter.Workbook("leads.xlsx")
    sheet = workbook.add_worksheet()
    sheet.write_row(2, 2, ["id", "visits", "budget"])
    sheet.write_row(3, 2, ["L1", 3, 1200])
    sheet.write_row(4, 2, ["L2", "N/A", 900])
    workbook.close()
    assert rows("leads.xlsx") == [
        {"id": "L1", "visits": "3", "budget": 1200},
        {"id": "L2", "visits": "N/A", "budget": 900},
    ]


EXCEL_LOCK = b"\x0bMaria Lopez" + b" " * 43 + b"\x0b\x00M\x00a\x00r\x00i\x00a\x00" + b"\x00" * 98  # 165 bytes


def test_excels_lock_file_beside_the_workbook_is_left_out_with_a_note(workbook: str) -> None:
    """leads.xlsx open in Excel: '*.xlsx' names its lock file ~$leads.xlsx too."""
    put("~$leads.xlsx", EXCEL_LOCK)
    result = read_table(["leads.xlsx", "~$leads.xlsx"])
    assert result.sources == ["leads.xlsx"]
    assert result.frame.collect().height == 3
    assert result.notices == [
        "~$leads.xlsx: left out: it is Excel's lock file for leads.xlsx, which is open in Excel"
    ]


def test_excels_lock_file_alone_is_refused_naming_its_workbook(folder: Path) -> None:
    put("~$leads.xlsx", EXCEL_LOCK)
    assert error("~$leads.xlsx") == (
        "~$leads.xlsx is Excel's lock file for leads.xlsx, which is open in Excel, not a workbook; "
        "give leads.xlsx itself"
    )
    assert error("leads.xlsx") == "leads.xlsx: file not found"  # not 'did you mean ~$leads.xlsx?'


def test_xlsx_dates_in_a_column_with_text_read_as_excel_shows_them(folder: Path) -> None:
    """Date cells among text ('N/A', '10/25/2026'): a date at midnight reads 2026-10-20, not
    '2026-10-20 00:00:00'; a date with a time keeps it; text typed into a cell stays as typed.
    'mostly' is mostly dates, which fastexcel reads as dates before the text is found."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["lead_id", "last_activity", "mostly"])
    cells = [
        dt.datetime(2026, 10, 20),
        "N/A",
        "10/25/2026",
        dt.datetime(2026, 10, 21, 14, 5),
        "2026-10-22 00:00:00",
    ]
    for number, cell in enumerate(cells, start=2):
        sheet.append([f"L{number}", cell, dt.datetime(2026, 10, number) if number < 6 else "N/A"])
        for column in (2, 3):
            sheet.cell(number, column).number_format = "yyyy-mm-dd"
    book.save("leads.xlsx")
    frame = read_table(["leads.xlsx"]).frame.collect()
    assert frame["last_activity"].to_list() == [
        "2026-10-20", "N/A", "10/25/2026", "2026-10-21 14:05:00", "2026-10-22 00:00:00"
    ]  # fmt: skip
    assert frame["mostly"].to_list() == ["2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "N/A"]


def test_xlsx_and_csv_stack_into_text_where_types_differ(workbook: str) -> None:
    put("more.csv", "email,employees\nz@z.com,12\n")
    frame = read_table([workbook, "more.csv"]).frame.collect()
    assert frame.schema["employees"] == pl.String
    assert frame["employees"].to_list() == ["10", "20", "30", "12"]


# --- JSON, NDJSON, Parquet ------------------------------------------------------------


def test_json_array_of_records_keeps_key_order(folder: Path) -> None:
    put("leads.json", json.dumps([{"z": 1, "a": "x"}, {"a": "y", "m": True, "z": 2}]))
    frame = read_table(["leads.json"]).frame.collect()
    assert frame.columns == ["z", "a", "m"]
    assert frame.rows() == [(1, "x", None), (2, "y", True)]


def test_json_must_be_an_array(folder: Path) -> None:
    put("leads.json", '"L001"')
    assert error("leads.json") == (
        'leads.json must hold an array of lead records, like [{"email": "a@b.com"}, ...], '
        "but it starts with '\"'"
    )


RECORDS = st.lists(
    st.dictionaries(
        st.sampled_from(["Id", "Email", "Title", "employees"]),
        st.one_of(st.none(), st.integers(-5, 5), st.text(max_size=5), st.booleans()),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=RECORDS,
    path=st.lists(st.sampled_from(["result", "records", "data", "items"]), min_size=1, max_size=3),
)
def test_an_api_answer_is_read_from_its_one_array_of_records(
    folder: Path, records: list[dict[str, object]], path: list[str]
) -> None:
    """{"result": {"records": [...]}} (Salesforce), {"results": [...], "paging": ...} (HubSpot):
    the same leads as the bare array, whatever else the object holds beside it."""
    answer: object = records
    for key in reversed(path):
        answer = {"total": len(records), key: answer, "paging": {"next": None, "tags": ["x"]}}
    put("bare.json", json.dumps(records))
    put("answer.json", json.dumps(answer))
    bare = read_table(["bare.json"])
    wrapped = read_table(["answer.json"])
    assert wrapped.frame.collect().equals(bare.frame.collect())
    assert wrapped.notices == [f"answer.json: read the {len(records):,} records under '{'.'.join(path)}'"]


def test_an_object_with_several_arrays_or_none_is_refused(folder: Path) -> None:
    put("two.json", json.dumps({"leads": [{"a": 1}], "contacts": [{"a": 2}], "owners": []}))
    assert error("two.json") == (
        "two.json holds an object with several arrays of records ('leads', 'contacts'); export the leads "
        'as one array, like [{"email": "a@b.com"}, ...]'
    )
    put("none.json", json.dumps({"count": 3, "ids": [1, 2, 3]}))
    assert error("none.json") == (
        "none.json holds an object with no array of lead records; export the leads as one array, "
        'like [{"email": "a@b.com"}, ...]'
    )


def test_a_hubspot_answer_reads_the_fields_of_its_properties_as_columns(folder: Path) -> None:
    """HubSpot's v3 API keeps a record's fields in 'properties'; its own fields (id, createdAt...)
    stay columns, except where a property has the same name: the property is the CRM's field."""
    record = {"id": "101", "properties": {"lead_id": "H1", "company_size": "2000", "createdAt": "p"}}
    answer = {"results": [{**record, "createdAt": "2026-01-02T10:00:00Z", "archived": False}],
              "paging": {"next": {"after": "2"}}}  # fmt: skip
    put("hub.json", json.dumps(answer))
    result = read_table(["hub.json"])
    assert result.frame.collect().rows(named=True) == [
        {"id": "101", "lead_id": "H1", "company_size": "2000", "createdAt": "p", "archived": False}
    ]
    assert result.notices == [
        "hub.json: read the 1 records under 'results', the fields of their 'properties' as columns "
        "(their own field 'createdAt' left out for the property of that name)"
    ]
    # saved as a bare array, or one record a line: the same columns
    records = answer["results"]
    put("hub_array.json", json.dumps(records))
    put("hub.ndjson", "\n".join(json.dumps(r) for r in records))
    put("hub_lines.json", "\n".join(json.dumps(r) for r in records * 2))
    for name in ("hub_array.json", "hub.ndjson", "hub_lines.json"):
        read = read_table([name])
        assert read.frame.collect().head(1).rows(named=True) == result.frame.collect().rows(named=True)
        assert read.notices[-1] == (
            f"{name}: read the fields of the records' 'properties' as columns "
            "(their own field 'createdAt' left out for the property of that name)"
        )


def test_json_lines_in_a_json_file_are_read_as_ndjson(folder: Path) -> None:
    put("lines_as.json", '{"lead_id": "L1", "size": 5}\r\n\n{"lead_id": "L2"}\n')
    result = read_table(["lines_as.json"])
    assert result.frame.collect().rows() == [("L1", 5), ("L2", None)]
    assert result.notices == [
        "lines_as.json holds one JSON record per line (JSON Lines), not one JSON document: read it as .ndjson"
    ]
    put("lines_as.json", '{"lead_id": "L1"}\n{"lead_id": }\n')
    assert error("lines_as.json") == (
        "lines_as.json line 2 is not valid JSON (expecting value at column 13); "
        "fix the line or export the file again"
    )


def test_json_records_run_together_are_no_json_lines(folder: Path) -> None:
    put("leads.json", '{"a": 1} {"a": 2}\n')
    assert error("leads.json") == (
        "leads.json is not valid JSON: extra data at line 1 column 10; fix the file or export it again"
    )
    put("leads.json", '{"a": 1,\n "b": 2}\n{"a": 2}\n')
    assert error("leads.json") == (
        "leads.json is not valid JSON: extra data at line 3 column 1; fix the file or export it again"
    )


def test_json_array_items_must_be_records(folder: Path) -> None:
    put("leads.json", '[{"a": 1}, 5]')
    assert error("leads.json") == (
        'leads.json: item 2 of the array is a number, not a record ({"field": value, ...}); '
        "the file must be an array of records"
    )


def test_invalid_json_says_where(folder: Path) -> None:
    put("leads.json", '[{"a": 1},\n {"a": }]')
    assert error("leads.json") == (
        "leads.json is not valid JSON: expecting value at line 2 column 8; fix the file or export it again"
    )


def test_empty_json(folder: Path) -> None:
    put("leads.json", "  ")
    assert error("leads.json") == "leads.json is empty: export the leads again"
    put("leads.json", "[ ]")
    assert (
        error("leads.json") == "leads.json holds no lead records: its array is empty; export the leads again"
    )
    put("answer.json", json.dumps({"result": {"totalSize": 0, "records": []}}))
    assert error("answer.json") == (
        "answer.json holds no lead records: its array 'result.records' is empty; export the leads again"
    )
    put("answer.json", json.dumps({"results": [], "errors": []}))
    assert error("answer.json") == (
        "answer.json holds no lead records: its arrays 'results', 'errors' are empty; export the leads again"
    )


def test_ndjson_bad_line_is_named(folder: Path) -> None:
    put("leads.ndjson", '{"a": 1}\n{"a": 2}\nnot json\n')
    assert error("leads.ndjson") == (
        "leads.ndjson line 3 is not valid JSON (expecting value at column 1); "
        "fix the line or export the file again"
    )


def test_ndjson_and_jsonl(folder: Path) -> None:
    put("leads.jsonl", '{"email": "a@b.com", "score": 3}\n\n{"email": "c@d.com"}\n')
    assert rows("leads.jsonl") == [{"email": "a@b.com", "score": 3}, {"email": "c@d.com", "score": None}]


def test_corrupt_parquet(folder: Path) -> None:
    put("leads.parquet", b"PAR1 this is not really parquet PAR1")
    assert error("leads.parquet").startswith("leads.parquet cannot be read as Parquet (")


def test_text_renamed_parquet(folder: Path) -> None:
    put("leads.parquet", "a,b\n1,2\n")
    assert (
        error("leads.parquet") == "leads.parquet is not a Parquet file, or it was cut short; export it again"
    )


def test_parquet_column_names_are_cleaned(folder: Path) -> None:
    pl.DataFrame({" email ": ["a"], "": [1]}).write_parquet("leads.parquet")
    result = read_table(["leads.parquet"])
    assert_frame_equal(result.frame.collect(), pl.DataFrame({"email": ["a"], "column_2": [1]}))


def test_skip_bad_rows_in_a_file_polars_cannot_parse(folder: Path) -> None:
    put("leads.csv", 'name,size\nThe 12" Co,5\n1,2,3\nAcme,7\n')
    result = read_table(["leads.csv"], ReadOptions(skip_bad_rows=True))
    assert result.frame.collect().rows() == [('The 12" Co', "5"), ("Acme", "7")]
    assert result.rejected_rows == 1


def test_a_semicolon_file_stacked_with_a_comma_file_is_read_one_way_with_a_note(folder: Path) -> None:
    Path("us.csv").write_text("lead_id,size\nA1,5\n", encoding="utf-8")
    Path("eu.csv").write_text("lead_id;size\nB1;1.500\n", encoding="utf-8")
    read = read_table(["us.csv", "eu.csv"])
    assert (read.conventions.decimal_comma, read.conventions.dayfirst) == (False, False)
    assert read.notices == [
        "'eu.csv' is ';'-separated and 'us.csv' not: all are read with a decimal point (1.200 is 1.2) and "
        "dates month first; --decimal-comma and --dayfirst read them all the other way"
    ]
    chosen = read_table(["us.csv", "eu.csv"], ReadOptions(decimal_comma=True, dayfirst=True))
    assert chosen.notices == []
