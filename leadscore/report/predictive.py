"""Reports of ``fit`` and ``evaluate`` as Rich renderables. Nothing here prints.

Every name that comes from the user's data (columns, rule names, values) is put in a
:class:`~rich.text.Text`, so square brackets in it are shown as written, not read as markup.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from leadscore.errors import counted
from leadscore.predictive.evaluate import Advice, Evaluation
from leadscore.predictive.fit import FitResult
from leadscore.predictive.metrics import DECILES, GroupRate
from leadscore.predictive.summary import RuleEffect
from leadscore.report.common import (
    fmt_count,
    fmt_duration,
    fmt_number,
    fmt_range,
    plain_table,
    spaced,
    tier_text,
)

BAR = "█"
BAR_WIDTH = 10


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    return grid


def _panel(grid: Table, title: str) -> Panel:
    return Panel(grid, title=title, title_align="left", box=box.HORIZONTALS, expand=False)


# ---------------------------------------------------------------------------------------- fit


def fit_report(result: FitResult) -> Group:
    """The report of a fit run: summary, columns used, strongest rules both ways, columns skipped."""
    sections = [
        fit_summary(result),
        columns_table(result),
        strongest_table(result.raising, "Rules that raise the odds most"),
        strongest_table(result.lowering, "Rules that lower the odds most"),
        skipped_table(result),
    ]
    return Group(*spaced(s for s in sections if s is not None))


def fit_summary(result: FitResult) -> Panel:
    grid = _grid()
    if result.sources:
        grid.add_row("History", Text(", ".join(result.sources)))
    without = f"  ({fmt_count(result.dropped)} without an outcome left out)" if result.dropped else ""
    grid.add_row("Leads learnt from", Text.assemble(fmt_count(result.used), (without, "dim")))
    if result.holdout is not None:
        grid.add_row("Held out", Text(result.holdout.describe()))
    grid.add_row(
        "Converted",
        Text(f"{fmt_count(result.positives)} ({_pct(result.positive_rate)}) in column '{result.target}'"),
    )
    grid.add_row(
        "Cross-validated AUC",
        Text.assemble(f"{result.cv_auc:.3f}", (f"  ({result.folds} folds, C = {result.c:.3g})", "dim")),
    )
    rules = counted(len(result.model.rules), "rule")
    grid.add_row("Model", f"{rules} from {counted(len(result.columns), 'column')}, scores 0 to about 100")
    grid.add_row(
        "Scaling", f"points = weight x {result.scale:.2f}; +10 points = odds x {result.odds_per_10:.2f}"
    )
    grid.add_row(
        "Qualify",
        Text.assemble(
            f"score >= {result.min_score}",
            (f"  ({_pct(result.qualified_share)} of the history; aim: the top 20%)", "dim"),
        ),
    )
    grid.add_row("As of", result.as_of.isoformat())
    if result.output is not None:
        grid.add_row("Written to", Text("standard output" if result.output == "-" else result.output))
    grid.add_row("Time taken", fmt_duration(result.seconds))
    return _panel(grid, "Fit run")


def columns_table(result: FitResult) -> Table:
    """Each column used: its dimension, how it was cut, its rules and its largest points."""
    table = plain_table("Columns used (largest points first)")
    table.add_column("Column", no_wrap=True)
    table.add_column("Dimension")
    table.add_column("Read as")
    table.add_column("Bins", justify="right")
    table.add_column("Rules", justify="right")
    table.add_column("Max points", justify="right")
    for u in result.columns:
        how = u.kind if u.shape in (u.kind, "groups") else f"{u.kind}, {u.shape}"
        table.add_row(Text(u.column), u.dimension, how, str(u.bins), str(u.rules), str(u.spread))
    return table


def strongest_table(effects: Sequence[RuleEffect], title: str) -> Table | None:
    """Rules with the largest effect one way, against the average lead of their column."""
    if not effects:
        return None
    table = plain_table(title)
    table.add_column("Rule")
    table.add_column("Points", justify="right")
    table.add_column("Leads", justify="right")
    table.add_column("Converted", justify="right")
    table.add_column("vs column average", justify="right")
    for e in effects:
        table.add_row(
            Text(e.name), str(e.points), fmt_count(e.leads), _pct(e.rate), f"{e.effect:+.1f} points"
        )
    return table


def skipped_table(result: FitResult) -> Table | None:
    rows = [(s.column, s.reason) for s in result.skipped]
    rows += [(leak.column, f"likely leak: {leak.reason}") for leak in result.leaks if leak.excluded]
    if not rows:
        return None
    table = plain_table("Columns not used")
    table.add_column("Column")
    table.add_column("Why")
    for column, reason in rows:
        table.add_row(Text(column), Text(reason))
    return table


# ----------------------------------------------------------------------------------- evaluate


def evaluate_report(ev: Evaluation) -> Group:
    """The report of an evaluate run: metrics, gains, tiers, grades, qualified and threshold advice."""
    sections = [
        metrics_panel(ev),
        gains_table(ev),
        rates_table(ev.tiers, "Conversion by tier", "Tier", tiers=True),
        grades_matrix(ev.grades),
        qualified_table(ev),
        advice_table(ev),
    ]
    return Group(*spaced(s for s in sections if s is not None))


def metrics_panel(ev: Evaluation) -> Panel:
    grid = _grid()
    source = f"  from {ev.model_source}" if ev.model_source != "model" else ""
    grid.add_row("Model", Text.assemble(Text(ev.model_name), (source, "dim")))
    if ev.sources:
        grid.add_row("History", Text(", ".join(ev.sources)))
    if ev.holdout is not None:
        grid.add_row("Holdout", Text(ev.holdout.describe()))
    # a holdout is chosen among the leads with an outcome: the others were left out of the whole history
    when = " before the split" if ev.holdout is not None else ""
    without = f"  ({fmt_count(ev.dropped)} without an outcome left out{when})" if ev.dropped else ""
    grid.add_row("Leads evaluated", Text.assemble(fmt_count(ev.leads), (without, "dim")))
    grid.add_row("Converted", f"{fmt_count(ev.positives)} ({_pct(ev.rate)})")
    grid.add_row(
        "AUC", Text.assemble(f"{ev.auc:.3f}", ("  chance a converted lead outscores one that did not", "dim"))
    )
    grid.add_row("Gini", f"{ev.gini:.3f}")
    grid.add_row(
        "KS", Text.assemble(f"{ev.ks:.3f}", (f"  largest at score >= {fmt_number(ev.ks_threshold)}", "dim"))
    )
    grid.add_row("As of", ev.as_of.isoformat())
    grid.add_row("Time taken", fmt_duration(ev.seconds))
    return _panel(grid, "Evaluation")


def gains_table(ev: Evaluation) -> Table:
    """Conversions per score band (a tenth of the leads each, unless ties merge them), highest
    scores first, with the share of leads so far and the share of conversions captured so far."""
    count = f"{len(ev.gains)} band{'' if len(ev.gains) == 1 else 's'}"
    if all(g.min_score == g.max_score for g in ev.gains) and len(ev.gains) < DECILES:
        shape = f"({count}, one a score)"
    elif len(ev.gains) < DECILES:
        shape = f"(tied scores merged the tenths into {count})"
    else:
        shape = "(about a tenth of the leads each)"
    title = f"Gains by score band {shape}"
    table = plain_table(title)
    table.add_column("Band", justify="right")
    table.add_column("Scores", justify="right", no_wrap=True)
    table.add_column("Top", justify="right")
    table.add_column("Leads", justify="right")
    table.add_column("Converted", justify="right")
    table.add_column("Rate", justify="right")
    table.add_column("Lift", justify="right")
    table.add_column("Captured so far", no_wrap=True)
    for g in ev.gains:
        width = round(BAR_WIDTH * g.cumulative_captured)
        bar = Text.assemble((BAR * width, "green"), (f" {g.cumulative_captured:.0%}", ""))
        table.add_row(
            str(g.band),
            fmt_range(g.min_score, g.max_score),
            f"{g.cumulative_leads:.0%}",
            fmt_count(g.leads),
            fmt_count(g.converted),
            _pct(g.rate),
            f"{g.lift:.2f}",
            bar,
        )
    return table


def rates_table(
    rates: Sequence[GroupRate] | None, title: str, header: str, tiers: bool = False
) -> Table | None:
    if rates is None:
        return None
    table = plain_table(title)
    table.add_column(header)
    table.add_column("Leads", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Converted", justify="right")
    table.add_column("Rate", justify="right")
    for r in rates:
        label = tier_text(r.label) if tiers else Text(r.label)
        table.add_row(label, fmt_count(r.leads), _pct(r.share), fmt_count(r.converted), _pct(r.rate))
    return table


def grades_matrix(grades: Sequence[GroupRate] | None) -> Table | None:
    """Conversion rate (and leads) per grade: fit letters down, engagement digits across."""
    if grades is None:
        return None
    cells = {g.label: g for g in grades}
    letters = sorted({g.label[:1] for g in grades})
    digits = sorted({g.label[1:] for g in grades})
    table = plain_table("Conversion by grade: rate and leads")
    table.add_column("Fit")
    for d in digits:
        table.add_column(d, justify="right", no_wrap=True)
    for letter in letters:
        row: list[RenderableType] = [Text(letter, style="bold")]
        for d in digits:
            g = cells.get(letter + d)
            row.append(
                Text.assemble(_pct(g.rate), (f" {fmt_count(g.leads)}", "dim"))
                if g
                else Text("-", style="dim")
            )
        table.add_row(*row)
    return table


def qualified_table(ev: Evaluation) -> Table | None:
    """What the model's qualify rule sent to sales, and what it left behind."""
    q = ev.qualified
    if q is None:
        return None
    rule = f"score >= {fmt_number(ev.min_score)}" if ev.min_score is not None else "no score threshold"
    if ev.disqualify_rules:
        rules = "rule" if ev.disqualify_rules == 1 else "rules"
        rule += f", and none of its {ev.disqualify_rules} disqualify {rules} fired"
    table = plain_table(Text(f"Qualified leads ({rule})"))
    table.add_column("")
    table.add_column("Leads", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Converted", justify="right")
    table.add_column("Rate (precision)", justify="right")
    table.add_column("Conversions (recall)", justify="right")
    not_q = ev.leads - q.selected
    not_conv = ev.positives - q.converted
    table.add_row("qualified", fmt_count(q.selected), _pct(q.share), fmt_count(q.converted),
                  _pct(q.precision), _pct(q.recall))  # fmt: skip
    table.add_row(
        "not qualified", fmt_count(not_q), _pct(not_q / ev.leads if ev.leads else 0),
        fmt_count(not_conv), _pct(not_conv / not_q if not_q else 0),
        _pct(not_conv / ev.positives if ev.positives else 0),
    )  # fmt: skip
    return table


def _goal(goal: str, target: float) -> str:
    return (
        f"qualify {target:.0%} of leads" if goal == "share" else f"reach {target:.0%} conversion among MQLs"
    )


def advice_table(ev: Evaluation) -> Group:
    """Which min_score meets each goal, and what it would have captured."""
    title = "Threshold advice (qualify on score alone)"
    low, high = ev.score_range
    if low == high:
        return Group(
            Text(title, style="bold"),
            Text(
                f"Every lead scores {fmt_number(low)}, so no min_score separates the leads: check that the "
                "model's rules match the history's columns and values.",
                style="yellow",
            ),
        )
    table = plain_table(title)
    table.add_column("Goal")
    table.add_column("min_score", justify="right")
    table.add_column("Leads", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Rate", justify="right")
    table.add_column("Captured", justify="right")
    table.add_column("Lift", justify="right")
    for a in ev.advice:
        s = a.selection
        if s is None:
            table.add_row(_goal(a.goal, a.target), Text("not reached", style="yellow"), "", "", "", "", "")
            continue
        share = Text(_pct(s.share), style="" if a.reached else "yellow")
        table.add_row(
            _goal(a.goal, a.target), fmt_number(s.threshold or 0), fmt_count(s.selected), share,
            _pct(s.precision), _pct(s.recall), f"{s.lift:.2f}",
        )  # fmt: skip
    notes = [Text(_not_near(a), style="yellow") for a in ev.advice if a.goal == "share" and not a.reached]
    verdict = _verdict(ev)
    return Group(table, *notes, *([verdict] if verdict is not None else []))


def _not_near(a: Advice) -> str:
    """Why no threshold gives the share of leads asked for: tied scores, and the nearest on each side."""
    closest, more = a.selection, a.more
    assert closest is not None
    assert more is not None
    start = f"No min_score qualifies near {a.target:.0%} of leads"
    if a.fewer is None:
        top = fmt_number(more.threshold or 0)
        return f"{start}: {_pct(more.share)} of leads tie at the top score, so min_score = {top} qualifies the fewest."
    return (
        f"{start}: tied scores make the share jump from {_pct(a.fewer.share)} (min_score = "
        f"{fmt_number(a.fewer.threshold or 0)}) to {_pct(more.share)} (min_score = "
        f"{fmt_number(more.threshold or 0)}); the closest is min_score = {fmt_number(closest.threshold or 0)}."
    )


def _verdict(ev: Evaluation) -> Text | None:
    """What the model sends to sales now, against the goal asked for (when one was)."""
    q = ev.qualified
    if q is None:
        return Text("The model has no [qualify] min_score; add one to send leads to sales.", style="dim")
    now = f"Now {_pct(q.share)} of leads qualify and {_pct(q.precision)} of them converted"
    asked = [a for a in ev.advice if not ev.default_advice and a.selection is not None]
    if len(asked) != 1 or not asked[0].reached:
        return Text(now + ".", style="dim")
    goal, s = asked[0], asked[0].selection
    assert s is not None
    if ev.min_score is not None and s.threshold == ev.min_score:
        return Text(f"{now}: the qualify threshold already meets the goal.", style="dim")
    return Text(
        f"{now}. To {_goal(goal.goal, goal.target)}, set [qualify] min_score = {fmt_number(s.threshold or 0)}: "
        f"{_pct(s.share)} of leads would qualify, {_pct(s.precision)} of them converted, "
        f"capturing {_pct(s.recall)} of conversions.",
        style="bold",
    )


# --------------------------------------------------------------------------------------- html


def to_html(renderables: Sequence[RenderableType], title: str, width: int = 110) -> str:
    """A standalone HTML page of the renderables, with the terminal's colours."""
    console = Console(
        record=True, file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor",
        highlight=False, emoji=False,
    )  # fmt: skip
    for r in renderables:
        console.print(r)
    return console.export_html(inline_styles=True).replace(
        "<head>", f"<head>\n<title>{_escape(title)}</title>", 1
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
