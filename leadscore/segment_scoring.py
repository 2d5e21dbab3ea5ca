"""Score and explain leads with a :class:`~leadscore.segments.SegmentedModel`, in one lazy query.

The segment of every lead is computed once (the first ``when`` that holds, as one coalesce of
when/then branches). Each segment's leads are scored with that segment's model by the very
query :func:`leadscore.engine.build_query` builds; the parts are stacked and ranked together
(score highest first, ties by id, then input order). Leads no segment takes stay in the output
with an empty segment and score, and are counted in a warning. The per-segment statistics are
aggregates of the same plan, collected with the leads in one ``collect_all``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl

from leadscore.coerce import Conventions
from leadscore.compiler import PREFIX, Context, compile_predicate
from leadscore.engine import (
    GRADE,
    QUALIFIED,
    RANK,
    REASONS,
    SCORE,
    TIER,
    ScoredLeads,
    ScoringQuery,
    build_query,
    dimension_column,
    missing_columns,
    replaced_messages,
    rule_stats_table,
)
from leadscore.errors import (
    InputError,
    LeadsNotFound,
    counted,
    did_you_mean,
    for_count,
    missing_columns_error,
    unreadable_columns_error,
)
from leadscore.events import KEY, EventLog, event_features, event_messages, lead_key, require_events
from leadscore.explain import Explanation, explain, not_found_message
from leadscore.model import Condition, leaf_conditions, predicate_columns
from leadscore.readability import readability_messages
from leadscore.segments import SEGMENT, Segment, SegmentedModel, condition_text

ROW = f"{PREFIX}row"  # input order, the last tie-breaker of the ranking
INDEX = f"{PREFIX}segment"  # position of the segment that takes the lead (0-based), null for none


@dataclass(frozen=True)
class SegmentResult:
    """What one segment did in a run: how many leads it scored and what its rules gave."""

    segment: Segment
    rows: int
    rule_stats: pl.DataFrame


def output_columns(sm: SegmentedModel, reasons: bool = True) -> list[str]:
    """The columns a segmented run adds: ``segment``, then the union of the segments' columns."""
    dims = list(dict.fromkeys(d for m in sm.models for d in m.dimension_names))
    cols = [SEGMENT, SCORE, *(dimension_column(d) for d in dims)]
    cols += [c for c, on in ((TIER, any(m.tiers for m in sm.models)),
                             (GRADE, any(m.grades is not None for m in sm.models)),
                             (QUALIFIED, sm.has_qualify)) if on]  # fmt: skip
    cols.append(RANK)
    if reasons:
        cols.append(REASONS)
    return cols


def segment_index(sm: SegmentedModel, ctx: Context) -> pl.Expr:
    """The 0-based position of the first segment whose ``when`` holds; null when none does."""
    branches = [
        pl.when(compile_predicate(s.when, ctx) if s.when is not None else pl.lit(True)).then(
            pl.lit(i, dtype=pl.Int32)
        )
        for i, s in enumerate(sm.segments)
    ]
    return pl.coalesce(branches)


def missing_segment_columns(sm: SegmentedModel, names: Sequence[str], source: str) -> list[str]:
    """One message per column a segment's ``when`` or model needs that the input does not have."""
    have = list(names)
    problems = missing_columns(sm.models[0], have, source)[:1] if sm.id_column not in have else []
    with_id = [*have, sm.id_column]
    for seg in sm.segments:
        for column in predicate_columns(seg.when):
            if column not in have:
                close = did_you_mean(column, have)
                fix = "" if close else "; add it to the export, or point the when at a column the file has"
                problems.append(f"{seg.label} when: column '{column}' is not in {source}{close}{fix}")
        problems += [f"{seg.label}: {p}" for p in missing_columns(seg.model, with_id, source)]
    return problems


@dataclass(frozen=True)
class _Plan:
    ranked: pl.LazyFrame
    counts: pl.LazyFrame
    parts: list[ScoringQuery]
    replaced: tuple[str, ...]


def _build(
    leads: pl.LazyFrame,
    sm: SegmentedModel,
    *,
    as_of: dt.date,
    reasons: bool,
    conventions: Conventions,
    source: str,
    events: EventLog | None,
) -> _Plan:
    for model in sm.models:
        require_events(model, events)
    schema = leads.collect_schema()
    problems = missing_segment_columns(sm, schema.names(), source)
    if problems:
        raise missing_columns_error(problems, source)
    outputs = output_columns(sm, reasons)
    replaced = tuple(c for c in outputs if c in schema.names())
    if replaced:
        leads = leads.drop(replaced)
        schema = leads.collect_schema()
    input_cols = schema.names()
    ctx = Context(dict(schema), sm.null_values, as_of, conventions)
    index = segment_index(sm, ctx)  # compiling registers the readings add_readings adds
    base = (
        ctx.add_readings(leads.with_row_index(ROW))
        .with_columns(index.alias(INDEX))
        .select([*input_cols, ROW, INDEX])
        .cache()  # every segment, the unmatched leads and the counts read it: compute it once
    )
    parts, frames = [], []
    for i, seg in enumerate(sm.segments):
        query = build_query(
            base.filter(pl.col(INDEX) == i), seg.model, as_of=as_of, reasons=reasons,
            conventions=conventions, source=source, events=events,
        )  # fmt: skip
        keep = [c for c in query.ranked.collect_schema().names() if c != RANK]
        parts.append(query)
        frames.append(query.detail.select(keep))
    frames.append(base.filter(pl.col(INDEX).is_null()))
    names = {i: s.name for i, s in enumerate(sm.segments)}
    stacked = pl.concat(frames, how="diagonal_relaxed").with_columns(
        pl.col(INDEX).replace_strict(names, default=None, return_dtype=pl.String).alias(SEGMENT)
    )
    produced = stacked.collect_schema().names()
    absent = [c for c in outputs if c not in produced and c != RANK]  # e.g. no lead reached a segment
    if absent:
        stacked = stacked.with_columns(pl.lit(None).alias(c) for c in absent)
    ranked = (
        stacked.sort([SCORE, sm.id_column, ROW], descending=[True, False, False], nulls_last=True)
        .with_row_index(RANK, offset=1)
        .with_columns(pl.col(RANK).cast(pl.Int64))
        .select([*input_cols, *outputs])
    )
    counts = base.group_by(INDEX).len()
    return _Plan(ranked, counts, parts, replaced)


def score_segments(
    leads: pl.DataFrame | pl.LazyFrame,
    sm: SegmentedModel,
    *,
    as_of: dt.date | None = None,
    reasons: bool = True,
    conventions: Conventions = Conventions(),
    source: str = "the leads file",
    events: EventLog | None = None,
) -> ScoredLeads:
    """Score each lead with the model of the first segment it matches, and rank them all together.

    The result's ``frame`` has a ``segment`` column; ``segments`` says what each segment did.
    """
    started = time.perf_counter()
    as_of = as_of or dt.date.today()
    lf = leads.lazy()
    plan = _build(
        lf,
        sm,
        as_of=as_of,
        reasons=reasons,
        conventions=conventions,
        source=source,
        events=events,
    )
    queries: list[pl.LazyFrame] = [plan.ranked, plan.counts]
    for part in plan.parts:
        queries.append(part.rule_stats)
        if part.readability is not None:
            queries.append(part.readability)
    event_model = next((m for m in sm.models if m.event_rules), None)
    if event_model is not None and events is not None:
        keys = lf.select(lead_key(sm.id_column).alias(KEY))
        queries.append(event_features(event_model, events, as_of, keys, conventions=conventions).stats)
    results = iter(pl.collect_all(queries))
    frame, counts = next(results), next(results)
    by_index = dict(counts.rows())
    notices, warnings = replaced_messages(plan.replaced)
    warnings += sm.unreachable()
    errors, per_segment, all_stats = [], [], []
    for i, (seg, part) in enumerate(zip(sm.segments, plan.parts, strict=True)):
        stats = rule_stats_table(seg.model, next(results))
        if part.readability is not None:
            bad, read_warnings = readability_messages(seg.model, part.context, next(results))
            errors += [f"{seg.label}: {e}" for e in bad]
            warnings += [f"{seg.label}: {w}" for w in read_warnings]
        per_segment.append(SegmentResult(seg, int(by_index.get(i, 0)), stats))
        all_stats.append(stats.select(pl.lit(seg.name).alias(SEGMENT), pl.all()))
    if errors:
        raise unreadable_columns_error(errors)
    unmatched = int(by_index.get(None, 0))
    if unmatched:
        warnings.append(
            f"{counted(unmatched, 'lead')} {for_count(unmatched, 'matches', 'match')} no segment and "
            f"{for_count(unmatched, 'was', 'were')} not scored (their segment and score are empty); "
            "add a last segment without 'when' to score them"
        )
    event_stats = None
    if event_model is not None and events is not None:
        event_row = next(results)
        event_stats = {k: int(v) for k, v in event_row.row(0, named=True).items()}
        notices += event_messages(event_row, events, as_of)
    return ScoredLeads(
        frame=frame,
        model=sm,
        as_of=as_of,
        rule_stats=pl.concat(all_stats),
        warnings=tuple(warnings),
        notices=tuple(notices),
        seconds=time.perf_counter() - started,
        event_stats=event_stats,
        segments=tuple(per_segment),
    )


# ---------------------------------------------------------------------------------------------
# Explanations


def explain_segments(
    leads: pl.LazyFrame | pl.DataFrame,
    sm: SegmentedModel,
    ids: Sequence[str],
    *,
    as_of: dt.date,
    events: EventLog | None = None,
    conventions: Conventions = Conventions(),
    source: str = "the leads file",
) -> list[Explanation]:
    """Explain leads scored by segments: the segment that took each one, why, and its model's story."""
    lf = leads.lazy()
    wanted = list(dict.fromkeys(str(i).strip() for i in ids))
    schema = lf.collect_schema()
    problems = missing_segment_columns(sm, schema.names(), source)
    if problems:
        raise missing_columns_error(problems, source)
    key = lead_key(sm.id_column)
    ctx = Context(dict(schema), sm.null_values, as_of, conventions)
    index = segment_index(sm, ctx)
    leaves = {
        (i, j): compile_predicate(c, ctx).fill_null(False).alias(f"{PREFIX}leaf_{i}_{j}")
        for i, s in enumerate(sm.segments)
        for j, c in enumerate(leaf_conditions(s.when))
    }
    subset = lf.filter(key.is_in(wanted))
    found = (
        ctx.add_readings(subset)
        .select(key.alias(KEY), index.alias(INDEX), *leaves.values(), *sm.when_columns)
        .collect()
    )
    missing = [i for i in wanted if i not in set(found[KEY].to_list())]
    if missing:
        raise LeadsNotFound(not_found_message(lf, key, missing, source), missing)
    unscored = found.filter(pl.col(INDEX).is_null())[KEY].unique(maintain_order=True).to_list()
    if unscored:
        raise InputError(
            f"lead {', '.join(repr(u) for u in unscored)} matches no segment of {sm.source}, so it has no "
            "score; add a last segment without 'when' to score such leads"
        )
    base = ctx.add_readings(lf).with_columns(index.alias(INDEX)).select([*schema.names(), INDEX])
    by_id: dict[str, list[Explanation]] = {}
    for i, seg in enumerate(sm.segments):
        rows = found.filter(pl.col(INDEX) == i)
        if rows.is_empty():
            continue
        reasons = {r[KEY]: _segment_reason(seg, i, r) for r in rows.to_dicts()}
        part = base.filter(pl.col(INDEX) == i)
        chosen = rows[KEY].unique(maintain_order=True).to_list()
        for e in explain(
            part,
            seg.model,
            chosen,
            as_of=as_of,
            events=events,
            conventions=conventions,
            source=source,
        ):
            by_id.setdefault(e.lead_id, []).append(
                replace(e, segment=seg.name, segment_reason=reasons[e.lead_id])
            )
    return [e for wanted_id in wanted for e in by_id.get(wanted_id, [])]


def _segment_reason(seg: Segment, index: int, row: dict[str, object]) -> str:
    """The conditions of ``when`` that held for this lead, with the lead's values."""
    if seg.when is None:
        return "the fallback: no segment before it matched"
    held = [
        _held_text(c, row[c.column])
        for j, c in enumerate(leaf_conditions(seg.when))
        if row[f"{PREFIX}leaf_{index}_{j}"]
    ]
    return "; ".join(held)


def _held_text(cond: Condition, value: object) -> str:
    shown = (
        value.isoformat()
        if isinstance(value, dt.date)
        else "(empty)"
        if value is None
        else str(value).strip()
    )
    return f"{cond.column} {shown} {condition_text(cond)}"
