"""Why a lead got its score, and what it would take to move up.

An explanation runs the very query ``score`` runs (the same compiled expressions) on just the
requested leads, so its numbers equal the scored file's to the last decimal. The file is
filtered by id before anything is scored: looking up one lead costs one scan of the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import polars as pl

from leadscore import overlap
from leadscore.coerce import Conventions
from leadscore.compiler import (
    dimension_raw_column,
    fired_column,
    points_column,
    raw_column,
)
from leadscore.engine import GRADE, QUALIFIED, SCORE, TIER, build_query, dimension_column
from leadscore.errors import LeadsNotFound, counted, quote_list
from leadscore.events import EVENT_COUNT, EVENT_LAST, EVENT_WEIGHT, EventLog, event_column, lead_key
from leadscore.ids import ROW_ID
from leadscore.model import Model, Rule


@dataclass(frozen=True)
class EventDetail:
    matching: int  # events that matched the rule (type, window, where)
    weight: float  # their decayed weight: what points_per_unit multiplies
    last: str | None  # the most recent matching event, ISO date-time in UTC
    needed: str | None = None  # the count the rule asks for, e.g. "3 to 4", when not "1 or more"


@dataclass(frozen=True)
class RuleLine:
    position: int
    name: str
    dimension: str
    values: dict[str, Any]  # the lead's cells that the rule looked at
    fired: bool
    raw_points: float  # before max_points / min_points
    points: float  # what the rule gave
    cap_note: str | None
    disqualify: bool
    events: EventDetail | None = None


@dataclass(frozen=True)
class DimensionLine:
    name: str
    subtotal: float  # sum of its rules
    score: float  # after the dimension's min/max
    min: float | None
    max: float | None
    clamp_note: str | None


@dataclass(frozen=True)
class Room:
    rule: str
    points: float  # what the rule could still add, within its cap and its dimension's cap


@dataclass(frozen=True)
class AdjustmentLine:
    """One row of a sales adjustments file that counted for the lead."""

    points: float
    reason: str
    by: str | None
    expires: str | None  # ISO date, or None for no expiry
    dimension: str


@dataclass(frozen=True)
class Explanation:
    lead_id: str
    occurrence: int  # 1 for the first row with this id, 2 for a duplicate, ...
    occurrences: int
    model: str
    as_of: str
    score: float
    dimensions: tuple[DimensionLine, ...]
    rules: tuple[RuleLine, ...]
    tier: str | None
    grade: str | None
    qualified: bool | None
    blocked_by: tuple[str, ...]
    next_steps: tuple[str, ...]
    room: tuple[Room, ...]
    segment: str | None = None  # the segment that scored the lead, when the model has segments
    segment_reason: str | None = None  # why, e.g. "company_size 1200 ≥ 1000"
    adjustments: tuple[AdjustmentLine, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(
    leads: pl.LazyFrame | pl.DataFrame,
    model: Model,
    ids: Sequence[str],
    *,
    as_of: dt.date,
    events: EventLog | None = None,
    conventions: Conventions = Conventions(),
    source: str = "the leads file",
) -> list[Explanation]:
    """Explain the score of each lead in ``ids`` (matched as text, surrounding spaces ignored).

    Raises :class:`~leadscore.errors.LeadsNotFound` naming the closest ids when one is not in the file.
    """
    lf = leads.lazy()
    wanted = [str(i).strip() for i in ids]
    key = pl.col(model.id_column).cast(pl.String).str.strip_chars()
    if model.id_column not in lf.collect_schema().names():
        build_query(lf, model, as_of=as_of, source=source)  # raises the missing-column message
    subset = lf.filter(key.is_in(wanted))
    if events is not None and model.event_rules and model.events.id in events.frame.collect_schema():
        # only these leads' events matter: the log is filtered before it is grouped by lead
        events = replace(events, frame=events.frame.filter(lead_key(model.events.id).is_in(wanted)))
    query = build_query(
        subset,
        model,
        as_of=as_of,
        events=events,
        conventions=conventions,
        source=source,
    )
    detail = query.detail.with_columns(key.alias("__ls_key")).collect()
    missing = [i for i in wanted if i not in set(detail["__ls_key"].to_list())]
    if missing:
        if model.id_column == ROW_ID and lf.collect_schema()[ROW_ID].is_integer():
            rows = lf.select(pl.len()).collect().item()
            raise LeadsNotFound(
                f'{source} has no lead {quote_list(missing)}: the model\'s id is "row", and its '
                f"{counted(rows, 'lead')} are numbered 1 to {rows:,} in the order of the file",
                missing,
            )
        raise LeadsNotFound(not_found_message(lf, key, missing, source), missing)
    out = []
    for wanted_id in dict.fromkeys(wanted):
        rows = detail.filter(pl.col("__ls_key") == wanted_id).to_dicts()
        out += [_explain_row(model, row, as_of, i + 1, len(rows)) for i, row in enumerate(rows)]
    return out


def not_found_message(lf: pl.LazyFrame, key: pl.Expr, missing: list[str], source: str) -> str:
    parts = []
    for wanted in missing:
        near = closest_ids(lf, key, wanted)
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        parts.append(f"lead '{wanted}' is not in {source}{hint}")
    return "; ".join(parts)


def closest_ids(lf: pl.LazyFrame, key: pl.Expr, wanted: str, limit: int = 3) -> list[str]:
    """The ids most like ``wanted``: first those with its number (``42`` or ``l42`` for
    ``L0042``), then the closest spellings (a length window first, then difflib, cheap on large
    files). One read of the file finds the candidates of both."""
    n = len(wanted)
    near_length = pl.col("id").str.len_chars().is_between(max(n - 2, 1), n + 2)
    same = _same_number(wanted)
    wanted_ids = near_length if same is None else near_length | same
    found = lf.select(key.alias("id")).filter(wanted_ids).unique().sort("id").collect()
    numbered = [] if same is None else [i for i in found.filter(same)["id"].to_list() if i != wanted][:limit]
    if len(numbered) == limit:
        return numbered
    close = [
        i for i in _spelt_like(found.filter(near_length)["id"].to_list(), wanted, limit) if i not in numbered
    ]
    return [*numbered, *close][:limit]


_NUMBERED = r"^(\D*?)0*(\d+)$"  # an id's prefix and its number without leading zeros


def _same_number(wanted: str) -> pl.Expr | None:
    """Whether column ``id`` is ``wanted``'s number with a prefix and leading zeros: ``42`` ->
    ``L0042``, ``LEAD-042``; ``l42`` -> ``L0042`` (the prefix it gives, in any case). None when
    ``wanted`` does not end in a number."""
    parts = re.fullmatch(_NUMBERED, wanted)
    if parts is None:
        return None
    split = pl.col("id").str.extract_groups(_NUMBERED)
    same = split.struct[1] == parts[2]
    if parts[1]:
        same &= split.struct[0].str.to_lowercase() == parts[1].lower()
    return same


def _spelt_like(pool: list[str], wanted: str, limit: int) -> list[str]:
    """The ids of ``pool`` (those of about ``wanted``'s length) closest to it in spelling."""
    if len(pool) > 20_000:  # keep the comparison cheap: prefer ids sharing the first characters
        prefix = wanted[: max(1, len(wanted) // 2)].lower()
        pool = [p for p in pool if p.lower().startswith(prefix)][:20_000] or pool[:20_000]
    return difflib.get_close_matches(wanted, pool, n=limit, cutoff=0.5)


def _explain_row(
    model: Model, row: dict[str, Any], as_of: dt.date, occurrence: int, total: int
) -> Explanation:
    rules = tuple(_rule_line(r, row) for r in model.rules)
    dims = tuple(_dimension_line(model, d, row) for d in model.dimension_names)
    blocked = tuple(r.name for r in model.rules if r.disqualify and row[fired_column(r)])
    room = _room(model, rules, dims)
    return Explanation(
        lead_id=str(row[model.id_column]).strip(),
        occurrence=occurrence,
        occurrences=total,
        model=model.name,
        as_of=as_of.isoformat(),
        score=row[SCORE],
        dimensions=dims,
        rules=rules,
        tier=row.get(TIER),
        grade=row.get(GRADE),
        qualified=row.get(QUALIFIED),
        blocked_by=blocked,
        next_steps=_next_steps(model, row, blocked, room),
        room=room,
    )


def _rule_line(rule: Rule, row: dict[str, Any]) -> RuleLine:
    raw, points = row[raw_column(rule)], row[points_column(rule)]
    note = None
    if raw != points:
        bound = "max_points" if rule.max_points is not None and raw > points else "min_points"
        note = f"{raw:g} cut to {points:g} by {bound}"
    detail = None
    if rule.event is not None:
        last = row[event_column(rule, EVENT_LAST)]
        detail = EventDetail(
            matching=int(row[event_column(rule, EVENT_COUNT)] or 0),
            weight=float(row[event_column(rule, EVENT_WEIGHT)] or 0.0),
            last=last.isoformat() if last is not None else None,
            needed=_needed(rule.event.min_events, rule.event.max_events),
        )
    return RuleLine(
        position=rule.position,
        name=rule.name,
        dimension=rule.dimension,
        values={c: _plain(row[c]) for c in rule.columns},
        fired=bool(row[fired_column(rule)]),
        raw_points=raw,
        points=points,
        cap_note=note,
        disqualify=rule.disqualify,
        events=detail,
    )


def _needed(least: int, most: int | None) -> str | None:
    """The count an event rule asks for, in words; None for the usual "any event".

    >>> _needed(1, None), _needed(3, None), _needed(3, 4), _needed(0, 0), _needed(2, 2)
    (None, '3 or more', '3 to 4', 'none', '2')
    """
    if most is None:
        return None if least == 1 else f"{least} or more"
    if least == most:
        return "none" if most == 0 else str(most)
    return f"{least} to {most}"


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _dimension_line(model: Model, name: str, row: dict[str, Any]) -> DimensionLine:
    dim = next(d for d in model.dimensions if d.name == name)
    subtotal, final = row[dimension_raw_column(name)], row[dimension_column(name)]
    note = None
    if subtotal != final:
        note = f"{subtotal:g} {'capped at' if subtotal > final else 'floored at'} {final:g}"
    return DimensionLine(name, subtotal, final, dim.min, dim.max, note)


def _room(model: Model, rules: Sequence[RuleLine], dims: Sequence[DimensionLine]) -> tuple[Room, ...]:
    """What engagement rules could still add: a lead can act, not change who it is."""
    engagement = model.grades.engagement_dimension if model.grades is not None else "engagement"
    movable = [r for r in model.rules if r.dimension == engagement] or list(model.rules)
    dim_room = {d.name: (d.max - d.score if d.max is not None else float("inf")) for d in dims}
    lines = {r.position: r for r in rules}
    out = []
    for rule in movable:
        line = lines[rule.position]
        if rule.points_per_unit is not None:
            if rule.points_per_unit <= 0 or rule.max_points is None:
                continue
            left = rule.max_points - line.points
        else:
            if line.fired or (rule.points or 0) <= 0:
                continue
            left = float(rule.points or 0) - _given_up(rule, model, lines)
        left = min(left, dim_room[rule.dimension])
        if left > 0:
            out.append(Room(rule.name, left))
    return tuple(sorted(out, key=lambda r: -r.points))


def _given_up(rule: Rule, model: Model, lines: dict[int, RuleLine]) -> float:
    """The points of the rules that fired for a lead and cannot fire with ``rule``: another bin of
    the same column, which the lead leaves to reach ``rule``'s (see :mod:`leadscore.overlap`)."""
    wanted = overlap.span(rule.when)
    return sum(
        lines[other.position].points
        for other in model.rules
        if lines[other.position].fired and overlap.exclusive(wanted, overlap.span(other.when))
    )


def _next_steps(
    model: Model, row: dict[str, Any], blocked: tuple[str, ...], room: tuple[Room, ...]
) -> tuple[str, ...]:
    score = row[SCORE]
    steps = []
    gap_for_help = None
    if model.tiers:
        labels = [b.label for b in model.tiers]
        current = labels.index(row[TIER])
        if current == 0:
            steps.append(f"already in the top tier ({labels[0]})")
        else:
            nxt = model.tiers[current - 1]
            gap = nxt.threshold - score
            steps.append(f"needs {gap:g} more points for {nxt.label}")
            gap_for_help = gap
    if model.has_qualify:
        if blocked:
            steps.append(f"cannot qualify: disqualified by {', '.join(repr(b) for b in blocked)}")
        elif model.min_score is not None and score < model.min_score:
            gap = model.min_score - score
            steps.append(f"qualifies at {model.min_score:g}: {gap:g} points short")
            gap_for_help = gap if gap_for_help is None else min(gap, gap_for_help)
        elif row.get(QUALIFIED):
            steps.append(f"qualified (score {score:g} reaches {model.min_score or 0:g})")
    if gap_for_help is not None and room:
        closers = [r for r in room if r.points >= gap_for_help]
        if closers:
            steps.append(f"'{closers[0].rule}' (up to +{closers[0].points:g}) would close the gap")
        else:
            names = ", ".join(f"'{r.rule}' (+{r.points:g})" for r in room[:3])
            steps.append(f"room left in engagement: {names}")
    return tuple(steps)
