"""Read a CSV file with Python's ``csv`` module: slow, but it knows the line of every row.

It takes over when Polars cannot read a file: it finds the rows with more fields than the
header and the lines with a quote problem, names their lines, and, when Polars cannot read the
file even without them, builds the frame itself.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import chain
from typing import NamedTuple

import polars as pl

from leadscore.errors import InputError
from leadscore.io.csv_layout import Layout, data_rows, split_lines


class BadRow(NamedTuple):
    """A row left out of the frame: its first line in the file, why, and its text."""

    line: int
    reason: str
    raw: str


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


class Scan(NamedTuple):
    bad_rows: list[BadRow]
    bad_records: list[int]  # their 0-based record numbers below the header
    records: int  # records below the header, blank ones included
    rows: list[list[str | None]]  # the good rows, if asked for
    resynced: bool = False  # a line with a quote problem was left out: Polars reads it otherwise

    def frame(self, layout: Layout) -> pl.LazyFrame:
        eager = pl.DataFrame(self.rows, schema=dict.fromkeys(layout.names, pl.String), orient="row")
        return data_rows(eager.lazy(), eager.count(), layout)


def _too_long(record: list[str], width: int, trailing: int) -> bool:
    """More fields than the header, beyond the empty ones every row of the file ends with."""
    if len(record) <= width or not any(record):
        return False
    return len(record) > width + trailing or any(record[width:])


def scan_with_python(
    name: str, text: str, layout: Layout, *, keep_rows: bool, skip_bad_rows: bool = False
) -> Scan:
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

    lines = split_lines(text)
    for _ in range(layout.skip_lines):
        next(lines, None)
    reader = csv.reader(remembered(lines), delimiter=layout.separator, strict=True)
    scan = Scan([], [], 0, [])
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
                if _too_long(record, width, layout.trailing):
                    raw = "".join(pending).rstrip("\r\n")
                    scan.bad_rows.append(BadRow(start, f"{len(record)} fields, the header has {width}", raw))
                    scan.bad_records.append(records)
                elif keep_rows and any(record):
                    record = record[:width]  # the empty trailing fields aside
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
