"""Event rules against a plain row-by-row reference: windows, decay, future events, time zones."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadscore import InputError, UsageError, parse_model, score
from leadscore.events import EventLog
from leadscore.explain import explain
from tests.reference import round_half_away

AS_OF = dt.date(2026, 11, 1)
END = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)  # the end of the as-of day
TYPES = ["page_view", "pricing_page_view", "demo_request", "email_click"]


def parse_time(text: str) -> dt.datetime | None:
    """The reference reading of a timestamp: ISO with Z, an offset, or no zone (UTC)."""
    t = text.strip().replace(" ", "T", 1)
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    try:
        value = dt.datetime.fromisoformat(t)
    except ValueError:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def reference_points(
    rule: dict[str, Any], events: list[dict[str, Any]], lead: str, end: dt.datetime = END
) -> float:
    types = {
        t.strip().lower() for t in ([rule["event"]] if isinstance(rule["event"], str) else rule["event"])
    }
    count, weight = 0, 0.0
    for e in events:
        if e["lead_id"].strip() != lead or e["event"].strip().lower() not in types:
            continue
        when = parse_time(e["timestamp"])
        if when is None:
            continue
        age = (end - when).total_seconds() / 86400
        if age <= 0 or ("within_days" in rule and age > rule["within_days"]):
            continue
        if "where" in rule and rule["where"]["contains"] not in (e["url"] or "").lower():
            continue
        count += 1
        weight += 0.5 ** (age / rule["half_life_days"]) if "half_life_days" in rule else 1.0
    if not rule.get("min_events", 1) <= count <= rule.get("max_events", count):
        return 0.0
    raw = weight * rule["points_per_unit"] if "points_per_unit" in rule else float(rule["points"])
    if "max_points" in rule:
        raw = min(raw, rule["max_points"])
    return raw


# times either side of the ends of the days drawn for --events-until, and of the as-of day
NEAR_ENDS = [
    "2025-12-31T23:59:00Z", "2026-01-01T00:00:00Z", "2026-06-15T22:00:00-05:00", "2026-06-16T00:30:00+02:00",
    "2026-10-20T12:00:00Z", "2026-10-21T00:00:01Z", "2026-11-01T23:00:00Z", "2026-11-02T12:00:00Z",
    "2026-11-03T12:00:00Z",
]  # fmt: skip


def stamps() -> st.SearchStrategy[str]:
    moments = st.datetimes(min_value=dt.datetime(2025, 6, 1), max_value=dt.datetime(2026, 11, 4))
    zones = st.sampled_from(["Z", "+02:00", "-05:00", "", " "])

    def render(pair: tuple[dt.datetime, str]) -> str:
        moment, zone = pair
        if zone == " ":
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + zone

    return st.tuples(moments, zones).map(render)


@st.composite
def event_rule(draw: st.DrawFn, i: int) -> dict[str, Any]:
    rule: dict[str, Any] = {"name": f"event rule {i}", "dimension": "engagement"}
    kinds = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True))
    rule["event"] = kinds[0] if len(kinds) == 1 else kinds
    if draw(st.booleans()):
        rule["points_per_unit"] = draw(st.sampled_from([1, 2.5, 5]))
        if draw(st.booleans()):
            rule["max_points"] = draw(st.sampled_from([5, 20]))
    else:
        rule["points"] = draw(st.sampled_from([10, -15]))
        if draw(st.booleans()):
            rule["min_events"] = draw(st.sampled_from([0, 1, 2]))
        if draw(st.booleans()):
            rule["max_events"] = draw(st.sampled_from([2, 3])) if "min_events" in rule else 0
            rule["min_events"] = min(rule.get("min_events", 0), rule["max_events"])
    if draw(st.booleans()):
        rule["within_days"] = draw(st.sampled_from([0.5, 7, 90, 365]))
    if draw(st.booleans()):
        rule["half_life_days"] = draw(st.sampled_from([1, 30, 90]))
    if draw(st.booleans()):
        rule["where"] = {"column": "url", "contains": "/pricing"}
    return rule


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_event_points_match_the_reference(data: st.DataObject) -> None:
    rules = [data.draw(event_rule(i)) for i in range(data.draw(st.integers(min_value=1, max_value=3)))]
    leads = [f"L{i}" for i in range(data.draw(st.integers(min_value=1, max_value=6)))]
    events = [
        {
            "lead_id": data.draw(st.sampled_from([*leads, "L99", " L0 "])),
            "event": data.draw(st.sampled_from([*TYPES, " Page_View ", "PRICING_PAGE_VIEW"])),
            "timestamp": data.draw(st.one_of(stamps(), st.sampled_from(NEAR_ENDS))),
            "url": data.draw(st.sampled_from(["/pricing", "/Pricing/plans", "/blog", None])),
        }
        for _ in range(data.draw(st.integers(min_value=0, max_value=30)))
    ]
    # with --events-until, each lead's own last day: a date, none, a placeholder or not a date
    until = data.draw(st.booleans())
    dates = [
        data.draw(
            st.sampled_from([None, "N/A", "soon", "2025-12-31", "2026-06-15", "10/20/2026", "2026-11-03"])
        )
        for _ in leads
    ]
    model = parse_model({"model": {"name": "ev", "id": "lead_id"}, "rules": rules})
    frame = pl.DataFrame(
        {"lead_id": leads, "closed_at": dates}, schema={"lead_id": pl.String, "closed_at": pl.String}
    )
    log = pl.DataFrame(
        events, schema={"lead_id": pl.String, "event": pl.String, "timestamp": pl.String, "url": pl.String}
    )
    events_log = EventLog(log.lazy(), "activity.csv", until="closed_at" if until else None)
    result = score(frame, model, as_of=AS_OF, events=events_log)
    got = dict(zip(result.frame["lead_id"], result.frame["score"], strict=True))
    ends = {lead: reference_end(d) if until else END for lead, d in zip(leads, dates, strict=True)}
    decimals = 0 if model.integral else 2
    for lead in leads:
        per_rule = [round_half_away(reference_points(r, events, lead, ends[lead]), decimals) for r in rules]
        assert got[lead] == pytest.approx(round_half_away(sum(per_rule), decimals), abs=1e-9), lead
    stats = result.event_stats
    assert stats is not None
    assert stats["events"] == len(events)
    assert stats["unmatched"] == sum(e["lead_id"].strip() not in leads for e in events)
    times = [(e["lead_id"].strip(), parse_time(e["timestamp"])) for e in events]
    assert stats["future"] == sum(t is not None and t >= END for _, t in times)
    assert stats["after_until"] == sum(t is not None and ends.get(lead, END) <= t < END for lead, t in times)
    if until:
        assert stats["until_unreadable"] == dates.count("soon")


def reference_end(text: str | None) -> dt.datetime:
    """Where a lead's events stop counting: the end of its day in the until column, at the latest
    the end of the as-of day; the as-of day's end when the cell holds no date."""
    formats = {"%Y-%m-%d", "%m/%d/%Y"}
    for f in formats:
        try:
            day = dt.datetime.strptime(text or "", f).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        return min(day + dt.timedelta(days=1), END)
    return END


def simple_model(**rule: Any) -> Any:
    base = {"name": "Pricing views", "dimension": "engagement", "event": "pricing_page_view"}
    return parse_model({"model": {"name": "ev", "id": "lead_id"}, "rules": [{**base, **rule}]})


def test_decay_halves_each_half_life_and_today_counts() -> None:
    model = simple_model(points_per_unit=8, half_life_days=30)
    log = pl.DataFrame(
        {
            "lead_id": ["a", "b", "c"],
            "event": ["pricing_page_view"] * 3,
            "timestamp": ["2026-11-01T23:59:59Z", "2026-10-03T00:00:00Z", "2026-11-01T12:00:00+02:00"],
        }
    )
    out = score(pl.DataFrame({"lead_id": ["a", "b", "c"]}), model, as_of=AS_OF, events=EventLog(log.lazy()))
    got = dict(zip(out.frame["lead_id"], out.frame["score"], strict=True))
    assert got["a"] == pytest.approx(8.0, abs=0.01)  # one second old
    assert got["b"] == pytest.approx(4.0, abs=0.01)  # exactly 30 days before the end of the day
    assert got["c"] == pytest.approx(round(8 * 0.5 ** ((14 / 24) / 30), 2))  # 10:00 UTC: 14 h old


def test_future_events_are_ignored_and_counted() -> None:
    model = simple_model(points=10)
    log = pl.DataFrame({"lead_id": ["a", "b"], "event": ["pricing_page_view"] * 2,
                        "timestamp": ["2026-11-02T00:00:00Z", "2026-11-01T23:00:00-05:00"]})  # fmt: skip
    out = score(
        pl.DataFrame({"lead_id": ["a", "b"]}), model, as_of=AS_OF, events=EventLog(log.lazy(), "log.csv")
    )
    assert out.frame["score"].to_list() == [0, 0]
    assert out.event_stats is not None
    assert out.event_stats["future"] == 2
    assert "2 events in log.csv are after 2026-11-01 (the as-of date) and were ignored" in out.notices


def test_events_until_counts_each_lead_up_to_its_own_day() -> None:
    model = simple_model(points_per_unit=8, half_life_days=30)
    leads = pl.DataFrame(
        {"lead_id": ["a", "b", "c", "d"], "closed_at": ["2026-10-02", "N/A", "2026-11-20", "next week"]}
    )
    stamps = ["2026-10-02T23:00:00Z", "2026-10-03T00:00:00Z", "2026-11-01T23:59:59Z", "2026-11-02T06:00:00Z"]
    log = pl.DataFrame({"lead_id": [x for x in "abcd" for _ in stamps], "event": "pricing_page_view",
                        "timestamp": stamps * 4})  # fmt: skip
    out = score(leads, model, as_of=AS_OF, events=EventLog(log.lazy(), "log.csv", until="closed_at"))
    got = dict(zip(out.frame["lead_id"], out.frame["score"], strict=True))
    # a: one event, an hour before the end of 2 October; the rest came after its day
    assert got["a"] == pytest.approx(round(8 * 0.5 ** ((1 / 24) / 30), 2))
    # b, d: no date (a placeholder, text that is no date): counted up to the as-of day, as without until;
    # c: a day after the as-of day counts nothing later than the as-of day
    as_of_points = round(8 * (0.5 ** ((30 + 1 / 24) / 30) + 0.5 ** (30 / 30) + 0.5 ** ((1 / 86400) / 30)), 2)
    assert got["b"] == got["c"] == got["d"] == pytest.approx(as_of_points)
    # a's events at midnight ending its day and later, up to the as-of day's end
    assert "2 events in log.csv came after their lead's 'closed_at' date and were left out" in out.notices
    assert (
        "1 lead has a value in 'closed_at' that is not a date; their events count up to 2026-11-01 "
        "(the as-of date)" in out.notices
    )


def test_events_until_names_a_missing_column() -> None:
    log = pl.DataFrame({"lead_id": ["a"], "event": ["pricing_page_view"], "timestamp": ["2026-10-01"]})
    with pytest.raises(
        UsageError, match=r"--events-until: no column 'closed' in the leads \(did you mean 'closed_at'"
    ):
        score(
            pl.DataFrame({"lead_id": ["a"], "closed_at": ["2026-10-01"]}),
            simple_model(points=1),
            as_of=AS_OF,
            events=EventLog(log.lazy(), until="closed"),
        )


def test_typed_timestamps_from_excel_or_parquet() -> None:
    model = simple_model(points_per_unit=1, within_days=10)
    log = pl.DataFrame(
        {
            "lead_id": ["a", "a", "a"],
            "event": ["pricing_page_view"] * 3,
            "timestamp": [dt.datetime(2026, 10, 30, 9), dt.datetime(2026, 1, 1), dt.datetime(2026, 11, 1, 8)],
        }
    )
    out = score(pl.DataFrame({"lead_id": ["a"]}), model, as_of=AS_OF, events=EventLog(log.lazy()))
    assert out.frame["score"].to_list() == [2]


def test_rules_that_need_events_without_a_log_say_so() -> None:
    with pytest.raises(
        UsageError, match=r"rules 'Pricing views' read an activity log; give it with --events"
    ):
        score(pl.DataFrame({"lead_id": ["a"]}), simple_model(points=1), as_of=AS_OF)


def test_events_file_missing_a_column_names_it() -> None:
    log = pl.DataFrame({"lead_id": ["a"], "type": ["x"], "timestamp": ["2026-10-01"]})
    with pytest.raises(InputError, match=r"events column 'event' is not in log.csv.*set \[events\] type"):
        score(
            pl.DataFrame({"lead_id": ["a"]}),
            simple_model(points=1),
            as_of=AS_OF,
            events=EventLog(log.lazy(), "log.csv"),
        )


def test_explain_shows_event_counts_and_equals_score() -> None:
    model = simple_model(points_per_unit=5, max_points=20, half_life_days=30, within_days=90)
    log = pl.DataFrame(
        {
            "lead_id": ["a", "a", "a", "b"],
            "event": ["pricing_page_view", "PRICING_PAGE_VIEW ", "page_view", "pricing_page_view"],
            "timestamp": ["2026-10-31", "2026-09-15T10:00:00Z", "2026-10-31", "2026-01-01"],
        }
    )
    leads = pl.DataFrame({"lead_id": ["a", "b"]})
    scored = score(leads, model, as_of=AS_OF, events=EventLog(log.lazy()))
    [a] = explain(leads, model, ["a"], as_of=AS_OF, events=EventLog(log.lazy()))
    assert a.score == scored.frame.filter(pl.col("lead_id") == "a")["score"][0]
    line = a.rules[0]
    assert line.events is not None
    assert line.events.matching == 2
    assert line.events.last is not None and line.events.last.startswith("2026-10-31")
    expected_weight = 0.5 ** (2 / 30) + 0.5 ** (
        (dt.datetime(2026, 11, 2) - dt.datetime(2026, 9, 15, 10)).total_seconds() / 86400 / 30
    )
    assert math.isclose(line.events.weight, expected_weight, rel_tol=1e-9)


def test_explain_says_how_many_events_a_count_rule_needs() -> None:
    from rich.console import Console

    from leadscore.report import explanation_panel

    model = simple_model(points=15, min_events=3, within_days=30)
    log = pl.DataFrame({"lead_id": ["a", "a"], "event": ["pricing_page_view"] * 2,
                        "timestamp": ["2026-10-30", "2026-10-31"]})  # fmt: skip
    [a] = explain(pl.DataFrame({"lead_id": ["a"]}), model, ["a"], as_of=AS_OF, events=EventLog(log.lazy()))
    assert a.rules[0].events is not None
    assert (a.rules[0].events.matching, a.rules[0].events.needed, a.rules[0].points) == (2, "3 or more", 0)
    console = Console(width=120, record=True)
    console.print(explanation_panel(a))
    assert "2 matching events (needs 3 or more)" in console.export_text()
