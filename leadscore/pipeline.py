"""Files in, files out: the library's ``score_file`` and what the command line builds on.

This is the one place that joins reading, the model, scoring and writing, so the CLI stays a
thin layer of options and messages. What a run reads (which model, the leads, the activity
log) is in :mod:`leadscore.inputs`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import polars as pl

from leadscore.changes import changed_rows, compare, read_previous
from leadscore.coerce import Conventions
from leadscore.engine import TIER, ScoredLeads, build_query, run_query
from leadscore.errors import UsageError, WarningsAsErrors
from leadscore.events import EventLog
from leadscore.explain import Explanation
from leadscore.ids import (
    Dedupe,
    IdCheck,
    check_ids,
    deduplicated,
    id_check,
    id_queries,
    id_warnings,
    kept_row,
)
from leadscore.ids import dedupe as dedupe_rows
from leadscore.inputs import matched_by_id, plan_of, read_adjustments, read_events, read_leads, unused_events
from leadscore.io import (
    ReadOptions,
    XlsxStyle,
    format_for,
    output_separator,
    output_warnings,
    refuse_overwrite,
    write_table,
)
from leadscore.io.atomic import atomic_path, check_target
from leadscore.io.readers import no_rows
from leadscore.model import Model
from leadscore.plan import ScoringPlan, explain_plan, score_plan
from leadscore.ranked_csv import write_ranked_csv
from leadscore.segments import SegmentedModel, models_of

T = TypeVar("T")
TIER_COLOURS = ("#F8696B", "#FFD966", "#9BC2E6")  # top tier red, middle ones yellow, lowest blue


def default_output_path(sources: Sequence[str | Path]) -> Path:
    """``<first input's stem>.scored.csv`` in the current folder."""
    first = str(sources[0])
    stem = "stdin" if first == "-" else Path(first).stem
    return Path(f"{stem}.scored.csv")


def default_accounts_path(output: str, sources: Sequence[str | Path]) -> Path:
    """``<output stem>.accounts.csv`` beside the output; with output on stdout, in this folder."""
    if output == "-":
        return default_output_path(sources).with_name(f"{default_output_path(sources).stem}.accounts.csv")
    return Path(output).with_name(f"{Path(output).stem}.accounts.csv")


def xlsx_style(model: ScoringPlan | Model | SegmentedModel) -> XlsxStyle:
    """Tier colours: the top tier red, middle ones yellow, the lowest blue (every segment's tiers)."""
    if isinstance(model, ScoringPlan):
        model = model.model
    models = models_of(model)
    colours: dict[str, str] = {}
    for model in models:
        labels = [b.label for b in model.tiers]
        for i, label in enumerate(labels):
            if i == len(labels) - 1 and i > 0:
                colours.setdefault(label, TIER_COLOURS[2])
            else:
                colours.setdefault(label, TIER_COLOURS[min(i, 1)])
    return XlsxStyle(tier_colors=colours, tier_column=TIER)


def score_file(
    sources: Sequence[str | Path],
    model: ScoringPlan | Model | SegmentedModel | str | Path | None = None,
    *,
    output: str | Path | None = None,
    as_of: dt.date | None = None,
    options: ReadOptions | None = None,
    reasons: bool = True,
    safe_csv: bool = False,
    events: Sequence[str | Path] | None = None,
    adjustments: Sequence[str | Path] | None = None,
    accounts: str | None = None,
    accounts_output: str | Path | None = None,
    reassign: bool = False,
    previous: str | Path | None = None,
    only_changes: bool = False,
    changes_output: str | Path | None = None,
    dedupe: Dedupe | None = None,
    fail_on_warnings: bool = False,
    engine: str = "polars",
    top: int = 10,
    streaming: bool = False,
    separator: str | None = None,
) -> ScoredLeads:
    """Read leads, score them and write the ranked file; return the result for a report.

    ``model`` may be a :class:`Model`, a path, or None for ./leadscore.toml or the built-in model.
    ``output`` defaults to ``<input stem>.scored.csv`` in the current folder; ``"-"`` is stdout.

    ``previous`` is a file an earlier run wrote: the output gets ``previous_score``,
    ``previous_tier`` and ``change`` (see :mod:`leadscore.changes`); ``only_changes`` writes
    only the changed rows, and ``changes_output`` writes them to a second file. ``dedupe``
    keeps the first or last row of a repeated id, or refuses repeated ids (``"error"``); by
    default every row is kept, with a warning. With ``fail_on_warnings``, a run with warnings
    raises :class:`~leadscore.errors.WarningsAsErrors` before anything is written.

    ``adjustments`` are sales adjustments files (see :mod:`leadscore.adjustments`); ``reassign``
    routes leads that already have an owner too. With ``accounts`` (a column, or the model's
    ``[accounts] column``) the account table is written to ``accounts_output``, by default
    ``<output stem>.accounts.csv`` beside the output.

    ``engine="duckdb"`` scores through DuckDB running the model compiled to SQL (leadscore.sql).

    A plain model (no segments, adjustments, routing, accounts or comparison) written to a file
    is scored in one pass: the leads are parsed once and held as CSV text (see
    :mod:`leadscore.ranked_csv`), the counts of the report are collected in the same pass, and
    the ranked file is written from that text; the result then has no frame (see
    :attr:`ScoredLeads.counts`). ``streaming=True`` (for very big files) writes that text to a
    compressed temporary file beside the output instead of holding it, and reads it back in
    rank order a window at a time.

    ``separator`` is that of the CSV files written: ``","``, or ``";"`` with decimal commas (42,5)
    for a spreadsheet whose decimal mark is the comma. By default it is ``";"`` when every CSV
    leads file read is ';'-separated, so that the ranked file opens in the spreadsheet that wrote
    them, and a later run reads its numbers and dates as it read theirs.
    """
    started = time.perf_counter()
    plan = plan_of(model)
    as_of = as_of or dt.date.today()
    target = str(output) if output is not None else str(default_output_path(sources))
    account_column = accounts or (plan.accounts.column if plan.accounts is not None else None)
    accounts_target = _accounts_target(account_column, accounts_output, target, sources)
    _check_outputs(
        target,
        changes_output,
        [*sources, *(adjustments or []), *plan.files],
        events,
        previous,
        only_changes,
        accounts_target,
    )
    plain = _one_pass(plan, target, adjustments, account_column, previous, dedupe, engine)
    if plain is not None:
        attempt = functools.partial(
            _score_in_one_pass, sources, plain, target, as_of=as_of, options=options, reasons=reasons,
            safe_csv=safe_csv, events=events, fail_on_warnings=fail_on_warnings, top=top,
            streaming=streaming, separator=separator,
            started=started,
        )  # fmt: skip
        return _checked_if_it_fails(attempt)
    joins = matched_by_id(plan.model, events=events, adjustments=adjustments, previous=previous)
    read = read_leads(sources, options, id_column=plan.model.id_column, matched_by_id=joins)
    label = ", ".join(read.sources) or "the leads file"
    leads, ids, notices, warnings = _check_leads(read.frame, plan.model, label, dedupe)
    log = read_events(events, options)
    before = read_previous(previous, plan.model) if previous is not None else None
    sales = read_adjustments(adjustments, plan, as_of, options)
    timings = {"read": time.perf_counter() - started}
    if engine == "duckdb":
        result = _score_with_duckdb(leads, plan, as_of, reasons, read.conventions, log, sales is not None)
    else:
        result = score_plan(
            leads, plan, as_of=as_of, reasons=reasons, conventions=read.conventions, source=label, events=log,
            adjustments=sales, accounts=account_column, reassign=reassign,
        )  # fmt: skip
    frame, changes = result.ranked, None
    if before is not None:
        frame, changes, replaced = compare(frame, before, result.model)
        warnings += replaced
    timings["score"] = time.perf_counter() - started - timings["read"]
    result = replace(
        result,
        frame=frame,
        sources=tuple(read.sources),
        notices=(*read.notices, *notices, *unused_events(plan.model, events), *result.notices),
        warnings=(*warnings, *result.warnings),
        ids=ids,
        changes=changes,
        rejected_rows=read.rejected_rows,
    )
    cut = _output_warnings(result, target, changes_output, only_changes)
    result = replace(result, warnings=(*result.warnings, *cut)) if cut else result
    if fail_on_warnings and result.warnings:
        raise WarningsAsErrors(result.warnings, result)
    separator = separator or output_separator(read)
    written = _write_outputs(result, target, changes_output, only_changes, safe_csv, separator)
    if result.accounts is not None and accounts_target is not None:
        write_table(result.accounts.frame, accounts_target, safe_csv=safe_csv, separator=separator)
        result = replace(result, accounts=replace(result.accounts, output=accounts_target))
    timings["write"] = time.perf_counter() - started - timings["read"] - timings["score"]
    timings["total"] = time.perf_counter() - started
    return replace(result, output=target, rows_written=written, seconds=timings["total"], timings=timings)


def _checked_if_it_fails(attempt: Callable[..., T]) -> T:
    """``attempt(check_rows=False)``; if Polars fails on the file, ``attempt(check_rows=True)``.

    A file of bad shape (a row with too many fields, bytes that are not UTF-8) fails the query
    that parses it; reading it with the up-front check reports it, or reads it the slow way.
    """
    try:
        return attempt(check_rows=False)
    except pl.exceptions.PolarsError:
        return attempt(check_rows=True)


def _one_pass(
    plan: ScoringPlan,
    target: str,
    adjustments: Sequence[str | Path] | None,
    account_column: str | None,
    previous: str | Path | None,
    dedupe: Dedupe | None,
    engine: str,
) -> Model | None:
    """The model, when the run can be one pass from the leads file to the ranked file; else None."""
    if not isinstance(plan.model, Model) or plan.routing is not None or account_column is not None:
        return None
    if adjustments or previous is not None or dedupe is not None or engine != "polars" or target == "-":
        return None
    return plan.model


def _score_in_one_pass(
    sources: Sequence[str | Path],
    model: Model,
    target: str,
    *,
    check_rows: bool,
    as_of: dt.date,
    options: ReadOptions | None,
    reasons: bool,
    safe_csv: bool,
    events: Sequence[str | Path] | None,
    fail_on_warnings: bool,
    top: int,
    streaming: bool,
    separator: str | None,
    started: float,
) -> ScoredLeads:
    """Read, check ids, score and write in one Polars pass (see :func:`score_file`).

    A CSV output is written from the leads packed as CSV text (:mod:`leadscore.ranked_csv`), to
    a temporary file that replaces the target only when everything (unreadable columns, ids,
    --fail-on-warnings) is fine; other formats are collected and written as usual.
    """
    read_options = dataclasses.replace(options or ReadOptions(), check_rows=check_rows)
    joins = matched_by_id(model, events=events)
    read = read_leads(sources, read_options, id_column=model.id_column, matched_by_id=joins)
    label = ", ".join(read.sources) or "the leads file"
    separator = separator or output_separator(read)
    log = read_events(events, read_options)
    timings = {"read": time.perf_counter() - started}
    query = build_query(
        read.frame,
        model,
        as_of=as_of,
        reasons=reasons,
        conventions=read.conventions,
        source=label,
        events=log,
    )

    def run(output: Path | None) -> ScoredLeads:
        if output is None:
            also = id_queries(read.frame, model.id_column, model.null_values)
            result, found = run_query(query, model, as_of=as_of, events=log, also=also)
            ids = id_check(found)
        else:
            result, ids = write_ranked_csv(
                query, model, output, as_of=as_of, events=log, leads=read.frame, top=top,
                safe_csv=safe_csv, streaming=streaming, separator=separator,
            )  # fmt: skip
        if ids.rows == 0:
            raise no_rows(label)
        warnings = id_warnings(ids, model.id_column, label)
        warnings += output_warnings(result.ranked, target) if output is None else []
        result = replace(
            result, sources=tuple(read.sources), notices=(*read.notices, *unused_events(model, events),
            *result.notices),
            warnings=(*warnings, *result.warnings), ids=ids, rejected_rows=read.rejected_rows,
        )  # fmt: skip
        if fail_on_warnings and result.warnings:
            raise WarningsAsErrors(result.warnings, result)
        return result

    if format_for(target) == "csv":
        with atomic_path(target) as temp:
            result = run(temp)
            timings["score"] = time.perf_counter() - started - timings["read"]
    else:
        result = run(None)
        timings["score"] = time.perf_counter() - started - timings["read"]
        write_table(
            result.ranked, target, safe_csv=safe_csv, xlsx_styles=xlsx_style(model), separator=separator
        )
    timings["write"] = time.perf_counter() - started - timings["read"] - timings["score"]
    timings["total"] = time.perf_counter() - started
    return replace(result, output=target, rows_written=result.rows, seconds=timings["total"], timings=timings)


def _score_with_duckdb(
    leads: pl.LazyFrame,
    plan: ScoringPlan,
    as_of: dt.date,
    reasons: bool,
    conventions: Conventions,
    log: EventLog | None,
    adjusted: bool,
) -> ScoredLeads:
    """Score one plain model through DuckDB, running the SQL that ``leadscore sql`` writes."""
    from leadscore.sql.engines import score_leads_with_duckdb

    if not isinstance(plan.model, Model) or adjusted or plan.routing is not None:
        raise UsageError(
            "--engine duckdb scores one plain model; segments, sales adjustments and routing run "
            "without it (leave out --engine)"
        )
    events = log.frame.collect() if log is not None else None
    return score_leads_with_duckdb(
        leads.collect(),
        plan.model,
        as_of=as_of,
        reasons=reasons,
        conventions=conventions,
        events=events,
    )


def _accounts_target(
    column: str | None, accounts_output: str | Path | None, target: str, sources: Sequence[str | Path]
) -> str | None:
    """Where the account table goes, or None when there is none."""
    if column is None:
        if accounts_output is not None:
            raise UsageError(
                "--accounts-output needs --accounts COLUMN (the column naming each lead's account)"
            )
        return None
    path = str(accounts_output or default_accounts_path(target, sources))
    format_for(path, "--accounts-output")
    return path


def _check_outputs(
    target: str,
    changes_output: str | Path | None,
    sources: Sequence[str | Path],
    events: Sequence[str | Path] | None,
    previous: str | Path | None,
    only_changes: bool,
    accounts_target: str | None = None,
) -> None:
    """Refuse, before reading anything, outputs that would replace an input or each other.

    The output may be the ``previous`` file: comparing with last night's ranked file and then
    replacing it is the usual nightly set-up, and the previous file is read in full first.
    """
    if previous is None and (only_changes or changes_output is not None):
        option = "--only-changes" if only_changes else "--changes"
        raise UsageError(f"{option} needs --previous, the file of an earlier run to compare with")
    inputs = [*sources, *(events or [])]
    for path in (target, changes_output, accounts_target):
        if path is not None and str(path) != "-":
            check_target(path)
    if target != "-":
        format_for(target)
        refuse_overwrite([target], inputs)
    if accounts_target is not None:
        refuse_overwrite([accounts_target], [*inputs, *([previous] if previous is not None else [])],
                         what="the account table", option="--accounts-output")  # fmt: skip
        for other, used in (("-o", target), ("--changes", changes_output)):
            if used is not None and used != "-" and Path(used).resolve() == Path(accounts_target).resolve():
                raise UsageError(
                    f"{other} and --accounts-output both name {accounts_target}; give them different files"
                )
    if changes_output is not None:
        format_for(changes_output, "--changes")
        changes_inputs = [*inputs, *([previous] if previous is not None else [])]
        refuse_overwrite([changes_output], changes_inputs, what="the changed rows", option="--changes")
        if target != "-" and Path(target).resolve() == Path(changes_output).resolve():
            raise UsageError(f"--changes and -o both name {changes_output}; give them different files")


def _check_leads(
    frame: pl.LazyFrame, model: Model | SegmentedModel, label: str, dedupe: Dedupe | None
) -> tuple[pl.LazyFrame, IdCheck | None, list[str], list[str]]:
    """Refuse a file with no rows; check the ids; drop repeated ids if asked.

    Returns the leads to score, the id check, notices and warnings.
    """
    if model.id_column not in frame.collect_schema():
        return frame, None, [], []  # scoring names the missing columns, with close matches
    ids = check_ids(frame, model.id_column, model.null_values)
    if ids.rows == 0:
        raise no_rows(label)
    frame, notices = deduplicated(frame, ids, model.id_column, label, dedupe, model.null_values)
    warnings = id_warnings(ids, model.id_column, label, deduped=dedupe is not None)
    return frame, ids, notices, warnings


def _output_warnings(
    result: ScoredLeads, target: str, changes_output: str | Path | None, only_changes: bool
) -> list[str]:
    """What the files :func:`_write_outputs` writes will not keep (text too long for .xlsx)."""
    frame = changed_rows(result.ranked) if only_changes else result.ranked
    found = output_warnings(frame, target)
    if changes_output is not None:
        found += output_warnings(changed_rows(result.ranked), changes_output)
    return found


def _write_outputs(
    result: ScoredLeads,
    target: str,
    changes_output: str | Path | None,
    only_changes: bool,
    safe_csv: bool,
    separator: str,
) -> int:
    """Write the ranked leads (only the changed ones if asked) and the changes file; return rows written."""
    write = functools.partial(write_table, safe_csv=safe_csv, xlsx_styles=xlsx_style(result.model),
                              separator=separator)  # fmt: skip
    frame = changed_rows(result.ranked) if only_changes else result.ranked
    if changes_output is not None:
        write(changed_rows(result.ranked), changes_output)
    write(frame, target)
    return frame.height


def explain_file(
    ids: Sequence[str],
    sources: Sequence[str | Path],
    model: ScoringPlan | Model | SegmentedModel | str | Path | None = None,
    *,
    as_of: dt.date | None = None,
    options: ReadOptions | None = None,
    events: Sequence[str | Path] | None = None,
    adjustments: Sequence[str | Path] | None = None,
    dedupe: str | None = None,
) -> list[Explanation]:
    """Explain leads by id, reading only what it takes to find them.

    ``dedupe`` (``first`` or ``last``) keeps the row of a repeated id that :func:`score_file` kept.

    The file is parsed once, for the rows with those ids (a file of bad shape is read again with
    the up-front check, as :func:`score_file` does).
    """
    plan = plan_of(model)
    as_of = as_of or dt.date.today()

    def attempt(check_rows: bool) -> list[Explanation]:
        read_options = dataclasses.replace(options or ReadOptions(), check_rows=check_rows)
        joins = matched_by_id(plan.model, events=events, adjustments=adjustments)
        read = read_leads(sources, read_options, id_column=plan.model.id_column, matched_by_id=joins)
        frame = read.frame
        keep = kept_row(dedupe)
        if keep is not None:
            frame = dedupe_rows(frame, plan.model.id_column, keep, plan.model.null_values)
        return explain_plan(
            frame,
            plan,
            ids,
            as_of=as_of,
            events=read_events(events, read_options),
            conventions=read.conventions,
            source=", ".join(read.sources),
            adjustments=read_adjustments(adjustments, plan, as_of, options),
        )

    return _checked_if_it_fails(attempt)
