"""What a model file asks for, and running it: a points model or segments of them, sales
adjustments, routing to owners and the account table.

A model file holds ``[[rules]]`` (one model) or ``[[segments]]`` (see :mod:`leadscore.segments`),
and may add ``[routing]`` (see :mod:`leadscore.routing`) and ``[accounts]`` (see
:mod:`leadscore.accounts`). :func:`score_plan` runs the steps in order: join the adjustments,
score, label the adjustment reasons, route, roll up accounts.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from leadscore.accounts import Accounts, AccountSettings, account_table, parse_accounts
from leadscore.adjustments import (
    SalesAdjustments,
    join_adjustments,
    label_reasons,
    lines_for,
    summarise,
    with_adjustment_rules,
)
from leadscore.coerce import Conventions
from leadscore.compiler import PREFIX
from leadscore.engine import ScoredLeads, score
from leadscore.errors import ModelError, counted, for_count
from leadscore.events import KEY, EventLog, lead_key
from leadscore.explain import Explanation, RuleLine, explain
from leadscore.ids import numbered
from leadscore.model import Model, parse_model, read_model_data
from leadscore.segment_scoring import explain_segments, score_segments
from leadscore.segments import SegmentedModel, is_segments_file, models_of, parse_segments

if TYPE_CHECKING:
    # routing needs numpy, a fifth of a second to import: only files with [routing] load it
    from leadscore.routing import Routing

PLAN_KEYS = ("routing", "accounts")


@dataclass(frozen=True)
class ScoringPlan:
    """A model (or segments of models), and what to do with the scores."""

    model: Model | SegmentedModel
    routing: Routing | None = None
    accounts: AccountSettings | None = None

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def source(self) -> str:
        return self.model.source

    @property
    def files(self) -> list[str]:
        """The files the plan was read from: its own, and those of the models its segments name."""
        sources = [self.source, *(m.source for m in self.models)]
        return [s for s in dict.fromkeys(sources) if Path(s).is_file()]

    @property
    def id_column(self) -> str:
        return self.model.id_column

    @property
    def null_values(self) -> tuple[str, ...]:
        return self.model.null_values

    @property
    def models(self) -> tuple[Model, ...]:
        return models_of(self.model)


def load_plan(path: str | Path) -> ScoringPlan:
    """Read and validate a model file; model files named by segments are read relative to it."""
    p = Path(path)
    return parse_plan(read_model_data(p), source=str(p), base_dir=p.parent)


def parse_plan(data: Mapping[str, Any], source: str = "model", base_dir: Path | None = None) -> ScoringPlan:
    """Validate a model file's contents. Raises :class:`ModelError` listing every problem."""
    problems: list[str] = []
    core = {k: v for k, v in data.items() if k not in PLAN_KEYS}
    model: Model | SegmentedModel | None = None
    try:
        model = (
            parse_segments(core, source, base_dir) if is_segments_file(core) else parse_model(core, source)
        )
    except ModelError as exc:
        problems += exc.problems
    routing, accounts = None, None
    if "routing" in data:
        from leadscore.routing import parse_routing

        routing, found = parse_routing(data["routing"])
        problems += found
    if "accounts" in data:
        accounts, found = parse_accounts(data["accounts"])
        problems += found
    if routing is not None and model is not None and routing.route == "qualified" and not model.has_qualify:
        problems.append(
            "[routing] routes qualified leads, but the model has no [qualify]; add [qualify] min_score = ..., "
            'or set route = "all" in [routing]'
        )
    if problems or model is None:
        raise ModelError(problems, source)
    return ScoringPlan(model, routing, accounts)


def spelt_for(adjustments: SalesAdjustments, model: Model | SegmentedModel) -> SalesAdjustments:
    """The adjustments with the dimensions spelt as the model's (any of its segments')."""
    models = models_of(model)
    return adjustments.spelt_as(list(dict.fromkeys(d for m in models for d in m.dimension_names)))


def with_adjustments(model: Model | SegmentedModel, adjustments: SalesAdjustments) -> Model | SegmentedModel:
    dims = adjustments.dimensions
    if isinstance(model, SegmentedModel):
        return model.map_models(lambda m: with_adjustment_rules(m, dims))
    return with_adjustment_rules(model, dims)


def score_plan(
    leads: pl.DataFrame | pl.LazyFrame,
    plan: ScoringPlan | Model | SegmentedModel,
    *,
    as_of: dt.date | None = None,
    reasons: bool = True,
    conventions: Conventions = Conventions(),
    source: str = "the leads file",
    events: EventLog | None = None,
    adjustments: SalesAdjustments | None = None,
    accounts: str | None = None,
    reassign: bool = False,
) -> ScoredLeads:
    """Score leads as the plan says: adjustments, segments, routing and accounts included.

    ``accounts`` names the column to roll leads up by (default: ``[accounts] column``, if set).
    ``reassign`` routes leads that already have an owner too.
    """
    started = time.perf_counter()
    if not isinstance(plan, ScoringPlan):
        plan = ScoringPlan(plan)
    as_of = as_of or dt.date.today()
    lf, model = leads.lazy(), plan.model
    lf = numbered(lf, model.id_column)  # [model] id = "row" and no such column
    if adjustments is not None:
        adjustments = spelt_for(adjustments, model)
        model = with_adjustments(model, adjustments)
        lf = join_adjustments(lf, adjustments, plan.id_column)
    options: dict[str, Any] = {
        "as_of": as_of,
        "reasons": reasons,
        "conventions": conventions,
        "source": source,
        "events": events,
    }
    result = (
        score_segments(lf, model, **options)
        if isinstance(model, SegmentedModel)
        else score(lf, model, **options)
    )
    frame = result.ranked.drop([c for c in result.ranked.columns if c.startswith(PREFIX)])
    notices = list(result.notices)
    summary = None
    if adjustments is not None:
        frame = label_reasons(frame, adjustments, plan.id_column)
        summary = summarise(adjustments, frame.lazy().select(lead_key(plan.id_column).alias(KEY)))
        notices += summary.notices(as_of)
        notices += _rounding_notice(adjustments, plan.models)
    routed = None
    if plan.routing is not None:
        from leadscore.routing import route

        frame, routed = route(
            frame, plan.routing, id_column=plan.id_column, as_of=as_of, null_values=plan.null_values,
            reassign=reassign, conventions=conventions,
        )  # fmt: skip
    column = accounts or (plan.accounts.column if plan.accounts is not None else None)
    table = None
    if column is not None:
        method = plan.accounts.score if plan.accounts is not None else "max"
        rolled = account_table(
            frame, column, id_column=plan.id_column, score=method, null_values=plan.null_values
        )
        table = Accounts(rolled, column, method)
    return replace(
        result, frame=frame, model=model, notices=tuple(notices), adjustments=summary, routing=routed,
        accounts=table, seconds=time.perf_counter() - started,
    )  # fmt: skip


def _rounding_notice(adjustments: SalesAdjustments, models: Sequence[Model]) -> list[str]:
    fractional = adjustments.rows.filter(pl.col("points").round(0) != pl.col("points")).height
    if fractional and any(m.integral for m in models):
        return [
            f"{counted(fractional, 'adjustment')} in {adjustments.source} "
            f"{for_count(fractional, 'has', 'have')} a fraction of a point; the model gives whole points, so "
            f"{for_count(fractional, 'it is', 'they are')} rounded"
        ]
    return []


def explain_plan(
    leads: pl.LazyFrame | pl.DataFrame,
    plan: ScoringPlan | Model | SegmentedModel,
    ids: Sequence[str],
    *,
    as_of: dt.date,
    events: EventLog | None = None,
    conventions: Conventions = Conventions(),
    source: str = "the leads file",
    adjustments: SalesAdjustments | None = None,
) -> list[Explanation]:
    """Explain leads as :func:`score_plan` scores them: segment, rules, and each adjustment."""
    model = plan.model if isinstance(plan, ScoringPlan) else plan
    lf = numbered(leads.lazy(), model.id_column)
    if adjustments is not None:
        adjustments = spelt_for(adjustments, model)
        model = with_adjustments(model, adjustments)
        lf = join_adjustments(lf, adjustments, model.id_column)
    options: dict[str, Any] = {
        "as_of": as_of,
        "events": events,
        "conventions": conventions,
        "source": source,
    }
    if isinstance(model, SegmentedModel):
        found = explain_segments(lf, model, ids, **options)
    else:
        found = explain(lf, model, ids, **options)
    if adjustments is None:
        return found
    return [
        replace(
            e, rules=tuple(_hide_internal(r) for r in e.rules), adjustments=lines_for(adjustments, e.lead_id)
        )
        for e in found
    ]


def _hide_internal(line: RuleLine) -> RuleLine:
    """An adjustment rule reads an internal column; its explanation lists the file's rows instead."""
    if any(c.startswith(PREFIX) for c in line.values):
        return replace(line, values={})
    return line
