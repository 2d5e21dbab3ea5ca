"""Binning numbers and grouping categories: round cuts, monotone pooling, peaks that survive."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadscore.predictive import binning


@pytest.mark.parametrize(
    ("x", "expected"),
    [(187.3, 190.0), (1234.0, 1200.0), (0.0437, 0.044), (7.0, 7.0), (-56.0, -56.0), (0.0, 0.0)],
)
def test_nice_number(x: float, expected: float) -> None:
    assert binning.nice_number(x) == expected


def test_candidate_cuts_are_round_whole_numbers_inside_the_range_for_whole_data() -> None:
    x = np.random.default_rng(1).lognormal(5, 1.5, 2000).round()
    cuts = binning.candidate_cuts(x, integral=True)
    assert cuts == sorted(set(cuts))
    assert all(float(c).is_integer() for c in cuts)
    assert all(x.min() < c <= x.max() for c in cuts)
    assert len(cuts) >= 8


def test_assign_puts_a_cut_value_in_the_upper_bin() -> None:
    assert binning.assign(np.array([0.0, 9.9, 10.0, 25.0, 99.0]), [10.0, 25.0]).tolist() == [0, 0, 1, 2, 2]


counts_and_positives = st.lists(
    st.tuples(st.integers(min_value=1, max_value=200), st.floats(min_value=0, max_value=1)),
    min_size=1,
    max_size=12,
).map(lambda rows: (np.array([c for c, _ in rows], float), np.array([round(c * r) for c, r in rows], float)))


@given(counts_and_positives, st.booleans())
def test_pooled_adjacent_violators_give_a_monotone_rate(
    data: tuple[np.ndarray, np.ndarray], rising: bool
) -> None:
    counts, pos = data
    starts = binning.monotone_groups(counts, pos, rising=rising)
    assert starts[0] == 0
    assert starts == sorted(set(starts))
    bounds = [*starts, len(counts)]
    rates = [pos[a:b].sum() / counts[a:b].sum() for a, b in itertools.pairwise(bounds)]
    steps = np.diff(rates)
    assert (steps > 0).all() if rising else (steps < 0).all()


@given(counts_and_positives)
def test_category_groups_are_a_partition(data: tuple[np.ndarray, np.ndarray]) -> None:
    counts, pos = data
    groups = binning.group_categories(counts, pos)
    assert sorted(i for g in groups for i in g) == list(range(len(counts)))


def test_alike_bins_merge_and_different_ones_do_not() -> None:
    counts = np.array([500.0, 500.0, 500.0, 500.0])
    pos = np.array([50.0, 52.0, 150.0, 149.0])
    assert binning.merge_similar(counts, pos) == [0, 2]


def test_every_bin_holds_enough_leads() -> None:
    rng = np.random.default_rng(4)
    x = rng.exponential(100, 3000).round()
    y = rng.random(3000) < 0.2
    found = binning.bin_numbers(x, y, integral=True)
    sizes = np.bincount(binning.assign(x, found.cuts))
    assert sizes.min() >= binning.min_rows(3000)


def _rates(x: np.ndarray, y: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    bins = binning.assign(x, cuts)
    return np.bincount(bins, weights=y) / np.bincount(bins)


def test_a_sweet_spot_keeps_its_peak() -> None:
    rng = np.random.default_rng(7)
    size = np.exp(rng.normal(np.log(180), 2.0, 6000)).round() + 1
    peak = np.exp(-((np.log10(size) - 2.8) ** 2) / (2 * 0.4**2))
    y = rng.random(6000) < 1 / (1 + np.exp(-(-2.5 + 2.0 * peak)))
    found = binning.bin_numbers(size, y, integral=True)
    assert found.shape == "peaked"
    rates = _rates(size, y, found.cuts)
    top = int(rates.argmax())
    assert 0 < top < len(rates) - 1  # highest in the middle, lower at both ends


def test_a_steady_trend_stays_monotone_with_several_steps() -> None:
    rng = np.random.default_rng(8)
    x = rng.normal(50, 15, 6000).round(1)
    y = rng.random(6000) < 1 / (1 + np.exp(-(-2 + 0.05 * (x - 50))))
    found = binning.bin_numbers(x, y, integral=False)
    assert found.shape == "rising"
    assert len(found.cuts) >= 5
    assert (np.diff(_rates(x, y, found.cuts)) > 0).all()


def test_a_column_with_one_value_has_no_cuts() -> None:
    x = np.full(500, 3.0)
    assert binning.bin_numbers(x, np.arange(500) % 5 == 0, integral=True) == binning.NumberBins((), "flat")
