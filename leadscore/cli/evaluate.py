"""``leadscore evaluate``: how well a model ranks past leads, and where to set its qualify line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app
from leadscore.errors import UsageError


def share(value: str, option: str) -> float:
    """'0.2' or '20%' -> 0.2."""
    text = value.strip()
    try:
        number = float(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise UsageError(f"{option} must be a share such as 0.2 or 20%, not '{value}'") from None
    if not 0 < number <= 1:
        raise UsageError(f"{option} must be above 0 and at most 1 (or 100%), not '{value}'")
    return number


@app.command()
def evaluate(
    inputs: opt.History,
    target: opt.Target,
    model: opt.ModelOpt = None,
    positive: opt.Positive = None,
    mql_rate: Annotated[
        list[str] | None,
        typer.Option(
            "--mql-rate",
            metavar="<share>",
            help="Advise the qualify threshold that sends this share of leads to sales, e.g. 0.2.",
        ),
    ] = None,
    min_precision: Annotated[
        list[str] | None,
        typer.Option(
            "--min-precision",
            metavar="<share>",
            help="Advise the qualify threshold at which at least this share of MQLs converted, e.g. 0.3.",
        ),
    ] = None,
    holdout_by: Annotated[
        str | None,
        typer.Option(
            "--holdout-by",
            metavar="<column>",
            help="Evaluate on the newest 20% of rows by this date column only.",
        ),
    ] = None,
    as_of: opt.AsOf = None,
    events: opt.HistoryEvents = None,
    events_until: opt.EventsUntil = None,
    dedupe: opt.HistoryDedupe = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON, for scripts.")] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the report as an HTML page.", dir_okay=False)
    ] = None,
    sheet: opt.Sheet = None,
    header_row: opt.HeaderRow = None,
    encoding: opt.Encoding = None,
    dayfirst: opt.Dayfirst = None,
    decimal_comma: opt.DecimalComma = None,
    quiet: opt.Quiet = False,
) -> None:
    """Measure a model on history with outcomes: AUC, Gini, KS, gains, tiers, grades, qualified.

    Works with any model, learnt or hand-written.

    \b
    Example:
      leadscore evaluate history.csv --target converted -m learned.toml --mql-rate 0.2
    """
    from leadscore import report
    from leadscore.io import ReadOptions
    from leadscore.io.atomic import atomic_path
    from leadscore.io.files import require_files
    from leadscore.predictive.run import evaluate_file
    from leadscore.report.predictive import evaluate_report, to_html

    rates = [share(v, "--mql-rate") for v in mql_rate or []]
    precisions = [share(v, "--min-precision") for v in min_precision or []]
    if html is not None and html.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"--html must name an .html file, not {html.name}")
    require_files([*inputs, *(events or [])], writes=[html])
    stderr = report.make_console(stderr=True, quiet=quiet)
    with report.progress_spinner(stderr, "Evaluating"):
        result = evaluate_file(
            inputs, target, model, positive=positive, as_of=opt.as_date(as_of), mql_rates=rates,
            min_precisions=precisions, holdout_by=holdout_by,
            events=events, events_until=events_until, dedupe=dedupe.value if dedupe else None,
            options=ReadOptions(
                sheet=opt.sheet_value(sheet), header_row=header_row, encoding=encoding, dayfirst=dayfirst,
                decimal_comma=decimal_comma,
            ),
        )  # fmt: skip
    rendered = evaluate_report(result)
    if html is not None:
        with atomic_path(html) as temp:
            temp.write_text(to_html([rendered], f"leadscore evaluate: {result.model_name}"), encoding="utf-8")
    if as_json:  # asked for, so printed even with --quiet, as fit does
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    console = report.make_console(quiet=quiet)
    console.print(rendered)
    notes = report.warnings_renderable(result.warnings)
    if notes is not None:
        stderr.print(notes)
    if html is not None:
        console.print(f"\nwrote {html}")
