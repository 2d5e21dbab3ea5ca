"""How well scores rank leads that converted above leads that did not.

Pure functions over a score per lead and its outcome (True = converted). Ties are handled
throughout: leads with the same score are never split between "selected" and "not selected",
and tied pairs count half in the AUC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from leadscore.errors import InputError

Scores = npt.ArrayLike
DECILES = 10


def _frame(scores: Scores, outcomes: Scores) -> pl.DataFrame:
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(outcomes, dtype=bool)
    if s.shape != y.shape or s.ndim != 1:
        raise ValueError("scores and outcomes must be one-dimensional and of the same length")
    if np.isnan(s).any():
        raise InputError("some leads have no score; every lead needs one to be evaluated")
    return pl.DataFrame({"score": s, "y": y})


def _counts(frame: pl.DataFrame) -> tuple[int, int]:
    positives = int(frame.get_column("y").sum())
    return positives, frame.height - positives


def auc(scores: Scores, outcomes: Scores) -> float:
    """Area under the ROC curve: the chance that a random converted lead outscores a random
    unconverted one, ties counting half (the Mann-Whitney U statistic over P x N).

    Examples
    --------
    >>> auc([3, 2, 2, 1], [True, True, False, False])
    0.875
    """
    frame = _frame(scores, outcomes)
    p, n = _counts(frame)
    if not p or not n:
        raise InputError("AUC needs both converted and unconverted leads")
    ranks = frame.get_column("score").rank("average").to_numpy()
    rank_sum = float(ranks[frame.get_column("y").to_numpy()].sum())
    return (rank_sum - p * (p + 1) / 2) / (p * n)


def gini(auc_value: float) -> float:
    """The Gini coefficient (accuracy ratio), 2 x AUC - 1."""
    return 2 * auc_value - 1


def threshold_curve(scores: Scores, outcomes: Scores) -> pl.DataFrame:
    """One row per distinct score, highest first: what selecting ``score >= threshold`` gives.

    Columns: ``threshold``, ``selected`` (leads), ``converted`` (among them), ``share`` (of all
    leads), ``precision`` (conversion rate among the selected), ``recall`` (share of all
    conversions captured) and ``false_positive_rate`` (share of unconverted leads selected).
    """
    frame = _frame(scores, outcomes)
    p, n = _counts(frame)
    curve = (
        frame.group_by("score")
        .agg(pl.len().alias("leads"), pl.col("y").sum().alias("pos"))
        .sort("score", descending=True)
        .select(
            pl.col("score").alias("threshold"),
            pl.col("leads").cum_sum().alias("selected"),
            pl.col("pos").cum_sum().alias("converted"),
        )
    )
    selected, converted = curve.get_column("selected"), curve.get_column("converted")
    return curve.with_columns(
        _ratio(selected, frame.height).alias("share"),
        (converted / selected).alias("precision"),
        _ratio(converted, p).alias("recall"),
        _ratio(selected - converted, n).alias("false_positive_rate"),
    )


def _ratio(counts: pl.Series, whole: int) -> pl.Series:
    """``counts / whole`` divided exactly (0 when ``whole`` is): Polars multiplies by ``1 / whole``,
    which makes 49 of 49 come out at 0.9999999999999999, and the last threshold short of all leads."""
    if not whole:
        return pl.Series(counts.name, np.zeros(counts.len()))
    return pl.Series(counts.name, counts.to_numpy().astype(np.float64) / whole)


def ks(scores: Scores, outcomes: Scores) -> tuple[float, float]:
    """Kolmogorov-Smirnov statistic and the threshold where it is reached: the largest gap
    between the share of converted and of unconverted leads scoring at or above a threshold.

    Examples
    --------
    >>> ks([3, 2, 2, 1], [True, True, False, False])
    (0.5, 3.0)
    """
    curve = threshold_curve(scores, outcomes)
    gap = (curve.get_column("recall") - curve.get_column("false_positive_rate")).abs()
    best = int(gap.arg_max() or 0)
    return float(gap[best]), float(curve.get_column("threshold")[best])


@dataclass(frozen=True)
class Selection:
    """What a qualify rule (or threshold) selects and what it would have captured."""

    threshold: float | None
    selected: int
    share: float  # of all leads
    converted: int
    precision: float  # conversion rate among the selected
    recall: float  # share of all conversions captured
    lift: float  # precision / overall conversion rate

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def selection(selected: Scores, outcomes: Scores, threshold: float | None = None) -> Selection:
    """Precision, recall and lift of a yes/no selection (e.g. the model's ``qualified``)."""
    chosen = np.asarray(selected, dtype=bool)
    y = np.asarray(outcomes, dtype=bool)
    total, p = len(y), int(y.sum())
    k, hits = int(chosen.sum()), int((chosen & y).sum())
    precision = hits / k if k else 0.0
    base = p / total if total else 0.0
    return Selection(
        threshold=threshold,
        selected=k,
        share=k / total if total else 0.0,
        converted=hits,
        precision=precision,
        recall=hits / p if p else 0.0,
        lift=precision / base if base else 0.0,
    )


def _from_curve(row: dict[str, Any], base_rate: float) -> Selection:
    return Selection(
        threshold=float(row["threshold"]),
        selected=int(row["selected"]),
        share=float(row["share"]),
        converted=int(row["converted"]),
        precision=float(row["precision"]),
        recall=float(row["recall"]),
        lift=float(row["precision"]) / base_rate if base_rate else 0.0,
    )


def threshold_for_share(scores: Scores, outcomes: Scores, share: float) -> Selection:
    """The threshold whose share of leads at or above it is closest to ``share`` (the fewer
    leads on a tie).

    Examples
    --------
    >>> threshold_for_share([5, 4, 3, 2, 1], [1, 1, 0, 1, 0], 0.4).threshold
    4.0
    """
    return closest_share(*shares_around(scores, outcomes, share), share)


def closest_share(fewer: Selection | None, more: Selection, share: float) -> Selection:
    """Of the thresholds either side of ``share`` (see :func:`shares_around`), the closer to it;
    the one with fewer leads when both are as close."""
    if fewer is not None and share - fewer.share <= more.share - share:
        return fewer
    return more


def shares_around(scores: Scores, outcomes: Scores, share: float) -> tuple[Selection | None, Selection]:
    """The thresholds on either side of a wanted share of leads: the one that selects the most
    leads without going over ``share`` (None when the top score alone is more), and the one that
    selects the fewest without going under it. Tied scores can leave a wide gap between them.

    Examples
    --------
    >>> fewer, more = shares_around([9, 5, 5, 5, 1], [1, 1, 0, 0, 0], 0.5)
    >>> (fewer.threshold, fewer.share), (more.threshold, more.share)
    ((9.0, 0.2), (5.0, 0.8))
    """
    if not 0 < share <= 1:
        raise InputError(f"an MQL share must be above 0 and at most 1, not {share}")
    curve = threshold_curve(scores, outcomes)
    base = float(np.asarray(outcomes, dtype=bool).mean())
    fewer = curve.filter(pl.col("share") <= share)
    more = curve.filter(pl.col("share") >= share)
    return (
        _from_curve(fewer.row(fewer.height - 1, named=True), base) if fewer.height else None,
        _from_curve(more.row(0, named=True), base),
    )


def threshold_for_precision(scores: Scores, outcomes: Scores, precision: float) -> Selection | None:
    """The lowest threshold (so the most leads, the most conversions captured) at which the
    conversion rate among the leads at or above it is at least ``precision``; None when no
    threshold reaches it.

    Examples
    --------
    >>> threshold_for_precision([5, 4, 3, 2, 1], [1, 1, 0, 1, 0], 0.75).threshold
    2.0
    """
    if not 0 < precision <= 1:
        raise InputError(f"a conversion rate must be above 0 and at most 1, not {precision}")
    curve = threshold_curve(scores, outcomes)
    base = float(np.asarray(outcomes, dtype=bool).mean())
    # a small tolerance, so that 3 of 10 counts as reaching 0.3
    ok = curve.filter(pl.col("precision") >= precision - 1e-12)
    if not ok.height:
        return None
    return _from_curve(ok.row(ok.height - 1, named=True), base)


@dataclass(frozen=True)
class GainsRow:
    """One score band of the gains table (a decile, unless ties make bands uneven)."""

    band: int  # 1 = highest scores, then 2, 3...: fewer than ten bands when ties merge deciles
    min_score: float
    max_score: float
    leads: int
    converted: int
    rate: float
    lift: float
    cumulative_leads: float  # share of all leads in this band and those above it
    cumulative_captured: float  # share of all conversions in this band and those above it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def gains(scores: Scores, outcomes: Scores, bands: int = DECILES) -> list[GainsRow]:
    """Leads split into ``bands`` groups by score, highest first, with conversions per band.

    Leads with the same score stay in the same band. With no more scores than ``bands``, each
    score is a band of its own. Otherwise the band edges are the tenths of the leads (for ten
    bands), each moved to the nearest place where the score changes; edges that meet are one, so
    many ties give fewer, uneven bands. Bands are numbered 1, 2, 3... from the top.

    Examples
    --------
    >>> [(r.band, r.leads, r.converted) for r in gains([4, 3, 2, 1], [1, 0, 1, 0], bands=2)]
    [(1, 2, 1), (2, 2, 1)]
    >>> [(r.band, r.leads, r.cumulative_leads) for r in gains([9, 5, 5, 5, 1], [1, 1, 0, 0, 0], bands=5)]
    [(1, 1, 0.2), (2, 3, 0.8), (3, 1, 1.0)]
    >>> [(r.band, r.leads) for r in gains([9, 9, 5, 5, 5, 5, 5, 4, 3, 2], [0] * 10, bands=3)]
    [(1, 2), (2, 5), (3, 3)]
    """
    frame = _frame(scores, outcomes)
    total = frame.height
    p, _ = _counts(frame)
    if not total:
        return []
    base = p / total
    sizes = frame.group_by("score").agg(pl.len().alias("n")).sort("score", descending=True)
    band_of_score = pl.DataFrame(
        {"score": sizes["score"], "band": _bands_of_groups(sizes["n"].to_numpy(), bands)}
    )
    table = (
        frame.join(band_of_score, on="score")
        .group_by("band")
        .agg(
            pl.col("score").min().alias("min_score"),
            pl.col("score").max().alias("max_score"),
            pl.len().alias("leads"),
            pl.col("y").sum().alias("converted"),
        )
        .sort("band")
        .with_columns(
            pl.int_range(1, pl.len() + 1).alias("band"),
            (pl.col("leads").cum_sum() / total).alias("cumulative_leads"),
            (pl.col("converted").cum_sum() / p if p else pl.lit(0.0)).alias("cumulative_captured"),
            (pl.col("converted") / pl.col("leads")).alias("rate"),
        )
    )
    return [
        GainsRow(
            band=int(r["band"]),
            min_score=float(r["min_score"]),
            max_score=float(r["max_score"]),
            leads=int(r["leads"]),
            converted=int(r["converted"]),
            rate=float(r["rate"]),
            lift=float(r["rate"]) / base if base else 0.0,
            cumulative_leads=float(r["cumulative_leads"]),
            cumulative_captured=float(r["cumulative_captured"]),
        )
        for r in table.to_dicts()
    ]


def _bands_of_groups(sizes: npt.NDArray[np.int64], bands: int) -> npt.NDArray[np.int64]:
    """The band (1, 2, ...) of each group of tied leads, given their sizes best first (see :func:`gains`)."""
    if len(sizes) <= bands:
        return np.arange(1, len(sizes) + 1)
    edges = np.concatenate([[0], np.cumsum(sizes)])  # where each group starts, and the end
    targets = np.arange(1, bands) * edges[-1] / bands
    above = np.searchsorted(edges, targets)  # the first edge at or past each tenth
    nearer = np.where(targets - edges[above - 1] < edges[above] - targets, edges[above - 1], edges[above])
    cuts = np.unique(nearer[(nearer > 0) & (nearer < edges[-1])])
    return np.searchsorted(cuts, edges[:-1], side="right") + 1


@dataclass(frozen=True)
class GroupRate:
    """Conversions among the leads of one tier (or grade)."""

    label: str
    leads: int
    converted: int
    rate: float
    share: float  # of all leads

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def rate_by(
    labels: Sequence[str | None] | pl.Series, outcomes: Scores, order: Sequence[str] = ()
) -> list[GroupRate]:
    """Conversion rate per label (tier or grade), in ``order`` first, then by label."""
    y = np.asarray(outcomes, dtype=bool)
    frame = pl.DataFrame({"label": pl.Series(labels, dtype=pl.String), "y": y})
    total = frame.height
    table = frame.group_by("label").agg(pl.len().alias("leads"), pl.col("y").sum().alias("converted"))
    rank = {label: i for i, label in enumerate(order)}
    rows = sorted(table.to_dicts(), key=lambda r: (rank.get(r["label"], len(rank)), str(r["label"])))
    return [
        GroupRate(
            label=str(r["label"]),
            leads=int(r["leads"]),
            converted=int(r["converted"]),
            rate=int(r["converted"]) / int(r["leads"]),
            share=int(r["leads"]) / total,
        )
        for r in rows
    ]
