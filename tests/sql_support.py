"""Shared helpers for the SQL tests: compare a SQL result with the file engine's, row for row."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import polars as pl

from leadscore.engine import output_columns
from leadscore.model import Model


def assert_same_scores(got: pl.DataFrame, want: pl.DataFrame, model: Model) -> None:
    """Every input and output column equal, row for row in rank order (floats to 1e-9)."""
    assert got.columns == want.columns, (got.columns, want.columns)
    got_rows = got.sort("rank").to_dicts()
    want_rows = want.sort("rank").to_dicts()
    assert len(got_rows) == len(want_rows)
    outputs = output_columns(model)
    for i, (g, w) in enumerate(zip(got_rows, want_rows, strict=True)):
        for column in want.columns:
            a, b = g[column], w[column]
            if column in outputs and not _same(a, b):
                raise AssertionError(f"row {i + 1}, column {column!r}: SQL gave {a!r}, engine {b!r}\n{w}")
            if column not in outputs and a != b and not (a != a and b != b):  # NaN is NaN
                raise AssertionError(f"row {i + 1}, input column {column!r}: {a!r} != {b!r}")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return bool(a == b) and type(a) is type(b)


PG_TYPES = {
    pl.String: "text", pl.Int64: "bigint", pl.Int32: "integer", pl.Float64: "double precision",
    pl.Boolean: "boolean", pl.Date: "date",
}  # fmt: skip


def load_postgres(conn: Any, name: str, frame: pl.DataFrame) -> None:
    """(Re)create table ``name`` in PostgreSQL with the frame's columns and rows."""
    from psycopg import sql

    def pg_type(dtype: pl.DataType) -> str:
        if isinstance(dtype, pl.Datetime):
            return "timestamptz" if dtype.time_zone else "timestamp"
        return PG_TYPES[type(dtype) if not isinstance(dtype, type) else dtype]  # type: ignore[index]

    table = sql.Identifier(name)
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(pg_type(t))) for c, t in frame.schema.items()
    )
    conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, columns))
    if frame.height:
        marks = sql.SQL(", ").join(sql.Placeholder() for _ in frame.columns)
        with conn.cursor() as cur:
            cur.executemany(sql.SQL("INSERT INTO {} VALUES ({})").format(table, marks), frame.rows())


def load_duckdb(con: Any, name: str, frame: pl.DataFrame, folder: Path) -> None:
    """Create table ``name`` in DuckDB with the frame's columns, types and rows (through Parquet)."""
    path = folder / f"{name}.parquet"
    frame.write_parquet(path)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet(?)", [str(path)])


def run_duckdb(con: Any, query: str, like: pl.DataFrame) -> pl.DataFrame:
    """Run the query and return its rows as a frame with ``like``'s schema."""
    rows = con.execute(query).fetchall()
    names = [d[0] for d in con.description]
    return pl.DataFrame(
        rows, schema=dict(zip(names, [like.schema[n] for n in names], strict=True)), orient="row"
    )


def run_postgres(conn: Any, query: str, like: pl.DataFrame) -> pl.DataFrame:
    """Run the query and return its rows as a frame with ``like``'s schema."""
    with conn.cursor() as cur:
        cur.execute(query)
        names = [d.name for d in cur.description]
        rows = cur.fetchall()
    return pl.DataFrame(
        rows, schema=dict(zip(names, [like.schema[n] for n in names], strict=True)), orient="row"
    )
