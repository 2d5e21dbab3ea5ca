"""The helpers that write messages: commands they suggest can be copied as they are."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadscore.errors import did_you_mean, shell_arg

# File names as users have them: spaces, accents, brackets, quotes, dollars, Windows folders.
NAMES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list(" '\"$`!\\()[]&;*?#~")),
    max_size=30,
)


@given(NAMES)
def test_a_suggested_argument_reads_back_as_the_same_text_in_a_posix_shell(name: str) -> None:
    assert shlex.split(f"leadscore score {shell_arg(name)} -q") == ["leadscore", "score", name, "-q"]


@given(st.text(st.sampled_from("abc XYZ é_-.:/\\()&"), min_size=1, max_size=20))
def test_names_without_quotes_dollars_or_doubled_backslashes_are_in_double_quotes_or_bare(name: str) -> None:
    """Double quotes are the quoting cmd.exe and PowerShell read too; a plain name needs none."""
    shown = shell_arg(name)
    if "\\\\" in name or name.endswith("\\"):
        return  # POSIX single quotes: what double quotes would not keep as it is
    assert shown == name or shown == f'"{name}"'
    assert (shown == name) == all(c.isalnum() or c in "_-.:/" for c in name)


@pytest.mark.parametrize(
    ("word", "columns", "expected"),
    [
        ("email", ["age", "job", "marital", "education"], ""),  # four letters shared, nothing alike
        ("visits", ["lead_id", "website_visits"], " (did you mean 'website_visits'?)"),
        ("emial", ["email", "phone"], " (did you mean 'email'?)"),
        ("Industy", ["industry", "country"], " (did you mean 'industry'?)"),
        ("country", ["county_code", "county"], " (did you mean 'county'?)"),
    ],
)
def test_did_you_mean_offers_only_names_alike(word: str, columns: list[str], expected: str) -> None:
    assert did_you_mean(word, columns) == expected
