"""What a run reads: the model it uses, and its leads, activity log and sales adjustments.

The model is the one named, else ./leadscore.toml, else the built-in one. The readers here
wrap :func:`leadscore.io.read_table` with what a run needs on top: numbered leads for a file
without ids, and the reading options an activity log or adjustments file shares with the
leads (encoding, dates, decimal mark) and those it does not (sheet, header row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from leadscore.adjustments import SalesAdjustments, read_adjustments_file
from leadscore.errors import InputError, UsageError
from leadscore.events import EventLog
from leadscore.ids import ROW_ID, numbered
from leadscore.io import ReadOptions, ReadResult, read_table
from leadscore.model import Model, default_model
from leadscore.plan import ScoringPlan, load_plan
from leadscore.segments import SegmentedModel, models_of

MODEL_FILE = "leadscore.toml"


@dataclass(frozen=True)
class ModelChoice:
    plan: ScoringPlan
    origin: str  # "given", "project" (./leadscore.toml) or "built-in"

    @property
    def model(self) -> Model | SegmentedModel:
        return self.plan.model

    @property
    def label(self) -> str:
        if self.origin == "built-in":
            return f"the built-in model '{self.model.name}'"
        return f"{self.model.source} ('{self.model.name}')"


def resolve_model(path: str | Path | None = None) -> ModelChoice:
    """The model named on the command line, else ./leadscore.toml, else the built-in default."""
    if path is not None:
        return ModelChoice(load_plan(path), "given")
    local = model_file(None)
    if local is not None:
        return ModelChoice(load_plan(local), "project")
    return ModelChoice(ScoringPlan(default_model()), "built-in")


def plan_of(model: ScoringPlan | Model | SegmentedModel | str | Path | None) -> ScoringPlan:
    """What the library's ``model=`` arguments take: a plan, a model, a model file, or None (as
    :func:`resolve_model`)."""
    if isinstance(model, ScoringPlan):
        return model
    if isinstance(model, Model | SegmentedModel):
        return ScoringPlan(model)
    return resolve_model(model).plan


def model_file(path: str | Path | None = None) -> Path | None:
    """The model file :func:`resolve_model` would load, without loading it; None for the built-in one."""
    if path is not None:
        return Path(path)
    local = Path.cwd() / MODEL_FILE
    return local if local.is_file() else None


def read_leads(
    sources: Sequence[str | Path],
    options: ReadOptions | None = None,
    *,
    id_column: str | None = None,
    matched_by_id: Sequence[str] = (),
) -> ReadResult:
    """Read one or more leads files (stacked) lazily. See :func:`leadscore.io.read_table`.

    With ``id_column`` ``row`` and no such column in the files, the leads are numbered (see
    :func:`leadscore.ids.numbered`). ``matched_by_id`` names what would match them with another
    file by id (``--previous``...), refused then: a lead's place in this file is no id in another.
    """
    if not sources:
        raise UsageError("no input file given; name a leads file, e.g. leadscore score leads.csv")
    read = read_table(list(sources), options or ReadOptions())
    frame = read.frame if id_column is None else numbered(read.frame, id_column)
    if frame is read.frame:  # not numbered
        return read
    if matched_by_id:
        label = ", ".join(read.sources) or "the leads file"
        raise InputError(
            f"{label} has no id column, so its leads are numbered by their place in it "
            f'([model] id = "{ROW_ID}"), but {matched_by_id[0]} matches leads by id; add an id column to '
            "the export and set [model] id to it"
        )
    return replace(read, frame=frame, numbered=True)


def unused_events(model: Model | SegmentedModel, events: Sequence[str | Path] | None) -> list[str]:
    """A notice when an activity log is given to a model without event rules: it counts for nothing."""
    models = models_of(model)
    if not events or any(m.event_rules for m in models):
        return []
    return [
        f'--events {", ".join(map(str, events))}: the model has no event rules (event = "..."), so the '
        "activity log counts for nothing"
    ]


def matched_by_id(
    model: Model | SegmentedModel,
    *,
    events: Sequence[str | Path] | None = None,
    adjustments: Sequence[str | Path] | None = None,
    previous: str | Path | None = None,
) -> list[str]:
    """The options of a run that match its leads with another file by id."""
    models = models_of(model)
    found = ["--previous"] if previous is not None else []
    found += ["--adjustments"] if adjustments else []
    found += ["--events"] if events and any(m.event_rules for m in models) else []
    return found


def read_events(sources: Sequence[str | Path] | None, options: ReadOptions | None = None) -> EventLog | None:
    """Read an activity log (any input format); None when no file is given."""
    if not sources:
        return None
    opts = options or ReadOptions()
    events_options = ReadOptions(
        encoding=opts.encoding, separator=opts.separator, check_rows=opts.check_rows, dayfirst=opts.dayfirst,
        decimal_comma=opts.decimal_comma,
    )  # fmt: skip
    read = read_table(list(sources), events_options)
    return EventLog(read.frame, ", ".join(read.sources), conventions=read.conventions)


def read_adjustments(
    sources: Sequence[str | Path] | None,
    plan: ScoringPlan,
    as_of: dt.date,
    options: ReadOptions | None,
) -> SalesAdjustments | None:
    if not sources:
        return None
    opts = options or ReadOptions()
    return read_adjustments_file(
        sources, id_column=plan.id_column, as_of=as_of, null_values=plan.null_values,
        options=ReadOptions(encoding=opts.encoding, dayfirst=opts.dayfirst, decimal_comma=opts.decimal_comma),
    )  # fmt: skip
