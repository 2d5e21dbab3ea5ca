"""What a fit says about itself: the rules as written, a summary per column, the strongest
rules both ways, and the comments at the top of the model file."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from leadscore.model import Condition
from leadscore.predictive import leaks
from leadscore.predictive.features import Feature, Skipped, bin_spans, joined
from leadscore.predictive.holdout import Holdout
from leadscore.predictive.learn import Regression
from leadscore.predictive.writer import LearntRule

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

FIT, ENGAGEMENT = "fit", "engagement"
STRONGEST = 5  # rules listed each way in the report
MIN_EFFECT_LEADS = 20  # a rule must match this many leads to be listed among the strongest


@dataclass(frozen=True)
class ColumnUse:
    """How a column entered the model."""

    column: str
    kind: str
    shape: str
    dimension: str
    bins: int
    rules: int
    spread: int  # points between its lowest and highest bin


@dataclass(frozen=True)
class RuleEffect:
    """A rule and how far it moves a lead's score from its column's average."""

    name: str
    column: str
    points: int
    leads: int
    rate: float
    effect: float  # points above (or below) the average points of the column's leads


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def _presented(feature: Feature, points: Ints) -> list[list[int]]:
    """Bins that become one rule: neighbouring ranges, or value lists, with the same points."""
    groups: list[list[int]] = []
    lists: dict[int, list[int]] = {}  # points -> the group of value lists that earned them
    for i, b in enumerate(feature.bins):
        p = int(points[i])
        value_list = isinstance(b.condition, Condition) and b.condition.op == "in"
        if 0 < i < feature.ordered and int(points[i - 1]) == p:
            groups[-1].append(i)  # ranges come first, in order: the last group holds bin i - 1
        elif value_list and p in lists:
            lists[p].append(i)
        else:
            groups.append([i])
            if value_list:
                lists[p] = groups[-1]
    return groups


def learnt_rules(
    features: Sequence[Feature], dims: Sequence[str], x: Floats, y: Bools, points: Ints
) -> tuple[list[LearntRule], list[ColumnUse], list[LearntRule | None], list[LearntRule]]:
    """One rule per bin with points (columns with the widest spread first), a summary per column,
    the rule of each bin, and the bins that earned no points, as rules of 0 points (a model file
    needs no rule for them; the learnt file names them in a comment).

    Bins of a column that earned the same points are written as one rule, so the file is
    shorter and every score stays the same.
    """
    spans = bin_spans(features)
    order = sorted(range(len(features)), key=lambda i: -int(points[spans[i].start : spans[i].stop].max()))
    rule_of_bin: list[LearntRule | None] = [None] * x.shape[1]
    rules: list[LearntRule] = []
    unscored: list[LearntRule] = []
    uses: list[ColumnUse] = []
    for i in order:
        f, span = features[i], spans[i]
        local = points[span.start : span.stop]
        count = 0
        for members in _presented(f, local):
            given = int(local[members[0]])
            columns = [span.start + m for m in members]
            fired = x[:, columns].sum(axis=1)
            rule = LearntRule(
                name=f"{f.column}: {joined(f, members).label}",
                dimension=dims[i],
                condition=joined(f, members).condition,
                points=given,
                leads=int(fired.sum()),
                converted=int(fired[y].sum()),
                column=f.column,
            )
            if given == 0:
                unscored.append(rule)
                continue
            rules.append(rule)
            for j in columns:
                rule_of_bin[j] = rule
            count += 1
        uses.append(ColumnUse(f.column, f.kind, f.shape, dims[i], len(f.bins), count, int(local.max())))
    names = _unique_names([r.name for r in rules])
    renamed = {id(r): replace(r, name=n) for r, n in zip(rules, names, strict=True)}
    return (
        [renamed[id(r)] for r in rules],
        uses,
        [renamed[id(r)] if r is not None else None for r in rule_of_bin],
        unscored,
    )


def strongest(
    features: Sequence[Feature],
    x: Floats,
    y: Bools,
    weights: Floats,
    scale: float,
    rule_of_bin: Sequence[LearntRule | None],
) -> tuple[list[RuleEffect], list[RuleEffect]]:
    """The bins that move a lead furthest above and below its column's average, in points."""
    effects: list[RuleEffect] = []
    for f, span in zip(features, bin_spans(features), strict=True):
        counts = x[:, span.start : span.stop].sum(axis=0)
        w = weights[span.start : span.stop]
        average = float((counts * w).sum() / counts.sum()) if counts.sum() else 0.0
        for k, (j, b) in enumerate(zip(span, f.bins, strict=True)):
            if counts[k] < MIN_EFFECT_LEADS:
                continue
            rule = rule_of_bin[j]
            effects.append(
                RuleEffect(
                    name=rule.name if rule else f"{f.column}: {b.label}",
                    column=f.column,
                    points=rule.points if rule else 0,
                    leads=int(counts[k]),
                    rate=float(x[y, j].sum() / counts[k]),
                    effect=(float(w[k]) - average) * scale,
                )
            )
    ranked = sorted(effects, key=lambda e: -e.effect)
    raising = [e for e in ranked if e.effect > 0][:STRONGEST]
    lowering = [e for e in reversed(ranked) if e.effect < 0][:STRONGEST]
    return raising, lowering


def dimension_note(dimension: str, uses: Sequence[ColumnUse]) -> str:
    members = [u for u in uses if u.dimension == dimension]
    what = "who the lead is" if dimension == FIT else "what the lead did"
    return f"{what}: 0 to {sum(u.spread for u in members)} points from {len(members)} columns"


def learnt_from(y: Bools, holdout: Holdout | None) -> str:
    """How many leads the model learnt from, e.g. '4,903 leads with an outcome, 12.0% converted'."""
    text = f"{len(y):,} leads with an outcome, {y.mean():.1%} converted"
    if holdout is not None:
        text += f" ({holdout.describe()} held out)"
    return text


def description(
    source: str, as_of: dt.date, learnt_from: str, r: Regression, scale: float, odds: float
) -> str:
    return (
        f"Learnt by leadscore fit from {source} as of {as_of.isoformat()}: {learnt_from}. "
        f"L2-regularised logistic regression on binned columns (C = {r.c:.3g}, chosen by "
        f"{r.folds}-fold cross-validation; cross-validated AUC {r.cv_auc:.3f}). Scaling: points = "
        f"(bin weight - lowest weight of its column) x {scale:.2f}, rounded, so scores run from 0 to "
        f"about 100 and 10 points multiply the odds of converting by about {odds:.2f}."
    )


def header(
    source: str,
    as_of: dt.date,
    learnt_from: str,
    target: str,
    r: Regression,
    scale: float,
    odds: float,
    skipped: Sequence[Skipped],
    found: Sequence[leaks.Leak],
) -> list[str]:
    lines = [
        f"Learnt by leadscore fit from {source}, as of {as_of.isoformat()}.",
        *textwrap.wrap(f"Learnt from {learnt_from}; outcome column '{target}'.", width=96),
        f"Cross-validated AUC {r.cv_auc:.3f} ({r.folds} folds); regularisation C = {r.c:.3g}, chosen by cross-validation.",
        "",
        "Each column is cut into bins and each bin with points is one rule; the comment above a rule",
        "says how many history leads it matched and how many of them converted (a comment names the",
        "bins of 0 points, which need no rule, in the same way). A lead's score is the",
        f"sum of its rules' points, 0 to about 100: points = (weight - lowest weight of the column) x {scale:.2f},",
        f"rounded, so 10 more points multiply the odds of converting by about {odds:.2f}. A value in no bin",
        "(empty where the history never was) gets 0 points for that column.",
    ]
    left_out = [f"{s.column} ({s.reason.split(':')[0]})" for s in skipped]
    left_out += [f"{leak.column} (likely leak)" for leak in found if leak.excluded]
    if left_out:
        lines += ["", *textwrap.wrap("Columns not used: " + ", ".join(left_out) + ".", width=96)]
    lines += ["", "Edit it like any model file; check it with: leadscore check <this file> --input leads.csv"]
    return lines
