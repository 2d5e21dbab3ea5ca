"""Collecting problems while a model is read, and the small readers of TOML values."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from leadscore.errors import did_you_mean


class Problems:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, message: str) -> None:
        self.problems.append(message)


def check_keys(p: Problems, where: str, table: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    for key in table:
        if key not in allowed:
            prefix = f"{where}: " if where else ""
            p.add(f"{prefix}unknown key '{key}'{did_you_mean(key, allowed)}")


def table(p: Problems, data: Mapping[str, Any], key: str, required: bool = False) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        if required:
            p.add(f'has no [{key}] table; start the file with [{key}] and name = "...", id = "lead_id"')
        return {}
    if not isinstance(value, dict):
        p.add(f"[{key}] must be a table of keys, not {show(value)}")
        return {}
    return value


def show(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else f"'{value}'"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def string(p: Problems, where: str, table: Mapping[str, Any], key: str, default: str | None) -> str | None:
    value = table.get(key, default)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        p.add(f"{where}: {key} must be non-empty text, not {show(value)}")
        return default
    return value.strip() if isinstance(value, str) else value


def number(p: Problems, where: str, table: Mapping[str, Any], key: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if not is_number(value):
        p.add(f"{where}: {key} must be a number, not {show(value)}")
        return None
    return float(value)
