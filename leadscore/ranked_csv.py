"""The ranked leads written to CSV straight from the scoring pass, in little memory.

Ranking means sorting, and a sort holds every lead at once. Held as Polars columns, a lead
costs 16 bytes a cell on top of its text (a string view per cell): with twenty-odd columns,
some three times the CSV it came from, before the sort copies it. So each lead becomes its CSV
text as it is scored: the cells left of ``rank`` in one string, those right of it in another,
kept with the few values it is sorted and counted by (:func:`packed_leads`). The scoring pass
collects that, and :class:`PackedLeads` sorts the keys alone, writes the lines in rank order a
slice at a time (the rank put between the two strings), counts the report's numbers and reads
its best leads back from their text. The bytes are the ones :func:`~leadscore.io.write_table`
writes for the ranked frame (a test holds them equal).

With ``streaming`` (files bigger than memory) Polars' streaming engine sorts the packed leads
instead, spilling to disk past its memory budget, in a pass of its own after the aggregates
(:func:`_streamed`); leads whose cells cannot all be written as text here (dates, lists) are
sorted as columns (:func:`~leadscore.io.csv_sink`).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from leadscore.counts import ScoreCounts, count_query, score_counts
from leadscore.engine import (
    BEST_FIRST,
    GRADE,
    QUALIFIED,
    RANK,
    SCORE,
    TIER,
    ScoredLeads,
    ScoringQuery,
    output_columns,
    rank,
    rank_keys,
    run_query,
)
from leadscore.events import EventLog
from leadscore.ids import IdCheck, id_check, id_queries
from leadscore.io import csv_cells, csv_header, csv_sink, sink_csv_lines
from leadscore.model import Model

_BEFORE, _AFTER = "__ls_before_rank", "__ls_after_rank"
SLICE = 100_000  # leads written at a time: the memory of a slice beside that of every lead


def write_ranked_csv(
    query: ScoringQuery,
    model: Model,
    path: str | Path,
    *,
    as_of: dt.date,
    events: EventLog | None = None,
    leads: pl.LazyFrame,
    top: int = 10,
    safe_csv: bool = False,
    streaming: bool = False,
) -> tuple[ScoredLeads, IdCheck]:
    """Run ``query`` and write its ranked leads to ``path`` as CSV, never holding them as columns.

    ``leads`` is the frame the query reads (its ids are checked in the same run). The result
    has no frame; its counts carry the ``top`` best leads. Raises what :func:`run_query` raises,
    after the file is written: write it somewhere temporary.
    """
    packed = packed_leads(query, model, safe_csv=safe_csv)
    if packed is None or streaming:
        return _streamed(query, model, path, as_of, events, leads, packed, top, safe_csv, separate=streaming)
    # The ids are checked over the collected leads: checked in the pass, beside the aggregates,
    # they made Polars buffer the whole file for its consumers (twice the memory).
    result, (frame,) = run_query(query, model, as_of=as_of, events=events, leads=packed)
    sorted_leads = PackedLeads(frame, query, model)
    sorted_leads.write(path)
    ids = id_check(pl.collect_all(id_queries(frame.lazy(), model.id_column, model.null_values)))
    return replace(result, streamed_counts=sorted_leads.counts(top)), ids


def packed_leads(query: ScoringQuery, model: Model, *, safe_csv: bool = False) -> pl.LazyFrame | None:
    """Each lead of ``query`` as two strings of CSV text around its rank, with its score, tier,
    grade, qualified and id; None when some output column cannot be written that way."""
    names = query.ranked.collect_schema().names()
    detail = query.detail.collect_schema()  # what the cells are read from
    at = names.index(RANK)
    before = csv_cells(detail, names[:at], safe_csv=safe_csv)
    after = csv_cells(detail, names[at + 1 :], safe_csv=safe_csv)
    if before is None or (after is None and names[at + 1 :]):
        return None
    keys = [c for c in (SCORE, TIER, GRADE, QUALIFIED) if c in names]
    return query.detail.select(
        before.alias(_BEFORE), *([after.alias(_AFTER)] if after is not None else []), *keys, model.id_column
    )


@dataclass(frozen=True)
class PackedLeads:
    """The collected :func:`packed_leads` of a query, in the order of the leads file."""

    frame: pl.DataFrame
    query: ScoringQuery
    model: Model

    @functools.cached_property
    def order(self) -> pl.Series:
        """Row positions, best lead first: the order of :func:`leadscore.engine.rank`."""
        return self.frame.select(pl.arg_sort_by(rank_keys(self.model), **BEST_FIRST)).to_series()

    def lines(self, start: int, length: int) -> pl.DataFrame:
        """CSV lines of the leads ranked ``start + 1`` to ``start + length``, in one column."""
        at = self.order.slice(start, length)
        ranks = pl.int_range(start + 1, start + 1 + at.len(), dtype=pl.Int64)
        after = pl.col(_AFTER).gather(at) if _AFTER in self.frame.columns else None
        return self.frame.select(_line(pl.col(_BEFORE).gather(at), ranks, after))

    @functools.cached_property
    def names(self) -> list[str]:
        """The output's columns."""
        return self.query.ranked.collect_schema().names()

    @property
    def header(self) -> str:
        return csv_header(self.names)

    def write(self, path: str | Path) -> None:
        """Write every lead, best first, a slice at a time."""
        with Path(path).open("wb") as out:
            out.write(f"{self.header}\n".encode())
            for start in range(0, self.frame.height, SLICE):
                self.lines(start, SLICE).write_csv(out, include_header=False, quote_style="never")

    def counts(self, top: int) -> ScoreCounts:
        """The report's counts, and the ``top`` best leads read back from their text."""
        text = io.BytesIO()
        text.write(f"{self.header}\n".encode())
        self.lines(0, top).write_csv(text, include_header=False, quote_style="never")
        best = read_best(text.getvalue(), self.query, self.model, top)
        return score_counts(count_query(self.frame.lazy(), self.names).collect(), best)


def _streamed(
    query: ScoringQuery,
    model: Model,
    path: str | Path,
    as_of: dt.date,
    events: EventLog | None,
    leads: pl.LazyFrame,
    packed: pl.LazyFrame | None,
    top: int,
    safe_csv: bool,
    separate: bool,
) -> tuple[ScoredLeads, IdCheck]:
    """Sort with Polars' streaming engine and sink the ranked file; count in the same run."""
    names = query.ranked.collect_schema().names()
    if packed is None:
        sink = csv_sink(path, safe_csv=safe_csv)(query.ranked)
    else:
        after = pl.col(_AFTER) if _AFTER in packed.collect_schema().names() else None
        line = _line(pl.col(_BEFORE), pl.col(RANK), after).alias(csv_header(names))
        sink = sink_csv_lines(rank(packed, model).select(line), path)
    also = [count_query(query.detail, names), *id_queries(leads, model.id_column, model.null_values)]
    result, (_, groups, *found) = run_query(
        query, model, as_of=as_of, events=events, leads=sink, also=also, separate=separate
    )
    counts = score_counts(groups, read_best(path, query, model, top))
    return replace(result, streamed_counts=counts), id_check(found)


def _line(before: pl.Expr, rank: pl.Expr, after: pl.Expr | None) -> pl.Expr:
    """A lead's CSV line: its cells left of the rank, the rank, its cells right of it."""
    parts = [before, rank.cast(pl.String), *([after] if after is not None else [])]
    return pl.concat_str(parts, separator=",").alias("line")


def read_best(source: str | Path | bytes, query: ScoringQuery, model: Model, n: int) -> pl.DataFrame:
    """The first ``n`` leads of ranked CSV text: the input's cells as text, scoring's typed."""
    schema = query.ranked.collect_schema()
    typed = {c: schema[c] for c in output_columns(model) if c in schema}
    return pl.read_csv(source, n_rows=n, infer_schema=False, schema_overrides=typed)


__all__ = ["PackedLeads", "packed_leads", "read_best", "write_ranked_csv"]
