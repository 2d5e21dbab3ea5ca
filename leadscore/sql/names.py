"""Names of the columns the query writes: the outputs, and the internal ``__ls_`` columns."""

from __future__ import annotations

from leadscore.model import Rule

SCORE, TIER, GRADE, QUALIFIED, RANK, REASONS = "score", "tier", "grade", "qualified", "rank", "reasons"
REASON_COUNT = 3
P = "__ls_"


def fired_column(rule: Rule) -> str:
    return f"{P}fired_{rule.position}"


def points_column(rule: Rule) -> str:
    return f"{P}points_{rule.position}"


def key_column(rule: Rule) -> str:
    return f"{P}reason_key_{rule.position}"


def raw_column(rule: Rule) -> str:
    """Points before the caps; only rules with caps have one (for the report's 'capped' count)."""
    return f"{P}raw_{rule.position}"


def value_column(rule: Rule) -> str:
    return f"{P}value_{rule.position}"


def raw_value_column(rule: Rule) -> str:
    return f"{P}raw_value_{rule.position}"


def label_column(rule: Rule) -> str:
    return f"{P}reason_label_{rule.position}"


def dimension_column(name: str) -> str:
    return f"{P}dim_{name}"


def best_column(k: int) -> str:
    return f"{P}reason_{k}"
