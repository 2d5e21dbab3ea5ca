"""Read the CSV family (.csv, .tsv, .txt) as text columns, whatever the export looks like.

The happy path is one lazy ``pl.scan_csv`` over the file itself, so a multi-gigabyte
UTF-8 export is never copied into Python. One streaming pass over the file checks it
before the frame is handed out, because Polars only reports a bad row (too many fields,
a byte that is not UTF-8) when the whole row is parsed, and by then the scoring query
would be running in someone else's code.

Anything that pass rejects takes the slow path: the file is decoded in Python (as UTF-8,
its bytes that are not UTF-8 as Windows-1252; a file without a single UTF-8 character as
Windows-1252 throughout; see :mod:`leadscore.io.csv_encodings`) and handed to Polars again; if
Polars still refuses, Python's ``csv`` module reads it (:mod:`leadscore.io.csv_scan`), which
also finds the line numbers of rows with too many fields. Where the header is, the separator,
and the title and footer lines around the leads come from the head and the tail of the file
(:mod:`leadscore.io.csv_layout`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

from leadscore.coerce import GROUPED_DOT, LONE_COMMA
from leadscore.errors import InputError, UsageError
from leadscore.io import csv_layout
from leadscore.io.columns import header_notice
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
from leadscore.io.csv_layout import (
    Layout,
    data_rows,
    lines_before_tail,
    read_layout,
    split_leads_notice,
    tail_text,
    with_footer,
)
from leadscore.io.csv_scan import BadRow, Scan, scan_with_python
from leadscore.io.report_edges import edge_notices

# a cell holding 1.200 or 1,200 (coerce.GROUPED_DOT, coerce.LONE_COMMA, anchors off), quoted or not
_TWO_WAY = f"(?:{GROUPED_DOT[1:-1]}|{LONE_COMMA[1:-1]})"
_SLASHED_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/\d{4}(?![\d/])")
SEPARATOR_WORDS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}


@dataclass
class CsvRead:
    frame: pl.LazyFrame
    notices: list[str] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    separator: str = ","
    two_way_numbers: bool = False  # the head of the file has a 1.200 or a 1,200 (see coerce.GROUPED_DOT)
    two_way_date: str = ""  # the first date in the head such as 03/11/2026, read either way round


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
        head, size = data[: csv_layout.HEAD_BYTES], len(data)
    else:
        assert path is not None
        with path.open("rb") as handle:
            head = handle.read(csv_layout.HEAD_BYTES)
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
        head = data[: csv_layout.HEAD_BYTES]
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
        raise InputError(f"{name} starts with {csv_layout.HEAD_BYTES:,} blank bytes: export the leads again")

    layout = read_layout(name, head_text, complete, separator, header_row, tab_default)
    sep = re.escape(layout.separator)
    two_way = re.search(rf'(?:^|{sep})\s*"?{_TWO_WAY}"?\s*(?={sep}|$)', head_text, re.MULTILINE)
    # a whole cell written ="..." (or, quoted, "=""..."""); not ,=" inside another quoted cell
    formula = re.search(
        rf'(?:^|{sep})(?:="(?:[^"\n]|"")*"|"=""(?:[^"\n]|"""")*""")(?={sep}|\r?$)', head_text, re.MULTILINE
    )
    layout = replace(
        layout,
        two_way_numbers=two_way is not None,
        two_way_date=_two_way_date(head_text),
        formula_text=formula is not None,
    )
    tail = head_text if complete else tail_text(path, data, size, head, codec)
    layout = with_footer(layout, tail, whole=complete)
    before_tail = partial(lines_before_tail, path, data, size, codec)  # counted only if need be
    split = split_leads_notice(name, layout, head_text, tail, complete, before_tail)
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

    scan = scan_with_python(name, text, layout, keep_rows=False, skip_bad_rows=skip_bad_rows)
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
        built = scan_with_python(name, text, layout, keep_rows=True, skip_bad_rows=skip_bad_rows)
        frame = built.frame(layout)
    return _result(name, frame, layout, notices, scan.bad_rows)


def _result(
    name: str,
    frame: pl.LazyFrame,
    layout: Layout,
    notices: list[str],
    bad_rows: list[BadRow] | None = None,
) -> CsvRead:
    header = header_notice(name, layout.renamed, kept=frame.collect_schema().names())
    edges = edge_notices(name, "line", layout.skip_lines + 1, layout.title, layout.footer)
    messages = [*([header] if header else []), *edges, *notices]
    if layout.formula_text:
        frame = frame.with_columns(_formula_text_read(pl.all()))
        messages.append(f'{name}: cells written ="..." (Excel text, such as ="00123") are read as their text')
    return CsvRead(
        frame, messages, bad_rows or [], layout.separator, layout.two_way_numbers, layout.two_way_date
    )


def _two_way_date(text: str) -> str:
    """The first date like 03/11/2026 in ``text`` that reads as two days, or ''.

    >>> _two_way_date("L1;25/10/2026;05/05/2026;03/11/2026 09:30")
    '03/11/2026'
    """
    for found in _SLASHED_DATE.finditer(text):
        day, month = int(found[1]), int(found[2])
        if day != month and 1 <= day <= 12 and 1 <= month <= 12:
            return found[0]
    return ""


def _formula_text_read(cells: pl.Expr) -> pl.Expr:
    """``="00123"`` as ``00123``: the formula some exports write so that Excel keeps a cell's
    text as text (leading zeros, long numbers). ``=""`` is empty; other cells are as they are."""
    inner = cells.str.extract(r'(?s)^="(.*)"$', 1).str.replace_all('""', '"', literal=True)
    return pl.when(inner.is_null()).then(cells).when(inner == "").then(None).otherwise(inner)


# --- reading -------------------------------------------------------------------------


def _try_polars(
    source: str | bytes, layout: Layout, *, lazy: bool, leave_out: Scan | None = None, check: bool = True
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
    padded = bool(layout.trailing) and leave_out is None
    if padded:  # rows end with empty fields the header lacks: read them as columns, then drop them
        names = layout.padded()
        options |= {
            "has_header": False,
            "skip_lines": layout.skip_lines + layout.header_lines,
            # the width is the schema's, not the first row's: Polars' own names, one per field
            "schema": {f"column_{n}": pl.String for n in range(1, len(names) + 1)},
            "missing_columns": "insert",
            "with_column_names": lambda found: names if len(found) == len(names) else found,
        }
    try:
        if lazy:
            frame = pl.scan_csv(source, **options)
            if frame.collect_schema().names() != names:
                return None
            if not check and not layout.unnamed and not padded:
                return data_rows(frame, None, layout)  # no counts needed: no column may be dropped
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
    if padded:
        extra = names[len(layout.names) :]
        if any(counts[n].item() for n in extra):  # a field there holds data: rows of the wrong shape
            return None
        frame = frame.drop(extra)
    return data_rows(frame, counts, layout)
