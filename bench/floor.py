"""The floor of a score run: Polars alone reads the leads CSV, sorts it by one column, writes it back.

Every column is read as text, as ``leadscore score`` reads a CSV file; nothing is scored. This
is the cost a score run cannot avoid, and the benchmark divides every time by it::

    python bench/floor.py bench/out/leads_1m.csv bench/out/floor_1m.csv
"""

from __future__ import annotations

import sys

import polars as pl

SORT_COLUMN = "email"  # text, nearly unique, in no particular order: a sort that does real work


def main() -> None:
    source, target = sys.argv[1:3]
    # eager read, sort and write: the fastest of the ways tried (a lazy sink is a little slower)
    pl.read_csv(source, infer_schema=False).sort(SORT_COLUMN).write_csv(target)


if __name__ == "__main__":
    main()
