"""Reading a model file: TOML in, a validated :class:`~leadscore.model.types.Model` out.

Validation collects every problem before it raises, and each message names the rule (by name
and position), the key, the bad value, what is allowed, and a close match where there is one.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from leadscore.errors import ModelError, did_you_mean, quote_list
from leadscore.model.operands import BAD, OPERAND_CHECKS
from leadscore.model.problems import Problems, check_keys, is_number, number, show, string, table
from leadscore.model.quoting import backslash_hint, basic_string
from leadscore.model.toml_hints import toml_hint
from leadscore.model.types import (
    DEFAULT_NULL_VALUES,
    OPERATORS,
    AllOf,
    AnyOf,
    Band,
    Condition,
    Dimension,
    EventMatch,
    EventsConfig,
    Grades,
    Model,
    Predicate,
    Rule,
)

# files of leads, never a model: said so before TOML's parser says something less helpful. The
# readers' formats (io.readers.INPUT_EXTENSIONS) but .txt, which may be a model saved by Notepad,
# and with .xls, which they refuse with advice; written out to keep model loading free of I/O code.
DATA_EXTENSIONS = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".json", ".ndjson", ".jsonl", ".parquet")


def load_model(path: str | Path) -> Model:
    """Read and validate a model file (TOML). Raises :class:`ModelError` listing every problem."""
    return parse_model(read_model_data(path), source=str(Path(path)))


def read_model_data(path: str | Path) -> dict[str, Any]:
    """The parsed TOML of a model file, not yet validated. Raises :class:`ModelError`."""
    p = Path(path)
    if not p.exists():
        raise ModelError(
            ["file not found; check the path, or run 'leadscore init' to write a starter model"], str(p)
        )
    if p.is_dir():
        raise ModelError(["is a folder, not a model file; give the path of a .toml file"], str(p))
    if p.suffix.lower() in DATA_EXTENSIONS:
        raise ModelError(
            [
                f"is a {p.suffix.lower()} file of leads, not a model; a model is a .toml file of rules: "
                "give the leads as the input and the model with -m (or run 'leadscore init' to write one)"
            ],
            str(p),
        )
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ModelError(["is not UTF-8 text; save it as UTF-8 and try again"], str(p)) from None
    return parse_toml(text, source=str(p))


def parse_toml(text: str, source: str = "model") -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        hint = backslash_hint(str(exc), text) or toml_hint(str(exc), text)
        raise ModelError([f"is not valid TOML: {exc}" + (f"; {hint}" if hint else "")], source) from None


def parse_model_text(text: str, source: str = "model") -> Model:
    return parse_model(parse_toml(text, source), source=source)


def default_model_text() -> str:
    """The commented starter model that ships with leadscore (also what ``init`` writes)."""
    return resources.files("leadscore").joinpath("default_model.toml").read_text(encoding="utf-8")


BUILT_IN = "built-in default model"  # the source of the model default_model() returns


def default_model() -> Model:
    return parse_model_text(default_model_text(), source=BUILT_IN)


def parse_model(data: Mapping[str, Any], source: str = "model") -> Model:
    """Validate a model given as a mapping (as parsed from TOML)."""
    p = Problems()
    check_keys(p, "", data, TOP_LEVEL_KEYS)

    meta = table(p, data, "model", required=True)
    check_keys(p, "[model]", meta, ("name", "id", "description", "null_values"))
    name = string(p, "[model]", meta, "name", default="Untitled model")
    id_column = string(p, "[model]", meta, "id", default="lead_id")
    description = string(p, "[model]", meta, "description", default=None)
    nulls = meta.get("null_values")
    null_values = DEFAULT_NULL_VALUES
    if nulls is not None:
        if isinstance(nulls, list) and all(isinstance(v, str) for v in nulls):
            null_values = tuple(dict.fromkeys([*DEFAULT_NULL_VALUES, *nulls]))
        else:
            p.add('[model] null_values must be a list of text values, e.g. null_values = ["unknown"]')

    declared = _parse_dimensions(p, table(p, data, "dimensions"))
    events = _parse_events(p, table(p, data, "events"))

    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
        p.add("'rules' must be a list of [[rules]] tables")
        raw_rules = []
    if not raw_rules:
        p.add("has no [[rules]]; add at least one rule (see 'leadscore init' for an example)")
    rules = [_parse_rule(p, r, i + 1, declared) for i, r in enumerate(raw_rules)]
    seen_names: dict[str, int] = {}
    for rule in rules:
        if rule.name in seen_names:
            p.add(
                f"{rule.label}: name is already used by rule #{seen_names[rule.name]}; rule names must be unique"
            )
        seen_names.setdefault(rule.name, rule.position)

    dim_names = list(dict.fromkeys([d.name for d in declared] + [r.dimension for r in rules]))
    by_name = {d.name: d for d in declared}
    dimensions = tuple(by_name.get(n, Dimension(n)) for n in dim_names)

    written = {"score", "tier", "grade", "qualified", "rank", "reasons", *(f"{d}_score" for d in dim_names)}
    if id_column in written:
        p.add(
            f"[model] id '{id_column}' is a column leadscore writes; name the column that identifies a lead, "
            'e.g. id = "lead_id"'
        )
    for rule in rules:
        for column in (c for c in rule.columns if c in written):
            p.add(
                f"{rule.label}: column '{column}' has the name of a column leadscore writes, so this run's "
                f"{column} would replace it before the rule reads it; rename it in the leads file and here, "
                f'e.g. column = "crm_{column}"'
            )
    tiers = _parse_bands(p, "[tiers]", table(p, data, "tiers"), listed_from_the_top=True)
    qualify = table(p, data, "qualify")
    check_keys(p, "[qualify]", qualify, ("min_score",))
    min_score = number(p, "[qualify]", qualify, "min_score")
    grades = _parse_grades(p, table(p, data, "grades"), dim_names)

    if p.problems:
        raise ModelError(p.problems, source)
    return Model(
        name=name or "Untitled model",
        id_column=id_column or "lead_id",
        rules=tuple(rules),
        dimensions=dimensions,
        tiers=tiers,
        min_score=min_score,
        grades=grades,
        null_values=null_values,
        events=events,
        description=description,
        source=source,
    )


TOP_LEVEL_KEYS = ("model", "dimensions", "tiers", "qualify", "grades", "rules", "events")
RULE_KEYS = (
    "name", "dimension", "column", "all", "any", "points", "points_per_unit", "max_points",
    "min_points", "disqualify", "description", "event", "within_days", "half_life_days", "where",
    *OPERATORS,
)  # fmt: skip
EVENT_RULE_KEYS = (
    "name", "dimension", "event", "points", "points_per_unit", "max_points", "min_points",
    "disqualify", "description", "within_days", "half_life_days", "where", "min_events", "max_events",
)  # fmt: skip


def _parse_dimensions(p: Problems, table: Mapping[str, Any]) -> list[Dimension]:
    dims = []
    for name, spec in table.items():
        where = f"[dimensions] {name}"
        if not isinstance(spec, dict):
            p.add(f"{where} must be a table such as {{ max = 60, min = -40 }}, not {show(spec)}")
            continue
        check_keys(p, where, spec, ("min", "max"))
        lo, hi = number(p, where, spec, "min"), number(p, where, spec, "max")
        if lo is not None and hi is not None and lo > hi:
            p.add(f"{where}: min ({lo:g}) is above max ({hi:g})")
        elif hi is not None and hi < 0:
            p.add(
                f"{where}: max is {hi:g}, below 0, so every lead would lose points on {name}, even one no "
                f"rule fires for; give the most the dimension may add, or write min = {hi:g} for the most "
                "it may take away"
            )
        elif lo is not None and lo > 0:
            p.add(
                f"{where}: min is {lo:g}, above 0, so every lead would get points on {name}, even one no "
                f"rule fires for; give the most the dimension may take away as a negative number, or "
                f"write max = {lo:g} for the most it may add"
            )
        dims.append(Dimension(name, lo, hi))
    return dims


def _parse_events(p: Problems, table: Mapping[str, Any]) -> EventsConfig:
    check_keys(p, "[events]", table, ("id", "type", "time"))
    return EventsConfig(
        id=string(p, "[events]", table, "id", "lead_id") or "lead_id",
        type=string(p, "[events]", table, "type", "event") or "event",
        time=string(p, "[events]", table, "time", "timestamp") or "timestamp",
    )


def _parse_bands(
    p: Problems, where: str, table: Mapping[str, Any], listed_from_the_top: bool = False
) -> tuple[Band, ...]:
    bands = []
    for label, threshold in table.items():
        if not is_number(threshold):
            p.add(
                f"{where}: '{label}' must be a number (the lowest score that earns it), not {show(threshold)}"
            )
            continue
        bands.append(Band(str(label), float(threshold)))
    first: dict[float, Band] = {}
    for band in bands:
        if (same := first.setdefault(band.threshold, band)) is not band:
            p.add(
                f"{where}: '{same.label}' and '{band.label}' have the same threshold "
                f"({table[band.label]!r}); give each a different number"
            )
    if listed_from_the_top:
        _check_listed_from_the_top(p, where, table, bands)
    return tuple(sorted(bands, key=lambda b: -b.threshold))


def _check_listed_from_the_top(p: Problems, where: str, table: Mapping[str, Any], bands: list[Band]) -> None:
    """Tiers are listed from the top one down, so each threshold must be below the one above it."""
    pairs = list(itertools.pairwise(bands))
    if len(pairs) > 1 and all(upper.threshold < lower.threshold for upper, lower in pairs):
        top_down = ", ".join(f"{_toml_key(b.label)} = {table[b.label]!r}" for b in reversed(bands))
        p.add(
            f"{where}: the tiers are listed from the lowest threshold up ('{bands[0].label}' = "
            f"{table[bands[0].label]!r} first); list them from the top one down: {top_down}"
        )
        return
    for upper, lower in pairs:
        if upper.threshold < lower.threshold:
            p.add(
                f"{where}: '{upper.label}' ({table[upper.label]!r}) is listed above '{lower.label}' "
                f"({table[lower.label]!r}) but has a lower threshold; list tiers from the top one down, "
                "each lower than the one above it: swap the two numbers, or the two lines"
            )


def _toml_key(label: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_-]+", label):
        return label
    return basic_string(label)


def _parse_grades(p: Problems, table: Mapping[str, Any], dims: list[str]) -> Grades | None:
    if not table:
        return None
    check_keys(p, "[grades]", table, ("fit", "engagement"))
    for key in ("fit", "engagement"):
        if key not in table:
            p.add(f"[grades] needs both 'fit' (letters) and 'engagement' (digits); '{key}' is missing")
        elif key not in dims:
            p.add(
                f"[grades] {key}: no rule or [dimensions] entry is in dimension '{key}'{did_you_mean(key, dims)}"
            )
    fit_raw, eng_raw = table.get("fit", {}), table.get("engagement", {})
    if not isinstance(fit_raw, dict) or not isinstance(eng_raw, dict):
        p.add("[grades] fit and engagement must each be a table, e.g. fit = { A = 40, B = 25, C = 10 }")
        return None
    fit = _parse_bands(p, "[grades] fit", fit_raw)
    eng = _parse_bands(p, "[grades] engagement", eng_raw)
    bad_letters = [b.label for b in fit if not re.fullmatch(r"[A-Y]", b.label)]
    if bad_letters:
        p.add(f"[grades] fit: labels must be single capital letters A-Y, not {quote_list(bad_letters)}")
    bad_digits = [b.label for b in eng if not re.fullmatch(r"[1-8]", b.label)]
    if bad_digits:
        p.add(f"[grades] engagement: labels must be single digits 1-8, not {quote_list(bad_digits)}")
    if bad_letters or bad_digits or not fit or not eng:
        return None
    _check_best_first(p, "fit", fit_raw, fit, "A")
    _check_best_first(p, "engagement", eng_raw, eng, "1")
    return Grades(
        fit=fit,
        engagement=eng,
        fit_fallback=chr(max(ord(b.label) for b in fit) + 1),
        engagement_fallback=str(max(int(b.label) for b in eng) + 1),
    )


def _check_best_first(
    p: Problems, key: str, table: Mapping[str, Any], bands: tuple[Band, ...], best: str
) -> None:
    """A grade's letters (or digits) run from the best down, so each needs a higher threshold than the
    next: with ``fit = { A = 10, B = 25 }`` the better fit would get the worse letter."""
    by_label = sorted(bands, key=lambda b: b.label)
    for better, worse in itertools.pairwise(by_label):
        if better.threshold < worse.threshold:
            thresholds = sorted((table[b.label] for b in bands), reverse=True)
            fixed = ", ".join(f"{b.label} = {t!r}" for b, t in zip(by_label, thresholds, strict=True))
            p.add(
                f"[grades] {key}: '{better.label}' ({table[better.label]!r}) has a lower threshold than "
                f"'{worse.label}' ({table[worse.label]!r}), but {best} is the best grade; give each "
                f"{'letter' if key == 'fit' else 'digit'} a higher threshold than the next, e.g. {key} = {{ {fixed} }}"
            )
            return


def _check_cap_sign(
    p: Problems, label: str, points: float | None, max_points: float | None, min_points: float | None
) -> None:
    """A cap on the wrong side of 0: a rule that adds points capped below 0 (or one that takes
    points away floored above 0) would take points from (or give points to) every lead it fires on."""
    if points is None:
        return
    if points > 0 and max_points is not None and max_points < 0:
        p.add(
            f"{label}: max_points is {max_points:g}, below 0, but the rule adds points ({points:+g}); "
            f"every lead it fires on would lose points; give the most it may add, e.g. max_points = {-max_points:g}"
        )
    if points < 0 and min_points is not None and min_points > 0:
        p.add(
            f"{label}: min_points is {min_points:g}, above 0, but the rule takes points away ({points:+g}); "
            f"every lead it fires on would gain points; give the most it may take away, e.g. "
            f"min_points = {-min_points:g}"
        )


def _parse_rule(p: Problems, raw: Mapping[str, Any], position: int, declared: list[Dimension]) -> Rule:
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        p.add(f'rule #{position}: needs a name, e.g. name = "Executive title"')
        name = f"rule {position}"
    label = f"rule '{name.strip()}' (#{position})"
    is_event = "event" in raw
    check_keys(p, label, raw, EVENT_RULE_KEYS if is_event else RULE_KEYS)
    for key in ("min_events", "max_events"):
        if key in raw and not is_event:
            p.add(f'{label}: {key} counts the events of an event rule; add event = "..." or leave it out')

    dimension = raw.get("dimension")
    declared_names = [d.name for d in declared]
    if not isinstance(dimension, str) or not dimension.strip():
        hint = f"one of {quote_list(declared_names)}" if declared_names else 'e.g. "fit" or "engagement"'
        p.add(f"{label}: needs a dimension, {hint}")
        dimension = "fit"
    elif declared_names and dimension not in declared_names:
        p.add(
            f"{label}: dimension '{dimension}' is not in [dimensions]{did_you_mean(dimension, declared_names)}; "
            f"use one of {quote_list(declared_names)} or add it to [dimensions]"
        )

    points = number(p, label, raw, "points")
    per_unit = number(p, label, raw, "points_per_unit")
    if points is None and per_unit is None:
        p.add(f"{label}: needs points = N (given once) or points_per_unit = N (per unit)")
    elif points is not None and per_unit is not None:
        p.add(f"{label}: has both points and points_per_unit; keep one")
    max_points = number(p, label, raw, "max_points")
    min_points = number(p, label, raw, "min_points")
    if max_points is not None and min_points is not None and min_points > max_points:
        p.add(f"{label}: min_points ({min_points:g}) is above max_points ({max_points:g})")
    _check_cap_sign(p, label, points if points is not None else per_unit, max_points, min_points)
    disqualify = raw.get("disqualify", False)
    if not isinstance(disqualify, bool):
        p.add(f"{label}: disqualify must be true or false, not {show(disqualify)}")
        disqualify = False
    description = raw.get("description")
    if description is not None and not isinstance(description, str):
        p.add(f"{label}: description must be text")
        description = None

    rule = Rule(
        name=name.strip(), position=position, dimension=dimension.strip(), points=points,
        points_per_unit=per_unit, max_points=max_points, min_points=min_points,
        disqualify=disqualify, description=description,
    )  # fmt: skip
    if is_event:
        return replace(rule, event=_parse_event_match(p, label, raw))

    column = raw.get("column")
    if column is not None and (not isinstance(column, str) or not column.strip()):
        p.add(f"{label}: column must be the name of a column, not {show(column)}")
        column = None
    ops = [k for k in OPERATORS if k in raw]
    parts: list[Predicate] = []
    if ops:
        if column is None:
            p.add(f"{label}: operator '{ops[0]}' needs a column = \"...\" to test")
        else:
            cond = _parse_condition(p, label, {"column": column, **{k: raw[k] for k in ops}})
            if cond is not None:
                parts.append(cond)
    for group in ("all", "any"):
        if group in raw:
            pred = _parse_group(p, label, group, raw[group])
            if pred is not None:
                parts.append(pred)
    if column is not None and not ops and per_unit is None:
        p.add(
            f"{label}: column '{column}' has no operator; add one of {quote_list(OPERATORS)}, "
            "or points_per_unit to count its value"
        )
    if column is None and not parts and "all" not in raw and "any" not in raw:
        p.add(f'{label}: needs a condition: column = "..." with an operator, or all = [...] / any = [...]')
    if per_unit is not None and column is None:
        p.add(f'{label}: points_per_unit needs column = "..." (the number to count)')
    when: Predicate | None = None
    if len(parts) == 1:
        when = parts[0]
    elif parts:
        when = AllOf(tuple(parts))
    return replace(rule, when=when, unit_column=column if per_unit is not None else None)


def _parse_event_match(p: Problems, label: str, raw: Mapping[str, Any]) -> EventMatch:
    value = raw["event"]
    types: list[str] = []
    if isinstance(value, str) and value.strip():
        types = [value]
    elif isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        types = list(value)
    else:
        p.add(f'{label}: event must be an event type or a list of them, e.g. event = "demo_request"')
    within = number(p, label, raw, "within_days")
    half_life = number(p, label, raw, "half_life_days")
    if within is not None and within < 0:
        p.add(f"{label}: within_days must be zero or more, not {within:g}")
    if half_life is not None and half_life <= 0:
        p.add(f"{label}: half_life_days must be more than zero, not {half_life:g}")
    where = None
    if "where" in raw:
        where = _parse_predicate(p, f"{label} where", raw["where"])
    least, most = (_event_count(p, label, raw, key) for key in ("min_events", "max_events"))
    if least is not None and most is not None and least > most:
        p.add(f"{label}: min_events ({least}) is more than max_events ({most}); no lead could match")
    if (least is not None or most is not None) and "points_per_unit" in raw:
        p.add(
            f"{label}: min_events and max_events go with points = N (given once when the count is in "
            "range), not points_per_unit"
        )
    return EventMatch(
        types=tuple(t.strip().lower() for t in types),
        within_days=within,
        half_life_days=half_life,
        where=where,
        min_events=1 if least is None else least,
        max_events=most,
    )


def _event_count(p: Problems, label: str, raw: Mapping[str, Any], key: str) -> int | None:
    value = number(p, label, raw, key)
    if value is None:
        return None
    if value < 0 or not value.is_integer():
        p.add(f"{label}: {key} must be a whole number of events, 0 or more, not {show(raw[key])}")
        return None
    return int(value)


def _parse_group(p: Problems, label: str, group: str, items: Any) -> Predicate | None:
    if not isinstance(items, list) or not items:
        p.add(
            f'{label}: {group} must be a non-empty list of conditions, e.g. {group} = [ {{ column = "x", equals = 1 }} ]'
        )
        return None
    parts = [_parse_predicate(p, f"{label} {group}[{i + 1}]", item) for i, item in enumerate(items)]
    kept = tuple(x for x in parts if x is not None)
    if len(kept) != len(parts):
        return None
    return AllOf(kept) if group == "all" else AnyOf(kept)


def parse_predicate(raw: Any, where: str) -> tuple[Predicate | None, list[str]]:
    """Validate one condition table, e.g. ``{ column = "company_size", gte = 1000 }`` or
    ``{ any = [...] }``, as rules write them. Returns the predicate (None when it has problems)
    and the problems, each starting with ``where``."""
    p = Problems()
    pred = _parse_predicate(p, where, raw)
    return (pred if not p.problems else None), p.problems


def _parse_predicate(p: Problems, where: str, raw: Any) -> Predicate | None:
    if not isinstance(raw, dict):
        p.add(
            f'{where}: must be a table such as {{ column = "industry", in = ["Software"] }}, not {show(raw)}'
        )
        return None
    if "all" in raw or "any" in raw:
        check_keys(p, where, raw, ("all", "any"))
        groups = [g for g in ("all", "any") if g in raw]
        if len(groups) == 2:
            p.add(f"{where}: has both all and any; nest one inside the other")
            return None
        return _parse_group(p, where, groups[0], raw[groups[0]])
    check_keys(p, where, raw, ("column", *OPERATORS))
    if not isinstance(raw.get("column"), str) or not raw["column"].strip():
        p.add(f'{where}: needs column = "..."')
        return None
    return _parse_condition(p, where, raw)


def _parse_condition(p: Problems, where: str, raw: Mapping[str, Any]) -> Condition | None:
    column = raw["column"].strip()
    ops = [k for k in OPERATORS if k in raw]
    if not ops:
        p.add(f"{where}: column '{column}' has no operator; add one of {quote_list(OPERATORS)}")
        return None
    if len(ops) > 1:
        p.add(f"{where}: has {len(ops)} operators ({', '.join(ops)}); use one per condition, or all = [...]")
        return None
    op = ops[0]
    value = OPERAND_CHECKS[op](p, f"{where}: {op}", raw[op])
    if value is BAD:
        return None
    return Condition(column, op, value)
