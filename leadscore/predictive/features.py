"""Turn each usable history column into bins, each bin a condition a model rule can state.

A bin's condition is an ordinary model predicate (``gte``/``lt`` for numbers, ``within_days``/
``older_than_days`` for dates, ``in``/``not_in`` for categories, ``equals`` for yes/no,
``missing`` for empty cells). The design matrix of the regression is those very conditions
run by the scoring engine, so the learnt rules give exactly the scores the regression saw.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from leadscore.coerce import Conventions
from leadscore.compiler import Context, compile_predicate
from leadscore.model import DEFAULT_NULL_VALUES, AllOf, Condition, Predicate
from leadscore.predictive import binning
from leadscore.predictive.profile import BOOLEAN, CATEGORY, DATE, NUMBER, ColumnProfile

MAX_CATEGORIES = 30  # the most common values kept as themselves; the rest are pooled as "other"
MIN_CATEGORY_SHARE = 0.005
MIN_CATEGORY_ROWS = 20
MIN_KEPT_SHARE = 0.5  # a text column whose kept values cover less than this is skipped
LABEL_VALUES = 3  # values named in a category bin's label before "+N more"


@dataclass(frozen=True)
class Bin:
    """One part of a column: the leads whose value meets ``condition``.

    A range of a number (or of a date's age in days) also keeps its bounds, ``low <= x < high``
    (None for an open end), so that neighbouring ranges can be joined into one rule.
    """

    label: str
    condition: Predicate
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Feature:
    """A column cut into bins. ``shape`` says how: rising, falling, peaked, groups or yes/no.

    ``ordered`` bins (the first ``ordered`` ones) are ranges of one number, lowest first.
    """

    column: str
    kind: str
    shape: str
    bins: tuple[Bin, ...]
    ordered: int = 0
    integral: bool = False


@dataclass(frozen=True)
class Skipped:
    column: str
    reason: str


def fmt_value(x: float) -> str:
    """A cut point as people write it: 1200 -> '1,200', 0.5 -> '0.5'."""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,g}"


def toml_number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _readings(frame: pl.DataFrame, profiles: Sequence[ColumnProfile], ctx: Context) -> pl.DataFrame:
    exprs: list[pl.Expr] = []
    for i, p in enumerate(profiles):
        reader = ctx.reader(p.name)
        exprs.append(reader.is_missing().alias(f"missing_{i}"))
        if p.kind == NUMBER:
            exprs.append(reader.number().alias(f"value_{i}"))
        elif p.kind == DATE:
            exprs.append(reader.age_days().cast(pl.Float64).alias(f"value_{i}"))
        elif p.kind == CATEGORY:
            exprs += [reader.folded().alias(f"value_{i}"), reader.text().alias(f"text_{i}")]
    return ctx.add_readings(frame.lazy()).select(exprs).collect()


def build_features(
    frame: pl.DataFrame,
    y: npt.NDArray[np.bool_],
    profiles: Sequence[ColumnProfile],
    *,
    as_of: dt.date,
    conventions: Conventions = Conventions(),
    seed: int = 0,
) -> tuple[list[Feature], list[Skipped]]:
    """Bins for every profiled column that has a usable kind; the rest come back as skipped."""
    used = [p for p in profiles if p.kind is not None]
    ctx = Context(frame.schema, DEFAULT_NULL_VALUES, as_of, conventions)
    readings = _readings(frame, used, ctx)
    features: list[Feature] = []
    skipped: list[Skipped] = []
    for i, p in enumerate(used):
        missing = readings.get_column(f"missing_{i}").to_numpy().astype(bool)
        if p.kind == BOOLEAN:
            found: Feature | str = _boolean_feature(p.name, missing)
        elif p.kind == CATEGORY:
            values = readings.get_column(f"value_{i}")
            found = _category_feature(p.name, values, readings.get_column(f"text_{i}"), y, missing)
        else:
            values_f = readings.get_column(f"value_{i}").to_numpy().astype(np.float64)
            found = _number_feature(p, values_f, y, missing, seed)
        if isinstance(found, str):
            skipped.append(Skipped(p.name, found))
        else:
            features.append(found)
    return features, skipped


def _missing_bin(column: str) -> Bin:
    return Bin("missing", Condition(column, "missing", True))


def _boolean_feature(column: str, missing: npt.NDArray[np.bool_]) -> Feature:
    bins = [Bin("yes", Condition(column, "equals", True)), Bin("no", Condition(column, "equals", False))]
    if missing.any():
        bins.append(_missing_bin(column))
    return Feature(column, BOOLEAN, "yes/no", tuple(bins))


def _present_or_missing(column: str, kind: str, missing: npt.NDArray[np.bool_]) -> Feature | str:
    """A column whose values show no pattern may still tell something by being empty."""
    if not missing.any():
        return "no pattern: leads convert at about the same rate whatever its value"
    bins = (Bin("filled in", Condition(column, "missing", False)), _missing_bin(column))
    return Feature(column, kind, "filled in?", bins)


def _number_feature(
    p: ColumnProfile,
    values: npt.NDArray[np.float64],
    y: npt.NDArray[np.bool_],
    missing: npt.NDArray[np.bool_],
    seed: int,
) -> Feature | str:
    present = ~np.isnan(values)
    integral = p.integral or p.kind == DATE
    found = binning.bin_numbers(values[present], y[present], integral=integral, seed=seed)
    cuts = list(found.cuts)
    if p.kind == DATE:
        # whole days, the first at least 1, so each bin reads as within_days / older_than_days
        cuts = [c for c in cuts if c >= 1]
    if not cuts:
        return _present_or_missing(p.name, p.kind or NUMBER, missing)
    kind = p.kind or NUMBER
    bounds: list[float | None] = [None, *cuts, None]
    bins = [range_bin(p.name, kind, lo, hi, integral) for lo, hi in itertools.pairwise(bounds)]
    ordered = len(bins)
    if missing.any():
        bins.append(_missing_bin(p.name))
    return Feature(p.name, kind, found.shape, tuple(bins), ordered, integral)


def range_bin(column: str, kind: str, lo: float | None, hi: float | None, integral: bool) -> Bin:
    """The bin ``lo <= x < hi`` of a number, or of a date's age in whole days."""
    if kind == DATE:
        return _age_bin(column, None if lo is None else int(lo), None if hi is None else int(hi))
    parts = []
    if lo is not None:
        parts.append(Condition(column, "gte", toml_number(lo)))
    if hi is not None:
        parts.append(Condition(column, "lt", toml_number(hi)))
    if lo is None and hi is not None:
        label = f"under {fmt_value(hi)}"
    elif hi is None and lo is not None:
        label = f"{fmt_value(lo)} or more"
    elif lo is not None and hi is not None:
        if not integral:
            label = f"{fmt_value(lo)} to under {fmt_value(hi)}"
        else:
            label = fmt_value(lo) if hi - 1 == lo else f"{fmt_value(lo)} to {fmt_value(hi - 1)}"
    else:
        return Bin("filled in", Condition(column, "missing", False))
    return Bin(label, parts[0] if len(parts) == 1 else AllOf(tuple(parts)), lo, hi)


def _age_bin(column: str, lo: int | None, hi: int | None) -> Bin:
    """Ages ``lo <= days < hi``: "older than lo - 1 days" and "within hi - 1 days" (cuts are >= 1)."""
    parts = []
    if lo is not None:
        parts.append(Condition(column, "older_than_days", lo - 1))
    if hi is not None:
        parts.append(Condition(column, "within_days", hi - 1))
    if lo is None and hi is not None:
        label = f"within {hi - 1} days"
    elif hi is None and lo is not None:
        label = f"over {lo - 1} days ago"
    elif lo is not None and hi is not None:
        label = f"{lo} days ago" if hi - 1 == lo else f"{lo} to {hi - 1} days ago"
    else:
        return Bin("filled in", Condition(column, "missing", False))
    return Bin(label, parts[0] if len(parts) == 1 else AllOf(tuple(parts)), lo, hi)


def joined(feature: Feature, members: Sequence[int]) -> Bin:
    """One bin for neighbouring ranges, or for categories, that earned the same points."""
    bins = [feature.bins[i] for i in members]
    if len(bins) == 1:
        return bins[0]
    if all(i < feature.ordered for i in members):
        return range_bin(feature.column, feature.kind, bins[0].low, bins[-1].high, feature.integral)
    values = [v for b in bins for v in _in_values(b)]
    return _category_bin(feature.column, values)


def _in_values(b: Bin) -> tuple[str, ...]:
    assert isinstance(b.condition, Condition)
    assert b.condition.op == "in"
    return tuple(b.condition.value)


def _category_feature(
    column: str,
    folded: pl.Series,
    text: pl.Series,
    y: npt.NDArray[np.bool_],
    missing: npt.NDArray[np.bool_],
) -> Feature | str:
    present = int((~missing).sum())
    smallest = max(MIN_CATEGORY_ROWS, math.ceil(MIN_CATEGORY_SHARE * len(y)))
    table = (
        pl.DataFrame({"key": folded, "text": text, "y": y})
        .filter(pl.col("key").is_not_null())
        .group_by("key")
        .agg(
            pl.len().alias("count"),
            pl.col("y").sum().alias("pos"),
            # the spelling most leads use, e.g. "Software" rather than "  software "
            pl.col("text").mode().sort().first().alias("shown"),
        )
        .sort(["count", "key"], descending=[True, False])
    )
    kept = table.filter(pl.col("count") >= smallest).head(MAX_CATEGORIES)
    covered = int(kept.get_column("count").sum())
    if covered < MIN_KEPT_SHARE * present:
        return f"too many different values: {table.height:,}, most of them in fewer than {smallest} leads"
    shown = kept.get_column("shown").to_list()
    counts = kept.get_column("count").cast(pl.Float64).to_numpy()
    pos = kept.get_column("pos").cast(pl.Float64).to_numpy()
    groups = binning.group_categories(counts, pos)
    # rare values are pooled in a bin of their own: "every value not named above"
    other = Bin("other values", Condition(column, "not_in", tuple(shown))) if covered < present else None
    if len(groups) <= 1 and other is None:
        return _present_or_missing(column, CATEGORY, missing)
    bins = [_category_bin(column, [shown[i] for i in g]) for g in reversed(groups)]
    if other is not None:
        bins.append(other)
    if missing.any():
        bins.append(_missing_bin(column))
    return Feature(column, CATEGORY, "groups", tuple(bins))


def _category_bin(column: str, values: list[str]) -> Bin:
    return Bin(_value_label(values), Condition(column, "in", tuple(values)))


def _value_label(values: list[str]) -> str:
    head = ", ".join(values[:LABEL_VALUES])
    more = len(values) - LABEL_VALUES
    return f"{head} +{more} more" if more > 0 else head


def design_matrix(
    frame: pl.DataFrame,
    features: Sequence[Feature],
    *,
    as_of: dt.date,
    conventions: Conventions = Conventions(),
) -> npt.NDArray[np.float64]:
    """One 0/1 column per bin (features in order, bins in order): whether the engine's reading
    of the bin's condition holds for the lead."""
    ctx = Context(frame.schema, DEFAULT_NULL_VALUES, as_of, conventions)
    fired = [
        compile_predicate(b.condition, ctx).alias(f"b{j}")
        for j, b in enumerate(b for f in features for b in f.bins)
    ]
    if not fired:
        return np.zeros((frame.height, 0))
    out = ctx.add_readings(frame.lazy()).select(fired).collect()
    return out.to_numpy().astype(np.float64)


def bin_spans(features: Sequence[Feature]) -> list[range]:
    """The bin columns of each feature in the design matrix."""
    spans, start = [], 0
    for f in features:
        spans.append(range(start, start + len(f.bins)))
        start += len(f.bins)
    return spans


def step_coding(features: Sequence[Feature]) -> npt.NDArray[np.float64]:
    """The matrix ``M`` from bin columns to regression columns (``x @ M``), bin weights being ``M @ coef``.

    Range bins of a number are coded as steps, "at or above cut i", so a bin's weight is the sum
    of the steps below it: the L2 penalty then pulls neighbouring bins toward each other rather
    than every bin toward zero, which keeps a steady trend steady at the thinly populated ends.
    Other bins are coded as themselves. The model space is the same; only the shrinkage differs.
    """
    blocks = []
    for f in features:
        k = len(f.bins)
        block = np.eye(k)
        if f.ordered > 1:
            m = f.ordered
            # bin j (0-based, among the ranges) is at or above cut i (1-based) when j >= i
            steps = np.tril(np.ones((m, m)))[:, 1:]
            block = np.zeros((k, k - 1))
            block[:m, : m - 1] = steps
            block[m:, m - 1 :] = np.eye(k - m)
        blocks.append(block)
    rows = sum(b.shape[0] for b in blocks)
    cols = sum(b.shape[1] for b in blocks)
    out = np.zeros((rows, cols))
    r = c = 0
    for b in blocks:
        out[r : r + b.shape[0], c : c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    return out
