"""``leadscore score``: rank a leads file with a points model."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app


class Engine(StrEnum):
    polars = "polars"
    duckdb = "duckdb"


@app.command()
def score(
    inputs: opt.Inputs,
    model: opt.ModelOpt = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the ranked leads: .csv .xlsx .json .ndjson .parquet, or '-' for CSV on "
            "stdout. Default: <input>.scored.csv in this folder.",
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="How many leads the report lists.")] = 10,
    as_of: opt.AsOf = None,
    events: opt.Events = None,
    sheet: opt.Sheet = None,
    header_row: opt.HeaderRow = None,
    encoding: opt.Encoding = None,
    dayfirst: opt.Dayfirst = False,
    skip_bad_rows: opt.SkipBadRows = False,
    no_reasons: Annotated[bool, typer.Option("--no-reasons", help="Leave out the reasons column.")] = False,
    safe_csv: Annotated[
        bool,
        typer.Option(
            "--safe-csv", help="Prefix CSV text cells starting with = + - @ with ' (formula injection)."
        ),
    ] = False,
    quiet: opt.Quiet = False,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            case_sensitive=False,
            help="What runs the scoring: polars, or duckdb (the model compiled to SQL; pip install "
            "'leadscore[duckdb]').",
        ),
    ] = Engine.polars,
) -> None:
    """Score leads with a points model and write them ranked, best first.

    Example: leadscore score leads.xlsx -m b2b.toml -o ranked.xlsx --top 20 --as-of 2026-11-01
    """
    from leadscore import report
    from leadscore.io import ReadOptions
    from leadscore.pipeline import score_file
    from leadscore.state import RunState, save_state

    to_stdout = output == "-"
    console = report.make_console(stderr=to_stdout, quiet=quiet)
    read_options = ReadOptions(
        sheet=_sheet(sheet), header_row=header_row, encoding=encoding, skip_bad_rows=skip_bad_rows
    )
    with report.progress_spinner(console, "Scoring leads"):
        result = score_file(
            inputs,
            model,
            output=output,
            as_of=opt.as_date(as_of),
            options=read_options,
            reasons=not no_reasons,
            safe_csv=safe_csv,
            dayfirst=dayfirst,
            events=events,
            engine=engine.value,
        )
    save_state(
        RunState(
            inputs=list(inputs), model=str(model) if model else None, as_of=result.as_of.isoformat(),
            events=list(events or []), sheet=sheet, header_row=header_row, encoding=encoding, dayfirst=dayfirst,
        )
    )  # fmt: skip
    if quiet:
        return
    console.print(report.score_report(result, top=top, output=None if to_stdout else result.output))
    notes = report.warnings_renderable([*result.notices, *result.warnings])
    if notes is not None:
        report.make_console(stderr=True).print(notes)


def _sheet(value: str | None) -> str | int | None:
    return int(value) if value is not None and value.isdigit() else value
