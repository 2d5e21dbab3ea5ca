"""Event rules: behaviour from an activity log (one row per event), with windows and decay.

The whole log becomes per-lead features in one group-by: for every event rule, the number of
matching events, their decayed weight and the most recent one. The engine joins the features
to the leads by id; a rule then gives ``points_per_unit`` times the weight (or ``points`` once
when any event matches).

Time: an event's age is the time from the event to the end of the as-of day, in fractional
days, so today's events count with an age under one day. Timestamps without a zone are UTC.
Events after the end of the as-of day are ignored and counted.

History is scored as each lead stood when its outcome was decided: with ``until`` (a date column
of the leads, e.g. the day the lead became an opportunity), a lead's events count up to the end
of that day and their ages run from it, so neither a window nor the decay sees what happened
after. Leads with no date there use the as-of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from leadscore import coerce
from leadscore.compiler import (
    EVENT_COUNT,
    EVENT_LAST,
    EVENT_WEIGHT,
    Context,
    compile_predicate,
    event_column,
)
from leadscore.errors import UsageError, counted, did_you_mean, for_count, missing_columns_error, quote_list
from leadscore.model import Model, predicate_columns

KEY = "__ls_key"
DAY_MICROS = 86_400_000_000

__all__ = ["EVENT_COUNT", "EVENT_LAST", "EVENT_WEIGHT", "EventLog", "event_column", "event_features"]


@dataclass(frozen=True)
class EventLog:
    """An activity log to score event rules with: a lazy frame and where it came from."""

    frame: pl.LazyFrame
    source: str = "the events file"
    until: str | None = None  # a date column of the leads: count each lead's events up to it
    conventions: coerce.Conventions | None = None  # how its text writes numbers; None: as the leads'


@dataclass(frozen=True)
class EventFeatures:
    per_lead: pl.LazyFrame  # KEY + three columns per event rule
    stats: pl.LazyFrame  # one row: events, future, unreadable_time, unmatched, after_until


def lead_key(column: str) -> pl.Expr:
    """Ids are matched as text with surrounding spaces ignored."""
    return pl.col(column).cast(pl.String).str.strip_chars()


def require_events(model: Model, events: EventLog | None) -> None:
    if model.event_rules and events is None:
        names = quote_list(r.name for r in model.event_rules)
        raise UsageError(f"rules {names} read an activity log; give it with --events activity.csv")


def _check_columns(model: Model, log: EventLog, names: Sequence[str]) -> None:
    cfg = model.events
    problems = []
    for key, column in (("id", cfg.id), ("type", cfg.type), ("time", cfg.time)):
        if column not in names:
            problems.append(
                f"events column '{column}' is not in {log.source}{did_you_mean(column, names)}; "
                f'set [events] {key} = "..." in the model'
            )
    for rule in model.event_rules:
        assert rule.event is not None
        for column in predicate_columns(rule.event.where):
            if column not in names:
                close = did_you_mean(column, names)
                fix = (
                    ""
                    if close
                    else "; add it to the log's export, or point the where at a column the log has"
                )
                problems.append(f"{rule.label} where: column '{column}' is not in {log.source}{close}{fix}")
    if problems:
        raise missing_columns_error(problems, log.source, reader="the event rules read")


def end_of_day(as_of: dt.date) -> dt.datetime:
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def event_features(
    model: Model,
    log: EventLog,
    as_of: dt.date,
    lead_keys: pl.LazyFrame,
    *,
    conventions: coerce.Conventions = coerce.Conventions(),
) -> EventFeatures:
    """Per-lead features for every event rule, and counts of what was left out.

    ``conventions`` are the leads' (for ``log.until``); the log's conditions read its cells with
    ``log.conventions``, or the leads' when it has none.
    """
    schema = log.frame.collect_schema()
    _check_columns(model, log, schema.names())
    cfg = model.events
    ctx = Context(dict(schema), model.null_values, as_of, log.conventions or conventions)
    end = pl.lit(end_of_day(as_of), dtype=pl.Datetime("us", "UTC"))
    ev = log.frame.with_columns(
        lead_key(cfg.id).alias(KEY),
        coerce.folded(pl.col(cfg.type), schema[cfg.type], model.null_values).alias("__ls_type"),
    )
    # the time read step by step, each step a column: the next one reads it twice
    read: pl.Expr | None = None
    for step in coerce.timestamp_steps(pl.col(cfg.time), schema[cfg.time], model.null_values):
        ev = ev.with_columns(step(read).alias("__ls_ts"))
        read = pl.col("__ls_ts")
    ends, until_stats = _lead_ends(model, log, as_of, lead_keys, conventions)
    if ends is not None:
        ev = ev.join(ends, on=KEY, how="left").with_columns(pl.col("__ls_end").fill_null(end))
    else:
        ev = ev.with_columns(end.alias("__ls_end"))
    ev = ev.with_columns(
        ((pl.col("__ls_end") - pl.col("__ls_ts")).dt.total_microseconds() / DAY_MICROS).alias("__ls_age")
    )
    wheres = {}
    for rule in model.event_rules:
        assert rule.event is not None
        if rule.event.where is not None:
            wheres[rule.position] = compile_predicate(rule.event.where, ctx)
    ev = ctx.add_readings(ev)
    future = pl.col("__ls_ts").is_not_null() & (pl.col("__ls_ts") >= end)
    current = pl.col("__ls_ts").is_not_null() & (pl.col("__ls_age") > 0) & ~future

    # Whether each event counts for each rule, as a column: the three aggregates of a rule read
    # it (an expression would be evaluated again in each, group by group).
    hits, aggs = {}, []
    for rule in model.event_rules:
        match = rule.event
        assert match is not None
        hit = current & pl.col("__ls_type").is_in(list(match.types))
        if match.within_days is not None:
            hit = hit & (pl.col("__ls_age") <= match.within_days)
        if rule.position in wheres:
            hit = hit & wheres[rule.position]
        name = f"__ls_hit_{rule.position}"
        hits[name] = hit
        weight = pl.lit(1.0)
        if match.half_life_days is not None:
            weight = pl.lit(0.5).pow(pl.col("__ls_age") / match.half_life_days)
        aggs += [
            pl.when(name).then(weight).otherwise(0.0).sum().alias(event_column(rule, EVENT_WEIGHT)),
            pl.col(name).sum().cast(pl.Int64).alias(event_column(rule, EVENT_COUNT)),
            pl.when(name).then(pl.col("__ls_ts")).max().alias(event_column(rule, EVENT_LAST)),
        ]
    per_lead = ev.with_columns(h.alias(n) for n, h in hits.items()).group_by(KEY).agg(aggs)
    known = lead_keys.select(pl.col(KEY)).unique()
    unmatched = ev.join(known, on=KEY, how="anti").select(pl.len().alias("unmatched"))
    totals = ev.select(
        pl.len().alias("events"),
        future.sum().alias("future"),
        (pl.col("__ls_ts").is_null()).sum().alias("unreadable_time"),
        (~future & (pl.col("__ls_age") <= 0)).sum().alias("after_until"),
    )
    parts = [totals, unmatched] if until_stats is None else [totals, unmatched, until_stats]
    return EventFeatures(per_lead, pl.concat(parts, how="horizontal"))


def _lead_ends(
    model: Model, log: EventLog, as_of: dt.date, lead_keys: pl.LazyFrame, conventions: coerce.Conventions
) -> tuple[pl.LazyFrame | None, pl.LazyFrame | None]:
    """With ``log.until``: each lead's end of counting (KEY, ``__ls_end``), the end of the day in
    that column but never after the as-of day's, and a count of the cells there that are not dates."""
    column = log.until
    if column is None:
        return None, None
    schema = lead_keys.collect_schema()
    if column not in schema.names():
        names = [c for c in schema.names() if c != KEY]
        raise UsageError(
            f"--events-until: no column '{column}' in the leads{did_you_mean(column, names)}; "
            "name the date column each lead's events should count up to"
        )
    ctx = Context(dict(schema), model.null_values, as_of, conventions)
    reader = ctx.reader(column)
    day = reader.date()
    unreadable = reader.text().is_not_null() & day.is_null()  # built before the readings are added
    read = ctx.add_readings(lead_keys.select(KEY, column)).with_columns(
        day.alias("__ls_day"), unreadable.alias("__ls_bad")
    )
    end = pl.lit(end_of_day(as_of), dtype=pl.Datetime("us", "UTC"))
    day_end = pl.col("__ls_day").cast(pl.Datetime("us")).dt.replace_time_zone("UTC") + pl.duration(days=1)
    # a lead id given twice counts its events up to the earlier of its dates
    ends = (
        read.filter(pl.col("__ls_day").is_not_null())
        .group_by(KEY)
        .agg(pl.min_horizontal(day_end, end).min().alias("__ls_end"))
    )
    return ends, read.select(pl.col("__ls_bad").sum().alias("until_unreadable"))


def event_messages(stats: pl.DataFrame, log: EventLog, as_of: dt.date) -> list[str]:
    """Notices about the events that were left out."""
    row = stats.row(0, named=True)
    source, until = log.source, log.until
    out = []
    if row.get("after_until"):
        out.append(
            f"{counted(row['after_until'], 'event')} in {source} came after their lead's '{until}' date "
            f"and {for_count(row['after_until'], 'was', 'were')} left out"
        )
    if bad := row.get("until_unreadable"):
        which = "1 lead has a value" if bad == 1 else f"{bad:,} leads have values"
        out.append(
            f"{which} in '{until}' that {'is' if bad == 1 else 'are'} not a date; their events count up "
            f"to {as_of.isoformat()} (the as-of date)"
        )
    if row["future"]:
        out.append(
            f"{counted(row['future'], 'event')} in {source} {for_count(row['future'], 'is', 'are')} after "
            f"{as_of.isoformat()} (the as-of date) and {for_count(row['future'], 'was', 'were')} ignored"
        )
    if row["unreadable_time"]:
        out.append(
            f"{counted(row['unreadable_time'], 'event')} in {source} "
            f"{for_count(row['unreadable_time'], 'has', 'have')} a time that cannot be read and "
            f"{for_count(row['unreadable_time'], 'was', 'were')} ignored"
        )
    if row["unmatched"]:
        out.append(
            f"{counted(row['unmatched'], 'event')} in {source} {for_count(row['unmatched'], 'belongs', 'belong')} "
            "to no lead in the leads file"
        )
    return out
