"""The points model as plain frozen dataclasses. Nothing here knows about Polars or TOML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeAlias

# Operator name -> what its operand must be. The compiler has one function per name.
TEXT_OPERATORS = ("equals", "not_equals", "in", "not_in", "contains", "matches")
NUMBER_OPERATORS = ("gt", "gte", "lt", "lte", "between")
DATE_OPERATORS = ("within_days", "older_than_days")
OPERATORS = (*TEXT_OPERATORS, *NUMBER_OPERATORS, "missing", *DATE_OPERATORS)

# "#N/A" is what Excel shows for a failed lookup: the value is not there
DEFAULT_NULL_VALUES = ("", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "None", "-", "Select", "--")

Scalar: TypeAlias = str | int | float | bool | dt.date | dt.datetime


@dataclass(frozen=True)
class Condition:
    """One test on one column, e.g. ``job_title matches '(?i)chief'``."""

    column: str
    op: str
    value: Any

    def describe(self) -> str:
        return f"{self.column} {self.op} {self.value!r}"


@dataclass(frozen=True)
class AllOf:
    """True when every part is true (``all = [...]``)."""

    parts: tuple[Predicate, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when at least one part is true (``any = [...]``)."""

    parts: tuple[Predicate, ...]


Predicate: TypeAlias = Condition | AllOf | AnyOf


@dataclass(frozen=True)
class EventMatch:
    """What an event rule counts in the activity log."""

    types: tuple[str, ...]
    within_days: float | None = None
    half_life_days: float | None = None
    where: Predicate | None = None
    min_events: int = 1  # the rule fires when this many events match, or more,
    max_events: int | None = None  # and at most this many (None: no limit)


@dataclass(frozen=True)
class Rule:
    """One line of the points model.

    A rule gives ``points`` once when its condition holds, or ``points_per_unit`` times the value
    of ``column`` (times the decayed event count for an event rule), then ``min_points`` and
    ``max_points`` bound what it gives.
    """

    name: str
    position: int
    dimension: str
    when: Predicate | None = None
    points: float | None = None
    points_per_unit: float | None = None
    unit_column: str | None = None
    max_points: float | None = None
    min_points: float | None = None
    disqualify: bool = False
    event: EventMatch | None = None
    description: str | None = None

    @property
    def label(self) -> str:
        return f"rule '{self.name}' (#{self.position})"

    @property
    def is_per_unit(self) -> bool:
        return self.points_per_unit is not None

    @property
    def columns(self) -> tuple[str, ...]:
        """Lead columns this rule reads, in the order they first appear."""
        if self.event is not None:
            return ()
        seen: dict[str, None] = {}
        if self.unit_column:
            seen[self.unit_column] = None
        for c in predicate_columns(self.when):
            seen[c] = None
        return tuple(seen)


@dataclass(frozen=True)
class Dimension:
    name: str
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Band:
    """A labelled threshold: a score at or above ``threshold`` earns ``label``."""

    label: str
    threshold: float


@dataclass(frozen=True)
class Grades:
    """Fit letter x engagement digit. Bands sorted from the highest threshold down."""

    fit: tuple[Band, ...]
    engagement: tuple[Band, ...]
    fit_fallback: str
    engagement_fallback: str
    fit_dimension: str = "fit"
    engagement_dimension: str = "engagement"


@dataclass(frozen=True)
class EventsConfig:
    id: str = "lead_id"
    type: str = "event"
    time: str = "timestamp"


@dataclass(frozen=True)
class Model:
    name: str
    id_column: str
    rules: tuple[Rule, ...]
    dimensions: tuple[Dimension, ...]
    tiers: tuple[Band, ...] = ()
    min_score: float | None = None
    grades: Grades | None = None
    null_values: tuple[str, ...] = DEFAULT_NULL_VALUES
    events: EventsConfig = field(default_factory=EventsConfig)
    description: str | None = None
    source: str = "model"

    @property
    def dimension_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.dimensions)

    @property
    def has_qualify(self) -> bool:
        return self.min_score is not None or any(r.disqualify for r in self.rules)

    @property
    def integral(self) -> bool:
        """True when every number in the model is whole, so every score is a whole number."""
        numbers: list[float | None] = [self.min_score]
        for r in self.rules:
            numbers += [r.points, r.points_per_unit, r.max_points, r.min_points]
            if r.event is not None and r.event.half_life_days is not None:
                return False
        for d in self.dimensions:
            numbers += [d.min, d.max]
        return all(float(n).is_integer() for n in numbers if n is not None)

    @property
    def lead_columns(self) -> tuple[str, ...]:
        """Every lead column the model reads, the id first."""
        seen: dict[str, None] = {self.id_column: None}
        for r in self.rules:
            for c in r.columns:
                seen[c] = None
        return tuple(seen)

    @property
    def event_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.event is not None)

    def tier_for(self, score: float) -> str | None:
        """The tier a score earns (plain Python; the compiler builds the same as an expression)."""
        if not self.tiers:
            return None
        for band in self.tiers:
            if score >= band.threshold:
                return band.label
        return self.tiers[-1].label


def predicate_columns(pred: Predicate | None) -> tuple[str, ...]:
    """The columns ``pred`` reads, each once, in the order its conditions name them."""
    return tuple(dict.fromkeys(c.column for c in leaf_conditions(pred)))


def leaf_conditions(pred: Predicate | None) -> list[Condition]:
    """The conditions of ``pred``, in order, however deeply ``all``/``any`` nest them."""
    if pred is None:
        return []
    if isinstance(pred, Condition):
        return [pred]
    return [c for part in pred.parts for c in leaf_conditions(part)]
