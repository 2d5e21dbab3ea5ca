"""Routing: fair, deterministic, stable owners; capacity with overflow; existing owners kept."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadscore import InputError, ModelError
from leadscore.plan import parse_plan
from leadscore.routing import Routing, fnv1a_state, parse_routing, route, stable_hash

AS_OF = dt.date(2026, 11, 1)
MASK = (1 << 64) - 1


def reference_hash(text: str) -> int:
    """FNV-1a 64 over UTF-8 bytes, then MurmurHash3's fmix64, in plain Python."""
    h = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & MASK
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK
    return h ^ (h >> 33)


# ids are matched with surrounding spaces stripped; keep the generated ones free of them
ID_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"))


def reference_owner(lead_id: str, reps: list[str]) -> str:
    return max(reps, key=lambda rep: reference_hash(f"{lead_id}\x1f{rep}"))


def routing(spec: dict[str, Any]) -> Routing:
    parsed, problems = parse_routing(spec)
    assert parsed is not None, problems
    return parsed


def leads(ids: list[str], **columns: list[Any]) -> pl.DataFrame:
    data: dict[str, Any] = {
        "lead_id": ids,
        "qualified": [True] * len(ids),
        "rank": list(range(1, len(ids) + 1)),
    }
    return pl.DataFrame({**data, **columns})


def owners(frame: pl.DataFrame, spec: dict[str, Any], **options: Any) -> list[str | None]:
    out, _ = route(frame, routing(spec), id_column="lead_id", as_of=AS_OF, **options)
    return out["owner"].to_list()


TWO = {"rules": [{"assign": ["ana@acme.test", "luis@acme.test"]}]}


@given(st.lists(st.text(max_size=12), max_size=20))
def test_the_hash_is_fnv1a_with_a_finaliser_on_utf8(texts: list[str]) -> None:
    assert stable_hash(pl.Series(texts, dtype=pl.String)).tolist() == [reference_hash(t) for t in texts]


def test_the_hash_is_pinned() -> None:
    """These numbers must never change: they decide who owns which lead."""
    assert stable_hash(pl.Series(["", "L0001", "Müller"])).tolist() == [
        reference_hash(""), reference_hash("L0001"), reference_hash("Müller"),
    ]  # fmt: skip
    assert reference_hash("L0001\x1fana@acme.test") == stable_hash(pl.Series(["L0001\x1fana@acme.test"]))[0]
    assert hex(reference_hash("")) == "0xefd01f60ba992926"  # fmix64 of the FNV-1a offset basis
    assert hex(fnv1a_state(pl.Series(["a", "foobar"]))[0]) == "0xaf63dc4c8601ec8c"  # FNV's test vectors
    assert hex(fnv1a_state(pl.Series(["a", "foobar"]))[1]) == "0x85944171f73967e8"


@settings(max_examples=60, deadline=None)
@given(ids=st.lists(st.text(ID_CHARACTERS, min_size=1, max_size=8), min_size=1, max_size=30, unique=True))
def test_each_lead_goes_to_the_rep_with_the_highest_hash(ids: list[str]) -> None:
    reps = ["ana@acme.test", "luis@acme.test", "mo@acme.test"]
    got = owners(leads(ids), {"rules": [{"assign": reps}]})
    assert got == [reference_owner(i, reps) for i in ids]


@settings(max_examples=60, deadline=None)
@given(
    ids=st.lists(st.from_regex(r"L[0-9]{1,6}", fullmatch=True), min_size=1, max_size=40, unique=True),
    extra=st.from_regex(r"L[0-9]{1,6}", fullmatch=True),
    where=st.integers(min_value=0, max_value=40),
)
def test_adding_a_lead_moves_no_other_lead(ids: list[str], extra: str, where: int) -> None:
    if extra in ids:
        return
    before = dict(zip(ids, owners(leads(ids), TWO), strict=True))
    grown = [*ids[:where], extra, *ids[where:]]
    after = dict(zip(grown, owners(leads(grown), TWO), strict=True))
    assert {i: after[i] for i in ids} == before


def test_removing_a_rep_moves_only_that_reps_leads() -> None:
    ids = [f"L{i:04d}" for i in range(300)]
    three = owners(leads(ids), {"rules": [{"assign": ["a", "b", "c"]}]})
    two = owners(leads(ids), {"rules": [{"assign": ["a", "c"]}]})
    assert all(new == old for old, new in zip(three, two, strict=True) if old != "b")


def test_shares_are_fair_on_ten_thousand_leads() -> None:
    ids = [f"L{i:05d}" for i in range(10_000)]
    got = Counter(owners(leads(ids), {"rules": [{"assign": ["ana", "luis", "mo"]}]}))
    assert set(got) == {"ana", "luis", "mo"}
    assert all(abs(n / 10_000 - 1 / 3) < 0.02 for n in got.values()), got


def test_the_same_input_gives_the_same_owners_in_any_order() -> None:
    ids = [f"L{i:03d}" for i in range(50)]
    forward = dict(zip(ids, owners(leads(ids), TWO), strict=True))
    backward = dict(zip(ids[::-1], owners(leads(ids[::-1]), TWO), strict=True))
    assert forward == backward


def test_rules_are_tried_in_order_and_read_output_columns() -> None:
    frame = leads(
        ["a", "b", "c"], country=["Spain", "France", "Mexico"], segment=["SMB", "Enterprise", "SMB"]
    )
    spec = {
        "rules": [
            {"when": {"column": "country", "in": ["Spain", "Mexico"]}, "assign": ["ana"]},
            {"when": {"column": "segment", "equals": "Enterprise"}, "assign": ["maria"]},
            {"assign": ["team"]},
        ]
    }
    assert owners(frame, spec) == ["ana", "maria", "ana"]


def reference_route(ids: list[str], rules: list[list[str]], capacity: dict[str, int]) -> list[str | None]:
    """Rule by rule; within a rule lead by lead, best first, to the most preferred rep with room."""
    room, owner = dict(capacity), dict.fromkeys(ids)
    for reps in rules:
        for lead in ids:
            if owner[lead] is None:
                for rep in sorted(reps, key=lambda r: -reference_hash(f"{lead}\x1f{r}")):
                    if rep not in room or room[rep] > 0:
                        owner[lead] = rep
                        if rep in room:
                            room[rep] -= 1
                        break
    return [owner[i] for i in ids]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=40),
    caps=st.fixed_dictionaries({}, optional={r: st.integers(0, 8) for r in ("ana", "luis", "mo", "team")}),
    second=st.lists(st.sampled_from(["mo", "team", "ana"]), min_size=1, max_size=2, unique=True),
)
def test_capacity_hands_out_leads_best_first_like_the_reference(
    n: int, caps: dict[str, int], second: list[str]
) -> None:
    ids = [f"L{i:03d}" for i in range(n)]
    rules = [["ana", "luis", "mo"], second]
    spec = {"capacity": {r: c for r, c in caps.items() if any(r in reps for reps in rules)},
            "rules": [{"assign": reps} for reps in rules]}  # fmt: skip
    assert owners(leads(ids), spec) == reference_route(ids, rules, spec["capacity"])


def test_capacity_fills_best_leads_first_then_the_next_rep_then_the_next_rule() -> None:
    ids = [f"L{i:02d}" for i in range(12)]
    spec = {"capacity": {"ana": 3, "luis": 4}, "rules": [{"assign": ["ana", "luis"]}, {"assign": ["team"]}]}
    out, summary = route(leads(ids), routing(spec), id_column="lead_id", as_of=AS_OF)
    assert out["owner"].to_list() == ["luis"] * 4 + ["ana"] * 3 + ["team"] * 5
    assert summary.assigned == (("ana", 3), ("luis", 4), ("team", 5))
    assert summary.by_rule == (("routing rule (#1)", 7), ("routing rule (#2)", 5))
    assert (summary.full, summary.unrouted) == (5, 0)


def test_a_full_rule_without_a_next_rule_leaves_leads_unrouted() -> None:
    out, summary = route(
        leads(["a", "b", "c"]), routing({"capacity": {"ana": 1}, "rules": [{"assign": ["ana"]}]}),
        id_column="lead_id", as_of=AS_OF,
    )  # fmt: skip
    assert out["owner"].to_list() == ["ana", None, None]
    assert (summary.unrouted, summary.full) == (2, 2)


def test_existing_owners_are_kept_unless_reassigned() -> None:
    frame = leads(["a", "b", "c", "d"], owner=["tom", "", "N/A", None])
    assert owners(frame, {"rules": [{"assign": ["ana"]}]}) == ["tom", "ana", "ana", "ana"]
    assert owners(frame, {"rules": [{"assign": ["ana"]}]}, reassign=True) == ["ana"] * 4
    out, summary = route(frame, routing({"rules": [{"assign": ["ana"]}]}), id_column="lead_id", as_of=AS_OF)
    assert (summary.kept, summary.routed) == (1, 3)
    assert out.columns == frame.columns  # the owner column keeps its place


def test_only_qualified_leads_are_routed_unless_route_is_all() -> None:
    frame = leads(["a", "b", "c"]).with_columns(qualified=pl.Series([True, False, None]))
    assert owners(frame, {"rules": [{"assign": ["ana"]}]}) == ["ana", None, None]
    assert owners(frame, {"route": "all", "rules": [{"assign": ["ana"]}]}) == ["ana"] * 3


def test_the_owner_cells_of_leads_not_routed_are_written_as_the_input_had_them() -> None:
    # input columns are unchanged: a placeholder, a blank or spaces are only read, never rewritten
    cells = [" tom ", "Select", "", "N/A", None]
    frame = leads(["a", "b", "c", "d", "e"], owner=cells).with_columns(qualified=pl.lit(False))
    assert owners(frame, {"rules": [{"assign": ["ana"]}]}) == cells
    mixed = frame.with_columns(qualified=pl.Series([True, True, False, False, True]))
    assert owners(mixed, {"rules": [{"assign": ["ana"]}]}) == [" tom ", "ana", "", "N/A", "ana"]
    numbered = leads(["a", "b"], owner=[7, None]).with_columns(qualified=pl.Series([False, False]))
    assert owners(numbered, {"rules": [{"assign": ["ana"]}]}) == [7, None]  # nobody routed: as it was
    numbered = numbered.with_columns(qualified=pl.Series([False, True]))
    assert owners(numbered, {"rules": [{"assign": ["ana"]}]}) == ["7", "ana"]


def test_a_missing_column_is_named() -> None:
    with pytest.raises(InputError, match="routing: column 'contry' is not in the scored leads"):
        owners(
            leads(["a"], country=["Spain"]),
            {"rules": [{"when": {"column": "contry", "equals": "x"}, "assign": ["a"]}]},
        )


def test_an_owner_column_spelt_another_way_in_the_file_is_refused() -> None:
    frame = leads(["a"]).with_columns(owner=pl.lit("zed@x.test"))
    with pytest.raises(InputError) as caught:
        owners(frame, {"owner_column": "Owner", "rules": [{"assign": ["a"]}]})
    assert str(caught.value) == (
        "[routing] owner_column 'Owner' is not in the scored leads, but 'owner' is; "
        'write owner_column = "owner" to fill that column'
    )


def test_routing_problems_are_collected() -> None:
    _, problems = parse_routing(
        {
            "owner": "x",
            "route": "qualifed",
            "capacity": {"anna@acme.test": 5, "luis@acme.test": -1},
            "rules": [{"assign": ["ana@acme.test", "luis@acme.test", "ana@acme.test"]}, {"asign": ["x"]}],
        }
    )
    assert problems == [
        "[routing]: unknown key 'owner'",
        "[routing] route must be 'qualified' or 'all', not 'qualifed' (did you mean 'qualified'?)",
        "routing rule (#1): assign lists 'ana@acme.test' more than once",
        "routing rule (#2): unknown key 'asign' (did you mean 'assign'?)",
        'routing rule (#2): assign must list one or more owners, e.g. assign = ["ana@acme.test"], not None',
        "[routing] capacity: 'anna@acme.test' is in no rule's assign (did you mean 'ana@acme.test'?)",
        "[routing] capacity: 'luis@acme.test' must be a whole number of leads, 0 or more, not -1",
    ]


def test_routing_qualified_leads_needs_a_model_that_qualifies() -> None:
    data = {
        "model": {"name": "m"},
        "rules": [{"name": "r", "dimension": "fit", "column": "x", "equals": 1, "points": 1}],
        "routing": {"rules": [{"assign": ["ana"]}]},
    }
    with pytest.raises(ModelError, match=r"routes qualified leads, but the model has no \[qualify\]"):
        parse_plan(data)
    assert (
        parse_plan({**data, "routing": {"route": "all", "rules": [{"assign": ["ana"]}]}}).routing is not None
    )
