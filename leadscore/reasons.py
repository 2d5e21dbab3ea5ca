"""The reasons column: the rules that moved a lead's score most, e.g. 'Demo request +25; Director +15'.

Worked out in the scoring query without a per-row list: each rule's part becomes an integer sort
key, and the top three are three horizontal maxima; the rules with fixed points are ranked by a
bit mask first (see :func:`add_reasons`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import polars as pl

from leadscore.compiler import PREFIX, fired_column, fixed_points, points_column
from leadscore.model import Rule

REASON_COUNT = 3
MASK_BITS = 64  # rules with fixed points ordered in one mask (a UInt64) at a time


def format_points(points: pl.Expr, integral: bool = False) -> pl.Expr:
    """+15, -25, +2.5: how points read in reasons and reports.

    ``integral`` says every value is whole (the model's points are), which saves a test per row.
    """
    as_int = points.cast(pl.Int64).cast(pl.String)
    if integral:
        shown = as_int
    else:
        shown = pl.when(points.round(0) == points).then(as_int).otherwise(points.cast(pl.String))
    return pl.when(points >= 0).then(pl.lit("+") + shown).otherwise(shown)


def add_reasons(lf: pl.LazyFrame, rules: Sequence[Rule], integral: bool = True, *, into: str) -> pl.LazyFrame:
    """Add column ``into``: the rules that moved the score most (largest absolute points), e.g.
    'Demo request +25; Director +15'.

    Ties keep the model's order; rules that gave nothing are left out. Each rule gets a sort key
    (absolute points in hundredths, then its position reversed; 0 when it gave nothing), so the
    top three are three horizontal maxima over plain integers, each kept in a column for the
    next: no per-row lists. (Keys are never null: a maximum over columns without nulls is several
    times faster.)

    A rule that gives the same points whenever it fires (most rules) has a constant key and a
    constant label, worked out once here, and its place among the others is known before any
    lead is read: those rules' top three come from a bit mask (:func:`_fixed_best`), and only
    they and the per-unit and event rules, whose points are read and formatted row by row, go
    into the maxima.
    """
    slots = len(rules) + 1
    fixed = fixed_reasons(rules, integral)
    ordered: list[tuple[int, str]] = []  # (key, fired column) of rules with fixed points
    labels: dict[int, str] = {}  # slot -> label, for rules with fixed points
    variable: list[tuple[int, Rule]] = []  # (slot, rule) for the others
    keys: dict[str, pl.Expr] = {}  # the variable rules' keys
    for i, r in enumerate(rules):
        slot = slots - 1 - i
        if r.position in fixed:
            weight, label = fixed[r.position]
            if weight:  # a rule that gives nothing even when it fires is never a reason
                ordered.append((weight * slots + slot, fired_column(r)))
                labels[slot] = label
        else:
            weight_expr = (pl.col(points_column(r)).abs() * 100).round(0).cast(pl.Int64)
            value = pl.when(weight_expr > 0).then(weight_expr * slots + slot).otherwise(0).fill_null(0)
            keys[f"{PREFIX}key_{r.position}"] = value
            variable.append((slot, r))
    ordered.sort(reverse=True)
    chunks = [ordered[at : at + MASK_BITS] for at in range(0, len(ordered), MASK_BITS)]
    best_cols = [f"{PREFIX}reason_{k}" for k in range(min(REASON_COUNT, len(ordered) + len(variable)))]
    if not best_cols:
        return lf.with_columns(pl.lit("").alias(into))
    lf = lf.with_columns(expr.alias(name) for name, expr in keys.items())
    contenders, helpers = list(keys), list(keys)  # columns of keys that may be among the best
    for c, chunk in enumerate(chunks):
        lf, masks, best = _fixed_best(lf, chunk, f"{PREFIX}fixed_{c}")
        contenders += best
        helpers += [*masks, *best]
    if len(chunks) == 1 and not variable:
        best_cols = contenders  # one mask's keys come out best first
    else:
        previous = None
        for col in best_cols:
            if previous is None:
                candidates = [pl.col(k) for k in contenders]
            else:
                candidates = [
                    pl.when(pl.col(k) < pl.col(previous)).then(pl.col(k)).otherwise(0) for k in contenders
                ]
            lf = lf.with_columns(pl.max_horizontal(candidates).alias(col))
            previous = col
        helpers += best_cols
    # the rule in each slot, and the points of a variable one, as columns: each is read many times
    slot_cols = [f"{PREFIX}reason_{k}_slot" for k in range(len(best_cols))]
    points_cols = [f"{PREFIX}reason_{k}_points" for k in range(len(best_cols))]
    lf = lf.with_columns(
        (pl.col(col) % slots).alias(slot) for col, slot in zip(best_cols, slot_cols, strict=True)
    )
    if variable:
        lf = lf.with_columns(
            pl.coalesce(
                [pl.when(pl.col(slot) == s).then(pl.col(points_column(r))) for s, r in variable]
            ).alias(p)
            for slot, p in zip(slot_cols, points_cols, strict=True)
        )
    parts = [
        _reason_label(pl.col(slot), slots, labels, variable, pl.col(p), integral)
        for slot, p in zip(slot_cols, points_cols, strict=True)
    ]
    reasons = pl.concat_str(parts, separator="; ", ignore_nulls=True).fill_null("")
    helpers += [*slot_cols, *(points_cols if variable else [])]
    return lf.with_columns(reasons.alias(into)).drop(helpers)


def _fixed_best(
    lf: pl.LazyFrame, chunk: Sequence[tuple[int, str]], name: str
) -> tuple[pl.LazyFrame, list[str], list[str]]:
    """Add the keys of the best (up to) three rules of ``chunk`` that fired, best first, 0 for
    none; return the frame, the names of the mask columns and those of the keys.

    ``chunk`` is at most :data:`MASK_BITS` rules as (key, fired column), best key first. Rule
    ``b`` of it is bit ``b`` of a mask of the rules that fired, so the best that fired is the
    lowest bit set (the mask's trailing zeros), and taking that bit away leaves the others: a
    few operations a reason instead of a comparison with every rule.
    """
    width = MASK_BITS + 1  # trailing zeros of an empty mask: MASK_BITS
    table = pl.Series([key for key, _ in chunk] + [0] * (width - len(chunk)), dtype=pl.Int64)
    bits = pl.Series([1 << b for b in range(MASK_BITS)] + [0], dtype=pl.UInt64)
    zero = pl.lit(0, dtype=pl.UInt64)
    masks = [f"{name}_mask_{k}" for k in range(min(REASON_COUNT, len(chunk)))]
    lf = lf.with_columns(
        pl.sum_horizontal(
            pl.when(pl.col(fired)).then(pl.lit(1 << b, dtype=pl.UInt64)).otherwise(zero)
            for b, (_, fired) in enumerate(chunk)
        ).alias(masks[0])
    )
    for previous, mask in itertools.pairwise(masks):
        lowest = pl.lit(bits).gather(pl.col(previous).bitwise_trailing_zeros())
        lf = lf.with_columns((pl.col(previous) - lowest).alias(mask))
    keys = [f"{name}_key_{k}" for k in range(len(masks))]
    lf = lf.with_columns(
        pl.lit(table).gather(pl.col(mask).bitwise_trailing_zeros()).alias(key)
        for mask, key in zip(masks, keys, strict=True)
    )
    return lf, masks, keys


def fixed_reasons(rules: Sequence[Rule], integral: bool) -> dict[int, tuple[int, str]]:
    """For each rule that gives the same points whenever it fires: its weight and its reason label.

    The weight (absolute points in hundredths) and the label ('Demo request +25') are computed by
    the very expressions the query uses, on a one-row frame, so they cannot differ from a row's.
    """
    fixed = fixed_points(rules, integral)
    if not fixed:
        return {}
    exprs = []
    names = {r.position: r.name for r in rules}
    for position, (_, value) in fixed.items():
        points = pl.lit(value, dtype=pl.Float64)
        weight = (points.abs() * 100).round(0).cast(pl.Int64)
        label = pl.concat_str([pl.lit(names[position]), pl.lit(" "), format_points(points)])
        exprs += [weight.alias(f"w{position}"), label.alias(f"l{position}")]
    row = pl.select(exprs).row(0, named=True)
    return {p: (int(row[f"w{p}"]), str(row[f"l{p}"])) for p in fixed}


def _reason_label(
    slot: pl.Expr,
    slots: int,
    labels: dict[int, str],
    variable: Sequence[tuple[int, Rule]],
    points: pl.Expr,
    integral: bool,
) -> pl.Expr:
    """The label of the rule in ``slot``: a constant for fixed points, else name and formatted points."""
    fixed = lookup(slot, labels, slots) if labels else None
    if not variable:
        assert fixed is not None
        return fixed
    name = lookup(slot, {s: r.name for s, r in variable}, slots)
    computed = pl.concat_str([name, pl.lit(" "), format_points(points, integral)])
    return computed if fixed is None else pl.coalesce([fixed, computed])


def lookup(index: pl.Expr, values: dict[int, str], size: int) -> pl.Expr:
    """``values[index]``, null for an index not in ``values``; every index must be in ``range(size)``.

    A gather from a literal table: unlike ``replace_strict`` it runs a batch at a time, so the
    streaming engine never has to hold every lead at once.
    """
    table = pl.Series([values.get(i) for i in range(size)], dtype=pl.String)
    return pl.lit(table).gather(index)
