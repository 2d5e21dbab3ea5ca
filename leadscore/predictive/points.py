"""From regression weights to whole points, and from scores to tiers, a qualify line and grades.

Each bin's weight is moved so that the lowest bin of its column gets 0, then every weight is
multiplied by one ``scale`` so that a lead in the best bin of every column scores 100. Points
are those products rounded to whole numbers, so a score is (up to rounding) the regression's
log-odds, shifted and scaled: ordering leads by score orders them by predicted conversion.

Cut-offs are read off the history's own scores: a lead qualifies when its score is at or above
the score that the top 20 % of the history reached; hot is the top 10 %, warm the next 20 %;
fit letters and engagement digits split each dimension's scores in quarters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leadscore.predictive.metrics import threshold_for_share

MAX_SCORE = 100
QUALIFY_SHARE = 0.20
TIER_SHARES = (("hot", 0.10), ("warm", 0.30))
GRADE_SHARES = (0.25, 0.50, 0.75)


@dataclass(frozen=True)
class Points:
    points: npt.NDArray[np.int64]  # one per bin
    scale: float  # points per unit of log-odds

    @property
    def odds_per_10(self) -> float:
        """How many times the odds of converting grow with 10 more points."""
        return math.exp(10 / self.scale) if self.scale else 1.0


def to_points(weights: npt.NDArray[np.float64], groups: Sequence[int], max_score: int = MAX_SCORE) -> Points:
    """Whole points per bin from its weight; ``groups[j]`` is the column of bin ``j``.

    Examples
    --------
    >>> p = to_points(np.array([-0.5, 0.5, 0.0, 1.0]), [0, 0, 1, 1])
    >>> p.points.tolist(), p.scale
    ([0, 50, 0, 50], 50.0)
    """
    g = np.asarray(groups, dtype=np.int64)
    if weights.size == 0:
        return Points(np.zeros(0, dtype=np.int64), 0.0)
    k = int(g.max()) + 1
    lowest = np.full(k, np.inf)
    np.minimum.at(lowest, g, weights)
    shifted = weights - lowest[g]
    highest = np.zeros(k)
    np.maximum.at(highest, g, shifted)
    spread = float(highest.sum())
    scale = max_score / spread if spread > 0 else 0.0
    return Points(np.rint(shifted * scale).astype(np.int64), scale)


def share_threshold(scores: npt.NDArray[np.float64], share: float) -> int:
    """The score whose share of leads at or above it is closest to ``share``."""
    dummy = np.zeros(len(scores), dtype=bool)
    found = threshold_for_share(scores, dummy, share).threshold
    return int(found if found is not None else 0)


def tier_thresholds(scores: npt.NDArray[np.float64]) -> list[tuple[str, int]]:
    """Hot, warm and cold thresholds, highest first; tiers that would share a threshold are dropped."""
    bands: list[tuple[str, int]] = []
    for label, share in TIER_SHARES:
        t = share_threshold(scores, share)
        if t > 0 and all(t < b for _, b in bands):
            bands.append((label, t))
    return [*bands, ("cold", 0)]


def grade_thresholds(scores: npt.NDArray[np.float64], labels: Sequence[str]) -> list[tuple[str, int]]:
    """Quarter splits of one dimension's scores, labelled in order (A, B, C or 1, 2, 3)."""
    bands: list[tuple[str, int]] = []
    for share in GRADE_SHARES:
        t = share_threshold(scores, share)
        if t > 0 and all(t < b for _, b in bands):
            bands.append((labels[len(bands)], t))
    return bands
