"""The most a lead can score, from the model alone: thresholds no lead can reach.

A ``min_score = 500`` typed for ``50`` leaves every lead unqualified, and nothing else says
so. The bound here assumes every rule that can add points fires at once, so it is never
below a real score: a threshold above it is one no lead reaches, whatever the leads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from leadscore.model.types import Band, Model, Rule


def rule_most(rule: Rule) -> float:
    """The most points ``rule`` gives a lead (0 when it only takes points away); may be inf."""
    if rule.points is not None:
        most = rule.points
    elif rule.event is not None and rule.points_per_unit is not None and rule.points_per_unit <= 0:
        most = 0.0  # events only count up: a negative rate only takes points away
    else:
        most = math.inf  # a column's value has no top
    if rule.max_points is not None:
        most = min(most, rule.max_points)
    if rule.min_points is not None:
        most = max(most, rule.min_points)
    return max(most, 0.0)  # a rule that does not fire gives 0


def dimension_most(model: Model, dimension: str) -> float:
    """The most the dimension's rules give together, after the dimension's own cap."""
    most = sum(rule_most(r) for r in model.rules if r.dimension == dimension)
    dim = next(d for d in model.dimensions if d.name == dimension)
    if dim.max is not None:
        most = min(most, dim.max)
    if dim.min is not None:
        most = max(most, dim.min)
    return most


def score_most(model: Model) -> float:
    return sum(dimension_most(model, d) for d in model.dimension_names)


def unreachable_thresholds(model: Model) -> list[str]:
    """A line for each tier, qualify or grade threshold above the most a lead can score."""
    most = score_most(model)
    out = [
        f"tier '{b.label}' needs {b.threshold:g} points, but the rules give a lead at most "
        f"{most:g}; lower it in [tiers] or check the points"
        for b in _above(model.tiers[:-1], most)  # the last tier takes every lead below the others
    ]
    if model.min_score is not None and model.min_score > most:
        out.append(
            f"[qualify] min_score is {model.min_score:g}, but the rules give a lead at most {most:g}, "
            "so no lead qualifies; lower min_score or check the points"
        )
    grades = model.grades
    if grades is not None:
        for what, dimension, bands in (
            ("fit", grades.fit_dimension, grades.fit),
            ("engagement", grades.engagement_dimension, grades.engagement),
        ):
            top = dimension_most(model, dimension)
            out += [
                f"grade {what} '{b.label}' needs {b.threshold:g} points of {dimension}, but its rules "
                f"give at most {top:g}; lower it in [grades] or check the points"
                for b in _above(bands, top)
            ]
    return out


def _above(bands: Iterable[Band], most: float) -> list[Band]:
    return [b for b in bands if b.threshold > most]
