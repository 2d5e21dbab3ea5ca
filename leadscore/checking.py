"""``check``: validate a model and, given leads, that they have what the model needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from leadscore.engine import missing_columns
from leadscore.errors import counted, missing_columns_error
from leadscore.ids import check_ids, id_warnings
from leadscore.inputs import MODEL_FILE, matched_by_id, read_events, read_leads, resolve_model
from leadscore.io import ReadOptions
from leadscore.io.readers import no_rows
from leadscore.model import Model
from leadscore.model.bounds import unreachable_thresholds
from leadscore.plan import ScoringPlan, score_plan
from leadscore.segment_scoring import missing_segment_columns
from leadscore.segments import SegmentedModel, predicate_text


def describe_model(model: Model) -> str:
    dims = ", ".join(model.dimension_names)
    parts = [f"{counted(len(model.rules), 'rule')} in {counted(len(model.dimensions), 'dimension')} ({dims})"]
    if model.tiers:
        parts.append("tiers " + "/".join(b.label for b in model.tiers))
    if model.grades is not None:
        parts.append("grades")
    if model.min_score is not None:
        parts.append(f"qualifies at {model.min_score:g}")
    return f"model '{model.name}': " + ", ".join(parts)


def describe_plan(plan: ScoringPlan) -> list[str]:
    """The model (or segments), then routing and accounts, one line each; the first line is short."""
    model = plan.model
    if isinstance(model, Model):
        lines = [describe_model(model)]
    else:
        lines = [
            f"segments '{model.name}': {counted(len(model.segments), 'segment')}, the first that matches scores a lead"
        ]
        for seg in model.segments:
            origin = f" (from {seg.source})" if seg.source != "inline" else " (inline)"
            when = f"when {predicate_text(seg.when)}" if seg.when is not None else "the fallback"
            lines.append(f"  {seg.label}, {when}: {describe_model(seg.model)}{origin}")
    if plan.routing is not None:
        r = plan.routing
        what = "qualified leads" if r.route == "qualified" else "every lead"
        lines.append(
            f"  routing: {counted(len(r.rules), 'rule')} share {what} between {counted(len(r.reps), 'owner')} "
            f"in '{r.owner_column}'"
        )
    if plan.accounts is not None:
        column = f" by '{plan.accounts.column}'" if plan.accounts.column else ""
        lines.append(f"  accounts{column}: account score is {plan.accounts.score} of the lead scores")
    return lines


def check_model(
    model_path: str | Path | None,
    inputs: Sequence[str | Path] = (),
    *,
    as_of: dt.date | None = None,
    options: ReadOptions | None = None,
    events: Sequence[str | Path] | None = None,
) -> list[str]:
    """Lines describing what was checked. Raises ModelError or InputError on the first failing step.

    ``options`` say how to read the leads (and the activity log, as ``score`` reads it).
    ``events`` is the activity log for the model's event rules: its columns are checked, and
    the rules run on it, as ``score --events`` would.

    ``model_path`` None checks the model ``score`` would use with no ``--model``: ./leadscore.toml,
    else the built-in one.

    Every model file a segment names is validated too, and segments that can never match are
    warned about. With leads, the model is also run on them, so unreadable values, segments that
    match no lead and rules that fire for no lead are reported as warnings.
    """
    choice = resolve_model(model_path)
    plan = choice.plan
    first, *rest = describe_plan(plan)
    named = {"given": str(model_path), "project": MODEL_FILE, "built-in": "the built-in model"}
    lines = [f"{named[choice.origin]}: OK, {first}", *rest]
    model = plan.model
    lines += [f"warning: {w}" for w in _unreachable(model)]
    if not inputs:
        if isinstance(model, SegmentedModel):
            lines += [f"warning: {w}" for w in model.unreachable()]
        return lines
    joins = matched_by_id(model, events=events)
    read = read_leads(list(inputs), options, id_column=model.id_column, matched_by_id=joins)
    source = ", ".join(read.sources)
    names = read.frame.collect_schema().names()
    if isinstance(model, SegmentedModel):
        problems = missing_segment_columns(model, names, source)
    else:
        problems = missing_columns(model, names, source)
    if problems:
        raise missing_columns_error(problems, source)
    ids = check_ids(read.frame, model.id_column, model.null_values)
    if ids.rows == 0:
        raise no_rows(source)  # as score refuses it
    log = read_events(events, options)
    result = score_plan(
        read.frame,
        plan,
        as_of=as_of,
        source=source,
        reasons=False,
        conventions=read.conventions,
        events=log,
    )
    needed = len(model.lead_columns) - read.numbered  # a numbered id is no column of the file
    lines.append(f"{source}: OK, {result.rows:,} rows; all {needed} columns the model reads are there")
    lines += [f"note: {n}" for n in [*read.notices, *result.notices]]
    lines += [f"warning: {w}" for w in [*id_warnings(ids, model.id_column, source), *result.warnings]]
    if isinstance(model, SegmentedModel):
        unreachable = {
            s.label for s in model.segments if any(w.startswith(s.label) for w in model.unreachable())
        }
        for part in result.segments:
            label = part.segment.label
            if part.rows == 0 and label not in unreachable:
                lines.append(f"warning: {label} matches no lead in {source}")
            elif part.rows:
                lines += _unfired(part.rule_stats, source, f"{label}: ")
    else:
        lines += _unfired(result.rule_stats, source)
    if result.routing is not None and result.routing.unrouted:
        lines.append(
            f"warning: routing leaves {result.routing.unrouted:,} leads without an owner "
            "(no routing rule matches them, or every rep of the rules that do is full)"
        )
    return lines


def _unreachable(model: Model | SegmentedModel) -> list[str]:
    if isinstance(model, Model):
        return unreachable_thresholds(model)
    return [f"{s.label}: {w}" for s in model.segments for w in unreachable_thresholds(s.model)]


def _unfired(rule_stats: pl.DataFrame, source: str, prefix: str = "") -> list[str]:
    return [
        f"warning: {prefix}rule '{row['rule']}' (#{row['position']}) fired for no lead in {source}"
        for row in rule_stats.filter(pl.col("hits") == 0).to_dicts()
    ]
