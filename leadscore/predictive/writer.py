"""Write a learnt model as an ordinary, commented model file (TOML).

The file is written by hand rather than by a TOML library, so that it reads like one a person
wrote: the header says how it was learnt, each rule is preceded by a comment with its bin's
lead count and conversion rate, and conditions use the plain operators of any model file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from leadscore.ids import ROW_ID
from leadscore.model import AllOf, AnyOf, Condition, EventsConfig, Predicate
from leadscore.model.quoting import basic_string

_NUMBERED = "  # the history has no id column: leads are numbered 1, 2, 3... in file order"


@dataclass(frozen=True)
class EventCount:
    """What a learnt event rule counts: events of one type in a window, within a range."""

    type: str
    within_days: int
    min_events: int
    max_events: int | None


@dataclass(frozen=True)
class LearntRule:
    name: str
    dimension: str
    condition: Predicate  # for an event rule, the same range on the history's count column
    points: int
    leads: int
    converted: int
    column: str = ""  # the history column it was learnt from
    event: EventCount | None = None

    @property
    def rate(self) -> float:
        return self.converted / self.leads if self.leads else 0.0


@dataclass(frozen=True)
class ModelText:
    """Everything the written file says, in the order it says it."""

    name: str
    description: str
    header: Sequence[str]  # comment lines at the top of the file
    id_column: str
    dimensions: Sequence[tuple[str, str]]  # (name, comment)
    tiers: Sequence[tuple[str, int]]
    tiers_comment: str
    min_score: int
    qualify_comment: str
    grades: tuple[Sequence[tuple[str, int]], Sequence[tuple[str, int]]] | None
    grades_comment: str
    rules: Sequence[LearntRule]
    events: EventsConfig | None = None  # the activity log's columns, when rules count events
    unscored: Sequence[LearntRule] = ()  # bins that earned 0 points: a comment before their column's rules


def toml_value(value: object) -> str:
    """A value as TOML: strings quoted and escaped, numbers and true/false as they are.

    Examples
    --------
    >>> toml_value('say "hi"'), toml_value(True), toml_value(2.5), toml_value(("a", "b"))
    ('"say \\\\"hi\\\\""', 'true', '2.5', '["a", "b"]')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return basic_string(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _inline(pred: Predicate) -> str:
    if isinstance(pred, Condition):
        return f"{{ column = {toml_value(pred.column)}, {pred.op} = {toml_value(pred.value)} }}"
    key = "all" if isinstance(pred, AllOf) else "any"
    return f"{{ {key} = [ " + ", ".join(_inline(p) for p in pred.parts) + " ] }"


def condition_lines(pred: Predicate) -> list[str]:
    """The keys that state a rule's condition."""
    if isinstance(pred, Condition):
        return [f"column = {toml_value(pred.column)}", f"{pred.op} = {toml_value(pred.value)}"]
    assert isinstance(pred, AllOf | AnyOf)
    key = "all" if isinstance(pred, AllOf) else "any"
    return [f"{key} = [ " + ", ".join(_inline(p) for p in pred.parts) + " ]"]


def _rule_lines(r: LearntRule) -> list[str]:
    if r.event is None:
        return condition_lines(r.condition)
    e = r.event
    lines = [f"event = {toml_value(e.type)}", f"within_days = {e.within_days}"]
    if e.min_events != 1:
        lines.append(f"min_events = {e.min_events}")
    if e.max_events is not None:
        lines.append(f"max_events = {e.max_events}")
    return lines


def _unscored_lines(bins: Sequence[LearntRule]) -> list[str]:
    """A comment naming a column's bins that earned 0 points: they need no rule, and the reader of
    the file learns that leads there score nothing for the column (and how they converted)."""
    if not bins:
        return []
    return [
        "",
        *(
            f"# {_comment(b.name)}: 0 points, no rule ({b.leads:,} leads, {b.rate:.1%} converted)"
            for b in bins
        ),
    ]


def _comment(text: str) -> str:
    return " ".join(text.split())  # a comment must stay on its line


def _bands(bands: Sequence[tuple[str, int]]) -> str:
    """``{ A = 40, B = 25 }``: grade labels are letters or digits, bare TOML keys."""
    return "{ " + ", ".join(f"{label} = {t}" for label, t in bands) + " }"


def model_toml(m: ModelText) -> str:
    """The model file's text."""
    out = [f"# {_comment(line)}" if line else "#" for line in m.header]
    out += [
        "",
        "[model]",
        f"name = {toml_value(m.name)}",
        f"id = {toml_value(m.id_column)}" + (_NUMBERED if m.id_column == ROW_ID else ""),
        f"description = {toml_value(m.description)}",
    ]
    if m.events is not None:
        out += [
            "",
            "[events]                            # the activity log's columns (give it with --events)",
            f"id = {toml_value(m.events.id)}",
            f"type = {toml_value(m.events.type)}",
            f"time = {toml_value(m.events.time)}",
        ]
    out += [
        "",
        "[dimensions]                        # no caps: a dimension's score is the sum of its rules",
    ]
    out += [f"{name} = {{}}  # {_comment(note)}" for name, note in m.dimensions]
    out += ["", f"[tiers]                             # {_comment(m.tiers_comment)}"]
    out += [f"{label} = {t}" for label, t in m.tiers]
    out += ["", "[qualify]", f"min_score = {m.min_score}  # {_comment(m.qualify_comment)}"]
    if m.grades is not None:
        fit, engagement = m.grades
        out += [
            "",
            f"[grades]                            # {_comment(m.grades_comment)}",
            f"fit = {_bands(fit)}",
            f"engagement = {_bands(engagement)}",
        ]
    for dimension, _ in m.dimensions:
        members = [r for r in m.rules if r.dimension == dimension]
        if not members:
            continue
        out += ["", f"# {'-' * 60} {dimension}"]
        for k, r in enumerate(members):
            if k == 0 or members[k - 1].column != r.column:
                out += _unscored_lines([u for u in m.unscored if u.column == r.column])
            out += [
                "",
                f"# {r.leads:,} leads, {r.rate:.1%} converted",
                "[[rules]]",
                f"name = {toml_value(r.name)}",
                f"dimension = {toml_value(r.dimension)}",
                *_rule_lines(r),
                f"points = {r.points}",
            ]
    return "\n".join(out) + "\n"
