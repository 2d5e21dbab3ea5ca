"""Cut numbers into a few bins, and group categories, by how often each part converted.

Pure NumPy over the values of one column and the outcomes; nothing here knows about models.

Numbers start from up to ten quantile bins with round cut points (``200``, not ``187.3``),
each holding enough leads. Two coarser versions are then built from them:

- *monotone*: adjacent bins whose conversion rates go against the column's trend are pooled
  (pool-adjacent-violators), so the rate only rises or only falls;
- *free*: adjacent bins whose rates are not clearly different (a chi-square test) are pooled,
  whatever the direction, so a peak in the middle survives.

The free version is kept only when it predicts clearly better on held-out folds (log-loss);
otherwise the simpler monotone one is. Categories are grouped the same way as the free
version, after sorting them by conversion rate.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

# Quantiles the candidate cuts start from: finer in the tails, where a wide bin would lump
# together leads whose rates differ most when the trend is steady.
QUANTILES = (0.03, 0.08, 0.15, 0.25, 0.35, 0.5, 0.65, 0.75, 0.85, 0.92, 0.97)
MIN_BIN_SHARE = 0.03  # a bin holds at least this share of the leads with a value ...
MIN_BIN_ROWS = 30  # ... and at least this many
SIMILAR_CHI2 = 3.84  # pool adjacent bins whose rates differ less than this (p > 0.05, 1 df)
# Categories are pooled only when their rates are close (p > 0.5): pooling values that differ
# costs more accuracy than the fewer rules are worth.
CATEGORY_SIMILAR_CHI2 = 0.45
CV_FOLDS = 5
# The free (non-monotone) bins must beat the monotone ones by this much held-out log-loss per
# lead: a real peak (a company-size sweet spot) clears it easily, noise does not.
FREE_MARGIN = 0.0005
SMOOTHING = 2.0  # pseudo-leads at the overall rate, added to each bin when estimating its rate


@dataclass(frozen=True)
class NumberBins:
    """Bins of a numeric column: bin ``i`` holds ``cuts[i-1] <= x < cuts[i]``."""

    cuts: tuple[float, ...]
    shape: str  # "rising", "falling", "peaked" (free bins) or "flat" (no cut)


def min_rows(n: int) -> int:
    return max(MIN_BIN_ROWS, math.ceil(MIN_BIN_SHARE * n))


def nice_number(x: float, digits: int = 2) -> float:
    """``x`` rounded to ``digits`` significant digits: 187.3 -> 190, 0.0437 -> 0.044.

    Examples
    --------
    >>> nice_number(187.3), nice_number(0.0437), nice_number(-1234), nice_number(0)
    (190.0, 0.044, -1200.0, 0.0)
    """
    if x == 0 or not math.isfinite(x):
        return float(x)
    exponent = math.floor(math.log10(abs(x))) - digits + 1
    return float(round(x / 10**exponent) * 10**exponent) if exponent < 0 else float(round(x, -exponent))


def candidate_cuts(x: Floats, *, integral: bool, quantiles: Sequence[float] = QUANTILES) -> list[float]:
    """Round cut points near the given quantiles of ``x`` (values present only)."""
    if x.size == 0:
        return []
    ordered = np.sort(x)
    lo, hi = ordered[0], ordered[-1]
    cuts: set[float] = set()
    for q in quantiles:
        raw = float(ordered[min(len(ordered) - 1, int(q * len(ordered)))])
        cut = nice_number(raw)
        if integral:
            cut = float(math.ceil(cut))
        if lo < cut <= hi:
            cuts.add(cut)
    return sorted(cuts)


def assign(x: Floats, cuts: Sequence[float]) -> Ints:
    """The bin of each value: 0 below the first cut, ``len(cuts)`` at or above the last."""
    return np.searchsorted(np.asarray(cuts, dtype=np.float64), x, side="right").astype(np.int64)


def _tally(bins: Ints, y: Bools, k: int) -> tuple[Floats, Floats]:
    counts = np.bincount(bins, minlength=k).astype(np.float64)
    positives = np.bincount(bins, weights=y.astype(np.float64), minlength=k).astype(np.float64)
    return counts, positives


def _rate(pos: float, count: float) -> float:
    return pos / count if count else 0.0


def enforce_min_size(
    cuts: list[float], counts: Floats, pos: Floats, smallest: int
) -> tuple[list[float], Floats, Floats]:
    """Pool the smallest bin into its neighbour of closer rate until every bin is big enough."""
    cuts, c, p = list(cuts), list(counts), list(pos)
    while cuts and min(c) < smallest:
        i = int(np.argmin(c))
        if i == 0:
            left = 0
        elif i == len(c) - 1:
            left = i - 1
        else:
            here = _rate(p[i], c[i])
            before = abs(_rate(p[i - 1], c[i - 1]) - here)
            after = abs(_rate(p[i + 1], c[i + 1]) - here)
            left = i - 1 if before <= after else i
        del cuts[left]
        c[left] += c.pop(left + 1)
        p[left] += p.pop(left + 1)
    return cuts, np.asarray(c, dtype=np.float64), np.asarray(p, dtype=np.float64)


def chi2_adjacent(c1: float, p1: float, c2: float, p2: float) -> float:
    """Pearson's chi-square for "these two bins convert at the same rate" (2 x 2 table)."""
    total, positives = c1 + c2, p1 + p2
    negatives = total - positives
    if not positives or not negatives:
        return 0.0
    stat = 0.0
    for count, pos in ((c1, p1), (c2, p2)):
        for observed, column_total in ((pos, positives), (count - pos, negatives)):
            expected = count * column_total / total
            if expected:
                stat += (observed - expected) ** 2 / expected
    return stat


def merge_similar(counts: Floats, pos: Floats, threshold: float = SIMILAR_CHI2) -> list[int]:
    """Group adjacent bins whose rates are not clearly different; the first bin of each group."""
    starts = list(range(len(counts)))
    c, p = list(counts), list(pos)
    while len(c) > 1:
        stats = [chi2_adjacent(c[i], p[i], c[i + 1], p[i + 1]) for i in range(len(c) - 1)]
        i = int(np.argmin(stats))
        if stats[i] >= threshold:
            break
        c[i] += c.pop(i + 1)
        p[i] += p.pop(i + 1)
        starts.pop(i + 1)
    return starts


def monotone_groups(counts: Floats, pos: Floats, rising: bool) -> list[int]:
    """Pool adjacent violators so the rate only rises (or only falls); the first bin of each group."""
    blocks: list[list[float]] = []  # [count, positives, first bin]
    for i, (c, p) in enumerate(zip(counts, pos, strict=True)):
        blocks.append([c, p, i])
        while len(blocks) > 1:
            (c1, p1, _), (c2, p2, _) = blocks[-2], blocks[-1]
            r1, r2 = _rate(p1, c1), _rate(p2, c2)
            if (r1 < r2) if rising else (r1 > r2):
                break
            blocks[-2][0] += c2
            blocks[-2][1] += p2
            blocks.pop()
    return [int(b[2]) for b in blocks]


def _group_of(starts: list[int], k: int) -> Ints:
    """Map each of ``k`` fine bins to its group, given the groups' first bins."""
    group = np.zeros(k, dtype=np.int64)
    for g, s in enumerate(starts):
        group[s:] = g
    return group


def _log_likelihood(counts: Floats, pos: Floats, starts: list[int]) -> float:
    group = _group_of(starts, len(counts))
    gc = np.bincount(group, weights=counts)
    gp = np.bincount(group, weights=pos)
    rate = np.clip(gp / np.where(gc > 0, gc, 1), 1e-12, 1 - 1e-12)
    return float((gp * np.log(rate) + (gc - gp) * np.log(1 - rate)).sum())


def _is_monotone(counts: Floats, pos: Floats, starts: list[int]) -> bool:
    group = _group_of(starts, len(counts))
    rates = np.bincount(group, weights=pos) / np.bincount(group, weights=counts)
    steps = np.diff(rates)
    return bool((steps >= 0).all() or (steps <= 0).all())


def cv_log_loss(fine: Ints, y: Bools, group: Ints, folds: Ints) -> float:
    """Held-out log-loss per lead of predicting each lead by its group's smoothed rate."""
    k = int(group.max()) + 1
    g = group[fine]
    total = 0.0
    for f in range(int(folds.max()) + 1):
        test = folds == f
        train = ~test
        prior = float(y[train].mean())
        counts, pos = _tally(g[train], y[train], k)
        rate = (pos + SMOOTHING * prior) / (counts + SMOOTHING)
        rate = np.clip(rate, 1e-6, 1 - 1e-6)[g[test]]
        yt = y[test]
        total -= float((np.log(rate[yt])).sum() + np.log(1 - rate[~yt]).sum())
    return total / len(y)


def fold_ids(n: int, seed: int = 0, folds: int = CV_FOLDS) -> Ints:
    rng = np.random.default_rng(seed)
    ids: Ints = rng.permutation(np.arange(n) % folds).astype(np.int64)
    return ids


def bin_numbers(x: Floats, y: Bools, *, integral: bool, seed: int = 0) -> NumberBins:
    """Choose bins for the present values ``x`` of a numeric column with outcomes ``y``."""
    cuts = candidate_cuts(x, integral=integral)
    counts, pos = _tally(assign(x, cuts), y, len(cuts) + 1)
    cuts, counts, pos = enforce_min_size(cuts, counts, pos, min_rows(len(x)))
    if not cuts:
        return NumberBins((), "flat")
    fine = assign(x, cuts)
    rising_starts = monotone_groups(counts, pos, rising=True)
    falling_starts = monotone_groups(counts, pos, rising=False)
    rising = _log_likelihood(counts, pos, rising_starts) >= _log_likelihood(counts, pos, falling_starts)
    mono = rising_starts if rising else falling_starts
    free = merge_similar(counts, pos)
    chosen, shape = mono, "rising" if rising else "falling"
    # free bins are worth a look only when they rise and fall: otherwise they are a coarser
    # version of the monotone ones, and coarser loses a steady trend's steps
    if len(free) > 2 and not _is_monotone(counts, pos, free):
        folds = fold_ids(len(x), seed)
        k = len(counts)
        mono_loss = cv_log_loss(fine, y, _group_of(mono, k), folds)
        free_loss = cv_log_loss(fine, y, _group_of(free, k), folds)
        if free_loss < mono_loss - FREE_MARGIN:
            chosen, shape = free, "peaked"
    if len(chosen) == 1:
        return NumberBins((), "flat")
    return NumberBins(tuple(cuts[s - 1] for s in chosen[1:]), shape)


def chi2_threshold(p_value: float) -> float:
    """The chi-square statistic (1 degree of freedom) that chance exceeds with ``p_value``.

    Examples
    --------
    >>> round(chi2_threshold(0.05), 2)
    3.84
    """
    return NormalDist().inv_cdf(1 - p_value / 2) ** 2


def group_categories(counts: Floats, pos: Floats) -> list[list[int]]:
    """Group categories (given by their lead and conversion counts) with similar rates.

    Categories are sorted by their smoothed conversion rate and adjacent ones pooled while
    their rates are not clearly different. With many categories some differ by chance, so the
    test is stricter the more there are (p < 0.05 divided by the number of neighbours compared).
    Returns lists of category indices, lowest rate first.
    """
    if len(counts) == 0:
        return []
    prior = float(pos.sum() / counts.sum()) if counts.sum() else 0.0
    order = np.argsort((pos + SMOOTHING * prior) / (counts + SMOOTHING), kind="stable")
    starts = merge_similar(counts[order], pos[order], CATEGORY_SIMILAR_CHI2)
    bounds = [*starts, len(order)]
    return [sorted(int(i) for i in order[a:b]) for a, b in itertools.pairwise(bounds)]
