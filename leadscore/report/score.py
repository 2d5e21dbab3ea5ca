"""The report shown after a score run, as Rich renderables. Nothing here prints.

Each section of the report is one function that takes a :class:`~leadscore.engine.ScoredLeads`
and returns a renderable (or None when the model does not configure that section);
:func:`score_report` puts them together and the command line prints the result. Counts come
from :attr:`ScoredLeads.counts <leadscore.engine.ScoredLeads.counts>` (Polars aggregates, collected in
the scoring pass when the ranked leads were streamed to a file), never from a loop over the leads.

Every value that comes from the user's data or model (ids, company names, rule names) is put
in a :class:`~rich.text.Text`, so square brackets in it are shown as written, not read as markup.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from leadscore.counts import COUNT, ScoreCounts
from leadscore.engine import GRADE, QUALIFIED, RANK, REASONS, SCORE, TIER, ScoredLeads, output_columns
from leadscore.model import Band, Grades, Model
from leadscore.report.accounts import accounts_table
from leadscore.report.common import (
    BAR,
    BAR_WIDTH,
    TIER_STYLES,
    fmt_count,
    fmt_duration,
    fmt_number,
    fmt_points,
    fmt_range,
    fmt_share,
    plain_table,
    spaced,
    tier_text,
)
from leadscore.report.routing import routing_table
from leadscore.report.segments import segment_tier_table, segments_table
from leadscore.segment_scoring import output_columns as segmented_output_columns
from leadscore.segments import SEGMENT, SegmentedModel

DISTRIBUTION_BINS = 10
_TOP_EXTRAS = (("Tier", "tier", TIER), ("Grade", "grade", GRADE), ("Qualified", "qualified", QUALIFIED),
               ("Reasons", "reasons", REASONS))  # fmt: skip
REASONS_MIN_WIDTH = 24

_EPSILON = 1e-9  # guards bin arithmetic against float error (0.1 * 3 != 0.3)

# Columns that say who a lead is, looked up case-insensitively; the first present one is shown.
COMPANY_COLUMNS = ("company", "account", "company_name")
PERSON_COLUMNS = ("name", "full_name", ("first_name", "last_name"), "email")


def score_report(result: ScoredLeads, *, top: int = 10, output: str | None = None) -> Group:
    """The report of a score run: summary, segments, distribution, tiers, grades, top leads,
    accounts, routing and rules.

    Sections the run does not have (segments, tiers, grades, accounts, routing) are left out.

    Parameters
    ----------
    result
        What :func:`leadscore.score` returned.
    top
        How many of the best leads to list; 0 leaves the list out.
    output
        The file the ranked leads were written to, if any.
    """
    sections = [
        summary_panel(result, output=output),
        segments_table(result),
        distribution_chart(result),
        tier_table(result),
        grade_matrix(result),
        top_table(result, top=top),
        accounts_table(result, top=top),
        routing_table(result),
        rules_table(result),
    ]
    return Group(*spaced(s for s in sections if s is not None))


def summary_panel(result: ScoredLeads, *, output: str | None = None) -> Panel:
    """What was scored, with which model, as of when, how fast, and where it went."""
    model, counts = result.model, result.counts
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    unscored = counts.rows - counts.scored
    not_scored = f"  ({fmt_count(unscored)} of {fmt_count(counts.rows)} match no segment)" if unscored else ""
    grid.add_row("Leads scored", Text.assemble(fmt_count(counts.scored), (not_scored, "dim")))
    if result.sources:
        grid.add_row("Input", Text(", ".join(result.sources)))
    # "model" is the placeholder source of a model built in code rather than read from a file
    source = f"  from {model.source}" if model.source != "model" else ""
    grid.add_row("Model", Text.assemble(model.name, (source, "dim")))
    grid.add_row("As of", result.as_of.isoformat())
    if counts.scored:
        grid.add_row("Scores", _score_summary(counts))
    if isinstance(model, SegmentedModel):
        grid.add_row("Segments", Text(", ".join(s.name for s in model.segments)))
    if model.has_qualify:
        qualified = counts.qualified or 0
        share = f"{fmt_count(qualified)} of {fmt_count(counts.rows)} ({fmt_share(qualified, counts.rows)})"
        rule = _qualify_rule(model) if isinstance(model, Model) else "as each segment's model says"
        grid.add_row("Qualified", Text.assemble(share, (f"  {rule}", "dim")))
    if result.adjustments is not None:
        grid.add_row("Adjustments", Text(_adjustments_line(result)))
    if result.routing is not None:
        r = result.routing
        owners = sum(1 for _, n in r.assigned if n)
        grid.add_row(
            "Routed", Text(f"{fmt_count(r.routed)} leads to {fmt_count(owners)} owners in '{r.owner_column}'")
        )
    if output is not None:
        grid.add_row("Written to", Text(output))
    if result.accounts is not None and result.accounts.output is not None:
        grid.add_row("Accounts to", Text(result.accounts.output))
    grid.add_row("Time taken", fmt_duration(result.seconds))
    n_warnings = len(result.warnings)
    grid.add_row(
        "Warnings", Text(fmt_count(n_warnings), style="yellow") if n_warnings else Text("none", style="dim")
    )
    return Panel(grid, title="Score run", title_align="left", box=box.HORIZONTALS, expand=False)


def distribution_chart(result: ScoredLeads, *, bins: int = DISTRIBUTION_BINS) -> RenderableType:
    """How the scores spread: one bar per score range (see :func:`score_bins`), highest first.

    A bar is coloured by tier when every score in its range earns the same tier.
    """
    title = "Score distribution"
    ranges = bins_of_counts(result.counts.by_score, bins)
    if not ranges:
        return Text.assemble((title, "bold"), ("  no leads to chart", "dim"))
    total = sum(r.count for r in ranges)
    biggest = max(r.count for r in ranges)
    table = Table(title=title, title_justify="left", title_style="bold", box=None, show_header=False)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right")
    table.add_column(justify="right")
    for r in reversed(ranges):
        width = max(1, round(BAR_WIDTH * r.count / biggest)) if r.count else 0
        bar = Text(BAR * width, style=_range_style(result.model, r.low, r.high))
        table.add_row(r.label, bar, fmt_count(r.count), fmt_share(r.count, total))
    return table


@dataclass(frozen=True)
class ScoreBin:
    """Scores from ``low`` up to (not including) ``high``, and how many leads have one."""

    low: float
    high: float
    count: int
    label: str


def score_bins(scores: pl.Series, bins: int = DISTRIBUTION_BINS) -> list[ScoreBin]:
    """Count scores in ranges of one round width (1, 2 or 5 times a power of ten), lowest first.

    Ranges start at a multiple of the width, so there are at most about ``bins`` of them; empty
    ranges between the lowest and highest score are kept. Equal scores make one range.

    Examples
    --------
    >>> [(b.label, b.count) for b in score_bins(pl.Series([3, 12, 15, 38]), bins=4)]
    [('0 to 9', 1), ('10 to 19', 2), ('20 to 29', 0), ('30 to 39', 1)]
    """
    counted = scores.drop_nulls().value_counts(name=COUNT).rename({scores.name: SCORE})
    return bins_of_counts(counted, bins)


def bins_of_counts(by_score: pl.DataFrame, bins: int = DISTRIBUTION_BINS) -> list[ScoreBin]:
    """:func:`score_bins` from leads per score (columns ``score`` and ``count``, one row per score)."""
    if by_score.is_empty():
        return []
    integral = by_score.schema[SCORE].is_integer()
    low, high = (
        float(x) for x in by_score.select(pl.col(SCORE).min(), pl.col(SCORE).max().alias("m")).row(0)
    )
    if low == high:
        return [ScoreBin(low, high, int(by_score[COUNT].sum()), fmt_number(low))]
    step = nice_step((high - low) / bins, integral)
    start = math.floor(low / step) * step
    last = _bin_of(high, start, step)
    position = ((pl.col(SCORE) - start) / step + _EPSILON).floor().cast(pl.Int64).clip(0, last)
    counts = dict(by_score.group_by(position.alias("bin")).agg(pl.col(COUNT).sum()).iter_rows())
    edges = [start + i * step for i in range(last + 2)]
    return [
        ScoreBin(lo, hi, counts.get(i, 0), _range_label(lo, hi, integral))
        for i, (lo, hi) in enumerate(itertools.pairwise(edges))
    ]


def tier_table(result: ScoredLeads) -> Table | None:
    """Leads and share per tier, highest tier first; None when the model has no tiers.

    With segments, one column of leads per segment (each segment has its own thresholds).
    """
    if isinstance(result.model, SegmentedModel):
        return segment_tier_table(result)
    tiers = result.model.tiers
    if not tiers:
        return None
    counts = result.counts.tiers
    total = result.counts.rows
    table = plain_table("Tiers", footer=True)
    table.add_column("Tier", footer="Total")
    table.add_column("Score")
    table.add_column("Leads", justify="right", footer=fmt_count(total))
    table.add_column("Share", justify="right", footer=fmt_share(total, total))
    for i, band in enumerate(tiers):
        n = counts.get(band.label, 0)
        table.add_row(tier_text(band.label), _band_range(tiers, i), fmt_count(n), fmt_share(n, total))
    return table


def grade_matrix(result: ScoredLeads) -> RenderableType | None:
    """Lead counts by fit letter (rows) and engagement digit (columns); None without grades.

    With segments, one matrix per segment that has grades.
    """
    model = result.model
    if isinstance(model, SegmentedModel):
        matrices = [
            _grade_matrix(
                _grades_of(result.ranked.filter(pl.col(SEGMENT) == s.name)), s.model.grades, f"{s.name}: "
            )
            for s in model.segments
            if s.model.grades is not None
        ]
        return Group(*spaced(matrices)) if matrices else None
    if model.grades is None:
        return None
    return _grade_matrix(result.counts.grades, model.grades)


def _grades_of(frame: pl.DataFrame) -> dict[str, int]:
    return {str(k): int(n) for k, n in frame.group_by(GRADE).len().drop_nulls(GRADE).iter_rows()}


def _grade_matrix(by_grade: dict[str, int], grades: Grades, prefix: str = "") -> Table:
    # the fallback letter and digit take every score below the lowest band
    letters = [*grades.fit, Band(grades.fit_fallback, -math.inf)]
    digits = [*grades.engagement, Band(grades.engagement_fallback, -math.inf)]
    cells: dict[tuple[str, str], int] = {}
    for grade, n in by_grade.items():
        cells[grade[:1], grade[1:]] = cells.get((grade[:1], grade[1:]), 0) + n
    total = sum(by_grade.values())
    title = Text(f"{prefix}Grades ({grades.fit_dimension} letter × {grades.engagement_dimension} digit)")
    table = plain_table(title, footer=True)
    table.add_column(Text(grades.fit_dimension.capitalize()), footer="Total", no_wrap=True)
    for i, digit in enumerate(digits):
        footer = fmt_count(sum(cells.get((f.label, digit.label), 0) for f in letters))
        header = Text.assemble(digit.label, (f" {_band_range(digits, i)}", "dim"))
        table.add_column(header, justify="right", footer=footer, no_wrap=True)
    table.add_column("Total", justify="right", footer=fmt_count(total))
    for i, fit in enumerate(letters):
        row = [cells.get((fit.label, d.label), 0) for d in digits]
        label = Text.assemble((fit.label, "bold"), (f" {_band_range(letters, i)}", "dim"))
        table.add_row(
            label, *(fmt_count(n) if n else Text("0", style="dim") for n in row), fmt_count(sum(row))
        )
    return table


def top_table(result: ScoredLeads, *, top: int = 10) -> TopLeads | None:
    """The ``top`` best leads, best first; None when ``top`` is 0 or there are no leads."""
    frame, model = result.counts.top, result.model
    if top <= 0 or result.counts.rows == 0:
        return None
    shown: list[tuple[str, str, pl.Expr]] = [
        ("#", "rank", pl.col(RANK)),
        (model.id_column, "id", pl.col(model.id_column)),
        *((header, "who", expr) for header, expr in identifying_columns(frame.columns, model.id_column)),
    ]
    if isinstance(model, SegmentedModel):
        shown.append(("Segment", "segment", pl.col(SEGMENT)))
    shown.append(("Score", "score", pl.col(SCORE)))
    written = output_columns(model) if isinstance(model, Model) else segmented_output_columns(model)
    produced = set(written) & set(frame.columns)
    shown += [(header, kind, pl.col(c)) for header, kind, c in _TOP_EXTRAS if c in produced]
    if result.routing is not None:
        owner = ("Owner", "owner", pl.col(result.routing.owner_column))
        shown.insert(len(shown) - (REASONS in produced), owner)
    head = frame.filter(pl.col(RANK) <= top).sort(RANK)
    values = head.select([expr.alias(f"c{i}") for i, (_, _, expr) in enumerate(shown)]).get_columns()
    columns = tuple(
        TopColumn(header, kind, tuple(v.to_list()))
        for (header, kind, _), v in zip(shown, values, strict=True)
    )
    return TopLeads(f"Top {head.height} leads", columns)


@dataclass(frozen=True)
class TopColumn:
    """One column of the top-leads table: its header, what it holds, and its values."""

    header: str
    kind: str  # rank, id, who, score, tier, grade, qualified or reasons
    values: tuple[object, ...]


@dataclass(frozen=True)
class TopLeads:
    """The top-leads table, laid out for the width it is printed in.

    When the reasons would get fewer than ``REASONS_MIN_WIDTH`` columns, the person and then
    the company column are left out to make room for them.
    """

    title: str
    columns: tuple[TopColumn, ...]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = list(self.columns)
        optional = [c for c in columns if c.kind in ("who", "owner")]  # the owner goes first
        if any(c.kind == "reasons" for c in columns):
            while optional and self._room_for_reasons(console, options, columns) < REASONS_MIN_WIDTH:
                columns.remove(optional.pop())
        yield self.table(columns)

    def _room_for_reasons(self, console: Console, options: ConsoleOptions, columns: list[TopColumn]) -> int:
        others = self.table([c for c in columns if c.kind != "reasons"])
        return options.max_width - Measurement.get(console, options, others).maximum - 2

    def table(self, columns: Sequence[TopColumn] | None = None) -> Table:
        """The table with the given columns (all of them by default)."""
        columns = self.columns if columns is None else columns
        table = plain_table(self.title)
        for column in columns:
            narrow = column.kind != "reasons"
            table.add_column(
                Text(column.header),
                justify="right" if column.kind in ("rank", "score", "previous") else "left",
                no_wrap=narrow,
                max_width=24 if narrow else None,
                overflow="ellipsis" if narrow else "fold",
            )
        for row in zip(*(c.values for c in columns), strict=True):
            table.add_row(*(_top_cell(c.kind, v) for c, v in zip(columns, row, strict=True)))
        return table


def rules_table(result: ScoredLeads) -> RenderableType:
    """Per rule, in model order: how often it fired and the points it gave.

    Rules are listed under a heading for their dimension, repeated whenever it changes. With
    segments, one table per segment, its hit rates counted over the segment's leads.
    """
    if isinstance(result.model, SegmentedModel):
        return Group(
            *spaced(
                _rules_table(part.rule_stats, part.segment.model, f"Rules: {part.segment.name}")
                for part in result.segments
            )
        )
    return _rules_table(result.rule_stats, result.model, "Rules")


def _rules_table(rule_stats: pl.DataFrame, model: Model, title: str) -> Table:
    stats = list(rule_stats.iter_rows(named=True))
    disqualifying = {r.position for r in model.rules if r.disqualify}
    notes = {s["position"]: _rule_note(s["capped"], s["position"] in disqualifying) for s in stats}
    table = plain_table(Text(title))
    table.add_column("#", justify="right")
    table.add_column("Rule")
    for header in ("Hits", "Hit rate", "Points", "Per lead"):
        table.add_column(header, justify="right")
    if any(notes.values()):
        table.add_column("Note")
    dimension = None
    for stat in stats:
        if stat["dimension"] != dimension:
            if dimension is not None:
                table.add_section()
            dimension = stat["dimension"]
            table.add_row("", Text(str(dimension), style="bold italic"))
        table.add_row(
            str(stat["position"]),
            Text(stat["rule"]),
            fmt_count(stat["hits"]),
            f"{stat['hit_rate']:.1%}",
            fmt_points(stat["points_total"]),
            fmt_points(stat["points_mean"], mean=True),
            Text(notes[stat["position"]], style="dim"),
        )
    return table


def identifying_columns(columns: Sequence[str], exclude: str = "") -> list[tuple[str, pl.Expr]]:
    """Up to two (header, expression) pairs that say who a lead is: a company and a person.

    Examples
    --------
    >>> [header for header, _ in identifying_columns(["lead_id", "Company", "first_name", "last_name"])]
    ['Company', 'Name']
    """
    by_lower = {c.lower(): c for c in reversed(columns) if c != exclude}
    found: list[tuple[str, pl.Expr]] = []
    for candidates in (COMPANY_COLUMNS, PERSON_COLUMNS):
        for candidate in candidates:
            if isinstance(candidate, str):
                if candidate in by_lower:
                    found.append((by_lower[candidate], pl.col(by_lower[candidate])))
                    break
            elif all(part in by_lower for part in candidate):
                parts = [pl.col(by_lower[part]).cast(pl.String) for part in candidate]
                found.append(("Name", pl.concat_str(parts, separator=" ", ignore_nulls=True)))
                break
    return found


def nice_step(raw: float, integral: bool) -> float:
    """The smallest of 1, 2, 5, 10, 20, ... (or 0.1, 0.2, ...) that is at least ``raw``.

    Whole-number scores get a step of at least 1; equal scores (``raw`` = 0) get 1.

    Examples
    --------
    >>> nice_step(11.7, integral=True), nice_step(0.3, integral=True), nice_step(0.03, integral=False)
    (20.0, 1.0, 0.05)
    """
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - _EPSILON))
    step = float(f"{step:.12g}")  # 0.30000000000000004 -> 0.3
    return max(step, 1.0) if integral else step


def _bin_of(value: float, start: float, step: float) -> int:
    return math.floor((value - start) / step + _EPSILON)


def _range_label(lo: float, hi: float, integral: bool) -> str:
    if integral:
        return fmt_range(round(lo), round(hi) - 1)
    return f"{lo:,.6g} to <{hi:,.6g}"


def _range_style(model: Model | SegmentedModel, lo: float, hi: float) -> str:
    """The tier colour when every score in [lo, hi) earns the same tier, else none (always none
    with segments: each has its own thresholds)."""
    if isinstance(model, SegmentedModel):
        return ""
    if not model.tiers or any(lo < band.threshold < hi for band in model.tiers):
        return ""
    return TIER_STYLES.get((model.tier_for(lo) or "").lower(), "")


def _band_range(bands: Sequence[Band], i: int) -> str:
    """'≥ 70' for a band; '< 40' for the last one, which also takes every score below it."""
    if i < len(bands) - 1:
        return f"≥ {fmt_number(bands[i].threshold)}"
    return f"< {fmt_number(bands[i - 1].threshold)}" if i else "any"


def _qualify_rule(model: Model) -> str:
    parts = []
    if model.min_score is not None:
        parts.append(f"score ≥ {fmt_number(model.min_score)}")
    if any(r.disqualify for r in model.rules):
        parts.append("no disqualifying rule")
    return " and ".join(parts)


def _adjustments_line(result: ScoredLeads) -> str:
    a = result.adjustments
    assert a is not None
    parts = [f"{fmt_count(a.applied)} for {fmt_count(a.leads)} leads"]
    if a.expired:
        parts.append(f"{fmt_count(a.expired)} expired")
    if a.unknown:
        parts.append(f"{fmt_count(a.unknown)} for unknown leads")
    return f"{', '.join(parts)}  (from {a.source})"


def _score_summary(counts: ScoreCounts) -> str:
    return (
        f"median {fmt_number(counts.median or 0)}, "
        f"from {fmt_number(counts.lowest or 0)} to {fmt_number(counts.highest or 0)}"
    )


def _rule_note(capped: int, disqualifies: bool) -> str:
    notes = [f"capped {capped:,}×"] if capped else []
    if disqualifies:
        notes.append("disqualifies")
    return ", ".join(notes)


def _top_cell(kind: str, value: object) -> RenderableType:
    if value is None:
        return ""
    if kind == "tier":
        return tier_text(str(value))
    if kind == "qualified":
        return Text("✓", style="green") if value else ""
    if kind == "score" and isinstance(value, int | float):
        return Text(fmt_number(value), style="bold")
    if kind == "previous" and isinstance(value, int | float):
        return Text(fmt_number(value))
    return Text(str(value))
