"""Measure any model, learnt or hand-written, on history with outcomes.

The history is scored with the model exactly as ``leadscore score`` would; then the scores are
set against the outcomes: how well they rank (AUC, Gini, KS), how conversions spread over
score bands (gains), per tier and per grade, what the qualify rule sends to sales (precision
and recall), and which threshold would give a wanted MQL share or conversion rate.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from leadscore.coerce import Conventions
from leadscore.compiler import PREFIX
from leadscore.engine import GRADE, QUALIFIED, SCORE, TIER, output_columns
from leadscore.errors import InputError, UsageError
from leadscore.events import EventLog, lead_key
from leadscore.ids import Dedupe
from leadscore.model import Model
from leadscore.plan import score_plan
from leadscore.predictive import metrics
from leadscore.predictive.history_ids import one_row_per_lead
from leadscore.predictive.holdout import Holdout, split_newest
from leadscore.predictive.outcome import read_outcome, require_both_outcomes
from leadscore.segments import SegmentedModel, models_of

DEFAULT_MQL_RATES = (0.10, 0.20, 0.30)
# A share of leads within a quarter of the one wanted (and within a point) is near enough to it;
# tied scores can make every threshold far from it: 44% of leads or 2%, and nothing between.
NEAR_SHARE = 0.25
NEAR_SHARE_POINTS = 0.01
OUTCOME = f"{PREFIX}outcome"
FEW_POSITIVES = 30


@dataclass(frozen=True)
class Advice:
    """A threshold that meets a goal, and what it would have selected."""

    goal: str  # "share" (of leads qualified) or "precision" (conversion rate among them)
    target: float
    selection: metrics.Selection | None  # None: no threshold reaches the goal
    # share goals: the nearest thresholds that select fewer and more leads than wanted
    fewer: metrics.Selection | None = None
    more: metrics.Selection | None = None

    @property
    def reached(self) -> bool:
        """Whether the advised threshold meets the goal: a conversion rate at least the one
        asked for, or a share of leads near the one asked for (see :data:`NEAR_SHARE`)."""
        if self.selection is None:
            return False
        if self.goal != "share":
            return True
        return abs(self.selection.share - self.target) <= max(NEAR_SHARE_POINTS, NEAR_SHARE * self.target)

    def to_dict(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "target": self.target,
            "selection": self.selection.to_dict() if self.selection else None,
            "reached": self.reached,
        }


def share_advice(scores: npt.NDArray[np.float64], y: npt.NDArray[np.bool_], share: float) -> Advice:
    """The threshold whose share of leads is closest to ``share``, and the nearest on each side."""
    fewer, more = metrics.shares_around(scores, y, share)
    return Advice("share", share, metrics.closest_share(fewer, more, share), fewer, more)


@dataclass(frozen=True)
class Evaluation:
    model_name: str
    model_source: str
    as_of: dt.date
    rows: int  # rows read
    dropped: int  # rows without an outcome
    leads: int  # leads evaluated
    positives: int
    auc: float
    gini: float
    ks: float
    ks_threshold: float
    gains: list[metrics.GainsRow]
    tiers: list[metrics.GroupRate] | None
    grades: list[metrics.GroupRate] | None
    qualified: metrics.Selection | None
    min_score: float | None
    disqualify_rules: int
    advice: list[Advice]
    holdout: Holdout | None = None
    default_advice: bool = False  # no goal was given: advice for the usual MQL shares
    warnings: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    seconds: float = 0.0
    target: str = ""
    score_range: tuple[float, float] = (0.0, 0.0)

    @property
    def rate(self) -> float:
        return self.positives / self.leads if self.leads else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Everything, as plain JSON-ready values."""
        return {
            "model": {"name": self.model_name, "source": self.model_source},
            "sources": list(self.sources),
            "target": self.target,
            "as_of": self.as_of.isoformat(),
            "rows": self.rows,
            "rows_without_outcome": self.dropped,
            "leads": self.leads,
            "converted": self.positives,
            "conversion_rate": self.rate,
            "holdout": self.holdout.to_dict() if self.holdout else None,
            "auc": self.auc,
            "gini": self.gini,
            "ks": self.ks,
            "ks_threshold": self.ks_threshold,
            "score_range": list(self.score_range),
            "gains": [g.to_dict() for g in self.gains],
            "tiers": [t.to_dict() for t in self.tiers] if self.tiers is not None else None,
            "grades": [g.to_dict() for g in self.grades] if self.grades is not None else None,
            "qualified": self.qualified.to_dict() if self.qualified else None,
            "min_score": self.min_score,
            "disqualify_rules": self.disqualify_rules,
            "threshold_advice": [a.to_dict() for a in self.advice],
            "warnings": list(self.warnings),
            "seconds": self.seconds,
        }


def evaluate_model(
    frame: pl.DataFrame,
    model: Model | SegmentedModel,
    target: str,
    *,
    positive: str | None = None,
    as_of: dt.date | None = None,
    mql_rates: Sequence[float] = (),
    min_precisions: Sequence[float] = (),
    holdout_by: str | None = None,
    conventions: Conventions = Conventions(),
    source: str = "the history file",
    events: EventLog | None = None,
    dedupe: Dedupe | None = None,
) -> Evaluation:
    """Score ``frame`` (past leads with outcomes in ``target``) with ``model`` and measure it.

    ``events`` is the history's activity log, for the model's event rules. A lead on several
    rows (by the model's id) is measured once per row, with a warning; ``dedupe`` ``"first"`` or
    ``"last"`` keeps one row of each, ``"error"`` refuses the history."""
    started = time.perf_counter()
    as_of = as_of or dt.date.today()
    rows = frame.height
    frame, id_notes = one_row_per_lead(frame, model.id_column, source, dedupe, model.null_values)
    outcome = read_outcome(frame, target, positive=positive, source=source)
    require_both_outcomes(outcome, source)
    models = models_of(model)
    if target in {c for m in models for c in output_columns(m)}:
        raise UsageError(
            f"--target '{target}' is a column that scoring writes; rename that column in {source}"
        )
    # one threshold to compare advice with; segments each have their own
    min_score = model.min_score if isinstance(model, Model) else None
    known = frame.with_columns(outcome.values.alias(OUTCOME)).filter(pl.col(OUTCOME).is_not_null())
    holdout = None
    if holdout_by is not None:
        _, known, holdout = split_newest(known, holdout_by, as_of=as_of, conventions=conventions)
        held = known.get_column(OUTCOME)
        if not held.any() or held.all():
            raise InputError(
                f"the newest {holdout.rows:,} leads by '{holdout_by}' all have the same outcome; "
                "evaluate them on a longer history"
            )
    known = known.drop(OUTCOME)
    if events is not None:
        events = _without_dropped(events, model, frame, known)
    if model.id_column not in known.columns:
        # the history need not carry the model's id column: scores do not depend on it
        known = known.with_row_index(model.id_column, offset=1)
    result = score_plan(
        known,
        model,
        as_of=as_of,
        reasons=False,
        conventions=conventions,
        source=source,
        events=events,
    )
    scored = result.ranked
    # the scored leads keep every input column, the outcome too (read as it was read above)
    y = read_outcome(scored, target, positive=positive, source=source).values.to_numpy().astype(bool)
    s = scored.get_column(SCORE).cast(pl.Float64).to_numpy()
    auc = metrics.auc(s, y)
    ks, ks_at = metrics.ks(s, y)
    tiers = grades = None
    if TIER in scored.columns:
        tiers = metrics.rate_by(scored.get_column(TIER), y, [b.label for b in model.tiers])
    if GRADE in scored.columns:
        grades = metrics.rate_by(scored.get_column(GRADE), y)
    qualified = None
    if QUALIFIED in scored.columns:
        qualified = metrics.selection(scored.get_column(QUALIFIED).to_numpy(), y, min_score)
    advice = [share_advice(s, y, r) for r in mql_rates]
    advice += [Advice("precision", p, metrics.threshold_for_precision(s, y, p)) for p in min_precisions]
    default_advice = not advice
    if default_advice:
        advice = [share_advice(s, y, r) for r in DEFAULT_MQL_RATES]
    warnings = [*id_notes, *result.warnings, *result.notices]
    if auc < 0.5:
        warnings.append(
            f"AUC {auc:.3f} is below 0.5: converted leads score lower than the others, so the model ranks "
            "backwards; check the signs of the points"
        )
    if int(y.sum()) < FEW_POSITIVES:
        warnings.append(
            f"only {int(y.sum())} converted leads: the figures are rough; evaluate on a longer history"
        )
    return Evaluation(
        model_name=model.name,
        model_source=model.source,
        as_of=as_of,
        rows=rows,
        dropped=outcome.dropped,
        leads=len(y),
        positives=int(y.sum()),
        auc=auc,
        gini=metrics.gini(auc),
        ks=ks,
        ks_threshold=ks_at,
        gains=metrics.gains(s, y),
        tiers=tiers,
        grades=grades,
        qualified=qualified,
        min_score=min_score,
        disqualify_rules=sum(r.disqualify for m in models for r in m.rules),
        advice=advice,
        holdout=holdout,
        default_advice=default_advice,
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
        target=target,
        score_range=(float(np.min(s)), float(np.max(s))),
    )


def _without_dropped(
    events: EventLog, model: Model | SegmentedModel, frame: pl.DataFrame, kept: pl.DataFrame
) -> EventLog:
    """The log without the events of history leads left out (no outcome, or not held out), so
    that the events counted as matching no lead are those of ids the history does not have."""
    column = model.id_column
    if column not in frame.columns:
        return events
    all_keys = frame.select(lead_key(column).alias("key"))
    dropped = all_keys.join(kept.select(lead_key(column).alias("key")), on="key", how="anti")
    if dropped.is_empty():
        return events
    models = models_of(model)
    event_id = next((m for m in models if m.event_rules), models[0]).events.id
    keep = ~lead_key(event_id).is_in(dropped.get_column("key").implode())
    return replace(events, frame=events.frame.filter(keep))
