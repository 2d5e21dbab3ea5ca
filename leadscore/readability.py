"""Values an operator cannot read: a word in a number column, a date nobody can parse.

Each (column, kind) a rule reads from text is checked once: how many cells hold a value, how
many of those the reading could not read, and the first such text, with its count, as an
example. A column none of whose values can be read is an error; some unreadable values, a
warning. Each column a rule reads as an age (``within_days``, ``older_than_days``) is also
checked for dates after the as-of date, which have no age and count as that day: a warning.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import polars as pl

from leadscore import coerce
from leadscore.compiler import Context
from leadscore.errors import for_count
from leadscore.model import Model, Rule, leaf_conditions
from leadscore.operators import needed_kind


@dataclass(frozen=True)
class _ReadCheck:
    key: str
    rules: tuple[Rule, ...]  # every rule that reads the column so, in model order
    column: str
    kind: str

    @property
    def readers(self) -> str:
        """The rules, for a message: "rule 'A' (#3)", "rule 'A' (#3) and rule 'B' (#4)", each named
        up to four, then "rule 'A' (#3) and 4 others"."""
        labels = [r.label for r in self.rules]
        if len(labels) > 4:
            return f"{labels[0]} and {len(labels) - 1} others"
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" and {labels[-1]}"


AGE_OPERATORS = ("within_days", "older_than_days")


def _age_checks(model: Model) -> list[_ReadCheck]:
    """A check per column whose dates a rule reads as an age: later dates have none."""
    rules: dict[str, list[Rule]] = {}
    for rule in model.rules:
        for column in dict.fromkeys(c.column for c in leaf_conditions(rule.when) if c.op in AGE_OPERATORS):
            rules.setdefault(column, []).append(rule)
    return [_ReadCheck(f"age{i}", tuple(r), column, "date") for i, (column, r) in enumerate(rules.items())]


def _read_checks(model: Model, ctx: Context) -> list[_ReadCheck]:
    rules: dict[tuple[str, str], list[Rule]] = {}
    for rule in model.rules:
        needs = [(c.column, needed_kind(c)) for c in leaf_conditions(rule.when)]
        if rule.unit_column:
            needs.append((rule.unit_column, "number"))
        for column, kind in dict.fromkeys(needs):
            if kind != "text" and coerce.is_text(ctx.schema[column]):
                rules.setdefault((column, kind), []).append(rule)
    return [_ReadCheck(f"{i}", tuple(r), column, kind) for i, ((column, kind), r) in enumerate(rules.items())]


def readability_query(detail: pl.LazyFrame, model: Model, ctx: Context) -> pl.LazyFrame | None:
    """Per read check: cells present, cells that could not be read, the first such text and its count.

    The counts are sums over every lead; the example and its count come from the unreadable
    cells alone (filtered first), so the query streams: no column is held whole.
    """
    checks = _read_checks(model, ctx)
    ages = _age_checks(model)
    if not checks and not ages:
        return None
    counts = []
    for chk in ages:
        reader = ctx.reader(chk.column)
        later = reader.age_days() < 0
        counts += [
            reader.date().is_not_null().sum().alias(f"dates_{chk.key}"),
            later.sum().alias(f"later_{chk.key}"),
            reader.date().filter(later).max().alias(f"latest_{chk.key}"),
        ]
    if not checks:
        return detail.select(counts)
    unread = []
    for chk in checks:
        reader = ctx.reader(chk.column)
        parsed = {"number": reader.number, "date": reader.date, "boolean": reader.boolean}[chk.kind]()
        present = reader.present(chk.kind)
        bad = present & parsed.is_null()
        counts += [present.sum().alias(f"present_{chk.key}"), bad.sum().alias(f"bad_{chk.key}")]
        # the text of every cell the parse could miss, on the rows where it did
        unread.append(pl.when(bad).then(reader.unread_text(chk.kind)).alias(f"unread_{chk.key}"))
    examples = []
    for chk in checks:
        cells = pl.col(f"unread_{chk.key}").drop_nulls()
        examples += [
            cells.first().alias(f"example_{chk.key}"),
            (cells == cells.first()).sum().alias(f"same_{chk.key}"),
        ]
    bad_cells = detail.select(unread).filter(pl.any_horizontal(pl.all().is_not_null())).select(examples)
    return pl.concat([detail.select(counts), bad_cells], how="horizontal")


KIND_WORDS = {"number": "numbers", "date": "dates", "boolean": "yes/no values"}


def readability_messages(model: Model, ctx: Context, row: pl.DataFrame) -> tuple[list[str], list[str]]:
    """(errors, warnings): a column none of whose values can be read is an error; some, a warning."""
    errors, warnings = [], []
    for chk in _age_checks(model):
        later = int(row[f"later_{chk.key}"][0] or 0)
        if later:
            dates, latest = int(row[f"dates_{chk.key}"][0]), row[f"latest_{chk.key}"][0]
            who = for_count(len(chk.rules), "the rule counts", "the rules count")
            where = f" in column '{chk.column}'"
            warnings.append(f"{chk.readers}: {later_dates(later, dates, latest, ctx.as_of, who, where)}")
    for chk in _read_checks(model, ctx):
        present = int(row[f"present_{chk.key}"][0] or 0)
        bad = int(row[f"bad_{chk.key}"][0] or 0)
        example = row[f"example_{chk.key}"][0]
        same = int(row[f"same_{chk.key}"][0] or 0)
        shown = example_text(example, same)
        if not bad:
            continue
        what = KIND_WORDS[chk.kind]
        hint = (
            date_order_hint(example, ctx.conventions.dayfirst)
            if chk.kind == "date"
            else _range_hint(example, len(chk.rules))
        )
        if bad == present:
            fix = hint or "check the column, or change the rule's operator"
            verb = for_count(len(chk.rules), "reads", "read")
            errors.append(
                f"{chk.readers} {verb} column '{chk.column}' as {what}, but none of its {present:,} values "
                f"is one ({shown}); {fix}"
            )
        else:
            # not "missing": a missing = true rule does not fire for them, as they hold a value
            skips = for_count(len(chk.rules), "the rule skips them", "the rules skip them")
            warnings.append(
                f"{chk.readers}: {bad:,} of {present:,} values in column '{chk.column}' are not {what} "
                f"({shown}); {skips}" + (f"; {hint}" if hint else "")
            )
    return errors, warnings


# A picklist's range of numbers, e.g. HubSpot's employee counts: '51-200', '1,001 to 5,000',
# '10,001+', '<10', 'Over 500', '$1M-$5M', '1000 or more employees'.
_AMOUNT = r"[$€£]?\s*\d[\d.,\s]*[kmb]?"
_RANGE = re.compile(
    rf"^\s*(?:{_AMOUNT}\s*(?:-|–|—|to)\s*{_AMOUNT}|{_AMOUNT}\s*(?:\+|or (?:more|less|fewer)|and (?:up|over))"
    rf"|(?:<|>|<=|>=|under|over|less than|more than|fewer than|up to)\s*{_AMOUNT})"
    r"\s*(?:employees|people|staff)?\s*$",
    re.IGNORECASE,
)


def looks_like_range(text: object) -> bool:
    """Whether ``text`` is a range of numbers as picklists write them.

    >>> looks_like_range("51-200"), looks_like_range("10,001+"), looks_like_range("lots")
    (True, True, False)
    """
    return text is not None and _RANGE.match(str(text)) is not None


def later_dates(later: int, dates: int, latest: object, as_of: dt.date, who: str, where: str = "") -> str:
    """Dates after the as-of date, which have no age: they count as that day.

    >>> later_dates(3, 40, dt.date(2026, 11, 20), dt.date(2026, 11, 1), "the rule counts", " in column 'seen'")
    "3 of 40 dates in column 'seen' are after the as-of date 2026-11-01 (the latest 2026-11-20); the rule \
counts them as dated 2026-11-01; if the file is newer, give --as-of the day it was exported"
    """
    shown = latest.isoformat() if isinstance(latest, dt.date) else str(latest)
    if as_of == dt.date.today():
        return (
            f"{later:,} of {dates:,} dates{where} are after today (the latest {shown}); {who} them as dated "
            "today; check that the column holds past dates, not planned ones"
        )
    day = as_of.isoformat()
    return (
        f"{later:,} of {dates:,} dates{where} are after the as-of date {day} (the latest {shown}); {who} "
        f"them as dated {day}; if the file is newer, give --as-of the day it was exported"
    )


def example_text(example: object, same: int) -> str:
    """An unreadable value shown in a message, with how many rows hold it.

    >>> example_text("many", 2)
    "e.g. 'many' on 2 rows"
    """
    return f"e.g. '{example}' on {same:,} row{'s' if same != 1 else ''}"


def _range_hint(example: object, rules: int = 1) -> str | None:
    """A range where a number was wanted: say how to score a picklist's values."""
    if not looks_like_range(example):
        return None
    listed = json.dumps([str(example)], ensure_ascii=False)
    which = (
        "the operator with in and the ranges the rule means"
        if rules == 1
        else ("each rule's operator with in and the ranges it means")
    )
    return f"they are ranges from a picklist: replace {which}, e.g. in = {listed}"


def date_order_hint(example: object, dayfirst: bool) -> str | None:
    """A slashed date that only reads the other way round: say which option fixes it."""
    match = re.match(r"^\s*(\d{1,2})/(\d{1,2})/\d{4}", str(example))
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if not dayfirst and first > 12 >= second:
        return "they look like day/month/year: add --dayfirst"
    if dayfirst and second > 12 >= first:
        return "they look like month/day/year: add --monthfirst"
    return None
