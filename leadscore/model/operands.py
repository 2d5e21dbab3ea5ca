"""What each operator's value must be: one check per operator, each adding a problem when it is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from leadscore.model.problems import Problems, is_number, show
from leadscore.model.quoting import control_character_problem

BAD = object()


def _scalar(p: Problems, where: str, value: Any) -> Any:
    if isinstance(value, str | bool | dt.date) or is_number(value):
        return value
    p.add(f"{where} must be text, a number, true/false or a date, not {show(value)}")
    return BAD


def _list(p: Problems, where: str, value: Any) -> Any:
    if not isinstance(value, list) or not value:
        p.add(f'{where} must be a non-empty list, e.g. ["Software", "Fintech"], not {show(value)}')
        return BAD
    if not all(isinstance(v, str) or is_number(v) for v in value):
        p.add(f"{where} must list text or numbers only, not {show(value)}")
        return BAD
    kinds = {isinstance(v, str) for v in value}
    if len(kinds) > 1:
        p.add(f"{where} mixes text and numbers; quote the numbers to compare as text")
        return BAD
    return tuple(value)


def _text(p: Problems, where: str, value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        return value
    p.add(f"{where} must be non-empty text, not {show(value)}")
    return BAD


def _regex(p: Problems, where: str, value: Any) -> Any:
    if not isinstance(value, str) or not value:
        p.add(f"{where} must be a regular expression in quotes, not {show(value)}")
        return BAD
    typed = control_character_problem("matches", value)
    if typed:
        p.add(f"{where} {typed}")
        return BAD
    problem = regex_problem(value)
    if problem:
        p.add(f"{where}: '{value}' is not a valid regular expression ({problem})")
        return BAD
    return value


def regex_problem(pattern: str) -> str | None:
    """Why the regex engine that will run the pattern rejects it, or None if it is fine."""
    import polars as pl  # the engine that runs the regex is the judge of it

    try:
        pl.Series([""]).str.contains(pattern)
    except Exception as exc:  # polars raises ComputeError; the text says what is wrong
        lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip().startswith("error:")]
        return lines[0].removeprefix("error:").strip() if lines else "not understood"
    return None


def _orderable(p: Problems, where: str, value: Any) -> Any:
    if is_number(value) or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    p.add(f"{where} must be a number or a date (2026-01-31), not {show(value)}")
    return BAD


def _between(p: Problems, where: str, value: Any) -> Any:
    if not isinstance(value, list) or len(value) != 2:
        p.add(f"{where} must be [low, high], e.g. between = [50, 500], not {show(value)}")
        return BAD
    lo, hi = (_orderable(p, where, v) for v in value)
    if lo is BAD or hi is BAD:
        return BAD
    if type(lo) is not type(hi) and not (is_number(lo) and is_number(hi)):
        p.add(f"{where} mixes a number and a date")
        return BAD
    if lo > hi:
        p.add(f"{where}: low ({lo}) is above high ({hi}); write [low, high]")
        return BAD
    return (lo, hi)


def _flag(p: Problems, where: str, value: Any) -> Any:
    if isinstance(value, bool):
        return value
    p.add(f"{where} must be true or false, not {show(value)}")
    return BAD


def _days(p: Problems, where: str, value: Any) -> Any:
    if is_number(value) and value >= 0:
        return float(value)
    p.add(f"{where} must be a number of days, zero or more, not {show(value)}")
    return BAD


OPERAND_CHECKS: dict[str, Callable[[Problems, str, Any], Any]] = {
    "equals": _scalar,
    "not_equals": _scalar,
    "in": _list,
    "not_in": _list,
    "contains": _text,
    "matches": _regex,
    "gt": _orderable,
    "gte": _orderable,
    "lt": _orderable,
    "lte": _orderable,
    "between": _between,
    "missing": _flag,
    "within_days": _days,
    "older_than_days": _days,
}
