"""Turn a validated :class:`~leadscore.model.Model` into Polars expressions.

Each rule becomes three expressions over whole columns: whether it fired, the points before its
cap, and the points it gives. The engine puts them in one lazy query. Nothing is evaluated here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from leadscore.coerce import Conventions
from leadscore.model import AllOf, AnyOf, Condition, Model, Predicate, Rule
from leadscore.operators import ColumnReader, compile_condition

# Internal column names carry this prefix; they never reach an output file.
PREFIX = "__ls_"


def fired_column(rule: Rule) -> str:
    return f"{PREFIX}fired_{rule.position}"


def raw_column(rule: Rule) -> str:
    return f"{PREFIX}raw_{rule.position}"


def points_column(rule: Rule) -> str:
    return f"{PREFIX}points_{rule.position}"


EVENT_WEIGHT = "weight"  # the decayed count of matching events: what points_per_unit multiplies
EVENT_COUNT = "count"  # how many events matched
EVENT_LAST = "last"  # the most recent matching event


def event_column(rule: Rule, kind: str) -> str:
    """Per-lead event features, joined in from the activity log (see leadscore.events)."""
    return f"{PREFIX}ev_{kind}_{rule.position}"


def dimension_raw_column(name: str) -> str:
    return f"{PREFIX}dim_raw_{name}"


class Context:
    """Everything compiling needs besides the model: the input's schema, the as-of date and how
    the input writes dates and numbers (:class:`~leadscore.coerce.Conventions`).

    It also caches readings: each column is read as text, a number, a date or yes/no once,
    into an internal column that every rule using it shares (a column read by five rules is
    parsed once). :meth:`cached` registers a reading and returns a reference to its column;
    :meth:`add_readings` adds the registered readings to a frame, layer by layer (text first, then
    what is parsed from the text). A reading used by several expressions of a later layer is
    computed once because it is a column: Polars would compute an inlined expression again in
    every place it appears.
    """

    def __init__(
        self,
        schema: Mapping[str, pl.DataType],
        null_values: tuple[str, ...],
        as_of: dt.date,
        conventions: Conventions = Conventions(),
    ) -> None:
        self.schema = dict(schema)
        self.null_values = null_values
        self.as_of = as_of
        self.conventions = conventions
        self._layers: list[dict[str, pl.Expr]] = []
        self._names: dict[tuple[str, str], str] = {}

    def reader(self, column: str) -> ColumnReader:
        return ColumnReader(column, self)

    def cached(self, column: str, kind: str, layer: int, build: Callable[[], pl.Expr]) -> pl.Expr:
        """A reference to the cached reading (column, kind), building it on first use."""
        key = (column, kind)
        if key not in self._names:
            expr = build()  # may register the readings it is built from, in lower layers
            name = f"{PREFIX}read_{len(self._names)}_{kind}"
            while len(self._layers) <= layer:
                self._layers.append({})
            self._layers[layer][name] = expr
            self._names[key] = name
        return pl.col(self._names[key])

    def reading_name(self, column: str, kind: str) -> str | None:
        return self._names.get((column, kind))

    def add_readings(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        for layer in self._layers:
            if layer:
                frame = frame.with_columns(expr.alias(name) for name, expr in layer.items())
        return frame


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    fired: pl.Expr
    raw: pl.Expr
    points: pl.Expr


def compile_predicate(pred: Predicate, ctx: Context) -> pl.Expr:
    if isinstance(pred, Condition):
        return compile_condition(pred, ctx.reader(pred.column))
    parts = [compile_predicate(p, ctx) for p in pred.parts]
    if isinstance(pred, AllOf):
        return pl.all_horizontal(parts)
    assert isinstance(pred, AnyOf)
    return pl.any_horizontal(parts)


def round_points(expr: pl.Expr, integral: bool) -> pl.Expr:
    """Whole points when every number in the model is whole, else two decimals."""
    return expr.round(0 if integral else 2, mode="half_away_from_zero")


def fixed_points(rules: Sequence[Rule], integral: bool) -> dict[int, tuple[float, float]]:
    """What each rule without points_per_unit gives when it fires: (before its cap, after it).

    Such a rule gives the same points every time, so the query uses these constants instead of
    rounding and capping the same number on every row. They are computed by the expressions
    :func:`compile_rule` would otherwise run per row, on a one-row frame: the same numbers.
    """
    fixed = [r for r in rules if r.event is None and r.unit_column is None and r.points is not None]
    if not fixed:
        return {}
    exprs = []
    for r in fixed:
        raw = pl.lit(r.points, dtype=pl.Float64)
        capped = (
            raw.clip(r.min_points, r.max_points)
            if r.min_points is not None or r.max_points is not None
            else raw
        )
        exprs += [
            round_points(raw, integral).alias(f"raw_{r.position}"),
            round_points(capped, integral).alias(f"points_{r.position}"),
        ]
    row = pl.select(exprs).row(0, named=True)
    return {r.position: (float(row[f"raw_{r.position}"]), float(row[f"points_{r.position}"])) for r in fixed}


def compile_rule(
    rule: Rule, ctx: Context, integral: bool, fixed: tuple[float, float] | None = None
) -> CompiledRule:
    """The rule's expressions; ``fixed`` is its entry of :func:`fixed_points`, when it has one."""
    gate = compile_predicate(rule.when, ctx) if rule.when is not None else pl.lit(True)
    if rule.event is not None:
        units = pl.col(event_column(rule, EVENT_WEIGHT)).fill_null(0.0)
        count = pl.col(event_column(rule, EVENT_COUNT)).fill_null(0)
        match = rule.event
        in_range = count >= match.min_events
        if match.max_events is not None:
            in_range = in_range & (count <= match.max_events)
        fired = gate & in_range
    elif rule.unit_column is not None:
        units = ctx.reader(rule.unit_column).number().fill_null(0.0)
        fired = gate & (units != 0)
    else:
        units = pl.lit(1.0)
        fired = gate
    if fixed is not None:
        raw_points, points = fixed
        raw = pl.when(fired).then(pl.lit(raw_points)).otherwise(0.0)
        return CompiledRule(rule, fired, raw, pl.when(fired).then(pl.lit(points)).otherwise(0.0))
    if rule.points_per_unit is not None:
        raw = pl.when(fired).then(units * rule.points_per_unit).otherwise(0.0)
    else:
        raw = pl.when(fired).then(pl.lit(rule.points, dtype=pl.Float64)).otherwise(0.0)
    capped = raw
    if rule.min_points is not None or rule.max_points is not None:
        # a cap bounds what a rule gives when it fires; a rule that did not fire gives 0
        capped = pl.when(fired).then(raw.clip(rule.min_points, rule.max_points)).otherwise(0.0)
    return CompiledRule(rule, fired, round_points(raw, integral), round_points(capped, integral))


def compile_model(model: Model, ctx: Context) -> list[CompiledRule]:
    integral = model.integral
    fixed = fixed_points(model.rules, integral)
    return [compile_rule(rule, ctx, integral, fixed.get(rule.position)) for rule in model.rules]
