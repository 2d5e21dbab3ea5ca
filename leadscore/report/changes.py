"""The report of what changed since the previous run (``score --previous``). Nothing here prints."""

from __future__ import annotations

import polars as pl
from rich.console import Group, RenderableType
from rich.text import Text

from leadscore.changes import CHANGE, CHANGE_KINDS, NEWLY_QUALIFIED, PREVIOUS_SCORE, ChangeSummary
from leadscore.engine import RANK, SCORE, TIER, ScoredLeads
from leadscore.report.common import fmt_count
from leadscore.report.score import TopColumn, TopLeads, identifying_columns

CHANGE_WORDS = {
    "new": "new",
    "newly_qualified": "newly qualified",
    "no_longer_qualified": "no longer qualified",
    "up": "up",
    "down": "down",
    "same": "the same",
}


def change_counts_text(changes: ChangeSummary) -> str:
    """'2 newly qualified, 5 up, 3 down, 90 the same; 1 gone' (kinds with no lead left out).

    Examples
    --------
    >>> summary = ChangeSummary("old.csv", {"new": 1, "up": 2, "same": 7}, gone=3, unmatched=0)
    >>> change_counts_text(summary)
    '1 new, 2 up, 7 the same; 3 no longer in the input'
    """
    parts = [
        f"{fmt_count(changes.counts[k])} {CHANGE_WORDS[k]}" for k in CHANGE_KINDS if changes.counts.get(k)
    ]
    text = ", ".join(parts) or "no lead to compare"
    extras = []
    if changes.gone:
        extras.append(f"{fmt_count(changes.gone)} no longer in the input")
    if changes.unmatched:
        extras.append(f"{fmt_count(changes.unmatched)} without an id, not compared")
    return "; ".join([text, *extras])


def changes_section(result: ScoredLeads, *, top: int = 10) -> RenderableType | None:
    """Counts per change and the leads that newly qualified, best first; None without --previous."""
    changes = result.changes
    if changes is None:
        return None
    heading = Text.assemble(("Changes since ", "bold"), (changes.source, "bold"))
    counts = Text(change_counts_text(changes))
    if not result.model.has_qualify:
        return Group(heading, counts, Text("The model has no [qualify] section.", style="dim"))
    newly = result.ranked.filter(pl.col(CHANGE) == NEWLY_QUALIFIED).sort(RANK)
    if newly.height == 0:
        return Group(heading, counts, Text("No lead newly qualified.", style="dim"))
    table = newly_qualified_table(result, newly, top)
    return Group(heading, counts, Text(""), table)


def newly_qualified_table(result: ScoredLeads, newly: pl.DataFrame, top: int) -> TopLeads:
    model = result.model
    shown: list[tuple[str, str, pl.Expr]] = [
        ("#", "rank", pl.col(RANK)),
        (model.id_column, "id", pl.col(model.id_column)),
        *((header, "who", expr) for header, expr in identifying_columns(newly.columns, model.id_column)),
        ("Score", "score", pl.col(SCORE)),
        ("Was", "previous", pl.col(PREVIOUS_SCORE)),
    ]
    if TIER in newly.columns:
        shown.append(("Tier", "tier", pl.col(TIER)))
    head = newly.head(top) if top > 0 else newly.head(0)
    values = head.select([expr.alias(f"c{i}") for i, (_, _, expr) in enumerate(shown)]).get_columns()
    columns = tuple(
        TopColumn(header, kind, tuple(v.to_list()))
        for (header, kind, _), v in zip(shown, values, strict=True)
    )
    leads = "1 lead" if newly.height == 1 else f"{fmt_count(newly.height)} leads"
    more = f", the best {head.height} shown" if head.height < newly.height else ""
    return TopLeads(f"Newly qualified: {leads}{more}", columns)
