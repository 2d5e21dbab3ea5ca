r"""How to fix the TOML mistakes people make when they write a model by hand.

``tomllib`` says where the text stopped making sense (``Invalid value (at line 5, column
13)``), not what to write instead. These hints read the line it names and say that, in the
model's own words: text goes in double quotes, dates are written year first, a number has no
``%`` and no thousands separator, a key is given once.

>>> print(toml_hint("Invalid value (at line 1, column 13)", "dimension = fit"))
put text in double quotes: dimension = "fit"
"""

from __future__ import annotations

import json
import re

_AT = re.compile(r"\(at line (\d+), column \d+\)")
_KEY_VALUE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$")
_KEY_THEN = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*:?\s*(\S.*?)\s*$")  # points: 10, points 10
_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_CURLY = "“”„‘’‚«»"  # typographic quotes, as word processors and chat apps write them
_SLASHED_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})[/.-](\d{4})$")
_SPACED_SIGN = re.compile(r"^([+-])\s+(\d[\d.]*)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_PERCENT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%$")
_GROUPED = re.compile(r"^([+-]?\d{1,3})((?:[ ,.'’]\d{3})+)$")
_DECIMAL_COMMA = re.compile(r"^([+-]?\d+),(\d+)$")
_LEADING_ZERO = re.compile(r"^([+-]?)0+(\d+)$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$")
_YES_NO = {"yes": "true", "no": "false", "y": "true", "n": "false"}


def toml_hint(message: str, text: str) -> str:
    """What to write instead, for ``tomllib``'s ``message`` about ``text``; "" when there is no
    sure advice (the message alone is shown then)."""
    if message.startswith(("Cannot overwrite a value", "Cannot declare")):
        return _twice(text)
    at = _AT.search(message)
    lines = text.splitlines()
    if at is None or not 1 <= int(at.group(1)) <= len(lines):
        return _unclosed_quote(lines) if message.startswith('Expected "\'"') else ""
    line = _without_comment(lines[int(at.group(1)) - 1])
    if message.startswith("Illegal character '\\n'"):
        quote = next((q for q in "\"'" if line.count(q) % 2), None)
        return (
            f"a quote is never closed on that line: end the text with {quote} on the same line"
            if quote
            else ""
        )
    if message.startswith("Expected '=' after a key"):
        return _missing_equals(line)
    if message.startswith("Unclosed array"):
        return "a list is never closed: end it with ] after its last value"
    match = _KEY_VALUE.match(line)
    if match is None:
        return ""
    key, value = match.groups()
    return _value_hint(key, value)


def _value_hint(key: str, value: str) -> str:
    if any(q in value for q in _CURLY):
        inner = value.strip(_CURLY + "\"' ")
        return f'use straight quotes (") around text, not typographic ones: {key} = {json.dumps(inner, ensure_ascii=False)}'
    if date := _SLASHED_DATE.match(value):
        return f"write dates year first, without quotes: {key} = {_iso(key, *date.groups())}"
    if _ISO_DATE.match(value):
        return f"{value} is no date: write it year-month-day, with a month up to 12 and a day up to 31"
    if percent := _PERCENT.match(value):
        return f"write the number without %: {key} = {percent.group(1).replace(',', '.')}"
    if grouped := _GROUPED.match(value):
        digits = grouped.group(1) + re.sub(r"\D", "", grouped.group(2))
        return f"write numbers without thousands separators: {key} = {digits}"
    if sign := _SPACED_SIGN.match(value):
        return f"write the sign next to the number: {key} = {sign.group(1)}{sign.group(2)}"
    if decimal := _DECIMAL_COMMA.match(value):
        return f"write decimals with a point: {key} = {decimal.group(1)}.{decimal.group(2)}"
    if zero := _LEADING_ZERO.match(value):
        number = f"{zero.group(1)}{zero.group(2)}"
        return f'a number cannot start with 0: {key} = {number}, or {key} = "{value}" for text such as an id'
    if value.lower() in ("true", "false"):
        return f"write true and false in lower case: {key} = {value.lower()}"
    if value.lower() in _YES_NO:
        return f"write yes/no as true or false: {key} = {_YES_NO[value.lower()]}"
    if value.startswith("[") and value.endswith("]"):
        items = [v.strip() for v in value[1:-1].split(",") if v.strip()]
        if items and any(_bare(v) for v in items):
            listed = ", ".join(_quoted(v) if _bare(v) else v for v in items)
            return f"put each text in the list in double quotes: {key} = [{listed}]"
        return ""
    if _bare(value):
        return f"put text in double quotes: {key} = {_quoted(value)}"
    return ""


def _bare(value: str) -> bool:
    """Text written without quotes (not a number, a date, true/false, a list or a table)."""
    return (
        bool(value)
        and value[0] not in "\"'[{"
        and not _NUMBER.match(value)
        and value not in ("true", "false")
    )


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _iso(key: str, first: str, mark: str, second: str, year: str) -> str:
    """A date written 03/11/2026 (or with dots, day first), year first; both readings when it
    could be either."""

    def written(month: str, day: str) -> str:
        return f"{year}-{int(month):02d}-{int(day):02d}"

    if mark == "." or int(first) > 12:
        return written(second, first)
    if int(second) > 12 or first == second:
        return written(first, second)
    return f"{written(first, second)} (or {key} = {written(second, first)} if {first} is the day)"


def _missing_equals(line: str) -> str:
    match = _KEY_THEN.match(line)
    if match is None:
        return ""
    return f"write a key, =, then its value: {match.group(1)} = {match.group(2)}"


def _twice(text: str) -> str:
    """Name a key given twice in one table, or a table declared twice, with both lines."""
    tables: dict[str, int] = {}
    keys: dict[str, int] = {}
    where = "at the top of the file"
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _without_comment(raw)
        if table := _TABLE.match(line):
            name, many = table.group(1), line.lstrip().startswith("[[")
            if not many and name in tables:
                return f"[{name}] is written twice (lines {tables[name]} and {number}); keep one, with all its keys"
            tables.setdefault(name, number)
            where = f"in one [[{name}]]" if many else f"in [{name}]"
            keys = {}
        elif pair := _KEY_VALUE.match(line):
            key = pair.group(1)
            if key in keys:
                return f"'{key}' is given twice {where} (lines {keys[key]} and {number}); keep one"
            keys[key] = number
    return ""


def _unclosed_quote(lines: list[str]) -> str:
    for number, raw in enumerate(lines, start=1):
        if _without_comment(raw).count("'") % 2:
            return f"a quote is never closed on line {number}: end the text with ' on the same line"
    return ""


def _without_comment(line: str) -> str:
    """``line`` up to a ``#`` that is outside quotes."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i].rstrip()
    return line
