"""The accounts section of the score report: the best accounts, by account score."""

from __future__ import annotations

import polars as pl
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from leadscore.accounts import ACCOUNT_SCORE, BEST_LEAD, LEADS
from leadscore.engine import QUALIFIED, RANK, ScoredLeads
from leadscore.report.common import fmt_count, fmt_number, plain_table

METHOD_WORDS = {
    "max": "its best lead's score",
    "sum": "the sum of its lead scores",
    "mean": "the mean of its lead scores",
    "top2_mean": "the mean of its two best lead scores",
}


def accounts_table(result: ScoredLeads, *, top: int = 10) -> Table | None:
    """The ``top`` best accounts; None without an account table or when ``top`` is 0."""
    accounts = result.accounts
    if accounts is None or top <= 0:
        return None
    frame = accounts.frame
    ranked = frame.filter(pl.col(RANK).is_not_null())
    title = Text(
        f"Top {min(top, ranked.height)} of {fmt_count(ranked.height)} accounts by '{accounts.column}' "
        f"(account score: {METHOD_WORDS[accounts.score]})"
    )
    table = plain_table(title)
    table.add_column("#", justify="right")
    table.add_column(Text(accounts.column), max_width=32, overflow="ellipsis", no_wrap=True)
    table.add_column("Score", justify="right")
    table.add_column("Leads", justify="right")
    has_qualified = QUALIFIED in frame.columns
    if has_qualified:
        table.add_column("Qualified", justify="right")
    table.add_column("Best lead")
    for row in ranked.head(top).to_dicts():
        score = row[ACCOUNT_SCORE]
        cells: list[RenderableType] = [
            str(row[RANK]),
            Text(str(row[accounts.column])),
            Text(fmt_number(score) if score is not None else "-", style="bold"),
            fmt_count(row[LEADS]),
        ]
        if has_qualified:
            cells.append(fmt_count(row[QUALIFIED]))
        cells.append(Text(str(row[BEST_LEAD]) if row[BEST_LEAD] is not None else "(no id)", style="dim"))
        table.add_row(*cells)
    return table
