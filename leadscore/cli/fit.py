"""``leadscore fit``: learn a readable points model from past leads and their outcomes."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app
from leadscore.errors import UsageError, shell_arg


@app.command()
def fit(
    inputs: opt.History,
    target: opt.Target,
    positive: opt.Positive = None,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="<file>",
            help="Where to write the learnt model (.toml), or '-' for standard output.",
        ),
    ] = "learned.toml",
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    as_of: opt.AsOf = None,
    columns: Annotated[
        list[str] | None,
        typer.Option(
            "--columns",
            metavar="<columns>",
            help="Learn from these columns only (comma-separated, or repeat the option).",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="<columns>",
            help="Leave these columns out (comma-separated, or repeat the option).",
        ),
    ] = None,
    engagement_columns: Annotated[
        list[str] | None,
        typer.Option(
            "--engagement-columns",
            metavar="<columns>",
            help="Columns that record behaviour (the engagement dimension); the rest are fit. "
            "Default: guessed from the names (visits, clicks, demo, ...).",
        ),
    ] = None,
    allow_leaks: Annotated[
        bool,
        typer.Option("--allow-leaks", help="Keep columns that look filled in after the sale (likely leaks)."),
    ] = False,
    holdout_by: Annotated[
        str | None,
        typer.Option(
            "--holdout-by",
            metavar="<column>",
            help="Learn from all but the newest 20% of leads by this date column; then 'evaluate "
            "--holdout-by' with the same column measures the model on leads it has not seen.",
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", metavar="<name>", help="Name of the learnt model.")
    ] = None,
    events: opt.HistoryEvents = None,
    events_until: opt.EventsUntil = None,
    dedupe: opt.HistoryDedupe = None,
    sheet: opt.Sheet = None,
    header_row: opt.HeaderRow = None,
    encoding: opt.Encoding = None,
    dayfirst: opt.Dayfirst = None,
    decimal_comma: opt.DecimalComma = None,
    quiet: opt.Quiet = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON, for scripts (the model goes to -o).")
    ] = False,
) -> None:
    """Learn a points model from history: past leads with their outcome (won/lost, yes/no, 1/0).

    The result is an ordinary model file: read it, edit it, run it with 'score' and 'explain'.

    \b
    Example:
      leadscore fit history.csv --target converted -o learned.toml
    """
    from leadscore import report
    from leadscore.io import ReadOptions
    from leadscore.io.files import require_files
    from leadscore.predictive.run import fit_file
    from leadscore.report.predictive import fit_report

    to_stdout = output == "-"
    if as_json and to_stdout:
        raise UsageError("--json prints the report on standard output; write the model to a file with -o")
    require_files([*inputs, *(events or [])], writes=[output])
    console = report.make_console(stderr=to_stdout or as_json, quiet=quiet)
    with report.progress_spinner(console, "Learning from history"):
        result = fit_file(
            inputs, target, output=output, force=force, positive=positive, as_of=opt.as_date(as_of),
            options=ReadOptions(
                sheet=opt.sheet_value(sheet), header_row=header_row, encoding=encoding, dayfirst=dayfirst,
                decimal_comma=decimal_comma,
            ),
            columns=opt.names(columns) or None, exclude=opt.names(exclude),
            engagement_columns=opt.names(engagement_columns) if engagement_columns else None,
            allow_leaks=allow_leaks, holdout_by=holdout_by, name=name,
            events=events, events_until=events_until, dedupe=dedupe.value if dedupe else None,
        )  # fmt: skip
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if quiet:
        return
    console.print(fit_report(result))
    notes = report.warnings_renderable(result.warnings)
    if notes is not None:  # before the next step, which stays the last line
        report.make_console(stderr=True).print(notes)
    if not to_stdout:
        # evaluate reads the history as fit did, so the command carries every option they share
        given = [
            ("--positive", positive), ("--as-of", as_of.date().isoformat() if as_of else None),
            ("--holdout-by", holdout_by), *(("-e", e) for e in events or []), ("--events-until", events_until),
            ("--dedupe", dedupe.value if dedupe else None), ("--sheet", sheet), ("--header-row", header_row),
            ("--encoding", encoding),
        ]  # fmt: skip
        command = ["leadscore", "evaluate", *inputs, "--target", target, "-m", output]
        command += [str(part) for flag, value in given if value is not None for part in (flag, value)]
        command += [
            flag
            for flag in (
                opt.flag_pair("--dayfirst/--monthfirst", dayfirst),
                opt.flag_pair("--decimal-comma/--decimal-point", decimal_comma),
            )
            if flag is not None
        ]
        console.print(
            "\nnext: " + " ".join(shell_arg(part) for part in command),
            markup=False,
            soft_wrap=True,  # one line to copy, however narrow the terminal
        )
