"""Which columns of a sheet Excel shows as percentages, and reading them as it shows them.

A cell Excel shows as ``45%`` holds 0.45, and fastexcel (which gives values, not formats)
reads 0.45: a rule ``gte = 40`` written as the user sees the sheet would never fire, where a
CSV export of the same sheet (``45%``) reads as 45. So a column whose number cells are formatted
as percentages is read as the percent Excel shows: 0.45 as 45, 0.455 as 45.5 (what the cell
holds, not the 46 a ``0%`` format rounds it to).

The formats come from the workbook itself: its styles, and the first rows of the sheet's XML,
read as a stream, so a big sheet is not read twice and its shared strings not at all.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree import ElementTree

import polars as pl

SAMPLE_ROWS = 100  # rows below the header whose formats decide a column
_PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%
_CELL = re.compile(r"([A-Z]+)([0-9]+)")
# a format's text that shows nothing of the number: "quoted", \escaped, [colour or locale]
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_SIGNIFICANT = 15  # digits Excel keeps; 0.07 * 100 is 7.000000000000001 in floating point


def percent_columns(path: Path, sheet: int, header_row: int | None, frame: pl.DataFrame) -> list[int]:
    """The positions in ``frame`` (the sheet as fastexcel read it) of the columns whose number
    cells, in the first rows below the header, are all formatted as percentages.

    ``header_row`` is the header's 1-based row, or None for the first row that is not empty.
    A column is taken only when the values those cells hold are the frame's values there, so a
    workbook laid out in a way this reading does not follow is left as fastexcel read it.
    """
    try:
        with zipfile.ZipFile(path) as package:
            styles = _percent_styles(package)
            if not styles:
                return []
            part = _sheet_part(package, sheet)
            with package.open(part) as xml:
                cells = list(_first_cells(xml, header_row))
    except (
        IndexError,
        KeyError,
        OSError,
        StopIteration,
        ValueError,
        zipfile.BadZipFile,
        ElementTree.ParseError,
    ):
        return []  # a nicety: a workbook read otherwise than expected keeps its values as they are
    if not cells:
        return []
    first_column = min(column for _, column, _, _ in cells)
    top = min(row for row, _, _, _ in cells)
    numbers: dict[int, list[tuple[int, float, bool]]] = {}
    for row, column, style, value in cells:
        if row > top and value is not None:
            numbers.setdefault(column - first_column, []).append((row - top - 1, value, style in styles))
    found = []
    for position, sample in sorted(numbers.items()):
        if position >= frame.width or not all(percent for _, _, percent in sample):
            continue
        series = frame.to_series(position)
        if series.dtype.is_numeric() and all(
            row < series.len() and series[row] == value for row, value, _ in sample
        ):
            found.append(position)
    return found


def as_percent(column: pl.Expr) -> pl.Expr:
    """A fraction as the percent Excel shows for it: 0.455 as 45.5 (to Excel's 15 digits)."""
    return (column.cast(pl.Float64) * 100).round_sig_figs(_SIGNIFICANT)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element: ElementTree.Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (transitional or strict OOXML)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _children(element: ElementTree.Element, name: str) -> Iterator[ElementTree.Element]:
    return (child for child in element if _local(child.tag) == name)


def _percent_styles(package: zipfile.ZipFile) -> set[int]:
    """The cell styles (positions in cellXfs) whose number format shows a percentage."""
    root = ElementTree.fromstring(package.read("xl/styles.xml"))
    codes = {
        int(_attribute(f, "numFmtId") or -1): _attribute(f, "formatCode") or ""
        for formats in _children(root, "numFmts")
        for f in _children(formats, "numFmt")
    }
    percent = {n for n, code in codes.items() if "%" in _LITERAL.sub("", code.split(";")[0])}
    percent |= _PERCENT_FORMATS - set(codes)
    styles = set()
    for xfs in _children(root, "cellXfs"):
        for position, xf in enumerate(_children(xfs, "xf")):
            if int(_attribute(xf, "numFmtId") or 0) in percent:
                styles.add(position)
    return styles


def _sheet_part(package: zipfile.ZipFile, sheet: int) -> str:
    """The zip entry of the sheet at 0-based position ``sheet`` in the workbook's order."""
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    sheets = [s for group in _children(workbook, "sheets") for s in _children(group, "sheet")]
    wanted = _attribute(sheets[sheet], "id")
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    target = next((_attribute(r, "Target") for r in rels if _attribute(r, "Id") == wanted), None)
    if target is None:
        raise KeyError(wanted)
    if target.startswith("/"):
        return target.lstrip("/")
    return str(PurePosixPath("xl") / target)


def _first_cells(xml: IO[bytes], header_row: int | None) -> Iterator[tuple[int, int, int, float | None]]:
    """(row, column, style, number or None) of each cell with a value, from the header (its row,
    or the first row with a value) to SAMPLE_ROWS rows below it."""
    header = header_row
    for _, element in ElementTree.iterparse(xml, events=("end",)):
        if _local(element.tag) != "row":
            continue
        row = int(_attribute(element, "r") or 0)
        cells = []
        for cell in _children(element, "c"):
            value = next((v.text for v in _children(cell, "v")), None)
            inline = next(_children(cell, "is"), None) is not None
            if value is None and not inline:
                continue
            match = _CELL.fullmatch(_attribute(cell, "r") or "")
            if match is None:
                raise ValueError("a cell without its reference")
            kind = _attribute(cell, "t") or "n"
            number = float(value) if kind == "n" and value is not None else None
            cells.append((row, _column(match.group(1)), int(_attribute(cell, "s") or 0), number))
        element.clear()
        if header is None and cells:
            header = row
        if header is None or row < header:
            continue
        if row > header + SAMPLE_ROWS:
            return
        yield from cells


def _column(letters: str) -> int:
    """0-based: A is 0, AA is 26."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1
