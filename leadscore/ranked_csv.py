"""The ranked leads written to CSV by the scoring query itself, in little memory.

Ranking means sorting, and a sort holds every lead at once. Held as Polars columns, a lead
costs 16 bytes a cell on top of its text (a string view per cell): with twenty-odd columns,
some three times the CSV it came from, before the sort copies it. So each lead becomes its CSV
text before the sort: the cells left of ``rank`` in one string, those right of it in another.
The sort then moves two strings, the score and the id a lead, and the rank is put between the
two strings as the sorted lines are written. The bytes are the ones
:func:`~leadscore.io.write_table` writes for the ranked frame (a test holds them equal).

The report's best leads are read back from the head of the written file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from leadscore.engine import RANK, SCORE, ScoringQuery, output_columns, rank
from leadscore.io import csv_cells, csv_header, csv_sink, sink_csv_lines
from leadscore.model import Model

_BEFORE, _AFTER = "__ls_before_rank", "__ls_after_rank"


def ranked_csv(
    query: ScoringQuery, model: Model, path: str | Path, *, safe_csv: bool = False
) -> pl.LazyFrame:
    """A lazy sink writing the ranked leads of ``query`` to ``path`` as CSV.

    Leads are sorted as CSV text when every column can be written that way (text, numbers,
    yes/no), else as columns (:func:`~leadscore.io.csv_sink`): the same bytes either way.
    """
    names = query.ranked.collect_schema().names()
    detail = query.detail.collect_schema()  # what the cells are read from
    at = names.index(RANK)
    before = csv_cells(detail, names[:at], safe_csv=safe_csv)
    after = csv_cells(detail, names[at + 1 :], safe_csv=safe_csv)
    if before is None or (after is None and names[at + 1 :]):
        return csv_sink(path, safe_csv=safe_csv)(query.ranked)
    packed = query.detail.select(
        before.alias(_BEFORE),
        *([after.alias(_AFTER)] if after is not None else []),
        pl.col(SCORE),
        pl.col(model.id_column),
    )
    line = [pl.col(_BEFORE), pl.col(RANK).cast(pl.String), *([pl.col(_AFTER)] if after is not None else [])]
    lines = rank(packed, model).select(pl.concat_str(line, separator=",").alias(csv_header(names)))
    return sink_csv_lines(lines, path)


def read_best(path: str | Path, query: ScoringQuery, model: Model, n: int) -> pl.DataFrame:
    """The first ``n`` leads of the ranked file: the input's cells as text, scoring's typed."""
    schema = query.ranked.collect_schema()
    typed = {c: schema[c] for c in output_columns(model) if c in schema}
    return pl.read_csv(path, n_rows=n, infer_schema=False, schema_overrides=typed)
