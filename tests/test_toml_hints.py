"""The fix a model file's TOML mistake gets: what to write instead, and that it is TOML."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadscore.cli import app
from leadscore.errors import ModelError
from leadscore.model import parse_model_text
from leadscore.model.toml_hints import toml_hint

HEAD = '[model]\nname = "t"\nid = "lead_id"\n\n[[rules]]\nname = "x"\ndimension = "fit"\ncolumn = "t"\n'


def hint(line: str) -> str:
    """The hint for ``line`` as the last line of a rule (tomllib's message, then the hint)."""
    with pytest.raises(ModelError) as info:
        parse_model_text(HEAD + line + "\n", source="b2b.toml")
    [problem] = info.value.problems
    assert problem.startswith("is not valid TOML: ")
    return problem.split("; ", 1)[1] if "; " in problem else ""


# (the line written, the advice), the advice's line being the one to write instead
CASES = [
    ("dimension = fit", 'put text in double quotes: dimension = "fit"'),
    ("name = My model", 'put text in double quotes: name = "My model"'),
    ("in = [Software, Fintech]", 'put each text in the list in double quotes: in = ["Software", "Fintech"]'),
    (
        'in = ["Software", Fintech]',
        'put each text in the list in double quotes: in = ["Software", "Fintech"]',
    ),
    ("name = “My model”", 'use straight quotes (") around text, not typographic ones: name = "My model"'),
    ("equals = ‘Retail’", 'use straight quotes (") around text, not typographic ones: equals = "Retail"'),
    ("lt = 01/31/2026", "write dates year first, without quotes: lt = 2026-01-31"),
    ("lt = 31/01/2026", "write dates year first, without quotes: lt = 2026-01-31"),
    ("lt = 31.01.2026", "write dates year first, without quotes: lt = 2026-01-31"),
    (
        "lt = 03/11/2026",
        "write dates year first, without quotes: lt = 2026-03-11 (or lt = 2026-11-03 if 03 is the day)",
    ),
    (
        "lt = 2026-13-01",
        "2026-13-01 is no date: write it year-month-day, with a month up to 12 and a day up to 31",
    ),
    ("gte = 50%", "write the number without %: gte = 50"),
    ("gte = 12,5 %", "write the number without %: gte = 12.5"),
    ("gte = 1,000", "write numbers without thousands separators: gte = 1000"),
    ("gte = 1 000 000", "write numbers without thousands separators: gte = 1000000"),
    ("gte = 2,5", "write decimals with a point: gte = 2.5"),
    ("points = - 5", "write the sign next to the number: points = -5"),
    ("equals = 007", 'a number cannot start with 0: equals = 7, or equals = "007" for text such as an id'),
    ("equals = yes", "write yes/no as true or false: equals = true"),
    ("equals = TRUE", "write true and false in lower case: equals = true"),
    ("points: 10", "write a key, =, then its value: points = 10"),
    ('equals = "Retail', 'a quote is never closed on that line: end the text with " on the same line'),
    ("equals = 'Retail", "a quote is never closed on line 9: end the text with ' on the same line"),
    ('in = ["a", "b"\npoints = 1', "a list is never closed: end it with ] after its last value"),
    ("points = 1\npoints = 2", "'points' is given twice in one [[rules]] (lines 9 and 10); keep one"),
    ('[model]\nname = "u"', "[model] is written twice (lines 1 and 9); keep one, with all its keys"),
]


@pytest.mark.parametrize(("line", "advice"), CASES, ids=[c[0] for c in CASES])
def test_a_toml_mistake_is_told_what_to_write_instead(line: str, advice: str) -> None:
    assert hint(line) == advice


@pytest.mark.parametrize(("line", "advice"), [c for c in CASES if " = " in c[1].split(": ", 1)[-1]])
def test_the_line_the_advice_gives_is_toml(line: str, advice: str) -> None:
    fix = advice.split(": ", 1)[1].split(" (or ")[0].split(", or ")[0]
    tomllib.loads(fix)


DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))


@given(day=DAYS, dayfirst=st.booleans(), mark=st.sampled_from("/-"))
def test_a_slashed_date_is_given_back_year_first_meaning_the_same_day(
    day: dt.date, dayfirst: bool, mark: str
) -> None:
    first, second = (day.day, day.month) if dayfirst else (day.month, day.day)
    written = f"lt = {first:02d}{mark}{second:02d}{mark}{day.year}"
    message = str(_error(written))
    advice = toml_hint(message, written)
    readings = [tomllib.loads(part.split(" if ")[0])["lt"] for part in _lines_offered(advice)]
    assert day in readings
    # one reading when only one order makes a date, two when both do
    assert len(readings) == (1 if day.day > 12 or day.day == day.month else 2)


def _error(text: str) -> tomllib.TOMLDecodeError:
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(text)
    return info.value


def _lines_offered(advice: str) -> list[str]:
    first = advice.split(": ", 1)[1]
    return [part.removesuffix(")") for part in first.split(" (or ")]


def test_check_shows_the_fix_after_the_parser_message(tmp_path: Path) -> None:
    (tmp_path / "b2b.toml").write_text(HEAD + "equals = Retail\npoints = 5\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "b2b.toml")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'b2b.toml'} is not valid TOML: Invalid value (at line 9, column 10); "
        'put text in double quotes: equals = "Retail"\n'
    )
