"""What the score report counts: leads per score, tier and grade, qualified leads, the best few.

A score run that streams its ranked leads straight to the output file never holds them all, so
these numbers are small aggregates collected in the same pass as the file (see
:func:`count_queries`). When the ranked frame is at hand they come from the frame, through the
very same queries (:func:`counts_of`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from leadscore.engine import GRADE, QUALIFIED, SCORE, TIER

COUNT = "count"


@dataclass(frozen=True)
class ScoreCounts:
    """Counts over every scored lead, and the best leads.

    ``by_score`` has one row per distinct score (columns ``score`` and ``count``), lowest first;
    ``top`` holds the best leads, best first, every output column included: at least as many as
    the report lists.
    """

    rows: int
    by_score: pl.DataFrame
    tiers: dict[str, int]
    grades: dict[str, int]
    qualified: int | None
    top: pl.DataFrame

    @property
    def lowest(self) -> float | None:
        return float(self.by_score[SCORE][0]) if self.rows else None

    @property
    def highest(self) -> float | None:
        return float(self.by_score[SCORE][-1]) if self.rows else None

    @property
    def median(self) -> float | None:
        """The median score, as ``pl.Series.median`` gives it (the mean of the middle two)."""
        if not self.rows:
            return None
        ends = self.by_score[COUNT].cum_sum()
        below, above = (self.rows - 1) // 2, self.rows // 2  # 0-based positions of the middle
        scores = self.by_score[SCORE]
        low = scores.filter(ends > below)[0]
        high = scores.filter(ends > above)[0]
        return float((low + high) / 2)


def count_queries(
    scored: pl.LazyFrame, ranked: pl.LazyFrame, columns: Sequence[str], top: int
) -> list[pl.LazyFrame]:
    """Two queries: leads per (score, tier, grade, qualified), and the ``top`` best ranked leads.

    ``scored`` may be in any order; ``columns`` are the output columns the run produces.
    """
    keys = [c for c in (SCORE, TIER, GRADE, QUALIFIED) if c in columns]
    return [scored.group_by(keys).agg(pl.len().alias(COUNT)), ranked.head(top)]


def score_counts(results: Sequence[pl.DataFrame]) -> ScoreCounts:
    """The :class:`ScoreCounts` from the collected :func:`count_queries`."""
    groups, top = results

    def per(column: str) -> dict[str, int]:
        if column not in groups.columns:
            return {}
        summed = groups.group_by(column).agg(pl.col(COUNT).sum()).drop_nulls(column)
        return {str(k): int(n) for k, n in zip(summed[column], summed[COUNT], strict=True)}

    by_score = groups.group_by(SCORE).agg(pl.col(COUNT).sum()).drop_nulls(SCORE).sort(SCORE)
    qualified = int(groups.filter(pl.col(QUALIFIED))[COUNT].sum()) if QUALIFIED in groups.columns else None
    return ScoreCounts(
        rows=int(groups[COUNT].sum()),
        by_score=by_score.cast({COUNT: pl.Int64}),
        tiers=per(TIER),
        grades=per(GRADE),
        qualified=qualified,
        top=top,
    )


def counts_of(ranked: pl.DataFrame) -> ScoreCounts:
    """The counts of a ranked frame; its ``top`` is the whole frame (no copy is made)."""
    groups = pl.collect_all(count_queries(ranked.lazy(), ranked.lazy().head(0), ranked.columns, 0))[0]
    return score_counts([groups, ranked])
