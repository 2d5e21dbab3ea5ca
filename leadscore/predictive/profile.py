"""Decide what each history column is: a number, a category, yes/no, a date, or something to skip.

Every column is read the way the scoring engine reads it (the same readers, the same
placeholders), in one query that counts, per column, how many cells are present and how many
read as numbers, dates and yes/no values. Those counts decide its kind:

- yes/no: every present value reads as yes/no (``yes``, ``FALSE``, ``1``, ...);
- number: at least 95 % read as numbers, with at least three different values;
- date: at least 95 % read as dates (it becomes "days before the as-of date");
- category: anything else, unless it looks like an id (nearly every value different) or free
  text (long values, nearly all different). Numbers that are identifiers, not quantities, are
  read as text too: those of a column named like an id (``hs_object_id``) and codes written
  with leading zeros (zip codes such as ``01234``);
- skipped: empty or constant columns, ids, free text, personal details (names, e-mail
  addresses, phone numbers: noise at best, and no reason to treat a person differently), the
  columns an earlier ``leadscore score`` run wrote (see :func:`earlier_output`), and the id
  column and the target.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl

from leadscore.changes import CHANGE, PREVIOUS_SCORE, PREVIOUS_TIER
from leadscore.coerce import Conventions
from leadscore.compiler import Context
from leadscore.engine import GRADE, QUALIFIED, RANK, REASONS, SCORE, TIER, dimension_column
from leadscore.errors import squashed
from leadscore.model import DEFAULT_NULL_VALUES
from leadscore.readability import KIND_WORDS, date_order_hint, example_text, later_dates
from leadscore.starter import CRM_NAMES

NUMBER, CATEGORY, BOOLEAN, DATE = "number", "category", "yes/no", "date"
PARSED_SHARE = 0.95  # share of present values that must read as numbers (or dates)
DISTINCT_SHARE = 0.5  # a text column with more different values than this share is id-like
FREE_TEXT_LENGTH = 30  # mean characters of a free-text column
ID_NAMES = ("lead_id", "id", "leadid", "contact_id", "record_id")
EARLIER_OUTPUT = "leadscore's output of an earlier run"
LEADING_ZERO = r"^0[0-9]"  # 01234: a code (zip, account number), not a quantity
LEADING_ZERO_SHARE = 0.01  # of present values, for a number-looking column to be read as codes
# Words in a column name that say it records behaviour (engagement), not who the lead is (fit).
ENGAGEMENT_WORDS = (
    "visit", "click", "open", "download", "view", "page", "webinar", "demo", "unsubscrib",
    "activit", "session", "form", "event", "attend", "request", "call", "meeting", "engag",
    "trial", "login", "campaign", "contact", "previous", "seen", "repl", "chat", "video",
    "signup", "subscri", "poutcome", "pdays",
)  # fmt: skip
# Columns that identify a person: never a reason to score a lead up or down.
PERSONAL_NAMES = (
    "name", "first_name", "last_name", "full_name", "firstname", "lastname", "fullname", "surname",
    "given_name", "email", "e_mail", "email_address", "phone", "phone_number", "mobile", "address",
    "street", "ip", "ip_address",
)  # fmt: skip


@dataclass(frozen=True)
class ColumnProfile:
    """What a column holds and what fit does with it."""

    name: str
    kind: str | None  # NUMBER, CATEGORY, BOOLEAN, DATE, or None when skipped
    present: int
    distinct: int
    skip_reason: str | None = None
    integral: bool = False  # numbers: every value is whole
    warnings: tuple[str, ...] = ()  # e.g. dates written day first, read without --dayfirst

    @property
    def used(self) -> bool:
        return self.kind is not None


def name_words(name: str) -> list[str]:
    """``lastActivityDate`` -> ``['last', 'activity', 'date']``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def is_engagement(name: str) -> bool:
    """Whether a column's name says it records behaviour (visits, clicks, demo requests...)."""
    return any(w.startswith(stem) for w in name_words(name) for stem in ENGAGEMENT_WORDS)


def is_id_name(name: str) -> bool:
    """Whether a column's name says it holds ids: ``lead_id``, ``id``, ``..._id``, or what CRMs call
    a lead's id (``Record ID``, ``hs_object_id``; see :data:`leadscore.starter.CRM_NAMES`).

    >>> is_id_name("hs_object_id"), is_id_name("Record ID"), is_id_name("LeadId"), is_id_name("revenue")
    (True, True, True, False)
    """
    known = {squashed(n) for n in (*ID_NAMES, *CRM_NAMES["lead_id"])}
    return squashed(name) in known or name_words(name)[-1:] == ["id"]


def guess_id_column(columns: Sequence[str]) -> str | None:
    """The column that names each lead: ``lead_id``, ``id``, or another ``..._id`` column."""
    lowered = {c.lower(): c for c in columns}
    for name in ID_NAMES:
        if name in lowered:
            return lowered[name]
    for column in columns:
        if name_words(column)[-1:] == ["id"]:
            return column
    return None


def earlier_output(columns: Sequence[str]) -> list[str]:
    """The columns of ``columns`` that an earlier ``leadscore score`` run wrote, if it wrote them.

    A scored file always has ``score`` and ``rank``; with both there, the other columns scoring
    writes are its output too: ``tier``, ``grade``, ``qualified``, ``reasons``, each dimension's
    ``<name>_score`` and what ``--previous`` adds. Learning from them would learn an old model's
    points back. Without both, a column called ``tier`` or ``grade`` is the CRM's own.

    >>> earlier_output(["lead_id", "visits", "score", "fit_score", "tier", "rank", "reasons"])
    ['score', 'fit_score', 'tier', 'rank', 'reasons']
    >>> earlier_output(["lead_id", "tier", "credit_score"])
    []
    """
    if not {SCORE, RANK} <= set(columns):
        return []
    written = {SCORE, TIER, GRADE, QUALIFIED, RANK, REASONS, PREVIOUS_SCORE, PREVIOUS_TIER, CHANGE}
    return [c for c in columns if c in written or c.endswith(dimension_column(""))]


def _aggregations(ctx: Context, column: str, i: int) -> list[pl.Expr]:
    reader = ctx.reader(column)
    text = reader.text()
    number = reader.number()
    dtype = ctx.schema[column]
    date = reader.date() if (dtype == pl.Date or isinstance(dtype, pl.Datetime) or reader.from_text) else None
    aggs = [
        text.is_not_null().sum().alias(f"present_{i}"),
        reader.folded().drop_nulls().n_unique().alias(f"distinct_{i}"),
        number.is_not_null().sum().alias(f"numbers_{i}"),
        number.drop_nulls().n_unique().alias(f"number_values_{i}"),
        (number.round(0) == number).all().alias(f"integral_{i}"),
        number.min().alias(f"min_{i}"),
        number.max().alias(f"max_{i}"),
        reader.boolean().is_not_null().sum().alias(f"booleans_{i}"),
        text.str.len_chars().mean().alias(f"length_{i}"),
    ]
    if reader.from_text:
        zeros = text.str.contains(LEADING_ZERO)
        aggs += [zeros.sum().alias(f"zeros_{i}"), text.filter(zeros).first().alias(f"zero_{i}")]
    if date is not None:
        later = reader.age_days() < 0
        aggs += [
            date.is_not_null().sum().alias(f"dates_{i}"),
            later.sum().alias(f"later_{i}"),
            date.filter(later).max().alias(f"latest_{i}"),
        ]
    if reader.from_text:
        # the first text that does not read as a date, as score's readability check shows it
        unread = reader.unread_text("date").filter(reader.present("date") & reader.date().is_null())
        aggs += [
            unread.len().alias(f"undated_{i}"),
            unread.first().alias(f"undated_example_{i}"),
            (unread == unread.first()).sum().alias(f"undated_same_{i}"),
        ]
    return aggs


def profile_columns(
    frame: pl.DataFrame,
    columns: Sequence[str],
    *,
    as_of: dt.date,
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
    conventions: Conventions = Conventions(),
) -> list[ColumnProfile]:
    """Profile ``columns`` of ``frame`` in one pass; see the module docstring for the rules."""
    if not columns:
        return []
    ctx = Context(frame.schema, tuple(null_values), as_of, conventions)
    aggs = [a for i, c in enumerate(columns) for a in _aggregations(ctx, c, i)]
    stats = ctx.add_readings(frame.lazy()).select(aggs).collect().row(0, named=True)
    found = []
    for i, c in enumerate(columns):
        s = {k.rsplit("_", 1)[0]: v for k, v in stats.items() if k.endswith(f"_{i}")}
        found.append(_with_later_dates(_with_date_order(_classify(c, s), s, conventions.dayfirst), s, as_of))
    return found


def _with_later_dates(p: ColumnProfile, s: dict[str, object], as_of: dt.date) -> ColumnProfile:
    """Dates after the as-of date have no age: fit counts them as that day, and says so."""
    later = _int(s.get("later"))
    if p.kind != DATE or not later:
        return p
    text = later_dates(later, _int(s["dates"]), s["latest"], as_of, "fit counts")
    return replace(p, warnings=(*p.warnings, f"column '{p.name}': {text}"))


def _with_date_order(p: ColumnProfile, s: dict[str, object], dayfirst: bool) -> ColumnProfile:
    """Dates that only read the other way round (day first, or month first): a warning that says
    which option fixes them, as score gives; and, when that left them unread, no other use."""
    undated = _int(s.get("undated"))
    hint = date_order_hint(s.get("undated_example"), dayfirst) if undated else None
    if hint is None:
        return p
    same = _int(s.get("undated_same"))
    shown = example_text(s["undated_example"], same)
    what = "; fit skips them" if p.kind == DATE else ", so fit did not read it as dates"
    warning = (
        f"column '{p.name}': {undated:,} of {p.present:,} values are not {KIND_WORDS['date']} ({shown})"
        f"{what}; {hint}"
    )
    if p.kind == DATE:
        return replace(p, warnings=(warning,))
    return replace(p, kind=None, skip_reason=f"dates not read: {hint}", warnings=(warning,))


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _classify(name: str, s: dict[str, object]) -> ColumnProfile:
    present, distinct = _int(s["present"]), _int(s["distinct"])
    numbers, number_values = _int(s["numbers"]), _int(s["number_values"])

    def skip(reason: str) -> ColumnProfile:
        return ColumnProfile(name, None, present, distinct, reason)

    if "_".join(name_words(name)) in PERSONAL_NAMES:
        return skip("personal details")
    if present == 0:
        return skip("empty")
    if distinct == 1:
        return skip("constant: every value is the same")
    if _int(s["booleans"]) == present:
        return ColumnProfile(name, BOOLEAN, present, distinct)
    if numbers >= PARSED_SHARE * present and number_values >= 3:
        code = _identifiers(name, present, s)
        if code is not None:  # identifiers, not quantities: text, grouped when few enough
            if present >= 20 and distinct > DISTINCT_SHARE * present:
                return skip(f"id-like: {code}, {distinct:,} different values in {present:,} rows")
            return ColumnProfile(name, CATEGORY, present, distinct)
        integral = bool(s["integral"])
        span = _float(s["max"]) - _float(s["min"]) + 1
        if integral and number_values == numbers >= 20 and span <= 1.5 * numbers:
            return skip("id-like: every value different, counting up")
        return ColumnProfile(name, NUMBER, present, distinct, integral=integral)
    if _int(s.get("dates")) >= PARSED_SHARE * present:
        return ColumnProfile(name, DATE, present, distinct)
    if present >= 20 and distinct > DISTINCT_SHARE * present:
        length = _float(s["length"])
        if length >= FREE_TEXT_LENGTH:
            return skip(f"free text: {distinct:,} different values, {length:.0f} characters on average")
        return skip(f"id-like: {distinct:,} different values in {present:,} rows")
    return ColumnProfile(name, CATEGORY, present, distinct)


def _identifiers(name: str, present: int, s: dict[str, object]) -> str | None:
    """Why a column of numbers holds identifiers rather than quantities, or None when it does not."""
    if is_id_name(name):
        return "numbers in a column named like an id"
    zeros = _int(s.get("zeros"))
    if zeros and zeros >= LEADING_ZERO_SHARE * present:
        return f"codes written with leading zeros, such as '{s['zero']}'"
    return None
