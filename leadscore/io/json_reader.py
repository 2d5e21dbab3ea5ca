"""Read leads from a JSON array of records, or from NDJSON (one record per line).

Polars does the reading; Python's json module is used only to say where a broken file
breaks, to keep the columns in the order their keys first appear, and to unwrap an API's
answer (HubSpot's records, which hold their fields in ``properties``, included).
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from leadscore.errors import InputError, quote_list

_KEY_ORDER_RECORDS = 1000  # records looked at to keep the keys in the order of the file
_EMPTY_ARRAY = re.compile(r"\s*\[\s*\]\s*")
_PROPERTIES = "properties"  # HubSpot's v3 API: {"id": "101", "properties": {"email": ...}, ...}


def _json_text(name: str, path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 (byte 0x{data[exc.start]:02x} at position {exc.start}); "
            "JSON files must be UTF-8: export it again"
        ) from None
    if not text.strip():
        raise InputError(f"{name} is empty: export the leads again")
    return text


def read_json_source(name: str, path: Path) -> tuple[pl.DataFrame, list[str]]:
    """Read a file holding one JSON array of records (objects), keeping their types; and the
    notices about reading it.

    An API's answer, an object with the array inside (``{"results": [...]}``, or Salesforce's
    ``{"result": {"records": [...]}}``), is read from that array when it is the only one. A file
    of one record per line (JSON Lines, which many tools name .json) is read as NDJSON.
    """
    text = _json_text(name, path)
    start = text.lstrip()[:1]
    if start == "{":
        return _wrapped_records(name, text)
    if start != "[":
        raise InputError(
            f"{name} must hold an array of lead records, like "
            f'[{{"email": "a@b.com"}}, ...], but it starts with {start!r}'
        )
    if _EMPTY_ARRAY.fullmatch(text):
        raise InputError(f"{name} holds no lead records: its array is empty; export the leads again")
    return _with_properties_lifted(name, _records_frame(name, text))


def _wrapped_records(name: str, text: str) -> tuple[pl.DataFrame, list[str]]:
    """The one array of records inside a JSON object, with a notice naming where it was."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as bad:
        if _json_lines(text, bad):
            lines = f"{name} holds one JSON record per line (JSON Lines), not one JSON document"
            frame, notices = _with_properties_lifted(name, _ndjson_frame(name, text))
            return frame, [f"{lines}: read it as .ndjson", *notices]
        raise _json_problem(name, text, bad) from None
    arrays = dict(_record_arrays(document))
    found = {path: records for path, records in arrays.items() if records}
    if arrays and not found:  # an API's answer to a query that found nothing
        empty = ", ".join(repr(path) for path in arrays)
        its = f"its array {empty} is" if len(arrays) == 1 else f"its arrays {empty} are"
        raise InputError(f"{name} holds no lead records: {its} empty; export the leads again")
    if len(found) != 1:
        where = (
            f"several arrays of records ({', '.join(repr(p) for p in found)})"
            if found
            else "no array of lead records"
        )
        raise InputError(
            f"{name} holds an object with {where}; export the leads as one array, like "
            '[{"email": "a@b.com"}, ...]'
        )
    [(path, records)] = found.items()
    notice = f"{name}: read the {len(records):,} records under '{path}'"
    if all(isinstance(r, dict) and isinstance(r.get(_PROPERTIES), dict) for r in records):
        records, shadowed = _lifted_properties(records)
        notice += f", the fields of their '{_PROPERTIES}' as columns{_left_out(shadowed)}"
    frame = _records_frame(name, json.dumps(records, ensure_ascii=False), records[:_KEY_ORDER_RECORDS])
    return frame, [notice]


def _lifted_properties(records: list[object]) -> tuple[list[object], list[str]]:
    """Each record with the fields of its ``properties`` in the place of ``properties``, among its
    own fields (id, createdAt...); and the names of its own fields left out because a property
    has the same name: the property is the CRM's field, the one a model reads."""
    lifted: list[object] = []
    shadowed: dict[str, None] = {}
    for record in records:
        assert isinstance(record, dict)
        fields = record[_PROPERTIES]
        flat: dict[str, object] = {}
        for key, value in record.items():
            if key == _PROPERTIES:
                flat.update(fields)
            elif key in fields:
                shadowed[key] = None
            else:
                flat[key] = value
        lifted.append(flat)
    return lifted, list(shadowed)


def _with_properties_lifted(name: str, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """``frame`` with the fields of a ``properties`` record in every row as columns (HubSpot's
    records saved as an array or one a line), as :func:`_lifted_properties` lifts them; and a
    notice saying so. Any other frame as it is."""
    dtype = frame.schema.get(_PROPERTIES)
    if not isinstance(dtype, pl.Struct) or frame.height == 0 or frame[_PROPERTIES].null_count():
        return frame, []
    fields = [f.name for f in dtype.fields]
    shadowed = [c for c in frame.columns if c in fields]
    lifted = frame.drop(shadowed).unnest(_PROPERTIES)
    return lifted, [
        f"{name}: read the fields of the records' '{_PROPERTIES}' as columns{_left_out(shadowed)}"
    ]


def _left_out(shadowed: list[str]) -> str:
    """The records' own fields left out for a property of the same name, said in brackets."""
    if not shadowed:
        return ""
    noun = "field" if len(shadowed) == 1 else "fields"
    return f" (their own {noun} {quote_list(shadowed)} left out for the property of that name)"


def _json_lines(text: str, bad: json.JSONDecodeError) -> bool:
    """Whether a file that is no JSON document is JSON Lines: a record alone on its first line,
    and another record starting a later line. (A bad line further on is named by the NDJSON
    reader.)"""
    before = text[: bad.pos]
    return (
        bad.msg == "Extra data"
        and text.startswith("{", bad.pos)
        and "\n" not in before.strip()
        and "\n" in before
    )


def _record_arrays(value: object, path: str = "") -> Iterator[tuple[str, list[object]]]:
    """Every array of objects inside ``value`` (through objects, not through arrays), by its
    path of keys ('result.records')."""
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        where = f"{path}.{key}" if path else str(key)
        if isinstance(item, list) and all(isinstance(x, dict) for x in item):
            yield where, item
        else:
            yield from _record_arrays(item, where)


def _records_frame(name: str, text: str, first: list[object] | None = None) -> pl.DataFrame:
    """A JSON array of records as a frame, its columns in the order of the keys of its ``first``
    records (parsed from ``text`` when not given)."""
    try:
        frame = pl.read_json(io.BytesIO(text.encode("utf-8")), infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        raise _json_problem(name, text, exc) from None
    return frame.select(_key_order(_json_records(text) if first is None else first, frame.columns))


def _json_problem(name: str, text: str, exc: Exception) -> InputError:
    try:
        records = json.loads(text)
    except json.JSONDecodeError as bad:
        return InputError(
            f"{name} is not valid JSON: {bad.msg.lower()} at line {bad.lineno} column {bad.colno}; "
            "fix the file or export it again"
        )
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            return InputError(
                f"{name}: item {number} of the array is {_json_kind(record)}, not a record "
                '({"field": value, ...}); the file must be an array of records'
            )
    return InputError(f"{name} cannot be read as lead records ({first_line(exc)})")


def read_ndjson_source(name: str, path: Path) -> tuple[pl.DataFrame, list[str]]:
    """Read a file with one JSON record per line (blank lines allowed), keeping their types; and
    the notices about reading it (HubSpot's ``properties`` read as columns)."""
    return _with_properties_lifted(name, _ndjson_frame(name, _json_text(name, path)))


def _ndjson_frame(name: str, text: str) -> pl.DataFrame:
    try:
        frame = pl.scan_ndjson(io.BytesIO(text.encode("utf-8")), infer_schema_length=None).collect()
    except pl.exceptions.PolarsError as exc:
        raise _ndjson_problem(name, text, exc) from None
    return frame.select(_key_order(_ndjson_records(text), frame.columns))


def _ndjson_problem(name: str, text: str, exc: Exception) -> InputError:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as bad:
            return InputError(
                f"{name} line {number} is not valid JSON ({bad.msg.lower()} at column {bad.colno}); "
                "fix the line or export the file again"
            )
        if not isinstance(record, dict):
            return InputError(
                f"{name} line {number} is {_json_kind(record)}, not a record "
                '({"field": value, ...}); each line must hold one lead'
            )
    return InputError(f"{name} cannot be read as lead records ({first_line(exc)})")


def _json_kind(value: object) -> str:
    kinds = {list: "a list", str: "a text", bool: "true/false", type(None): "null"}
    return kinds.get(type(value), "a number")


_BETWEEN_RECORDS = re.compile(r"[\s,]*")


def _json_records(text: str) -> list[object]:
    """The first records of a JSON array, parsed one by one (never the whole file)."""
    decoder = json.JSONDecoder()
    at = text.index("[") + 1
    records: list[object] = []
    while len(records) < _KEY_ORDER_RECORDS:
        at = _BETWEEN_RECORDS.match(text, at).end()  # type: ignore[union-attr]
        if at >= len(text) or text[at] == "]":
            break
        try:
            record, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            break  # Polars read it, so the order of the keys found so far will do
        records.append(record)
    return records


def _ndjson_records(text: str) -> list[object]:
    lines = (line for line in text.splitlines() if line.strip())
    records: list[object] = []
    for line in itertools.islice(lines, _KEY_ORDER_RECORDS):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            break
    return records


def _key_order(records: list[object], columns: list[str]) -> list[str]:
    """Columns in the order their keys first appear (Polars sorts keys it meets late)."""
    seen: dict[str, None] = {}
    for record in records:
        if isinstance(record, dict):
            seen.update(dict.fromkeys(k for k in record if k in columns))
    return list(seen) + [c for c in columns if c not in seen]


def first_line(exc: Exception) -> str:
    """The first line of an exception's message, to quote in a one-line error."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
