"""The reasons column in SQL: the three rules that moved the score most (leadscore.reasons.add_reasons).

Each rule gets a sort key, its absolute points in hundredths times (rules + 1) plus its position
reversed, so that a larger key is a better reason and ties go to the earlier rule; rules that
gave nothing get -1. Three GREATESTs, each over the keys below the previous one, pick the top
three, with no per-row lists, aggregation or join; their labels are joined with '; '.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from leadscore.model import Rule
from leadscore.sql import dialects as sq
from leadscore.sql.exprs import col, named, when
from leadscore.sql.names import REASON_COUNT, best_column, key_column, label_column, points_column


def reason_key(rule: Rule, index: int, slots: int) -> exp.Expr:
    """Absolute points in hundredths, then the model order: larger keys are better reasons."""
    hundredths = exp.Floor(
        this=exp.Add(
            this=exp.Mul(this=exp.Abs(this=col(points_column(rule))), expression=exp.Literal.number(100)),
            expression=exp.Literal.number(0.5),
        )
    )
    weight = exp.cast(hundredths, "bigint")
    key = exp.Add(
        this=exp.Mul(this=weight, expression=exp.Literal.number(slots)),
        expression=exp.Literal.number(slots - 1 - index),
    )
    return when(exp.GT(this=hundredths.copy(), expression=exp.Literal.number(0)), key, exp.Literal.number(-1))


def reason_label(rule: Rule) -> exp.Expr:
    """'Name +15' or 'Name -2.5': the engine's format_points."""
    p = col(points_column(rule))
    whole = exp.EQ(this=exp.Floor(this=p), expression=p.copy())
    shown = when(whole, sq.cast_text(exp.cast(p.copy(), "bigint")), sq.cast_text(p.copy()))
    sign = when(exp.GTE(this=p.copy(), expression=exp.Literal.number(0)), sq.string("+"), sq.string(""))
    return exp.DPipe(
        this=sq.string(f"{rule.name} "),
        expression=exp.DPipe(this=sign, expression=shown, safe=True),
        safe=True,
    )


def top_reason_items(rules: Sequence[Rule]) -> list[tuple[str, exp.Expr]]:
    """(CTE name, column) for each of the top reasons, one CTE each: a SELECT cannot read its own
    aliases in every dialect."""
    keys = [col(key_column(r)) for r in rules]
    items = []
    previous: exp.Expr | None = None
    for k in range(1, min(REASON_COUNT, len(rules)) + 1):
        candidates: list[exp.Expr] = list(keys)
        if previous is not None:
            below = [exp.LT(this=key.copy(), expression=previous.copy()) for key in keys]
            candidates = [
                when(b, key.copy(), exp.Literal.number(-1)) for b, key in zip(below, keys, strict=True)
            ]
        best = candidates[0] if len(candidates) == 1 else sq.call("GREATEST", *candidates)
        which = {1: "largest", 2: "second largest", 3: "third largest"}[k]
        items.append(
            (f"top_reason_{k}", named(best, best_column(k), f"reason {k}: the rule with the {which} points"))
        )
        previous = col(best_column(k))
    return items


def reasons_text(rules: Sequence[Rule]) -> exp.Expr:
    """'Name +15; Other -2.5': the labels of the top reasons, or '' when no rule gave points."""
    slots = []
    for k in range(1, min(REASON_COUNT, len(rules)) + 1):
        best = col(best_column(k))
        case = exp.Case()
        for rule in rules:
            case = case.when(
                exp.EQ(this=best.copy(), expression=col(key_column(rule))), col(label_column(rule))
            )
        slots.append(when(exp.GTE(this=best.copy(), expression=exp.Literal.number(0)), case))
    text: exp.Expr = slots[0]
    for extra in slots[1:]:
        joined = exp.DPipe(this=sq.string("; "), expression=extra, safe=True)
        text = exp.DPipe(
            this=text, expression=exp.Coalesce(this=joined, expressions=[sq.string("")]), safe=True
        )
    return exp.Coalesce(this=text, expressions=[sq.string("")])
