"""``leadscore explain``: why a lead got its score, and what it would take to move up."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app
from leadscore.errors import LeadsNotFound, UsageError, shell_arg

if TYPE_CHECKING:
    from leadscore.explain import Explanation


@app.command()
def explain(
    ids: Annotated[list[str], typer.Argument(help="Lead id(s) to explain, e.g. L0042.")],
    input: Annotated[
        list[str] | None,
        typer.Option(
            "--input",
            "-i",
            metavar="<file>",
            help="Leads file. Default: the file of the last 'score' run in this folder.",
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            "-m",
            help="Model file (TOML). Default: the last 'score' run's in this folder, else ./leadscore.toml, "
            "else the built-in model.",
            dir_okay=False,
        ),
    ] = None,
    as_of: Annotated[
        dt.datetime | None,
        opt.as_of_option(
            "Score as of this date. Default: the last 'score' run's in this folder, else today."
        ),
    ] = None,
    events: opt.Events = None,
    adjustments: opt.Adjustments = None,
    sheet: opt.Sheet = None,
    header_row: opt.HeaderRow = None,
    encoding: opt.Encoding = None,
    dayfirst: opt.Dayfirst = None,
    decimal_comma: opt.DecimalComma = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per lead, for scripts.")
    ] = False,
) -> None:
    """Show every rule's part in a lead's score, and the distance to the next tier.

    Right after 'leadscore score leads.csv' in the same folder, 'leadscore explain L0042' is enough:
    the input, model, events, adjustments and as-of date of that run are reused unless given here.

    \b
    Examples:
      leadscore explain L0042
      leadscore explain L0042 L0107 -i leads.csv -m b2b.toml --as-of 2026-11-01
    """
    from leadscore.inputs import model_file, resolve_model
    from leadscore.io import ReadOptions
    from leadscore.io.files import require_files
    from leadscore.pipeline import explain_file
    from leadscore.state import STATE_FILE, changed_since, load_state

    _refuse_files_as_ids(ids)
    state = load_state()
    inputs = input or (state.inputs if state else None)
    if state is not None and not input and (not state.inputs or "-" in state.inputs):  # leads from stdin
        raise UsageError(
            f"the last 'leadscore score' in this folder read its leads from standard input, which explain "
            f"cannot read again; give it the same leads with --input, e.g. leadscore explain "
            f"{' '.join(shell_arg(i) for i in ids)} --input leads.csv (that run's model and as-of date are kept)"
        )
    if not inputs:
        raise UsageError(
            f"no leads file: give --input leads.csv, or run 'leadscore score leads.csv' in this folder first "
            f"(it records the file in {STATE_FILE})"
        )
    chosen = resolve_model(model or (Path(state.model) if state and state.model else None))
    when = opt.as_date(as_of) or (state.as_of_date if state else None)
    event_files = events or (state.events if state else None)
    adjustment_files = adjustments or (state.adjustments if state else None)
    require_files([*inputs, *(event_files or []), *(adjustment_files or [])])
    remembered = state if (input is None and state) else None
    read_options = ReadOptions(
        sheet=opt.sheet_value(sheet) if sheet is not None else (remembered.sheet if remembered else None),
        header_row=header_row or (remembered.header_row if remembered else None),
        encoding=encoding or (remembered.encoding if remembered else None),
        dayfirst=dayfirst if dayfirst is not None else (remembered.dayfirst if remembered else None),
        decimal_comma=decimal_comma
        if decimal_comma is not None
        else (remembered.decimal_comma if remembered else None),
    )
    if state is not None:  # the files of that run explain reads again: are they as it read them?
        again: list[str | Path] = [] if input else list(inputs)
        again += [] if model else [p for p in [state.model or model_file(None)] if p]
        again += [*([] if events else state.events), *([] if adjustments else state.adjustments)]
        for path in changed_since(state, again):
            typer.echo(
                f"note: {path} changed after the last 'leadscore score' run; this explanation reads it as it "
                "is now, so it may not match the scored file (score again to match)",
                err=True,
            )

    def explained(wanted: list[str]) -> list[Explanation]:
        return explain_file(
            wanted, inputs, chosen.plan, as_of=when, options=read_options, events=event_files,
            adjustments=adjustment_files, dedupe=remembered.dedupe if remembered else None,
        )  # fmt: skip

    try:
        found, not_found = explained(ids), None
    except LeadsNotFound as error:  # explain the leads that are there, then say which are not
        found, not_found = explained([i for i in ids if i.strip() not in error.missing]), error
        if not found:
            raise
    _show(found, inputs, chosen.label, as_json)
    if not_found is not None:
        raise not_found


def _show(found: list[Explanation], inputs: list[str], model_label: str, as_json: bool) -> None:
    from leadscore import report

    if as_json:
        for e in found:
            typer.echo(json.dumps(e.to_dict(), ensure_ascii=False, default=str))
        return
    console = report.make_console()
    source = ", ".join(inputs)
    console.print(report.explain_header(source, model_label, found[0].as_of if found else None))
    for e in found:
        console.print(report.explanation_panel(e))


def _refuse_files_as_ids(ids: list[str]) -> None:
    """A leads or model file given where the ids go ('explain 42 leads.csv') is a mistake to name,
    not a lead to look for in the last run's file."""
    from leadscore.io.readers import LEADS_FILE_EXTENSIONS

    for value in ids:
        suffix = Path(value).suffix.lower()
        option = "-m" if suffix == ".toml" else "-i" if suffix in LEADS_FILE_EXTENSIONS else None
        if option is None and Path(value).is_file():
            option = "-i"
        if option is not None:
            leads = [i for i in ids if i != value] or ["L0042"]
            what = "the model" if option == "-m" else "the leads file"
            raise UsageError(
                f"'{value}' is a file, not a lead id: give {what} with {option}, e.g. leadscore explain "
                f"{' '.join(shell_arg(i) for i in leads)} {option} {shell_arg(value)}"
            )
