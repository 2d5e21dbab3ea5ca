"""Score a frame through DuckDB with the generated SQL (``leadscore score --engine duckdb``).

The frame's column types are known here, so typed columns (numbers, dates, timestamps,
booleans) are read natively, exactly as the file engine reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadscore.errors import UsageError
from leadscore.model import Model
from leadscore.sql.compile import SqlOptions, compile_sql
from leadscore.sql.dialects import Dialect
from leadscore.sql.readings import Kind

if TYPE_CHECKING:
    import polars as pl

LEADS_TABLE = "leads"
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


def kinds_of(schema: Mapping[str, pl.DataType]) -> dict[str, Kind]:
    return {name: kind_of(dtype) for name, dtype in schema.items() if kind_of(dtype) is not Kind.text}


def connect() -> Any:
    try:
        import duckdb
    except ImportError:
        raise UsageError(
            "--engine duckdb needs the duckdb package; install it with: pip install 'leadscore[duckdb]'"
        ) from None
    return duckdb.connect()


def score_with_duckdb(
    leads: pl.DataFrame,
    model: Model,
    *,
    as_of: dt.date,
    events: pl.DataFrame | None = None,
    dayfirst: bool = False,
) -> pl.DataFrame:
    """The leads scored and ranked by DuckDB running the model compiled to SQL."""
    options = SqlOptions(
        table=LEADS_TABLE,
        dialect=Dialect.duckdb,
        as_of=as_of,
        events_table=EVENTS_TABLE if events is not None else None,
        kinds=kinds_of(leads.schema),
        event_kinds=kinds_of(events.schema) if events is not None else {},
        columns=leads.columns,
        dayfirst=dayfirst,
    )
    sql = compile_sql(model, options)
    import tempfile

    import polars as pl

    # Parquet carries the frames in and out with their types, without pyarrow
    with tempfile.TemporaryDirectory(prefix="leadscore-duckdb-") as tmp:
        folder = Path(tmp)
        con = connect()
        try:
            tables = {LEADS_TABLE: leads, **({EVENTS_TABLE: events} if events is not None else {})}
            for name, frame in tables.items():
                path = folder / f"{name}.parquet"
                frame.write_parquet(path)
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_quoted(path)})")
            out = folder / "scored.parquet"
            con.execute(f"COPY (\n{sql}) TO {_quoted(out)} (FORMAT parquet)")
        finally:
            con.close()
        return pl.read_parquet(out)


def _quoted(path: Path) -> str:
    from sqlglot import exp

    return exp.Literal.string(str(path)).sql(dialect="duckdb")
