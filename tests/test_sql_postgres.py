"""The generated SQL, run by a real PostgreSQL server, against ``leadscore.score``.

The server is started on loopback by the ``postgres`` fixture; without one the tests skip and
say why.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadscore import InputError, parse_model, score
from leadscore.events import EventLog
from leadscore.sql import Dialect, SqlOptions, compile_sql
from leadscore.sql.engines import kinds_of
from tests.sql_support import assert_same_scores, load_postgres, run_postgres
from tests.test_properties import AS_OF, SCHEMA, leads, models
from tests.test_sql_duckdb import activity, event_rules

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
EVENTS_SCHEMA = {"lead_id": pl.String, "event": pl.String, "timestamp": pl.String, "channel": pl.String}


def _postgres_scores(
    conn: Any, frame: pl.DataFrame, model: Any, want: pl.DataFrame, **extra: Any
) -> pl.DataFrame:
    load_postgres(conn, "leads", frame)
    options = SqlOptions(
        table="leads",
        dialect=Dialect.postgres,
        as_of=AS_OF,
        kinds=kinds_of(frame.schema, model.lead_columns),
        **extra,
    )
    return run_postgres(conn, compile_sql(model, options), want)


@SETTINGS
@given(spec=models(), rows=leads(), explicit=st.booleans())
def test_postgres_matches_engine(
    postgres: Any, spec: dict[str, Any], rows: list[dict[str, Any]], explicit: bool
) -> None:
    model = parse_model(spec)
    frame = pl.DataFrame(rows, schema=SCHEMA)
    try:
        want = score(frame, model, as_of=AS_OF).frame
    except InputError:
        return
    got = _postgres_scores(postgres, frame, model, want, columns=frame.columns if explicit else None)
    assert_same_scores(got, want, model)


@SETTINGS
@given(spec=models(), extra=event_rules(), rows=leads(), data=st.data())
def test_postgres_event_rules_match_engine(
    postgres: Any,
    spec: dict[str, Any],
    extra: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    data: st.DataObject,
) -> None:
    model = parse_model({**spec, "rules": [*spec["rules"], *extra]})
    frame = pl.DataFrame(rows, schema=SCHEMA)
    log = pl.DataFrame(data.draw(activity([r["lead_id"] for r in rows])), schema=EVENTS_SCHEMA)
    try:
        want = score(frame, model, as_of=AS_OF, events=EventLog(log.lazy())).frame
    except InputError:
        return
    load_postgres(postgres, "activity", log)
    got = _postgres_scores(postgres, frame, model, want, events_table="activity")
    assert_same_scores(got, want, model)
