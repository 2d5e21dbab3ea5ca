"""``leadscore sql``: exit codes, output and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from typer.testing import CliRunner

from leadscore.cli import app
from leadscore.model import default_model_text

runner = CliRunner()

MODEL = """
[model]
name = "b2b"
id = "lead_id"
[[rules]]
name = "Executive"
dimension = "fit"
column = "job_title"
matches = "(?i)chief.*?officer"
points = 20
"""


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "b2b.toml"
    path.write_text(MODEL, encoding="utf-8")
    return path


def test_without_a_model_it_compiles_the_one_score_would_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    built_in = runner.invoke(app, ["sql", "--table", "leads"])
    assert built_in.exit_code == 0, built_in.output
    assert built_in.stdout.startswith("-- leadscore model 'B2B SaaS inbound (starter)' (18 rules)")
    (tmp_path / "leadscore.toml").write_text(MODEL, encoding="utf-8")
    local = runner.invoke(app, ["sql", "--table", "leads"])
    assert local.exit_code == 0, local.output
    assert local.stdout.startswith("-- leadscore model 'b2b' (1 rule)")


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "SNOWFLAKE", "BigQuery", "spark"])
def test_the_default_model_compiles_for_every_dialect(tmp_path: Path, dialect: str) -> None:
    path = tmp_path / "default.toml"
    path.write_text(default_model_text(), encoding="utf-8")
    result = runner.invoke(app, ["sql", str(path), "--table", "crm.leads", "--dialect", dialect])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("-- leadscore model ")
    assert "as of the current date" in result.output
    assert "CURRENT_DATE" in result.output
    assert len(sqlglot.parse(result.output, read=dialect.lower())) == 1


def test_as_of_is_a_literal_and_output_goes_to_a_file(model_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "score.sql"
    result = runner.invoke(
        app, ["sql", str(model_file), "-t", "leads", "-d", "duckdb", "--as-of", "2026-11-01", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "-- as of 2026-11-01" in text
    assert "CURRENT_DATE" not in text


def test_a_regex_a_dialect_cannot_express_is_a_usage_error(model_file: Path) -> None:
    result = runner.invoke(app, ["sql", str(model_file), "--table", "leads", "--dialect", "snowflake"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: rule 'Executive' (#1): the pattern '(?i)chief.*?officer' uses the lazy quantifier '*?', which "
        "Snowflake regular expressions cannot express; rewrite the pattern without it to compile this model "
        "for Snowflake\n"
    )


def test_a_segments_file_is_named_as_such_and_a_segments_model_compiles() -> None:
    samples = Path(__file__).resolve().parents[1] / "sample_data"
    result = runner.invoke(app, ["sql", str(samples / "segments.toml"), "--table", "leads"])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {samples / 'segments.toml'} is a segments file; sql compiles one plain model: give it the "
        "model file of one segment, or score the segments with 'leadscore score'\n"
    )
    assert runner.invoke(app, ["sql", str(samples / "smb.toml"), "--table", "leads"]).exit_code == 0


def test_a_model_with_routing_is_named_as_such(tmp_path: Path) -> None:
    text = (
        default_model_text()
        + '\n[routing]\nowner_column = "owner"\n[[routing.rules]]\nname = "All"\nassign = ["ana"]\n'
    )
    (tmp_path / "routed.toml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["sql", str(tmp_path / "routed.toml"), "--table", "leads"])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {tmp_path / 'routed.toml'} has [routing] or [accounts], which run only in 'leadscore score'; "
        "sql compiles the rules alone: give it a copy of the file without those tables\n"
    )


def test_event_rules_need_an_events_table(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(
        '[model]\nname = "e"\n[[rules]]\nname = "Demo"\ndimension = "engagement"\nevent = "demo"\npoints = 5\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["sql", str(path), "--table", "leads"])
    assert result.exit_code == 2
    assert result.output == "Error: rules 'Demo' read an activity log; name its table with --events-table\n"
    ok = runner.invoke(app, ["sql", str(path), "--table", "leads", "--events-table", "crm.activity"])
    assert ok.exit_code == 0, ok.output
    assert '"crm"."activity"' in ok.output


def test_schema_kinds_are_checked(model_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["sql", str(model_file), "--table", "leads", "--schema", "employees=intger"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: --schema 'employees=intger': kind 'intger' is not one of text, integer, decimal, float, boolean, "
        "date, timestamp (did you mean 'integer'?)\n"
    )
    path = tmp_path / "abc.toml"
    path.write_text(
        '[model]\nname = "abc"\nid = "a"\n[[rules]]\nname = "B"\ndimension = "fit"\npoints = 1\n'
        'all = [{ column = "b", within_days = 30 }, { column = "c=x", gte = 1 }]\n',
        encoding="utf-8",
    )
    ok = runner.invoke(
        app, ["sql", str(path), "--table", "leads", "--schema", "a=integer,b=date", "--schema", "c=x=float"]
    )
    assert ok.exit_code == 0, ok.output


def test_schema_names_only_columns_the_model_reads(model_file: Path, tmp_path: Path) -> None:
    """A misspelt name is refused: ignored, it would leave the column it meant read as text."""
    result = runner.invoke(app, ["sql", str(model_file), "--table", "leads", "--schema", "job_titel=text"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: --schema names 'job_titel', a column the model does not read (did you mean 'job_title'?); "
        "the columns it reads are 'lead_id', 'job_title'\n"
    )
    path = tmp_path / "events.toml"
    path.write_text(
        '[model]\nname = "e"\n[[rules]]\nname = "Demo"\ndimension = "engagement"\nevent = "demo"\npoints = 5\n'
        'where = { column = "channel", equals = "web" }\n',
        encoding="utf-8",
    )
    command = ["sql", str(path), "--table", "leads", "--events-table", "act", "--events-schema"]
    result = runner.invoke(app, [*command, "timestmp=timestamp"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: --events-schema names 'timestmp', a column the model does not read (did you mean 'timestamp'?); "
        "the events columns it reads are 'lead_id', 'event', 'timestamp', 'channel'\n"
    )
    ok = runner.invoke(app, [*command, "timestamp=timestamp,channel=text"])
    assert ok.exit_code == 0, ok.output
    result = runner.invoke(
        app, ["sql", str(model_file), "--table", "leads", "--events-schema", "timestamp=date"]
    )
    assert result.exit_code == 2
    assert result.output == (
        "Error: --events-schema names 'timestamp', a column the model does not read; it has no event rules\n"
    )


def test_columns_are_checked_against_the_model(model_file: Path) -> None:
    result = runner.invoke(app, ["sql", str(model_file), "--table", "leads", "--columns", "lead_id,title"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: rule 'Executive' (#1): column 'job_title' is not in the table (did you mean 'title'?)\n"
    )


def test_bad_table_name_and_dialect(model_file: Path) -> None:
    result = runner.invoke(app, ["sql", str(model_file), "--table", "crm..leads"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: --table 'crm..leads' is not a table name; give table, schema.table or catalog.schema.table\n"
    )
    result = runner.invoke(app, ["sql", str(model_file), "--table", "leads", "--dialect", "oracle"])
    assert result.exit_code == 2


def test_help_names_every_dialect() -> None:
    result = runner.invoke(app, ["sql", "--help"])
    assert result.exit_code == 0
    for name in ("duckdb", "postgres", "snowflake", "bigquery", "spark"):
        assert name in result.output


ENGINE_MODEL = """
[model]
name = "engine"
[tiers]
hot = 30
cold = 0
[[rules]]
name = "Executive"
dimension = "fit"
column = "job_title"
matches = "(?i)^(ceo|vp)"
points = 20
[[rules]]
name = "Size"
dimension = "fit"
column = "company_size"
gte = 200
points = 10
[[rules]]
name = "Visits"
dimension = "engagement"
column = "website_visits"
points_per_unit = 1.5
max_points = 15
[[rules]]
name = "Demo"
dimension = "engagement"
column = "demo_requested"
equals = true
points = 25
[[rules]]
name = "Free mail"
dimension = "fit"
column = "email"
contains = "gmail"
points = -10
disqualify = true
"""


def test_score_engine_duckdb_writes_the_same_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("duckdb")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.toml").write_text(ENGINE_MODEL, encoding="utf-8")
    rows = [
        "lead_id,job_title,company_size,industry,website_visits,demo_requested,last_activity,email",
        'L1,CEO,"1,200",Software,12,yes,2026-10-30,a@b.test',
        "L2,Student,15,Education,3,no,2025-01-01,c@gmail.com",
        "L1,VP Sales,250,Fintech,N/A,Yes,10/20/2026,d@e.test",
        "L3,,abc,,0,,garbage,",
    ]
    (tmp_path / "leads.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    common = ["score", "leads.csv", "-m", "m.toml", "--as-of", "2026-11-01", "-q"]
    first = runner.invoke(app, [*common, "-o", "polars.csv"])
    second = runner.invoke(app, [*common, "-o", "duckdb.csv", "--engine", "DuckDB"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert (tmp_path / "duckdb.csv").read_bytes() == (tmp_path / "polars.csv").read_bytes()
    noted = runner.invoke(app, [*common[:-1], "-o", "noted.csv", "--engine", "duckdb"])
    assert (
        "note: --engine duckdb scores values it cannot read as missing without counting them" in noted.stderr
    )


def test_decimal_comma_reads_a_text_column_as_a_european_export_writes_it(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "size.toml"
    path.write_text(
        '[model]\nname = "size"\nid = "lead_id"\n[[rules]]\nname = "Big"\ndimension = "fit"\n'
        'column = "employees"\ngte = 1000\npoints = 10\n',
        encoding="utf-8",
    )
    scores = {}
    for flag in ("--decimal-comma", "--decimal-point"):
        args = ["sql", str(path), "--table", "crm_leads", "--as-of", "2026-11-01", flag]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        con = duckdb.connect()
        try:
            con.execute("CREATE TABLE crm_leads AS SELECT * FROM (VALUES ('L1', '1.200'), ('L2', '1,200')) "
                        "AS t(lead_id, employees)")  # fmt: skip
            cursor = con.execute(result.stdout)
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            con.close()
        scores[flag] = {row["lead_id"]: row["score"] for row in rows}
    assert scores == {"--decimal-comma": {"L1": 10, "L2": 0}, "--decimal-point": {"L1": 0, "L2": 10}}
