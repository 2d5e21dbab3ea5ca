"""Small vectorised helpers shared by the generators: weighted draws, string gathers, dates."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from leadscore.errors import UsageError

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def weighted_choice(rng: np.random.Generator, weights: npt.ArrayLike, size: int) -> Ints:
    """Indices drawn with the given relative weights."""
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.searchsorted(cdf / cdf[-1], rng.random(size), side="right").astype(np.int64)


def take(values: Sequence[str | None], idx: Ints | pl.Series) -> pl.Series:
    """A String series of ``values[idx]``, without materialising Python strings per row."""
    return pl.Series(list(values), dtype=pl.String).gather(idx)


def sigmoid(x: Floats) -> Floats:
    return 1.0 / (1.0 + np.exp(-x))


def ascii_slug(name: str) -> str:
    """José -> jose, Weiß -> weiss, O'Brien -> obrien, van den Berg -> vandenberg."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    return "".join(c for c in decomposed if c.isalnum() and c.isascii()).lower()


def iso_days_before(as_of: date, days: Ints) -> pl.Series:
    """ISO dates ``days`` days before ``as_of``, as text."""
    day = np.datetime64(as_of, "D") - days.astype("timedelta64[D]")
    return pl.Series(day).cast(pl.String)


def yes_no(flags: Bools) -> pl.Series:
    return take(("no", "yes"), flags.astype(np.int64))


def unmatched_ids(rng: np.random.Generator, ids: pl.Series, k: int) -> pl.Series:
    """``k`` ids like ``L9048213``, longer than every id in ``ids`` so none can match one."""
    width = max(6, int(ids.str.len_chars().to_numpy().max(initial=0)))
    return "L9" + pl.Series(rng.integers(0, 10**width, k)).cast(pl.String).str.zfill(width)


def check_count(name: str, value: int) -> None:
    if value < 0:
        raise UsageError(f"{name} must be 0 or more, got {value}.")
