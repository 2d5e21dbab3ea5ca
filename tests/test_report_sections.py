"""Report sections for segments, routing and accounts: what they say matches the scored leads."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from rich.console import Console, RenderableType

from leadscore.engine import ScoredLeads
from leadscore.plan import load_plan, score_plan
from leadscore.report import grade_matrix, rules_table, score_report, tier_table, top_table
from leadscore.report.accounts import accounts_table
from leadscore.report.routing import routing_table
from leadscore.report.segments import segments_table

AS_OF = dt.date(2026, 11, 1)
SAMPLE = Path(__file__).parents[1] / "sample_data"


@pytest.fixture(scope="module")
def result() -> ScoredLeads:
    leads = pl.read_csv(SAMPLE / "leads.csv", infer_schema=False)
    return score_plan(leads, load_plan(SAMPLE / "segments.toml"), as_of=AS_OF, accounts="company")


def render(renderable: RenderableType | None, width: int = 140) -> str:
    assert renderable is not None
    console = Console(record=True, width=width, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def rows(text: str, first: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line.split()[:1] == [first]]


def test_segments_table_counts_each_segments_leads(result: ScoredLeads) -> None:
    text = render(segments_table(result))
    counts = Counter(result.frame["segment"].to_list())
    for name in ("Enterprise", "Partners", "SMB"):
        (row,) = rows(text, name)
        assert row[1] == str(counts[name])
    assert "enterprise.toml" in text and "inline" in text and "company_size ≥ 1000" in text


def test_tiers_by_segment_match_the_frame(result: ScoredLeads) -> None:
    text = render(tier_table(result))
    by_cell = Counter(zip(result.frame["segment"].to_list(), result.frame["tier"].to_list(), strict=True))
    for tier in ("hot", "warm", "cold"):
        (row,) = rows(text, tier)
        assert [int(x) for x in row[1:4]] == [by_cell[(s, tier)] for s in ("Enterprise", "Partners", "SMB")]


def test_rules_are_listed_per_segment(result: ScoredLeads) -> None:
    text = render(rules_table(result))
    assert [line.strip() for line in text.splitlines() if line.startswith("Rules: ")] == [
        "Rules: Enterprise", "Rules: Partners", "Rules: SMB",
    ]  # fmt: skip
    assert grade_matrix(result) is None  # no segment of the sample has grades


def test_routing_table_counts_new_owners(result: ScoredLeads) -> None:
    assert result.routing is not None
    text = render(routing_table(result))
    for owner, n in result.routing.assigned:
        (row,) = rows(text, owner)
        assert row[1] == str(n)
    assert f"{result.routing.kept} leads kept the owner they had" in text


def test_top_tables_show_segment_owner_and_accounts(result: ScoredLeads) -> None:
    text = render(top_table(result, top=5), width=200)
    assert "Segment" in text and "Owner" in text
    accounts = render(accounts_table(result, top=3))
    assert accounts.splitlines()[0].startswith("Top 3 of ")
    assert result.accounts is not None
    best = result.accounts.frame.row(0, named=True)
    assert [str(best["rank"]), *best["company"].split()] == rows(accounts, "1")[0][
        : 1 + len(best["company"].split())
    ]


def test_the_whole_report_renders_at_80_columns(result: ScoredLeads) -> None:
    text = render(score_report(result, top=5), width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
