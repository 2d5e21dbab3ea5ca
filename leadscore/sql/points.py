"""The points a rule gives, in SQL: compiler.py's raw, capped and rounded points.

A rule's points are its value when it fired (``points``, or ``points_per_unit`` times the units),
bounded by ``min_points``/``max_points``, rounded half away from zero to whole numbers when every
number in the model is whole, else to two decimals; 0 when it did not fire.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from sqlglot import exp

from leadscore.model import Rule
from leadscore.sql import dialects as sq
from leadscore.sql.events import weight_column
from leadscore.sql.exprs import col, round_half_away, when
from leadscore.sql.names import fired_column, raw_value_column, value_column


def has_caps(rule: Rule) -> bool:
    return rule.min_points is not None or rule.max_points is not None


def clip(value: exp.Expr, rule: Rule) -> exp.Expr:
    if rule.min_points is not None:
        value = sq.call("GREATEST", value, sq.number(rule.min_points))
    if rule.max_points is not None:
        value = sq.call("LEAST", value, sq.number(rule.max_points))
    return value


def rule_value(rule: Rule, units: Mapping[int, exp.Expr], capped: bool = True) -> exp.Expr:
    """A per-unit rule's value when it fired (units times points, bounded by its caps), else 0."""
    assert rule.points_per_unit is not None
    if rule.event is not None:
        amount: exp.Expr = exp.Coalesce(this=col(weight_column(rule)), expressions=[sq.double(0)])
    else:
        amount = exp.Coalesce(this=units[rule.position].copy(), expressions=[sq.double(0)])
    value: exp.Expr = exp.Mul(this=amount, expression=sq.double(rule.points_per_unit))
    return when(col(fired_column(rule)), clip(value, rule) if capped else value, sq.double(0))


def rule_points(rule: Rule, integral: bool, capped: bool = True) -> exp.Expr:
    """The points a rule gives, rounded half away from zero (whole numbers, or two decimals)."""
    decimals = 0 if integral else 2
    if rule.points_per_unit is not None:
        return round_half_away(col(value_column(rule) if capped else raw_value_column(rule)), decimals)
    # a fixed number of points: bounded and rounded here, exactly as the engine does it in Float64
    points = float(rule.points or 0.0)
    if capped:
        points = max(points, rule.min_points) if rule.min_points is not None else points
        points = min(points, rule.max_points) if rule.max_points is not None else points
    return when(col(fired_column(rule)), sq.double(round_like_engine(points, decimals)), sq.double(0))


def round_like_engine(x: float, decimals: int) -> float:
    """Polars' round(decimals, "half_away_from_zero") of a Float64: (x * 10^d).round() / 10^d."""
    scale = 10**decimals
    w = x * scale if decimals else x
    whole = math.floor(abs(w))
    rounded = math.copysign(whole + (1 if abs(w) - whole >= 0.5 else 0), w)
    return rounded / scale if decimals else rounded
