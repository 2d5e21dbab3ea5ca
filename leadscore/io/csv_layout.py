"""What the head and the tail of a CSV file say about the whole of it.

The separator, the header row and its column names, a report's title lines above the header
and footer lines below the leads, and leads a line break split in two: all of it is read from
the first and the last ``HEAD_BYTES`` of the file, so a big export is never read whole here.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from leadscore.errors import InputError
from leadscore.io.columns import Rename, clean_column_names
from leadscore.io.csv_encodings import decode_head
from leadscore.io.report_edges import (
    HEAD_ROWS,
    MAX_FOOTER,
    TOTAL_AMOUNT,
    TOTALS_LABEL,
    Row,
    footer_indexes,
    header_index,
    title_lines,
)
from leadscore.io.split_leads import find_splits, split_notice

HEAD_BYTES = 64 * 1024  # enough for the header, the separator sniff and the binary check
SNIFF_RECORDS = 50
SEPARATORS = (",", ";", "\t", "|")

_SEPARATOR_HINT = re.compile(r'"?sep=([,;\t|])"?\1*', re.IGNORECASE)  # Excel's first line: sep=;
_QUOTED_FIELD = re.compile(r'"(?:[^"]|"")*"')


@dataclass(frozen=True)
class Layout:
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
    two_way_date: str = ""  # a date such as 03/11/2026, which the order of day and month settles
    header_lines: int = 1  # the lines the header spans (a quoted name may hold a line break)
    trailing: int = 0  # empty fields the data rows end with beyond the header's (see trailing_fields)

    def padded(self) -> list[str]:
        """The names, and one more for each trailing field: how a reader that counts them sees a row."""
        return self.names + [f"__trailing_{n}" for n in range(1, self.trailing + 1)]


# --- layout: header row, separator, column names -----------------------------------


def split_lines(text: str) -> Iterator[str]:
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


def read_layout(
    name: str,
    head_text: str,
    complete: bool,
    separator: str | None,
    header_row: int | None,
    tab_default: bool,
) -> Layout:
    lines = list(split_lines(head_text))
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
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=sep)
    first = next(reader, [])
    header_lines = reader.line_num
    names, renamed = clean_column_names(first)
    unnamed = frozenset(n for n, raw in zip(names, first, strict=True) if not raw.strip())
    trailing = trailing_fields(_records(lines[skip:], sep, SNIFF_RECORDS + 1)[0][1:], len(names))
    return Layout(
        sep, skip, names, unnamed, renamed, title=tuple(title), header_lines=header_lines, trailing=trailing
    )


def trailing_fields(records: list[list[str]], width: int) -> int:
    """How many empty fields the exporter ends each data row with beyond the header's, from the
    first records below the header: the number most of them have (two at least), all empty; or 0.

    Many exporters end every row with a separator the header lacks (``1,Acme,2000,``). Those
    empty fields are no data. A row alone with an empty field too many is something else: an
    unquoted separator in a field (``Acme, Inc``) that shifts the rest, so it stays a bad row.

    >>> trailing_fields([["1", "Acme", ""], ["2", "Globex", ""]], width=2)
    1
    >>> trailing_fields([["1", "Acme, Inc", ""], ["2", "Globex"], ["3", "Initech"]], width=2)
    0
    >>> trailing_fields([["1", "Acme, Inc", ""]], width=2)
    0
    """
    rows = [r for r in records if any(r)]
    extra = Counter(len(r) - width for r in rows if len(r) > width and not any(r[width:]))
    if not extra:
        return 0
    count, rows_with_it = extra.most_common(1)[0]
    return count if rows_with_it >= 2 and rows_with_it * 2 > len(rows) else 0


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


# --- the tail: footer lines below the leads, leads split in two ----------------------


def _tail_start(size: int, codec: str) -> int:
    start = max(size - HEAD_BYTES, 0)
    return start - start % 2 if codec == "utf-16" else start


def tail_text(path: Path | None, data: bytes | None, size: int, head: bytes, codec: str) -> str:
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


def lines_before_tail(path: Path | None, data: bytes | None, size: int, codec: str) -> int:
    """How many lines come before the first line of :func:`tail_text` (a pass over the file)."""
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


def split_leads_notice(
    name: str,
    layout: Layout,
    head_text: str,
    tail: str,
    complete: bool,
    lines_before_tail: Callable[[], int],
) -> str | None:
    """A note on leads that look split by a line break, in the head and the tail (see split_leads)."""
    sep, width = layout.separator, len(layout.names)
    lines = list(split_lines(head_text))
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
        list(split_lines(tail)), sep, width, first_line=1, header=False, last=True, footer=layout.footer
    )
    if end.splits:
        before = lines_before_tail()
        end = end._replace(splits=[split.moved(before) for split in end.splits])
    return split_notice(name, [head, end], width)


def with_footer(layout: Layout, tail: str, *, whole: bool) -> Layout:
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
            rows.extend(list(csv.reader(list(split_lines(tail))[layout.skip_lines :], delimiter=sep))[1:])
        except csv.Error:
            return layout  # the file will be refused, with the line, when it is read
    else:
        for line in list(split_lines(tail))[-MAX_FOOTER * 4 :]:
            text = line.strip().rstrip(sep)  # Excel pads lines to the table's width
            one_field = '"' not in text or _QUOTED_FIELD.fullmatch(text) is not None
            cells = one_field or re.match(TOTALS_LABEL, text) is not None
            rows.append(next(csv.reader([line], delimiter=sep), []) if cells else None)
    footer = tuple(str(row[0]) for i in footer_indexes(rows, width=len(layout.names)) if (row := rows[i]))
    return replace(layout, footer=footer) if footer else layout


# --- what is not data ----------------------------------------------------------------


def data_rows(frame: pl.LazyFrame, counts: pl.DataFrame | None, layout: Layout) -> pl.LazyFrame:
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
