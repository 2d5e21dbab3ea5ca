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

With ``streaming`` (files bigger than memory) the pass writes the packed leads to a compressed
file beside the output instead of holding them (:func:`_spilled`); only the keys are read
back and sorted, the text is copied into a file a window of ranks (about WINDOW_BYTES of
text) in one read, and each window is read back, put in rank order and written. Leads whose
cells cannot all be written as text here (dates, lists) are sorted as columns by Polars'
streaming engine, which spills to disk past its memory budget (:func:`_sorted_by_polars`).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from leadscore.counts import ScoreCounts, count_query, score_counts
from leadscore.engine import (
    GRADE,
    QUALIFIED,
    RANK,
    SCORE,
    TIER,
    ScoredLeads,
    ScoringQuery,
    best_first,
    output_columns,
    run_query,
)
from leadscore.events import EventLog
from leadscore.ids import IdCheck, id_check, id_queries
from leadscore.io import csv_cells, csv_header, csv_options, csv_sink
from leadscore.io.atomic import scratch_path
from leadscore.model import Model

_BEFORE, _AFTER = "__ls_before_rank", "__ls_after_rank"
_BYTES, _ROW = "__ls_bytes", "__ls_row"
SLICE = 100_000  # leads written at a time: the memory of a slice beside that of every lead
WINDOW_BYTES = 512 * 2**20  # packed text read back at a time from a spilled pass


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
    separator: str = ",",
) -> tuple[ScoredLeads, IdCheck]:
    """Run ``query`` and write its ranked leads to ``path`` as CSV, never holding them as columns.

    ``leads`` is the frame the query reads (its ids are checked in the same run). The result
    has no frame; its counts carry the ``top`` best leads. ``streaming`` keeps memory bounded
    for files bigger than memory, at the cost of a temporary file beside ``path``. ``separator``
    is that of the CSV (``";"`` writes decimal commas: see :data:`leadscore.io.writers.CSV_SEPARATORS`). Raises what
    :func:`run_query` raises, after the file is written: write it somewhere temporary.
    """
    packed = packed_leads(query, model, safe_csv=safe_csv, separator=separator)
    if packed is None:
        return _sorted_by_polars(
            query, model, path, as_of, events, leads, top, safe_csv, separate=streaming, separator=separator
        )
    if streaming:
        return _spilled(query, model, path, as_of, events, packed, top, separator)
    result, (frame,) = run_query(query, model, as_of=as_of, events=events, leads=packed)
    return _written(result, PackedLeads(frame, query, model, separator=separator), path, top)


def packed_leads(
    query: ScoringQuery, model: Model, *, safe_csv: bool = False, separator: str = ","
) -> pl.LazyFrame | None:
    """Each lead of ``query`` as two strings of CSV text around its rank, with its score, tier,
    grade, qualified and id; None when some output column cannot be written that way."""
    names = query.ranked.collect_schema().names()
    detail = query.detail.collect_schema()  # what the cells are read from
    at = names.index(RANK)
    cells = {_BEFORE: names[:at], _AFTER: names[at + 1 :]}
    texts = []
    for name in _texts(names):
        text = csv_cells(detail, cells[name], safe_csv=safe_csv, separator=separator)
        if text is None:
            return None
        texts.append(text.alias(name))
    keys = [c for c in (SCORE, TIER, GRADE, QUALIFIED) if c in names]
    return query.detail.select(*texts, *keys, model.id_column)


def _texts(names: list[str]) -> list[str]:
    """The columns of packed text for output columns ``names``: the cells left of the rank, and
    those right of it when there are any."""
    return [_BEFORE, _AFTER] if names[names.index(RANK) + 1 :] else [_BEFORE]


def _written(
    result: ScoredLeads, sorted_leads: PackedLeads, path: str | Path, top: int
) -> tuple[ScoredLeads, IdCheck]:
    """Write the leads, then count them and check their ids (over the collected keys: checked in
    the pass, beside the aggregates, they made Polars buffer the whole file for its consumers)."""
    best = sorted_leads.write(path, top)
    model = sorted_leads.model
    ids = id_check(pl.collect_all(id_queries(sorted_leads.keys.lazy(), model.id_column, model.null_values)))
    return replace(result, streamed_counts=sorted_leads.counts(best, top)), ids


@dataclass(frozen=True)
class PackedLeads:
    """The collected :func:`packed_leads` of a query, in the order of the leads file.

    ``keys`` holds every column but the text when the text was ``spilled`` to that file (the
    sorted leads are then read back from it a window at a time); else it holds the text too.
    ``separator`` is the one the text was packed with.
    """

    keys: pl.DataFrame
    query: ScoringQuery
    model: Model
    spilled: Path | None = None
    separator: str = ","

    @functools.cached_property
    def order(self) -> pl.Series:
        """Row positions, best lead first: the order of :func:`leadscore.engine.rank`."""
        return best_first(self.keys, self.model)

    @functools.cached_property
    def names(self) -> list[str]:
        """The output's columns."""
        return self.query.ranked.collect_schema().names()

    @property
    def header(self) -> str:
        return csv_header(self.names, self.separator)

    @property
    def texts(self) -> list[str]:
        return _texts(self.names)

    def windows(self) -> list[tuple[int, int]]:
        """(start, end) ranks of the leads gathered at a time: a slice, or the leads whose text
        adds up to about WINDOW_BYTES when it is read back from the spilled file."""
        n = self.keys.height
        if self.spilled is None:
            return [(start, min(n, start + SLICE)) for start in range(0, n, SLICE)]
        ranked_bytes = self.keys[_BYTES].cast(pl.Int64).gather(self.order).cum_sum()  # past 4 GB
        total = int(ranked_bytes[-1]) if n else 0
        cuts = ranked_bytes.search_sorted(pl.Series(range(WINDOW_BYTES, total, WINDOW_BYTES)), side="right")
        bounds = sorted({0, n, *(int(c) for c in cuts)})
        return list(itertools.pairwise(bounds))

    def write(self, path: str | Path, top: int) -> bytes:
        """Write every lead, best first, a slice at a time; return the ``top`` best as CSV text."""
        header = f"{self.header}\n".encode()
        best = io.BytesIO(header)
        best.seek(0, io.SEEK_END)
        windows = self.windows()
        after = pl.col(_AFTER) if _AFTER in self.texts else None
        parts = self._split(windows) if self.spilled is not None else []
        try:
            with Path(path).open("wb") as out:
                out.write(header)
                for k, (start, end) in enumerate(windows):
                    text = self._text(self.order.slice(start, end - start), parts[k] if parts else None)
                    for at in range(0, text.height, SLICE):
                        part = text.slice(at, SLICE)
                        ranks = pl.int_range(start + at + 1, start + at + 1 + part.height, dtype=pl.Int64)
                        lines = part.select(_line(pl.col(_BEFORE), ranks, after, self.separator))
                        if start + at < top:
                            lines.head(top - start - at).write_csv(
                                best, include_header=False, quote_style="never"
                            )
                        lines.write_csv(out, include_header=False, quote_style="never")
        finally:
            for file in parts:
                file.unlink(missing_ok=True)
        return best.getvalue()

    def _split(self, windows: list[tuple[int, int]]) -> list[Path]:
        """Copy the spilled text into a file a window, each in the order of the leads file, all in
        one read of it (a window reading all of it would read it once a window)."""
        assert self.spilled is not None
        if not windows:
            return []
        window_of_rank = pl.concat(
            [pl.repeat(k, end - start, dtype=pl.UInt32, eager=True) for k, (start, end) in enumerate(windows)]
        )
        window_of_row = pl.zeros(self.keys.height, dtype=pl.UInt32, eager=True).scatter(
            self.order, window_of_rank
        )
        parts = [self.spilled.with_name(f"{self.spilled.name}{k}") for k in range(len(windows))]
        text = (
            pl.scan_ipc(self.spilled)
            .select(self.texts)
            .with_row_index(_ROW)
            .with_columns(pl.lit(window_of_row).gather(pl.col(_ROW)).alias(_ROW))
        )
        sinks = [
            text.filter(pl.col(_ROW) == k).select(self.texts).sink_ipc(part, compression="lz4", lazy=True)
            for k, part in enumerate(parts)
        ]
        try:
            pl.collect_all(sinks, engine="streaming")
        except BaseException:
            for part in parts:
                part.unlink(missing_ok=True)
            raise
        return parts

    def _text(self, rows: pl.Series, part: Path | None) -> pl.DataFrame:
        """The packed text of the leads at the file positions ``rows``, in that order: gathered from
        the collected text, or read from the window's ``part`` of the spilled file."""
        if part is None:
            return self.keys.select(pl.col(self.texts).gather(rows))
        # new strings: views into the file's batches would keep every batch of it in memory
        found = pl.scan_ipc(part).select(pl.col(c) + "" for c in self.texts).collect(engine="streaming")
        return found.select(pl.all().gather(rows.sort().search_sorted(rows)))

    def counts(self, best: bytes, top: int) -> ScoreCounts:
        """The report's counts, with the ``top`` best leads read back from their text."""
        leads = read_best(best, self.query, self.model, top, self.separator)
        return score_counts(count_query(self.keys.lazy(), self.names).collect(), leads)


def _spilled(
    query: ScoringQuery,
    model: Model,
    path: str | Path,
    as_of: dt.date,
    events: EventLog | None,
    packed: pl.LazyFrame,
    top: int,
    separator: str,
) -> tuple[ScoredLeads, IdCheck]:
    """Score with the packed leads written to a compressed file beside ``path`` as they come,
    then sort their keys and write them back in rank order (see :class:`PackedLeads`)."""
    texts = _texts(query.ranked.collect_schema().names())
    sized = packed.with_columns(pl.sum_horizontal(pl.col(texts).str.len_bytes()).alias(_BYTES))
    spill = scratch_path(Path(path), "sort")
    try:
        sink = sized.sink_ipc(spill, compression="lz4", lazy=True)
        result, _ = run_query(query, model, as_of=as_of, events=events, leads=sink)
        keys = pl.scan_ipc(spill).drop(texts).collect(engine="streaming")
        sorted_leads = PackedLeads(keys, query, model, spilled=spill, separator=separator)
        return _written(result, sorted_leads, path, top)
    finally:
        spill.unlink(missing_ok=True)


def _sorted_by_polars(
    query: ScoringQuery,
    model: Model,
    path: str | Path,
    as_of: dt.date,
    events: EventLog | None,
    leads: pl.LazyFrame,
    top: int,
    safe_csv: bool,
    separate: bool,
    separator: str,
) -> tuple[ScoredLeads, IdCheck]:
    """Sort the ranked frame with Polars' streaming engine and sink it; count in the same run."""
    names = query.ranked.collect_schema().names()
    sink = csv_sink(path, safe_csv=safe_csv, separator=separator)(query.ranked)
    also = [count_query(query.detail, names), *id_queries(leads, model.id_column, model.null_values)]
    result, (_, groups, *found) = run_query(
        query, model, as_of=as_of, events=events, leads=sink, also=also, separate=separate
    )
    counts = score_counts(groups, read_best(path, query, model, top, separator))
    return replace(result, streamed_counts=counts), id_check(found)


def _line(before: pl.Expr, rank: pl.Expr, after: pl.Expr | None, separator: str) -> pl.Expr:
    """A lead's CSV line: its cells left of the rank, the rank, its cells right of it."""
    parts = [before, rank.cast(pl.String), *([after] if after is not None else [])]
    return pl.concat_str(parts, separator=separator).alias("line")


def read_best(
    source: str | Path | bytes, query: ScoringQuery, model: Model, n: int, separator: str = ","
) -> pl.DataFrame:
    """The first ``n`` leads of ranked CSV text: the input's cells as text, scoring's typed."""
    schema = query.ranked.collect_schema()
    typed = {c: schema[c] for c in output_columns(model) if c in schema}
    return pl.read_csv(source, n_rows=n, infer_schema=False, schema_overrides=typed, **csv_options(separator))


__all__ = ["PackedLeads", "packed_leads", "read_best", "write_ranked_csv"]
