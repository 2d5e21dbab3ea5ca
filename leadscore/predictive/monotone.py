"""Keep a rising column's points rising: merge the neighbouring bins the regression set the other way.

Binning finds each number's shape on its own: conversion rises with the visits, say. The
regression weighs every column together, and where columns overlap it can give one range
fewer points than the range below it (0 clicks +2, 1 click 0, 2-4 clicks +1). In a points
model that reads as a mistake, and it is noise: no one believes a second click lowers the
odds. Scorecards are built monotone for that reason, and so is fit: while a rising (or
falling) column has a step the wrong way, the two bins of its worst step become one and the
regression is learnt again. Peaked columns (a sweet spot of company size) and categories are
left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from leadscore.predictive.features import Feature, bin_spans, range_bin, step_coding
from leadscore.predictive.learn import Regression, fit_regression, weights_at

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

DIRECTION = {"rising": 1.0, "falling": -1.0}
TOLERANCE = 1e-9  # a weight step this small the wrong way is a tie, not a dip


def monotone_fit(
    features: Sequence[Feature], x: Floats, y: Bools, *, seed: int = 0
) -> tuple[list[Feature], Floats, Floats, Regression]:
    """The regression of ``x`` (bin columns of ``features``) with every rising or falling column's
    dips merged away: ``(features, x, coding, regression)`` after the merges.

    Merging refits at the strength already chosen, which is quick; once no dip is left, the
    strength is chosen again by cross-validation, and the loop goes on if that brings a dip back.
    """
    features = list(features)
    coding = step_coding(features)
    regression = fit_regression(x @ coding, y, seed=seed)
    while at := dips(features, coding @ regression.weights):
        while at:
            features, x = merged(features, x, at)
            coding = step_coding(features)
            weights = weights_at(x @ coding, y, regression.c)
            at = dips(features, coding @ weights)
        regression = fit_regression(x @ coding, y, seed=seed)
    return features, x, coding, regression


def dips(features: Sequence[Feature], weights: Floats) -> dict[int, int]:
    """For each rising or falling feature whose bin weights step the wrong way, the first bin of
    its worst such step (that bin and the next are to be merged), by feature index."""
    found = {}
    for i, (f, span) in enumerate(zip(features, bin_spans(features), strict=True)):
        if f.shape not in DIRECTION or f.ordered < 2:
            continue
        steps = np.diff(weights[span.start : span.start + f.ordered]) * DIRECTION[f.shape]
        worst = int(np.argmin(steps))
        if steps[worst] < -TOLERANCE:
            found[i] = worst
    return found


def merged(features: Sequence[Feature], x: Floats, at: dict[int, int]) -> tuple[list[Feature], Floats]:
    """``features`` and their bin columns ``x`` with bins ``j`` and ``j + 1`` of each feature
    ``i`` of ``at`` made one range (a lead is in the merged bin when it was in either)."""
    out, blocks = [], []
    for i, (f, span) in enumerate(zip(features, bin_spans(features), strict=True)):
        block = x[:, span.start : span.stop]
        if i in at:
            j = at[i]
            low, high = f.bins[j], f.bins[j + 1]
            joined = range_bin(f.column, f.kind, low.low, high.high, f.integral)
            f = replace(f, bins=(*f.bins[:j], joined, *f.bins[j + 2 :]), ordered=f.ordered - 1)
            block = np.column_stack([block[:, :j], block[:, j] + block[:, j + 1], block[:, j + 2 :]])
        out.append(f)
        blocks.append(block)
    return out, np.hstack(blocks)
