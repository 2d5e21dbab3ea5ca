"""Reading leads files and writing ranked ones.

>>> from leadscore.io import read_table, write_table  # doctest: +SKIP
>>> leads = read_table(["leads.csv"]).frame.collect()  # doctest: +SKIP
>>> write_table(leads, "ranked.xlsx")  # doctest: +SKIP
"""

from leadscore.io.readers import ReadOptions, ReadResult, read_table
from leadscore.io.writers import (
    OUTPUT_FORMATS,
    XlsxStyle,
    csv_cells,
    csv_header,
    csv_options,
    csv_sink,
    format_for,
    output_separator,
    output_warnings,
    refuse_overwrite,
    write_table,
)

__all__ = [
    "OUTPUT_FORMATS",
    "ReadOptions",
    "ReadResult",
    "XlsxStyle",
    "csv_cells",
    "csv_header",
    "csv_options",
    "csv_sink",
    "format_for",
    "output_separator",
    "output_warnings",
    "read_table",
    "refuse_overwrite",
    "write_table",
]
