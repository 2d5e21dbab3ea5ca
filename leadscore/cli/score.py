"""``leadscore score``: rank a leads file with a points model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app


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
    adjustments: opt.Adjustments = None,
    accounts: Annotated[
        str | None,
        typer.Option(
            "--accounts",
            help="Also write an account table, rolling leads up by this column (e.g. company). "
            "Default: [accounts] column in the model, if set.",
        ),
    ] = None,
    accounts_output: Annotated[
        str | None,
        typer.Option(
            "--accounts-output", help="Where to write the account table. Default: <output>.accounts.csv."
        ),
    ] = None,
    reassign: Annotated[
        bool,
        typer.Option(
            "--reassign", help="Route leads that already have an owner too ([routing] in the model)."
        ),
    ] = False,
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
    events = events or _remembered_events(model, quiet)
    with report.progress_spinner(report.make_console(stderr=True, quiet=quiet), "Scoring leads"):
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
            adjustments=adjustments,
            accounts=accounts,
            accounts_output=accounts_output,
            reassign=reassign,
        )
    save_state(
        RunState(
            inputs=list(inputs), model=str(model) if model else None, as_of=result.as_of.isoformat(),
            events=list(events or []), sheet=sheet, header_row=header_row, encoding=encoding, dayfirst=dayfirst,
            adjustments=list(adjustments or []),
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


def _remembered_events(model: Path | None, quiet: bool) -> list[str] | None:
    """The last run's --events, when the model reads an activity log and none was given."""
    from leadscore.pipeline import resolve_model
    from leadscore.state import load_state

    state = load_state()
    if state is None or not state.events or not any(m.event_rules for m in resolve_model(model).plan.models):
        return None
    if not quiet:
        typer.echo(f"note: using the activity log of the last run: {', '.join(state.events)}", err=True)
    return state.events
