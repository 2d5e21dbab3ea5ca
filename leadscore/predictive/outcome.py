"""Read the outcome column of a history file: did each past lead convert?

The reading is :mod:`leadscore.outcomes`, the one ``report`` uses: the usual spellings (1/0,
true/false, yes/no, won/lost, closed won/closed lost, converted/not converted...) on their own;
for anything else, ``positive`` names the value that means "converted" and every other value
means "did not". Empty cells, placeholders such as "N/A" and stages not yet ended ("Open",
"In progress") are leads still open: they are left out and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from leadscore import outcomes
from leadscore.errors import InputError, UsageError, did_you_mean
from leadscore.model import DEFAULT_NULL_VALUES


@dataclass(frozen=True)
class Outcome:
    """Outcomes of a history frame, row by row: True, False, or null (no outcome yet)."""

    column: str
    values: pl.Series  # Boolean, null where the lead has no outcome
    positive: str  # what counted as converted, for messages: "yes/1/true/won" or the --positive value

    @property
    def known(self) -> int:
        return self.values.len() - self.values.null_count()

    @property
    def dropped(self) -> int:
        return self.values.null_count()

    @property
    def positives(self) -> int:
        return int(self.values.sum())

    @property
    def rate(self) -> float:
        return self.positives / self.known if self.known else 0.0


def read_outcome(
    frame: pl.DataFrame,
    target: str,
    *,
    positive: str | None = None,
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
    source: str = "the history file",
) -> Outcome:
    """Read ``frame[target]`` as converted (True) / not (False) / no outcome (null).

    Examples
    --------
    >>> frame = pl.DataFrame({"won": ["Yes", "no", "", "N/A", "y"]})
    >>> read_outcome(frame, "won").values.to_list()
    [True, False, None, None, True]
    >>> stage = pl.DataFrame({"stage": ["Signed", "Closed Lost", "Open", None, "signed "]})
    >>> read_outcome(stage, "stage", positive="signed").values.to_list()
    [True, False, None, None, True]
    """
    if target not in frame.columns:
        raise UsageError(
            f"--target: no column '{target}' in {source}{did_you_mean(target, frame.columns)}; "
            "name the column that says whether each lead converted"
        )
    dtype = frame.schema[target]
    if positive is not None and not positive.strip():
        raise UsageError("--positive must be a value of the target column, e.g. --positive won")
    read = frame.select(
        outcomes.status(pl.col(target), dtype, tuple(null_values), positive=positive).alias("status")
    )
    outcomes.require_won(
        read.get_column("status"), frame, target, null_values, positive=positive, source=source
    )
    values = read.select(outcomes.converted(pl.col("status")).alias(target)).to_series()
    statuses = read.get_column("status")
    if statuses.null_count():
        odd = outcomes.unread_values(statuses, frame, target, null_values)
        which = "a value that is" if statuses.null_count() == 1 else "values that are"
        raise InputError(
            f"column '{target}' in {source} has {which} not an outcome: {odd}; use 1/0, yes/no, "
            "true/false or won/lost, or say which value means converted with --positive VALUE"
        )
    return Outcome(target, values, positive if positive is not None else "yes")


def require_both_outcomes(outcome: Outcome, source: str = "the history file") -> None:
    """Learning and measuring need converted and unconverted leads; raise InputError otherwise."""
    if outcome.known == 0:
        raise InputError(
            f"no lead in {source} has an outcome in column '{outcome.column}'; "
            "give --target the column that records whether each lead converted"
        )
    if outcome.positives == 0 or outcome.positives == outcome.known:
        which = "converted" if outcome.positives else "did not convert"
        raise InputError(
            f"every lead with an outcome in {source} {which} (column '{outcome.column}'); "
            "a history needs both converted and unconverted leads"
        )
