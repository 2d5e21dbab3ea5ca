"""``explain`` as Rich renderables: one panel per lead, every rule in model order."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from leadscore.explain import AdjustmentLine, DimensionLine, Explanation, RuleLine
from leadscore.report.common import fmt_number, fmt_points, plain_table, tier_text

MAX_VALUE_WIDTH = 40


def explain_header(source: str, model: str, as_of: str | None) -> Text:
    """Which file, model and date the explanation used."""
    text = Text("Explaining leads from ", style="dim")
    text.append(source, style="bold")
    text.append(" with ", style="dim")
    text.append(model, style="bold")
    if as_of:
        text.append(", as of ", style="dim")
        text.append(as_of, style="bold")
    return text


def explanation_panel(e: Explanation) -> Panel:
    """The whole story of one lead's score."""
    parts: list[RenderableType] = []
    if e.segment is not None:
        parts += [
            Text.assemble(("Segment: ", "bold"), e.segment, (f" ({e.segment_reason})", "dim")),
            Text(""),
        ]
    parts += [_rules(e.rules), Text(""), _dimensions(e.dimensions, e.score)]
    if e.adjustments:
        parts += [Text(""), _adjustments(e.adjustments)]
    if e.blocked_by:
        parts.append(Text(f"Not qualified: disqualified by {', '.join(e.blocked_by)}", style="red"))
    if e.next_steps:
        parts.append(Text(""))
        parts.append(Text("Next step", style="bold"))
        parts += [Text(f"  • {step}") for step in e.next_steps]
    return Panel(Group(*parts), title=_title(e), title_align="left", expand=False)


def _title(e: Explanation) -> Text:
    title = Text(e.lead_id, style="bold")
    title.append(f"  score {fmt_number(e.score)}")
    if e.tier is not None:
        title.append("  ")
        title.append_text(tier_text(e.tier))
    if e.grade is not None:
        title.append(f"  grade {e.grade}")
    if e.qualified is not None:
        title.append(
            "  qualified" if e.qualified else "  not qualified", style="green" if e.qualified else "dim"
        )
    if e.occurrences > 1:
        title.append(f"  (row {e.occurrence} of {e.occurrences} with this id)", style="yellow")
    return title


def _rules(rules: tuple[RuleLine, ...]) -> Table:
    table = plain_table("Rules, in model order")
    table.add_column("#", justify="right", style="dim")
    table.add_column("Rule")
    table.add_column("Looked at", overflow="fold")
    table.add_column("Fired", justify="center")
    table.add_column("Points", justify="right")
    table.add_column("Note", style="dim", overflow="fold")
    for r in rules:
        notes = [
            n for n in (r.cap_note, _event_note(r), "disqualifies" if r.disqualify and r.fired else None) if n
        ]
        table.add_row(
            str(r.position),
            Text(r.name),
            Text(_looked_at(r)),
            Text("✓", style="green") if r.fired else "",
            Text(fmt_points(r.points), style="bold" if r.points else "dim"),
            Text("; ".join(notes)),
        )
    return table


def _looked_at(r: RuleLine) -> str:
    if r.events is not None:
        n = r.events.matching
        needed = f" (needs {r.events.needed})" if r.events.needed else ""
        return f"{n} matching event{'' if n == 1 else 's'}{needed}"
    return ", ".join(f"{column} = {_show(value)}" for column, value in r.values.items())


def _event_note(r: RuleLine) -> str | None:
    if r.events is None or not r.events.matching:
        return None
    last = r.events.last[:10] if r.events.last else "?"
    return f"decayed weight {r.events.weight:.2f}, latest {last}"


def _show(value: Any) -> str:
    if value is None:
        return "(empty)"
    text = str(value)
    return text if len(text) <= MAX_VALUE_WIDTH else text[: MAX_VALUE_WIDTH - 1] + "…"


def _dimensions(dims: tuple[DimensionLine, ...], total: float) -> Table:
    table = plain_table("Dimensions", footer=True)
    table.add_column("Dimension", footer=Text("Total", style="bold"))
    table.add_column("Sum of rules", justify="right")
    table.add_column("Limits", style="dim")
    table.add_column("Score", justify="right", footer=Text(fmt_number(total), style="bold"))
    for d in dims:
        limits = ", ".join(
            part
            for part in (
                f"min {d.min:g}" if d.min is not None else "",
                f"max {d.max:g}" if d.max is not None else "",
            )
            if part
        )
        note = f" ({d.clamp_note})" if d.clamp_note else ""
        table.add_row(d.name, fmt_points(d.subtotal), limits + note, Text(fmt_number(d.score), style="bold"))
    return table


def _adjustments(lines: tuple[AdjustmentLine, ...]) -> Table:
    """Each row of the adjustments file that counted for the lead: who, why, until when."""
    table = plain_table("Sales adjustments")
    table.add_column("Points", justify="right")
    table.add_column("Reason", overflow="fold")
    table.add_column("By")
    table.add_column("Expires")
    several = len({a.dimension for a in lines}) > 1
    if several:
        table.add_column("Dimension")
    for a in lines:
        cells = [
            Text(fmt_points(a.points), style="bold"),
            Text(a.reason),
            Text(a.by or "", style="dim"),
            Text(a.expires or "never", style="dim"),
        ]
        table.add_row(*cells, *([Text(a.dimension)] if several else []))
    return table
