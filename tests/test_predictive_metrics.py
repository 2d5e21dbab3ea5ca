"""Ranking metrics against scikit-learn and scipy, hand-computed examples, and their properties."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import ks_2samp
from sklearn.metrics import roc_auc_score

from leadscore import InputError
from leadscore.predictive import metrics

# (score, converted) lists with both outcomes present and plenty of ties
labelled = st.lists(
    st.tuples(st.integers(min_value=0, max_value=6), st.booleans()), min_size=2, max_size=60
).filter(lambda rows: 0 < sum(y for _, y in rows) < len(rows))


def unzip(rows: list[tuple[int, bool]]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([s for s, _ in rows], dtype=float), np.array([y for _, y in rows], dtype=bool)


@given(labelled)
def test_auc_matches_scikit_learn(rows: list[tuple[int, bool]]) -> None:
    s, y = unzip(rows)
    assert metrics.auc(s, y) == pytest.approx(roc_auc_score(y, s))


@given(labelled, st.sampled_from(["exp", "affine", "cube"]))
def test_auc_is_unchanged_by_an_increasing_transform(rows: list[tuple[int, bool]], kind: str) -> None:
    s, y = unzip(rows)
    t = {"exp": np.exp(s), "affine": 3 * s - 7, "cube": s**3}[kind]
    assert metrics.auc(t, y) == pytest.approx(metrics.auc(s, y))


@given(labelled)
def test_auc_of_the_negated_score_is_one_minus_auc(rows: list[tuple[int, bool]]) -> None:
    s, y = unzip(rows)
    assert metrics.auc(-s, y) == pytest.approx(1 - metrics.auc(s, y))


@given(labelled)
def test_ks_matches_scipy_two_sample_statistic(rows: list[tuple[int, bool]]) -> None:
    s, y = unzip(rows)
    statistic, _ = metrics.ks(s, y)
    with warnings.catch_warnings():  # scipy's p-value warns on tiny samples; only the statistic counts
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = ks_2samp(s[y], s[~y], method="asymp").statistic
    assert statistic == pytest.approx(expected)


def test_hand_computed_example() -> None:
    # converted: 3, 2; not: 2, 1. Pairs: 3>2, 3>1, 2=2 (half), 2>1 -> 3.5 / 4
    s, y = [3, 2, 2, 1], [True, True, False, False]
    assert metrics.auc(s, y) == 0.875
    assert metrics.gini(0.875) == 0.75
    assert metrics.ks(s, y) == (0.5, 3.0)


def test_perfect_and_useless_scores() -> None:
    y = [True, True, False, False]
    assert metrics.auc([9, 8, 1, 0], y) == 1.0
    assert metrics.auc([5, 5, 5, 5], y) == 0.5


def test_auc_needs_both_outcomes() -> None:
    with pytest.raises(InputError, match="both converted and unconverted"):
        metrics.auc([1, 2], [True, True])


@given(labelled)
@example([(0, False)] * 47 + [(0, True), (1, False)])  # 49 of 49 leads: Polars' 49 * (1 / 49) is not 1
def test_threshold_curve_accumulates_from_the_top(rows: list[tuple[int, bool]]) -> None:
    s, y = unzip(rows)
    curve = metrics.threshold_curve(s, y)
    assert curve.get_column("threshold").is_sorted(descending=True)
    assert curve.get_column("recall").is_sorted()
    assert curve.row(-1, named=True)["share"] == 1.0
    assert curve.row(-1, named=True)["recall"] == 1.0
    for row in curve.to_dicts():
        picked = s >= row["threshold"]
        assert row["selected"] == picked.sum()
        assert row["converted"] == (picked & y).sum()


@given(labelled, st.floats(min_value=0.01, max_value=1.0))
def test_threshold_for_share_is_the_closest_share(rows: list[tuple[int, bool]], share: float) -> None:
    s, y = unzip(rows)
    chosen = metrics.threshold_for_share(s, y, share)
    best_gap = min(abs((s >= t).mean() - share) for t in np.unique(s))
    assert abs(chosen.share - share) == pytest.approx(best_gap)
    assert chosen.selected == (s >= chosen.threshold).sum()


@given(labelled, st.floats(min_value=0.01, max_value=1.0))
def test_shares_around_are_the_nearest_thresholds_on_each_side(
    rows: list[tuple[int, bool]], share: float
) -> None:
    s, y = unzip(rows)
    shares = {float(t): (s >= t).mean() for t in np.unique(s)}
    under = [t for t, got in shares.items() if got <= share]
    over = [t for t, got in shares.items() if got >= share]
    fewer, more = metrics.shares_around(s, y, share)
    assert (fewer.threshold if fewer else None) == (min(under) if under else None)
    assert more.threshold == max(over)
    assert more.selected == (s >= more.threshold).sum()
    closest = metrics.threshold_for_share(s, y, share).threshold
    assert closest in {more.threshold, fewer.threshold if fewer else None}


@given(labelled, st.floats(min_value=0.05, max_value=1.0))
def test_threshold_for_precision_selects_the_most_leads_that_reach_it(
    rows: list[tuple[int, bool]], precision: float
) -> None:
    s, y = unzip(rows)
    reaching = [t for t in np.unique(s) if y[s >= t].mean() >= precision - 1e-12]
    chosen = metrics.threshold_for_precision(s, y, precision)
    if not reaching:
        assert chosen is None
    else:
        assert chosen is not None
        assert chosen.threshold == min(reaching)
        assert chosen.precision >= precision - 1e-12


def test_selection_precision_recall_and_lift() -> None:
    y = [True, False, True, False, False]
    chosen = metrics.selection([True, True, False, False, False], y, threshold=50)
    assert (chosen.selected, chosen.converted) == (2, 1)
    assert chosen.precision == 0.5
    assert chosen.recall == 0.5
    assert chosen.share == 0.4
    assert chosen.lift == pytest.approx(0.5 / 0.4)


@settings(max_examples=60)
@given(labelled)
def test_gains_bands_cover_every_lead_and_keep_ties_together(rows: list[tuple[int, bool]]) -> None:
    s, y = unzip(rows)
    bands = metrics.gains(s, y)
    assert sum(b.leads for b in bands) == len(s)
    assert sum(b.converted for b in bands) == y.sum()
    assert bands[-1].cumulative_captured == pytest.approx(1.0)
    for upper, lower in itertools.pairwise(bands):
        assert upper.min_score > lower.max_score  # a score never spans two bands
    assert [b.band for b in bands] == list(range(1, len(bands) + 1))  # numbered 1, 2, 3... however merged
    for b in bands:  # each band is its range of scores, and what the leads there did
        inside = (s >= b.min_score) & (s <= b.max_score)
        assert (b.leads, b.converted) == (inside.sum(), (inside & y).sum())
        assert b.cumulative_leads == pytest.approx((s >= b.min_score).mean())
    if len(set(s.tolist())) <= metrics.DECILES:  # few scores: never two in one band
        assert all(b.min_score == b.max_score for b in bands)


def test_a_small_top_score_is_not_merged_into_a_big_tie_below_it() -> None:
    # 8% of the leads at 10 convert at 43%; the other 92% at 0: two bands, the top one's lift 3.6
    s, y = [10] * 393 + [0] * 4510, [True] * 170 + [False] * 223 + [True] * 418 + [False] * 4092
    top, rest = metrics.gains(s, y)
    assert (top.leads, top.converted, rest.leads) == (393, 170, 4510)
    assert top.lift == pytest.approx((170 / 393) / (588 / 4903))


def test_gains_by_decile_hand_example() -> None:
    s = list(range(20, 0, -1))  # 20 distinct scores: two leads per decile
    y = [True] * 4 + [False] * 16
    bands = metrics.gains(s, y)
    assert [b.leads for b in bands] == [2] * 10
    assert [b.converted for b in bands[:3]] == [2, 2, 0]
    assert bands[0].lift == pytest.approx(1.0 / 0.2)
    assert bands[1].cumulative_captured == 1.0


def test_rate_by_label_in_the_given_order() -> None:
    rates = metrics.rate_by(
        ["cold", "hot", "hot", "warm"], [False, True, False, True], ["hot", "warm", "cold"]
    )
    assert [(r.label, r.leads, r.converted, r.rate) for r in rates] == [
        ("hot", 2, 1, 0.5),
        ("warm", 1, 1, 1.0),
        ("cold", 1, 0, 0.0),
    ]
