"""Report sections of a run with segments: what each segment took, and tiers per segment."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from leadscore.engine import QUALIFIED, SCORE, TIER, ScoredLeads
from leadscore.report.common import fmt_count, fmt_number, fmt_share, plain_table, tier_text
from leadscore.segments import SEGMENT, SegmentedModel, predicate_text

NO_SEGMENT = "(no segment)"


def segments_table(result: ScoredLeads) -> Table | None:
    """Per segment, in order: leads, median score, qualified, its model and condition.

    None when the run has no segments. Leads no segment took are a last row, "(no segment)".
    """
    model = result.model
    if not isinstance(model, SegmentedModel):
        return None
    frame = result.ranked
    aggs = [pl.len().alias("leads"), pl.col(SCORE).median().alias("median")]
    if model.has_qualify:
        aggs.append(pl.col(QUALIFIED).fill_null(False).sum().alias("qualified"))
    stats = {row[SEGMENT]: row for row in frame.group_by(SEGMENT).agg(aggs).to_dicts()}
    total = frame.height
    table = plain_table("Segments (first match wins)", footer=True)
    table.add_column("Segment", footer="Total", no_wrap=True)
    table.add_column("Leads", justify="right", footer=fmt_count(total), no_wrap=True)
    table.add_column("Share", justify="right", footer=fmt_share(total, total), no_wrap=True)
    table.add_column("Median", justify="right", no_wrap=True)
    if model.has_qualify:
        qualified = int(frame[QUALIFIED].fill_null(False).sum())
        table.add_column("Qualified", justify="right", footer=fmt_count(qualified), no_wrap=True)
    table.add_column("Model", no_wrap=True)
    table.add_column("When", overflow="fold")
    rows: list[tuple[str | None, str, str]] = [
        (s.name, predicate_text(s.when), Path(s.source).name if s.source != "inline" else s.source)
        for s in model.segments
    ]
    if None in stats:
        rows.append((None, "", ""))
    for name, when, source in rows:
        row = stats.get(name, {"leads": 0, "median": None, "qualified": 0})
        cells: list[RenderableType] = [
            Text(name if name is not None else NO_SEGMENT, style="" if name is not None else "yellow"),
            fmt_count(row["leads"]),
            fmt_share(row["leads"], total),
            fmt_number(row["median"]) if row["median"] is not None else "-",
        ]
        if model.has_qualify:
            cells.append(fmt_count(int(row["qualified"] or 0)))
        table.add_row(*cells, Text(source, style="dim"), Text(when))
    return table


def segment_tier_table(result: ScoredLeads) -> Table | None:
    """Leads per tier (rows) and segment (columns); None when no segment's model has tiers."""
    model = result.model
    assert isinstance(model, SegmentedModel)
    with_tiers = [s for s in model.segments if s.model.tiers]
    if not with_tiers:
        return None
    labels = list(dict.fromkeys(b.label for s in with_tiers for b in s.model.tiers))
    counts = {(seg, tier): n for seg, tier, n in result.ranked.group_by(SEGMENT, TIER).len().rows()}
    scored = sum(n for (seg, tier), n in counts.items() if tier is not None)
    table = plain_table("Tiers by segment", footer=True)
    table.add_column("Tier", footer="Total")
    for s in with_tiers:
        footer = fmt_count(sum(counts.get((s.name, label), 0) for label in labels))
        table.add_column(Text(s.name), justify="right", footer=footer)
    table.add_column("Leads", justify="right", footer=fmt_count(scored))
    table.add_column("Share", justify="right", footer=fmt_share(scored, scored))
    for label in labels:
        per = [counts.get((s.name, label), 0) for s in with_tiers]
        table.add_row(
            tier_text(label), *(fmt_count(n) for n in per), fmt_count(sum(per)), fmt_share(sum(per), scored)
        )
    return table
