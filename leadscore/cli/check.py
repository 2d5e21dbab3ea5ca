"""``leadscore check``: validate a model file, and that a leads file has what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import app
from leadscore.errors import UsageError, one_line, shell_arg

# The first bytes of the data formats no model file starts with: .xlsx (a zip), .xls, .parquet.
BINARY_DATA = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"PAR1")


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
    dayfirst: opt.Dayfirst = None,
    decimal_comma: opt.DecimalComma = None,
) -> None:
    """Validate a model; with --input, check the leads file against it. Exit 1 on an error, 0 with warnings only.

    A segments file is checked with every model file it names; segments that can never match,
    and with --input those that match no lead, are warned about.

    \b
    Examples:
      leadscore check                                 # ./leadscore.toml
      leadscore check b2b.toml --input leads.csv
    """
    from leadscore.checking import check_model
    from leadscore.io import ReadOptions
    from leadscore.io.files import require_files

    if model is not None and _is_data_file(model):
        _refuse_data_as_model(model, input or [])
    require_files([*(input or []), *(events or [])])

    options = ReadOptions(
        sheet=opt.sheet_value(sheet), header_row=header_row, encoding=encoding, dayfirst=dayfirst,
        decimal_comma=decimal_comma,
    )  # fmt: skip
    for line in check_model(model, input or [], as_of=opt.as_date(as_of), options=options, events=events):
        typer.echo(one_line(line))


def _is_data_file(path: Path) -> bool:
    """Whether ``path`` is a leads file rather than a model: by its extension, or, for a file not
    named .toml, by a start no TOML file has (a header row, a JSON record, a spreadsheet). A .txt
    file is judged by its content: Notepad saves a model as 'b2b.toml.txt'."""
    from leadscore.model.loading import DATA_EXTENSIONS

    suffix = path.suffix.lower()
    if suffix in DATA_EXTENSIONS:
        return True
    if suffix == ".toml" or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError:
        return False
    if head.startswith(BINARY_DATA):
        return True
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("{") or (text.startswith("[") and text[1:].lstrip().startswith("{")):
        return True  # a JSON record or a list of them: no TOML line starts so
    lines = (line.strip() for line in text.splitlines())
    first = next((line for line in lines if line and not line.startswith("#")), "")
    # every TOML line before the first value is a [table] header or a key = value
    return bool(first) and "=" not in first and not first.startswith("[") and any(c in first for c in ",;\t|")


def _refuse_data_as_model(path: Path, inputs: list[str]) -> NoReturn:
    """A leads file where the model goes: say so, and give the command that checks it."""
    from leadscore.inputs import MODEL_FILE

    models = [i for i in inputs if Path(i).suffix.lower() == ".toml"]
    leads = [str(path), *(i for i in inputs if i not in models)]
    command = "leadscore check" + (f" {shell_arg(models[0])}" if len(models) == 1 else "")
    command += "".join(f" --input {shell_arg(i)}" for i in leads)
    if len(models) == 1:
        against = models[0]
    else:
        against = f"./{MODEL_FILE}" if Path(MODEL_FILE).is_file() else "the built-in model"
    raise UsageError(
        f"{path} is a leads file, not a model: give it with --input, e.g. {command} "
        f"(checks it against {against})"
    )
