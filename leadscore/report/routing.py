"""The routing section of the score report: who got how many leads."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from leadscore.engine import ScoredLeads
from leadscore.errors import counted
from leadscore.report.common import bar, fmt_count, fmt_share, plain_table


def routing_table(result: ScoredLeads) -> Table | None:
    """New owners and how many leads each got this run, with the leads left as they were.

    None when the model has no ``[routing]``.
    """
    routing = result.routing
    if routing is None:
        return None
    what = "qualified leads" if routing.route == "qualified" else "leads"
    table = plain_table(f"Routing of {what} to '{routing.owner_column}'", footer=True)
    table.add_column("Owner", footer="Routed this run")
    table.add_column("Leads", justify="right", footer=fmt_count(routing.routed))
    table.add_column("Share", justify="right", footer=fmt_share(routing.routed, routing.routed))
    table.add_column("")
    biggest = max((n for _, n in routing.assigned), default=0)
    for owner, n in routing.assigned:
        table.add_row(
            Text(owner), fmt_count(n), fmt_share(n, routing.routed), Text(bar(n, biggest), style="cyan")
        )
    notes = [f"{counted(routing.kept, 'lead')} kept the owner they had"]
    if routing.unrouted:
        notes.append(f"{fmt_count(routing.unrouted)} left without an owner")
    if routing.full:
        notes.append(f"{fmt_count(routing.full)} found every rep of a rule full")
    table.caption = "; ".join(notes)
    table.caption_justify = "left"
    table.caption_style = "yellow" if routing.unrouted else "dim"
    return table
