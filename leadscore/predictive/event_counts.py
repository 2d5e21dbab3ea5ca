"""Behaviour from an activity log, as columns ``fit`` can learn from.

For each common event type, every lead gets the number of its events of that type in the
90 days before its own last day (``--events-until``) or the as-of date. Those counts are
computed by the scoring engine's own event features, so the count a learnt rule reads when the
model scores is the count the regression saw. fit cuts each count into ranges like any number
column; a range with points becomes an event rule with ``min_events`` / ``max_events``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl

from leadscore import coerce
from leadscore.coerce import Conventions
from leadscore.compiler import EVENT_COUNT, event_column
from leadscore.errors import InputError, UsageError, quote_list
from leadscore.events import KEY, EventLog, event_features, event_messages, lead_key
from leadscore.model import DEFAULT_NULL_VALUES, AllOf, Condition, EventsConfig, Predicate, parse_model
from leadscore.predictive.writer import EventCount, LearntRule

WINDOW_DAYS = 90
MAX_TYPES = 12  # the event types with the most leads; rarer ones are left out
MIN_LEADS = 20  # an event type must have this many leads with an event to be learnt from
TYPE_NAMES = ("event", "event_type", "type", "activity", "activity_type")
TIME_NAMES = ("timestamp", "time", "occurred_at", "event_time", "date")


@dataclass(frozen=True)
class EventCounts:
    """The history with a count column per event type, and what each column counts."""

    frame: pl.DataFrame
    types: dict[str, str]  # count column -> event type
    config: EventsConfig
    notices: tuple[str, ...]
    rare: tuple[str, ...]  # event types left out for having too few leads


def _pick(names: Sequence[str], wanted: Sequence[str], what: str, source: str) -> str:
    lowered = {n.lower(): n for n in names}
    for w in wanted:
        if w in lowered:
            return lowered[w]
    raise InputError(
        f"{source} has no column for the {what} (looked for {quote_list(wanted)}; it has "
        f"{quote_list(names)}); rename that column to {wanted[0]}"
    )


def _config(log: EventLog, id_column: str | None) -> EventsConfig:
    names = log.frame.collect_schema().names()
    if id_column is None:
        raise UsageError(
            "fit --events matches events to leads by id, and the history has no id column "
            "(lead_id, id, or one ending in _id); add one"
        )
    ids = (id_column, "lead_id", "contact_id", "id")
    return EventsConfig(
        id=_pick(names, ids, "lead id", log.source),
        type=_pick(names, TYPE_NAMES, "event type", log.source),
        time=_pick(names, TIME_NAMES, "event time", log.source),
    )


def add_event_counts(
    known: pl.DataFrame,
    id_column: str | None,
    log: EventLog,
    *,
    as_of: dt.date,
    conventions: Conventions = Conventions(),
) -> EventCounts:
    """``known`` with one column per common event type: each lead's events of it in the window."""
    cfg = _config(log, id_column)
    assert id_column is not None
    schema = log.frame.collect_schema()
    keyed = known.with_columns(lead_key(id_column).alias(KEY))
    per_type = (
        log.frame.select(
            lead_key(cfg.id).alias(KEY),
            # as the event features read it: the placeholders of the counting model are none
            coerce.folded(pl.col(cfg.type), schema[cfg.type], DEFAULT_NULL_VALUES).alias("type"),
        )
        .drop_nulls()
        .unique()
        .join(keyed.lazy().select(KEY).unique(), on=KEY, how="semi")
        .group_by("type")
        .agg(pl.len().alias("leads"))
        .sort(["leads", "type"], descending=[True, False])
        .collect()
    )
    common = per_type.filter(pl.col("leads") >= MIN_LEADS).head(MAX_TYPES)
    types = common.get_column("type").to_list()
    rare = tuple(t for t in per_type.get_column("type").to_list() if t not in types)
    if not types:
        raise InputError(
            f"no event type in {log.source} has events for {MIN_LEADS} or more leads of the history; "
            "check that its ids match the history's"
        )
    model = parse_model(
        {
            "model": {"name": "event counts", "id": id_column},
            "events": {"id": cfg.id, "type": cfg.type, "time": cfg.time},
            "rules": [
                {
                    "name": t,
                    "dimension": "engagement",
                    "event": t,
                    "points_per_unit": 1,
                    "within_days": WINDOW_DAYS,
                }
                for t in types
            ],
        }
    )
    features = event_features(model, log, as_of, keyed.lazy(), conventions=conventions)
    names: dict[str, str] = {}  # the engine's count column -> the history's
    for rule in model.rules:
        name = f"{rule.name} events ({WINDOW_DAYS} days)"
        while name in known.columns or name in names.values():
            name += "'"
        names[event_column(rule, EVENT_COUNT)] = name
    per_lead, stats = pl.collect_all(
        [features.per_lead.select(KEY, *[pl.col(c).alias(n) for c, n in names.items()]), features.stats]
    )
    frame = (
        keyed.join(per_lead, on=KEY, how="left", maintain_order="left")
        .drop(KEY)
        .with_columns(pl.col(n).fill_null(0) for n in names.values())
    )
    # the history's leads without an outcome have events too: not "events of no lead"
    notices = event_messages(stats.with_columns(unmatched=pl.lit(0)), log, as_of)
    by_column = dict(zip(names.values(), types, strict=True))
    return EventCounts(frame, by_column, cfg, tuple(notices), rare)


def as_event_rule(rule: LearntRule, counts: EventCounts) -> LearntRule:
    """A learnt rule on a count column, as the event rule that counts the same events."""
    low, high = _bounds(rule.condition, rule.column)
    return replace(rule, event=EventCount(counts.types[rule.column], WINDOW_DAYS, low, high))


def _bounds(pred: Predicate, column: str) -> tuple[int, int | None]:
    """``gte a`` / ``lt b`` on a whole count -> at least a, at most b - 1."""
    parts = pred.parts if isinstance(pred, AllOf) else (pred,)
    low, high = 0, None
    for part in parts:
        assert isinstance(part, Condition), part
        assert part.column == column, part
        if part.op == "gte":
            low = int(part.value)
        elif part.op == "lt":
            high = int(part.value) - 1
        else:
            raise AssertionError(part)
    return low, high
