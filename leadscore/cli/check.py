"""``leadscore check``: validate a model file, and that a leads file has what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app


@app.command()
def check(
    model: Annotated[Path | None, opt.model_argument("validate")] = None,
    input: Annotated[
        list[str] | None,
        typer.Option(
            "--input",
            "-i",
            metavar="<file>",
            help="Also check that this leads file has every column the model needs.",
        ),
    ] = None,
    as_of: opt.AsOf = None,
    events: opt.Events = None,
    sheet: opt.Sheet = None,
    header_row: opt.HeaderRow = None,
    encoding: opt.Encoding = None,
    dayfirst: opt.Dayfirst = False,
    decimal_comma: opt.DecimalComma = None,
) -> None:
    """Validate a model; with --input, check the leads file against it. Exit 1 on any problem.

    A segments file is checked with every model file it names; segments that can never match,
    and with --input those that match no lead, are warned about.

    \b
    Examples:
      leadscore check                                 # ./leadscore.toml
      leadscore check b2b.toml --input leads.csv
    """
    from leadscore.checking import check_model
    from leadscore.io import ReadOptions

    options = ReadOptions(
        sheet=opt.sheet_value(sheet), header_row=header_row, encoding=encoding, dayfirst=dayfirst,
        decimal_comma=decimal_comma,
    )  # fmt: skip
    for line in check_model(model, input or [], as_of=opt.as_date(as_of), options=options, events=events):
        typer.echo(line)
