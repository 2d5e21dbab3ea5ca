"""Writing ranked leads: round trips, atomic replacement, reproducible bytes, safe text."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from leadscore.cli import app
from leadscore.errors import UsageError
from leadscore.io import (
    OUTPUT_FORMATS,
    XlsxStyle,
    csv_cells,
    csv_header,
    format_for,
    output_warnings,
    read_table,
    refuse_overwrite,
    write_table,
    xlsx_writer,
)
from tests.test_xlsx_cells import column_kind


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def leads() -> pl.DataFrame:
    """Ranked leads with every kind of value a scoring run produces."""
    return pl.DataFrame(
        {
            "name": ["José Núñez", "Françoise", None, "=1+1"],
            "employees": [12, None, -5, 2_000],
            "score": [87.5, 12.25, None, -3.0],
            "signed_up": [dt.date(2024, 1, 2), None, dt.date(2023, 12, 31), dt.date(2024, 2, 29)],
            "active": [True, False, None, True],
            "tier": ["hot", "cold", "warm", None],
        }
    )


def read_back(path: str) -> pl.DataFrame:
    return read_table([path]).frame.collect()


# --- round trips ----------------------------------------------------------------------


def test_csv_round_trip_gives_the_cells_as_text(folder: Path) -> None:
    write_table(leads(), "out.csv")
    expected = pl.DataFrame(
        {
            "name": ["José Núñez", "Françoise", None, "=1+1"],
            "employees": ["12", None, "-5", "2000"],
            "score": ["87.5", "12.25", None, "-3.0"],
            "signed_up": ["2024-01-02", None, "2023-12-31", "2024-02-29"],
            "active": ["true", "false", None, "true"],
            "tier": ["hot", "cold", "warm", None],
        }
    )
    assert_frame_equal(read_back("out.csv"), expected)


def test_csv_is_utf8_without_bom_comma_separated_with_header(folder: Path) -> None:
    write_table(pl.DataFrame({"a": ["é"], "b": [1]}), "out.csv")
    assert Path("out.csv").read_bytes() == "a,b\né,1\n".encode()


def test_xlsx_round_trip_keeps_types(folder: Path) -> None:
    write_table(leads(), "out.xlsx")
    assert_frame_equal(read_back("out.xlsx"), leads())


def expected_cell(value: object) -> object:
    """What Excel holds for a value, as openpyxl reads it back: the plain rules of the writer."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    if isinstance(value, float):
        return "#NUM!" if value != value else "#DIV/0!" if value in (float("inf"), float("-inf")) else value
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)  # Excel keeps milliseconds
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


xml_text = st.text(
    st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from(" \t\n&<>\"'"), max_size=12
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.none() | xml_text,
            st.none() | st.integers(-(2**63), 2**63 - 1),
            st.none() | st.floats(width=64),
            st.none() | st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
            st.none() | st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
            st.none() | st.booleans(),
        ),
        max_size=6,
    )
)
def test_xlsx_cells_read_back_as_written(rows: list[tuple[object, ...]]) -> None:
    names = ["text", "number", "real", "day", "moment", "flag"]
    types = [pl.String, pl.Int64, pl.Float64, pl.Date, pl.Datetime("ms"), pl.Boolean]
    frame = pl.DataFrame(rows, schema=dict(zip(names, types, strict=True)), orient="row")
    target = io.BytesIO()
    xlsx_writer.write_xlsx(frame, target, XlsxStyle())
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == names
    for row_number, row in enumerate(frame.rows(), start=2):
        cells = [sheet.cell(row=row_number, column=i + 1).value for i in range(len(names))]
        expected = [expected_cell(v) for v in row]
        expected[0] = row[0]  # text stays text, spaces and all (test_xlsx_cells: text as numbers)
        shown_as_text = column_kind(frame["text"].to_list()) == "text"
        assert cells[1:2] == expected[1:2] and cells[3:] == expected[3:]
        assert cells[0] == expected[0] or not shown_as_text
        real, want = cells[2], expected[2]
        assert real == want or (
            isinstance(real, float) and isinstance(want, float) and real == pytest.approx(want)
        )


def test_xlsx_text_with_control_characters_and_escapes_reads_back_whole(folder: Path) -> None:
    text = ["a\x01b", "x\x1fy", "_x0041_", "tab\there", "_x00e9_x_", "line\nbreak"]
    write_table(pl.DataFrame({"text": text}), "out.xlsx")
    assert read_back("out.xlsx")["text"].to_list() == text


def test_xlsx_times_zones_durations_and_bytes(folder: Path) -> None:
    frame = pl.DataFrame(
        {
            "at": [dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), None],
            "time": [dt.time(6, 30), None],
            "took": [dt.timedelta(days=1, hours=2), None],
            "raw": [b"\xff\x00", None],
            "kind": pl.Series(["a", None], dtype=pl.Categorical),
        }
    )
    write_table(frame, "out.xlsx")
    sheet = openpyxl.load_workbook("out.xlsx").active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == [dt.datetime(2026, 1, 1, 12), dt.time(6, 30), "1d 2h", "ff00", "a"]
    assert [c.value for c in sheet[3]] == [None] * 5


@pytest.mark.parametrize("extension", ["json", "ndjson", "jsonl"])
def test_json_round_trips_with_dates_as_text(folder: Path, extension: str) -> None:
    write_table(leads(), f"out.{extension}")
    expected = leads().with_columns(pl.col("signed_up").cast(pl.String))
    assert_frame_equal(read_back(f"out.{extension}"), expected)


def test_json_is_an_array_of_records(folder: Path) -> None:
    write_table(pl.DataFrame({"a": [1, 2]}), "out.json")
    assert Path("out.json").read_text() == '[{"a":1},{"a":2}]'


def test_parquet_round_trip_is_exact(folder: Path) -> None:
    write_table(leads(), "out.parquet")
    assert_frame_equal(read_back("out.parquet"), leads())


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1)
        | st.sampled_from(["=SUM(A1:A9)", "a,b", 'say "hi"', "two\nlines", "cr\r\nlf", " padded "]),
        min_size=1,
        max_size=8,
    )
)
def test_csv_text_survives_write_then_read(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str]
) -> None:
    path = tmp_path_factory.mktemp("csv") / "out.csv"
    frame = pl.DataFrame({"id": [str(i) for i in range(len(cells))], "text": cells})
    write_table(frame, path)
    assert read_table([path]).frame.collect()["text"].to_list() == cells


TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")) | st.sampled_from(
    [
        "",
        "=SUM(A1:A9)",
        "-5",
        "-3,5",
        "a,b",
        "a;b",
        'say "hi"',
        "two\nlines",
        "cr\r\nlf",
        " padded ",
        "+x",
        "@me",
    ]
)
CELL_TYPES = {
    pl.String: TEXT,
    pl.Int64: st.integers(-(2**63), 2**63 - 1),
    pl.Float64: st.floats(allow_nan=True, allow_infinity=True),
    pl.Boolean: st.booleans(),
}


@st.composite
def typed_frames(draw: st.DrawFn) -> pl.DataFrame:
    names = draw(st.lists(TEXT.filter(lambda n: "\r" not in n), min_size=1, max_size=5, unique=True))
    types = [draw(st.sampled_from(list(CELL_TYPES))) for _ in names]
    rows = draw(st.integers(0, 6))
    data = {
        n: draw(st.lists(st.none() | CELL_TYPES[t], min_size=rows, max_size=rows))
        for n, t in zip(names, types, strict=True)
    }
    return pl.DataFrame(data, schema=dict(zip(names, types, strict=True)))


@settings(max_examples=150, deadline=None)
@given(frame=typed_frames(), safe=st.booleans(), separator=st.sampled_from([",", ";"]))
def test_rows_as_csv_text_are_the_bytes_write_table_writes(
    tmp_path_factory: pytest.TempPathFactory, frame: pl.DataFrame, safe: bool, separator: str
) -> None:
    folder = tmp_path_factory.mktemp("lines")
    write_table(frame, folder / "table.csv", safe_csv=safe, separator=separator)
    cells = csv_cells(frame.schema, frame.columns, safe_csv=safe, separator=separator)
    assert cells is not None
    lines = frame.lazy().select(cells.alias(csv_header(frame.columns, separator)))
    lines.collect().write_csv(folder / "lines.csv", quote_style="never")
    assert (folder / "lines.csv").read_bytes() == (folder / "table.csv").read_bytes()


@pytest.mark.parametrize("safe", [False, True])
def test_columns_named_like_wildcards_are_written_as_themselves(tmp_path: Path, safe: bool) -> None:
    frame = pl.DataFrame({"*": ["=1+1", None], "^a$": ["x", ""], "": [1, None], "a": ["y", "z"]})
    write_table(frame, tmp_path / "table.csv", safe_csv=safe)
    cells = csv_cells(frame.schema, frame.columns, safe_csv=safe)
    assert cells is not None
    lines = frame.select(cells.alias(csv_header(frame.columns)))
    lines.write_csv(tmp_path / "lines.csv", quote_style="never")
    assert (tmp_path / "lines.csv").read_bytes() == (tmp_path / "table.csv").read_bytes()
    assert (
        (tmp_path / "table.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1]
        .startswith("'=1+1," if safe else "=1+1,")
    )


def test_a_semicolon_file_has_decimal_commas_and_leaves_them_undefused(tmp_path: Path) -> None:
    # for a spreadsheet whose decimal mark is the comma, -3,5 is a number and 2.5 is not
    frame = pl.DataFrame({"note": ["-3,5", "=1+1", "a;b"], "score": [2.5, -1.0, None], "n": [1, 2, 3]})
    write_table(frame, tmp_path / "out.csv", safe_csv=True, separator=";")
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["note;score;n", "-3,5;2,5;1", "'=1+1;-1,0;2", '"a;b";;3']


def test_rows_as_csv_text_leave_dates_and_lists_to_the_writer() -> None:
    frame = pl.DataFrame({"id": ["a"], "day": [dt.date(2026, 11, 1)], "tags": [["x"]]})
    assert csv_cells(frame.schema, ["id", "day"]) is None
    assert csv_cells(frame.schema, ["tags"]) is None
    assert csv_cells(frame.schema, []) is None


# --- formats and paths ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("a.csv", "csv"),
        ("A.XLSX", "xlsx"),
        ("a.json", "json"),
        ("a.ndjson", "ndjson"),
        ("a.jsonl", "ndjson"),
        ("a.parquet", "parquet"),
        ("-", "csv"),
    ],
)
def test_format_for(path: str, kind: str) -> None:
    assert format_for(path) == kind
    assert kind in OUTPUT_FORMATS


def test_format_for_unknown_extension() -> None:
    with pytest.raises(UsageError) as caught:
        format_for("ranked.xls")
    assert str(caught.value) == (
        "cannot write '.xls' files (ranked.xls); give -o a name ending in .csv, .xlsx, .json, .ndjson, .parquet"
    )


def test_dash_writes_csv_to_standard_output(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", out)
    write_table(pl.DataFrame({"a": ["x"], "b": [1]}), "-")
    assert out.buffer.getvalue() == b"a,b\nx,1\n"  # type: ignore[attr-defined]


def test_missing_output_folder(folder: Path) -> None:
    with pytest.raises(UsageError) as caught:
        write_table(leads(), "nowhere/out.csv")
    assert (
        str(caught.value)
        == "cannot write nowhere/out.csv: the folder nowhere does not exist; create it first"
    )


def test_output_that_is_a_folder(folder: Path) -> None:
    (folder / "out.csv").mkdir()
    with pytest.raises(UsageError, match="is a folder"):
        write_table(leads(), "out.csv")


# --- atomic replacement ---------------------------------------------------------------


def test_failed_write_leaves_the_previous_file_and_no_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("out.csv").write_text("yesterday\n")

    def half_then_fail(self: pl.DataFrame, file: str | Path, **_: object) -> None:
        Path(file).write_text("name,score\nAnn,")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_csv", half_then_fail)
    with pytest.raises(UsageError) as caught:  # an output that cannot be written where asked: exit 2
        write_table(leads(), "out.csv")
    assert str(caught.value) == "cannot write out.csv: the disk is full; free some space and run again"
    assert Path("out.csv").read_text() == "yesterday\n"
    assert sorted(p.name for p in folder.iterdir()) == ["out.csv"]


def test_an_output_that_cannot_be_replaced_says_it_may_be_open(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("out.csv").write_text("yesterday\n")

    def locked(self: Path, target: Path) -> None:  # as Windows refuses while Excel has it open
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", locked)
    with pytest.raises(UsageError) as caught:
        write_table(leads(), "out.csv")
    assert str(caught.value) == (
        "cannot replace out.csv: permission denied; close it if a program such as Excel has it open, "
        "or choose another -o"
    )
    assert Path("out.csv").read_text() == "yesterday\n"
    assert sorted(p.name for p in folder.iterdir()) == ["out.csv"]


def test_failed_xlsx_write_leaves_the_previous_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("out.xlsx").write_bytes(b"yesterday")

    def fail(*_: object) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(xlsx_writer, "_cell", fail)
    with pytest.raises(RuntimeError, match="interrupted"):
        write_table(leads(), "out.xlsx")
    assert Path("out.xlsx").read_bytes() == b"yesterday"
    assert sorted(p.name for p in folder.iterdir()) == ["out.xlsx"]


@pytest.mark.skipif(sys.platform == "win32", reason="leftovers are only swept on POSIX")
def test_leftovers_of_a_killed_writer_are_removed_by_the_next_write(folder: Path) -> None:
    dead_pid = _exited_pid()
    dead = folder / f".out.csv.{dead_pid}-0123abcd.tmp"
    dead_scratch = folder / f".out.csv.{dead_pid}-0123abcd.tmp.sort"  # its scratch file (streaming)
    alive = folder / f".out.csv.{os.getppid()}-0123abcd.tmp"  # a writer still running
    alive_scratch = folder / f".out.csv.{os.getppid()}-0123abcd.tmp.sort"
    other = folder / f".other.csv.{dead_pid}-0123abcd.tmp"  # another target's: not ours to touch
    for path in (dead, dead_scratch, alive, alive_scratch, other):
        path.write_text("half a file")
    write_table(leads(), "out.csv")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [alive.name, alive_scratch.name, other.name, "out.csv"]
    )


def _exited_pid() -> int:
    """The id of a process that has finished (and been reaped), so no process has it for now."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_replacing_keeps_the_mode_of_the_old_file(folder: Path) -> None:
    Path("out.csv").write_text("old\n")
    Path("out.csv").chmod(0o640)
    write_table(leads(), "out.csv")
    assert Path("out.csv").stat().st_mode & 0o777 == 0o640


# --- refusing to overwrite an input ---------------------------------------------------


def test_refuse_overwrite_of_an_input(folder: Path) -> None:
    Path("leads.csv").write_text("a\n1\n")
    with pytest.raises(UsageError) as caught:
        refuse_overwrite(["./leads.csv"], ["leads.csv"])
    assert str(caught.value) == "refusing to overwrite the input leads.csv with output; choose another -o"


def test_refuse_overwrite_through_a_link(folder: Path) -> None:
    Path("leads.csv").write_text("a\n1\n")
    Path("link.csv").symlink_to("leads.csv")
    with pytest.raises(UsageError):
        refuse_overwrite(["link.csv"], ["leads.csv"])


def test_refuse_overwrite_allows_other_files_and_stdout(folder: Path) -> None:
    Path("leads.csv").write_text("a\n1\n")
    refuse_overwrite(["ranked.csv", "-"], ["leads.csv", "-"])


# --- reproducible bytes ---------------------------------------------------------------


@pytest.mark.parametrize("extension", ["csv", "xlsx", "json", "ndjson", "parquet"])
def test_same_frame_gives_the_same_bytes(folder: Path, extension: str) -> None:
    write_table(leads(), f"a.{extension}")
    write_table(leads(), f"b.{extension}")
    assert Path(f"a.{extension}").read_bytes() == Path(f"b.{extension}").read_bytes()


def test_xlsx_document_dates_are_fixed(folder: Path) -> None:
    write_table(leads(), "out.xlsx")
    with zipfile.ZipFile("out.xlsx") as package:
        core = package.read("docProps/core.xml").decode()
        stamps = {info.date_time for info in package.infolist()}
    assert "2000-01-01T00:00:00Z" in core
    assert len(stamps) == 1  # every part carries one fixed 1980 date, not the time of writing
    assert next(iter(stamps))[0] == 1980


# --- text that looks like a formula ---------------------------------------------------


def test_xlsx_text_is_never_a_formula(folder: Path) -> None:
    risky = ["=1+1", "+33 1 23 45 67", "-5", "@SUM(A1)", '=HYPERLINK("http://x")', "0123", "http://x.com"]
    write_table(pl.DataFrame({"text": risky}), "out.xlsx")
    sheet = openpyxl.load_workbook("out.xlsx").active
    assert sheet is not None
    cells = [sheet.cell(row=i + 2, column=1) for i in range(len(risky))]
    assert [c.data_type for c in cells] == ["s"] * len(risky)
    assert [c.value for c in cells] == risky


def test_safe_csv_defuses_only_text_cells(folder: Path) -> None:
    frame = pl.DataFrame(
        {
            "text": ["=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)", "\tx", "-5", "+3.5", "plain"],
            "number": [-5, 1, 2, 3, 4, -6, 7, 8],
        }
    )
    write_table(frame, "out.csv", safe_csv=True)
    back = read_back("out.csv")
    assert back["text"].to_list() == [
        "'=cmd|' /C calc'!A0",
        "'+1+2",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "-5",
        "+3.5",
        "plain",
    ]
    assert back["number"].to_list() == ["-5", "1", "2", "3", "4", "-6", "7", "8"]


def test_csv_is_not_defused_unless_asked(folder: Path) -> None:
    write_table(pl.DataFrame({"text": ["=1+1"]}), "out.csv")
    assert read_back("out.csv")["text"].to_list() == ["=1+1"]


# --- Excel made for a person ----------------------------------------------------------


def test_xlsx_header_filter_widths_and_tier_colours(folder: Path) -> None:
    style = XlsxStyle(tier_colors={"hot": "#F8696B", "warm": "#FFEB84", "cold": "#9BC2E6"})
    frame = leads().with_columns(pl.col("name").fill_null("x" * 80))
    write_table(frame, "out.xlsx", xlsx_styles=style)
    sheet = openpyxl.load_workbook("out.xlsx").active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F5"
    assert all(cell.font.bold for cell in sheet[1])
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    assert 50 <= widths["A"] < 51  # capped
    assert widths["E"] < 10  # a boolean column stays narrow
    fills = [sheet.cell(row=r, column=6).fill.fgColor.rgb for r in range(2, 6)]
    assert fills[:3] == ["FFF8696B", "FF9BC2E6", "FFFFEB84"]
    assert sheet["D2"].number_format == "yyyy-mm-dd"


def test_xlsx_keeps_integers_excel_cannot_hold_as_text(folder: Path) -> None:
    write_table(pl.DataFrame({"id": [2**60, 7]}), "out.xlsx")
    sheet = openpyxl.load_workbook("out.xlsx").active
    assert sheet is not None
    assert (sheet["A2"].value, sheet["A3"].value) == (str(2**60), 7)


def test_lists_and_structs_become_json_text_in_csv_and_xlsx(folder: Path) -> None:
    frame = pl.DataFrame({"tags": [["a", "b"], None], "meta": [{"k": 1}, {"k": None}]})
    write_table(frame, "out.csv")
    assert read_back("out.csv").rows() == [('["a","b"]', '{"k":1}'), (None, '{"k":null}')]
    write_table(frame, "out.xlsx")
    assert read_back("out.xlsx").rows() == [('["a","b"]', '{"k":1}'), (None, '{"k":null}')]


def test_too_many_rows_for_excel(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_writer, "MAX_ROWS", 3)
    with pytest.raises(UsageError, match=r"do not fit in an Excel sheet .*; write \.csv or \.parquet"):
        write_table(leads(), "out.xlsx")
    assert list(Path().iterdir()) == []


# --- text longer than an Excel cell holds ---------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    cells=st.lists(
        st.one_of(st.none(), st.text(st.sampled_from("ab é\n<&"), min_size=8, max_size=12)),
        min_size=1,
        max_size=8,
    )
)
def test_xlsx_cuts_text_past_the_limit_and_says_how_many_cells(cells: list[str | None]) -> None:
    """With the limit made 10 characters: each longer cell reads back cut to 10, and is counted."""
    import tempfile

    long = sum(cell is not None and len(cell) > 10 for cell in cells)
    frame = pl.DataFrame({"id": [str(i) for i in range(len(cells))], "notes": cells})
    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as folder:
        patch.setattr(xlsx_writer, "MAX_TEXT", 10)
        path = str(Path(folder) / "out.xlsx")
        warnings = output_warnings(frame, path)
        write_table(frame, path)
        back = pl.read_excel(path, engine="openpyxl")["notes"].to_list()
    assert [None if c is None else c[:10] for c in cells] == [None if c in (None, "") else c for c in back]
    if long:
        [warning] = warnings
        assert warning.startswith(f"{long} cell{'s' if long > 1 else ''} of column 'notes' ")
    else:
        assert warnings == []


def test_xlsx_text_past_32767_characters_is_cut_with_one_warning(folder: Path) -> None:
    frame = pl.DataFrame(
        {
            "id": ["L1", "L2", "L3"],
            "notes": ["x" * 40_000, "y" * 32_767, "z" * 32_768],
            "bio": pl.Series(["b" * 33_000, None, "short"], dtype=pl.Categorical),
            "tags": [["t" * 33_000], [], None],
        }
    )
    assert output_warnings(frame, "out.xlsx") == [
        "4 cells of columns 'notes' (2), 'bio' (1) and 'tags' (1) are longer than 32,767 characters, the most "
        "an Excel cell holds: out.xlsx has them cut to that length; write .csv or .parquet to keep the whole text"
    ]
    assert output_warnings(frame.select("id", "notes").head(1), "out.xlsx") == [
        "1 cell of column 'notes' is longer than 32,767 characters, the most an Excel cell holds: out.xlsx has it "
        "cut to that length; write .csv or .parquet to keep the whole text"
    ]
    write_table(frame.select("id", "notes"), "out.xlsx")
    assert [len(v) for v in read_back("out.xlsx")["notes"]] == [32_767, 32_767, 32_767]
    for whole in ("out.csv", "out.parquet", "out.json"):
        assert output_warnings(frame, whole) == []
        write_table(frame.select("id", "notes"), whole)
        assert read_back(whole)["notes"].to_list() == frame["notes"].to_list()


def test_score_warns_before_writing_text_an_excel_cell_cannot_hold(folder: Path) -> None:
    (folder / "leads.csv").write_text(
        f"lead_id,notes,revenue\nL1,{'x' * 40_000},5000\nL2,short,10\n", encoding="utf-8"
    )
    (folder / "model.toml").write_text(
        '[model]\nname = "m"\n[[rules]]\nname = "R"\ndimension = "fit"\ncolumn = "revenue"\ngte = 1000\n'
        "points = 10\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(app, ["score", "leads.csv", "-m", "model.toml", "-o", "out.xlsx"])
    assert result.exit_code == 0
    warning = (
        "warning: 1 cell of column 'notes' is longer than 32,767 characters, the most an Excel cell holds: "
        "out.xlsx has it cut to that length; write .csv or .parquet to keep the whole text\n"
    )
    assert result.stderr == warning
    refused = runner.invoke(
        app, ["score", "leads.csv", "-m", "model.toml", "-o", "new.xlsx", "-q", "--fail-on-warnings"]
    )
    assert refused.exit_code == 1
    assert refused.stderr == warning.replace("out.xlsx", "new.xlsx") + (
        "Error: 1 warning and --fail-on-warnings: nothing was written\n"
    )
    assert not (folder / "new.xlsx").exists()
    as_csv = runner.invoke(app, ["score", "leads.csv", "-m", "model.toml", "-o", "out.csv"])
    assert (as_csv.exit_code, as_csv.stderr) == (0, "")


def test_a_changes_file_in_xlsx_is_checked_too(folder: Path) -> None:
    """--previous takes the other way through score_file: its outputs are checked the same."""
    (folder / "model.toml").write_text(
        '[model]\nname = "m"\n[[rules]]\nname = "R"\ndimension = "fit"\ncolumn = "revenue"\ngte = 1000\n'
        "points = 10\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    (folder / "old.csv").write_text(f"lead_id,notes,revenue\nL1,{'x' * 40_000},5\n", encoding="utf-8")
    assert (
        runner.invoke(app, ["score", "old.csv", "-m", "model.toml", "-o", "ranked.csv", "-q"]).exit_code == 0
    )
    (folder / "leads.csv").write_text(f"lead_id,notes,revenue\nL1,{'x' * 40_000},5000\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["score", "leads.csv", "-m", "model.toml", "-o", "new.csv", "--previous", "ranked.csv",
         "--changes", "changes.xlsx"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: 1 cell of column 'notes' is longer than 32,767 characters, the most an Excel cell holds: "
        "changes.xlsx has it cut to that length; write .csv or .parquet to keep the whole text\n"
    )
