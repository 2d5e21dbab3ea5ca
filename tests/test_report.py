"""The score report: what it says must match the scored leads, counted independently."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import time
from collections import Counter

import polars as pl
import pytest
from rich.console import Console, RenderableType

from leadscore import default_model, parse_model_text, score
from leadscore.engine import ScoredLeads
from leadscore.report import (
    error_text,
    grade_matrix,
    make_console,
    progress_spinner,
    rules_table,
    score_bins,
    score_report,
    tier_table,
    tier_text,
    top_table,
    warnings_renderable,
)

AS_OF = dt.date(2026, 11, 1)
TITLES = ["CEO", "VP Marketing", "Marketing Manager", "Student", "Analyst", "Head of Sales", "Intern",
          "Director of IT", None, "CFO", "Retired"]  # fmt: skip
INDUSTRIES = ["Software", "Retail", "Healthcare", "Financial Services", "Education", "Manufacturing"]
COUNTRIES = ["United States", "Germany", "Brazil", "Canada", "India"]
SIZES = ["10", "250", "6000", "1,200", "N/A", "50", "12000"]


def leads_frame(n: int = 30) -> pl.DataFrame:
    """Varied leads with every column the default model reads, plus a company column."""
    return pl.DataFrame(
        {
            "lead_id": [f"L{i:03d}" for i in range(n)],
            "company": [f"Company {i}" for i in range(n)],
            "job_title": [TITLES[i % len(TITLES)] for i in range(n)],
            "industry": [INDUSTRIES[(i * 5) % len(INDUSTRIES)] for i in range(n)],
            "company_size": [SIZES[(i * 3) % len(SIZES)] for i in range(n)],
            "country": [COUNTRIES[i % len(COUNTRIES)] for i in range(n)],
            "email": [f"p{i}@{'gmail.com' if i % 7 == 0 else 'acme.test'}" for i in range(n)],
            "website_visits": [str((i * 7) % 9) for i in range(n)],
            "email_clicks": [str((i * 3) % 7) for i in range(n)],
            "content_downloads": [str(i % 4) for i in range(n)],
            "pricing_page_views": [str((i * 2) % 3) for i in range(n)],
            "webinar_attended": [["yes", "no", ""][i % 3] for i in range(n)],
            "demo_requested": [["no", "no", "yes", "no", "no"][i % 5] for i in range(n)],
            "last_activity": [(AS_OF - dt.timedelta(days=(i * 17) % 300)).isoformat() for i in range(n)],
            "unsubscribed": ["yes" if i % 10 == 9 else "no" for i in range(n)],
        }
    )


@pytest.fixture(scope="module")
def result() -> ScoredLeads:
    return score(leads_frame(), default_model(), as_of=AS_OF)


@pytest.fixture(scope="module")
def report_text(result: ScoredLeads) -> str:
    return render(score_report(result, top=10, output="leads.scored.csv"))


def render(renderable: RenderableType | None, width: int = 120) -> str:
    assert renderable is not None
    console = Console(record=True, width=width, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def section(text: str, title: str) -> list[str]:
    """The lines of one report section: from its title to the next blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def test_tier_counts_match_the_tiers_the_scores_earn(result: ScoredLeads, report_text: str) -> None:
    model = result.model
    expected = Counter(model.tier_for(s) for s in result.frame["score"].to_list())
    shown = {}
    for line in section(report_text, "Tiers"):
        m = re.match(r"^\s*(\w+)\s+[≥<] \d+\s+(\d+)\s+[\d.]+%\s*$", line)
        if m:
            shown[m.group(1)] = int(m.group(2))
    assert shown == {band.label: expected[band.label] for band in model.tiers}
    assert sum(shown.values()) == result.rows
    assert re.search(r"Total\s+30\s+100\.0%", "\n".join(section(report_text, "Tiers")))


def test_tier_thresholds_read_as_the_model_applies_them(result: ScoredLeads) -> None:
    lines = render(tier_table(result)).splitlines()
    assert any(re.match(r"^\s*hot\s+≥ 70\s", line) for line in lines)
    assert any(re.match(r"^\s*warm\s+≥ 40\s", line) for line in lines)
    # the lowest tier takes every score below the one above it, negative scores included
    assert any(re.match(r"^\s*cold\s+< 40\s", line) for line in lines)


def test_grade_matrix_cells_match_the_grades_and_sum_to_rows(result: ScoredLeads) -> None:
    grades = result.model.grades
    assert grades is not None
    digits = [b.label for b in grades.engagement] + [grades.engagement_fallback]
    expected = Counter(result.frame["grade"].to_list())
    cells: dict[str, int] = {}
    for line in render(grade_matrix(result)).splitlines():
        m = re.match(r"^\s*([A-Z]) [≥<] \d+\s+([\d\s]+)$", line)
        if m:
            *counts, total = (int(x) for x in m.group(2).split())
            assert sum(counts) == total
            cells.update({m.group(1) + d: n for d, n in zip(digits, counts, strict=True)})
    assert len(cells) == 4 * 4
    assert sum(cells.values()) == result.rows
    assert {g: n for g, n in cells.items() if n} == dict(expected)


def test_top_table_lists_the_best_leads_in_rank_order(result: ScoredLeads, report_text: str) -> None:
    rows = sorted(
        zip(result.frame["score"], result.frame["lead_id"], strict=True), key=lambda r: (-r[0], r[1])
    )
    expected = [lead_id for _, lead_id in rows[:10]]
    listed = []
    for line in section(report_text, "Top 10 leads"):
        m = re.match(r"^\s*(\d+)\s+(L\d{3})\s", line)
        if m:
            listed.append((int(m.group(1)), m.group(2)))
    assert listed == list(enumerate(expected, start=1))
    assert rows[10][1] not in "\n".join(section(report_text, "Top 10 leads"))


def test_top_table_shows_who_the_lead_is_and_why(result: ScoredLeads, report_text: str) -> None:
    best = result.frame.row(0, named=True)
    top = "\n".join(section(report_text, "Top 10 leads"))
    header = top.splitlines()[1].split()
    assert header == ["#", "lead_id", "company", "email", "Score", "Tier", "Grade", "Qualified", "Reasons"]
    assert best["company"] in top
    assert best["email"] in top
    assert best["reasons"].split("; ")[0] in top
    qualified = result.frame.head(10)["qualified"].sum()
    assert top.count("✓") == qualified


def test_top_table_makes_room_for_reasons_on_a_narrow_console(result: ScoredLeads) -> None:
    text = render(top_table(result, top=3), width=80)
    assert "Reasons" in text
    assert "email" not in text.splitlines()[1]
    assert all(len(line) <= 80 for line in text.splitlines())
    assert render(top_table(result, top=3), width=160).splitlines()[1].split()[2:4] == ["company", "email"]


def test_top_table_joins_first_and_last_name() -> None:
    frame = leads_frame(3).with_columns(
        first_name=pl.Series(["Ana", "Jörg", None]), last_name=pl.Series(["Silva", "Müller", "Ito"])
    )
    text = render(top_table(score(frame, default_model(), as_of=AS_OF)))
    assert "Name" in text.splitlines()[1]
    assert "Ana Silva" in text
    assert "Jörg Müller" in text
    assert re.search(r"\sIto\s", text)


def test_values_from_the_data_are_not_read_as_markup() -> None:
    frame = leads_frame(5).with_columns(company=pl.lit("[bold]Acme[/bold] & [Co]"))
    text = render(top_table(score(frame, default_model(), as_of=AS_OF)))
    assert "[bold]Acme[/bold] & [Co]" in text


def test_rules_table_lists_every_rule_with_its_hits(result: ScoredLeads, report_text: str) -> None:
    hits = dict(zip(result.rule_stats["rule"], result.rule_stats["hits"], strict=True))
    frame = result.frame
    assert hits["Demo request"] == frame.filter(pl.col("demo_requested") == "yes").height
    assert hits["Unsubscribed"] == frame.filter(pl.col("unsubscribed") == "yes").height
    for rule in result.model.rules:
        pattern = rf"^\s*{rule.position}\s+{re.escape(rule.name)}\s+{hits[rule.name]}\s+[\d.]+%"
        assert re.search(pattern, report_text, re.MULTILINE), rule.name


def test_rules_table_notes_caps_and_disqualifying_rules(result: ScoredLeads) -> None:
    text = render(rules_table(result))
    capped = result.rule_stats.filter(pl.col("capped") > 0).row(0, named=True)
    assert re.search(rf"{re.escape(capped['rule'])}\s.*capped {capped['capped']}×", text)
    assert re.search(r"Student or retired\s.*disqualifies", text)
    assert re.search(r"^\s+fit\s*$", text, re.MULTILINE)
    assert re.search(r"^\s+engagement\s*$", text, re.MULTILINE)


def test_summary_says_what_was_scored_and_where_it_went(result: ScoredLeads) -> None:
    text = render(score_report(dataclasses.replace(result, sources=("leads.csv",)), top=0))
    summary = "\n".join(section(text, "─ Score run"))
    qualified = int(result.frame["qualified"].sum())
    assert re.search(r"Leads scored\s+30\b", summary)
    assert "leads.csv" in summary
    assert "B2B SaaS inbound (starter)" in summary
    assert "2026-11-01" in summary
    assert f"{qualified} of 30 ({qualified / 30:.1%})" in summary
    assert "Written to" not in summary
    assert "Top" not in text


def test_report_text_lists_sections_in_order(report_text: str) -> None:
    titles = ["Score run", "Score distribution", "Tiers", "Grades", "Top 10 leads", "Rules"]
    positions = [report_text.index(t) for t in titles]
    assert positions == sorted(positions)
    assert "leads.scored.csv" in report_text


def test_distribution_counts_every_lead_once(report_text: str, result: ScoredLeads) -> None:
    counts = [
        int(m.group(1))
        for line in section(report_text, "Score distribution")
        if (m := re.search(r"(\d+)\s+[\d.]+%\s*$", line))
    ]
    assert sum(counts) == result.rows
    assert "█" in report_text


def test_score_bins_use_round_ranges() -> None:
    bins = score_bins(pl.Series(list(range(0, 100, 5))))
    assert [b.label for b in bins] == [f"{lo} to {lo + 9}" for lo in range(0, 100, 10)]
    assert [b.count for b in bins] == [2] * 10


def test_score_bins_keep_empty_ranges_and_negative_scores() -> None:
    bins = score_bins(pl.Series([-15, -3, 42]))
    assert bins[0].label == "-20 to -11"
    assert sum(b.count for b in bins) == 3
    assert [b.low for b in bins] == sorted(b.low for b in bins)
    assert 0 in [b.count for b in bins]


def test_score_bins_for_equal_and_fractional_scores() -> None:
    assert [(b.label, b.count) for b in score_bins(pl.Series([7, 7, 7]))] == [("7", 3)]
    assert [(b.label, b.count) for b in score_bins(pl.Series([2.5, 2.5]))] == [("2.5", 2)]
    fractional = score_bins(pl.Series([0.1, 0.2, 0.3, 0.7]))
    assert sum(b.count for b in fractional) == 4
    assert fractional[0].label == "0.1 to <0.2"
    assert score_bins(pl.Series([], dtype=pl.Int64)) == []


def test_zero_leads_render_without_error() -> None:
    empty = score(leads_frame().head(0), default_model(), as_of=AS_OF)
    text = render(score_report(empty))
    assert re.search(r"Leads scored\s+0\b", text)
    assert "no leads to chart" in text
    assert "Top" not in text
    assert "Executive title" in text


def test_model_without_tiers_grades_or_qualify_leaves_them_out() -> None:
    model = parse_model_text(
        """
        [model]
        name = "Titles only"
        [[rules]]
        name = "Executive title"
        dimension = "fit"
        column = "job_title"
        matches = '(?i)chief|ceo|cfo|vp'
        points = 15
        """
    )
    text = render(score_report(score(leads_frame(), model, as_of=AS_OF)))
    for absent in ("Tiers", "Grades", "Qualified", "Tier", "Grade", "from model"):
        assert absent not in text
    assert "Titles only" in text
    assert "Top 10 leads" in text
    assert re.search(r"Executive title\s+\d+", text)


def test_tier_names_are_coloured_and_unknown_names_stay_neutral() -> None:
    assert str(tier_text("hot").style) == "bold red"
    assert str(tier_text("Warm").style) == "yellow"
    assert str(tier_text("cold").style) == "blue"
    assert "red" not in str(tier_text("platinum").style)


def test_warnings_renderable() -> None:
    assert warnings_renderable([]) is None
    shown = warnings_renderable(["first problem", "second [problem]"])
    assert shown is not None
    text = render(shown)
    assert text.splitlines()[0].strip() == "Warnings"
    assert "- first problem" in text
    assert "- second [problem]" in text


def test_error_text() -> None:
    message = error_text("leads.csv: file not found")
    assert message.plain == "Error: leads.csv: file not found"
    assert "red" in str(message.style)


def test_console_is_plain_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch, result: ScoredLeads) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    console = make_console(width=100)
    console.file = io.StringIO()
    console.print(score_report(result))
    assert "\x1b" not in console.file.getvalue()
    assert "Tiers" in console.file.getvalue()
    assert make_console(stderr=True).stderr
    assert make_console(quiet=True).quiet


def test_console_respects_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert make_console().no_color
    monkeypatch.delenv("NO_COLOR")
    assert not make_console().no_color


def test_spinner_stays_silent_off_a_terminal() -> None:
    console = Console(file=io.StringIO(), force_terminal=False)
    with progress_spinner(console, "Scoring leads", delay=0.0):
        time.sleep(0.05)
    assert console.file.getvalue() == ""  # type: ignore[attr-defined]


def test_spinner_appears_only_for_slow_work() -> None:
    quick = Console(file=io.StringIO(), force_terminal=True, width=60)
    with progress_spinner(quick, "Scoring leads", delay=5.0):
        pass
    assert quick.file.getvalue() == ""  # type: ignore[attr-defined]
    slow = Console(file=io.StringIO(), force_terminal=True, width=60)
    with progress_spinner(slow, "Scoring leads", delay=0.01):
        time.sleep(0.3)
    assert "Scoring leads" in slow.file.getvalue()  # type: ignore[attr-defined]
