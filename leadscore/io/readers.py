"""Read leads files of any supported format into one lazy frame.

Text formats (.csv, .tsv, .txt) are read with every column as text, exactly as written:
the scoring compiler decides per rule how to read a value, and the ranked output must
show each cell as it was in the input. Typed formats (.xlsx, .json, .ndjson, .parquet)
keep their numbers, dates and booleans.

Every problem a user can cause raises :class:`~leadscore.errors.InputError` (or
:class:`~leadscore.errors.UsageError` for options) with a one-line message.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from leadscore.coerce import Conventions
from leadscore.errors import InputError, UsageError, did_you_mean, quote_list
from leadscore.io.atomic import atomic_path
from leadscore.io.columns import clean_column_names, header_notice
from leadscore.io.csv_reader import CsvRead, parse_separator, read_csv_source
from leadscore.io.csv_scan import BadRow
from leadscore.io.excel_reader import read_excel_source
from leadscore.io.files import STDIN, missing_file, without_lock_files
from leadscore.io.json_reader import first_line, read_json_source, read_ndjson_source
from leadscore.io.writers import csv_options, output_separator

CSV_EXTENSIONS = (".csv", ".tsv", ".txt")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
JSON_EXTENSIONS = (".json",)
NDJSON_EXTENSIONS = (".ndjson", ".jsonl")
PARQUET_EXTENSIONS = (".parquet",)
INPUT_EXTENSIONS = (
    CSV_EXTENSIONS + EXCEL_EXTENSIONS + JSON_EXTENSIONS + NDJSON_EXTENSIONS + PARQUET_EXTENSIONS
)
# what a leads file may be named: the formats read, and .xls, which is refused with advice
LEADS_FILE_EXTENSIONS = (*INPUT_EXTENSIONS, ".xls")


@dataclass(frozen=True)
class ReadOptions:
    """How to read the leads files. Every field is optional: the defaults fit most exports.

    ``sheet`` is a sheet name (any case) or 1-based number; ``header_row`` the 1-based row
    of the header (.xlsx and CSV); ``encoding`` and ``separator`` force what is otherwise
    detected; ``skip_bad_rows`` leaves out CSV rows with too many fields, and lines whose
    quote is never closed, and writes them to ``rejects_path`` (default:
    ``<input stem>.rejects.csv`` in the current folder).

    ``dayfirst`` says whether 03/04/2026 is 3 April, and ``decimal_comma`` whether text numbers
    write the comma as the decimal mark, which settles the two shapes a cell alone cannot (1.200
    and 1,200; see ``coerce.GROUPED_DOT``). Each is, by default, true when every CSV file read is
    ';'-separated, as Excel writes CSV where the comma is the decimal mark, and dates are written
    day first. The reading settles both into ``ReadResult.conventions``.

    ``check_rows=False`` skips the pass that parses a whole CSV file up front to find rows of
    the wrong shape or bytes that are not UTF-8: the frame is handed out at once and such a
    file makes the query that reads it raise a Polars error instead. It is for a caller that
    reads the file in one pass anyway and reads it again with the check when that pass fails
    (as :func:`leadscore.pipeline.score_file` does), so that a good file is parsed once.
    """

    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    separator: str | None = None
    skip_bad_rows: bool = False
    rejects_path: Path | None = None
    check_rows: bool = True
    dayfirst: bool | None = None  # None: when every CSV file read is ';'-separated
    decimal_comma: bool | None = None  # the same


@dataclass
class ReadResult:
    """The leads as one lazy frame, and what the user should be told about reading them."""

    frame: pl.LazyFrame
    notices: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    rejected_rows: int = 0
    conventions: Conventions = Conventions()  # ReadOptions', decimal_comma as the separators say
    separator: str | None = None  # that of every CSV file read; None when none was CSV, or they differ
    numbered: bool = False  # leads numbered by leadscore.ids.numbered: their id is no column of the file


def read_table(sources: Sequence[str | Path], options: ReadOptions = ReadOptions()) -> ReadResult:
    """Read one or more leads files (``"-"`` is CSV on standard input) into one frame.

    Several files are stacked; columns are matched by name, and a file without a column
    gives its rows null there. Excel's lock files (``~$leads.xlsx``) are left out, with a notice.

    Examples
    --------
    >>> result = read_table(["leads.csv"])  # doctest: +SKIP
    >>> result.frame.collect()  # doctest: +SKIP
    """
    if isinstance(sources, str | Path):
        sources = [sources]
    if not sources:
        raise UsageError("give at least one leads file")
    if sum(str(s) == STDIN for s in sources) > 1:
        raise UsageError("standard input ('-') can be read only once")
    if options.header_row is not None and options.header_row < 1:
        raise UsageError(f"--header-row must be 1 or more, not {options.header_row}")
    separator = parse_separator(options.separator) if options.separator is not None else None

    sources, locks = without_lock_files(sources)
    result = ReadResult(frame=pl.LazyFrame(), notices=locks)
    frames: list[pl.LazyFrame] = []
    rejects: list[tuple[str, list[BadRow]]] = []
    separators: dict[str, str] = {}  # each CSV file's
    two_way = False  # a 1.200 or 1,200 in the head of a CSV file: worth a note on how it is read
    two_way_date = ""  # the same for a date such as 03/11/2026
    for source in sources:
        name = "stdin" if str(source) == STDIN else str(source)
        frame, notices, csv = _read_one(source, name, options, separator)
        bad_rows = csv.bad_rows if csv is not None else []
        if csv is not None:
            separators[name] = csv.separator
        two_way |= csv is not None and csv.two_way_numbers
        two_way_date = two_way_date or (csv.two_way_date if csv is not None else "")
        frames.append(frame)
        result.notices += notices
        result.sources.append(name)
        if bad_rows:
            rejects.append((name, bad_rows))
            result.rejected_rows += len(bad_rows)
    if len(set(separators.values())) == 1:
        result.separator = next(iter(separators.values()))
    result.notices += _write_rejects(rejects, sources, options.rejects_path, output_separator(result))
    if len(rejects) == len(frames) and all(f.select(pl.len()).collect().item() == 0 for f in frames):
        raise _all_skipped(rejects, options.rejects_path)  # (frames with bad rows are in memory)
    if len(frames) > 1:
        result.frame = _stack(frames, result.sources)
        result.notices += stacking_notices(frames, result.sources)
    else:
        result.frame = frames[0]
    european = result.separator == ";"
    if options.decimal_comma is None and options.dayfirst is None:
        result.notices += _mixed_separators(separators)
    decimal_comma = european if options.decimal_comma is None else options.decimal_comma
    dayfirst = european if options.dayfirst is None else options.dayfirst
    result.conventions = Conventions(dayfirst=dayfirst, decimal_comma=decimal_comma)
    if decimal_comma and two_way and options.decimal_comma is None:
        result.notices.append(
            f"{', '.join(result.sources)}: ';'-separated, so numbers are read with a decimal comma "
            "(1.200 is 1200, 1,200 is 1.2); --decimal-point reads them as 1.2 and 1200"
        )
    if dayfirst and two_way_date and options.dayfirst is None:
        day, month, year = (int(part) for part in two_way_date.split("/"))
        read_as = dt.date(year, month, day)
        result.notices.append(
            f"{', '.join(result.sources)}: ';'-separated, so dates are read day first "
            f"({two_way_date} is {read_as.day} {read_as:%B %Y}); --monthfirst reads them month first"
        )
    return result


def _mixed_separators(separators: dict[str, str]) -> list[str]:
    """A note when some CSV files are ';'-separated and others not: they are all read one way."""
    semicolons = [name for name, sep in separators.items() if sep == ";"]
    if not semicolons or len(semicolons) == len(separators):
        return []
    others = [name for name in separators if name not in semicolons]
    return [
        f"{quote_list(semicolons)} {'is' if len(semicolons) == 1 else 'are'} ';'-separated and "
        f"{quote_list(others)} not: all are read with a decimal point (1.200 is 1.2) and dates month "
        "first; --decimal-comma and --dayfirst read them all the other way"
    ]


def input_format(source: str | Path) -> str:
    """``csv``, ``excel``, ``json``, ``ndjson`` or ``parquet`` by the file's extension."""
    if str(source) == STDIN:
        return "csv"
    suffix = Path(source).suffix.lower()
    for kind, extensions in (
        ("csv", CSV_EXTENSIONS),
        ("excel", EXCEL_EXTENSIONS),
        ("json", JSON_EXTENSIONS),
        ("ndjson", NDJSON_EXTENSIONS),
        ("parquet", PARQUET_EXTENSIONS),
    ):
        if suffix in extensions:
            return kind
    if suffix == ".xls":
        raise InputError(
            f"{source} is an old-format Excel file (.xls): open it in Excel and save it as .xlsx"
        )
    shown = f"'{suffix}' files" if suffix else "files without an extension"
    raise InputError(f"{source}: cannot read {shown}; use one of {', '.join(INPUT_EXTENSIONS)}")


def _read_one(
    source: str | Path, name: str, options: ReadOptions, separator: str | None
) -> tuple[pl.LazyFrame, list[str], CsvRead | None]:
    """The file's leads, its notices, and what its CSV reading found (the rows it skipped too)."""
    path = None if str(source) == STDIN else Path(source)
    if path is not None:
        _check_file(path, name)
    kind = input_format(source)
    try:
        if kind == "csv":
            read = read_csv_source(
                name,
                path,
                sys.stdin.buffer.read() if path is None else None,
                encoding=options.encoding,
                separator=separator,
                header_row=options.header_row,
                skip_bad_rows=options.skip_bad_rows,
                tab_default=path is not None and path.suffix.lower() == ".tsv",
                check_rows=options.check_rows,
            )
            return read.frame, read.notices, read
        assert path is not None
        if kind == "excel":
            frame, notices = read_excel_source(name, path, sheet=options.sheet, header_row=options.header_row)
            return frame.lazy(), notices, None
        if kind == "parquet":
            return (*_read_parquet(name, path), None)
        eager, read_notices = (
            read_json_source(name, path) if kind == "json" else read_ndjson_source(name, path)
        )
        tidy, name_notices = _tidy_names(name, eager.lazy())
        return tidy, [*read_notices, *name_notices], None
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise InputError(f"cannot read {name}: {reason}") from None


def _check_file(path: Path, name: str) -> None:
    if path.is_dir():
        raise InputError(f"{name} is a folder, give a file")
    if not path.exists():
        raise missing_file(path, name)


def _tidy_names(name: str, frame: pl.LazyFrame) -> tuple[pl.LazyFrame, list[str]]:
    """Apply column-name hygiene to a typed format, and make all-null columns text."""
    schema = frame.collect_schema()
    names, renamed = clean_column_names(schema.names())
    frame = frame.rename(dict(zip(schema.names(), names, strict=True)))
    nulls = [n for n, t in zip(names, schema.dtypes(), strict=True) if t == pl.Null]
    if nulls:
        frame = frame.with_columns(pl.col(nulls).cast(pl.String))
    notice = header_notice(name, renamed)
    return frame, [notice] if notice else []


def stacking_notices(frames: Sequence[pl.LazyFrame], names: Sequence[str]) -> list[str]:
    """For each stacked file, the columns other files have and it lacks: its leads are empty there.

    Columns are matched by name, so a file whose export says 'Job Title' where the others say
    'job_title' loses every rule on that column; the close name is pointed out.
    """
    columns = [frame.collect_schema().names() for frame in frames]
    notices = []
    for name, own in zip(names, columns, strict=True):
        others = [c for cols in columns for c in cols if c not in own]
        if not others:
            continue
        lacked = list(dict.fromkeys(others))
        extra = [c for c in own if any(c not in cols for cols in columns)]
        hint = did_you_mean(lacked[0], extra)
        holder = next(n for n, cols in zip(names, columns, strict=True) if lacked[0] in cols)
        noun = "column" if len(lacked) == 1 else "columns"
        notices.append(
            f"{name} has no {noun} {quote_list(lacked, limit=4)}{hint}, which {holder} has: its leads "
            "are empty there; name the columns alike in every file"
        )
    return notices


def _stack(frames: list[pl.LazyFrame], names: list[str]) -> pl.LazyFrame:
    stacked = pl.concat(frames, how="diagonal_relaxed")
    try:
        stacked.collect_schema()
    except pl.exceptions.PolarsError:
        raise InputError(
            f"{', '.join(names)} cannot be stacked: a column holds different kinds of values "
            "in different files (a list in one, text in another); read them one at a time"
        ) from None
    return stacked


# --- Parquet -------------------------------------------------------------------------


def _read_parquet(name: str, path: Path) -> tuple[pl.LazyFrame, list[str]]:
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(max(path.stat().st_size - 4, 0))
        tail = handle.read(4)
    if head != b"PAR1" or tail != b"PAR1":
        raise InputError(f"{name} is not a Parquet file, or it was cut short; export it again")
    try:
        frame = pl.scan_parquet(path)
        frame.collect_schema()
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"{name} cannot be read as Parquet ({first_line(exc)}); export it again") from None
    return _tidy_names(name, frame)


# --- rejected rows -------------------------------------------------------------------


def _write_rejects(
    rejects: list[tuple[str, list[BadRow]]],
    sources: Sequence[str | Path],
    rejects_path: Path | None,
    separator: str,
) -> list[str]:
    """Write the rows left out to CSV files the user can fix (';'-separated if the inputs are,
    for the spreadsheet that wrote them); return a notice per input."""
    if not rejects:
        return []
    targets: dict[Path, list[tuple[str, BadRow]]] = {}
    for name, bad_rows in rejects:
        target = _rejects_target(name, rejects_path)
        targets.setdefault(target, []).extend((name, row) for row in bad_rows)
    inputs = [Path(s) for s in sources if str(s) != STDIN]
    notices = []
    for target, rows in targets.items():
        _refuse_input(target, inputs)
        several = len({name for name, _ in rows}) > 1
        table = pl.DataFrame(
            {
                "line": [row.line for _, row in rows],
                "reason": [f"{name}: {row.reason}" if several else row.reason for name, row in rows],
                "raw": [row.raw for _, row in rows],
            },
            schema={"line": pl.Int64, "reason": pl.String, "raw": pl.String},
        )
        with atomic_path(target) as temp:
            table.write_csv(temp, **csv_options(separator))
    for name, bad_rows in rejects:
        target = _rejects_target(name, rejects_path)
        lines = ", ".join(str(r.line) for r in bad_rows[:5]) + (", ..." if len(bad_rows) > 5 else "")
        plural = "s" if len(bad_rows) > 1 else ""
        notices.append(
            f"{name}: skipped {len(bad_rows)} bad row{plural} (line{plural} {lines}); "
            f"{'they are' if plural else 'it is'} in {_shown(target)}"
        )
    return notices


def _rejects_target(name: str, rejects_path: Path | None) -> Path:
    return rejects_path or Path.cwd() / f"{Path(name).stem}.rejects.csv"


def _all_skipped(rejects: list[tuple[str, list[BadRow]]], rejects_path: Path | None) -> InputError:
    """The error for leads files whose every row was a bad row: not 'a header but no rows'."""
    count = sum(len(bad_rows) for _, bad_rows in rejects)
    names = ", ".join(name for name, _ in rejects)
    targets = ", ".join(dict.fromkeys(_shown(_rejects_target(name, rejects_path)) for name, _ in rejects))
    skipped = (
        "its one row was skipped as a bad row"
        if count == 1
        else f"all {count:,} rows were skipped as bad rows"
    )
    return InputError(f"{names}: {skipped}; see {targets}")


def _refuse_input(target: Path, inputs: list[Path]) -> None:
    for source in inputs:
        if target.resolve() == source.resolve():
            raise UsageError(
                f"refusing to overwrite the input {source} with rejected rows; choose another --rejects file"
            )


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def no_rows(label: str) -> InputError:
    """The error for leads files with a header and no rows (``label`` names the files)."""
    has = "have" if ", " in label else "has"
    workbook = any(Path(name).suffix.lower() in (".xlsx", ".xlsm") for name in label.split(", "))
    hint = "export the leads again, or choose the sheet with the leads with --sheet"
    return InputError(f"{label} {has} a header but no rows; {hint if workbook else 'export the leads again'}")
