"""Hostile column names, values and rule names cannot break out of the generated SQL."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import sqlglot

from leadscore import parse_model, score
from leadscore.sql import Dialect, SqlOptions, compile_sql
from tests.sql_support import assert_same_scores

AS_OF = dt.date(2026, 11, 1)
NAMES = ['a"b', "select", "my col", "x'; DROP TABLE leads; --", "tab\tcol", "`tick`", "back\\slash", "ünï"]
RULE_NAMES = ["quote ' and \" both", "ends with */", "/* opens", "has -- dashes", "new\nline", "semi; colon"]


def hostile_model() -> dict[str, object]:
    rules: list[dict[str, object]] = []
    values = ["O'Brien", 'say "hi"', "x'); DROP TABLE leads; --", "back\\slash", "%_"]
    for i, column in enumerate(NAMES):
        rules.append(
            {"name": RULE_NAMES[i % len(RULE_NAMES)] + f" {i}", "dimension": "fit", "column": column,
             "in": values, "points": 10 + i}
        )  # fmt: skip
    rules += [
        {"name": "contains quote", "dimension": "fit", "column": "select", "contains": "'", "points": 3},
        {"name": "regex quote */", "dimension": "fit", "column": "my col", "matches": "'|\\\\", "points": 2},
        {
            "name": "equals backslash",
            "dimension": "fit",
            "column": 'a"b',
            "equals": "back\\slash",
            "points": 1,
        },
    ]
    return {
        "model": {"name": "hostile '; --", "id": "id' OR 1=1 --"},
        "rules": rules,
        "tiers": {"it's hot": 20, "cold": 0},
    }


def hostile_frame() -> pl.DataFrame:
    values = ["O'Brien", ' say "hi" ', "x'); DROP TABLE leads; --", "back\\slash", "%_", None, "plain"]
    data: dict[str, list[str | None]] = {"id' OR 1=1 --": [f"L{i}" for i in range(len(values))]}
    for shift, column in enumerate(NAMES):
        data[column] = values[shift:] + values[:shift]
    return pl.DataFrame(data)


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("table", ['crm.le"ads', "select", "my schema.my table"])
def test_hostile_sql_parses_in_every_dialect(dialect: Dialect, table: str) -> None:
    model = parse_model(hostile_model())
    text = compile_sql(
        model, SqlOptions(table=table, dialect=dialect, as_of=AS_OF, columns=hostile_frame().columns)
    )
    statements = [s for s in sqlglot.parse(text, read=dialect.value) if s is not None]
    assert len(statements) == 1
    tables = {t.name for t in statements[0].find_all(sqlglot.exp.Table)}
    assert table.split(".")[-1] in tables
    assert "DROP" not in {type(node).__name__.upper() for node in statements[0].walk()}


@pytest.mark.parametrize("explicit", [True, False])
def test_hostile_names_run_in_duckdb_with_engine_results(explicit: bool) -> None:
    duckdb = pytest.importorskip("duckdb")
    model = parse_model(hostile_model())
    frame = hostile_frame()
    want = score(frame, model, as_of=AS_OF).frame
    path = "hostile.parquet"
    con = duckdb.connect()
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / path
        frame.write_parquet(file)
        con.execute(
            f'CREATE SCHEMA "my schema"; CREATE TABLE "my schema"."my table" AS SELECT * FROM read_parquet(\'{file}\')'
        )
    options = SqlOptions(table="my schema.my table", as_of=AS_OF, columns=frame.columns if explicit else None)
    got = con.execute(compile_sql(model, options)).fetchall()
    names = [d[0] for d in con.description]
    got_frame = pl.DataFrame(
        got, schema=dict(zip(names, [want.schema[n] for n in names], strict=True)), orient="row"
    )
    assert_same_scores(got_frame, want, model)
    assert con.execute('SELECT count(*) FROM "my schema"."my table"').fetchone() == (len(frame),)


def test_hostile_names_run_in_postgres(postgres: object) -> None:
    from tests.sql_support import load_postgres, run_postgres

    model = parse_model(hostile_model())
    frame = hostile_frame()
    want = score(frame, model, as_of=AS_OF).frame
    load_postgres(postgres, "le'ads; --", frame)
    text = compile_sql(model, SqlOptions(table="le'ads; --", dialect=Dialect.postgres, as_of=AS_OF))
    assert_same_scores(run_postgres(postgres, text, want), want, model)


@pytest.mark.parametrize(
    "name", ["ends */", "/* nested", "a -- b", "line\nbreak\r\n-- x", "*/ DROP TABLE x; /*"]
)
def test_rule_names_stay_inside_comments(name: str) -> None:
    model = parse_model(
        {"model": {"name": name, "id": "id"},
         "rules": [{"name": name, "dimension": "fit", "column": "x", "equals": "1", "points": 1}]}
    )  # fmt: skip
    for dialect in Dialect:
        text = compile_sql(model, SqlOptions(table="t", dialect=dialect, as_of=AS_OF, columns=["id", "x"]))
        parsed = sqlglot.parse(text, read=dialect.value)
        assert len([s for s in parsed if s is not None]) == 1, dialect
        statement = parsed[0]
        assert statement is not None
        comments = [c for node in statement.walk() for c in (node.comments or [])]
        assert comments, dialect
        assert not [c for c in comments if "*/" in c or "/*" in c or "\n" in c], dialect
        lines = text.splitlines()
        assert lines[0].startswith("-- ") and lines[1].startswith("-- ") and lines[2].startswith("WITH "), (
            dialect
        )
        literals = {node.this for node in statement.find_all(sqlglot.exp.Literal) if node.is_string}
        assert f"{name.strip()} " in literals, dialect
