"""``leadscore sql``: compile a model into one SELECT that scores a warehouse table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app
from leadscore.sql.warehouses import Dialect

if TYPE_CHECKING:
    from leadscore.sql.readings import Kind


@app.command()
def sql(
    table: Annotated[
        str,
        typer.Option(
            "--table",
            "-t",
            metavar="<table>",
            help="The leads table, e.g. leads or crm.leads (each part is quoted).",
        ),
    ],
    model: Annotated[Path | None, opt.model_argument("compile")] = None,
    dialect: Annotated[
        Dialect,
        typer.Option("--dialect", "-d", case_sensitive=False, help="SQL dialect of the warehouse."),
    ] = Dialect.duckdb,
    as_of: Annotated[
        dt.datetime | None,
        opt.as_of_option("Score as of this date. Default: the warehouse's current date when the query runs."),
    ] = None,
    events_table: Annotated[
        str | None,
        typer.Option(
            "--events-table", metavar="<table>", help="The activity-log table, for the model's event rules."
        ),
    ] = None,
    schema: Annotated[
        list[str] | None,
        typer.Option(
            "--schema",
            metavar="<name=kind>",
            help="Read these lead columns natively instead of as text: name=kind (integer, decimal, float, "
            "boolean, date, timestamp, text), comma-separated or repeated.",
        ),
    ] = None,
    events_schema: Annotated[
        list[str] | None,
        typer.Option(
            "--events-schema",
            metavar="<name=kind>",
            help="Like --schema, for the events table (e.g. timestamp=timestamp).",
        ),
    ] = None,
    columns: Annotated[
        list[str] | None,
        typer.Option(
            "--columns",
            metavar="<columns>",
            help="Every column of the leads table, comma-separated or repeated: the output lists them "
            "explicitly (needed for postgres and spark, which have no SELECT * EXCEPT).",
        ),
    ] = None,
    dayfirst: Annotated[
        bool,
        typer.Option(
            "--dayfirst/--monthfirst",
            help="How the table's text columns write dates like 03/04/2026: --dayfirst reads them as 3 April, "
            "as a table loaded from a European CSV needs (default: --monthfirst, March 4).",
        ),
    ] = False,
    decimal_comma: Annotated[
        bool,
        typer.Option(
            "--decimal-comma/--decimal-point",
            help="How the table's text columns write 1.200 and 1,200: --decimal-comma reads them as 1200 "
            "and 1.2, as a table loaded from a European CSV needs (default: --decimal-point, 1.2 and 1200).",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="<file>", help="Write the SQL to this file instead of printing it."
        ),
    ] = None,
) -> None:
    """Compile a model into one commented SELECT that scores a table in a warehouse.

    The query returns every column of the table plus score, <dimension>_score, tier, grade,
    qualified, rank and reasons, with the same semantics as 'leadscore score'.

    \b
    Example:
      leadscore sql b2b.toml --table crm.leads --dialect snowflake > score_leads.sql
    """
    from leadscore.coerce import Conventions
    from leadscore.errors import UsageError
    from leadscore.inputs import model_file
    from leadscore.io import refuse_overwrite
    from leadscore.io.atomic import atomic_path
    from leadscore.model import Model, default_model
    from leadscore.plan import load_plan
    from leadscore.sql import SqlOptions, compile_sql

    options = SqlOptions(
        table=table,
        dialect=dialect,
        as_of=opt.as_date(as_of),
        events_table=events_table,
        kinds=parse_kinds(schema or [], "--schema"),
        event_kinds=parse_kinds(events_schema or [], "--events-schema"),
        columns=split_names(columns) if columns else None,
        conventions=Conventions(dayfirst=dayfirst, decimal_comma=decimal_comma),
    )
    path = model_file(model)
    if output is not None and path is not None:
        refuse_overwrite([output], [path], what="the SQL")
    plan = None if path is None else load_plan(path)  # reads a model file as every command does
    compiled = default_model() if plan is None else plan.model
    if not isinstance(compiled, Model):
        raise UsageError(
            f"{path} is a segments file; sql compiles one plain model: give it the model file of one "
            "segment, or score the segments with 'leadscore score'"
        )
    if plan is not None and (plan.routing is not None or plan.accounts is not None):
        raise UsageError(
            f"{path} has [routing] or [accounts], which run only in 'leadscore score'; sql compiles the "
            "rules alone: give it a copy of the file without those tables"
        )
    text = compile_sql(compiled, options)
    if output is None:
        typer.echo(text, nl=False)
        return
    with atomic_path(output) as temp:
        temp.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}", err=True)


def split_names(values: list[str]) -> list[str]:
    return [name for value in values for name in value.split(",") if name]


def parse_kinds(values: list[str], option: str) -> dict[str, Kind]:
    """``name=kind`` pairs, comma-separated or one per option; a name may itself contain '='."""
    from leadscore.errors import UsageError, did_you_mean
    from leadscore.sql.readings import Kind

    names = [k.value for k in Kind]
    kinds: dict[str, Kind] = {}
    for value in values:
        pieces = value.split(",") if all("=" in p for p in value.split(",")) else [value]
        for piece in pieces:
            column, sep, kind = piece.rpartition("=")
            kind = kind.strip().lower()
            if not sep or not column:
                raise UsageError(f"{option} '{piece}' must be name=kind, e.g. {option} employees=integer")
            if kind not in names:
                raise UsageError(
                    f"{option} '{piece}': kind '{kind}' is not one of {', '.join(names)}{did_you_mean(kind, names)}"
                )
            kinds[column] = Kind(kind)
    return kinds
