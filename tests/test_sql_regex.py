"""Model regexes translated per dialect: rewritten where spelled differently, refused where inexpressible."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from leadscore.errors import UsageError
from leadscore.sql.dialects import Dialect
from leadscore.sql.regex import translate

WHERE = "rule 'Exec' (#1)"


@pytest.mark.parametrize(
    ("pattern", "dialect", "expected", "ignore_case"),
    [
        (r"(?i)\b(ceo|chief)\b", Dialect.duckdb, r"(?i)\b(ceo|chief)\b", False),
        (r"(?i)\b(ceo|chief)\b", Dialect.bigquery, r"(?i)\b(ceo|chief)\b", False),
        (r"(?i)\b(ceo|chief)\b", Dialect.postgres, r"(?i)\y(ceo|chief)\y", False),
        (r"(?i)\b(ceo|chief)\b", Dialect.snowflake, r"\b(ceo|chief)\b", True),
        (r"(?i)\b(ceo|chief)\b", Dialect.spark, r"(?U)(?i)\b(ceo|chief)\b", False),
        (r"^VP\s+\w+$", Dialect.postgres, r"^VP\s+\w+$", False),
        (r"(?:a|b)+c", Dialect.snowflake, r"(a|b)+c", False),
        (r"(?P<who>ceo)\z", Dialect.postgres, r"(ceo)\Z", False),
        (r"\x41\.", Dialect.snowflake, r"A\.", False),
        (r"[^\d\s]x", Dialect.duckdb, r"[^\d\s]x", False),
        (r"a.*?b", Dialect.postgres, r"a.*?b", False),
    ],
)
def test_translations(pattern: str, dialect: Dialect, expected: str, ignore_case: bool) -> None:
    got = translate(pattern, dialect, WHERE)
    assert (got.pattern, got.ignore_case) == (expected, ignore_case)


@pytest.mark.parametrize(
    ("pattern", "dialect", "construct"),
    [
        ("a.*?b", Dialect.snowflake, "the lazy quantifier '*?'"),
        ("ab(?i)c", Dialect.postgres, "the inline flags '(?i)' (only a leading '(?i)' is supported)"),
        ("(?i:ab)c", Dialect.snowflake, "the inline flags '(?i:' (only a leading '(?i)' is supported)"),
        (r"\p{L}+", Dialect.postgres, "the Unicode class '\\p'"),
        (r"\Aceo", Dialect.snowflake, "the anchor '\\A'"),
        ("(?x) a b", Dialect.duckdb, "the flag 'x' in '(?x)'"),
        ("(?U)a+", Dialect.spark, "the flag 'U' in '(?U)'"),
        ("[a&&b]", Dialect.bigquery, "the class operation '&&'"),
        ("[[a]b]", Dialect.duckdb, "a nested character class"),
    ],
)
def test_inexpressible_patterns_are_refused_with_the_rule_and_dialect(
    pattern: str, dialect: Dialect, construct: str
) -> None:
    with pytest.raises(UsageError) as err:
        translate(pattern, dialect, WHERE)
    assert str(err.value) == (
        f"{WHERE}: the pattern '{pattern}' uses {construct}, which {dialect.label} regular expressions cannot "
        f"express; rewrite the pattern without it to compile this model for {dialect.label}"
    )


PATTERNS = [r"(?i)\b(ceo|chief)\b", "^VP", "Student|Director", "(?i)manager$", r"\d{3,}", r"^\s*$", r"[A-Z]{2}\.",
            r"(?i)^(?:vp|svp)\s", r"o'b", r"\\", r"a\.b", "x+?y", r"[^a-z ]"]  # fmt: skip
SUBJECTS = ["CEO", " ceo ", "Chief Marketing Officer", "VP Sales", "svp Ops", "marketing manager", "Student",
            "Director, IT", "Müller & Co", "12345", "   ", "ab", "A.B", "US. office", "o'brien", "back\\slash",
            "axxy", "a.b", "chiefs", "Ünïcode CEO"]  # fmt: skip


def _engine_matches() -> list[list[bool]]:
    frame = pl.DataFrame({"s": SUBJECTS})
    return [frame.select(pl.col("s").str.contains(p))["s"].to_list() for p in PATTERNS]


def test_translated_patterns_match_like_the_engine_in_duckdb() -> None:
    duckdb = pytest.importorskip("duckdb")
    from sqlglot import exp

    from leadscore.sql.dialects import regex_search

    con = duckdb.connect()
    got = []
    for pattern in PATTERNS:
        t = translate(pattern, Dialect.duckdb, WHERE)
        row = []
        for subject in SUBJECTS:
            query = exp.select(
                regex_search(Dialect.duckdb, exp.Literal.string(subject), t.pattern, t.ignore_case)
            )
            row.append(con.execute(query.sql("duckdb")).fetchone()[0])
        got.append(row)
    assert got == _engine_matches()


def test_translated_patterns_match_like_the_engine_in_postgres(postgres: Any) -> None:
    from sqlglot import exp

    from leadscore.sql.dialects import regex_search

    got = []
    for pattern in PATTERNS:
        t = translate(pattern, Dialect.postgres, WHERE)
        tests = [
            regex_search(Dialect.postgres, exp.Literal.string(s), t.pattern, t.ignore_case) for s in SUBJECTS
        ]
        got.append(list(postgres.execute(exp.select(*tests).sql("postgres")).fetchone()))
    assert got == _engine_matches()
