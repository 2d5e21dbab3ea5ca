"""The text formats the file engine reads (coerce.py), as regular expressions for the warehouse.

Every pattern here is written in the subset of regex syntax that all five dialects read the same
way: anchors, [0-9] (not \\d, whose meaning varies), bracket classes, groups, alternation and
bounded repeats. A part is extracted with a pattern that has exactly one capture group, the one
form every dialect's extract function supports.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from leadscore import coerce

# coerce.py's number patterns, with [0-9] for \d (ASCII digits are the only ones a double parses)
THOUSANDS_COMMA = r"^[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?$"
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
    """One text date format the engine tries, as regexes: the date's shape, then each part.

    A ``leading`` format is a date at the start of the text with nothing or a time after it
    (coerce.DATE_END): its parts are read from that date alone. ISO reads the parts at the
    start of the text, whatever follows. A ``named_month`` format's month part is an English
    month name; a ``short_year`` format's year has two digits.
    """

    name: str
    body: str  # the date itself, with no capture group
    year: str
    month: str
    day: str
    leading: bool = True
    named_month: bool = False
    short_year: bool = False

    @property
    def shape(self) -> str:
        """The text has this format: a search pattern over the whole text."""
        return f"^{self.body}{coerce.DATE_END}" if self.leading else f"^{self.body}"

    @property
    def date_part(self) -> str:
        """The date itself, as the one capture group of a pattern over the whole text."""
        return f"^({self.body})"


# The order is the engine's: ISO first, then yyyy/mm/dd, then mm/dd/yyyy (or dd/mm), then
# dd.mm.yyyy, then with a month name (coerce.parse_date).
ISO = DateFormat(
    "iso", r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", r"^([0-9]{4})-", r"^[0-9]{4}-([0-9]{1,2})-",
    r"^[0-9]{4}-[0-9]{1,2}-([0-9]{1,2})", leading=False,
)  # fmt: skip
YMD = DateFormat("ymd", coerce.YMD, r"^([0-9]{4})/", r"/([0-9]{1,2})/", r"/([0-9]{1,2})$")
MDY = DateFormat("mdy", coerce.SLASHED, r"/([0-9]{4})$", r"^([0-9]{1,2})/", r"/([0-9]{1,2})/")
DMY_SLASH = DateFormat("dmy", coerce.SLASHED, r"/([0-9]{4})$", r"/([0-9]{1,2})/", r"^([0-9]{1,2})/")
DMY_DOT = DateFormat("dot", coerce.DOTTED, r"\.([0-9]{4})$", r"\.([0-9]{1,2})\.", r"^([0-9]{1,2})\.")
_YEAR, _MONTH = coerce.NAMED_YEAR, coerce.NAMED_MONTH
NAMED_DMY = DateFormat("dmy_name", coerce.NAMED_DMY, _YEAR, _MONTH, coerce.NAMED_DAY_FIRST, named_month=True)
NAMED_MDY = DateFormat(
    "mdy_name", coerce.NAMED_MDY, _YEAR, _MONTH, coerce.NAMED_DAY_AFTER_MONTH, named_month=True
)
NAMED_DMY_SHORT = DateFormat(
    "dmy_name_yy", coerce.NAMED_DMY_SHORT, _YEAR, _MONTH, coerce.NAMED_DAY_FIRST, named_month=True,
    short_year=True,
)  # fmt: skip
SHORT_YEAR_PIVOT = coerce.SHORT_YEAR_PIVOT


def month_number(word: exp.Expr) -> exp.Expr:
    """1 to 12 for an English month name or its first three letters (any case), else null."""
    lowered = exp.Lower(this=word)
    case = exp.Case()
    for number in range(1, 13):
        spellings = [exp.Literal.string(w) for w in coerce.month_spellings(number)]
        case = case.when(exp.In(this=lowered.copy(), expressions=spellings), exp.Literal.number(number))
    return case


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
