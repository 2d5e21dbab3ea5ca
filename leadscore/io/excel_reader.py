"""Read one sheet of an .xlsx/.xlsm workbook, keeping numbers, dates and text as they are.

fastexcel (Rust, calamine) reads a 100,000-row sheet about ten times faster than
openpyxl, and formula cells come back as the values Excel cached when it saved them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import polars as pl

from leadscore.errors import InputError, did_you_mean, quote_list
from leadscore.io.columns import clean_column_names, header_notice
from leadscore.io.excel_percent import as_percent, percent_columns
from leadscore.io.files import ZIP_SIGNATURE
from leadscore.io.report_edges import (
    HEAD_ROWS,
    MAX_FOOTER,
    MIN_WIDTH,
    TITLE_CELLS,
    edge_notices,
    filled,
    footer_indexes,
    header_index,
    title_lines,
)

if TYPE_CHECKING:
    import fastexcel

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DEDUPED = re.compile(r"^(.*)_\d+$")


def read_excel_source(
    name: str, path: Path, *, sheet: str | int | None, header_row: int | None
) -> tuple[pl.DataFrame, list[str]]:
    """Read one sheet into an eager frame; return it with notices for the user.

    Without a ``header_row``, title rows above the header are found and left out (see
    :mod:`leadscore.io.report_edges`); footer rows below the leads are left out either way.
    """
    import fastexcel

    # fastexcel logs a warning per column it cannot type (an empty one, say): noise for users.
    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    _refuse_non_xlsx(name, path)
    try:
        reader = fastexcel.read_excel(path)
        sheets = list(reader.sheet_names)
    except fastexcel.FastExcelError as exc:
        raise InputError(
            f"{name} cannot be opened as an Excel workbook ({_first_line(exc)}); "
            "open it in Excel and save it again as .xlsx"
        ) from None
    shown = _shown_sheets(path, len(sheets))
    index = _sheet_index(name, sheets, sheet, shown)
    hidden: list[str] = []
    if sheet is None:  # the first sheet Excel shows, not a hidden one (a list for drop-downs)
        index = shown.index(True) if True in shown else 0
        hidden = sheets[:index]
    where = f"sheet '{sheets[index]}' of {name}"
    frame, raw = _load(reader, index, where, header_row)
    title: list[str] = []
    if header_row is None and filled(raw) <= TITLE_CELLS and len(raw) >= MIN_WIDTH:
        # One cell or two on the first row of a wide sheet: a report's title, most likely.
        head = _head_rows(path, sheets[index])
        found = header_index(head)
        if head and filled(head[found]) > TITLE_CELLS:
            title = title_lines(head[:found])
            header_row = found + 1
            frame, raw = _load(reader, index, where, header_row)
    if not any(raw) and header_row is not None:
        raise InputError(
            f"row {header_row} of sheet '{sheets[index]}' in {name} is empty; "
            "give the row of the header with --header-row"
        )
    if _has_renamed_duplicates(raw):
        raw = _raw_header(reader, index, header_row)
    names, renamed = clean_column_names(raw)

    frame = _text_for_mixed_columns(reader, index, _sheet_row(header_row), frame)
    frame = _dates_in_text_as_shown(reader, index, _sheet_row(header_row), frame)
    percents = percent_columns(path, index, header_row, frame)
    frame = frame.with_columns(as_percent(pl.nth(i)) for i in percents)
    frame = _tidy_types(frame).rename(dict(zip(frame.columns, names, strict=True)))
    unnamed = [n for n, r in zip(names, raw, strict=True) if not r.strip()]
    empty = [n for n in unnamed if frame[n].null_count() == frame.height]
    if empty and len(empty) < frame.width:
        frame = frame.drop(empty)
    frame = frame.filter(pl.any_horizontal(pl.all().is_not_null()))
    tail = frame.tail(MAX_FOOTER * 4)
    footer = [tail[i, 0] for i in footer_indexes(tail.rows(), width=frame.width)]
    frame = frame.head(frame.height - len(footer))
    notices = [_hidden_notice(name, hidden, sheets[index])] if hidden else []
    notices += [notice] if (notice := header_notice(name, renamed, kept=frame.columns)) else []
    notices += [_percent_notice(name, [names[i] for i in percents])] if percents else []
    return frame, notices + edge_notices(name, "row", header_row or 1, title, footer)


def _hidden_notice(name: str, hidden: list[str], read: str) -> str:
    are = f"sheet {quote_list(hidden)} is" if len(hidden) == 1 else f"sheets {quote_list(hidden)} are"
    return f"{name}: {are} hidden: read sheet '{read}', the first one shown; --sheet chooses another"


def _shown_sheets(path: Path, count: int) -> list[bool]:
    """Whether Excel shows each of the workbook's ``count`` sheets (it hides none when it cannot
    tell): the workbook's own list of sheets, a small part read without the sheets."""
    try:
        with zipfile.ZipFile(path) as package:
            workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return [True] * count
    shown = [
        sheet.get("state", "visible") == "visible"
        for group in workbook
        if group.tag.rsplit("}", 1)[-1] == "sheets"
        for sheet in group
        if sheet.tag.rsplit("}", 1)[-1] == "sheet"
    ]
    return shown if len(shown) == count else [True] * count


def _percent_notice(name: str, columns: list[str]) -> str:
    are = f"column {quote_list(columns)} is" if len(columns) == 1 else f"columns {quote_list(columns)} are"
    return f"{name}: {are} formatted as percentages: read as Excel shows them (45% as 45, not 0.45)"


def _load(
    reader: fastexcel.ExcelReader, index: int, where: str, header_row: int | None
) -> tuple[pl.DataFrame, list[str]]:
    """The sheet below its header row, and the header's texts ("" for an empty cell)."""
    import fastexcel

    try:
        loaded = reader.load_sheet(index, header_row=_sheet_row(header_row), schema_sample_rows=None)
        columns = loaded.available_columns()
        frame = loaded.to_polars()
    except fastexcel.FastExcelError as exc:
        raise InputError(f"{where} cannot be read ({_first_line(exc)})") from None
    if frame.width == 0:
        if header_row is None:
            raise InputError(f"{where} is empty: choose the sheet with the leads with --sheet")
        raise InputError(
            f"{where} has nothing on row {header_row} or below it; "
            "give the row of the header with --header-row"
        )
    return frame, [c.name if str(c.column_name_from) != "generated" else "" for c in columns]


def _sheet_row(header_row: int | None) -> int:
    """fastexcel's number for the header row: 0 is the first row that is not empty, any other
    number counts from the top (0-based)."""
    return 0 if header_row is None else header_row - 1


def _head_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    """The first rows of a sheet, from its top (fastexcel starts at the first row not empty).

    openpyxl's read-only mode stops reading there; fastexcel would read the whole sheet. A
    workbook openpyxl cannot read gives no rows: the sheet is then read from its first row.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return list(itertools.islice(book[sheet].values, HEAD_ROWS))
        finally:
            book.close()
    except Exception:  # openpyxl raises many kinds on files fastexcel reads; the search is a nicety
        return []


def _refuse_non_xlsx(name: str, path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(1024)
    if head.startswith(ZIP_SIGNATURE):
        return
    if not head.strip():
        raise InputError(f"{name} is empty: export the leads again")
    if head.startswith(_OLE_SIGNATURE):
        raise InputError(
            f"{name} is an old-format (.xls) or password-protected workbook; "
            "open it in Excel, remove any password and save it as .xlsx"
        )
    if b"\x00" not in head:
        raise InputError(f"{name} is not an Excel file: it looks like text; rename it to .csv")
    raise InputError(f"{name} is not an Excel file; export the leads as .xlsx or CSV again")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _sheet_index(name: str, sheets: list[str], sheet: str | int | None, shown: list[bool]) -> int:
    """The position of ``sheet`` among ``sheets``: a name (any case, a hidden sheet's too), or a
    number counting the sheets Excel shows (``shown``), as the user counts the tabs."""
    if not sheets:
        raise InputError(f"{name} has no sheets; export the leads again")
    if sheet is None:
        return 0
    if isinstance(sheet, str):
        lowered = [s.lower() for s in sheets]
        if sheet.strip().lower() in lowered:
            return lowered.index(sheet.strip().lower())
        if not sheet.strip().isdigit():
            raise InputError(
                f"{name} has no sheet '{sheet}'{did_you_mean(sheet, sheets)}; "
                f"its sheets are {quote_list(sheets)}"
            )
        sheet = int(sheet)
    tabs = [i for i, visible in enumerate(shown) if visible] or list(range(len(sheets)))
    if not 1 <= sheet <= len(tabs):
        count = f"{len(tabs)} sheet" + ("s" if len(tabs) > 1 else "")
        has = "has" if len(tabs) == len(sheets) else "shows"
        listed = quote_list(sheets[i] for i in tabs)
        raise InputError(f"{name} has no sheet number {sheet}: it {has} {count} ({listed})")
    return tabs[sheet - 1]


def _has_renamed_duplicates(raw: list[str]) -> bool:
    """fastexcel names a repeated header 'email_1'; then the real header must be read again."""
    seen: set[str] = set()
    for text in raw:
        match = _DEDUPED.match(text)
        if match and match.group(1) in seen:
            return True
        seen.add(text)
    return False


def _raw_header(reader: fastexcel.ExcelReader, index: int, header_row: int | None) -> list[str]:
    skip = None if header_row is None else header_row - 1
    row = reader.load_sheet(index, header_row=None, skip_rows=skip, n_rows=1, dtypes="string")
    values = row.to_polars().row(0)
    return ["" if v is None else str(v) for v in values]


def _text_for_mixed_columns(
    reader: fastexcel.ExcelReader, index: int, row: int, frame: pl.DataFrame
) -> pl.DataFrame:
    """Read again as text the typed columns where text was dropped for not being a number.

    Sampling every row, fastexcel makes a column of numbers and text a text column, but it
    takes placeholders such as 'N/A' for empty cells. The output must show them as they
    were, so a typed column with nulls is read once more as text; if that has fewer nulls,
    the column held text and is kept as text.
    """
    suspects = [
        i
        for i, s in enumerate(frame.iter_columns())
        if s.dtype not in (pl.String, pl.Null) and s.null_count() > 0
    ]
    if not suspects:
        return frame
    # by name: fastexcel takes a number for the sheet's own column, which is not the frame's when
    # the table does not start in column A
    names = [frame.columns[i] for i in suspects]
    text = reader.load_sheet(
        index, header_row=row, schema_sample_rows=None, use_columns=names, dtypes="string"
    ).to_polars()
    mixed = [
        i
        for i, t in zip(suspects, text.iter_columns(), strict=True)
        if t.null_count() < frame[:, i].null_count()
    ]
    replaced = {frame.columns[i]: text[:, suspects.index(i)] for i in mixed}
    if replaced:
        frame = frame.with_columns(s.alias(c) for c, s in replaced.items())
    return frame


def _dates_in_text_as_shown(
    reader: fastexcel.ExcelReader, index: int, row: int, frame: pl.DataFrame
) -> pl.DataFrame:
    """Write the date cells of a text column as Excel shows a date: 2026-10-20, not the
    '2026-10-20 00:00:00' fastexcel writes for a date cell it reads as text.

    A column of dates and text ('N/A', '10/25/2026') is text. Read again as dates, which only
    its date cells give, those at midnight lose the time; a date with a time keeps it, and text
    typed into a cell stays as typed.
    """
    import fastexcel

    names = [
        s.name for s in frame.iter_columns() if s.dtype == pl.String and s.str.ends_with(" 00:00:00").any()
    ]
    if not names:
        return frame
    try:
        dates = reader.load_sheet(
            index, header_row=row, schema_sample_rows=None, use_columns=names,
            dtypes=dict.fromkeys(names, "datetime"),
        ).to_polars()  # fmt: skip
    except fastexcel.FastExcelError:
        return frame  # a nicety: the text stays as fastexcel wrote it
    if dates.height != frame.height:
        return frame
    shown = []
    for name in names:
        when, text = dates[name], frame[name]
        midnight = (when.dt.time() == dt.time(0)) & (text == when.dt.strftime("%Y-%m-%d %H:%M:%S"))
        shown.append(when.dt.strftime("%Y-%m-%d").zip_with(midnight.fill_null(False), text).alias(name))
    return frame.with_columns(shown)


def _tidy_types(frame: pl.DataFrame) -> pl.DataFrame:
    """Give columns the type a person sees in Excel, which stores every number as a float.

    Whole numbers become integers (10, not 10.0, in the output), dates stored as midnight
    become dates, and columns with no value at all become text.
    """
    fixes: list[pl.Expr] = []
    for column in frame.iter_columns():
        if column.dtype == pl.Null:
            fixes.append(pl.col(column.name).cast(pl.String))
        elif column.dtype == pl.Float64:
            values = column.drop_nulls()
            whole = values.len() > 0 and (values == values.round(0)).all()
            if whole and values.abs().max() < 2**53:  # type: ignore[operator]
                fixes.append(pl.col(column.name).cast(pl.Int64))
        elif isinstance(column.dtype, pl.Datetime):
            times = column.drop_nulls().dt.time()
            if (times == dt.time(0)).all():
                fixes.append(pl.col(column.name).cast(pl.Date))
    return frame.with_columns(fixes) if fixes else frame
