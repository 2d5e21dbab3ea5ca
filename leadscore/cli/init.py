"""``leadscore init``: write a commented starter model and sample leads to try it on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to write into.")] = Path(),
    leads: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="<file>",
            help="Your leads file: the model reads its columns where they are the built-in names spelt "
            "another way ('Job Title' for job_title) or named as CRMs name them ('Title', 'No. of "
            "Employees'), and no sample leads are written.",
        ),
    ] = None,
    sheet: opt.Sheet = None,
    header_row: opt.HeaderRow = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
) -> None:
    """Write ./leadscore.toml (a commented starter model) and sample_leads.csv to try it on.

    \b
    Example:
      leadscore init --from crm_export.csv
    """
    from leadscore.errors import UsageError, counted, quote_list, shell_arg
    from leadscore.io.readers import LEADS_FILE_EXTENSIONS
    from leadscore.starter import write_starter

    if folder.is_file() or folder.suffix.lower() in LEADS_FILE_EXTENSIONS:
        # 'init leads.csv' means a leads file to start from, not a folder to make
        raise UsageError(
            f"'{folder}' is a file, not a folder: to write a model that reads its columns, give it with "
            f"--from, e.g. leadscore init --from {shell_arg(folder)}"
        )

    columns = None
    if leads is not None:
        from leadscore.inputs import read_leads
        from leadscore.io import ReadOptions
        from leadscore.io.files import require_files

        require_files([leads])
        options = ReadOptions(sheet=opt.sheet_value(sheet), header_row=header_row)
        columns = read_leads([leads], options).frame.collect_schema().names()
    done = write_starter(folder, force=force, columns=columns)
    for path in done.written:
        typer.echo(f"wrote {path}")
    model = done.written[0]
    with_model = "" if model.parent == Path() else f" -m {shell_arg(model)}"
    if leads is None:
        typer.echo(
            f"next: leadscore score {shell_arg(done.written[1])}{with_model}   "
            f"(then edit {model} and run it again)"
        )
        return
    if done.renamed:
        pairs = ", ".join(f"{old} -> '{new}'" for old, new in done.renamed.items())
        typer.echo(f"reads {leads}'s own names for {counted(len(done.renamed), 'column')}: {pairs}")
    if done.numbered:
        typer.echo(
            f'note: {leads} has no id column, so {model} says id = "row": its leads are numbered 1, 2, 3... '
            "in file order (explain 42 finds the 42nd); name the file's id column there if it has one",
            err=True,
        )
    rule_columns = [c for c in done.missing if c != done.missing_id]
    if done.no_rule_fits:
        typer.echo(
            f"note: {leads} has none of the columns the model's rules read ({quote_list(rule_columns, limit=6)}), "
            f'so {model} cannot score it yet: in each rule, set column = "..." to the file\'s name for it (its columns '
            f"are {quote_list(columns or [], limit=8)}), and delete the rules it has nothing for",
            err=True,
        )
    elif rule_columns:
        if done.left_out:
            rules = f"{counted(len(done.left_out), 'rule')} ({quote_list(done.left_out, limit=4)})"
            what = (
                f", so {model} leaves out {rules}, commented out: to use one, name the file's column in "
                "it and uncomment it"
            )
        else:
            what = f": for each, name the file's column in {model}, or delete the rules that read it"
        typer.echo(f"note: {leads} has no column for {quote_list(rule_columns)}{what}", err=True)
    if done.missing_id is not None:
        from leadscore.predictive.profile import guess_id_column

        typer.echo(
            f"note: {leads} has no '{done.missing_id}' column: in {model}, set [model] id to the column that "
            f"identifies a lead (is it '{guess_id_column(columns or [])}'?), or to \"row\" to number the leads "
            "1, 2, 3... in file order",
            err=True,
        )
    if done.scores_as_written:
        typer.echo(f"next: leadscore score {shell_arg(leads)}{with_model}")
    else:  # a score run would fail: check says what is still missing, once the model is edited
        check_model = "" if model.parent == Path() else f" {shell_arg(model)}"
        typer.echo(
            f"next: edit {model} as the note says, then: leadscore check{check_model} --input {shell_arg(leads)}"
        )
