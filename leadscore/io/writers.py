"""Write ranked leads to CSV, Excel, JSON, NDJSON or Parquet, atomically and reproducibly.

Every file is written beside its target and moved into place in one step, so a failed
run leaves yesterday's file whole. The same frame always gives the same bytes, so a
nightly job's output can be diffed and checksummed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl

from leadscore.errors import LeadscoreError, UsageError
from leadscore.io.atomic import atomic_path

if TYPE_CHECKING:
    from leadscore.io.readers import ReadResult

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

OUTPUT_FORMATS = ("csv", "xlsx", "json", "ndjson", "parquet")
STDOUT = "-"
_EXTENSIONS = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".parquet": "parquet",
}
# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP).
_FORMULA_START = r"^[=+\-@\t\r]"
# ... unless it is a plain number such as -5 or +3.5, which a spreadsheet shows as a number
# (-3,5 too in a ';'-separated file, written for a spreadsheet whose decimal mark is the comma).
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_PLAIN_NUMBER_COMMA = r"^[+-]?(\d+[.,]?\d*|[.,]\d+)([eE][+-]?\d+)?$"
# The separators a CSV output may have. A ';'-separated file is written for a spreadsheet whose
# decimal mark is the comma (Excel in most of Europe): its numbers are written with one, 42,5,
# as leadscore reads a ';'-separated file by default.
CSV_SEPARATORS = (",", ";")


@dataclass(frozen=True)
class XlsxStyle:
    """How the Excel output looks beyond the defaults.

    ``tier_colors`` maps a tier (any case) to a background colour for the cells of
    ``tier_column``, e.g. ``{"hot": "#F8696B", "warm": "#FFEB84", "cold": "#9BC2E6"}``.
    ``percent_columns`` are number columns of shares, shown as percentages (0.156 as 15.6%).
    """

    tier_colors: dict[str, str] = field(default_factory=dict)
    tier_column: str = "tier"
    percent_columns: tuple[str, ...] = ()


def format_for(path: str | Path, option: str = "-o") -> str:
    """The output format for a path, by its extension (``"-"``, standard output, is CSV).

    ``option`` names the option that gave the path, in the message for one leadscore cannot write.
    """
    if str(path) == STDOUT:
        return "csv"
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    shown = f"'{suffix}' files" if suffix else "files without an extension"
    raise UsageError(
        f"cannot write {shown} ({path}); give {option} a name ending in "
        f"{', '.join('.' + f for f in OUTPUT_FORMATS)}"
    )


def write_table(
    frame: pl.DataFrame,
    path: str | Path,
    *,
    safe_csv: bool = False,
    xlsx_styles: XlsxStyle | None = None,
    separator: str = ",",
) -> None:
    """Write ``frame`` to ``path`` in the format its extension names; ``"-"`` is CSV on stdout.

    ``safe_csv`` prefixes text cells that a spreadsheet would run as a formula (``=``,
    ``+``, ``-``, ``@``, tab, carriage return) with ``'``; plain numbers such as ``-5``
    are left alone. ``separator`` is that of CSV: ``";"`` writes numbers with a decimal comma
    (see :data:`CSV_SEPARATORS`).
    """
    kind = format_for(path)
    csv = csv_options(separator)
    if str(path) == STDOUT:
        _as_csv_text(frame, safe_csv, separator).write_csv(sys.stdout.buffer, **csv)
        sys.stdout.buffer.flush()
        return
    writers: dict[str, Callable[[Path], None]] = {
        "csv": lambda temp: _as_csv_text(frame, safe_csv, separator).write_csv(temp, **csv),
        "xlsx": lambda temp: _write_xlsx(frame, temp, xlsx_styles),
        "json": lambda temp: frame.write_json(temp),
        "ndjson": lambda temp: frame.write_ndjson(temp),
        "parquet": lambda temp: frame.write_parquet(temp, compression="zstd"),
    }
    with atomic_path(path) as temp:
        try:
            writers[kind](temp)
        except pl.exceptions.PolarsError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise LeadscoreError(f"cannot write {path} ({first}); try .parquet or .json") from None


def refuse_overwrite(
    outputs: Iterable[str | Path], inputs: Iterable[str | Path], *, what: str = "output", option: str = "-o"
) -> None:
    """Raise :class:`UsageError` if an output would replace one of the input files.

    ``what`` and ``option`` name the output in the message (``"the summary"``, ``"--summary-json"``).
    """
    sources = [Path(s) for s in inputs if str(s) != "-"]
    for output in outputs:
        if str(output) == STDOUT:
            continue
        for source in sources:
            if _same_file(Path(output), source):
                raise UsageError(
                    f"refusing to overwrite the input {source} with {what}; choose another {option}"
                )


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return a.samefile(b)
    return a.resolve() == b.resolve()


def output_separator(read: ReadResult) -> str:
    """The separator of the CSV files written from what ``read`` read: ``";"`` when every CSV file
    it read is ';'-separated (so that the output opens in the spreadsheet that wrote them, and
    is read again as they were), else ``","``."""
    return ";" if read.separator == ";" else ","


def csv_options(separator: str) -> dict[str, Any]:
    """The options of Polars' CSV writer (and reader) for a :data:`CSV_SEPARATORS` separator: a
    ';'-separated file has decimal commas."""
    if separator not in CSV_SEPARATORS:
        raise UsageError(f"a CSV output is separated by ',' or ';', not {separator!r}")
    return {"separator": separator, "decimal_comma": separator == ";"}


def csv_sink(
    path: str | Path, *, safe_csv: bool = False, separator: str = ","
) -> Callable[[pl.LazyFrame], pl.LazyFrame]:
    """A function turning a lazy frame into a lazy sink that writes it to ``path`` as CSV.

    The bytes are the ones :func:`write_table` writes for the collected frame. Collect the sink
    (with other queries over the same leads, in one ``pl.collect_all``) inside
    :func:`~leadscore.io.atomic.atomic_path`, so that a failed run leaves the old file whole.
    """

    def sink(frame: pl.LazyFrame) -> pl.LazyFrame:
        ready = _as_csv_text(frame, safe_csv, separator)
        # a temporary name: no .csv
        return ready.sink_csv(path, lazy=True, check_extension=False, **csv_options(separator))

    return sink


def csv_cells(
    schema: pl.Schema, columns: Sequence[str], *, safe_csv: bool = False, separator: str = ","
) -> pl.Expr | None:
    """The cells of ``columns`` as the text :func:`write_table` writes for them, joined by ``separator``.

    ``schema`` is that of the frame the expression will run on (columns are taken by position,
    so that a column named ``*`` or ``^a$`` is not read as a wildcard). Text is quoted as
    Polars' CSV writer quotes it (when it holds the separator, a quote or a line break, and the
    empty text as ``""``); numbers and booleans are written as that writer writes them; a missing
    cell is nothing. With :func:`csv_header` this lets a caller sort rows that are already
    CSV text (written with ``quote_style="never"``): one string a row rather than a column each.
    None when a column's type is not one of those (dates, lists: the writer formats them itself).
    """
    if not columns:
        return None
    decimal_comma = csv_options(separator)["decimal_comma"]
    names = schema.names()
    cells = []
    for name in columns:
        dtype, cell = schema[name], pl.nth(names.index(name))
        if dtype == pl.String:
            cells.append(_quoted(_defused_text(cell, separator) if safe_csv else cell, separator))
        elif dtype == pl.Float64 and decimal_comma:
            cells.append(cell.cast(pl.String).str.replace(".", ",", literal=True).fill_null(""))
        elif dtype.is_integer() or dtype in (pl.Float64, pl.Boolean):
            cells.append(cell.cast(pl.String).fill_null(""))
        else:
            return None
    return pl.concat_str(cells, separator=separator)


def _quoted(text: pl.Expr, separator: str) -> pl.Expr:
    needs_quotes = text.str.contains_any([separator, '"', "\r", "\n"]) | (text.str.len_bytes() == 0)
    quoted = pl.format('"{}"', text.str.replace_all('"', '""', literal=True))
    return pl.when(needs_quotes).then(quoted).otherwise(text).fill_null("")


def csv_header(columns: Sequence[str], separator: str = ",") -> str:
    """The header line :func:`write_table` writes for these column names."""
    special = re.compile(f'["{re.escape(separator)}\r\n]')
    return separator.join(
        f'"{c.replace(chr(34), chr(34) * 2)}"' if special.search(c) or not c else c for c in columns
    )


def _as_csv_text(frame: FrameT, safe: bool, separator: str = ",") -> FrameT:
    """Nested values as JSON text (CSV has no lists), and formula-like text defused if asked."""
    fixes = []
    schema = frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema
    for position, (name, dtype) in enumerate(schema.items()):
        if dtype.is_nested():
            fixes.append(json_text(name))
        elif safe and (dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum)):
            # by position: pl.col("*") would be every column
            fixes.append(_defused_text(pl.nth(position), separator).alias(name))
    return frame.with_columns(fixes) if fixes else frame


def _defused_text(cell: pl.Expr, separator: str) -> pl.Expr:
    text = cell.cast(pl.String)
    plain = _PLAIN_NUMBER_COMMA if csv_options(separator)["decimal_comma"] else _PLAIN_NUMBER
    risky = text.str.contains(_FORMULA_START) & ~text.str.contains(plain)
    return pl.when(risky).then(pl.lit("'") + text).otherwise(text)


def json_text(name: str) -> pl.Expr:
    """A list or struct column as JSON text, e.g. ``[1, 2]`` -> ``'[1,2]'`` (null stays null)."""
    # Polars encodes structs only: wrap the value as {"v": value} and cut the wrapper off.
    wrapped = pl.struct(pl.col(name).alias("v")).struct.json_encode()
    inner = wrapped.str.slice(5, wrapped.str.len_chars() - 6)
    return pl.when(pl.col(name).is_null()).then(None).otherwise(inner).alias(name)


def output_warnings(frame: pl.DataFrame, path: str | Path) -> list[str]:
    """What :func:`write_table` will not keep of ``frame`` in ``path``, as one warning: in .xlsx,
    text longer than an Excel cell holds, which is cut to that length."""
    if format_for(path) != "xlsx":
        return []
    from leadscore.io.xlsx_writer import MAX_TEXT, cut_texts

    cut = cut_texts(_xlsx_ready(frame))
    if not cut:
        return []
    cells = sum(cut.values())
    if len(cut) == 1:
        where = f"column '{next(iter(cut))}'"
    else:
        listed = [f"'{name}' ({count:,})" for name, count in cut.items()]
        where = f"columns {', '.join(listed[:-1])} and {listed[-1]}"
    one = cells == 1
    return [
        f"{cells:,} cell{'' if one else 's'} of {where} {'is' if one else 'are'} longer than {MAX_TEXT:,} "
        f"characters, the most an Excel cell holds: {path} has {'it' if one else 'them'} cut to that "
        "length; write .csv or .parquet to keep the whole text"
    ]


def _xlsx_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested values as JSON text, as the .xlsx file holds them."""
    nested = [json_text(n) for n, t in frame.schema.items() if t.is_nested()]
    return frame.with_columns(nested) if nested else frame


def _write_xlsx(frame: pl.DataFrame, path: Path, style: XlsxStyle | None) -> None:
    from leadscore.io.xlsx_writer import write_xlsx

    write_xlsx(_xlsx_ready(frame), path, style or XlsxStyle())
