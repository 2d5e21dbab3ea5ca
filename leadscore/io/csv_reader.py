"""Read the CSV family (.csv, .tsv, .txt) as text columns, whatever the export looks like.

The happy path is one lazy ``pl.scan_csv`` over the file itself, so a multi-gigabyte
UTF-8 export is never copied into Python. One streaming pass over the file checks it
before the frame is handed out, because Polars only reports a bad row (too many fields,
a byte that is not UTF-8) when the whole row is parsed, and by then the scoring query
would be running in someone else's code.

Anything that pass rejects takes the slow path: the file is decoded in Python (as UTF-8,
its bytes that are not UTF-8 as Windows-1252; a file without a single UTF-8 character as
Windows-1252 throughout; see :mod:`leadscore.io.csv_encodings`) and handed to Polars again; if
Polars still refuses, Python's ``csv`` module reads it, which also finds the line numbers of
rows with too many fields.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from leadscore.coerce import GROUPED_DOT, LONE_COMMA
from leadscore.errors import InputError, UsageError
from leadscore.io.columns import Rename, clean_column_names, header_notice
from leadscore.io.csv_encodings import (
    MAC_ROMAN,
    codec_named,
    decode,
    decode_head,
    decoding_notice,
    is_utf8,
    raise_undecodable,
    refuse_binary,
    sniff_codec,
)
from leadscore.io.report_edges import (
    HEAD_ROWS,
    MAX_FOOTER,
    TOTAL_AMOUNT,
    TOTALS_LABEL,
    Row,
    edge_notices,
    footer_indexes,
    header_index,
    title_lines,
)
from leadscore.io.split_leads import find_splits, split_notice

# a cell holding 1.200 or 1,200 (coerce.GROUPED_DOT, coerce.LONE_COMMA, anchors off), quoted or not
_TWO_WAY = f"(?:{GROUPED_DOT[1:-1]}|{LONE_COMMA[1:-1]})"
HEAD_BYTES = 64 * 1024  # enough for the header, the separator sniff and the binary check
SNIFF_RECORDS = 50
SEPARATORS = (",", ";", "\t", "|")
SEPARATOR_WORDS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}

_SEPARATOR_HINT = re.compile(r'"?sep=([,;\t|])"?\1*', re.IGNORECASE)  # Excel's first line: sep=;
_QUOTED_FIELD = re.compile(r'"(?:[^"]|"")*"')


class BadRow(NamedTuple):
    """A row left out of the frame: its first line in the file, why, and its text."""

    line: int
    reason: str
    raw: str


@dataclass
class CsvRead:
    frame: pl.LazyFrame
    notices: list[str] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    separator: str = ","
    two_way_numbers: bool = False  # the head of the file has a 1.200 or a 1,200 (see coerce.GROUPED_DOT)


@dataclass(frozen=True)
class _Layout:
    """What the head of the file says about the whole of it."""

    separator: str
    skip_lines: int  # lines before the header row
    names: list[str]
    unnamed: frozenset[str]  # names made up for empty header cells
    renamed: list[Rename]  # what clean_column_names changed, for a notice
    title: tuple[str, ...] = ()  # a report's title lines found above the header, left out
    footer: tuple[str, ...] = ()  # a report's footer lines below the leads (first cells), left out
    two_way_numbers: bool = False  # a cell reads 1.200 or 1,200, which the decimal mark settles
    formula_text: bool = False  # a cell is written ="00123", as Excel keeps text text


def parse_separator(value: str) -> str:
    """Turn a ``--separator`` value (``;``, ``tab``, ``\\t``) into one character."""
    sep = SEPARATOR_WORDS.get(value.lower(), value)
    if len(sep) != 1 or sep in '\r\n"':
        raise UsageError(
            f"--separator must be one character such as ',' ';' '|' or the word 'tab', not '{value}'"
        )
    return sep


def read_csv_source(
    name: str,
    path: Path | None,
    data: bytes | None,
    *,
    encoding: str | None,
    separator: str | None,
    header_row: int | None,
    skip_bad_rows: bool,
    tab_default: bool,
    check_rows: bool = True,
) -> CsvRead:
    """Read one CSV-family source, given either as a ``path`` or as in-memory ``data``.

    Without a ``header_row``, title lines above the header are found and left out (see
    :mod:`leadscore.io.report_edges`); footer lines below the leads are left out either way.
    ``check_rows=False`` leaves out the checking pass of the fast path (see ReadOptions).
    """
    if data is not None:
        head, size = data[:HEAD_BYTES], len(data)
    else:
        assert path is not None
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        size = path.stat().st_size
    complete = size <= len(head)

    codec = codec_named(encoding) if encoding else sniff_codec(head)
    refuse_binary(name, head, codec)
    notices: list[str] = []
    if b"\r" in head and b"\n" not in head and not codec.startswith(("utf-16", "utf-32")):
        # Excel for Mac's "CSV (Macintosh)": lines end in a carriage return alone, which neither
        # Polars nor the csv module takes for the end of a line, and the text is in Mac Roman.
        if data is None:
            assert path is not None
            data = path.read_bytes()
        data = data.replace(b"\r", b"\n")
        head = data[:HEAD_BYTES]
        if not encoding and not is_utf8(data, final=True):
            codec = MAC_ROMAN
        notices.append(
            f"{name}: lines end in a carriage return alone, as in Excel's Macintosh CSV; read as lines"
        )
    utf8_head = codec == "utf-8" and is_utf8(head, final=complete)
    if codec == "utf-8" and not utf8_head and encoding:
        raise_undecodable(name, head, codec)
    head_text = decode_head(head, codec, final=complete)
    if not head_text.strip():
        if complete:
            raise InputError(f"{name} is empty: export the leads again, with a header row")
        raise InputError(f"{name} starts with {HEAD_BYTES:,} blank bytes: export the leads again")

    layout = _layout(name, head_text, complete, separator, header_row, tab_default)
    sep = re.escape(layout.separator)
    two_way = re.search(rf'(?:^|{sep})\s*"?{_TWO_WAY}"?\s*(?={sep}|$)', head_text, re.MULTILINE)
    formula = re.search(rf'(?:^|{sep})(?:="|"="")', head_text, re.MULTILINE)
    layout = replace(layout, two_way_numbers=two_way is not None, formula_text=formula is not None)
    tail = head_text if complete else _tail_text(path, data, size, head, codec)
    layout = _with_footer(layout, tail, whole=complete)
    before_tail = partial(_lines_before_tail, path, data, size, codec)  # counted only if need be
    split = _split_leads_notice(name, layout, head_text, tail, complete, before_tail)
    notices += [split] if split else []

    # The fast path: Polars reads the file itself (UTF-8, with or without a BOM). A byte
    # that is not UTF-8 further on fails its checking pass, and the file is decoded below.
    scanned = path is not None and data is None and utf8_head
    if scanned:
        assert path is not None
        frame = _try_polars(str(path), layout, lazy=True, check=check_rows)
        if frame is not None:
            return _result(name, frame, layout, notices)
        with path.open("rb") as handle:
            data = handle.read()
    elif data is None:
        assert path is not None
        data = path.read_bytes()
    assert data is not None

    text, used, legacy_lines = decode(name, data, codec, forced=encoding is not None)
    notice = decoding_notice(name, used, legacy_lines, forced=encoding is not None)
    notices += [notice] if notice else []
    as_read = used == "utf-8" and not legacy_lines  # data is the UTF-8 of text, BOM aside
    utf8 = data if as_read and not data.startswith(codecs.BOM_UTF8) else text.encode("utf-8")
    del data
    # Unless the scan above already failed on these very bytes, Polars gets another go.
    frame = None if scanned and as_read else _try_polars(utf8, layout, lazy=False)
    if frame is not None:
        return _result(name, frame, layout, notices)

    scan = _scan_with_python(name, text, layout, keep_rows=False, skip_bad_rows=skip_bad_rows)
    if scan.bad_rows and not skip_bad_rows:
        first = scan.bad_rows[0]
        more = f" ({len(scan.bad_rows) - 1} more lines like it)" if len(scan.bad_rows) > 1 else ""
        raise InputError(
            f"{name} line {first.line} has {first.reason}{more}; fix the line or use --skip-bad-rows"
        )
    leave_out = scan.bad_rows and not scan.resynced  # Polars leaves out those very records
    frame = _try_polars(utf8, layout, lazy=False, leave_out=scan) if leave_out else None
    if frame is None:  # Polars cannot read it at all (stray quotes, say): build it in Python
        del utf8
        built = _scan_with_python(name, text, layout, keep_rows=True, skip_bad_rows=skip_bad_rows)
        frame = built.frame(layout)
    return _result(name, frame, layout, notices, scan.bad_rows)


def _result(
    name: str,
    frame: pl.LazyFrame,
    layout: _Layout,
    notices: list[str],
    bad_rows: list[BadRow] | None = None,
) -> CsvRead:
    header = header_notice(name, layout.renamed, kept=frame.collect_schema().names())
    edges = edge_notices(name, "line", layout.skip_lines + 1, layout.title, layout.footer)
    messages = [*([header] if header else []), *edges, *notices]
    if layout.formula_text:
        frame = frame.with_columns(_formula_text_read(pl.all()))
        messages.append(f'{name}: cells written ="..." (Excel text, such as ="00123") are read as their text')
    return CsvRead(frame, messages, bad_rows or [], layout.separator, layout.two_way_numbers)


def _formula_text_read(cells: pl.Expr) -> pl.Expr:
    """``="00123"`` as ``00123``: the formula some exports write so that Excel keeps a cell's
    text as text (leading zeros, long numbers). ``=""`` is empty; other cells are as they are."""
    inner = cells.str.extract(r'(?s)^="(.*)"$', 1).str.replace_all('""', '"', literal=True)
    return pl.when(inner.is_null()).then(cells).when(inner == "").then(None).otherwise(inner)


# --- layout: header row, separator, column names -----------------------------------


def _lines(text: str) -> Iterator[str]:
    """Split on ``\\n`` only, keeping it, as Polars does (``\\r\\n`` stays whole)."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            if start < len(text):
                yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _layout(
    name: str,
    head_text: str,
    complete: bool,
    separator: str | None,
    header_row: int | None,
    tab_default: bool,
) -> _Layout:
    lines = list(_lines(head_text))
    if not complete and lines:
        lines.pop()  # probably cut in the middle
    skip = (header_row or 1) - 1
    while skip < len(lines) and not lines[skip].strip():
        skip += 1  # blank lines above the header
    hint = _SEPARATOR_HINT.fullmatch(lines[skip].strip("\r\n")) if skip < len(lines) else None
    if hint and header_row is None:
        skip += 1  # Excel's line naming the separator: what it says, unless --separator says otherwise
        separator = separator or hint.group(1)
    if skip >= len(lines):
        raise InputError(
            f"{name} has no header on line {header_row or 1} or below it; "
            "give the line of the header with --header-row"
        )

    def separator_of(body: str) -> str:
        if separator is not None:
            return separator
        return "\t" if tab_default else _sniff_separator(body) or ","

    sep = separator_of("".join(lines[skip:]))
    title: list[str] = []
    if header_row is None:
        records, starts = _records(lines[skip:], sep, HEAD_ROWS)
        found = header_index(records)
        if found:
            title = title_lines(records[:found])
            skip += starts[found]
            sep = separator_of("".join(lines[skip:]))
    body = "".join(lines[skip:])
    first = next(csv.reader(io.StringIO(body, newline=""), delimiter=sep), [])
    names, renamed = clean_column_names(first)
    unnamed = frozenset(n for n, raw in zip(names, first, strict=True) if not raw.strip())
    return _Layout(sep, skip, names, unnamed, renamed, title=tuple(title))


def _records(lines: list[str], sep: str, limit: int) -> tuple[list[list[str]], list[int]]:
    """The first ``limit`` records of ``lines``, and the line each starts on (0-based)."""
    records: list[list[str]] = []
    starts: list[int] = []
    reader = csv.reader(iter(lines), delimiter=sep)
    start = 0
    try:
        for record in reader:
            records.append(record)
            starts.append(start)
            start = reader.line_num
            if len(records) >= limit:
                break
    except csv.Error:
        pass  # a quote cut off by the end of the head; the records so far decide
    return records, starts


# --- footer lines below the leads ----------------------------------------------------


def _tail_start(size: int, codec: str) -> int:
    start = max(size - HEAD_BYTES, 0)
    return start - start % 2 if codec == "utf-16" else start


def _tail_text(path: Path | None, data: bytes | None, size: int, head: bytes, codec: str) -> str:
    """The last lines of a file too big for its head to hold it all (the first may be cut)."""
    start = _tail_start(size, codec)
    if codec == "utf-16":  # read from the middle: no BOM there to say which byte comes first
        codec = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    if data is not None:
        chunk = data[start:]
    else:
        assert path is not None
        with path.open("rb") as handle:
            handle.seek(start)
            chunk = handle.read()
    text = decode_head(chunk, codec, final=True)
    return text.split("\n", 1)[1] if "\n" in text else ""


def _lines_before_tail(path: Path | None, data: bytes | None, size: int, codec: str) -> int:
    """How many lines come before the first line of :func:`_tail_text` (a pass over the file)."""
    chunks = _chunks_before(path, data, _tail_start(size, codec))
    if codec.startswith(("utf-16", "utf-32")):
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        newlines = sum(decoder.decode(chunk).count("\n") for chunk in chunks)
    else:
        newlines = sum(chunk.count(b"\n") for chunk in chunks)
    return newlines + 1  # and the line the tail starts in, left out as perhaps cut


def _chunks_before(path: Path | None, data: bytes | None, end: int) -> Iterator[bytes]:
    if data is not None:
        yield data[:end]
        return
    assert path is not None
    with path.open("rb") as handle:
        while end > 0 and (chunk := handle.read(min(end, 1 << 20))):
            end -= len(chunk)
            yield chunk


def _split_leads_notice(
    name: str,
    layout: _Layout,
    head_text: str,
    tail: str,
    complete: bool,
    lines_before_tail: Callable[[], int],
) -> str | None:
    """A note on leads that look split by a line break, in the head and the tail (see split_leads)."""
    sep, width = layout.separator, len(layout.names)
    lines = list(_lines(head_text))
    if not complete:
        lines.pop()  # probably cut in the middle
    head = find_splits(
        lines[layout.skip_lines :],
        sep,
        width,
        first_line=layout.skip_lines + 1,
        header=True,
        last=complete,
        footer=layout.footer,
    )
    if complete:
        return split_notice(name, [head], width)
    end = find_splits(
        list(_lines(tail)), sep, width, first_line=1, header=False, last=True, footer=layout.footer
    )
    if end.splits:
        before = lines_before_tail()
        end = end._replace(splits=[split.moved(before) for split in end.splits])
    return split_notice(name, [head, end], width)


def _with_footer(layout: _Layout, tail: str, *, whole: bool) -> _Layout:
    """``layout`` with the first cells of the footer lines at the end of ``tail``, if any.

    ``whole`` says the tail is the whole file: its records are read from the header on. Else
    the tail starts anywhere, perhaps inside a quoted field, and each line is read on its own:
    a line counts as data unless it has no quote, is one quoted field, or starts with a totals
    label (``Total,,"2,255"``). (Inside a quoted field quotes come in pairs, so a line there, or
    the one that closes the field, is never one quoted field of its own; a line there that
    starts with a label is read as cells, which must then make a totals row.)
    """
    sep = layout.separator
    rows: list[Row] = []
    if whole:
        try:
            rows.extend(list(csv.reader(list(_lines(tail))[layout.skip_lines :], delimiter=sep))[1:])
        except csv.Error:
            return layout  # the file will be refused, with the line, when it is read
    else:
        for line in list(_lines(tail))[-MAX_FOOTER * 4 :]:
            text = line.strip().rstrip(sep)  # Excel pads lines to the table's width
            one_field = '"' not in text or _QUOTED_FIELD.fullmatch(text) is not None
            cells = one_field or re.match(TOTALS_LABEL, text) is not None
            rows.append(next(csv.reader([line], delimiter=sep), []) if cells else None)
    footer = tuple(str(row[0]) for i in footer_indexes(rows, width=len(layout.names)) if (row := rows[i]))
    return replace(layout, footer=footer) if footer else layout


def _sniff_separator(text: str) -> str | None:
    """The separator whose field count is the same on most records (header included)."""
    best: tuple[bool, float, int] | None = None
    chosen = None
    for sep in SEPARATORS:
        counts = _field_counts(text, sep)
        if not counts:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        key = (counts[0] == mode, round(freq / len(counts), 1), mode)
        if best is None or key > best:
            best, chosen = key, sep
    return chosen


def _field_counts(text: str, sep: str) -> list[int]:
    counts: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        for record in reader:
            if record:
                counts.append(len(record))
            if len(counts) >= SNIFF_RECORDS:
                break
    except csv.Error:
        pass  # a quote cut off by the end of the head; the records so far decide
    return counts


# --- reading -------------------------------------------------------------------------


def _try_polars(
    source: str | bytes, layout: _Layout, *, lazy: bool, leave_out: _Scan | None = None, check: bool = True
) -> pl.LazyFrame | None:
    """Read with Polars; ``None`` if Polars cannot (the caller then reads with Python).

    ``leave_out`` is a Python scan of the same text whose bad rows are to be dropped.
    """
    names = layout.names
    options: dict[str, Any] = {
        "separator": layout.separator,
        "infer_schema": False,
        "skip_lines": layout.skip_lines,
        "null_values": [""],  # a quoted "" is as empty as an unquoted one
        "with_column_names": lambda found: names if len(found) == len(names) else found,
        "truncate_ragged_lines": leave_out is not None,
    }
    try:
        if lazy:
            frame = pl.scan_csv(source, **options)
            if frame.collect_schema().names() != names:
                return None
            if not check and not layout.unnamed:
                return _finish(frame, None, layout)  # no counts needed: no column may be dropped
            # The checking pass: streaming, so memory stays flat on a big file.
            counts = frame.select(pl.all().count()).collect(engine="streaming")
        else:
            eager = pl.read_csv(source, **options)
            if eager.columns != names:
                return None
            if leave_out is not None:
                # Polars and the csv module number records alike (a blank line is a record).
                if eager.height != leave_out.records:
                    return None
                keep = pl.Series(values=[True]).extend_constant(True, eager.height - 1)
                keep = keep.scatter(leave_out.bad_records, False) if leave_out.bad_records else keep
                eager = eager.filter(keep)
            frame, counts = eager.lazy(), eager.count()
    except (pl.exceptions.PolarsError, OSError):
        return None
    return _finish(frame, counts, layout)


def _finish(frame: pl.LazyFrame, counts: pl.DataFrame | None, layout: _Layout) -> pl.LazyFrame:
    """Drop what is not data: blank rows, footer lines, unnamed empty columns (trailing separators)."""
    keep = pl.any_horizontal(pl.all().is_not_null())
    if layout.footer:
        first = layout.names[0]
        amounts = pl.exclude(first).is_null() | pl.exclude(first).str.contains(TOTAL_AMOUNT)
        footer = pl.col(first).is_in(layout.footer).fill_null(False) & pl.all_horizontal(amounts)
        keep = keep & ~footer
    empty = [n for n in layout.unnamed if counts is not None and counts[n].item() == 0]
    frame = frame.filter(keep)
    if empty and len(empty) < len(layout.names):
        frame = frame.drop(empty)
    return frame


_CSV_ERRORS = {
    "unexpected end of data": "a quote opens a field that is never closed",
    "field larger than field limit": "a field is too long, probably a quote never closed",
}

_TEXT_AFTER_QUOTE = "text follows the closing quote of a field"


def _quote_problem(error: csv.Error) -> str:
    message = str(error)
    if "expected after '\"'" in message:  # strict mode: 'a,"b"c' (the message names the separator)
        return _TEXT_AFTER_QUOTE
    return next((v for k, v in _CSV_ERRORS.items() if message.startswith(k)), message)


class _Scan(NamedTuple):
    bad_rows: list[BadRow]
    bad_records: list[int]  # their 0-based record numbers below the header
    records: int  # records below the header, blank ones included
    rows: list[list[str | None]]  # the good rows, if asked for
    resynced: bool = False  # a line with a quote problem was left out: Polars reads it otherwise

    def frame(self, layout: _Layout) -> pl.LazyFrame:
        eager = pl.DataFrame(self.rows, schema=dict.fromkeys(layout.names, pl.String), orient="row")
        return _finish(eager.lazy(), eager.count(), layout)


def _scan_with_python(
    name: str, text: str, layout: _Layout, *, keep_rows: bool, skip_bad_rows: bool = False
) -> _Scan:
    """Read with the ``csv`` module: slow, but it knows the line number of every row.

    A quote the module cannot read past (one never closed, or text after a closing quote) is
    an error naming its line; with ``skip_bad_rows`` that one line is a bad row, and reading
    starts again on the next line. (A quote never closed swallows the lines after it only up
    to the module's field limit, 128 KB, so a stray quote costs at most that much reading.)
    """
    width = len(layout.names)
    pending: list[str] = []  # the lines of the record being read, to show a bad one

    def remembered(lines: Iterator[str]) -> Iterator[str]:
        for line in lines:
            pending.append(line)
            yield line

    lines = _lines(text)
    for _ in range(layout.skip_lines):
        next(lines, None)
    reader = csv.reader(remembered(lines), delimiter=layout.separator, strict=True)
    scan = _Scan([], [], 0, [])
    try:
        next(reader, None)  # the header, already parsed
    except csv.Error as exc:  # the layout read it from the head alone
        raise InputError(
            f"{name} line {layout.skip_lines + 1} (the header): {_quote_problem(exc)}; check its quotes"
        ) from None
    before = layout.skip_lines  # the file's lines before those this reader reads
    last = reader.line_num  # the reader's lines up to the end of the last record
    records = 0
    pending.clear()
    while True:
        try:
            for record in reader:
                start, last = before + last + 1, reader.line_num
                if len(record) > width and any(record):
                    raw = "".join(pending).rstrip("\r\n")
                    scan.bad_rows.append(BadRow(start, f"{len(record)} fields, the header has {width}", raw))
                    scan.bad_records.append(records)
                elif keep_rows and any(record):
                    scan.rows.append([v or None for v in record] + [None] * (width - len(record)))
                records += 1
                pending.clear()
            return scan._replace(records=records)
        except csv.Error as exc:
            start, reason = before + last + 1, _quote_problem(exc)
            if len(pending) > 1 and reason == _TEXT_AFTER_QUOTE:  # the quote that closed is not its own
                reason = f"a quote opens a field that runs on to line {start + len(pending) - 1}"
            if not skip_bad_rows:
                raise InputError(
                    f"{name} line {start}: {reason}; check the quotes on that line, or use --skip-bad-rows"
                ) from None
            scan.bad_rows.append(BadRow(start, reason, pending[0].rstrip("\r\n")))
            scan.bad_records.append(records)
            records += 1
            rest = pending[1:]  # read again: they may be good leads
            pending.clear()
            reader = csv.reader(remembered(chain(rest, lines)), delimiter=layout.separator, strict=True)
            before, last = start, 0
            scan = scan._replace(resynced=True)
