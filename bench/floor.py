"""The floor of a score run: Polars alone reads the leads CSV, sorts it by one column, writes it back.

Every column is read as text, as ``leadscore score`` reads a CSV file; nothing is scored. This
is the cost a score run cannot avoid, and the benchmark divides every time by it::

    python bench/floor.py bench/out/leads_1m.csv bench/out/floor_1m.csv

Files of 1 GB or more are read with Polars' streaming engine instead: the eager way would not
fit beside other work on a 24 GB machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

SORT_COLUMN = "email"  # text, nearly unique, in no particular order: a sort that does real work
LAZY_ABOVE = 2**30  # bytes: an eager read of 10M leads would take some 11 GB


def main() -> None:
    source, target = sys.argv[1:3]
    if Path(source).stat().st_size < LAZY_ABOVE:
        # eager read, sort and write: the fastest of the ways tried (a lazy sink is a little slower)
        pl.read_csv(source, infer_schema=False).sort(SORT_COLUMN).write_csv(target)
    else:
        # the streaming engine: a third of the memory of the eager way, a little slower
        pl.scan_csv(source, infer_schema=False).sort(SORT_COLUMN).sink_csv(target)


if __name__ == "__main__":
    main()
