"""``leadscore report --by``: one table per column, a row per value, with a bar of its mean score."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from leadscore.report.common import bar, fmt_count, fmt_number, plain_table, spaced, tier_text
from leadscore.sources import SourceTable

SOURCE_BAR_WIDTH = 5


def source_tables_renderable(tables: Sequence[SourceTable], *, source: str) -> Group:
    """All the ``--by`` tables, each with a footer over all leads."""
    header = Text.assemble(("Leads by value, from ", "dim"), (source, "bold"))
    return Group(header, Text(""), *spaced(source_table(t) for t in tables))


def source_table(t: SourceTable) -> Table:
    """Per value of ``t.by``, best mean score first: volume, scores, tiers, qualified, conversions.

    Short headers keep it within 80 columns; the caption says what they mean. The file written
    with ``-o`` also has each value's share of the leads.
    """
    table = plain_table(Text(f"By {t.by}"), footer=True)
    totals = t.totals

    def number(header: RenderableType, footer: str) -> None:
        table.add_column(header, justify="right", no_wrap=True, footer=footer)

    # the value column is the only one that wraps, so a narrow terminal costs no number
    table.add_column(Text(t.by), footer="All leads", max_width=28, overflow="fold")
    number("Leads", fmt_count(int(totals["leads"] or 0)))
    number("Mean", _num(totals["mean_score"]))
    table.add_column("", no_wrap=True, min_width=SOURCE_BAR_WIDTH)
    number("Median", _num(totals["median_score"]))
    for tier in t.tiers:
        number(tier_text(tier), _pct(totals[f"{tier}_share"]))
    has_qualified = "qualified_rate" in t.table.columns
    if has_qualified:
        number("Qual.", _pct(totals["qualified_rate"]))
    if t.target:
        number("Conv.", _pct(totals["conversion_rate"]))
        number("Wins", _pct(totals["conversion_share"]))
    legend = ["Qual.: qualified rate"] if has_qualified else []
    if t.target:
        legend += [
            "Conv.: conversion rate of the leads with a known outcome",
            "Wins: share of all conversions",
        ]
    if legend:
        table.caption, table.caption_justify, table.caption_style = "; ".join(legend), "left", "dim"
    biggest = max((m or 0 for m in t.table["mean_score"].to_list()), default=0)
    for row in t.table.to_dicts():
        cells: list[RenderableType] = [
            Text(str(row["value"])),
            fmt_count(row["leads"]),
            Text(_num(row["mean_score"]), style="bold"),
            Text(bar(row["mean_score"] or 0, biggest, width=SOURCE_BAR_WIDTH), style="cyan"),
            _num(row["median_score"]),
        ]
        cells += [_pct(row[f"{tier}_share"]) for tier in t.tiers]
        if has_qualified:
            cells.append(_pct(row["qualified_rate"]))
        if t.target:
            cells += [_pct(row["conversion_rate"]), _pct(row["conversion_share"])]
        table.add_row(*cells)
    return table


def _pct(value: Any) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else "-"


def _num(value: Any) -> str:
    return fmt_number(round(value, 1)) if isinstance(value, int | float) else "-"
