"""Write the benchmark's input files: synthetic leads at any size, an activity log, an .xlsx copy.

The data comes from :mod:`leadscore.synthetic` (fit and behaviour columns, blanks, placeholders,
numbers written as text, ISO dates, accents). Files that already exist are reused, so the
10M-row file is generated once::

    uv run python bench/generate.py --sizes 10k,100k,1M --events 1M --xlsx 100k

Large sizes are generated a million leads at a time and appended, so memory stays flat; ids
keep one width across the whole file (``L00000001`` ... ``L10000000``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

# Polars and leadscore are imported by the functions that generate: bench/run.py imports this
# module for its file names only, and must stay small (see run.py).

OUT = Path(__file__).parent / "out"
CHUNK = 1_000_000
EVENTS_PER_LEAD = 10
SEED = 7

_SUFFIXES = {"": 1, "k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000, ``2500`` -> 2500."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"size must look like 10k, 1M or 2500, not '{text}'")
    return int(float(match.group(1)) * _SUFFIXES[match.group(2).lower()])


def size_label(rows: int) -> str:
    """10000 -> '10k', 1000000 -> '1M', 2500 -> '2500'."""
    for suffix, unit in (("M", 1_000_000), ("k", 1_000)):
        if rows >= unit and rows % unit == 0:
            return f"{rows // unit}{suffix}"
    return str(rows)


def leads_path(rows: int, out: Path = OUT, ext: str = "csv") -> Path:
    return out / f"leads_{size_label(rows).lower()}.{ext}"


def events_path(leads: int, out: Path = OUT) -> Path:
    return out / f"events_{size_label(leads * EVENTS_PER_LEAD).lower()}_for_{size_label(leads).lower()}.csv"


def _leads_chunk(start: int, n: int, total: int) -> pl.DataFrame:
    import polars as pl

    from leadscore.synthetic import generate_leads

    frame = generate_leads(n, seed=SEED + start // CHUNK, start_id=start + 1)
    width = max(4, len(str(total)))
    ids = pl.int_range(start + 1, start + n + 1).cast(pl.String).str.zfill(width)
    return frame.with_columns((pl.lit("L") + ids).alias("lead_id"))


def write_leads(rows: int, out: Path = OUT) -> Path:
    """The leads CSV with ``rows`` leads (generated unless it is already there)."""
    path = leads_path(rows, out)
    if path.exists():
        return path
    temp = path.with_suffix(".csv.partial")
    with temp.open("wb") as handle:
        for start in range(0, rows, CHUNK):
            chunk = _leads_chunk(start, min(CHUNK, rows - start), rows)
            chunk.write_csv(handle, include_header=start == 0)
            del chunk
    temp.replace(path)
    return path


def write_events(leads: int, out: Path = OUT) -> Path:
    """An activity log of ten events per lead, for the leads file of ``leads`` rows."""
    import polars as pl

    from leadscore.synthetic import generate_events

    path = events_path(leads, out)
    if path.exists():
        return path
    frame = pl.read_csv(write_leads(leads, out), infer_schema=False)
    events = generate_events(frame, leads * EVENTS_PER_LEAD, seed=SEED)
    temp = path.with_suffix(".csv.partial")
    events.write_csv(temp)
    temp.replace(path)
    return path


def write_xlsx(rows: int, out: Path = OUT) -> Path:
    """The leads file of ``rows`` rows as an Excel workbook (leadscore's own writer)."""
    import polars as pl

    from leadscore.io import write_table

    path = leads_path(rows, out, "xlsx")
    if path.exists():
        return path
    frame = pl.read_csv(write_leads(rows, out), infer_schema=False)
    write_table(frame, path)
    return path


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="Leads files to write, e.g. 100k,1M,10M.")
    parser.add_argument(
        "--events", default=None, help="Also an activity log for the leads file of this size."
    )
    parser.add_argument("--xlsx", default=None, help="Also an .xlsx copy of the leads file of this size.")
    parser.add_argument("--out", type=Path, default=OUT, help="Folder for the files (default: bench/out).")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    written = [write_leads(parse_size(s), args.out) for s in args.sizes.split(",")]
    if args.events:
        written.append(write_events(parse_size(args.events), args.out))
    if args.xlsx:
        written.append(write_xlsx(parse_size(args.xlsx), args.out))
    for path in written:
        print(f"{path}  {path.stat().st_size / 1e6:,.1f} MB", file=sys.stdout)


if __name__ == "__main__":
    main()
