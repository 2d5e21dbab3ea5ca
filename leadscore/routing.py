"""Routing: give qualified leads an owner, fairly, deterministically and stably.

``[[routing.rules]]`` are tried in order; the first rule whose ``when`` holds (no ``when``: any
lead) shares its leads between the reps it ``assign``-s by rendezvous hashing: for each lead and
rep a stable 64-bit hash of ``id + "\\x1f" + rep`` is computed, and the rep with the highest
hash gets the lead. A lead's owner depends only on its own id and the rule's reps, so the same
input always gives the same owners, adding a lead never moves another, and removing a rep moves
only that rep's leads. The hash is FNV-1a over the UTF-8 bytes with the MurmurHash3 finaliser,
computed here with numpy (Polars' own ``hash`` may change between Polars versions).

``capacity`` caps how many leads a rep gets in one run, across all rules. Rules hand out their
leads in order; within a rule the leads go best first (by rank), each to the first rep in its
own hash order that still has room, and a lead that finds every rep of the rule full goes on to
the next rule that matches it. (With capacity, a new lead can take a place another lead had:
stability holds for reps without a capacity.)

Only qualified leads are routed unless ``route = "all"``. A lead that already has an owner in
the input keeps it (unless ``reassign``); capacity counts only the leads this run assigns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from leadscore import coerce
from leadscore.coerce import Conventions
from leadscore.compiler import Context, compile_predicate
from leadscore.engine import QUALIFIED, RANK
from leadscore.errors import InputError, did_you_mean, spelt_differently
from leadscore.events import lead_key
from leadscore.model import DEFAULT_NULL_VALUES, Predicate, parse_predicate, predicate_columns

ROUTE_CHOICES = ("qualified", "all")
ROUTING_KEYS = ("owner_column", "route", "capacity", "rules")
RULE_KEYS = ("name", "when", "assign")

_Hashes = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class RoutingRule:
    position: int
    assign: tuple[str, ...]
    when: Predicate | None = None
    name: str | None = None

    @property
    def label(self) -> str:
        named = f" '{self.name}'" if self.name else ""
        return f"routing rule{named} (#{self.position})"


@dataclass(frozen=True)
class Routing:
    rules: tuple[RoutingRule, ...]
    owner_column: str = "owner"
    route: str = "qualified"  # or "all"
    capacity: tuple[tuple[str, int], ...] = ()  # (rep, most leads this run)

    @property
    def reps(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rep for rule in self.rules for rep in rule.assign))

    @property
    def columns(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for rule in self.rules:
            seen.update(dict.fromkeys(predicate_columns(rule.when)))
        return tuple(seen)


def parse_routing(raw: Any) -> tuple[Routing | None, list[str]]:
    """Validate a ``[routing]`` table. Returns the routing (None when it has problems) and the problems."""
    if not isinstance(raw, dict):
        return None, [f"[routing] must be a table of keys, not {raw!r}"]
    problems = [
        f"[routing]: unknown key '{k}'{did_you_mean(k, ROUTING_KEYS)}" for k in raw if k not in ROUTING_KEYS
    ]
    owner = raw.get("owner_column", "owner")
    if not isinstance(owner, str) or not owner.strip():
        problems.append(f'[routing] owner_column must be the name of a column, e.g. "owner", not {owner!r}')
        owner = "owner"
    route = raw.get("route", "qualified")
    if route not in ROUTE_CHOICES:
        problems.append(
            f"[routing] route must be 'qualified' or 'all', not {route!r}{did_you_mean(str(route), ROUTE_CHOICES)}"
        )
    raw_rules = raw.get("rules", [])
    if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules) or not raw_rules:
        problems.append('[routing] needs [[routing.rules]], each with assign = ["rep@example.com", ...]')
        raw_rules = []
    rules = [_parse_rule(problems, r, i + 1) for i, r in enumerate(raw_rules)]
    kept = tuple(r for r in rules if r is not None)
    capacity = _parse_capacity(
        problems, raw.get("capacity", {}), tuple(dict.fromkeys(p for r in kept for p in r.assign))
    )
    if problems:
        return None, problems
    return Routing(rules=kept, owner_column=owner.strip(), route=str(route), capacity=capacity), []


def _parse_rule(problems: list[str], raw: Mapping[str, Any], position: int) -> RoutingRule | None:
    name = raw.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        problems.append(f"routing rule #{position}: name must be non-empty text, not {name!r}")
        name = None
    rule = RoutingRule(position=position, assign=(), name=name.strip() if name else None)
    problems += [
        f"{rule.label}: unknown key '{k}'{did_you_mean(k, RULE_KEYS)}" for k in raw if k not in RULE_KEYS
    ]
    when = None
    if "when" in raw:
        when, found = parse_predicate(raw["when"], f"{rule.label} when")
        problems += found
    assign = raw.get("assign")
    if isinstance(assign, str):
        assign = [assign]
    if (
        not isinstance(assign, list)
        or not assign
        or not all(isinstance(a, str) and a.strip() for a in assign)
    ):
        problems.append(
            f'{rule.label}: assign must list one or more owners, e.g. assign = ["ana@acme.test"], not {assign!r}'
        )
        return None
    reps = [a.strip() for a in assign]
    repeated = sorted({r for r in reps if reps.count(r) > 1})
    if repeated:
        problems.append(f"{rule.label}: assign lists {', '.join(repr(r) for r in repeated)} more than once")
    return RoutingRule(position=position, assign=tuple(dict.fromkeys(reps)), when=when, name=rule.name)


def _parse_capacity(problems: list[str], raw: Any, reps: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    if not isinstance(raw, dict):
        problems.append(f'[routing] capacity must be a table such as {{ "ana@acme.test" = 50 }}, not {raw!r}')
        return ()
    out = []
    for rep, limit in raw.items():
        if rep not in reps:
            problems.append(f"[routing] capacity: '{rep}' is in no rule's assign{did_you_mean(rep, reps)}")
        elif not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            problems.append(
                f"[routing] capacity: '{rep}' must be a whole number of leads, 0 or more, not {limit!r}"
            )
        else:
            out.append((rep, limit))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# The stable hash

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
SEPARATOR = b"\x1f"


def fnv1a_state(texts: pl.Series) -> _Hashes:
    """FNV-1a over each text's UTF-8 bytes (null is empty), one byte position at a time."""
    data = texts.cast(pl.String).fill_null("").cast(pl.Binary)
    lengths = data.bin.size().to_numpy()
    h = np.full(len(data), FNV_OFFSET, dtype=np.uint64)
    for j in range(int(lengths.max(initial=0))):
        byte = data.bin.get(j, null_on_oob=True).fill_null(0).cast(pl.UInt64).to_numpy()
        h = np.where(lengths > j, (h ^ byte) * FNV_PRIME, h)
    return h


def fnv1a_continue(h: _Hashes, suffix: bytes) -> _Hashes:
    for byte in suffix:
        h = (h ^ np.uint64(byte)) * FNV_PRIME
    return h


def finalise(h: _Hashes) -> _Hashes:
    """MurmurHash3's fmix64: every input bit moves every output bit."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def stable_hash(texts: pl.Series) -> _Hashes:
    """A 64-bit hash of each text that is the same on every machine and every version."""
    return finalise(fnv1a_state(texts))


def rep_weights(id_state: _Hashes, rep: str) -> _Hashes:
    """The rendezvous weight of ``rep`` for every lead: the stable hash of ``id + "\\x1f" + rep``."""
    return finalise(fnv1a_continue(id_state, SEPARATOR + rep.encode("utf-8")))


# ---------------------------------------------------------------------------------------------
# Assignment


@dataclass(frozen=True)
class RoutingSummary:
    """What a routing run did, for the report."""

    owner_column: str
    route: str
    assigned: tuple[tuple[str, int], ...]  # (rep, leads assigned this run), in config order
    by_rule: tuple[tuple[str, int], ...]  # (rule label, leads it assigned)
    kept: int  # leads that kept the owner they had
    unrouted: int  # leads to route that are left without an owner (no rule matched, or all full)
    full: int  # leads that found every rep of a matching rule full at least once

    @property
    def routed(self) -> int:
        return sum(n for _, n in self.assigned)


def route(
    frame: pl.DataFrame,
    routing: Routing,
    *,
    id_column: str,
    as_of: dt.date,
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
    reassign: bool = False,
    conventions: Conventions = Conventions(),
) -> tuple[pl.DataFrame, RoutingSummary]:
    """Fill ``routing.owner_column`` of a scored frame; return it and what was done.

    ``when`` conditions may read any column of the scored frame, output columns (``tier``,
    ``segment``, ...) included. The owner column keeps its place when the input has it, else it
    is added at the end.
    """
    missing = [c for c in (id_column, *routing.columns) if c not in frame.columns]
    if missing:
        raise InputError(
            "; ".join(
                f"routing: column '{c}' is not in the scored leads{did_you_mean(c, frame.columns)}"
                for c in missing
            )
        )
    if routing.route == "qualified" and QUALIFIED not in frame.columns:
        raise InputError('routing routes qualified leads, but the model has no [qualify]; set route = "all"')
    owner = routing.owner_column
    if other := spelt_differently([owner], frame.columns).get(owner):
        raise InputError(
            f"[routing] owner_column '{owner}' is not in the scored leads, but '{other}' is; "
            f'write owner_column = "{other}" to fill that column'
        )
    ctx = Context(dict(frame.schema), tuple(null_values), as_of, conventions)
    matches = [
        (compile_predicate(r.when, ctx) if r.when is not None else pl.lit(True))
        .fill_null(False)
        .alias(f"m{i}")
        for i, r in enumerate(routing.rules)
    ]
    existing = (
        coerce.text(pl.col(owner), frame.schema[owner], null_values)
        if owner in frame.columns
        else pl.lit(None, pl.String)
    )
    wanted = pl.col(QUALIFIED).fill_null(False) if routing.route == "qualified" else pl.lit(True)
    order = pl.col(RANK) if RANK in frame.columns else pl.int_range(pl.len())
    facts = (
        ctx.add_readings(frame.lazy())
        .select(
            lead_key(id_column).alias("key"),
            existing.alias("existing"),
            wanted.alias("wanted"),
            order.alias("order"),
            *matches,
        )
        .collect()
    )
    has_owner = facts["existing"].is_not_null().to_numpy()
    to_route = facts["wanted"].to_numpy() & (reassign | ~has_owner)
    chosen, by_rule, full = _assign(routing, facts, to_route)
    names = dict(enumerate(routing.reps))
    new = pl.Series("new", chosen).replace_strict(names, default=None, return_dtype=pl.String)
    out = frame.with_columns(_owners(frame, owner, new, facts["existing"]))
    counts = np.bincount(chosen[chosen >= 0], minlength=len(names))
    unchanged = chosen < 0
    summary = RoutingSummary(
        owner_column=owner,
        route=routing.route,
        assigned=tuple((rep, int(n)) for rep, n in zip(routing.reps, counts, strict=True)),
        by_rule=tuple((r.label, n) for r, n in zip(routing.rules, by_rule, strict=True)),
        kept=int((has_owner & unchanged).sum()),
        unrouted=int((to_route & unchanged & ~has_owner).sum()),
        full=full,
    )
    return out, summary


def _owners(frame: pl.DataFrame, owner: str, new: pl.Series, existing: pl.Series) -> pl.Series:
    """The owner column: each routed lead's new owner; every other lead's cell as the input wrote
    it (a blank, ``Select``, `` ana@acme.test `` are kept as they were: read only to see whether a
    lead has an owner). A column of another type than text is written as its text where needed."""
    if owner in frame.columns and frame.schema[owner] == pl.String:
        before = frame[owner]
    elif owner in frame.columns and new.is_null().all():
        return frame[owner]
    else:
        before = existing  # none in the input, or numbers or dates: their text
    return pl.select(pl.coalesce(new, before).alias(owner)).to_series()


def _assign(
    routing: Routing, facts: pl.DataFrame, to_route: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int64], list[int], int]:
    """The index (into ``routing.reps``) of each lead's new owner, -1 for none; per-rule counts;
    and how many leads found every rep of a matching rule full."""
    n = facts.height
    id_state = fnv1a_state(facts["key"])
    rep_index = {rep: i for i, rep in enumerate(routing.reps)}
    weights = {rep: rep_weights(id_state, rep) for rep in routing.reps}
    room: dict[str, int] = dict(routing.capacity)  # what each capped rep can still take
    by_rank = np.argsort(facts["order"].to_numpy(), kind="stable")
    chosen = np.full(n, -1, dtype=np.int64)
    by_rule = []
    ever_full = np.zeros(n, dtype=bool)
    for i, rule in enumerate(routing.rules):
        pending = to_route & (chosen < 0) & facts[f"m{i}"].to_numpy()
        queue = by_rank[pending[by_rank]]  # this rule's leads, best first
        stacked = np.stack([weights[rep] for rep in rule.assign], axis=1)
        preference = np.argsort(_descending(stacked[queue]), axis=1, kind="stable")
        taken = _fill(preference, [room.get(rep) for rep in rule.assign])
        for j, rep in enumerate(rule.assign):
            if rep in room:
                room[rep] -= int((taken == j).sum())
        chosen[queue[taken >= 0]] = [rep_index[rule.assign[j]] for j in taken[taken >= 0]]
        ever_full[queue[taken < 0]] = True
        by_rule.append(int((taken >= 0).sum()))
    return chosen, by_rule, int(ever_full.sum())


def _fill(preference: npt.NDArray[np.intp], room: list[int | None]) -> npt.NDArray[np.int64]:
    """Hand leads (rows, best first) to reps (columns of ``preference``, most preferred first).

    Each lead takes its most preferred rep that still has room (``room`` None: no limit); a lead
    that finds every rep full gets -1. This is the lead-by-lead greedy, computed one rep filling
    up at a time: between two fillings every lead's choice is fixed, so a whole run of leads is
    handed out at once.
    """
    m, k = preference.shape
    left = [r if r is not None else -1 for r in room]  # -1: no limit
    full = np.array([r == 0 for r in left], dtype=bool)
    taken = np.full(m, -1, dtype=np.int64)
    start = 0
    while start < m:
        prefs = preference[start:]
        open_ = ~full[prefs]
        choice = np.where(open_.any(axis=1), prefs[np.arange(len(prefs)), open_.argmax(axis=1)], -1)
        end, filled = len(prefs), None
        for j in range(k):
            if left[j] > 0 and not full[j]:
                asking = np.flatnonzero(choice == j)
                if len(asking) >= left[j] and asking[left[j] - 1] + 1 < end:
                    end, filled = int(asking[left[j] - 1]) + 1, j
        taken[start : start + end] = choice[:end]
        for j in range(k):
            if left[j] > 0:
                left[j] -= int((choice[:end] == j).sum())
        if filled is not None:
            full[filled] = True
        start += end
    return taken


def _descending(weights: _Hashes) -> npt.NDArray[np.uint64]:
    """Sort keys that put the highest weight first (argsort is ascending)."""
    return np.iinfo(np.uint64).max - weights
