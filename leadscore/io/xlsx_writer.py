"""Write a frame as an .xlsx workbook made to be read by a person.

Bold frozen header with filters, columns as wide as their content, dates as dates, and
every text cell stored as text: a lead named "=HYPERLINK(...)" stays a name, never a
formula. Written with xlsxwriter cell by cell in its constant-memory mode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import polars as pl

from leadscore.errors import UsageError

if TYPE_CHECKING:
    from leadscore.io.writers import XlsxStyle

SHEET_NAME = "leads"
MIN_WIDTH, MAX_WIDTH = 6, 50
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's own limits, header row included
# Document properties carry a creation time; a fixed one keeps the bytes the same run to run.
_FIXED_TIME = dt.datetime(2000, 1, 1)
_EXACT_INTEGERS = 2**53  # beyond this Excel (a float) would change the digits: write as text
_NUMBER_FORMATS = {
    pl.Date: "yyyy-mm-dd",
    pl.Datetime: "yyyy-mm-dd hh:mm:ss",
    pl.Time: "hh:mm:ss",
}

CellWriter = Callable[[int, int, Any], object]


def write_xlsx(frame: pl.DataFrame, path: Path, style: XlsxStyle) -> None:
    """Write ``frame`` (no nested columns) to ``path`` as one sheet."""
    import xlsxwriter  # type: ignore[import-untyped]  # ships no type hints

    if frame.height + 1 > MAX_ROWS or frame.width > MAX_COLUMNS:
        raise UsageError(
            f"{frame.height:,} rows and {frame.width:,} columns do not fit in an Excel sheet "
            f"(at most {MAX_ROWS - 1:,} rows and {MAX_COLUMNS:,} columns); write .csv or .parquet"
        )
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,  # rows go to disk as they are written
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "remove_timezone": True,
            "nan_inf_to_errors": True,
        },
    )
    try:
        workbook.set_properties({"created": _FIXED_TIME})
        sheet = workbook.add_worksheet(SHEET_NAME)
        header = workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#F2F2F2"})
        for column, (name, width) in enumerate(zip(frame.columns, _widths(frame), strict=True)):
            sheet.set_column(column, column, width)
            sheet.write_string(0, column, name, header)
        sheet.freeze_panes(1, 0)
        if frame.width:
            sheet.autofilter(0, 0, frame.height, frame.width - 1)
        formats = {
            dtype: workbook.add_format({"num_format": spec}) for dtype, spec in _NUMBER_FORMATS.items()
        }
        tiers = {
            tier.lower(): workbook.add_format({"bg_color": color})
            for tier, color in style.tier_colors.items()
        }
        writers = [
            _cell_writer(sheet, name, dtype, formats, tiers if name == style.tier_column else {})
            for name, dtype in frame.schema.items()
        ]
        for row_number, row in enumerate(frame.iter_rows(), start=1):
            for column, value in enumerate(row):
                if value is not None:
                    writers[column](row_number, column, value)
    finally:
        workbook.close()


def _cell_writer(
    sheet: Any,  # xlsxwriter's Worksheet and Format carry no type hints
    name: str,
    dtype: pl.DataType,
    formats: dict[Any, Any],
    tiers: dict[str, Any],
) -> CellWriter:
    """One function per column, chosen once, so the row loop does no type tests."""
    if dtype == pl.Boolean:
        return cast(CellWriter, sheet.write_boolean)
    if dtype.is_integer():

        def integer(row: int, column: int, value: int) -> object:
            if -_EXACT_INTEGERS < value < _EXACT_INTEGERS:
                return sheet.write_number(row, column, value)
            return sheet.write_string(row, column, str(value))

        return integer
    if dtype.is_numeric():  # floats and decimals
        return lambda row, column, value: sheet.write_number(row, column, float(value))
    for temporal, number_format in formats.items():
        if dtype == temporal:
            return lambda row, column, value: sheet.write_datetime(row, column, value, number_format)
    if tiers:
        return lambda row, column, value: sheet.write_string(
            row, column, str(value), tiers.get(str(value).strip().lower())
        )
    if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum):
        return cast(CellWriter, sheet.write_string)
    return lambda row, column, value: sheet.write_string(row, column, str(value))


def _widths(frame: pl.DataFrame) -> list[int]:
    """Each column as wide as its header or its longest value, within sensible bounds."""
    fixed = {pl.Date: 10, pl.Datetime: 19, pl.Time: 8, pl.Boolean: 5}
    lengths = []
    for name, dtype in frame.schema.items():
        width = next((w for t, w in fixed.items() if dtype == t), None)
        if width is None:
            longest = frame.select(pl.col(name).cast(pl.String).str.len_chars().max()).item()
            width = longest or 0
            if dtype.is_numeric():
                width = min(width, 12)  # Excel shows long floats rounded
        lengths.append(min(max(width, len(name), MIN_WIDTH - 2) + 2, MAX_WIDTH))
    return lengths
