"""What the score report counts: leads per score, tier and grade, qualified leads, the best few.

A score run that streams its ranked leads straight to the output file never holds them all, so
these numbers are small aggregates collected in the same pass as the file (see
:func:`count_query`). When the ranked frame is at hand they come from the frame, through the
very same query (:func:`counts_of`).
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
    def scored(self) -> int:
        """Leads with a score: all of them, but those a segments model left unscored."""
        return int(self.by_score[COUNT].sum())

    @property
    def lowest(self) -> float | None:
        return float(self.by_score[SCORE][0]) if self.scored else None

    @property
    def highest(self) -> float | None:
        return float(self.by_score[SCORE][-1]) if self.scored else None

    @property
    def median(self) -> float | None:
        """The median score of the scored leads, as ``pl.Series.median`` gives it (the mean of
        the middle two)."""
        if not self.scored:
            return None
        ends = self.by_score[COUNT].cum_sum()
        below, above = (self.scored - 1) // 2, self.scored // 2  # 0-based positions of the middle
        scores = self.by_score[SCORE]
        low = scores.filter(ends > below)[0]
        high = scores.filter(ends > above)[0]
        return float((low + high) / 2)


def count_query(scored: pl.LazyFrame, columns: Sequence[str]) -> pl.LazyFrame:
    """Leads per (score, tier, grade, qualified); ``scored`` may be in any order.

    ``columns`` are the output columns of the run: tier, grade and qualified are counted when
    the model makes them. Every count the report shows is a sum over this small table.
    """
    keys = [c for c in (SCORE, TIER, GRADE, QUALIFIED) if c in columns]
    return scored.group_by(keys).agg(pl.len().alias(COUNT))


def score_counts(groups: pl.DataFrame, top: pl.DataFrame) -> ScoreCounts:
    """The :class:`ScoreCounts` from the collected :func:`count_query` and the best leads."""

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
    return score_counts(count_query(ranked.lazy(), ranked.columns).collect(), ranked)
