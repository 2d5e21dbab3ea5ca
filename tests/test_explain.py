"""explain: equal to score for every lead, on random models; readable next steps; ids as text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadscore import InputError, default_model, parse_model, parse_model_text, score
from leadscore.explain import explain
from tests.test_properties import SCHEMA, leads, models

AS_OF = dt.date(2026, 11, 1)


@settings(max_examples=60, deadline=None)
@given(spec=models(), rows=leads())
def test_explain_equals_score_for_every_lead(spec: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    model = parse_model(spec)
    frame = pl.DataFrame(rows, schema=SCHEMA)
    try:
        scored = score(frame, model, as_of=AS_OF).frame
    except InputError:
        return  # a column none of whose values can be read: covered by test_properties
    if scored.is_empty():
        return
    ids = scored["lead_id"].to_list()
    explained = {e.lead_id: e for e in explain(frame, model, ids, as_of=AS_OF)}
    for row in scored.to_dicts():
        e = explained[row["lead_id"]]
        assert e.score == row["score"]
        for d in e.dimensions:
            assert d.score == row[f"{d.name}_score"]
        assert e.tier == row.get("tier")
        assert e.grade == row.get("grade")
        assert e.qualified == row.get("qualified")
        assert sum(r.points for r in e.rules) == pytest.approx(sum(d.subtotal for d in e.dimensions))
        given = sorted((r for r in e.rules if r.points), key=lambda r: -abs(r.points))
        assert row["reasons"].split("; ")[0].startswith(given[0].name) if given else row["reasons"] == ""


MODEL = parse_model_text(
    """
[model]
name = "t"
id = "id"
[dimensions]
fit = {}
engagement = { max = 30 }
[tiers]
hot = 40
warm = 20
cold = 0
[qualify]
min_score = 25
[[rules]]
name = "Title"
dimension = "fit"
column = "title"
equals = "ceo"
points = 10
[[rules]]
name = "Visits"
dimension = "engagement"
column = "visits"
points_per_unit = 4
max_points = 20
[[rules]]
name = "Demo"
dimension = "engagement"
column = "demo"
equals = true
points = 15
[[rules]]
name = "Student"
dimension = "fit"
column = "title"
equals = "student"
points = -5
disqualify = true
"""
)
FRAME = pl.DataFrame(
    {
        "id": [" A1 ", "B2", "C3", "B2"],
        "title": ["CEO", "Student", "intern", "CEO"],
        "visits": ["10", "1", "2", "0"],
        "demo": ["no", "yes", "no", "no"],
    }
)


def one(lead: str) -> Any:
    [e] = explain(FRAME, MODEL, [lead], as_of=AS_OF)[:1]
    return e


def test_caps_and_dimension_clamps_are_shown() -> None:
    e = one("A1")
    visits = next(r for r in e.rules if r.name == "Visits")
    assert (visits.raw_points, visits.points) == (40, 20)
    assert visits.cap_note == "40 cut to 20 by max_points"
    assert visits.values == {"visits": "10"}
    assert e.score == 30
    assert e.tier == "warm"
    assert e.next_steps[0] == "needs 10 more points for hot"


def test_ids_match_as_text_with_spaces_ignored() -> None:
    assert one(" A1").lead_id == "A1"


def test_disqualified_lead_says_which_rule_blocked_it() -> None:
    first, second = explain(FRAME, MODEL, ["B2"], as_of=AS_OF)
    assert (first.occurrence, first.occurrences, second.occurrence) == (1, 2, 2)
    assert first.blocked_by == ("Student",)
    assert "cannot qualify: disqualified by 'Student'" in first.next_steps
    assert first.qualified is False


def test_gap_to_qualify_names_a_rule_with_room() -> None:
    e = one("C3")  # intern: 8 points from visits
    assert e.score == 8
    assert e.next_steps[0] == "needs 12 more points for warm"
    assert "qualifies at 25: 17 points short" in e.next_steps
    assert "'Demo' (up to +15) would close the gap" in e.next_steps  # the smaller gap, 12 for warm
    assert {r.rule for r in e.room} == {"Visits", "Demo"}
    assert next(r.points for r in e.room if r.rule == "Visits") == 12


def test_unknown_id_names_the_closest_ones() -> None:
    with pytest.raises(InputError, match=r"lead 'A2' is not in the leads file \(did you mean .*A1.*\?\)"):
        explain(FRAME, MODEL, ["A2"], as_of=AS_OF)


def test_an_id_given_as_its_number_suggests_the_ids_with_that_number_first() -> None:
    frame = pl.DataFrame(
        {"id": ["L0041", "L0042", "L0420", "L0424"], "title": "x", "visits": "1", "demo": "no"}
    )
    with pytest.raises(InputError) as caught:
        explain(frame, MODEL, ["42"], as_of=AS_OF)
    assert str(caught.value) == "lead '42' is not in the leads file (did you mean L0042?)"
    with pytest.raises(InputError, match=r"lead 'l42' is not in the leads file \(did you mean L0042, L0"):
        explain(frame, MODEL, ["l42"], as_of=AS_OF)  # then the closest spellings


@settings(max_examples=50, deadline=None)
@given(
    prefix=st.text(alphabet="ABLX-_#", max_size=4),
    number=st.integers(0, 10**6),
    width=st.integers(0, 8),
    others=st.lists(st.integers(0, 10**6), max_size=20),
)
def test_the_number_of_an_id_finds_it(prefix: str, number: int, width: int, others: list[int]) -> None:
    """Asked for an id by its number (without prefix or leading zeros), or by its prefix in another
    case and its number, explain suggests it first (on a tie, the ids with that number in order)."""
    target = f"{prefix}{number:0{width}d}"
    ids = [target, *(f"{prefix}{n:0{width}d}" for n in others if n != number)]
    frame = pl.DataFrame({"id": ids, "title": "x", "visits": "1", "demo": "no"})
    for asked in {str(number), f"{prefix.lower()}{number}"} - {target}:
        with pytest.raises(InputError, match=rf"\(did you mean {re.escape(target)}[,?]"):
            explain(frame, MODEL, [asked], as_of=AS_OF)


def test_top_tier_lead() -> None:
    frame = pl.DataFrame({"id": ["x"], "title": ["ceo"], "visits": ["9"], "demo": ["yes"]})
    [e] = explain(frame, MODEL, ["x"], as_of=AS_OF)
    assert e.next_steps[0] == "already in the top tier (hot)"
    assert e.dimensions[1].clamp_note == "35 capped at 30"


def test_to_dict_is_plain_json_data() -> None:
    import json

    leads = pl.DataFrame({"lead_id": ["a"], **{c: [None] for c in default_model().lead_columns[1:]}})
    [e] = explain(leads, default_model(), ["a"], as_of=AS_OF)
    json.dumps(e.to_dict())


def test_a_lead_below_the_lowest_threshold_is_in_the_lowest_tier_and_aims_for_the_next() -> None:
    frame = pl.DataFrame({"id": ["s"], "title": ["student"], "visits": ["0"], "demo": ["no"]})
    [e] = explain(frame, MODEL, ["s"], as_of=AS_OF)
    assert (e.score, e.tier) == (-5, "cold")
    assert e.next_steps[0] == "needs 25 more points for warm"
