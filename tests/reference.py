"""A plain, row-by-row restatement of the scoring rules in the README, used as a test oracle.

It shares no code with the engine: every value is read and every rule applied one lead at a
time, in ordinary Python, from the written semantics.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from leadscore.model import AllOf, AnyOf, Condition, Model, Predicate, Rule

# 1 and 0 may be written with one or two zero decimals (1.0, 0.00), as pandas writes a 0/1 column
# that has blanks; 1.000 is not yes (it may be a thousand).
TRUE_WORDS = {"yes", "y", "true", "t", "1", "1.0", "1.00", "sí", "si", "sì", "x", "on", "ja", "oui", "sim",
              "vrai", "wahr", "verdadero", "vero", "verdadeiro", "waar"}  # fmt: skip
FALSE_WORDS = {"no", "n", "false", "f", "0", "0.0", "0.00", "off", "nein", "nee", "non", "não", "nao",
               "faux", "falsch", "falso", "onwaar"}  # fmt: skip
# White space around a cell is Unicode's White_Space, which Python's str.strip() widens with the
# control characters \x1c to \x1f (information separators, not spaces).
SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\x1c\x1d\x1e\x1f")


def text(v: Any, nulls: set[str]) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, int):
        return str(v)
    s = str(v).strip(SPACE)
    return None if s.lower() in nulls or s == "" else s


def number(v: Any, nulls: set[str], decimal_comma: bool = False) -> float | None:
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, int | float):
        return None if math.isnan(v) or math.isinf(v) else float(v)
    if isinstance(v, dt.date):
        return None
    s = text(v, nulls)
    if s is None:
        return None
    s = s.replace("\u00a0", " ").strip(SPACE)
    inside = _in_brackets(s)
    if inside is not None:  # an accounting negative: (1,200) is -1200
        value = number(inside, set(), decimal_comma)
        return None if value is None else -value
    if s.endswith("%"):
        s = s[:-1].strip(SPACE)
    amount = _without_currency(s)
    if amount != s:
        s = amount
    elif decimal_comma and re.fullmatch(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}", s):  # the file's decimal mark is
        s = s.replace(".", "")  # the comma: 1.200 is 1200, and 1,200 is 1.2
    elif decimal_comma and re.fullmatch(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}", s):
        s = s.replace(",", ".")
    if re.fullmatch(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?", s):  # 0,125 is no thousands group
        s = s.replace(",", "")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3}){2,}(,\d+)?", s) or re.fullmatch(r"[+-]?\d{1,3}\.\d{3},\d+", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[+-]?\d*,\d+", s):
        s = s.replace(",", ".")
    elif re.fullmatch(r"[+-]?\d{1,3}( \d{3})+([.,]\d+)?", s):
        s = s.replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", s):  # as a cast reads
        return None
    value = float(s)
    return None if math.isinf(value) else value


def _in_brackets(s: str) -> str | None:
    """The amount inside ``(1,200)``, ``($1,200)`` or ``$ (1,200)``: the text with its one pair of
    brackets taken out, when a currency mark and spaces are all that is outside them and no sign
    is inside; None for anything else."""
    if s.count("(") != 1 or s.count(")") != 1 or "+" in s or "-" in s:
        return None
    before, rest = s.split("(")
    inside, after = rest.split(")") if ")" in rest else ("", "x")
    before, after = before.rstrip(" "), after.lstrip(" ")
    if not (_mark_or_nothing(before) and _mark_or_nothing(after) and inside.strip()):
        return None
    return f"{before}{inside}{after}"


def _mark_or_nothing(s: str) -> bool:
    return _mark_at_start(s) == len(s)


def _mark_at_start(s: str) -> int:
    """The length of the currency mark ``s`` starts with (0 for none): a symbol, a dollar after
    one or two capitals (US$), three capitals (USD) or kr."""
    if s[:1] and s[0] in "$€£¥₹₩₽₺₪₫₱₦฿₴₡₲":
        return 1
    letters = len(s) - len(s.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if letters in (1, 2) and s[letters : letters + 1] == "$":
        return letters + 1
    if letters >= 3:
        return 3
    return 2 if s.startswith("kr") else 0


def _without_currency(s: str) -> str:
    """A currency mark taken off the front (after a sign) and then the back of an amount, with the
    spaces beside it; then one dot before three digits groups thousands (1.200 € is 1200)."""
    before = s
    sign = s[0] if s[:1] in ("-", "+") else ""
    mark = _mark_at_start(s[len(sign) :])
    if mark:
        s = sign + s[len(sign) + mark :].lstrip(" ")
    for start in range(len(s)):  # the leftmost mark that ends the text
        if _mark_at_start(s[start:]) == len(s) - start:
            s = s[:start].rstrip(" ")
            break
    if s != before and re.fullmatch(r"[+-]?[1-9]\d{0,2}\.\d{3}", s):
        s = s.replace(".", "")
    return s


def date(v: Any, nulls: set[str], dayfirst: bool = False) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool):
        return excel(v)
    s = text(v, nulls)
    if s is None:
        return None
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    end = r"(?=$|[ T])"  # a time may follow
    for fmt, shape in (
        ("%Y/%m/%d", r"\d{4}/\d{1,2}/\d{1,2}"),
        ("%d/%m/%Y" if dayfirst else "%m/%d/%Y", r"\d{1,2}/\d{1,2}/\d{4}"),
        ("%d.%m.%Y", r"\d{1,2}\.\d{1,2}\.\d{4}"),
    ):
        if m := re.match(shape + end, s, re.ASCII):
            try:
                return dt.datetime.strptime(m[0], fmt).date()
            except ValueError:
                return None
    named = re.match(r"(\d{1,2})[- ]([a-z]{3,9})\.?[- ](\d{4}|\d{2})" + end, s, re.ASCII | re.IGNORECASE)
    if named:
        day, word, year = named.groups()
    elif named := re.match(r"([a-z]{3,9})\.? (\d{1,2}),? (\d{4})" + end, s, re.ASCII | re.IGNORECASE):
        word, day, year = named.groups()
    if named:
        full = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december"]  # fmt: skip
        word = word.lower()
        spellings = {**{m: i for i, m in enumerate(full, 1)}, **{m[:3]: i for i, m in enumerate(full, 1)}}
        month = 9 if word == "sept" else spellings.get(word)
        y = int(year) if len(year) == 4 else 2000 + int(year) if int(year) < 30 else 1900 + int(year)
        try:
            return dt.date(y, month, int(day)) if month else None
        except ValueError:
            return None
    if re.fullmatch(r"\d{4,5}(\.\d+)?", s):
        return excel(float(s))
    return None


def excel(days: float) -> dt.date | None:
    if not 1 <= days < 2_958_466:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=math.floor(days))


def boolean(v: Any, nulls: set[str]) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float):
        return True if v == 1 else False if v == 0 else None
    s = text(v, nulls)
    if s is None:
        return None
    s = s.lower()
    return True if s in TRUE_WORDS else False if s in FALSE_WORDS else None


def is_date(v: Any) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


def condition(c: Condition, row: dict[str, Any], nulls: set[str], as_of: dt.date) -> bool:
    v = row[c.column]
    op, x = c.op, c.value
    if op == "missing":
        absent = text(v, nulls) is None
        return absent if x else not absent
    if op in ("equals", "not_equals"):
        if isinstance(x, bool):
            got: Any = boolean(v, nulls)
        elif isinstance(x, str):
            t = text(v, nulls)
            got, x = (t.lower() if t is not None else None), x.strip().lower()
        elif is_date(x):
            got = date(v, nulls)
        else:
            got, x = number(v, nulls), float(x)
        if got is None:
            return False
        return got == x if op == "equals" else got != x
    if op in ("in", "not_in"):
        if isinstance(x[0], str):
            t = text(v, nulls)
            got, members = (t.lower() if t else None), {m.strip().lower() for m in x}
        else:
            got, members = number(v, nulls), {float(m) for m in x}
        if got is None:
            return False
        return (got in members) == (op == "in")
    if op == "contains":
        t = text(v, nulls)
        return t is not None and x.strip().lower() in t.lower()
    if op == "matches":
        if text(v, nulls) is None:
            return False
        return re.search(x, str(v)) is not None
    if op in ("gt", "gte", "lt", "lte", "between"):
        first = x[0] if op == "between" else x
        got = date(v, nulls) if is_date(first) else number(v, nulls)
        if got is None:
            return False
        if op == "between":
            return x[0] <= got <= x[1]
        return {"gt": got > x, "gte": got >= x, "lt": got < x, "lte": got <= x}[op]
    if op in ("within_days", "older_than_days"):
        d = date(v, nulls)
        if d is None:
            return False
        age = (as_of - d).days
        return age <= x if op == "within_days" else age > x
    raise AssertionError(op)


def predicate(p: Predicate, row: dict[str, Any], nulls: set[str], as_of: dt.date) -> bool:
    if isinstance(p, Condition):
        return condition(p, row, nulls, as_of)
    results = [predicate(q, row, nulls, as_of) for q in p.parts]
    return all(results) if isinstance(p, AllOf) else any(results) if isinstance(p, AnyOf) else False


def round_half_away(x: float, decimals: int) -> float:
    scale = 10**decimals
    return math.copysign(math.floor(abs(x) * scale + 0.5) / scale, x) + 0.0


def rule_points(
    rule: Rule, row: dict[str, Any], nulls: set[str], as_of: dt.date, integral: bool
) -> tuple[bool, float]:
    gate = predicate(rule.when, row, nulls, as_of) if rule.when is not None else True
    units = 1.0
    if rule.unit_column is not None:
        units = number(row[rule.unit_column], nulls) or 0.0
        gate = gate and units != 0
    if not gate:
        return False, 0.0
    raw = units * rule.points_per_unit if rule.points_per_unit is not None else float(rule.points or 0)
    if rule.max_points is not None:
        raw = min(raw, rule.max_points)
    if rule.min_points is not None:
        raw = max(raw, rule.min_points)
    return True, round_half_away(raw, 0 if integral else 2)


def score_row(model: Model, row: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    nulls = {v.strip().lower() for v in model.null_values} | {""}
    integral = model.integral
    d = 0 if integral else 2
    fired, points = {}, {}
    for rule in model.rules:
        fired[rule.name], points[rule.name] = rule_points(rule, row, nulls, as_of, integral)
    dims = {}
    for dim in model.dimensions:
        total = round_half_away(sum(points[r.name] for r in model.rules if r.dimension == dim.name), d)
        if dim.max is not None:
            total = min(total, dim.max)
        if dim.min is not None:
            total = max(total, dim.min)
        dims[dim.name] = total
    out: dict[str, Any] = {"score": round_half_away(sum(dims.values()), d)}
    out.update({f"{k}_score": v for k, v in dims.items()})
    if model.tiers:
        out["tier"] = next(
            (b.label for b in model.tiers if out["score"] >= b.threshold), model.tiers[-1].label
        )
    if model.grades is not None:
        g = model.grades
        letter = next((b.label for b in g.fit if dims["fit"] >= b.threshold), g.fit_fallback)
        digit = next(
            (b.label for b in g.engagement if dims["engagement"] >= b.threshold), g.engagement_fallback
        )
        out["grade"] = letter + digit
    if model.has_qualify:
        ok = model.min_score is None or out["score"] >= model.min_score
        out["qualified"] = ok and not any(fired[r.name] for r in model.rules if r.disqualify)
    ranked = sorted(
        (
            (abs(points[r.name]), i, r.name, points[r.name])
            for i, r in enumerate(model.rules)
            if points[r.name]
        ),
        key=lambda t: (-t[0], t[1]),
    )
    out["reasons"] = "; ".join(f"{name} {fmt(p)}" for _, _, name, p in ranked[:3])
    return out


def fmt(p: float) -> str:
    shown = str(int(p)) if float(p).is_integer() else repr(p)
    return f"+{shown}" if p >= 0 else shown


def score_rows(model: Model, rows: list[dict[str, Any]], as_of: dt.date) -> list[dict[str, Any]]:
    """Score and rank: score descending, then id ascending, ties keeping input order."""
    scored = [{**row, **score_row(model, row, as_of)} for row in rows]
    scored.sort(key=lambda r: r[model.id_column])
    scored.sort(key=lambda r: -r["score"])
    for i, r in enumerate(scored, start=1):
        r["rank"] = i
    return scored
