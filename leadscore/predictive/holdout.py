"""Hold out the newest leads: learn from the older ones, measure on the newest.

This is how the large CRMs check a predictive model: a model is only as good as its scores on
leads it has not seen, and the leads it will meet are newer than any it learnt from. ``fit``
and ``evaluate`` given the same ``--holdout-by`` column split the history the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from typing import Any

import polars as pl

from leadscore.coerce import Conventions
from leadscore.compiler import PREFIX, Context
from leadscore.errors import InputError, UsageError, did_you_mean
from leadscore.model import DEFAULT_NULL_VALUES

HOLDOUT_SHARE = 0.20


@dataclass(frozen=True)
class Holdout:
    """The newest leads by one date column."""

    column: str
    rows: int  # leads in the holdout
    of: int  # leads with a readable date to choose from
    undated: int  # leads without a readable date (never in the holdout)
    first: dt.date
    last: dt.date

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["first"], d["last"] = self.first.isoformat(), self.last.isoformat()
        return d

    def describe(self) -> str:
        undated = f"; {self.undated:,} without a date" if self.undated else ""
        return (
            f"the newest {self.rows:,} of {self.of:,} leads by '{self.column}' "
            f"({self.first.isoformat()} to {self.last.isoformat()}{undated})"
        )


def split_newest(
    frame: pl.DataFrame,
    column: str,
    *,
    as_of: dt.date,
    share: float = HOLDOUT_SHARE,
    conventions: Conventions = Conventions(),
) -> tuple[pl.DataFrame, pl.DataFrame, Holdout]:
    """``(older, newest, holdout)``: the newest ``share`` of the rows with a date in ``column``,
    and every other row (those without a readable date included), each in its original order.

    Rows are ordered by date, then by their place in the file, so ties split the same way on
    every run.
    """
    if column not in frame.columns:
        raise UsageError(
            f"--holdout-by: no column '{column}' in the history{did_you_mean(column, frame.columns)}"
        )
    ctx = Context(frame.schema, DEFAULT_NULL_VALUES, as_of, conventions)
    date = ctx.reader(column).date()  # registers the reading that add_readings adds
    row, key = f"{PREFIX}row", f"{PREFIX}holdout_date"
    dated = ctx.add_readings(frame.lazy().with_row_index(row)).select(row, date.alias(key)).collect()
    have = dated.filter(pl.col(key).is_not_null())
    if have.height == 0:
        raise InputError(
            f"--holdout-by: column '{column}' has no dates that can be read; "
            "give --holdout-by a column of dates, such as the day each lead was created"
        )
    newest = have.sort([key, row]).tail(max(1, math.ceil(share * have.height)))
    picked = frame.with_row_index(row).get_column(row).is_in(newest.get_column(row).implode())
    holdout = Holdout(
        column=column,
        rows=newest.height,
        of=have.height,
        undated=dated.height - have.height,
        first=newest.get_column(key).min(),  # type: ignore[arg-type]
        last=newest.get_column(key).max(),  # type: ignore[arg-type]
    )
    return frame.filter(~picked), frame.filter(picked), holdout
