"""Cell readings in SQL against coerce.py, value by value, on DuckDB (and PostgreSQL when available)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from leadscore import coerce
from leadscore.events import end_of_day
from leadscore.model import DEFAULT_NULL_VALUES
from leadscore.sql.dialects import Dialect, date_literal
from leadscore.sql.readings import Readings

AS_OF = dt.date(2026, 11, 1)
DIGITS = st.text("0123456789", min_size=1, max_size=5)
SEPARATORS = st.sampled_from(
    ["-", "/", ".", ",", " ", ":", "T", "Z", "+", "%", "\u00a0", "", "$", "€", "USD", "kr", "(", ")"]
)
# Dates with a month name, and dates with a time after them
NAMED_DATES = ["20-Nov-2026", "20-nov-26", "20 November 2026", "Nov 20, 2026", "November 20 2026 10:15",
               "Sept 3 2026", "3 SEPT. 2026", "31-Feb-2026", "29-Feb-2024", "20-Novem-2026", "20-Nov-2026x",
               "20-Nov-99", "20-Nov-30", "20-Nov-29", "1/5/2026 10:15 AM", "1.11.2026 10:15",
               "2026/11/20T10:00", "11/20/2026x"]  # fmt: skip
MONTH_WORDS = st.sampled_from(["Nov", "nov", "November", "Sept", "sep", "May", "Mai", ".", ", ", " "])
CELLS = st.one_of(
    st.lists(st.one_of(DIGITS, SEPARATORS), min_size=1, max_size=8).map("".join),
    st.sampled_from(["2026-02-29", "2024-02-29", "12/31/99", "10/02/20", "1.234,5", "1,234.5", "30 %", " N/A ",
                     "1e5", "+.5", "5.", "2026-10-31T23:00:00+02:00", "2026-10-31 23:00:00.1234567Z",
                     "2026-10-31T23:00:60", "2026-10-31T24:00", "2026-1-5T1:2:3", "45000.5", "sí", "Yes", "x", "Oui", "Nein", "NÃO", "$1,200",
                     "1.200 €", "-$5", "+€ 5", "US$ 1.200", "5 kr", "R$ 1.234,50", "(1,200)", "($1.200)", "$ (5)",
                     "(5 %)", "(-5)", *NAMED_DATES]),
    st.lists(st.one_of(DIGITS, SEPARATORS, MONTH_WORDS), min_size=1, max_size=6).map("".join),
)  # fmt: skip


def _sql_readings(dialect: Dialect, read: Callable[[Readings], exp.Expr]) -> str:
    """SELECT s, <reading> FROM cells, through the readings' layered CTEs."""
    r = Readings(dialect, {}, DEFAULT_NULL_VALUES, date_literal(AS_OF.isoformat()), "__r")
    value = read(r)
    query = exp.select(exp.column("s"), exp.alias_(value, "v")).from_("cells")
    previous = "cells"
    ctes = []
    for i, items in enumerate(r.layers()):
        name = f"layer_{i}"
        ctes.append(
            (
                name,
                exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier(previous)), *items).from_(
                    previous
                ),
            )
        )
        previous = name
    query = exp.select(exp.column("s"), exp.alias_(value, "v")).from_(previous)
    for name, cte in ctes:
        query = query.with_(name, as_=cte, materialized=True if dialect is Dialect.postgres else None)
    return query.sql(dialect=dialect.value)


READINGS: dict[str, tuple[Callable[[Readings], exp.Expr], Callable[[pl.Expr], pl.Expr]]] = {
    "number": (lambda r: r.number("s").expr, lambda s: coerce.number(s, pl.String, DEFAULT_NULL_VALUES)),
    "date": (lambda r: r.date("s").expr, lambda s: coerce.date(s, pl.String, DEFAULT_NULL_VALUES)),
    "boolean": (lambda r: r.boolean("s").expr, lambda s: coerce.boolean(s, pl.String, DEFAULT_NULL_VALUES)),
    "text": (lambda r: r.text("s").expr, lambda s: coerce.text(s, pl.String, DEFAULT_NULL_VALUES)),
    "micros": (
        lambda r: r.epoch_micros("s").expr,
        lambda s: coerce.timestamp(s, pl.String, DEFAULT_NULL_VALUES).dt.epoch("us"),
    ),
}


def _engine(cells: list[str], kind: str) -> list[Any]:
    return (
        pl.DataFrame({"s": cells}, schema={"s": pl.String})
        .select(READINGS[kind][1](pl.col("s")).alias("v"))["v"]
        .to_list()
    )


def _duckdb(cells: list[str], kind: str) -> list[Any]:
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cells.parquet"
        pl.DataFrame({"s": cells}, schema={"s": pl.String}).with_row_index("i").write_parquet(path)
        con.execute(f"CREATE TABLE cells AS SELECT * FROM read_parquet('{path}') ORDER BY i")
    rows = con.execute(_sql_readings(Dialect.duckdb, READINGS[kind][0]) + " ORDER BY i").fetchall()
    return [v for _, v in rows]


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("kind", list(READINGS))
@SETTINGS
@given(cells=st.lists(CELLS, min_size=1, max_size=30))
def test_duckdb_reads_cells_like_the_engine(kind: str, cells: list[str]) -> None:
    assert _duckdb(cells, kind) == _engine(cells, kind)


def test_end_of_day_matches_engine() -> None:
    assert end_of_day(AS_OF) == dt.datetime(2026, 11, 2, tzinfo=dt.UTC)


FIXED = ["2026-10-30", "10/20/2026", "1.234,5", "30%", "Yes", "sí", " N/A ", "2026-10-31T23:00:00+02:00",
         "2026-02-29", "01.02.2026", "45000", "garbage", "1 200", "-7", "0", "2024/02/29", "12/31/99", "$1,200",
         "1.200 €", "-$5", "USD 250", "usd 5", "5 eur", "US$ 7", "5 kr", "(1,200)", "($1.200)", "$ (5,5)",
         "(5 %)", "(-5)", "1(5)", *NAMED_DATES]  # fmt: skip


@pytest.mark.parametrize("kind", list(READINGS))
def test_duckdb_reads_the_fixed_cells_like_the_engine(kind: str) -> None:
    assert _duckdb(FIXED, kind) == _engine(FIXED, kind)


@pytest.mark.parametrize("kind", list(READINGS))
def test_postgres_reads_cells_like_the_engine(postgres: Any, kind: str) -> None:
    postgres.execute("DROP TABLE IF EXISTS cells")
    postgres.execute("CREATE TABLE cells (i integer, s text)")
    with postgres.cursor() as cur:
        cur.executemany("INSERT INTO cells VALUES (%s, %s)", list(enumerate(FIXED)))
        cur.execute(_sql_readings(Dialect.postgres, READINGS[kind][0]) + " ORDER BY i")
        got = [v for _, v in cur.fetchall()]
    assert got == _engine(FIXED, kind)
