"""Messy exports fed through ``leadscore score``, one test per kind of mess, each checking the outcome.

The CSV files in ``tests/messy/`` are checked in byte for byte (encodings, BOMs, separators and
line endings are the point); the workbooks are built by :func:`workbooks` with xlsxwriter. Every
one of them goes through :func:`test_every_messy_file_gives_an_exit_code_and_no_traceback`, so a
file added to the folder must say there what it is expected to do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner, Result

from leadscore.cli import app
from leadscore.readability import looks_like_range

MESSY = Path(__file__).parent / "messy"
MODEL = Path(__file__).parent / "fixtures" / "messy_model.toml"
HEADER = [
    "lead_id", "name", "country", "employees", "budget", "open_rate", "visits", "last_activity",
    "demo_requested",
]  # fmt: skip

# Every file in tests/messy/ (and every workbook built below) with its exit code on a plain run.
EXPECTED_EXIT = {
    "amounts.csv": 0,
    "binary.csv": 1,
    "blank_ids.csv": 0,
    "cp1252.csv": 0,
    "dates_dayfirst.csv": 0,
    "dates_mixed.csv": 0,
    "duplicate_ids.csv": 0,
    "embedded_newlines.csv": 0,
    "empty.csv": 1,
    "excel_text.csv": 0,  # a sep=, line, and ids and numbers written ="L001" for Excel
    "formula_injection.csv": 0,
    "header_only.csv": 1,
    "mac_roman_cr.csv": 0,  # Excel for Mac's "CSV (Macintosh)": lines end in a carriage return alone
    "missing_id_column.csv": 1,
    "crm_headers.csv": 1,
    "salesforce_answer.json": 0,
    "numbers_as_text.csv": 0,
    "pandas_floats.csv": 0,  # pandas' 0/1 and number columns with blanks: 1.0, 0.0, 1500.0
    "picklist_ranges.csv": 1,  # HubSpot's employee counts: '51-200', '10,001+'
    "placeholders.csv": 0,
    "ragged_rows.csv": 1,
    "report_export.csv": 0,
    "semicolon_decimal_comma.csv": 0,
    "split_lead.csv": 0,  # a note names the two lines (tests/test_csv_integrity.py)
    "trailing_separators.csv": 0,  # every data row ends with a ',' the header lacks
    "unclosed_quote.csv": 1,  # a quote that opens a field is never closed
    "unreadable_column.csv": 1,
    "utf8.csv": 0,
    "utf8_bom.csv": 0,
    "utf8_with_a_cp1252_line.csv": 0,
    # workbooks
    "multi_sheet.xlsx": 1,  # the leads are on the second sheet
    "header_row_3.xlsx": 0,  # two title rows above the header, found
    "merged_header.xlsx": 0,
    "formulas.xlsx": 0,
    "totals_row.xlsx": 0,
    "empty_sheet.xlsx": 1,
    "header_only.xlsx": 1,
    "line_break_header.xlsx": 0,  # Alt+Enter in a header cell: 'Annual\nRevenue'
    "percent_cells.xlsx": 0,  # open_rate formatted 0%: 0.405 shown as 41%
}

runner = CliRunner()


def score(*args: str | Path) -> Result:
    """Run ``leadscore score`` with the messy model as of 2026-11-01, writing out.csv."""
    return run("score", *args, "-m", str(MODEL), "--as-of", "2026-11-01")


def run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    # CliRunner catches exceptions; an exception that is not an exit is a crash.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    assert "unexpected problem" not in result.stderr
    return result


def scored(path: str | Path = "out.csv") -> dict[str, dict[str, str | None]]:
    """The written file as {lead_id: row}, every cell as text (';'-separated files as such)."""
    header = Path(path).read_text(encoding="utf-8").splitlines()[0]
    frame = pl.read_csv(path, infer_schema=False, separator=";" if ";" in header else ",")
    return {row["lead_id"]: row for row in frame.to_dicts()}


def messages(result: Result, kind: str) -> list[str]:
    return [line[len(kind) + 2 :] for line in result.stderr.splitlines() if line.startswith(f"{kind}: ")]


# --- workbooks ------------------------------------------------------------------------

LEADS_ROWS = [
    ["L001", "José Núñez", "Spain", 1500, 2000, 40, 10, "2026-10-20", "yes"],
    ["L002", "Ana Silva", "Portugal", 40, 500, 10, 1, "2026-05-01", "no"],
    ["L003", "Luc Martin", "France", 1200, 900, 30, 4, "2026-10-30", "no"],
]


def _leads_sheet(sheet: object, first_row: int = 0) -> None:
    sheet.write_row(first_row, 0, HEADER)  # type: ignore[attr-defined]
    for i, row in enumerate(LEADS_ROWS, start=first_row + 1):
        sheet.write_row(i, 0, row)  # type: ignore[attr-defined]


def _multi_sheet(book: object) -> None:
    book.add_worksheet("Notes").write(0, 0, "Exported from the CRM on 2026-11-01")  # type: ignore[attr-defined]
    _leads_sheet(book.add_worksheet("Leads"))  # type: ignore[attr-defined]
    book.add_worksheet("Empty")  # type: ignore[attr-defined]


def _header_row_3(book: object) -> None:
    sheet = book.add_worksheet("Export")  # type: ignore[attr-defined]
    sheet.write(0, 0, "Leads export")
    sheet.write(1, 0, "Generated 2026-11-01 02:00")
    _leads_sheet(sheet, first_row=2)


def _merged_header(book: object) -> None:
    """'name' merged over two header cells, and a column with data but no header at the end."""
    sheet = book.add_worksheet("Leads")  # type: ignore[attr-defined]
    sheet.write_row(0, 3, HEADER[2:])
    sheet.write(0, 0, HEADER[0])
    sheet.merge_range(0, 1, 0, 2, "name")
    for i, row in enumerate(LEADS_ROWS, start=1):
        sheet.write_row(i, 0, [*row[:2], "second line of the name", *row[2:], "note with no header"])


def _formulas(book: object) -> None:
    """Formula cells keep the value Excel cached when it saved the file."""
    sheet = book.add_worksheet("Leads")  # type: ignore[attr-defined]
    _leads_sheet(sheet)
    sheet.write_formula(1, 3, "=750*2", None, 1500)  # employees
    sheet.write_formula(2, 6, "=2+3", None, 5)  # visits
    sheet.write_formula(3, 4, "=1/0", None, "#DIV/0!")  # budget: an error cell


def _totals_row(book: object) -> None:
    """A report's totals row below the leads: the visits it sums would rank it first."""
    sheet = book.add_worksheet("Leads")  # type: ignore[attr-defined]
    _leads_sheet(sheet)
    sheet.write_row(len(LEADS_ROWS) + 1, 0, ["Total", None, None, 2740, 3400, 80, 15])  # type: ignore[attr-defined]


def _empty_sheet(book: object) -> None:
    book.add_worksheet("Sheet1")  # type: ignore[attr-defined]


def _header_only(book: object) -> None:
    book.add_worksheet("Leads").write_row(0, 0, HEADER)  # type: ignore[attr-defined]


def _line_break_header(book: object) -> None:
    """Header cells typed with Alt+Enter ('Annual\nRevenue') and doubled spaces ('Lead  Source')."""
    sheet = book.add_worksheet("Leads")  # type: ignore[attr-defined]
    sheet.write_row(0, 0, [*HEADER, "Annual\nRevenue", "Lead  Source"])  # type: ignore[attr-defined]
    for i, row in enumerate(LEADS_ROWS, start=1):
        sheet.write_row(i, 0, [*row, 2000 * i, "Webinar"])  # type: ignore[attr-defined]


def _percent_cells(book: object) -> None:
    """open_rate as Excel stores a cell formatted 0%: 0.405 (shown 41%), 0.1, 0.3."""
    sheet = book.add_worksheet("Leads")  # type: ignore[attr-defined]
    _leads_sheet(sheet)
    percent = book.add_format({"num_format": "0%"})  # type: ignore[attr-defined]
    for row, value in enumerate([0.405, 0.1, 0.3], start=1):
        sheet.write_number(row, HEADER.index("open_rate"), value, percent)


BUILDERS: dict[str, Callable[[object], None]] = {
    "multi_sheet.xlsx": _multi_sheet,
    "header_row_3.xlsx": _header_row_3,
    "merged_header.xlsx": _merged_header,
    "formulas.xlsx": _formulas,
    "totals_row.xlsx": _totals_row,
    "empty_sheet.xlsx": _empty_sheet,
    "header_only.xlsx": _header_only,
    "line_break_header.xlsx": _line_break_header,
    "percent_cells.xlsx": _percent_cells,
}


@pytest.fixture(scope="session")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import xlsxwriter  # type: ignore[import-untyped]

    folder = tmp_path_factory.mktemp("workbooks")
    for name, build in BUILDERS.items():
        book = xlsxwriter.Workbook(str(folder / name))
        build(book)
        book.close()
    return folder


def messy_file(name: str, workbooks: Path) -> Path:
    return workbooks / name if name in BUILDERS else MESSY / name


# --- every file: an exit code, and never a traceback ------------------------------------


def test_every_file_in_the_folder_has_an_expected_outcome() -> None:
    on_disk = {p.name for p in MESSY.iterdir()} | set(BUILDERS)
    assert on_disk == set(EXPECTED_EXIT)


@pytest.mark.parametrize("name", sorted(EXPECTED_EXIT))
def test_every_messy_file_gives_an_exit_code_and_no_traceback(
    name: str, workbooks: Path, in_tmp: Path
) -> None:
    result = score(messy_file(name, workbooks), "-o", "out.csv")
    assert result.exit_code == EXPECTED_EXIT[name], result.stderr
    if result.exit_code:
        assert len(result.stderr.splitlines()) == 1, result.stderr  # one clear line
        assert result.stderr.startswith("Error: ")
        assert not (in_tmp / "out.csv").exists()
    else:
        assert (in_tmp / "out.csv").exists()


@pytest.mark.parametrize("name", ["header_only.csv", "header_only.xlsx"])
def test_check_refuses_a_file_without_rows_as_score_does(name: str, workbooks: Path, in_tmp: Path) -> None:
    checked = run("check", MODEL, "--input", messy_file(name, workbooks))
    scored_run = score(messy_file(name, workbooks), "-o", "out.csv")
    assert checked.exit_code == scored_run.exit_code == 1
    assert checked.stderr == scored_run.stderr
    assert "has a header but no rows" in checked.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED_EXIT))
def test_every_messy_file_with_every_option_is_handled(name: str, workbooks: Path, in_tmp: Path) -> None:
    result = score(
        messy_file(name, workbooks), "-o", "out.xlsx", "--skip-bad-rows", "--dayfirst", "--dedupe", "first",
        "--safe-csv", "--summary-json", "summary.json", "--log-file", "run.log", "--fail-on-warnings", "-q",
    )  # fmt: skip
    assert result.exit_code in (0, 1)
    summary = json.loads((in_tmp / "summary.json").read_text(encoding="utf-8"))
    assert summary["exit_code"] == result.exit_code
    assert "end: exit" in (in_tmp / "run.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED_EXIT))
def test_every_messy_file_as_previous_is_refused_or_compared(
    name: str, workbooks: Path, in_tmp: Path
) -> None:
    result = score(MESSY / "utf8.csv", "-o", "out.csv", "--previous", messy_file(name, workbooks))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr


# --- encodings ------------------------------------------------------------------------


def test_excels_sep_line_and_formula_text_score_as_the_plain_file(in_tmp: Path) -> None:
    plain = score(MESSY / "utf8.csv", "-o", "plain.csv", "-q")
    result = score(MESSY / "excel_text.csv", "-o", "out.csv")
    assert plain.exit_code == result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        f'{MESSY / "excel_text.csv"}: cells written ="..." (Excel text, such as ="00123") are read as their text'
    ]
    assert scored("out.csv") == scored("plain.csv")


def test_utf8_with_and_without_bom_give_the_same_output(in_tmp: Path) -> None:
    assert score(MESSY / "utf8.csv", "-o", "plain.csv", "-q").exit_code == 0
    with_bom = score(MESSY / "utf8_bom.csv", "-o", "bom.csv")
    assert with_bom.exit_code == 0
    assert (in_tmp / "plain.csv").read_bytes() == (in_tmp / "bom.csv").read_bytes()
    assert messages(with_bom, "note") == []  # UTF-8 needs no remark
    assert scored("bom.csv")["L001"]["name"] == "José Núñez"
    assert next(iter(scored("bom.csv")["L001"])) == "lead_id"  # the BOM is not part of the first name


def test_windows_1252_export_reads_accents_with_one_note(in_tmp: Path) -> None:
    result = score(MESSY / "cp1252.csv", "-o", "out.csv")
    assert result.exit_code == 0
    assert messages(result, "note") == [
        f"{MESSY / 'cp1252.csv'}: read as Windows-1252 (not UTF-8); use --encoding to force another"
    ]
    names = [row["name"] for row in scored().values()]
    assert sorted(names) == ["Conceição Ribeiro", "Cœur Müller", "François Lefèvre", "José Núñez"]


def test_a_macintosh_csv_reads_its_lines_and_accents_with_notes(in_tmp: Path) -> None:
    path = MESSY / "mac_roman_cr.csv"
    result = score(path, "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        f"{path}: lines end in a carriage return alone, as in Excel's Macintosh CSV; read as lines",
        f"{path}: read as Mac Roman (not UTF-8); use --encoding to force another",
    ]
    names = [row["name"] for row in scored().values()]
    assert sorted(names) == ["Conceição Ribeiro", "Cœur Müller", "François Lefèvre", "José Núñez"]


def test_a_windows_1252_line_pasted_into_a_utf8_export_reads_as_both_were_meant(in_tmp: Path) -> None:
    result = score(MESSY / "utf8_with_a_cp1252_line.csv", "-o", "out.csv")
    assert result.exit_code == 0
    assert messages(result, "note") == [
        f"{MESSY / 'utf8_with_a_cp1252_line.csv'}: line 3 read as Windows-1252 (not UTF-8), the rest of "
        "the file as UTF-8; if its accents look wrong, use --encoding with the file's encoding"
    ]
    rows = scored()
    assert [rows[i]["name"] for i in ("L001", "L002", "L003")] == [
        "Zoë Ångström", "José Núñez", "François Lefèvre"
    ]  # fmt: skip
    assert rows["L002"]["country"] == "España"


def test_encoding_option_forces_the_encoding(in_tmp: Path) -> None:
    wrong = score(MESSY / "cp1252.csv", "-o", "out.csv", "--encoding", "utf-8")
    assert wrong.exit_code == 1
    assert wrong.stderr == (
        f"Error: {MESSY / 'cp1252.csv'} line 2 is not valid utf-8 (byte 0xe9); "
        "use --encoding with the file's real encoding, such as cp1252 or latin-1\n"
    )
    forced = score(MESSY / "cp1252.csv", "-o", "out.csv", "--encoding", "latin-1")
    assert forced.exit_code == 0
    assert messages(forced, "note") == []  # forced: nothing to remark
    assert scored()["L004"]["name"] == "C\x9cur Müller"  # what Latin-1 makes of the 'œ' byte


# --- regional CSV ---------------------------------------------------------------------


def test_semicolons_and_decimal_commas(in_tmp: Path) -> None:
    result = score(MESSY / "semicolon_decimal_comma.csv", "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    rows = scored()
    # 1.234,5 is 1234.5 (Budget +10), 40,5% is 40.5 (Opens e-mails +5), "sí" is yes (Demo +25)
    assert rows["L001"]["reasons"] == "Demo request +25; Budget +10; Recently active +10"
    assert rows["L001"]["score"] == "57"  # with Opens e-mails +5, Core market +5 and a visit +2
    assert rows["L002"]["score"] == "7"  # 950,75 < 1000, 12,5% < 25: only Spain +5 and a visit +2
    assert rows["L003"]["reasons"] == "Big company +20; Recently active +10; Website visits +8"  # 2.500.000
    assert rows["L001"]["budget"] == "1.234,5"  # cells are written as they were read


HALF_POINTS = '\n[[rules]]\nname = "Half a point a visit"\ndimension = "engagement"\ncolumn = "visits"\npoints_per_unit = 0.5\n'


def test_a_semicolon_file_is_ranked_into_one_that_scores_the_same_again(in_tmp: Path) -> None:
    """The ranked file of a ';'-separated export is ';'-separated too, with leadscore's numbers
    written 5,5, for the spreadsheet that wrote the export; scored again, or compared with as
    --previous, or reported on, it is read as the export was (1.234,5 is still 1234.5)."""
    Path("model.toml").write_text(MODEL.read_text(encoding="utf-8") + HALF_POINTS, encoding="utf-8")
    export = MESSY / "semicolon_decimal_comma.csv"
    common = ["-m", "model.toml", "--as-of", "2026-11-01"]
    assert run("score", export, *common, "-o", "out.csv").exit_code == 0
    assert run("score", export, *common, "-o", "points.csv", "--output-separator", "comma").exit_code == 0
    header = Path("out.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("lead_id;name;country;")
    assert Path("points.csv").read_text(encoding="utf-8").startswith("lead_id,name,country,")
    rows, points = scored("out.csv"), scored("points.csv")
    assert {k: r["score"] for k, r in rows.items()} == {
        k: str(r["score"]).replace(".", ",") for k, r in points.items()
    }
    assert any("," in str(r["score"]) for r in rows.values())  # half points: decimal commas
    assert rows["L001"]["budget"] == "1.234,5"
    again = run("score", "out.csv", *common, "-o", "again.csv", "--previous", "out.csv")
    assert again.exit_code == 0, again.stderr
    rescored = scored("again.csv")
    assert {k: r["score"] for k, r in rescored.items()} == {k: r["score"] for k, r in rows.items()}
    assert {r["change"] for r in rescored.values()} == {"same"}
    for name in ("out.csv", "points.csv"):
        assert run("report", name, "--by", "country", "-o", f"report-{name}").exit_code == 0
    semicolons = pl.read_csv("report-out.csv", separator=";", decimal_comma=True)
    assert_frame_equal(semicolons, pl.read_csv("report-points.csv"))


GROUPED = (
    "lead_id;employees;budget;visits;country;open_rate;last_activity;demo_requested\n"
    "L1;1.200;950;1,5;;;;\nL2;999;1,200;3;;;;\n"
)


def test_a_semicolon_file_reads_1_200_as_twelve_hundred(in_tmp: Path) -> None:
    """Excel writes ';'-separated CSV where the comma is the decimal mark: there 1.200 is 1200 and
    1,200 is 1.2. The same cells in a comma-separated file read the other way."""
    Path("grouped.csv").write_text(GROUPED, encoding="utf-8")
    result = score("grouped.csv", "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        "grouped.csv: ';'-separated, so numbers are read with a decimal comma (1.200 is 1200, 1,200 is "
        "1.2); --decimal-point reads them as 1.2 and 1200"
    ]
    rows = scored()
    assert rows["L1"]["reasons"] == "Big company +20; Website visits +3"  # 1.200 >= 1000; 1,5 visits
    assert rows["L2"]["reasons"] == "Website visits +6"  # a budget of 1,200 is 1.2, not >= 1000
    plain = GROUPED.replace("1.200", "1200").replace("1,200", "1200")
    Path("plain.csv").write_text(plain, encoding="utf-8")  # nothing read two ways: nothing to say
    assert messages(score("plain.csv", "-o", "out.csv"), "note") == []
    forced = score("grouped.csv", "-o", "out.csv", "--decimal-point")
    assert forced.exit_code == 0, forced.stderr
    assert messages(forced, "note") == []
    rows = scored()
    assert rows["L1"]["reasons"] == "Website visits +3"  # 1.2 employees
    assert rows["L2"]["reasons"] == "Budget +10; Website visits +6"  # 1,200 is 1200
    Path("comma.csv").write_text(
        GROUPED.replace(";", ",").replace("1,200", '"1,200"').replace("1,5", '"1,5"')
    )
    assert score("comma.csv", "-o", "out.csv").exit_code == 0
    assert {k: r["reasons"] for k, r in scored().items()} == {k: r["reasons"] for k, r in rows.items()}


def test_a_semicolon_file_reads_its_dates_day_first(in_tmp: Path) -> None:
    """Where Excel writes ';' and decimal commas, it writes 03/10/2026 for 3 October."""
    leads = GROUPED.split("\n")[0] + "\nL1;;;;;;03/10/2026;\nL2;;;;;;10/03/2026;\n"
    Path("dated.csv").write_text(leads, encoding="utf-8")
    result = score("dated.csv", "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        "dated.csv: ';'-separated, so dates are read day first (03/10/2026 is 3 October 2026); "
        "--monthfirst reads them month first"
    ]
    assert {k: r["score"] for k, r in scored().items()} == {"L1": "10", "L2": "0"}  # recent: 3 October
    forced = score("dated.csv", "-o", "out.csv", "--monthfirst")
    assert messages(forced, "note") == []
    assert {k: r["score"] for k, r in scored().items()} == {"L1": "0", "L2": "10"}  # recent: 3 October
    Path("comma.csv").write_text(leads.replace(";", ","), encoding="utf-8")
    assert messages(score("comma.csv", "-o", "out.csv"), "note") == []  # month first, as it was
    assert {k: r["score"] for k, r in scored().items()} == {"L1": "0", "L2": "10"}


def test_an_activity_log_reads_its_numbers_as_its_own_separator_says(in_tmp: Path) -> None:
    """The leads come from one export, the activity log from another: a ';'-separated log writes
    1.200 for twelve hundred even when the leads file is comma-separated."""
    Path("model.toml").write_text(
        '[events]\nid = "lead_id"\ntype = "event"\ntime = "timestamp"\n'
        '[model]\nname = "deals"\n[[rules]]\nname = "Big quote"\ndimension = "engagement"\n'
        'event = "quote"\nwhere = { column = "amount", gte = 1000 }\npoints = 15\n',
        encoding="utf-8",
    )
    Path("leads.csv").write_text("lead_id,name\nL1,Ana\nL2,Bo\n", encoding="utf-8")
    log = "lead_id;event;timestamp;amount\nL1;quote;2026-10-20;1.200\nL2;quote;2026-10-21;1,200\n"
    Path("log.csv").write_text(log, encoding="utf-8")
    common = ["score", "leads.csv", "-m", "model.toml", "--events", "log.csv", "--as-of", "2026-11-01"]
    assert run(*common, "-o", "out.csv").exit_code == 0
    assert {k: r["score"] for k, r in scored().items()} == {"L1": "15", "L2": "0"}
    assert run(*common, "-o", "out.csv", "--decimal-point").exit_code == 0
    assert {k: r["score"] for k, r in scored().items()} == {"L1": "0", "L2": "15"}


def test_explain_reads_numbers_as_the_score_run_did(in_tmp: Path) -> None:
    Path("grouped.csv").write_text(GROUPED, encoding="utf-8")
    assert score("grouped.csv", "-o", "out.csv", "--decimal-point").exit_code == 0
    remembered = run("explain", "L1", "--json")
    assert remembered.exit_code == 0, remembered.stderr
    assert json.loads(remembered.stdout)["score"] == int(scored()["L1"]["score"] or "")
    by_file = run("explain", "L1", "--json", "-i", "grouped.csv", "-m", str(MODEL), "--as-of", "2026-11-01")
    assert json.loads(by_file.stdout)["score"] == json.loads(remembered.stdout)["score"] + 20


def test_quoted_fields_with_embedded_newlines(in_tmp: Path) -> None:
    assert score(MESSY / "embedded_newlines.csv", "-o", "out.csv").exit_code == 0
    rows = scored()
    assert rows["L001"]["name"] == "José Núñez\r\n(Head of Sales, EMEA)"
    assert rows["L002"]["name"] == 'Ana "the boss" Silva'
    assert rows["L003"]["name"] == "Multi\r\nline\r\nname"
    assert rows["L001"]["score"] == "95"


def test_ragged_row_is_an_error_naming_its_line(in_tmp: Path) -> None:
    result = score(MESSY / "ragged_rows.csv", "-o", "out.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {MESSY / 'ragged_rows.csv'} line 3 has 11 fields, the header has 9; "
        "fix the line or use --skip-bad-rows\n"
    )


def test_skip_bad_rows_writes_rejects_with_the_reason_and_counts_them(in_tmp: Path) -> None:
    result = score(
        MESSY / "ragged_rows.csv", "-o", "out.csv", "--skip-bad-rows", "--rejects", "bad.csv",
        "--summary-json", "summary.json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        f"{MESSY / 'ragged_rows.csv'}: skipped 1 bad row (line 3); it is in bad.csv"
    ]
    assert sorted(scored()) == ["L001", "L003", "L004"]
    rejects = pl.read_csv(in_tmp / "bad.csv", infer_schema=False)
    assert rejects.rows() == [
        ("3", "11 fields, the header has 9", "L002,Ana,Portugal,40,500,10,1,2026-05-01,no,EXTRA,FIELDS")
    ]
    summary = json.loads((in_tmp / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows"]["rejected"] == 1
    assert summary["rows"]["scored"] == 3


def test_skip_bad_rows_skips_the_line_of_a_quote_never_closed_and_keeps_the_rest(in_tmp: Path) -> None:
    path = MESSY / "unclosed_quote.csv"
    failed = score(path, "-o", "out.csv")
    assert failed.exit_code == 1
    assert failed.stderr == (
        f"Error: {path} line 3: a quote opens a field that is never closed; check the quotes on that line, "
        "or use --skip-bad-rows\n"
    )
    result = score(path, "-o", "out.csv", "--skip-bad-rows", "--rejects", "bad.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [f"{path}: skipped 1 bad row (line 3); it is in bad.csv"]
    assert sorted(scored()) == ["L001", "L003", "L004"]
    rejects = pl.read_csv(in_tmp / "bad.csv", infer_schema=False)
    assert rejects.rows() == [
        ("3", "a quote opens a field that is never closed", 'L002,"Ana,Portugal,40,500,10,1,2026-05-01,no')
    ]


def test_rows_ending_in_a_separator_the_header_lacks_score_as_the_plain_file(in_tmp: Path) -> None:
    assert score(MESSY / "utf8.csv", "-o", "plain.csv", "-q").exit_code == 0
    result = score(MESSY / "trailing_separators.csv", "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == messages(result, "warning") == []
    assert (in_tmp / "out.csv").read_bytes() == (in_tmp / "plain.csv").read_bytes()


def test_skip_bad_rows_that_skipped_every_row_says_so(in_tmp: Path) -> None:
    lines = (MESSY / "utf8.csv").read_text(encoding="utf-8").splitlines()
    (in_tmp / "leads.csv").write_text(f"{lines[0]}\n{lines[1]},x\n{lines[2]},y\n", encoding="utf-8")
    result = score("leads.csv", "-o", "out.csv", "--skip-bad-rows")
    assert result.exit_code == 1
    assert result.stderr == "Error: leads.csv: all 2 rows were skipped as bad rows; see leads.rejects.csv\n"
    assert (in_tmp / "leads.rejects.csv").exists()
    assert not (in_tmp / "out.csv").exists()


def test_rejects_go_beside_the_run_by_default(in_tmp: Path) -> None:
    assert score(MESSY / "ragged_rows.csv", "-o", "out.csv", "--skip-bad-rows", "-q").exit_code == 0
    assert (in_tmp / "ragged_rows.rejects.csv").exists()


# --- placeholders ---------------------------------------------------------------------


def test_placeholders_are_missing_values_not_unreadable_ones(in_tmp: Path) -> None:
    result = score(MESSY / "placeholders.csv", "-o", "out.csv")
    assert result.exit_code == 0
    assert messages(result, "warning") == []  # N/A, NA, null, -, Select, unknown, TBD: all just missing
    rows = scored()
    assert rows["L001"]["score"] == "0"
    assert rows["L002"]["score"] == "5"  # Spain; 'unknown' employees and 'TBD' budget are missing
    assert rows["L003"]["score"] == "95"
    assert rows["L001"]["visits"] == "Select"  # written as it was


def test_model_null_values_add_to_the_built_in_placeholders(in_tmp: Path) -> None:
    text = MODEL.read_text(encoding="utf-8")
    (in_tmp / "plain.toml").write_text(re.sub(r"(?m)^null_values = .*$", "", text), encoding="utf-8")
    result = run(
        "score", MESSY / "placeholders.csv", "-m", "plain.toml", "--as-of", "2026-11-01", "-o", "out.csv"
    )
    assert result.exit_code == 0
    assert messages(result, "warning") == [
        "rule 'Big company' (#1): 1 of 2 values in column 'employees' are not numbers "
        "(e.g. 'unknown' on 1 row); the rule skips them",
        "rule 'Budget' (#2): 1 of 2 values in column 'budget' are not numbers "
        "(e.g. 'TBD' on 1 row); the rule skips them",
    ]


# --- type trouble ---------------------------------------------------------------------


def test_numbers_written_as_text_and_percentages(in_tmp: Path) -> None:
    result = score(MESSY / "numbers_as_text.csv", "-o", "out.csv")
    assert result.exit_code == 0
    rows = scored()
    # "1,200" employees, " 2,500 " budget, "30%" open rate, " 5 " visits
    assert rows["L001"]["reasons"] == "Big company +20; Budget +10; Website visits +10"
    assert rows["L001"]["score"] == "60"
    assert rows["L002"]["score"] == "15"  # " 45 " < 1000, "24.5 %" < 25, "lots" visits is missing
    assert rows["L003"]["reasons"] == "Big company +20; Recently active +10; Website visits +6"  # "12,000"


def test_pandas_floats_score_as_the_plain_file(in_tmp: Path) -> None:
    """pandas writes a 0/1 column that has blanks as 1.0 and 0.0: yes/no rules read them as 1 and 0."""
    assert score(MESSY / "utf8.csv", "-o", "plain.csv", "-q").exit_code == 0
    result = score(MESSY / "pandas_floats.csv", "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "warning") == []
    assert {i: row["score"] for i, row in scored().items()} == {
        i: row["score"] for i, row in scored("plain.csv").items()
    }
    assert scored()["L001"]["demo_requested"] == "1.0"  # written back as it was


def test_a_stray_word_in_a_number_column_is_one_warning_with_an_example(in_tmp: Path) -> None:
    result = score(MESSY / "numbers_as_text.csv", "-o", "out.csv")
    assert messages(result, "warning") == [
        "rule 'Budget' (#2): 1 of 3 values in column 'budget' are not numbers (e.g. 'ask me' on 1 row); "
        "the rule skips them",
        "rule 'Website visits' (#5): 1 of 3 values in column 'visits' are not numbers "
        "(e.g. 'lots' on 1 row); the rule skips them",
    ]


def test_amounts_with_a_currency_mark_are_numbers(in_tmp: Path) -> None:
    result = score(MESSY / "amounts.csv", "-o", "out.csv")
    assert result.exit_code == 0
    assert messages(result, "warning") == []
    rows = scored()
    # budget >= 1000 gives 10: $2,500; 1.200 € (money has no third decimal); R$ 1.234,50; 1 500 kr
    with_budget = {lead for lead, row in rows.items() if "Budget +10" in row["reasons"]}
    assert with_budget == {"L001", "L002", "L005", "L006"}  # not USD 999, -£1,500, €1.50, 250 CHF
    # ($1,200.00) and $ (2,000.00) are accounting negatives: read (no warning), and below 1000
    assert rows["L002"]["budget"] == "1.200 €"  # written back as it was


def test_day_first_dates_need_dayfirst_and_the_warning_says_so(in_tmp: Path) -> None:
    plain = score(MESSY / "dates_dayfirst.csv", "-o", "out.csv")
    assert plain.exit_code == 0
    assert messages(plain, "warning") == [
        "rule 'Recently active' (#6): 2 of 3 values in column 'last_activity' are not dates "
        "(e.g. '25/10/2026' on 1 row); the rule skips them; they look like day/month/year: add --dayfirst"
    ]
    dayfirst = score(MESSY / "dates_dayfirst.csv", "-o", "out.csv", "--dayfirst")
    assert messages(dayfirst, "warning") == []
    rows = scored()
    assert [rows[i]["score"] for i in ("L001", "L002", "L003")] == [
        "15",
        "15",
        "5",
    ]  # 25/10 and 3/10 are recent


def test_iso_us_dotted_month_name_and_excel_serial_dates(in_tmp: Path) -> None:
    result = score(MESSY / "dates_mixed.csv", "-o", "out.csv")
    assert messages(result, "warning") == []
    rows = scored()
    recent = {i for i, row in rows.items() if "Recently active" in (row["reasons"] or "")}
    # 46300 is 2026-10-05; 20-Oct-26 is 2026; a time after a date is left out; L006 and L011 are January
    assert recent == {"L001", "L002", "L003", "L004", "L005", "L007", "L008", "L009", "L010"}


def test_a_column_no_value_of_which_can_be_read_is_one_clear_error(in_tmp: Path) -> None:
    result = score(MESSY / "unreadable_column.csv", "-o", "out.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: rule 'Big company' (#1) reads column 'employees' as numbers, but none of its 3 values "
        "is one (e.g. 'many' on 2 rows); check the column, or change the rule's operator\n"
    )


def test_a_picklist_of_ranges_where_a_number_was_wanted_says_to_list_them_with_in(in_tmp: Path) -> None:
    result = score(MESSY / "picklist_ranges.csv", "-o", "out.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: rule 'Big company' (#1) reads column 'employees' as numbers, but none of its 4 values "
        "is one (e.g. '51-200' on 2 rows); they are ranges from a picklist: replace the operator with in "
        'and the ranges the rule means, e.g. in = ["51-200"]\n'
    )
    # and the advice works: the ranges listed with in score, with nothing left unread
    text = MODEL.read_text(encoding="utf-8").replace(
        "gte = 1000\npoints = 20", 'in = ["1,001-5,000", "10,001+"]\npoints = 20'
    )
    (in_tmp / "ranges.toml").write_text(text, encoding="utf-8")
    listed = run(
        "score", MESSY / "picklist_ranges.csv", "-m", "ranges.toml", "--as-of", "2026-11-01", "-o", "out.csv"
    )
    assert listed.exit_code == 0
    assert messages(listed, "warning") == []
    big = {lead for lead, row in scored().items() if "Big company" in (row["reasons"] or "")}
    assert big == {"L002", "L003"}


def test_every_rule_reading_an_unreadable_column_and_every_such_column_are_named_at_once(
    in_tmp: Path,
) -> None:
    """Two rules read the ranges as numbers, and budget holds no number: one run says all of it,
    so that fixing one rule does not reveal the next."""
    text = MODEL.read_text(encoding="utf-8").replace(
        '[[rules]]\nname = "Budget"',
        '[[rules]]\nname = "Mid-size"\ndimension = "fit"\ncolumn = "employees"\nbetween = [200, 999]\n'
        'points = 10\n\n[[rules]]\nname = "Budget"',
    )
    (in_tmp / "two.toml").write_text(text, encoding="utf-8")
    leads = (MESSY / "picklist_ranges.csv").read_text(encoding="utf-8").replace(",10,0,0,", ",lots,0,0,")
    (in_tmp / "leads.csv").write_text(leads, encoding="utf-8")
    result = run("score", "leads.csv", "-m", "two.toml", "--as-of", "2026-11-01", "-o", "out.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 2 columns hold no value the rules that read them can read:\n"
        "  - rule 'Big company' (#1) and rule 'Mid-size' (#2) read column 'employees' as numbers, but none "
        "of its 4 values is one (e.g. '51-200' on 2 rows); they are ranges from a picklist: replace each "
        'rule\'s operator with in and the ranges it means, e.g. in = ["51-200"]\n'
        "  - rule 'Budget' (#3) reads column 'budget' as numbers, but none of its 5 values is one "
        "(e.g. 'lots' on 5 rows); check the column, or change the rule's operator\n"
    )
    assert not (in_tmp / "out.csv").exists()


# --- Excel ----------------------------------------------------------------------------


def test_sheet_picks_the_sheet_with_the_leads(workbooks: Path, in_tmp: Path) -> None:
    book = workbooks / "multi_sheet.xlsx"
    first = score(book, "-o", "out.csv")
    assert first.exit_code == 1
    assert "choose the sheet with --sheet" in first.stderr
    assert score(book, "-o", "out.csv", "--sheet", "leads").exit_code == 0
    assert scored()["L001"]["score"] == "95"
    assert score(book, "-o", "out.csv", "--sheet", "2").exit_code == 0
    empty = score(book, "-o", "out.csv", "--sheet", "Empty")
    assert (
        empty.stderr
        == f"Error: sheet 'Empty' of {book} is empty: choose the sheet with the leads with --sheet\n"
    )
    missing = score(book, "-o", "out.csv", "--sheet", "Lead")
    assert missing.stderr == (
        f"Error: {book} has no sheet 'Lead' (did you mean 'Leads'?); its sheets are 'Notes', 'Leads', 'Empty'\n"
    )


def test_header_row_below_title_rows(workbooks: Path, in_tmp: Path) -> None:
    book = workbooks / "header_row_3.xlsx"
    result = score(book, "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        f"{book}: the header is on row 3; left out the report title above it (2 rows: 'Leads export', "
        "'Generated 2026-11-01 02:00'); --header-row chooses another row"
    ]
    assert sorted(scored()) == ["L001", "L002", "L003"]
    chosen = score(book, "-o", "out.csv", "--header-row", "3")
    assert chosen.exit_code == 0, chosen.stderr
    assert messages(chosen, "note") == []
    assert "--header-row" in score(book, "-o", "out.csv", "--header-row", "1").stderr


def test_a_crm_report_export_is_read_without_its_title_and_footer(in_tmp: Path) -> None:
    result = score(MESSY / "report_export.csv", "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        f"{MESSY / 'report_export.csv'}: the header is on line 4; left out the report title above it "
        "(2 lines: 'Open leads, EMEA', 'Filtered by: Lead status equals Open'); "
        "--header-row chooses another line",
        f"{MESSY / 'report_export.csv'}: left out the report footer below the leads "
        "(4 lines: 'Total', 'Grand Totals (3 records)', ...)",
    ]
    assert sorted(scored()) == ["L001", "L002", "L003"]


def test_a_totals_row_below_the_leads_is_no_lead(workbooks: Path, in_tmp: Path) -> None:
    book = workbooks / "totals_row.xlsx"
    result = score(book, "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        f"{book}: left out the report footer below the leads (1 row: 'Total')"
    ]
    assert sorted(scored()) == sorted(row[0] for row in LEADS_ROWS)


def test_merged_and_empty_header_cells_get_names_with_a_note(workbooks: Path, in_tmp: Path) -> None:
    book = workbooks / "merged_header.xlsx"
    result = score(book, "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        f"{book}: column 3 has no header: named it 'column_3'; column 11 has no header: named it 'column_11'"
    ]
    row = scored()["L001"]
    assert (row["name"], row["column_3"], row["column_11"]) == (
        "José Núñez", "second line of the name", "note with no header",
    )  # fmt: skip


def test_a_line_break_or_doubled_spaces_in_a_header_name_read_as_one_space(
    workbooks: Path, in_tmp: Path
) -> None:
    """A model names the column as the user sees it, and every message stays on one line."""
    path = workbooks / "line_break_header.xlsx"
    model = MODEL.read_text(encoding="utf-8") + (
        '\n[[rules]]\nname = "Big revenue"\ndimension = "fit"\ncolumn = "Annual Revenue"\ngte = 4000\npoints = 70\n'
    )
    (in_tmp / "model.toml").write_text(model, encoding="utf-8")
    result = run("score", path, "-m", "model.toml", "--as-of", "2026-11-01", "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        f"{path}: column 10's name has a line break in it: read as 'Annual Revenue'; "
        "column 11's name has doubled spaces in it: read as 'Lead Source'"
    ]
    rows = scored()
    assert list(rows["L001"])[9:11] == ["Annual Revenue", "Lead Source"]
    assert [rows[i]["reasons"].count("Big revenue +70") for i in ("L001", "L002", "L003")] == [0, 1, 1]
    # a model that names the column with the line break is told the name to use, on one line
    (in_tmp / "model.toml").write_text(model.replace("Annual Revenue", "Annual\\nRevenue"), encoding="utf-8")
    failed = run(
        "score", path, "-m", "model.toml", "--as-of", "2026-11-01", "-o", "out2.csv", "--log-file", "run.log"
    )
    assert failed.exit_code == 1
    assert failed.stderr == (
        f"Error: rule 'Big revenue' (#8): column 'Annual\\nRevenue' is not in {path} "
        "(did you mean 'Annual Revenue'?)\n"
    )
    log = (in_tmp / "run.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == 4  # start, input, error, end: a timestamped line each
    assert all(re.match(r"\d{4}-\d{2}-\d{2}T", line) for line in log)


def test_percent_cells_read_and_written_as_the_percent_excel_shows(workbooks: Path, in_tmp: Path) -> None:
    """A rule `gte = 25` on a column shown as 41%, 10%, 30% reads 40.5, 10 and 30, as a CSV export
    of the sheet would; the output holds those numbers (40.5, not the 41 the format shows), and
    reads back the same."""
    path = workbooks / "percent_cells.xlsx"
    assert score(workbooks / "multi_sheet.xlsx", "--sheet", "Leads", "-o", "plain.csv", "-q").exit_code == 0
    result = score(path, "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        f"{path}: column 'open_rate' is formatted as percentages: read as Excel shows them (45% as 45, not 0.45)"
    ]
    rows = scored()
    assert [rows[i]["open_rate"] for i in ("L001", "L002", "L003")] == ["40.5", "10.0", "30.0"]
    assert {i: r["score"] for i, r in rows.items()} == {i: r["score"] for i, r in scored("plain.csv").items()}
    assert score(path, "-o", "out.xlsx", "-q").exit_code == 0
    again = score("out.xlsx", "-o", "again.csv")
    assert again.exit_code == 0, again.stderr
    assert not [n for n in messages(again, "note") if "percent" in n]  # numbers, with no percent format
    assert {i: r["open_rate"] for i, r in scored("again.csv").items()} == {
        i: r["open_rate"] for i, r in rows.items()
    }


def test_formula_cells_are_read_as_their_cached_values(workbooks: Path, in_tmp: Path) -> None:
    result = score(workbooks / "formulas.xlsx", "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    rows = scored()
    assert rows["L001"]["employees"] == "1500"
    assert rows["L002"]["visits"] == "5"
    assert rows["L002"]["reasons"] == "Website visits +10; Core market +5"
    assert rows["L003"]["budget"] is None  # #DIV/0! is no value


def test_excels_lock_file_of_an_open_workbook_is_left_out_or_refused(workbooks: Path, in_tmp: Path) -> None:
    """'leadscore score *.xlsx' while leads.xlsx is open in Excel also names ~$leads.xlsx."""
    (in_tmp / "leads.xlsx").write_bytes((workbooks / "formulas.xlsx").read_bytes())
    (in_tmp / "~$leads.xlsx").write_bytes(b"\x0bMaria Lopez" + b"\x00" * 153)
    result = score("leads.xlsx", "~$leads.xlsx", "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [
        "~$leads.xlsx: left out: it is Excel's lock file for leads.xlsx, which is open in Excel"
    ]
    alone = run("check", MODEL, "--input", "~$leads.xlsx")
    assert alone.exit_code == 1
    assert alone.stderr == (
        "Error: ~$leads.xlsx is Excel's lock file for leads.xlsx, which is open in Excel, not a workbook; "
        "give leads.xlsx itself\n"
    )


def test_empty_and_header_only_workbooks(workbooks: Path, in_tmp: Path) -> None:
    empty = score(workbooks / "empty_sheet.xlsx", "-o", "out.csv")
    assert empty.stderr == (
        f"Error: sheet 'Sheet1' of {workbooks / 'empty_sheet.xlsx'} is empty: "
        "choose the sheet with the leads with --sheet\n"
    )
    header_only = score(workbooks / "header_only.xlsx", "-o", "out.csv")
    assert header_only.stderr == (
        f"Error: {workbooks / 'header_only.xlsx'} has a header but no rows; export the leads again, "
        "or choose the sheet with the leads with --sheet\n"
    )


# --- ids ------------------------------------------------------------------------------


def test_missing_id_column_names_the_close_one(in_tmp: Path) -> None:
    result = score(MESSY / "missing_id_column.csv", "-o", "out.csv")
    assert result.stderr == (
        f"Error: id column 'lead_id' is not in {MESSY / 'missing_id_column.csv'} (did you mean 'Lead ID'?); "
        "set [model] id to the column that identifies a lead\n"
    )


def test_headers_spelt_another_way_are_paired_with_the_models_names(in_tmp: Path) -> None:
    """A CRM writes 'Lead ID' and 'Open Rate' where the model says lead_id and open_rate."""
    result = score(MESSY / "crm_headers.csv", "-o", "out.csv")
    assert result.stderr == (
        f"Error: {MESSY / 'crm_headers.csv'} names the model's columns differently: 'lead_id' is 'Lead ID', "
        "'employees' is 'Employees', 'budget' is 'Budget', 'country' is 'Country' and 4 more; "
        """write the file's names in the model, e.g. [model] id = "Lead ID"\n"""
    )


def test_a_json_api_answer_is_read_from_its_records(in_tmp: Path) -> None:
    """`sf data query --json` wraps the leads: {"status": 0, "result": {"records": [...]}}."""
    source = MESSY / "salesforce_answer.json"
    result = score(source, "-o", "out.csv")
    assert result.exit_code == 0, result.stderr
    assert messages(result, "note") == [f"{source}: read the 2 records under 'result.records'"]
    rows = scored()
    assert set(rows) == {"L001", "L002"}
    assert rows["L001"]["attributes"] == '{"type":"Lead","url":"/services/data/v60.0/sobjects/Lead/00Q1"}'


def test_a_json_file_without_the_models_columns_says_to_export_them(in_tmp: Path) -> None:
    """No header row or sheet to choose in JSON: the fix is in the export, or in the model."""
    (in_tmp / "hub.json").write_text(json.dumps([{"id": "101", "properties": {}, "archived": False}]))
    result = score("hub.json", "-o", "out.csv")
    assert result.stderr == (
        "Error: none of the columns the model reads ('lead_id', 'employees', 'budget', 'country', 'open_rate', "
        "'visits', ... (2 more)) is in hub.json, whose columns are 'id', 'archived'; "
        "export the leads with the fields the model reads, or write the file's names in the model\n"
    )


def test_blank_ids_are_reported_and_the_rows_kept(in_tmp: Path) -> None:
    result = score(MESSY / "blank_ids.csv", "-o", "out.csv")
    assert result.exit_code == 0
    assert messages(result, "warning") == [
        f"3 leads in {MESSY / 'blank_ids.csv'} have no lead_id (data rows 2, 3, 4); "
        "kept and scored, but --previous and explain cannot find them: give them ids in the file"
    ]
    frame = pl.read_csv(in_tmp / "out.csv", infer_schema=False)
    assert frame.height == 4
    assert frame["name"].to_list() == ["Ana", "Cy", "Bob", "Di"]


def test_duplicate_ids_warn_and_keep_every_row_by_default(in_tmp: Path) -> None:
    result = score(MESSY / "duplicate_ids.csv", "-o", "out.csv")
    assert result.exit_code == 0
    assert messages(result, "warning") == [
        f"2 lead_id values are repeated in {MESSY / 'duplicate_ids.csv'} ('L001' on 2 rows, 'L002' on 2 rows); "
        "every row is kept: use --dedupe first or --dedupe last to keep one"
    ]
    assert pl.read_csv(in_tmp / "out.csv").height == 5


@pytest.mark.parametrize(
    ("keep", "names"),
    [("first", ["Ana (old)", "Bob", "Cy"]), ("last", ["Ana (new)", "Bob again", "Cy"])],
)
def test_dedupe_keeps_the_first_or_last_row_of_each_id(keep: str, names: list[str], in_tmp: Path) -> None:
    result = score(MESSY / "duplicate_ids.csv", "-o", "out.csv", "--dedupe", keep)
    assert result.exit_code == 0
    assert messages(result, "warning") == []
    assert messages(result, "note") == [
        f"{MESSY / 'duplicate_ids.csv'}: kept the {keep} row of each repeated lead_id and left out 2 rows "
        "('L001' on 2 rows, 'L002' on 2 rows)"
    ]
    assert sorted(pl.read_csv(in_tmp / "out.csv")["name"].to_list()) == names


def test_dedupe_error_refuses_repeated_ids(in_tmp: Path) -> None:
    result = score(MESSY / "duplicate_ids.csv", "-o", "out.csv", "--dedupe", "error")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: 2 lead_id values are repeated in {MESSY / 'duplicate_ids.csv'} ('L001' on 2 rows, "
        "'L002' on 2 rows); remove the repeated rows, or use --dedupe first or --dedupe last\n"
    )


# --- files that are not leads at all ----------------------------------------------------


def test_empty_header_only_binary_missing_and_folder_inputs(in_tmp: Path) -> None:
    (in_tmp / "folder.csv").mkdir()
    cases = {
        MESSY / "empty.csv": "is empty: export the leads again, with a header row",
        MESSY / "header_only.csv": "has a header but no rows; export the leads again",
        MESSY / "binary.csv": "is not a text CSV (it holds binary data); export the leads as CSV again",
        Path("nope.csv"): "file not found",
        Path("folder.csv"): "is a folder, give a file",
    }
    for path, message in cases.items():
        result = score(path, "-o", "out.csv")
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {path}")
        assert result.stderr.rstrip("\n").endswith(message)
        assert result.stderr.count("\n") == 1


def test_check_reports_id_problems_too(in_tmp: Path) -> None:
    result = run("check", MODEL, "--input", MESSY / "blank_ids.csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        f"warning: 3 leads in {MESSY / 'blank_ids.csv'} have no lead_id (data rows 2, 3, 4); "
        "kept and scored, but --previous and explain cannot find them: give them ids in the file"
    )


@pytest.mark.parametrize(
    ("text", "is_range"),
    [
        ("51-200", True),
        ("1,001 - 5,000", True),
        ("1001–5000", True),  # an en dash
        ("201 to 500", True),
        ("10,001+", True),
        ("1000 or more employees", True),
        ("<10", True),
        ("Under 10", True),
        ("Over 10,000", True),
        ("$1M-$5M", True),
        ("€500k - €1m", True),
        ("lots", False),
        ("many", False),
        ("2026-11-01", False),  # a date, not a range
        ("12-15-2026", False),
        ("about 50", False),
        ("50-", False),
        ("-", False),
    ],
)
def test_ranges_are_told_apart_from_other_unreadable_numbers(text: str, is_range: bool) -> None:
    assert looks_like_range(text) == is_range
