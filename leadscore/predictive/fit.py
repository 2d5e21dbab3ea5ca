"""Learn a points model from past leads and their outcomes.

The steps, each in its own module: read the outcome (:mod:`.outcome`); decide what each
column is (:mod:`.profile`); cut columns into bins that model rules can state
(:mod:`.features`, :mod:`.binning`); leave out columns that know the outcome (:mod:`.leaks`);
fit a regularised logistic regression on the bins (:mod:`.learn`); turn its weights into whole
points and pick cut-offs (:mod:`.points`); describe the result (:mod:`.summary`) and write the
model file (:mod:`.writer`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from leadscore.coerce import Conventions
from leadscore.compiler import PREFIX
from leadscore.errors import InputError, UsageError, did_you_mean
from leadscore.events import EventLog
from leadscore.ids import ROW_ID, Dedupe
from leadscore.model import Model, parse_model_text
from leadscore.predictive import leaks, monotone
from leadscore.predictive.event_counts import MIN_LEADS, WINDOW_DAYS, add_event_counts, as_event_rule
from leadscore.predictive.features import (
    Feature,
    Skipped,
    bin_spans,
    build_features,
    design_matrix,
    step_coding,
)
from leadscore.predictive.history_ids import one_row_per_lead
from leadscore.predictive.holdout import Holdout, split_newest
from leadscore.predictive.learn import Regression, cv_auc_at
from leadscore.predictive.outcome import read_outcome, require_both_outcomes
from leadscore.predictive.points import (
    QUALIFY_SHARE,
    grade_thresholds,
    share_threshold,
    tier_thresholds,
    to_points,
)
from leadscore.predictive.profile import (
    EARLIER_OUTPUT,
    NUMBER,
    earlier_output,
    guess_id_column,
    is_engagement,
    profile_columns,
)
from leadscore.predictive.summary import (
    ENGAGEMENT,
    FIT,
    ColumnUse,
    RuleEffect,
    description,
    dimension_note,
    header,
    learnt_from,
    learnt_rules,
    strongest,
)
from leadscore.predictive.writer import ModelText, model_toml

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

OUTCOME = f"{PREFIX}outcome"
FEW_ROWS = 1000
FEW_POSITIVES = 100
MIN_EACH = 10  # converted and unconverted leads needed at the very least
EXCLUDED = "excluded with --exclude"
SAME_POINTS = "learnt the same points for every value, so no rule"


@dataclass(frozen=True)
class FitResult:
    """A learnt model, its text, and what the report says about it."""

    model: Model
    text: str
    as_of: dt.date
    rows: int  # rows read
    without_outcome: int  # rows left out for having no outcome
    used: int  # rows learnt from
    positives: int
    cv_auc: float
    c: float
    folds: int
    scale: float
    odds_per_10: float
    min_score: int
    qualified_share: float
    columns: tuple[ColumnUse, ...]
    skipped: tuple[Skipped, ...]
    leaks: tuple[leaks.Leak, ...]
    raising: tuple[RuleEffect, ...]
    lowering: tuple[RuleEffect, ...]
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    sources: tuple[str, ...] = ()
    output: str | None = None
    target: str = ""
    holdout: Holdout | None = None  # the newest leads, left out of the learning
    # what was learnt, for a closer look: the binned columns and the regression on them
    features: tuple[Feature, ...] = ()
    regression: Regression | None = None
    bin_weights: tuple[float, ...] = ()  # the regression's weight of each bin, features in order

    @property
    def dropped(self) -> int:
        return self.without_outcome

    @property
    def positive_rate(self) -> float:
        return self.positives / self.used if self.used else 0.0

    def to_dict(self) -> dict[str, Any]:
        """What the report shows, as plain JSON-ready values (the model itself is the file)."""
        return {
            "model": {"name": self.model.name, "output": self.output},
            "sources": list(self.sources),
            "target": self.target,
            "as_of": self.as_of.isoformat(),
            "rows": self.rows,
            "rows_without_outcome": self.without_outcome,
            "leads": self.used,
            "converted": self.positives,
            "conversion_rate": self.positive_rate,
            "holdout": self.holdout.to_dict() if self.holdout else None,
            "cv_auc": self.cv_auc,
            "c": self.c,
            "folds": self.folds,
            "scale": self.scale,
            "odds_per_10_points": self.odds_per_10,
            "min_score": self.min_score,
            "qualified_share": self.qualified_share,
            "rules": [
                {"name": r.name, "dimension": r.dimension, "points": r.points, "event": r.event is not None}
                for r in self.model.rules
            ],
            "columns": [asdict(c) for c in self.columns],
            "skipped": [asdict(s) for s in self.skipped],
            "leaks": [asdict(leak) for leak in self.leaks],
            "raising": [asdict(e) for e in self.raising],
            "lowering": [asdict(e) for e in self.lowering],
            "warnings": list(self.warnings),
            "seconds": self.seconds,
        }


def _choose_columns(
    frame: pl.DataFrame,
    target: str,
    id_column: str | None,
    columns: Sequence[str] | None,
    exclude: Sequence[str],
) -> tuple[list[str], list[Skipped]]:
    names = frame.columns
    for option, given in (("--columns", columns or ()), ("--exclude", exclude)):
        for c in given:
            if c not in names:
                raise UsageError(f"{option}: no column '{c}' in the history{did_you_mean(c, names)}")
    if columns:
        chosen = [c for c in dict.fromkeys(columns) if c != target]
    else:
        chosen = [c for c in names if c != target]
    skipped = []
    # named with --columns or not: an old model's points are no evidence of conversion
    for c in earlier_output(names):
        if c in chosen:
            chosen.remove(c)
            skipped.append(Skipped(c, EARLIER_OUTPUT))
    if id_column in chosen and not columns:
        chosen.remove(id_column)
        skipped.append(Skipped(id_column, "the id column"))
    for c in exclude:
        if c in chosen:
            chosen.remove(c)
            skipped.append(Skipped(c, EXCLUDED))
    return chosen, skipped


def fit_model(
    frame: pl.DataFrame,
    target: str,
    *,
    positive: str | None = None,
    as_of: dt.date | None = None,
    columns: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    engagement_columns: Sequence[str] | None = None,
    allow_leaks: bool = False,
    holdout_by: str | None = None,
    conventions: Conventions = Conventions(),
    name: str | None = None,
    source: str = "the history file",
    seed: int = 0,
    events: EventLog | None = None,
    dedupe: Dedupe | None = None,
) -> FitResult:
    """Learn a points model from ``frame``, past leads with their outcome in column ``target``.

    With ``holdout_by`` (a date column) the newest 20 % of the leads are left out of the learning,
    so that :func:`~leadscore.predictive.evaluate.evaluate_model` with the same column measures
    the model on leads it has not seen.

    Returns the model (already validated, as :func:`leadscore.load_model` would read it), the
    text of its file, and what the report shows. Raises :class:`InputError` when the history
    cannot teach anything (no outcomes, one outcome only, too few leads) and
    :class:`UsageError` for options naming columns that do not exist.

    With ``events`` (the history's activity log) the count of each common event type in the 90
    days before each lead's last day is learnt from too, and written as event rules.

    A lead on several rows is learnt from once per row, with a warning; ``dedupe`` ``"first"``
    or ``"last"`` keeps one row of each, ``"error"`` refuses the history.
    """
    started = time.perf_counter()
    as_of = as_of or dt.date.today()
    rows = frame.height
    id_column = guess_id_column([c for c in frame.columns if c != target])
    frame, id_notes = one_row_per_lead(frame, id_column, source, dedupe)
    outcome = read_outcome(frame, target, positive=positive, source=source)
    require_both_outcomes(outcome, source)
    known = frame.with_columns(outcome.values.alias(OUTCOME)).filter(pl.col(OUTCOME).is_not_null())
    holdout = None
    if holdout_by is not None:
        known, _, holdout = split_newest(known, holdout_by, as_of=as_of, conventions=conventions)
    y = known.get_column(OUTCOME).to_numpy().astype(bool)
    known = known.drop(OUTCOME)
    if y.sum() < MIN_EACH or (~y).sum() < MIN_EACH:
        raise InputError(
            f"{source} has {int(y.sum())} converted and {int((~y).sum())} unconverted leads; "
            f"fit needs at least {MIN_EACH} of each (and a few hundred to learn well)"
        )
    chosen, skipped = _choose_columns(known, target, id_column, columns, exclude)
    if engagement_columns:
        for c in engagement_columns:
            if c not in known.columns:
                raise UsageError(
                    f"--engagement-columns: no column '{c}' in the history{did_you_mean(c, known.columns)}"
                )
    counts = None
    if events is not None:
        counts = add_event_counts(known, id_column, events, as_of=as_of, conventions=conventions)
        known = counts.frame
        chosen += list(counts.types)
        skipped += [Skipped(f"{t} events", f"fewer than {MIN_LEADS} leads have one") for t in counts.rare]
    profiles = profile_columns(known, chosen, as_of=as_of, conventions=conventions)
    if counts is not None:
        # a count is a number even when the history only has 0 and 1: a new lead may have 2
        profiles = [
            replace(p, kind=NUMBER, integral=True) if p.name in counts.types and p.used else p
            for p in profiles
        ]
    skipped += [Skipped(p.name, p.skip_reason or "") for p in profiles if not p.used]
    features, unbinned = build_features(known, y, profiles, as_of=as_of, conventions=conventions, seed=seed)
    skipped += unbinned

    x_all = design_matrix(known, features, as_of=as_of, conventions=conventions)
    found_leaks, keep, alone = _find_leaks(features, x_all, y, allow_leaks)
    spans = bin_spans(features)
    columns_kept = [j for span, k in zip(spans, keep, strict=True) if k for j in span]
    features = [f for f, k in zip(features, keep, strict=True) if k]
    alone = [a for a, k in zip(alone, keep, strict=True) if k]
    if not features:
        raise InputError(_nothing_usable(source, columns, skipped, found_leaks))
    x = x_all[:, columns_kept]
    features, x, coding, regression = monotone.monotone_fit(features, x, y, seed=seed)
    weights = coding @ regression.weights  # one per bin
    groups = [i for i, f in enumerate(features) for _ in f.bins]
    points = to_points(weights, groups)
    counted = counts.types if counts is not None else {}
    dims = [ENGAGEMENT if f.column in counted else _dimension(f.column, engagement_columns) for f in features]
    rules, uses, rule_of_bin, unscored = learnt_rules(features, dims, x, y, points.points)
    # a column whose bins all round to the same points has no rule: it does not change a score
    skipped += [Skipped(u.column, SAME_POINTS) for u in uses if not u.rules]
    uses = [u for u in uses if u.rules]
    rules = [as_event_rule(r, counts) if counts is not None and r.column in counted else r for r in rules]

    scores = x @ points.points.astype(np.float64)
    by_dimension = {}
    for d in (FIT, ENGAGEMENT):
        cols = [j for j, g in enumerate(groups) if dims[g] == d]
        if cols:
            by_dimension[d] = x[:, cols] @ points.points[cols].astype(np.float64)
    grades = None
    if len(by_dimension) == 2:
        fit_bands = grade_thresholds(by_dimension[FIT], "ABC")
        eng_bands = grade_thresholds(by_dimension[ENGAGEMENT], "123")
        if fit_bands and eng_bands:
            grades = (fit_bands, eng_bands)
    min_score = share_threshold(scores, QUALIFY_SHARE)
    qualified_share = float((scores >= min_score).mean())
    learnt = learnt_from(y, holdout)
    text = model_toml(
        ModelText(
            name=name or f"Learnt from {source}",
            description=description(source, as_of, learnt, regression, points.scale, points.odds_per_10),
            header=header(
                source,
                as_of,
                learnt,
                target,
                regression,
                points.scale,
                points.odds_per_10,
                skipped,
                found_leaks,
            ),
            id_column=id_column or ROW_ID,  # no id column: leads numbered by their place
            dimensions=[(d, dimension_note(d, uses)) for d in (FIT, ENGAGEMENT) if d in by_dimension],
            tiers=tier_thresholds(scores),
            tiers_comment="hot: the top 10% of the history's scores; warm: the next 20%",
            min_score=min_score,
            qualify_comment=f"{qualified_share:.0%} of the history scored this or more (aim: the top 20%)",
            grades=grades,
            grades_comment="fit letters and engagement digits split each dimension's history scores in quarters",
            rules=rules,
            unscored=unscored,
            events=counts.config if counts is not None and any(r.event for r in rules) else None,
        )
    )
    model = parse_model_text(text, source="the learnt model")
    warnings = [*id_notes, *(w for p in profiles for w in p.warnings)]
    warnings += _warnings(y, features, x, alone, regression, found_leaks, seed)
    if events is not None and counts is not None:
        warnings = [*counts.notices, *warnings]
        if events.until is None:
            warnings.append(
                f"events were counted over the {WINDOW_DAYS} days before {as_of.isoformat()} for every "
                "lead; give --events-until with the date each outcome was decided (e.g. closed_at) to "
                "count each lead's events as they stood then"
            )
    raising, lowering = strongest(features, x, y, weights, points.scale, rule_of_bin)
    return FitResult(
        model=model,
        text=text,
        as_of=as_of,
        rows=rows,
        without_outcome=outcome.dropped,
        used=len(y),
        positives=int(y.sum()),
        cv_auc=regression.cv_auc,
        c=regression.c,
        folds=regression.folds,
        scale=points.scale,
        odds_per_10=points.odds_per_10,
        min_score=min_score,
        qualified_share=qualified_share,
        columns=tuple(uses),
        skipped=tuple(skipped),
        leaks=tuple(found_leaks),
        raising=tuple(raising),
        lowering=tuple(lowering),
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
        target=target,
        holdout=holdout,
        features=tuple(features),
        regression=regression,
        bin_weights=tuple(float(w) for w in weights),
    )


SHOWN_REASONS = 5


def _nothing_usable(
    source: str, named: Sequence[str] | None, skipped: Sequence[Skipped], found: Sequence[leaks.Leak]
) -> str:
    """One line saying why no column could be used: the reasons of the columns named with
    --columns (or of the first few of the history), and --allow-leaks when a leak was one."""
    reasons = {s.column: s.reason for s in skipped}
    reasons |= {leak.column: "a likely leak" for leak in found if leak.excluded}
    shown = [c for c in dict.fromkeys(named) if c in reasons] if named else list(reasons)
    listed = ", ".join(f"'{c}' ({reasons[c]})" for c in shown[:SHOWN_REASONS])
    more = f" and {len(shown) - SHOWN_REASONS} more" if len(shown) > SHOWN_REASONS else ""
    which = "the columns named with --columns" if named else f"the columns of {source}"
    if named:
        fix = "name other columns with --columns"
    else:  # every column was tried: naming some with --columns would only try them again
        fix = "export the history with columns that say who each lead is or what it did (job title, industry, visits...)"
        if any(reason == EXCLUDED for reason in reasons.values()):
            fix = "leave fewer columns out with --exclude, or " + fix
    if any(reasons[c] == "a likely leak" for c in shown):
        fix += ", or keep a likely leak with --allow-leaks if it is known before the sale"
    return f"none of {which} could be used: {listed}{more}; {fix}"


def _dimension(column: str, engagement_columns: Sequence[str] | None) -> str:
    if engagement_columns is not None:
        return ENGAGEMENT if column in engagement_columns else FIT
    return ENGAGEMENT if is_engagement(column) else FIT


def _missing_column(feature: Feature, x: Floats, span: range) -> Floats | None:
    for j, b in zip(span, feature.bins, strict=True):
        if b.label == "missing":
            return x[:, j]
    return None


def _find_leaks(
    features: Sequence[Feature], x: Floats, y: Bools, allow: bool
) -> tuple[list[leaks.Leak], list[bool], list[float]]:
    """Leaks found, whether to keep each feature, and each feature's AUC on its own."""
    found, keep, alone = [], [], []
    for f, span in zip(features, bin_spans(features), strict=True):
        a = leaks.single_auc(x[:, span.start : span.stop], y)
        reason = leaks.separates(a) or leaks.filled_by_outcome(_missing_column(f, x, span), y)
        if reason:
            found.append(leaks.Leak(f.column, reason, excluded=not allow))
        keep.append(not reason or allow)
        alone.append(a)
    return found, keep, alone


def _warnings(
    y: Bools,
    features: Sequence[Feature],
    x: Floats,
    alone: Sequence[float],
    regression: Regression,
    found: Sequence[leaks.Leak],
    seed: int,
) -> list[str]:
    out = []
    for leak in found:
        what = "left out" if leak.excluded else "kept (--allow-leaks)"
        hint = "; keep it with --allow-leaks if it is known before the sale" if leak.excluded else ""
        out.append(f"column '{leak.column}' is a likely leak, {what}: {leak.reason}{hint}")
    if len(y) < FEW_ROWS or y.sum() < FEW_POSITIVES:
        out.append(
            f"only {len(y):,} leads with an outcome, {int(y.sum()):,} of them converted: with fewer than "
            f"about {FEW_ROWS:,} leads or {FEW_POSITIVES} conversions the points are rough; check them "
            "with evaluate on newer leads"
        )
    if not regression.converged:
        out.append("the regression did not fully converge; the points may be slightly off")
    if len(features) >= 2:
        top = int(np.argmax(alone))
        spans = bin_spans(features)
        rest = [j for i, s in enumerate(spans) if i != top for j in s]
        others = [f for i, f in enumerate(features) if i != top]
        rest_auc = cv_auc_at(
            x[:, rest] @ step_coding(others), y, regression.c, folds=regression.folds, seed=seed
        )
        note = leaks.dominance(features[top].column, alone[top], regression.cv_auc, rest_auc)
        if note:
            out.append(note)
    return out
