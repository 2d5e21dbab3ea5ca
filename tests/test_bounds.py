"""The most a lead can score, and the thresholds ``check`` says no lead reaches."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from typer.testing import CliRunner

from leadscore import parse_model
from leadscore.cli import app
from leadscore.model.bounds import dimension_most, score_most, unreachable_thresholds
from tests import reference
from tests.test_properties import AS_OF, leads, models


@settings(max_examples=200, deadline=None)
@given(spec=models(), rows=leads())
def test_no_lead_scores_above_the_bound(spec: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    model = parse_model(spec)
    for lead in reference.score_rows(model, rows, AS_OF):
        assert lead["score"] <= score_most(model)
        for dim in model.dimension_names:
            assert lead[f"{dim}_score"] <= dimension_most(model, dim)


def _rule(name: str, dimension: str, points: float, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "dimension": dimension,
        "column": "title",
        "contains": "o",
        "points": points,
        **extra,
    }


def test_the_bound_is_what_a_lead_firing_every_rule_scores() -> None:
    spec: dict[str, Any] = {
        "model": {"name": "m", "id": "lead_id"},
        "dimensions": {"fit": {"max": 35}, "engagement": {}},
        "rules": [
            _rule("a", "fit", 30),
            _rule("b", "fit", 20, max_points=10),
            _rule("c", "engagement", 15),
            _rule("d", "engagement", -25),
            {
                "name": "e",
                "dimension": "engagement",
                "column": "visits",
                "points_per_unit": 3,
                "max_points": 12,
            },
        ],
    }
    model = parse_model(spec)
    [lead] = reference.score_rows(model, [{"lead_id": "L1", "title": "CEO", "visits": 9}], AS_OF)
    # fit: 30 + 10 capped at 35; engagement: 15 + 12, the -25 left out of the most
    assert (dimension_most(model, "fit"), dimension_most(model, "engagement")) == (35, 27)
    assert lead["score"] == score_most(model) - 25


def test_a_value_counted_without_a_cap_has_no_top() -> None:
    rules = [{"name": "v", "dimension": "engagement", "column": "visits", "points_per_unit": 3}]
    model = parse_model(
        {"model": {"name": "m", "id": "lead_id"}, "rules": rules, "tiers": {"hot": 9999, "cold": 0}}
    )
    assert math.isinf(score_most(model))
    assert unreachable_thresholds(model) == []


def test_check_names_each_threshold_no_lead_reaches(tmp_path: Any) -> None:
    model = tmp_path / "m.toml"
    model.write_text(
        '[model]\nname = "m"\nid = "lead_id"\n'
        "[tiers]\nhot = 500\nwarm = 40\ncold = 0\n[qualify]\nmin_score = 300\n"
        "[grades]\nfit = { A = 40, B = 25 }\nengagement = { 1 = 10, 2 = 5 }\n"
        '[[rules]]\nname = "vp"\ndimension = "fit"\ncolumn = "job_title"\ncontains = "VP"\npoints = 30\n'
        '[[rules]]\nname = "visits"\ndimension = "engagement"\ncolumn = "visits"\npoints_per_unit = 3\n'
        "max_points = 15\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["check", str(model)])
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: tier 'hot' needs 500 points, but the rules give a lead at most 45; "
        "lower it in [tiers] or check the points",
        "warning: [qualify] min_score is 300, but the rules give a lead at most 45, so no lead qualifies; "
        "lower min_score or check the points",
        "warning: grade fit 'A' needs 40 points of fit, but its rules give at most 30; "
        "lower it in [grades] or check the points",
    ]
