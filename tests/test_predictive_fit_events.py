"""fit --events: counts of events become event rules that fire on exactly the leads they learnt from."""

from __future__ import annotations

import re

import polars as pl
import pytest

from leadscore import parse_model_text, score
from leadscore.events import EventLog
from leadscore.predictive.fit import FitResult, fit_model
from leadscore.predictive.outcome import read_outcome
from leadscore.synthetic import AS_OF, generate_history, generate_history_events

N = 1500


@pytest.fixture(scope="module")
def history() -> pl.DataFrame:
    return generate_history(N)


@pytest.fixture(scope="module")
def log() -> EventLog:
    return EventLog(generate_history_events(N).lazy(), "activity.csv", until="closed_at")


@pytest.fixture(scope="module")
def learnt(history: pl.DataFrame, log: EventLog) -> FitResult:
    return fit_model(history, "converted", as_of=AS_OF, source="history.csv", events=log)


def test_event_counts_are_written_as_event_rules(learnt: FitResult) -> None:
    assert parse_model_text(learnt.text, source="the learnt model") == learnt.model
    event_rules = learnt.model.event_rules
    assert event_rules, learnt.text
    assert {r.dimension for r in event_rules} == {"engagement"}
    assert all(r.event is not None and r.event.within_days == 90 for r in event_rules)
    assert {r.event.types[0] for r in event_rules if r.event} <= {
        "page_view", "email_open", "email_click", "content_download", "pricing_page_view",
        "webinar_attended", "demo_request", "unsubscribe",
    }  # fmt: skip
    assert "[events]" in learnt.text and 'type = "event"' in learnt.text


def test_event_rules_fire_on_the_leads_their_comments_count(
    learnt: FitResult, history: pl.DataFrame, log: EventLog
) -> None:
    """Each rule's comment counts the history leads in its range; scoring with the same log and
    cut-off finds the same leads, so the ranges were written as the counts were cut."""
    known = history.filter(read_outcome(history, "converted").values.is_not_null())
    comments = re.findall(r"^# ([\d,]+) leads, [\d.]+% converted$", learnt.text, re.MULTILINE)
    hits = score(known, learnt.model, as_of=AS_OF, reasons=False, events=log).rule_stats["hits"].to_list()
    assert [int(n.replace(",", "")) for n in comments] == hits


def test_an_event_that_gives_the_outcome_away_is_left_out(history: pl.DataFrame) -> None:
    won = history.filter(pl.col("converted") == "yes").select(
        "lead_id",
        event=pl.lit("opportunity_won"),
        timestamp=pl.col("closed_at") + "T09:00:00Z",
        url=pl.lit(None),
    )
    events = pl.concat([generate_history_events(N), won.cast(pl.String)]).lazy()
    found = fit_model(history, "converted", as_of=AS_OF, events=EventLog(events, until="closed_at"))
    assert "opportunity_won events (90 days)" in {leak.column for leak in found.leaks}
    assert not any(r.event and r.event.types == ("opportunity_won",) for r in found.model.event_rules)
    assert not any("give --events-until" in w for w in found.warnings)
    # without --events-until, the user is told how events were counted
    found = fit_model(history, "converted", as_of=AS_OF, events=EventLog(events))
    assert any("give --events-until with the date each outcome was decided" in w for w in found.warnings)


def test_rare_event_types_are_named_as_skipped(history: pl.DataFrame) -> None:
    rare = pl.DataFrame({"lead_id": ["H0001", "H0002"], "event": ["trade_show"] * 2,
                         "timestamp": ["2026-10-01T10:00:00Z"] * 2, "url": [None, None]}, schema_overrides={"url": pl.String})  # fmt: skip
    # a placeholder type is no event type, however many leads have it
    unknown = history.head(100).select(
        "lead_id", event=pl.lit("N/A"), timestamp=pl.lit("2026-10-01T10:00:00Z"), url=pl.lit(None, pl.String)
    )
    events = pl.concat([generate_history_events(N), rare, unknown])
    found = fit_model(history, "converted", as_of=AS_OF, events=EventLog(events.lazy()))
    assert ("trade_show events", "fewer than 20 leads have one") in {
        (s.column, s.reason) for s in found.skipped
    }
    named = [s.column for s in found.skipped] + [c.column for c in found.columns]
    assert not [c for c in named if c.lower().startswith("n/a")], named
