"""Score a frame through DuckDB with the generated SQL (``leadscore score --engine duckdb``).

The frame's column types are known here, so typed columns (numbers, dates, timestamps,
booleans) are read natively, exactly as the file engine reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadscore.coerce import Conventions
from leadscore.engine import output_columns, replaced_messages
from leadscore.errors import UsageError, missing_columns_error
from leadscore.model import Model
from leadscore.sql.compile import SqlOptions, build_rule_stats_query, compile_sql
from leadscore.sql.dialects import Dialect
from leadscore.sql.events import event_columns
from leadscore.sql.readings import Kind

if TYPE_CHECKING:
    import polars as pl

    from leadscore.engine import ScoredLeads

LEADS_TABLE = "leads"
ROW = "__ls_row"
EVENTS_TABLE = "events"


def kind_of(dtype: pl.DataType) -> Kind:
    """How the SQL reads a column of this Polars type (coerce.py's branches)."""
    import polars as pl

    if dtype == pl.Boolean:
        return Kind.boolean
    if isinstance(dtype, pl.Float32 | pl.Float64):
        return Kind.float
    if dtype.is_numeric():
        return Kind.integer if dtype.is_integer() else Kind.decimal
    if dtype == pl.Date:
        return Kind.date
    if isinstance(dtype, pl.Datetime):
        return Kind.timestamp
    return Kind.text


def kinds_of(schema: Mapping[str, pl.DataType], read: Sequence[str]) -> dict[str, Kind]:
    """How the SQL reads each typed column of ``schema`` the model reads (``read``): the SQL
    refuses a type declared for any other column."""
    kinds = {name: kind_of(dtype) for name, dtype in schema.items() if name in read}
    return {name: kind for name, kind in kinds.items() if kind is not Kind.text}


def connect() -> Any:
    try:
        import duckdb
    except ImportError:
        raise UsageError(
            "--engine duckdb needs the duckdb package; install it with: pip install 'leadscore[duckdb]'"
        ) from None
    return duckdb.connect()


def _options(
    model: Model,
    leads: pl.DataFrame,
    events: pl.DataFrame | None,
    as_of: dt.date,
    conventions: Conventions,
) -> SqlOptions:
    return SqlOptions(
        table=LEADS_TABLE,
        dialect=Dialect.duckdb,
        as_of=as_of,
        events_table=EVENTS_TABLE if events is not None else None,
        kinds=kinds_of(leads.schema, model.lead_columns),
        event_kinds=kinds_of(events.schema, event_columns(model)) if events is not None else {},
        columns=[c for c in leads.columns if c != ROW],
        conventions=conventions,
        tiebreak=ROW,
    )


def _run(leads: pl.DataFrame, events: pl.DataFrame | None, queries: list[str]) -> list[pl.DataFrame]:
    """Run each query in DuckDB over the frames (tables 'leads' and 'events'); one frame per query."""
    import tempfile

    import polars as pl

    # Parquet carries the frames in and out with their types, without an Arrow library
    with tempfile.TemporaryDirectory(prefix="leadscore-duckdb-") as tmp:
        folder = Path(tmp)
        con = connect()
        try:
            numbered = leads.with_row_index(ROW)  # ties in score and id keep the input order
            tables = {LEADS_TABLE: numbered, **({EVENTS_TABLE: events} if events is not None else {})}
            for name, frame in tables.items():
                path = folder / f"{name}.parquet"
                frame.write_parquet(path)
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_quoted(path)})")
            outputs = []
            for i, sql in enumerate(queries):
                out = folder / f"result_{i}.parquet"
                con.execute(f"COPY (\n{sql}) TO {_quoted(out)} (FORMAT parquet)")
                outputs.append(out)
        finally:
            con.close()
        return [pl.read_parquet(out) for out in outputs]


def score_with_duckdb(
    leads: pl.DataFrame,
    model: Model,
    *,
    as_of: dt.date,
    events: pl.DataFrame | None = None,
    conventions: Conventions = Conventions(),
) -> pl.DataFrame:
    """The leads scored and ranked by DuckDB running the model compiled to SQL."""
    sql = compile_sql(model, _options(model, leads, events, as_of, conventions))
    return _run(leads, events, [sql])[0]


UNCHECKED = (
    "--engine duckdb scores values it cannot read as missing without counting them, so there are no "
    "warnings about them; leave out --engine to have them checked"
)


def score_leads_with_duckdb(
    leads: pl.DataFrame,
    model: Model,
    *,
    as_of: dt.date,
    events: pl.DataFrame | None = None,
    conventions: Conventions = Conventions(),
    reasons: bool = True,
) -> ScoredLeads:
    """Like :func:`leadscore.score`, through DuckDB: the ranked leads and the per-rule statistics.

    The file engine's checks of unreadable values and its notices about events are not made.
    """
    import time

    from leadscore.engine import ScoredLeads, missing_columns, rule_stats_table

    started = time.perf_counter()
    problems = missing_columns(model, leads.columns)
    if problems:
        raise missing_columns_error(problems, "the leads file")
    options = _options(model, leads, events, as_of, conventions)
    stats = build_rule_stats_query(model, options).sql(dialect="duckdb")
    frame, row = _run(leads, events, [compile_sql(model, options), stats])
    if not reasons:
        frame = frame.drop("reasons")
    notices, warnings = replaced_messages([c for c in output_columns(model) if c in leads.columns])
    return ScoredLeads(
        frame=frame,
        model=model,
        as_of=as_of,
        rule_stats=rule_stats_table(model, row),
        warnings=tuple(warnings),
        notices=(UNCHECKED, *notices),
        seconds=time.perf_counter() - started,
    )


def _quoted(path: Path) -> str:
    from sqlglot import exp

    return exp.Literal.string(str(path)).sql(dialect="duckdb")
