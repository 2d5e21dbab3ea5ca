"""The text formats the file engine reads (coerce.py), as regular expressions for the warehouse.

Every pattern here is written in the subset of regex syntax that all five dialects read the same
way: anchors, [0-9] (not \\d, whose meaning varies), bracket classes, groups, alternation and
bounded repeats. A part is extracted with a pattern that has exactly one capture group, the one
form every dialect's extract function supports.
"""

from __future__ import annotations

from dataclasses import dataclass

# coerce.py's number patterns, with [0-9] for \d (ASCII digits are the only ones a double parses)
THOUSANDS_COMMA = r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$"
THOUSANDS_DOT = r"^[+-]?[0-9]{1,3}((\.[0-9]{3}){2,}(,[0-9]+)?|\.[0-9]{3},[0-9]+)$"
DECIMAL_COMMA = r"^[+-]?[0-9]*,[0-9]+$"
THOUSANDS_SPACE = r"^[+-]?[0-9]{1,3}( [0-9]{3})+([.,][0-9]+)?$"
# what the engine's cast to Float64 accepts (infinities and NaN are null there anyway)
DOUBLE_SHAPE = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
EXCEL_SERIAL = r"^[0-9]{4,5}(\.[0-9]+)?$"
EXCEL_EPOCH = "1899-12-30"
EXCEL_LAST = 2_958_466  # the first serial day past 9999-12-31


@dataclass(frozen=True)
class DateFormat:
    """One text date format the engine tries, as regexes: the whole shape, then each part."""

    name: str
    shape: str
    year: str
    month: str
    day: str
    first_ten: bool = False  # the engine reads only the first 10 characters for this one


# The order is the engine's: ISO first, then yyyy/mm/dd, then mm/dd/yyyy (or dd/mm), then dd.mm.yyyy.
ISO = DateFormat(
    "iso", r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", r"^([0-9]{4})-", r"^[0-9]{4}-([0-9]{1,2})-",
    r"^[0-9]{4}-[0-9]{1,2}-([0-9]{1,2})",
)  # fmt: skip
YMD = DateFormat(
    "ymd", r"^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}$", r"^\+?([0-9]{1,4})/", r"/([0-9]{1,2})/",
    r"/([0-9]{1,2})$",
)  # fmt: skip
MDY = DateFormat(
    "mdy", r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$", r"/\+?([0-9]{1,4})$", r"^([0-9]{1,2})/",
    r"/([0-9]{1,2})/", first_ten=True,
)  # fmt: skip
DMY_SLASH = DateFormat(
    "dmy", r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$", r"/\+?([0-9]{1,4})$", r"/([0-9]{1,2})/",
    r"^([0-9]{1,2})/", first_ten=True,
)  # fmt: skip
DMY_DOT = DateFormat(
    "dot", r"^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}$", r"\.\+?([0-9]{1,4})$", r"\.([0-9]{1,2})\.",
    r"^([0-9]{1,2})\.",
)  # fmt: skip

# ISO 8601 timestamps as the engine reads them: a date, then T or spaces and a time, then a zone
TIME_SHAPE = (
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ] *[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]+)?)?"
    r"( ?([Zz]|[+-][0-9]{2}:?[0-9]{2}))?)?$"
)
TIME_PARTS = {
    "hour": r"[T ] *([0-9]{1,2}):",
    "minute": r"[T ] *[0-9]{1,2}:([0-9]{1,2})",
    "second": r"[T ] *[0-9]{1,2}:[0-9]{1,2}:([0-9]{1,2})",
    "fraction": r"\.([0-9]+)",
    "zone_sign": r"([+-])[0-9]{2}:?[0-9]{2}$",
    "zone_hours": r"[+-]([0-9]{2}):?[0-9]{2}$",
    "zone_minutes": r"[+-][0-9]{2}:?([0-9]{2})$",
}
DAY_MICROS = 86_400_000_000
