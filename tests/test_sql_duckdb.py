"""The generated SQL, run by DuckDB, against ``leadscore.score`` on random models and messy leads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadscore import Conventions, InputError, Model, load_model, parse_model, score
from leadscore.events import EventLog
from tests.sql_support import assert_same_scores, load_duckdb, run_duckdb
from tests.test_properties import AS_OF, SCHEMA, leads, models

pytest.importorskip("duckdb")

from leadscore.sql import Kind, SqlOptions, compile_sql
from leadscore.sql.engines import score_with_duckdb

SAMPLES = Path(__file__).parents[1] / "sample_data"

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EVENT_SETTINGS = settings(SETTINGS, max_examples=30)


@SETTINGS
@given(spec=models(), rows=leads(), conventions=st.builds(Conventions, st.booleans(), st.booleans()))
def test_duckdb_matches_engine(
    spec: dict[str, Any], rows: list[dict[str, Any]], conventions: Conventions
) -> None:
    model = parse_model(spec)
    frame = pl.DataFrame(rows, schema=SCHEMA)
    try:
        want = score(frame, model, as_of=AS_OF, conventions=conventions).frame
    except InputError:
        return  # the engine refuses a column none of whose values it can read; SQL has no such check
    got = score_with_duckdb(frame, model, as_of=AS_OF, conventions=conventions)
    assert_same_scores(got, want, model)


EVENT_TYPES = ["demo_request", "Pricing_View", " email_open ", "webinar", None]
TIMES = ["2026-10-31T23:00:00Z", "2026-11-01 08:30", "2026-10-01", "2026-11-02T00:00:00Z", "garbage",
         "2026-10-31T23:00:00+02:00", "2026-09-15T12:00:00.250-05:00", "", None, "2025-11-01T00:00:00Z",
         "2026-11-01T23:59:59.999999Z"]  # fmt: skip
CHANNELS = ["web", "Email", "ads", "N/A", None]


@st.composite
def activity(draw: st.DrawFn, lead_ids: list[str]) -> list[dict[str, Any]]:
    ids = [*lead_ids, "unknown", f" {lead_ids[0]} " if lead_ids else "x"]
    n = draw(st.integers(min_value=0, max_value=40))
    return [
        {
            "lead_id": draw(st.sampled_from(ids)),
            "event": draw(st.sampled_from(EVENT_TYPES)),
            "timestamp": draw(st.sampled_from(TIMES)),
            "channel": draw(st.sampled_from(CHANNELS)),
        }
        for _ in range(n)
    ]


@st.composite
def event_rules(draw: st.DrawFn) -> list[dict[str, Any]]:
    rules = []
    for i in range(draw(st.integers(min_value=1, max_value=3))):
        rule: dict[str, Any] = {
            "name": f"event {i}",
            "dimension": "engagement",
            "event": draw(st.sampled_from(["demo_request", ["pricing_view", "email_open"], "webinar"])),
        }
        if draw(st.booleans()):
            rule["points_per_unit"] = draw(st.sampled_from([1, 5, 2.5]))
        else:
            rule["points"] = draw(st.sampled_from([10, 25, -5]))
            if draw(st.booleans()):
                rule["min_events"] = draw(st.sampled_from([0, 2]))
                rule["max_events"] = draw(st.sampled_from([rule["min_events"], 3]))
        if draw(st.booleans()):
            rule["within_days"] = draw(st.sampled_from([0, 1, 30, 90]))
        if draw(st.booleans()):
            rule["half_life_days"] = draw(st.sampled_from([7, 30]))
        if draw(st.booleans()):
            rule["where"] = {"column": "channel", "in": ["web", "email"]}
        if draw(st.booleans()):
            rule["max_points"] = 30
        rules.append(rule)
    return rules


@EVENT_SETTINGS
@given(spec=models(), extra=event_rules(), rows=leads(), data=st.data())
def test_duckdb_event_rules_match_engine(
    spec: dict[str, Any], extra: list[dict[str, Any]], rows: list[dict[str, Any]], data: st.DataObject
) -> None:
    spec = {**spec, "rules": [*spec["rules"], *extra]}
    model = parse_model(spec)
    frame = pl.DataFrame(rows, schema=SCHEMA)
    log = pl.DataFrame(
        data.draw(activity([r["lead_id"] for r in rows])),
        schema={"lead_id": pl.String, "event": pl.String, "timestamp": pl.String, "channel": pl.String},
    )
    try:
        want = score(frame, model, as_of=AS_OF, events=EventLog(log.lazy())).frame
    except InputError:
        return
    got = score_with_duckdb(frame, model, as_of=AS_OF, events=log)
    assert_same_scores(got, want, model)


def test_event_model_returns_every_input_column_without_naming_them(tmp_path: Path) -> None:
    """SELECT * EXCLUDE (...) leaves out only the internal columns the last step has: the event
    log's own steps compute theirs apart, and the join takes only the features."""
    import duckdb

    model = load_model(SAMPLES / "b2b_events.toml")
    # the file's order as a column, so that DuckDB ranks repeated ids as the engine does
    leads = pl.read_csv(SAMPLES / "leads.csv", infer_schema=False).with_row_index("line")
    # times typed: DuckDB takes half a second to plan the reading of times written as text
    time = pl.col("timestamp")
    log = pl.read_csv(SAMPLES / "activity.csv", infer_schema=False).with_columns(
        pl.coalesce(
            time.str.to_datetime("%Y-%m-%dT%H:%M:%S%#z", time_zone="UTC", strict=False),
            time.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False).dt.replace_time_zone("UTC"),
        )
    )
    want = score(leads, model, as_of=AS_OF, events=EventLog(log.lazy())).frame
    options = SqlOptions(
        table="leads",
        events_table="act",
        as_of=AS_OF,
        event_kinds={"timestamp": Kind.timestamp},
        tiebreak="line",
    )
    text = compile_sql(model, options)
    with duckdb.connect() as con:
        load_duckdb(con, "leads", leads, tmp_path)
        load_duckdb(con, "act", log, tmp_path)
        assert_same_scores(run_duckdb(con, text, want), want, model)


def test_typed_columns_are_read_natively() -> None:
    """Parquet-style typed columns: integers, floats, booleans, dates and timestamps."""
    model = parse_model(
        {
            "model": {"name": "typed", "id": "id"},
            "rules": [
                {"name": "big", "dimension": "fit", "column": "employees", "gte": 100, "points": 10},
                {"name": "ratio", "dimension": "fit", "column": "ratio", "points_per_unit": 3},
                {"name": "ratio text", "dimension": "fit", "column": "ratio", "equals": "3", "points": 1},
                {"name": "demo", "dimension": "engagement", "column": "demo", "equals": True, "points": 7},
                {
                    "name": "recent",
                    "dimension": "engagement",
                    "column": "seen",
                    "within_days": 30,
                    "points": 5,
                },
                {
                    "name": "recent ts",
                    "dimension": "engagement",
                    "column": "at",
                    "within_days": 2,
                    "points": 4,
                },
                {"name": "no ratio", "dimension": "fit", "column": "ratio", "missing": True, "points": -2},
                {
                    "name": "serial",
                    "dimension": "fit",
                    "column": "employees",
                    "older_than_days": 40000,
                    "points": 1,
                },
            ],
        }
    )
    frame = pl.DataFrame(
        {
            "id": [3, 1, 2, 4],
            "employees": [150, 99, None, 45000],
            "ratio": [3.0, float("nan"), 0.5, None],
            "demo": [True, False, None, True],
            "seen": [dt.date(2026, 10, 20), dt.date(2025, 1, 1), None, dt.date(2026, 11, 5)],
            "at": [
                dt.datetime(2026, 10, 31, 5),
                None,
                dt.datetime(2026, 1, 1),
                dt.datetime(2026, 11, 1, 23, 59),
            ],
            "unread": [1.5, 2.0, None, 4.0],  # a typed column no rule reads is returned as it is
        }
    )
    want = score(frame, model, as_of=AS_OF).frame
    got = score_with_duckdb(frame, model, as_of=AS_OF)
    assert_same_scores(got, want, model)


@pytest.mark.parametrize("zone", [None, "UTC", "Europe/Berlin"])
def test_typed_event_times_are_read_natively(zone: str | None) -> None:
    model = parse_model(
        {
            "model": {"name": "typed events", "id": "lead_id"},
            "rules": [
                {
                    "name": "demo",
                    "dimension": "engagement",
                    "event": "demo",
                    "points_per_unit": 3,
                    "half_life_days": 7,
                },
                {"name": "recent", "dimension": "engagement", "event": "demo", "points": 5, "within_days": 1},
            ],
        }
    )
    frame = pl.DataFrame({"lead_id": ["a", "b", "c"]})
    times = [dt.datetime(2026, 11, 1, 23, 30), dt.datetime(2026, 10, 31, 0, 15), dt.datetime(2026, 11, 2, 0, 30),
             dt.datetime(2026, 9, 1, 12), None]  # fmt: skip
    log = pl.DataFrame(
        {"lead_id": ["a", "a", "b", "b", "c"], "event": ["demo"] * 5, "timestamp": times},
        schema={"lead_id": pl.String, "event": pl.String, "timestamp": pl.Datetime("us", zone)},
    )
    want = score(frame, model, as_of=AS_OF, events=EventLog(log.lazy())).frame
    assert_same_scores(score_with_duckdb(frame, model, as_of=AS_OF, events=log), want, model)
    dated = log.with_columns(pl.col("timestamp").dt.date())
    want = score(frame, model, as_of=AS_OF, events=EventLog(dated.lazy())).frame
    assert_same_scores(score_with_duckdb(frame, model, as_of=AS_OF, events=dated), want, model)


def engines_agree(frame: pl.DataFrame, model: Model, conventions: Conventions) -> pl.DataFrame:
    """The leads scored by the engine, after checking that DuckDB scores them the same."""
    want = score(frame, model, as_of=AS_OF, conventions=conventions).frame
    assert_same_scores(score_with_duckdb(frame, model, as_of=AS_OF, conventions=conventions), want, model)
    return want


def test_decimal_comma_numbers() -> None:
    model = parse_model(
        {
            "model": {"name": "sizes", "id": "id"},
            "rules": [{"name": "big", "dimension": "fit", "column": "staff", "gte": 1000, "points": 5}],
        }
    )
    frame = pl.DataFrame(
        {"id": list("abcdef"), "staff": ["1.200", "1,200", "0.125", "1.200 €", "(1.500)", "2.500.000"]}
    )
    for comma, bigs in ((False, ["b", "d", "f"]), (True, ["a", "d", "f"])):  # 1.200 € groups either way
        scored = engines_agree(frame, model, Conventions(decimal_comma=comma))
        assert sorted(scored.filter(pl.col("score") > 0)["id"]) == bigs


def test_dayfirst_dates() -> None:
    model = parse_model(
        {
            "model": {"name": "dayfirst", "id": "id"},
            "rules": [
                {"name": "recent", "dimension": "fit", "column": "seen", "within_days": 40, "points": 5}
            ],
        }
    )
    frame = pl.DataFrame(
        {"id": ["a", "b", "c", "d"], "seen": ["01/11/2026", "11/01/2026", "30/09/2026", "9/30/2026"]}
    )
    for dayfirst in (False, True):
        engines_agree(frame, model, Conventions(dayfirst=dayfirst))


def test_blank_ids_rank_as_in_the_engine() -> None:
    """NULL ids last among equal scores; '', spaces and placeholders as the text they are."""
    model = parse_model(
        {
            "model": {"name": "ids", "id": "lead_id"},
            "rules": [{"name": "any", "dimension": "fit", "column": "x", "equals": "1", "points": 5}],
        }
    )
    frame = pl.DataFrame({"lead_id": ["B", "", None, "A", " ", "N/A", "-"], "x": ["1"] * 7})
    ranked = engines_agree(frame, model, Conventions())
    assert ranked["lead_id"].to_list() == ["", " ", "-", "A", "B", "N/A", None]
