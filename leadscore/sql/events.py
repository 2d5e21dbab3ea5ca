"""Event rules in SQL: the activity log grouped by lead into per-rule features (events.py in SQL).

The events table is read in its own chain of CTEs (the lead key, the folded event type, the
event time in microseconds since 1970 UTC, its age, and whatever the rules' ``where``
conditions read), then grouped by lead key: for every event rule, the decayed weight and the
number of matching events. The compiler joins that to the leads on the trimmed text of the id.

Time is the engine's: an event's age runs to the end of the as-of day (UTC), in fractional
days; events after that, or with a time that cannot be read, count for nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlglot import exp

from leadscore.coerce import Conventions
from leadscore.model import Model, Rule, predicate_columns
from leadscore.sql import dialects as sq
from leadscore.sql.dialects import Dialect
from leadscore.sql.exprs import col, comment_text, not_null, trim, when
from leadscore.sql.formats import DAY_MICROS
from leadscore.sql.operators import compile_predicate
from leadscore.sql.readings import Kind, Readings

KEY = "__ls_key"
AGE = "__ls_age"


def weight_column(rule: Rule) -> str:
    return f"__ls_ev_weight_{rule.position}"


def count_column(rule: Rule) -> str:
    return f"__ls_ev_count_{rule.position}"


@dataclass(frozen=True)
class EventCtes:
    ctes: list[tuple[str, exp.Select]]  # (name, query), in order; the last is the per-lead features
    features: str  # the name of the per-lead features CTE


def event_columns(model: Model) -> tuple[str, ...]:
    """The columns of the events table the model reads: none without event rules; else the id,
    type and time, then those the rules' ``where`` conditions read."""
    if not model.event_rules:
        return ()
    cfg = model.events
    wheres = [c for r in model.event_rules if r.event is not None for c in predicate_columns(r.event.where)]
    return tuple(dict.fromkeys([cfg.id, cfg.type, cfg.time, *wheres]))


def lead_key(expr: exp.Expr) -> exp.Expr:
    """Ids are matched as text with surrounding spaces ignored (events.lead_key)."""
    return trim(sq.cast_text(expr))


def end_of_day_micros(dialect: Dialect, as_of: exp.Expr, readings: Readings) -> exp.Expr:
    """Microseconds since 1970 UTC at the end of the as-of day."""
    if isinstance(as_of, exp.Cast) and isinstance(as_of.this, exp.Literal):
        import datetime as dt

        day = dt.date.fromisoformat(as_of.this.name)
        return exp.Literal.number(((day - dt.date(1970, 1, 1)).days + 1) * DAY_MICROS)
    return exp.Add(this=readings.day_micros(as_of), expression=exp.Literal.number(DAY_MICROS))


def event_ctes(
    model: Model,
    table: exp.Table,
    dialect: Dialect,
    as_of: exp.Expr,
    kinds: Mapping[str, Kind],
    conventions: Conventions,
) -> EventCtes:
    cfg = model.events
    r = Readings(dialect, kinds, model.null_values, as_of, "__ls_e", conventions)
    key = r.add(KEY, 0, lead_key(col(cfg.id)), "lead id, trimmed text")
    event_type = r.folded(cfg.type)
    micros = r.epoch_micros(cfg.time)
    end = end_of_day_micros(dialect, as_of, r)
    age_days = exp.Div(
        this=exp.cast(exp.Sub(this=end, expression=micros.expr), "double"),
        expression=exp.Literal.number(DAY_MICROS),
    )
    age = r.add(AGE, micros.next, age_days, "days from the event to the end of the as-of day")
    wheres = {}
    for rule in model.event_rules:
        assert rule.event is not None
        if rule.event.where is not None:
            wheres[rule.position] = compile_predicate(rule.event.where, r, f"{rule.label} where")

    ctes: list[tuple[str, exp.Select]] = []
    source: exp.Expr = table
    for i, items in enumerate(r.layers(), start=1):
        name = f"events_read_{i}"
        prev = source if i == 1 else exp.to_table(ctes[-1][0])
        alias = "events" if i == 1 else ctes[-1][0]
        query = exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier(alias)), *items).from_(
            exp.alias_(prev, alias, table=True) if i == 1 else prev
        )
        ctes.append((name, query))

    current = sq.all_of(not_null(micros.expr), exp.GT(this=age.expr, expression=exp.Literal.number(0)))
    aggs: list[exp.Expr] = [exp.alias_(key.expr, exp.to_identifier(KEY, quoted=True))]
    for rule in model.event_rules:
        match = rule.event
        assert match is not None
        types = [sq.string(t) for t in match.types]
        hit = sq.all_of(current.copy(), exp.In(this=event_type.expr, expressions=types))
        if match.within_days is not None:
            hit = sq.all_of(hit, exp.LTE(this=age.expr, expression=sq.number(match.within_days)))
        if rule.position in wheres:
            hit = sq.all_of(hit, wheres[rule.position])
        weight: exp.Expr = sq.double(1)
        if match.half_life_days is not None:
            exponent = exp.Div(this=age.expr, expression=sq.double(match.half_life_days))
            weight = exp.Pow(this=sq.double(0.5), expression=exponent)
        summed = exp.Sum(this=when(hit, weight, sq.double(0)))
        counted = exp.Sum(this=when(hit.copy(), exp.Literal.number(1), exp.Literal.number(0)))
        weight_item = exp.alias_(summed, exp.to_identifier(weight_column(rule), quoted=True))
        weight_item.add_comments([comment_text(f"{rule.label}: decayed count of matching events")])
        aggs += [weight_item, exp.alias_(counted, exp.to_identifier(count_column(rule), quoted=True))]
    last = exp.to_table(ctes[-1][0])
    features = exp.select(*aggs, copy=False).from_(last, copy=False).group_by(key.expr, copy=False)
    ctes.append(("event_features", features))
    return EventCtes(ctes, "event_features")
