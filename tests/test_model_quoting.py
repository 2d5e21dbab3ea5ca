r"""Patterns in TOML's double quotes: the escapes TOML reads there (``\b`` a backspace, ``\d`` an
error) are refused with the pattern rewritten in single quotes, ready to paste."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadscore import ModelError, parse_model_text
from leadscore.cli import app
from leadscore.model import parse_predicate
from leadscore.model.quoting import unescaped

HEAD = '[model]\nname = "t"\nid = "lead_id"\n'
RULE = '[[rules]]\nname = "Manager title"\ndimension = "fit"\ncolumn = "job_title"\npoints = 8\n'
SUGGESTION = "single quotes: "  # what a message says just before the line to write
CONTROL = [chr(i) for i in [*range(0x20), *range(0x7F, 0xA0)]]


def problems(text: str) -> list[str]:
    with pytest.raises(ModelError) as info:
        parse_model_text(HEAD + text, source="b2b.toml")
    return info.value.problems


def suggested_pattern(message: str) -> str:
    """The pattern the suggested line gives, read the way the model file will read it."""
    line = message.split(SUGGESTION, 1)[1]
    return str(tomllib.loads(line)["matches"])


def test_a_word_boundary_in_double_quotes_is_refused_with_the_single_quoted_line() -> None:
    found = problems(RULE + 'matches = "(?i)\\bmanager\\b"\n')
    assert found == [
        "rule 'Manager title' (#1): matches holds a backspace, which \\b becomes inside double quotes; "
        "write patterns in single quotes: matches = '(?i)\\bmanager\\b'"
    ]


def test_the_same_pattern_in_single_quotes_loads() -> None:
    model = parse_model_text(HEAD + RULE + "matches = '(?i)\\bmanager\\b'\n")
    assert model.rules[0].when is not None


def test_several_kinds_of_control_character_are_named_together() -> None:
    found = problems(RULE + 'matches = "\\tvp\\b|\\u001b"\n')
    assert found == [
        "rule 'Manager title' (#1): matches holds a tab, a backspace and a control character (U+001B), "
        "which \\t, \\b and \\u001B become inside double quotes; "
        "write patterns in single quotes: matches = '\\tvp\\b|\\u001B'"
    ]


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        ('all = [ { column = "t", matches = "\\bvp" } ]', "rule 'Exec' (#1) all[1]"),
        (
            'any = [ { column = "t", equals = "x" }, { column = "t", matches = "\\bvp" } ]',
            "rule 'Exec' (#1) any[2]",
        ),
        ('event = "visit"\nwhere = { column = "url", matches = "\\bvp" }', "rule 'Exec' (#1) where"),
    ],
)
def test_every_place_a_pattern_goes_is_checked(condition: str, where: str) -> None:
    found = problems(f'[[rules]]\nname = "Exec"\ndimension = "fit"\npoints = 1\n{condition}\n')
    assert found == [
        f"{where}: matches holds a backspace, which \\b becomes inside double quotes; "
        "write patterns in single quotes: matches = '\\bvp'"
    ]


def test_a_pattern_with_an_apostrophe_is_suggested_in_triple_single_quotes() -> None:
    found = problems(RULE + 'matches = "(?i)\\bo\'brien"\n')
    assert found[0].endswith("write patterns in single quotes: matches = '''(?i)\\bo'brien'''")
    assert suggested_pattern(found[0]) == "(?i)\\bo'brien"


@given(
    text=st.text(max_size=30),
    control=st.sampled_from(CONTROL),
    at=st.integers(min_value=0, max_value=30),
)
def test_any_control_character_anywhere_is_refused_and_the_suggestion_reads_back(
    text: str, control: str, at: int
) -> None:
    pattern = text[:at] + control + text[at:]
    pred, found = parse_predicate({"column": "t", "matches": pattern}, "rule 'x' (#1)")
    assert pred is None
    assert len(found) == 1
    assert found[0].startswith("rule 'x' (#1): matches holds ")
    assert not any(unicodedata.category(ch) == "Cc" for ch in found[0])  # one line, shown as typed
    assert suggested_pattern(found[0]) == unescaped(pattern)


# What a user types between double quotes: plain text, and the escapes TOML turns into control characters
# (\u0008 is a backspace too, and comes back as \b)
SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
TYPED_ESCAPES = st.sampled_from([*SHORT.values(), *(f"\\u{ord(c):04X}" for c in CONTROL if c not in SHORT)])
PLAIN = st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters='"\\'), max_size=4)


@given(pieces=st.lists(st.one_of(PLAIN, TYPED_ESCAPES), max_size=8), escape=TYPED_ESCAPES)
def test_the_suggested_line_gives_the_pattern_as_typed(pieces: list[str], escape: str) -> None:
    typed = "".join([*pieces, escape])
    found = problems(RULE + f'matches = "{typed}"\n')
    assert len(found) == 1
    assert suggested_pattern(found[0]) == typed


@pytest.mark.parametrize("control", [c for c in CONTROL if c != "\b"], ids=lambda c: f"U+{ord(c):04X}")
def test_a_rewritten_control_character_matches_what_it_did(control: str) -> None:
    # only \b changes meaning (backspace to word boundary), which is the point
    cells = pl.Series([*CONTROL, "b", "t"])
    found = cells.str.contains(f"^{unescaped(control)}$")
    assert found.to_list() == [cell == control for cell in cells]


def test_a_backslash_toml_cannot_read_is_explained_with_the_line_in_single_quotes() -> None:
    found = problems(RULE + 'matches = "\\d+"\n')
    assert found == [
        "is not valid TOML: Unescaped '\\' in a string (at line 9, column 14); "
        "write patterns that hold backslashes in single quotes: matches = '\\d+'"
    ]


def test_a_backslash_u_that_is_not_an_escape_gets_the_same_advice() -> None:
    found = problems(RULE + 'matches = "\\user"\n')
    assert found == [
        "is not valid TOML: Invalid hex value (at line 9, column 14); "
        "write patterns that hold backslashes in single quotes: matches = '\\user'"
    ]


def test_a_pattern_in_an_inline_table_gets_its_own_line_back() -> None:
    found = problems('[[rules]]\nname = "x"\ndimension = "fit"\npoints = 1\n'
                     'all = [ { column = "t", matches = "(?i)\\w+ \\(vp\\)" } ]\n')  # fmt: skip
    assert found[0].endswith(
        "write patterns that hold backslashes in single quotes: matches = '(?i)\\w+ \\(vp\\)'"
    )


@pytest.mark.parametrize(
    "value",
    [
        '"\\\\d+ \\w"',  # \\ is one backslash in double quotes and two in single: the line would mean another pattern
        '"""\n\\d+"""',  # not on the line of the error
    ],
)
def test_when_the_line_cannot_be_rewritten_surely_the_fix_is_said_in_general(value: str) -> None:
    found = problems(RULE + f"matches = {value}\n")
    assert len(found) == 1
    assert found[0].startswith("is not valid TOML: ")
    assert found[0].endswith(
        "write patterns that hold backslashes in single quotes ('...'), e.g. matches = '\\d+'"
    )


def test_other_toml_errors_get_no_pattern_advice() -> None:
    found = problems("[[rules]\n")
    assert found == [
        "is not valid TOML: Expected ']]' at the end of an array declaration (at line 4, column 8)"
    ]


PATTERN_TEXT = st.text(st.sampled_from("abcAZ09 ()[]|?*+.^$-{},:/#"), max_size=6)


@given(
    before=PATTERN_TEXT,
    bad=st.sampled_from(["\\d", "\\w", "\\s", "\\.", "\\(", "\\S", "\\W", "\\D", "\\?"]),
    after=PATTERN_TEXT,
)
def test_the_suggested_line_for_a_toml_error_gives_the_pattern_as_written(
    before: str, bad: str, after: str
) -> None:
    written = before + bad + after
    found = problems(RULE + f'matches = "{written}"\n')
    assert len(found) == 1
    assert suggested_pattern(found[0]) == written


def test_check_prints_the_refusal_on_one_line(tmp_path: Path) -> None:
    model = tmp_path / "model.toml"
    model.write_text(HEAD + RULE + 'matches = "(?i)\\bmanager\\b"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(model)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {model}: rule 'Manager title' (#1): matches holds a backspace, which \\b becomes inside "
        "double quotes; write patterns in single quotes: matches = '(?i)\\bmanager\\b'\n"
    )
