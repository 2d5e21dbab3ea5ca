"""``leadscore report``: where the good leads come from, per value of any column of a scored file."""

from __future__ import annotations

from typing import Annotated

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app


@app.command()
def report(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Scored leads (what 'leadscore score' wrote): .csv .xlsx .json .ndjson .parquet."
        ),
    ],
    by: Annotated[
        list[str],
        typer.Option(
            "--by",
            "-b",
            metavar="<column>",
            help="Column to break the leads down by, e.g. lead_source; repeat for more.",
        ),
    ],
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            metavar="<column>",
            help="Outcome column (yes/no, true/false, 1/0, won/lost): adds conversion rate and share of wins.",
        ),
    ] = None,
    positive: opt.Positive = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="<file>",
            help="Also write the tables to a file: .csv .xlsx .json .ndjson .parquet.",
        ),
    ] = None,
    output_separator: opt.OutputSeparator = None,
    sheet: opt.Sheet = None,
    header_row: opt.HeaderRow = None,
    encoding: opt.Encoding = None,
    quiet: opt.Quiet = False,
) -> None:
    """Per value of a column: leads, mean and median score, tier shares, qualified and conversion rates.

    \b
    Example:
      leadscore report leads.scored.csv --by lead_source --by country --target converted -o sources.xlsx
    """  # fmt: skip
    from leadscore import report as rendering
    from leadscore.io import (
        ReadOptions,
        XlsxStyle,
        csv_options,
        format_for,
        read_table,
        refuse_overwrite,
        write_table,
    )
    from leadscore.io import output_separator as separator_of
    from leadscore.io.atomic import check_target
    from leadscore.io.files import require_files
    from leadscore.sources import long_table, share_columns, source_tables

    if output is not None:
        format_for(output)
        refuse_overwrite([output], [s for s in inputs if s != "-"])
        check_target(output)  # before the leads are read: a wrong -o is found without waiting
    require_files(inputs, writes=[output], scored=True)
    # the report reads no date, and no number but the score, which leadscore writes with no
    # thousands, and a decimal comma only in a ';'-separated file: no note on how they are read
    options = ReadOptions(
        sheet=opt.sheet_value(sheet), header_row=header_row, encoding=encoding, decimal_comma=False,
        dayfirst=False,
    )  # fmt: skip
    read = read_table(inputs, options)
    source = ", ".join(read.sources)
    decimal_comma = csv_options(separator_of(read))["decimal_comma"]  # as leadscore wrote the scores
    tables, (notices, warnings) = source_tables(
        read.frame, by, target=target, positive=positive, source=source, decimal_comma=decimal_comma
    )
    if output is not None:
        separator = opt.separator_value(output_separator) or separator_of(read)
        table = long_table(tables)
        shares = XlsxStyle(percent_columns=share_columns(table))  # in .xlsx, 15.6% for 0.156
        write_table(table, output, separator=separator, xlsx_styles=shares)
    console = rendering.make_console(quiet=quiet)
    console.print(rendering.source_tables_renderable(tables, source=source))
    if output is not None:
        console.print(rendering.written_text(output))
    messages = rendering.make_console(stderr=True)  # warnings even with --quiet, as score prints them
    for line in rendering.message_lines([] if quiet else [*read.notices, *notices], warnings):
        messages.print(line, soft_wrap=True)
