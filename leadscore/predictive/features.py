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
    """One part of a column: the leads whose value meets ``condition``."""

    label: str
    condition: Predicate


@dataclass(frozen=True)
class Feature:
    """A column cut into bins. ``shape`` says how: rising, falling, peaked, groups or yes/no."""

    column: str
    kind: str
    shape: str
    bins: tuple[Bin, ...]


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
    dayfirst: bool = False,
    seed: int = 0,
) -> tuple[list[Feature], list[Skipped]]:
    """Bins for every profiled column that has a usable kind; the rest come back as skipped."""
    used = [p for p in profiles if p.kind is not None]
    ctx = Context(frame.schema, DEFAULT_NULL_VALUES, as_of, dayfirst)
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
    bins = _date_bins(p.name, cuts) if p.kind == DATE else _range_bins(p.name, cuts, integral)
    if missing.any():
        bins.append(_missing_bin(p.name))
    return Feature(p.name, p.kind or NUMBER, found.shape, tuple(bins))


def _range_bins(column: str, cuts: list[float], integral: bool) -> list[Bin]:
    def label(lo: float, hi: float) -> str:
        if not integral:
            return f"{fmt_value(lo)} to under {fmt_value(hi)}"
        return fmt_value(lo) if hi - 1 == lo else f"{fmt_value(lo)} to {fmt_value(hi - 1)}"

    bins = [Bin(f"under {fmt_value(cuts[0])}", Condition(column, "lt", toml_number(cuts[0])))]
    for lo, hi in itertools.pairwise(cuts):
        cond = AllOf((Condition(column, "gte", toml_number(lo)), Condition(column, "lt", toml_number(hi))))
        bins.append(Bin(label(lo, hi), cond))
    bins.append(Bin(f"{fmt_value(cuts[-1])} or more", Condition(column, "gte", toml_number(cuts[-1]))))
    return bins


def _date_bins(column: str, cuts: list[float]) -> list[Bin]:
    """Bins of age in whole days: [lo, hi) is "older than lo - 1 days and within hi - 1 days"."""
    days = [int(c) for c in cuts]
    bins = [Bin(f"within {days[0] - 1} days", Condition(column, "within_days", days[0] - 1))]
    for lo, hi in itertools.pairwise(days):
        cond = AllOf((Condition(column, "older_than_days", lo - 1), Condition(column, "within_days", hi - 1)))
        bins.append(Bin(f"{lo} days ago" if hi - 1 == lo else f"{lo} to {hi - 1} days ago", cond))
    bins.append(Bin(f"over {days[-1] - 1} days ago", Condition(column, "older_than_days", days[-1] - 1)))
    return bins


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
        share = covered / present if present else 0.0
        return (
            f"too many different values ({table.height:,}; those in {smallest} or more leads "
            f"cover {share:.0%} of them)"
        )
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
    frame: pl.DataFrame, features: Sequence[Feature], *, as_of: dt.date, dayfirst: bool = False
) -> npt.NDArray[np.float64]:
    """One 0/1 column per bin (features in order, bins in order): whether the engine's reading
    of the bin's condition holds for the lead."""
    ctx = Context(frame.schema, DEFAULT_NULL_VALUES, as_of, dayfirst)
    fired = [
        compile_predicate(b.condition, ctx).alias(f"b{j}")
        for j, b in enumerate(b for f in features for b in f.bins)
    ]
    if not fired:
        return np.zeros((frame.height, 0))
    out = ctx.add_readings(frame.lazy()).select(fired).collect()
    return out.to_numpy().astype(np.float64)
