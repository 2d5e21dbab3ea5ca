"""Files in, files out: the library's ``score_file`` and what the command line builds on.

This is the one place that joins reading, the model, scoring and writing, so the CLI stays a
thin layer of options and messages.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from leadscore.adjustments import SalesAdjustments, read_adjustments_file
from leadscore.engine import TIER, ScoredLeads
from leadscore.errors import UsageError
from leadscore.events import EventLog
from leadscore.explain import Explanation
from leadscore.io import (
    ReadOptions,
    ReadResult,
    XlsxStyle,
    format_for,
    read_table,
    refuse_overwrite,
    write_table,
)
from leadscore.model import Model, default_model
from leadscore.plan import ScoringPlan, explain_plan, load_plan, score_plan
from leadscore.segments import SegmentedModel

MODEL_FILE = "leadscore.toml"
TIER_COLOURS = ("#F8696B", "#FFD966", "#9BC2E6")  # top tier red, middle ones yellow, lowest blue


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
    local = Path.cwd() / MODEL_FILE
    if local.is_file():
        return ModelChoice(load_plan(local), "project")
    return ModelChoice(ScoringPlan(default_model()), "built-in")


def _plan(model: ScoringPlan | Model | SegmentedModel | str | Path | None) -> ScoringPlan:
    if isinstance(model, ScoringPlan):
        return model
    if isinstance(model, Model | SegmentedModel):
        return ScoringPlan(model)
    return resolve_model(model).plan


def read_leads(sources: Sequence[str | Path], options: ReadOptions | None = None) -> ReadResult:
    """Read one or more leads files (stacked) lazily. See :func:`leadscore.io.read_table`."""
    if not sources:
        raise UsageError("no input file given; name a leads file, e.g. leadscore score leads.csv")
    return read_table(list(sources), options or ReadOptions())


def read_events(sources: Sequence[str | Path] | None, options: ReadOptions | None = None) -> EventLog | None:
    """Read an activity log (any input format); None when no file is given."""
    if not sources:
        return None
    opts = options or ReadOptions()
    read = read_table(list(sources), ReadOptions(encoding=opts.encoding, separator=opts.separator))
    return EventLog(read.frame, ", ".join(read.sources))


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


def read_adjustments(
    sources: Sequence[str | Path] | None,
    plan: ScoringPlan,
    as_of: dt.date,
    options: ReadOptions | None,
    dayfirst: bool,
) -> SalesAdjustments | None:
    if not sources:
        return None
    return read_adjustments_file(
        sources, id_column=plan.id_column, as_of=as_of, null_values=plan.null_values,
        encoding=(options or ReadOptions()).encoding, dayfirst=dayfirst,
    )  # fmt: skip


def xlsx_style(plan: ScoringPlan | Model) -> XlsxStyle:
    """Tier colours: the top tier red, middle ones yellow, the lowest blue (any model's tiers)."""
    models = plan.models if isinstance(plan, ScoringPlan) else (plan,)
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
    dayfirst: bool = False,
    events: Sequence[str | Path] | None = None,
    adjustments: Sequence[str | Path] | None = None,
    accounts: str | None = None,
    accounts_output: str | Path | None = None,
    reassign: bool = False,
) -> ScoredLeads:
    """Read leads, score them and write the ranked file; return the result for a report.

    ``model`` may be a :class:`Model`, a path, or None for ./leadscore.toml or the built-in model.
    ``output`` defaults to ``<input stem>.scored.csv`` in the current folder; ``"-"`` is stdout.
    With ``accounts`` (a column, or the model's ``[accounts] column``) the account table is written
    to ``accounts_output``, by default ``<output stem>.accounts.csv`` beside the output.
    """
    started = time.perf_counter()
    plan = _plan(model)
    as_of = as_of or dt.date.today()
    target = str(output) if output is not None else str(default_output_path(sources))
    account_column = accounts or (plan.accounts.column if plan.accounts is not None else None)
    if accounts_output is not None and account_column is None:
        raise UsageError("--accounts-output needs --accounts COLUMN (the column naming each lead's account)")
    accounts_target = None
    if account_column is not None:
        accounts_target = str(accounts_output or default_accounts_path(target, sources))
        format_for(accounts_target)
        if accounts_target == target:
            raise UsageError(f"the accounts table and the scored leads would both be written to {target}")
    outputs = [t for t in (target, accounts_target) if t is not None and t != "-"]
    if target != "-":
        format_for(target)
    refuse_overwrite(outputs, [s for s in [*sources, *(adjustments or [])] if str(s) != "-"])
    read = read_leads(sources, options)
    label = ", ".join(read.sources) or "the leads file"
    result = score_plan(
        read.frame, plan, as_of=as_of, reasons=reasons, dayfirst=dayfirst, source=label,
        events=read_events(events, options), adjustments=read_adjustments(adjustments, plan, as_of, options, dayfirst),
        accounts=account_column, reassign=reassign,
    )  # fmt: skip
    write_table(result.frame, target, safe_csv=safe_csv, xlsx_styles=xlsx_style(plan))
    if result.accounts is not None and accounts_target is not None:
        write_table(result.accounts.frame, accounts_target, safe_csv=safe_csv)
        result = replace(result, accounts=replace(result.accounts, output=accounts_target))
    return replace(
        result,
        seconds=time.perf_counter() - started,
        sources=tuple(read.sources),
        notices=(*read.notices, *result.notices),
        output=target,
    )


def explain_file(
    ids: Sequence[str],
    sources: Sequence[str | Path],
    model: ScoringPlan | Model | SegmentedModel | str | Path | None = None,
    *,
    as_of: dt.date | None = None,
    options: ReadOptions | None = None,
    events: Sequence[str | Path] | None = None,
    dayfirst: bool = False,
    adjustments: Sequence[str | Path] | None = None,
) -> list[Explanation]:
    """Explain leads by id, reading only what it takes to find them."""
    plan = _plan(model)
    as_of = as_of or dt.date.today()
    read = read_leads(sources, options)
    return explain_plan(
        read.frame,
        plan,
        ids,
        as_of=as_of,
        events=read_events(events, options),
        dayfirst=dayfirst,
        source=", ".join(read.sources),
        adjustments=read_adjustments(adjustments, plan, as_of, options, dayfirst),
    )
