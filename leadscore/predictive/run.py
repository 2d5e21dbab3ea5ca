"""Files in, files out for predictive scoring: what the ``fit`` and ``evaluate`` commands call.

Reading history uses the same readers as ``score`` (CSV, Excel, JSON, NDJSON, Parquet); the
learnt model is written atomically, and never over an existing file unless asked.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from leadscore.errors import UsageError
from leadscore.events import EventLog
from leadscore.ids import Dedupe
from leadscore.inputs import read_events, resolve_model
from leadscore.io import ReadOptions, read_table, refuse_overwrite
from leadscore.io.atomic import atomic_path
from leadscore.model import Model
from leadscore.predictive.evaluate import Evaluation, evaluate_model
from leadscore.predictive.fit import FitResult, fit_model
from leadscore.segments import SegmentedModel

DEFAULT_OUTPUT = "learned.toml"
STDOUT = "-"


def check_output(output: str | Path, sources: Sequence[str | Path], force: bool) -> None:
    """Refuse a model path that is not .toml, is an input, or exists (unless ``force``)."""
    if str(output) == STDOUT:
        return
    path = Path(output)
    if path.suffix.lower() != ".toml":
        raise UsageError(f"a model file is TOML: give -o a name ending in .toml, not {path.name}")
    refuse_overwrite([path], sources)
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to replace it, or choose another -o")


def history_events(
    events: Sequence[str | Path] | None, until: str | None, options: ReadOptions | None
) -> EventLog | None:
    """The history's activity log, each lead's events counted up to its date in ``until``."""
    if until is not None and not events:
        raise UsageError("--events-until needs an activity log: add --events activity.csv")
    log = read_events(events, options)
    return None if log is None else replace(log, until=until)


def fit_file(
    sources: Sequence[str | Path],
    target: str,
    *,
    output: str | Path = DEFAULT_OUTPUT,
    force: bool = False,
    options: ReadOptions | None = None,
    positive: str | None = None,
    as_of: dt.date | None = None,
    columns: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    engagement_columns: Sequence[str] | None = None,
    allow_leaks: bool = False,
    holdout_by: str | None = None,
    name: str | None = None,
    events: Sequence[str | Path] | None = None,
    events_until: str | None = None,
    dedupe: Dedupe | None = None,
) -> FitResult:
    """Read history, learn a model and write it to ``output`` (``"-"``: standard output);
    ``events`` and ``events_until`` as for :func:`evaluate_file`."""
    if not sources:
        raise UsageError("no history file given, e.g. leadscore fit history.csv --target converted")
    check_output(output, sources, force)
    read = read_table(list(sources), options or ReadOptions())
    label = ", ".join(read.sources) or "the history file"
    log = history_events(events, events_until, options)
    result = fit_model(
        read.frame.collect(), target, positive=positive, as_of=as_of, columns=columns, exclude=exclude,
        engagement_columns=engagement_columns, allow_leaks=allow_leaks, holdout_by=holdout_by,
        conventions=read.conventions, name=name, source=label, events=log, dedupe=dedupe,
    )  # fmt: skip
    if str(output) == STDOUT:
        sys.stdout.write(result.text)
        sys.stdout.flush()
    else:
        with atomic_path(output) as temp:
            temp.write_text(result.text, encoding="utf-8")
    return replace(result, sources=tuple(read.sources), output=str(output))


def evaluate_file(
    sources: Sequence[str | Path],
    target: str,
    model: Model | SegmentedModel | str | Path | None = None,
    *,
    options: ReadOptions | None = None,
    positive: str | None = None,
    as_of: dt.date | None = None,
    mql_rates: Sequence[float] = (),
    min_precisions: Sequence[float] = (),
    holdout_by: str | None = None,
    events: Sequence[str | Path] | None = None,
    events_until: str | None = None,
    dedupe: Dedupe | None = None,
) -> Evaluation:
    """Read history and measure ``model`` (a Model, a path, or None for ./leadscore.toml or the
    built-in model) on it; ``events`` are the history's activity log, counted for each lead up
    to its date in ``events_until`` (see :class:`leadscore.events.EventLog`)."""
    if not sources:
        raise UsageError("no history file given, e.g. leadscore evaluate history.csv --target converted")
    chosen = model if isinstance(model, Model | SegmentedModel) else resolve_model(model).model
    read = read_table(list(sources), options or ReadOptions())
    label = ", ".join(read.sources) or "the history file"
    log = history_events(events, events_until, options)
    result = evaluate_model(
        read.frame.collect(), chosen, target, positive=positive, as_of=as_of, mql_rates=mql_rates,
        min_precisions=min_precisions, holdout_by=holdout_by, conventions=read.conventions,
        source=label, events=log, dedupe=dedupe,
    )  # fmt: skip
    return replace(result, sources=tuple(read.sources))
