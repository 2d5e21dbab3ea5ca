"""Segments: several points models in one run, each lead scored by the first segment it matches.

A segments file is a model file with ``[[segments]]`` instead of ``[[rules]]``. Each segment has
a name, an optional ``when`` condition (the operators of rules, with ``all``/``any``) and a
model: a path to a model file (relative to the segments file) or its own ``[[segments.rules]]``.
A segment without ``when`` takes every lead that reaches it: the fallback.

Inline segments inherit ``[model]``, ``[dimensions]``, ``[tiers]``, ``[qualify]``, ``[grades]``
and ``[events]`` from the segments file, table by table, unless they set their own
(``[segments.tiers]`` replaces the whole ``[tiers]`` table). A segment that names a model file
uses that file alone; it inherits nothing.

This module holds the plain data and its validation; :mod:`leadscore.segment_scoring` runs it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from leadscore.errors import ModelError, did_you_mean
from leadscore.model import (
    DEFAULT_NULL_VALUES,
    AllOf,
    Band,
    Condition,
    Model,
    Predicate,
    parse_model,
    parse_predicate,
    predicate_columns,
    read_model_data,
)

SEGMENT = "segment"  # the output column naming the segment that scored a lead

# Tables an inline segment takes from the segments file unless it sets its own.
INHERITED = ("model", "dimensions", "tiers", "qualify", "grades", "events")
SEGMENTS_FILE_KEYS = (*INHERITED, "segments")
SEGMENT_KEYS = ("name", "when", "model", "description", "rules", *INHERITED[1:])
MODEL_KEYS = ("name", "id", "description", "null_values")


@dataclass(frozen=True)
class Segment:
    """One segment: which leads it takes (``when``; None takes all) and the model scoring them."""

    name: str
    position: int
    when: Predicate | None
    model: Model
    source: str  # the model file it names, or "inline"

    @property
    def label(self) -> str:
        return f"segment '{self.name}' (#{self.position})"


@dataclass(frozen=True)
class SegmentedModel:
    """Segments in order: a lead is scored by the first one whose ``when`` holds."""

    name: str
    id_column: str
    segments: tuple[Segment, ...]
    null_values: tuple[str, ...] = DEFAULT_NULL_VALUES  # how ``when`` conditions read cells
    description: str | None = None
    source: str = "model"

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(s.model for s in self.segments)

    @property
    def has_qualify(self) -> bool:
        return any(m.has_qualify for m in self.models)

    @property
    def integral(self) -> bool:
        """True when every segment's scores are whole numbers."""
        return all(m.integral for m in self.models)

    @property
    def tiers(self) -> tuple[Band, ...]:
        """Every tier label of the segments, in order of first appearance.

        Each segment scores with its own thresholds; the one here is the first segment's.
        """
        first: dict[str, Band] = {}
        for model in self.models:
            for band in model.tiers:
                first.setdefault(band.label, band)
        return tuple(first.values())

    @property
    def has_fallback(self) -> bool:
        return any(s.when is None for s in self.segments)

    @property
    def when_columns(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in self.segments:
            seen.update(dict.fromkeys(predicate_columns(s.when)))
        return tuple(seen)

    @property
    def lead_columns(self) -> tuple[str, ...]:
        """Every lead column the segments and their models read, the id first."""
        seen: dict[str, None] = {self.id_column: None, **dict.fromkeys(self.when_columns)}
        for m in self.models:
            seen.update(dict.fromkeys(m.lead_columns))
        return tuple(seen)

    def unreachable(self) -> list[str]:
        """Why each segment that can never match cannot: a fallback or the same ``when`` before it."""
        out = []
        for i, seg in enumerate(self.segments):
            earlier = self.segments[:i]
            fallback = next((s for s in earlier if s.when is None), None)
            same = next((s for s in earlier if s.when is not None and s.when == seg.when), None)
            if fallback is not None:
                out.append(
                    f"{seg.label} can never match: {fallback.label} before it has no 'when' "
                    "and takes every lead that gets that far"
                )
            elif same is not None:
                out.append(f"{seg.label} can never match: {same.label} before it has the same 'when'")
        return out

    def map_models(self, change: Callable[[Model], Model]) -> SegmentedModel:
        """The same segments with each model changed (e.g. a rule added to every one)."""
        return replace(self, segments=tuple(replace(s, model=change(s.model)) for s in self.segments))


def models_of(model: Model | SegmentedModel) -> tuple[Model, ...]:
    """The models that score leads: a plain model itself, or each segment's."""
    return model.models if isinstance(model, SegmentedModel) else (model,)


def is_segments_file(data: Mapping[str, Any]) -> bool:
    return "segments" in data


def parse_segments(
    data: Mapping[str, Any], source: str = "model", base_dir: Path | None = None
) -> SegmentedModel:
    """Validate a segments file (as parsed from TOML), loading the model files it names.

    ``base_dir`` is where model paths are looked up (the segments file's folder). Raises
    :class:`ModelError` listing every problem, the named files' problems included.
    """
    problems = _Collected()
    for key in data:
        if key == "rules":
            problems.add(
                "has both [[rules]] and [[segments]]; put the rules in a segment ([[segments.rules]]) "
                "or in a model file the segment names"
            )
        elif key not in SEGMENTS_FILE_KEYS:
            problems.add(f"unknown key '{key}'{did_you_mean(key, SEGMENTS_FILE_KEYS)}")
    meta = data.get("model")
    if not isinstance(meta, dict):
        problems.add('has no [model] table; start the file with [model] and name = "...", id = "lead_id"')
        meta = {}
    name, id_column, null_values = _parse_meta(problems, meta)

    raw_segments = data.get("segments")
    if not isinstance(raw_segments, list) or not all(isinstance(s, dict) for s in raw_segments):
        problems.add("'segments' must be a list of [[segments]] tables")
        raw_segments = []
    if not raw_segments:
        problems.add("has no segments; add at least one [[segments]] with a name and a model")
    loaded: dict[Path, Model | None] = {}
    segments = []
    for i, raw in enumerate(raw_segments):
        seg = _parse_segment(problems, raw, i + 1, data, base_dir or Path(), loaded, Path(source).name)
        if seg is not None:
            segments.append(seg)
    seen: dict[str, int] = {}
    for seg in segments:
        if seg.name in seen:
            problems.add(
                f"{seg.label}: name is already used by segment #{seen[seg.name]}; names must be unique"
            )
        seen.setdefault(seg.name, seg.position)
        if seg.model.id_column != id_column:
            problems.add(
                f"{seg.label}: its model identifies leads by '{seg.model.id_column}', the segments file by "
                f"'{id_column}'; every segment must use the same id column"
            )
    if problems.items:
        raise ModelError(problems.items, source)
    return SegmentedModel(
        name=name,
        id_column=id_column,
        segments=tuple(segments),
        null_values=null_values,
        description=meta.get("description") if isinstance(meta.get("description"), str) else None,
        source=source,
    )


class _Collected:
    """Problems in order, each once (inline segments share the tables they inherit)."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        if message not in self.items:
            self.items.append(message)


def _parse_meta(problems: _Collected, meta: Mapping[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    for key in meta:
        if key not in MODEL_KEYS:
            problems.add(f"[model]: unknown key '{key}'{did_you_mean(key, MODEL_KEYS)}")
    name, id_column = meta.get("name", "Segmented model"), meta.get("id", "lead_id")
    for key, value in (("name", name), ("id", id_column)):
        if not isinstance(value, str) or not value.strip():
            problems.add(f"[model]: {key} must be non-empty text, not {value!r}")
    nulls = meta.get("null_values")
    null_values = DEFAULT_NULL_VALUES
    if isinstance(nulls, list) and all(isinstance(v, str) for v in nulls):
        null_values = tuple(dict.fromkeys([*DEFAULT_NULL_VALUES, *nulls]))
    elif nulls is not None:
        problems.add('[model] null_values must be a list of text values, e.g. null_values = ["unknown"]')
    return (
        name.strip() if isinstance(name, str) and name.strip() else "Segmented model",
        id_column.strip() if isinstance(id_column, str) and id_column.strip() else "lead_id",
        null_values,
    )


def _parse_segment(
    problems: _Collected,
    raw: Mapping[str, Any],
    position: int,
    parent: Mapping[str, Any],
    base_dir: Path,
    loaded: dict[Path, Model | None],
    own_name: str,
) -> Segment | None:
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(f'segment #{position}: needs a name, e.g. name = "Enterprise"')
        name = f"segment {position}"
    name = name.strip()
    label = f"segment '{name}' (#{position})"
    for key in raw:
        if key not in SEGMENT_KEYS:
            problems.add(f"{label}: unknown key '{key}'{did_you_mean(key, SEGMENT_KEYS)}")
    when = None
    if "when" in raw:
        when, found = parse_predicate(raw["when"], f"{label} when")
        for problem in found:
            problems.add(problem)
    path = raw.get("model")
    if path is not None and "rules" in raw:
        problems.add(f"{label}: has both model = '{path}' and [[segments.rules]]; keep one")
        return None
    if path is None and "rules" not in raw:
        problems.add(
            f'{label}: needs a model: model = "enterprise.toml" (a path relative to this file) '
            "or its own [[segments.rules]]"
        )
        return None
    model = (
        _file_model(problems, label, path, base_dir, loaded, own_name)
        if path is not None
        else _inline_model(problems, label, name, raw, parent)
    )
    if model is None:
        return None
    source = str(base_dir / path) if isinstance(path, str) else "inline"
    return Segment(name=name, position=position, when=when, model=model, source=source)


def _file_model(
    problems: _Collected,
    label: str,
    path: Any,
    base_dir: Path,
    loaded: dict[Path, Model | None],
    own_name: str,
) -> Model | None:
    """The model of the file ``path`` names (``own_name`` is the segments file's, no candidate)."""
    if not isinstance(path, str) or not path.strip():
        problems.add(
            f'{label}: model must be the path of a model file, e.g. model = "smb.toml", not {path!r}'
        )
        return None
    target = base_dir / path.strip()
    if target in loaded:
        return loaded[target]
    loaded[target] = None
    if not target.is_file():
        folder = target.parent
        nearby = [p.name for p in folder.glob("*.toml") if p.name != own_name] if folder.is_dir() else []
        where = "this folder" if folder == Path() else str(folder)
        problems.add(
            f"{label}: model file '{path}' not found in {where}{did_you_mean(target.name, nearby)}; "
            "model paths are relative to the segments file"
        )
        return None
    try:
        data = read_model_data(target)
        extra = [k for k in ("segments", "routing", "accounts") if k in data]
        if extra:
            raise ModelError(
                [
                    f"has [{extra[0]}]; a segment's model file holds rules only: set {extra[0]} in the "
                    "segments file"
                ],
                str(target),
            )
        loaded[target] = parse_model(data, source=str(target))
    except ModelError as exc:
        for problem in exc.problems:
            problems.add(f"{label}: {exc.source}: {problem}")
    return loaded[target]


def _inline_model(
    problems: _Collected, label: str, name: str, raw: Mapping[str, Any], parent: Mapping[str, Any]
) -> Model | None:
    data: dict[str, Any] = {k: parent[k] for k in INHERITED if k in parent}
    data.update({k: raw[k] for k in INHERITED[1:] if k in raw})
    meta = data.get("model")
    data["model"] = {**(meta if isinstance(meta, dict) else {}), "name": name}
    if "description" in raw:
        data["model"]["description"] = raw["description"]
    data["rules"] = raw["rules"]
    try:
        return parse_model(data, source=label)
    except ModelError as exc:
        for problem in exc.problems:
            table = re.match(r"\[(\w+)\]", problem)
            if table and table[1] in INHERITED and table[1] not in raw:
                problems.add(problem)  # a problem of the segments file's own table: say it once
            else:
                problems.add(f"{label}: {problem}")
        return None


# --------------------------------------------------------------------------------------------
# Conditions as people read them, for reports and explanations

_OP_TEXT = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "equals": "=", "not_equals": "≠"}


def condition_text(cond: Condition) -> str:
    """The test without its column, e.g. ``≥ 1000``, ``in [Spain, Mexico]``, ``within 30 days``."""
    op, value = cond.op, cond.value
    if op in _OP_TEXT:
        return f"{_OP_TEXT[op]} {_value_text(value)}"
    if op in ("in", "not_in"):
        listed = ", ".join(_value_text(v) for v in value)
        return f"in [{listed}]" if op == "in" else f"not in [{listed}]"
    if op == "between":
        return f"between {_value_text(value[0])} and {_value_text(value[1])}"
    if op == "missing":
        return "is empty" if value else "is not empty"
    if op == "within_days":
        return f"within {_value_text(value)} days"
    if op == "older_than_days":
        return f"older than {_value_text(value)} days"
    return f"{op} '{value}'"  # contains, matches


def predicate_text(pred: Predicate | None) -> str:
    """A whole ``when`` in one line, e.g. ``company_size ≥ 1000``; ``(fallback)`` for none."""
    if pred is None:
        return "(fallback)"
    if isinstance(pred, Condition):
        return f"{pred.column} {condition_text(pred)}"
    joiner = " and " if isinstance(pred, AllOf) else " or "
    parts = [predicate_text(p) if isinstance(p, Condition) else f"({predicate_text(p)})" for p in pred.parts]
    return joiner.join(parts)


def _value_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
