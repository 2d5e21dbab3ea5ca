"""Options shared by several commands, declared once."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

Inputs = Annotated[
    list[str],
    typer.Argument(
        help="Leads file(s): .csv .tsv .txt .xlsx .json .ndjson .parquet; '-' reads CSV from stdin."
    ),
]
ModelOpt = Annotated[
    Path | None,
    typer.Option(
        "--model", "-m", help="Model file (TOML). Default: ./leadscore.toml, else the built-in model.",
        dir_okay=False,
    ),
]  # fmt: skip


def model_argument(verb: str) -> Any:
    """The optional model file argument of a command that does ``verb`` to it (check, sql)."""
    return typer.Argument(
        help=f"Model file (TOML) to {verb}. Default: ./leadscore.toml, else the built-in model.",
        dir_okay=False,
        show_default=False,
    )


def as_of_option(help: str) -> Any:
    """The --as-of option, with ``help`` saying what its default is for the command."""
    return typer.Option(
        "--as-of", metavar="<YYYY-MM-DD>", formats=["%Y-%m-%d"], help=help, show_default=False
    )


AsOf = Annotated[dt.datetime | None, as_of_option("Score as of this date instead of today.")]
Sheet = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="<sheet>",
        help="Excel sheet to read, by name, or by number counting the sheets Excel shows (default: the first shown).",
    ),
]
HeaderRow = Annotated[
    int | None,
    typer.Option(
        "--header-row",
        metavar="<n>",
        min=1,
        help="Row number of the header (default: the first, or the first below a report's title).",
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="<encoding>",
        help="Force the text encoding of CSV input, e.g. utf-8 or cp1252 (default: detected).",
    ),
]
Dayfirst = Annotated[
    bool | None,
    typer.Option(
        "--dayfirst/--monthfirst",
        help="How to read dates like 03/04/2026: --dayfirst as 3 April, --monthfirst as March 4. Default: "
        "--dayfirst when the CSV file is ';'-separated, as Excel writes it where dates are written day "
        "first, else --monthfirst.",
        show_default=False,
    ),
]
DecimalComma = Annotated[
    bool | None,
    typer.Option(
        "--decimal-comma/--decimal-point",
        help="How to read 1.200 and 1,200 in text numbers: --decimal-comma reads them as 1200 and 1.2, "
        "--decimal-point as 1.2 and 1200 (other shapes read the same either way). Default: "
        "--decimal-comma when the CSV file is ';'-separated, as Excel writes it where the comma is the "
        "decimal mark.",
        show_default=False,
    ),
]
SkipBadRows = Annotated[
    bool,
    typer.Option(
        "--skip-bad-rows",
        help="Skip CSV rows with too many fields, or with a quote that is never closed; write them, "
        "with the reason, to <input>.rejects.csv (or --rejects).",
    ),
]
Rejects = Annotated[
    Path | None,
    typer.Option("--rejects", help="Where --skip-bad-rows writes the rows it skips.", dir_okay=False),
]
Quiet = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="Print nothing when the run succeeds, warnings included; errors are still printed.",
    ),
]


class SeparatorChoice(StrEnum):
    comma = "comma"
    semicolon = "semicolon"


OutputSeparator = Annotated[
    SeparatorChoice | None,
    typer.Option(
        "--output-separator",
        case_sensitive=False,
        help="The separator of CSV outputs: comma, or semicolon with decimal commas (42,5), as Excel "
        "reads CSV where the comma is the decimal mark. Default: semicolon when every CSV input is "
        "';'-separated, else comma.",
        show_default=False,
    ),
]


def separator_value(choice: SeparatorChoice | None) -> str | None:
    """The character of an --output-separator choice; None to follow the input."""
    return None if choice is None else {"comma": ",", "semicolon": ";"}[choice.value]


class DedupeChoice(StrEnum):
    first = "first"
    last = "last"
    error = "error"


HistoryDedupe = Annotated[
    DedupeChoice | None,
    typer.Option(
        "--dedupe",
        case_sensitive=False,
        help="Repeated lead ids in the history: keep the first or last row of each, or stop with an "
        "error. Default: count every row, with a warning.",
    ),
]


def flag_pair(flags: str, value: bool | None) -> str | None:
    """The flag of an on/off pair that gives ``value``: ("--dayfirst/--monthfirst", False) -> "--monthfirst"."""
    if value is None:
        return None
    on, off = flags.split("/")
    return on if value else off


def as_date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


Events = Annotated[
    list[str] | None,
    typer.Option(
        "--events",
        "-e",
        metavar="<file>",
        help="Activity log (one row per event) for the model's event rules.",
    ),
]

HistoryEvents = Annotated[
    list[str] | None,
    typer.Option(
        "--events",
        "-e",
        metavar="<file>",
        help="Activity log (one row per event) of the history's leads, for event rules.",
    ),
]
EventsUntil = Annotated[
    str | None,
    typer.Option(
        "--events-until",
        metavar="<column>",
        help="A date column of the history: count each lead's events up to that day (e.g. the day it "
        "became an opportunity), so nothing after the outcome counts. Default: up to --as-of.",
    ),
]

Adjustments = Annotated[
    list[str] | None,
    typer.Option(
        "--adjustments", "-a", metavar="<file>",
        help="Sales adjustments file: lead_id, points, reason (and by, expires); each row adds its points.",
    ),
]  # fmt: skip

History = Annotated[
    list[str],
    typer.Argument(
        help="History file(s): past leads with their outcome (.csv .tsv .xlsx .json .ndjson .parquet)."
    ),
]
Target = Annotated[
    str,
    typer.Option(
        "--target",
        "-t",
        metavar="<column>",
        help="The column that says whether each lead converted (1/0, yes/no, won/lost...).",
    ),
]
Positive = Annotated[
    str | None,
    typer.Option(
        "--positive",
        metavar="<value>",
        help="The value of --target that means converted, e.g. 'Signed'; every other value then means not "
        "converted, except open ones (Open, Pending, In progress...).",
    ),
]


def names(values: list[str] | None) -> list[str]:
    """Column names given as repeated options and/or comma-separated lists."""
    return [n.strip() for v in values or [] for n in v.split(",") if n.strip()]


def sheet_value(value: str | None) -> str | int | None:
    """An Excel sheet by name, or by number when it is all digits."""
    return int(value) if value is not None and value.isdigit() else value
