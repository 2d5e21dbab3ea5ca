"""``leadscore score``: rank a leads file with a points model."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import warnings
from collections.abc import Sequence
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from leadscore.cli import options as opt
from leadscore.cli._app import EXIT_TERMINATED, app
from leadscore.errors import EXIT_ERROR, EXIT_OK, LeadscoreError, UsageError, WarningsAsErrors
from leadscore.stop import Terminated, stop_requested

if TYPE_CHECKING:
    import logging

    from leadscore.engine import ScoredLeads
    from leadscore.io import ReadOptions
    from leadscore.summary import RunFiles


class Engine(StrEnum):
    polars = "polars"
    duckdb = "duckdb"


STREAMING_ABOVE_GB = 1.0  # ~6M leads: held in memory they would take some 3 GB (10M: 5 GB)
# what Polars may hold before it spills: only its sort of leads that cannot be packed as text
# (typed dates or lists) gets that far; packed leads are spilled by leadscore.ranked_csv itself
MEMORY_BUDGET_MB = 2000


def bound_memory() -> None:
    """Give Polars a memory budget: past it, its streaming engine spills to temporary files.

    A budget the user set (POLARS_OOC_MEMORY_BUDGET_MB) is kept. Polars reads it when it starts,
    so this must run before anything imports Polars.
    """
    os.environ.setdefault("POLARS_OOC_MEMORY_BUDGET_MB", str(MEMORY_BUDGET_MB))
    # Spilling 10M leads, Polars reaches its count of threads for file work and warns that this
    # "may indicate a deadlock"; it then waits for a free thread, and the run completes.
    warnings.filterwarnings("ignore", message=".*POLARS_MAX_BLOCKING_THREAD_COUNT")


# Polars' allocator (jemalloc, on Linux) keeps memory a run has freed before it gives it back:
# 500 ms as is, then another second as pages the system may take back but that still count as
# the process's resident memory. Scoring frees and allocates each batch's columns all the time:
# at 1M leads that held some 150 MB of an 800 MB peak. Giving it back after 200 ms, and at once,
# costs about 0.2 s of page faults there; a streaming run, whose peak is its sort keys, only
# got slower (10M leads: 73 s against 68 s). See docs/performance.md.
ALLOCATOR_SETTINGS = "dirty_decay_ms:200,muzzy_decay_ms:0"


def return_memory_sooner() -> None:
    """Set :data:`ALLOCATOR_SETTINGS` for Polars' allocator. Polars reads them when it starts,
    so this must run before anything imports Polars. Settings the user already has in
    ``_RJEM_MALLOC_CONF`` come after ours, so they win."""
    own = os.environ.get("_RJEM_MALLOC_CONF")
    os.environ["_RJEM_MALLOC_CONF"] = ALLOCATOR_SETTINGS + (f",{own}" if own else "")


def _total_bytes(inputs: Sequence[str]) -> int:
    return sum(Path(p).stat().st_size for p in inputs if p != "-" and Path(p).is_file())


@app.command()
def score(
    inputs: opt.Inputs,
    model: opt.ModelOpt = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="<file>",
            help="Where to write the ranked leads: .csv .xlsx .json .ndjson .parquet, or '-' for CSV on "
            "stdout. Default: <input>.scored.csv in this folder.",
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", metavar="<n>", min=0, help="How many leads the report lists.")
    ] = 10,
    as_of: opt.AsOf = None,
    events: opt.Events = None,
    adjustments: opt.Adjustments = None,
    accounts: Annotated[
        str | None,
        typer.Option(
            "--accounts",
            metavar="<column>",
            help="Also write an account table, rolling leads up by this column (e.g. company). "
            "Default: [accounts] column in the model, if set.",
        ),
    ] = None,
    accounts_output: Annotated[
        str | None,
        typer.Option(
            "--accounts-output",
            metavar="<file>",
            help="Where to write the account table. Default: <output>.accounts.csv.",
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
    dayfirst: opt.Dayfirst = None,
    decimal_comma: opt.DecimalComma = None,
    skip_bad_rows: opt.SkipBadRows = False,
    rejects: opt.Rejects = None,
    dedupe: Annotated[
        opt.DedupeChoice | None,
        typer.Option(
            "--dedupe",
            case_sensitive=False,
            help="Repeated ids: keep the first or last row of each, or stop with an error. "
            "Default: keep every row, with a warning.",
        ),
    ] = None,
    previous: Annotated[
        str | None,
        typer.Option(
            "--previous",
            metavar="<file>",
            help="A file an earlier run wrote: adds previous_score, previous_tier and change "
            "(new, up, down, same, newly_qualified, no_longer_qualified). It may be the -o file itself.",
        ),
    ] = None,
    only_changes: Annotated[
        bool,
        typer.Option(
            "--only-changes", help="With --previous: write only the leads whose change is not 'same'."
        ),
    ] = False,
    changes: Annotated[
        str | None,
        typer.Option(
            "--changes", metavar="<file>", help="With --previous: also write the changed leads to this file."
        ),
    ] = None,
    no_reasons: Annotated[bool, typer.Option("--no-reasons", help="Leave out the reasons column.")] = False,
    safe_csv: Annotated[
        bool,
        typer.Option(
            "--safe-csv", help="Prefix CSV text cells starting with = + - @ with ' (formula injection)."
        ),
    ] = False,
    output_separator: opt.OutputSeparator = None,
    summary_json: Annotated[
        Path | None,
        typer.Option(
            "--summary-json",
            help="Write a summary for monitoring: counts per tier, changes, warnings, timings, checksums. "
            "Written for failed runs too.",
            dir_okay=False,
        ),
    ] = None,
    log_file: Annotated[
        Path | None,
        typer.Option(
            "--log-file", help="Append timestamped lines about the run to this file.", dir_okay=False
        ),
    ] = None,
    fail_on_warnings: Annotated[
        bool,
        typer.Option("--fail-on-warnings", help="Treat warnings as errors: write nothing and exit 1."),
    ] = False,
    quiet: opt.Quiet = False,
    streaming: Annotated[
        bool | None,
        typer.Option(
            "--streaming/--no-streaming",
            help="--streaming keeps memory low for very big files: the scored leads go to a "
            "compressed temporary file beside the output and are read back in rank order (slower). "
            f"Chosen by itself for inputs of {STREAMING_ABOVE_GB:g} GB or more; --no-streaming keeps "
            "them in memory (10M leads: 5 GB, a fifth faster).",
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            case_sensitive=False,
            help="What runs the scoring: polars, or duckdb (the model compiled to SQL; pip install "
            "'leadscore[duckdb]'; it does not warn about values it cannot read).",
        ),
    ] = Engine.polars,
) -> None:
    """Score leads with a points model and write them ranked, best first.

    \b
    Example:
      leadscore score leads.xlsx -m b2b.toml -o ranked.xlsx --top 20 --as-of 2026-11-01

    Notes and warnings go to stderr, one 'note: ...' or 'warning: ...' line each. Exit codes:
    0 done; 1 a problem with an input: a file not found, the data or the model (or any warning,
    with --fail-on-warnings); 2 wrong options, or an output that cannot be written where asked.
    A failed run leaves every earlier output as it was.
    """
    if streaming is None:
        streaming = _total_bytes(inputs) >= STREAMING_ABOVE_GB * 2**30
    # before Polars is imported: it reads its memory budget and its allocator's settings once
    if streaming:
        bound_memory()
    else:
        return_memory_sooner()
    from leadscore.cli._runlog import run_log
    from leadscore.inputs import model_file
    from leadscore.io import ReadOptions
    from leadscore.io.files import require_files
    from leadscore.pipeline import default_output_path, score_file
    from leadscore.summary import RunFiles, snapshot_inputs

    started = _now()
    events = events or _remembered_events(model, quiet)
    target = output if output is not None else str(default_output_path(inputs))
    chosen_model = model_file(model)
    files = RunFiles(
        inputs=list(inputs), model=str(chosen_model) if chosen_model else None, events=list(events or []),
        previous=previous, output=target, changes_output=changes,
    )  # fmt: skip
    _check_side_files(files, adjustments or [], summary_json, log_file, rejects)
    read = snapshot_inputs(files) if summary_json is not None else {}
    read_options = ReadOptions(
        sheet=opt.sheet_value(sheet), header_row=header_row, encoding=encoding, skip_bad_rows=skip_bad_rows,
        rejects_path=rejects, dayfirst=dayfirst, decimal_comma=decimal_comma,
    )  # fmt: skip
    with run_log(log_file) as log:
        log.info("start: leadscore score %s (model: %s)", ", ".join(inputs), files.model or "built-in")
        for path in [*inputs, *(events or []), *(adjustments or []), *([previous] if previous else [])]:
            log.info("input: %s", _described(path))
        try:
            require_files(
                [*inputs, *(events or []), *(adjustments or [])],
                writes=[target, changes, summary_json, log_file, rejects, accounts_output],
            )
            with _spinner(quiet):
                result = score_file(
                    inputs, model, output=output, as_of=opt.as_date(as_of), options=read_options,
                    reasons=not no_reasons, safe_csv=safe_csv, events=events,
                    previous=previous, only_changes=only_changes, changes_output=changes,
                    dedupe=dedupe.value if dedupe else None, fail_on_warnings=fail_on_warnings,
                    adjustments=adjustments, accounts=accounts, accounts_output=accounts_output,
                    reassign=reassign, engine=engine.value, top=top, streaming=streaming,
                    separator=opt.separator_value(output_separator),
                )  # fmt: skip
        except BaseException as exc:
            _failed(exc, log, files, read, started, summary_json, quiet)
            raise
        _succeeded(result, log, files, read, started, summary_json)
    _remember(inputs, model, result, events, adjustments, read_options, dedupe.value if dedupe else None)
    if not quiet:
        _print_report(result, top=top, to_stdout=output == "-")


def _spinner(quiet: bool) -> AbstractContextManager[object]:
    """A spinner on a terminal; nothing with --quiet, which then need not load Rich (0.3 s)."""
    if quiet:
        return contextlib.nullcontext()
    from leadscore import report

    return report.progress_spinner(report.make_console(stderr=True), "Scoring leads")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone()


def _check_side_files(
    files: RunFiles,
    adjustments: list[str],
    summary_json: Path | None,
    log_file: Path | None,
    rejects: Path | None,
) -> None:
    """Refuse a summary, log or rejects file that would replace an input or another output."""
    from leadscore.io import refuse_overwrite
    from leadscore.io.atomic import check_target

    read = [files.previous, files.model]
    inputs = [*files.inputs, *files.events, *adjustments, *(path for path in read if path)]
    taken = {"-o": files.output, "--changes": files.changes_output}
    side = {"--summary-json": summary_json, "--log-file": log_file, "--rejects": rejects}
    for option, path in side.items():
        if path is None:
            continue
        refuse_overwrite([path], inputs, what=f"the {option} file", option=option)
        check_target(path)
        for other, used in taken.items():
            if used is not None and used != "-" and Path(used).resolve() == path.resolve():
                raise UsageError(f"{other} and {option} both name {path}; give them different files")
        taken[option] = str(path)


def _described(path: str) -> str:
    if path == "-":
        return "standard input"
    p = Path(path)
    return f"{path} ({p.stat().st_size:,} bytes)" if p.is_file() else f"{path} (not found)"


def exit_code_for(exc: BaseException) -> int:
    if isinstance(exc, Terminated) or stop_requested.is_set():
        return EXIT_TERMINATED
    if isinstance(exc, LeadscoreError):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return 130
    if isinstance(exc, typer.Exit):
        return int(exc.exit_code)
    return EXIT_ERROR


def _failed(
    exc: BaseException,
    log: logging.Logger,
    files: RunFiles,
    read: dict[str, Any],
    started: dt.datetime,
    summary_json: Path | None,
    quiet: bool,
) -> None:
    """Log the failure, write the summary and print the warnings that made the run fail."""
    from leadscore.summary import RunOutcome, build_summary, write_summary

    code = exit_code_for(exc)
    result = exc.result if isinstance(exc, WarningsAsErrors) else None
    warnings: Sequence[str] = exc.warnings if isinstance(exc, WarningsAsErrors) else ()
    notices: Sequence[str] = result.notices if result is not None else ()
    for notice in notices:
        log.info("note: %s", notice)
    for warning in warnings:
        log.warning("%s", warning)
    if isinstance(exc, LeadscoreError):
        message = str(exc)
    else:
        message = f"stopped: {type(exc).__name__}" + (f": {exc}" if str(exc) else "")
    log.error("%s", message)
    log.info("end: exit %d", code)
    if summary_json is not None:
        outcome = RunOutcome(started, _now(), code, message, warnings, notices)
        try:
            write_summary(summary_json, build_summary(files, read, outcome, result))
        except LeadscoreError as summary_error:  # the run's own error matters more
            log.error("%s", summary_error)
    if warnings:
        _print_messages([] if quiet else notices, warnings)


def _succeeded(
    result: ScoredLeads,
    log: logging.Logger,
    files: RunFiles,
    read: dict[str, Any],
    started: dt.datetime,
    summary_json: Path | None,
) -> None:
    from leadscore.summary import RunOutcome, build_summary, write_summary

    for notice in result.notices:
        log.info("note: %s", notice)
    for warning in result.warnings:
        log.warning("%s", warning)
    log.info("scored: %s leads as of %s", f"{result.rows:,}", result.as_of.isoformat())
    if result.changes is not None:
        from leadscore import report

        log.info("changes since %s: %s", result.changes.source, report.change_counts_text(result.changes))
    log.info("output: %s rows to %s", f"{result.rows_written or 0:,}", result.output)
    if files.changes_output is not None and result.changes is not None:
        log.info("output: %s changed rows to %s", f"{result.changes.changed:,}", files.changes_output)
    if summary_json is not None:
        outcome = RunOutcome(started, _now(), EXIT_OK, None, result.warnings, result.notices)
        write_summary(summary_json, build_summary(files, read, outcome, result))
        log.info("output: summary to %s", summary_json)
    log.info("end: exit 0 in %.2f s", result.seconds)


def _remember(
    inputs: list[str],
    model: Path | None,
    result: ScoredLeads,
    events: list[str] | None,
    adjustments: list[str] | None,
    read_options: ReadOptions,
    dedupe: str | None,
) -> None:
    """Record the run for 'leadscore explain'."""
    from leadscore.inputs import model_file
    from leadscore.state import RunState, fingerprints, save_state

    used = model_file(model)
    read: list[str | Path] = [*inputs, *(events or []), *(adjustments or []), *([used] if used else [])]
    save_state(
        RunState(
            inputs=list(inputs), model=str(model) if model else None, as_of=result.as_of.isoformat(),
            events=list(events or []), sheet=read_options.sheet, header_row=read_options.header_row,
            encoding=read_options.encoding, dayfirst=read_options.dayfirst, adjustments=list(adjustments or []),
            decimal_comma=read_options.decimal_comma, dedupe=dedupe, files=fingerprints(read),
        )
    )  # fmt: skip


def _print_report(result: ScoredLeads, *, top: int, to_stdout: bool) -> None:
    """The report on stdout (stderr when the data goes to stdout), then notes and warnings on stderr."""
    from leadscore import report

    console = report.make_console(stderr=to_stdout)
    console.print(report.score_report(result, top=top, output=None if to_stdout else result.output))
    section = report.changes_section(result, top=top)
    if section is not None:
        console.print()
        console.print(section)
    _print_messages(result.notices, result.warnings)


def _print_messages(notices: Sequence[str], warnings: Sequence[str]) -> None:
    from leadscore import report

    console = report.make_console(stderr=True)
    for line in report.message_lines(notices, warnings):
        console.print(line, soft_wrap=True)


def _remembered_events(model: Path | None, quiet: bool) -> list[str] | None:
    """The last run's --events, when the model reads an activity log and none was given."""
    from leadscore.inputs import resolve_model
    from leadscore.state import load_state

    state = load_state()
    if state is None or not state.events or not any(m.event_rules for m in resolve_model(model).plan.models):
        return None
    if not quiet:
        typer.echo(f"note: using the activity log of the last run: {', '.join(state.events)}", err=True)
    return state.events
