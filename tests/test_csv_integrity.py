"""A CSV file read back as it was meant: every character as written, every lead as one row."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadscore.cli import app
from leadscore.io import ReadOptions, csv_layout, csv_reader, read_table

MODEL = Path(__file__).parent / "fixtures" / "messy_model.toml"
HEADER = "lead_id,name,country,employees,budget,open_rate,visits,last_activity,demo_requested\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work inside a fresh folder, so messages show plain file names as a user types them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def score(*args: str | Path) -> tuple[int, str, dict[str, str]]:
    """Run ``leadscore score`` on the messy model, writing out.csv: exit code, stderr, names by id."""
    result = CliRunner().invoke(app, ["score", *map(str, args), "-m", str(MODEL), "--as-of", "2026-11-01"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    names = {}
    if result.exit_code == 0:
        frame = read_table(["out.csv"]).frame.collect()
        names = dict(zip(frame["lead_id"], frame["name"], strict=True))
    return result.exit_code, result.stderr, names


# --- a UTF-8 file with lines in Windows-1252 ----------------------------------------

# A valid multi-byte UTF-8 character, written out byte by byte (RFC 3629), to tell which
# Windows-1252 lines UTF-8 would read otherwise than meant (É’ is the UTF-8 of U+0712).
UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
WINDOWS_1252 = [
    char
    for byte in range(0x20, 0x100)
    if byte != 0x7F and (char := bytes([byte]).decode("cp1252", errors="ignore"))
]
UTF8_CELLS = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=10)
LEGACY_CELLS = st.text(st.sampled_from(WINDOWS_1252), min_size=1, max_size=10).filter(
    lambda text: not UTF8_MULTIBYTE.search(text.encode("cp1252"))
)


def csv_line(cells: list[str], newline: str) -> str:
    return ",".join('"' + cell.replace('"', '""') + '"' for cell in cells) + newline


@st.composite
def mixed_files(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, ...]], list[int]]:
    """A UTF-8 file with some lines in Windows-1252: its bytes, its rows, and those lines."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    data = ("id,a,b" + newline).encode()
    rows: list[tuple[str, ...]] = []
    legacy: list[int] = []
    for number in range(draw(st.integers(min_value=1, max_value=12))):
        in_1252 = draw(st.booleans())
        text = LEGACY_CELLS if in_1252 else UTF8_CELLS
        cells = [f"L{number}", *draw(st.lists(text, min_size=2, max_size=2))]
        line = csv_line(cells, newline).encode("cp1252" if in_1252 else "utf-8")
        if in_1252 and not line.isascii():
            legacy.append(number + 2)
        rows.append(tuple(cells))
        data += line
    return data, rows, legacy


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=mixed_files(), head_bytes=st.sampled_from([64, 200, csv_layout.HEAD_BYTES]))
def test_every_cell_of_a_utf8_file_with_windows_1252_lines_reads_as_written(
    folder: Path, file: tuple[bytes, list[tuple[str, ...]], list[int]], head_bytes: int
) -> None:
    """Whether the first line in Windows-1252 is in the head of the file or further on."""
    data, rows, legacy = file
    Path("leads.csv").write_bytes(data)
    with mock.patch.object(csv_layout, "HEAD_BYTES", head_bytes):
        result = read_table(["leads.csv"], ReadOptions(separator=","))
        assert result.frame.collect().rows() == rows
    if legacy and UTF8_MULTIBYTE.search(data):
        [notice] = result.notices
        many = f"{len(legacy)} lines (the first is line {legacy[0]})"
        assert f"leads.csv: {f'line {legacy[0]}' if len(legacy) == 1 else many} read as " in notice
    elif legacy:  # no UTF-8 character at all: a Windows-1252 file
        assert result.notices == [
            "leads.csv: read as Windows-1252 (not UTF-8); use --encoding to force another"
        ]
    else:
        assert result.notices == []


def put(name: str, data: bytes) -> str:
    Path(name).write_bytes(data)
    return name


def test_a_windows_1252_line_in_a_utf8_file_is_named_in_one_note(folder: Path) -> None:
    put("leads.csv", "id,name\n1,Zoë\n".encode() + "2,José\n".encode("cp1252") + "3,Ærø\n".encode())
    result = read_table(["leads.csv"])
    assert result.frame.collect().rows() == [("1", "Zoë"), ("2", "José"), ("3", "Ærø")]
    assert result.notices == [
        "leads.csv: line 3 read as Windows-1252 (not UTF-8), the rest of the file as UTF-8; "
        "if its accents look wrong, use --encoding with the file's encoding"
    ]


def test_several_windows_1252_lines_are_counted_and_the_first_named(folder: Path) -> None:
    legacy = "2,Núñez – “Pepe”\n3,Müller\n".encode("cp1252")
    put("leads.csv", b"id,name\n" + legacy + "4,Zoë\n".encode() + "5,Gödel\n".encode("cp1252"))
    result = read_table(["leads.csv"])
    assert result.frame.collect()["name"].to_list() == ["Núñez – “Pepe”", "Müller", "Zoë", "Gödel"]
    assert result.notices == [
        "leads.csv: 3 lines (the first is line 2) read as Windows-1252 (not UTF-8), the rest of the file "
        "as UTF-8; if their accents look wrong, use --encoding with the file's encoding"
    ]


def test_a_windows_1252_file_is_still_read_as_windows_1252_whole(folder: Path) -> None:
    put("leads.csv", "id,name\n1,Zoë\n2,François – Cœur\n".encode("cp1252"))
    result = read_table(["leads.csv"])
    assert result.frame.collect()["name"].to_list() == ["Zoë", "François – Cœur"]
    assert result.notices == ["leads.csv: read as Windows-1252 (not UTF-8); use --encoding to force another"]


def test_bytes_windows_1252_leaves_undefined_read_as_latin1_in_a_utf8_file(folder: Path) -> None:
    put("leads.csv", "id,name\n1,Zoë\n2,A".encode() + b"\x81\x80\n")
    assert read_table(["leads.csv"]).frame.collect()["name"].to_list() == ["Zoë", "A\x81€"]


def test_a_bom_says_utf8_so_only_the_windows_1252_line_is_read_so(folder: Path) -> None:
    put("leads.csv", b"\xef\xbb\xbfid,name\n1,Zoe\n" + "2,José\n".encode("cp1252"))
    result = read_table(["leads.csv"])
    assert result.frame.collect().to_dicts()[1] == {"id": "2", "name": "José"}
    assert result.notices[0].startswith("leads.csv: line 3 read as Windows-1252 (not UTF-8)")


def test_a_header_in_windows_1252_is_read_as_the_rows_are(folder: Path) -> None:
    put("leads.csv", "id,Société\n".encode("cp1252") + "1,Zoë\n".encode())
    result = read_table(["leads.csv"])
    assert result.frame.collect().to_dicts() == [{"id": "1", "Société": "Zoë"}]
    assert result.notices[0].startswith("leads.csv: line 1 read as Windows-1252")


def test_forced_utf8_on_a_file_with_a_windows_1252_line_names_the_line(folder: Path) -> None:
    put("leads.csv", "id,name\n1,Zoë\n".encode() + "2,José\n".encode("cp1252"))
    with pytest.raises(csv_reader.InputError) as caught:
        read_table(["leads.csv"], ReadOptions(encoding="utf-8")).frame.collect()
    assert str(caught.value) == (
        "leads.csv line 3 is not valid utf-8 (byte 0xe9); "
        "use --encoding with the file's real encoding, such as cp1252 or latin-1"
    )


def test_a_windows_1252_line_past_the_first_64_kb_is_found_by_score(folder: Path) -> None:
    """The head is clean UTF-8, so Polars scans the file and fails on the line: read again, mixed."""
    rows = "".join(f"L{i:05d},Zoë,Sweden,10,10,10,1,2026-10-20,no\n" for i in range(2_000))
    data = (HEADER + rows).encode() + "L99999,José,Spain,10,10,10,1,2026-10-20,no\n".encode("cp1252")
    assert len(data) > csv_layout.HEAD_BYTES
    code, stderr, names = score(put("leads.csv", data), "-o", "out.csv")
    assert code == 0, stderr
    assert names["L00000"] == "Zoë"
    assert names["L99999"] == "José"
    assert stderr == (
        "note: leads.csv: line 2002 read as Windows-1252 (not UTF-8), the rest of the file as UTF-8; "
        "if its accents look wrong, use --encoding with the file's encoding\n"
    )


# --- a lead split in two by a line break that is not quoted -------------------------

LEADS = "id,name,company,notes,visits\n"
SPLIT = "900,Ann,Acme,call back\nnext week,12\n"  # lines of 4 and 2 fields: 5 + 1
WHOLE = "".join(f"{i},Name {i},Company {i},note {i},{i % 9}\n" for i in range(4_000))  # 150 KB


def notices(text: str, encoding: str = "utf-8") -> list[str]:
    return read_table([put("leads.csv", text.encode(encoding))]).notices


def split_note(
    first: int, last: int, fields: str = "4 and 2", more: str = "", name: str = "leads.csv"
) -> str:
    lines = f"lines {first} and {last}" if last == first + 1 else f"lines {first} to {last}"
    return (
        f"{name} {lines} look like one lead split by a line break inside a field ({fields} fields, "
        f"the header has 5){more}; they are read as two leads: quote that field in the export, or "
        "export the leads again"
    )


def test_a_lead_split_by_a_line_break_is_named_in_a_note(folder: Path) -> None:
    put("leads.csv", (LEADS + "1,Bo,Corp,x,1\n" + SPLIT + "2,Cy,Co,y,2\n").encode())
    result = read_table(["leads.csv"])
    assert result.frame.collect()["id"].to_list() == ["1", "900", "next week", "2"]  # read as it is
    assert result.notices == [split_note(3, 4)]


@pytest.mark.parametrize(
    ("split", "first", "last", "fields"),
    [
        ("1,Ann,Ac\nme,notes,3\n", 2, 3, "3 and 3"),  # the company split: 3 and 3 fields
        ("1,Ann,Acme,call back\n\nnext week,3\n", 2, 4, "4 and 2"),  # a blank line inside the note
        ("1,Ann,Acme,call back\nmaybe\nnext week,3\n", 2, 4, "4 and 2"),  # three lines of note
        ('1,"Ann, Jr",Acme,call back\nnext week,3\n', 2, 3, "4 and 2"),  # other fields quoted
    ],
)
def test_the_shapes_of_a_split_lead(folder: Path, split: str, first: int, last: int, fields: str) -> None:
    assert notices(LEADS + split + "2,Cy,Co,y,2\n") == [split_note(first, last, fields)]


def test_several_split_leads_are_counted(folder: Path) -> None:
    text = LEADS + SPLIT + "1,Bo,Corp,x,1\n" + SPLIT + SPLIT
    assert notices(text) == [split_note(2, 3, more=" (2 more like it, from line 5)")]


def test_a_split_lead_in_the_tail_of_a_big_file_is_named_with_its_line(folder: Path) -> None:
    assert len(LEADS + WHOLE) > 2 * csv_layout.HEAD_BYTES
    assert notices(LEADS + WHOLE + SPLIT + "4000,Cy,Co,y,2\n") == [split_note(4002, 4003)]


def test_a_split_lead_in_the_tail_of_standard_input(folder: Path) -> None:
    data = (LEADS + WHOLE + WHOLE + SPLIT).encode()
    read = csv_reader.read_csv_source(
        "stdin", None, data, encoding=None, separator=None, header_row=None, skip_bad_rows=False,
        tab_default=False,
    )  # fmt: skip
    assert read.notices == [split_note(8002, 8003, name="stdin")]


def test_a_split_lead_in_the_tail_of_a_utf16_file(folder: Path) -> None:
    assert notices(LEADS + WHOLE + SPLIT, encoding="utf-16") == [
        split_note(4002, 4003),
        "leads.csv: read as UTF-16 (Excel's 'Unicode text')",
    ]


def test_a_split_lead_below_a_report_title_is_named_with_its_line(folder: Path) -> None:
    report = "Open leads\nFiltered by: EMEA\n\n" + LEADS + "1,Bo,Corp,x,1\n" + SPLIT
    assert split_note(6, 7) in notices(report)


def test_a_split_lead_in_the_middle_of_a_big_file_is_not_looked_for(folder: Path) -> None:
    """Only the first and last 64 KB are read before Polars reads the file: no pass over every line."""
    assert notices(LEADS + WHOLE + SPLIT + WHOLE) == []


@pytest.mark.parametrize(
    "text",
    [
        LEADS + "1,Bo,Corp,x,1\n2,Cy,Co\n3,Di,Co,y,2\n",  # one short line: its empty fields left out
        LEADS + "1,Bo,Corp,x,1\n2,Cy,Co\n",  # the same at the end
        LEADS + "1,Bo\n2,Cy,Co\n3,Di,Co,y,2\n",  # two short lines, but 2 + 3 is not 5 + 1
        LEADS + '900,Ann,Acme,"call back\nnext week",12\n',  # a line break in a quoted field
        LEADS + "1,Bo,Corp\n2,Cy,Co\n3,Di,Co,y,2\n4,Ed,Co\n",  # line 5 pairs with none: fields left out
        LEADS + "1,Bo,Corp\n" + WHOLE + SPLIT,  # the same, the lone short line in the head
    ],
)
def test_short_lines_that_are_no_split_lead_give_no_note(folder: Path, text: str) -> None:
    assert notices(text) == []


def test_a_tail_that_starts_inside_a_quoted_field_is_read_from_its_first_whole_lead(folder: Path) -> None:
    """The tail starts among the lines of a quoted note, 'a,b,c', which read alone pair up."""
    note = '900,Ann,Acme,"x\n' + "a,b,c\n" * 40 + 'end",1\n'
    text = LEADS + WHOLE + note + "1,Bo,Corp,x,1\n"
    with mock.patch.object(csv_layout, "HEAD_BYTES", 100):
        assert notices(text) == []
        lines = text.count("\n")
        assert notices(text + SPLIT) == [split_note(lines + 1, lines + 2)]


def test_score_names_a_split_lead_in_a_note_and_scores_the_rest(folder: Path) -> None:
    messy = Path(__file__).parent / "messy" / "split_lead.csv"
    code, stderr, names = score(messy, "-o", "out.csv")
    assert code == 0, stderr
    assert stderr.splitlines()[0] == (
        f"note: {messy} lines 2 and 3 look like one lead split by a line break inside a field (2 and 8 "
        "fields, the header has 9); they are read as two leads: quote that field in the export, or "
        "export the leads again"
    )
    assert names["L001"] == "José Núñez"
    assert names["(Head of Sales)"] == "Spain"  # the second line, its cells one column to the left
