"""``leadscore init``: write a commented starter model and sample leads to try it on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadscore.cli._app import app


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to write into.", file_okay=False)] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
) -> None:
    """Write ./leadscore.toml (a commented starter model) and sample_leads.csv to try it on."""
    from leadscore.starter import write_starter

    for path in write_starter(folder, force=force):
        typer.echo(f"wrote {path}")
    typer.echo("next: leadscore score sample_leads.csv   (then edit leadscore.toml and run it again)")
