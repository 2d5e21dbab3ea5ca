"""Read the outcome column of a history file: did each past lead convert?

The usual spellings are understood on their own (1/0, true/false, yes/no, y/n, won/lost,
converted/not converted); for anything else, ``positive`` names the value that means
"converted" and every other value means "did not". Empty cells (and the model's placeholders
such as "N/A") are leads still open: they are left out and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from leadscore import coerce
from leadscore.errors import InputError, UsageError, did_you_mean, quote_list
from leadscore.model import DEFAULT_NULL_VALUES

POSITIVE_WORDS = ("1", "true", "t", "yes", "y", "won", "win", "converted", "closed won", "success")
NEGATIVE_WORDS = (
    "0", "false", "f", "no", "n", "lost", "loss", "not converted", "not_converted", "not",
    "closed lost", "failure",
)  # fmt: skip


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
    >>> stage = pl.DataFrame({"stage": ["Closed Won", "Open", None, "closed won "]})
    >>> read_outcome(stage, "stage", positive="closed won").values.to_list()
    [True, False, None, True]
    """
    if target not in frame.columns:
        raise UsageError(
            f"--target: no column '{target}' in {source}{did_you_mean(target, frame.columns)}; "
            "name the column that says whether each lead converted"
        )
    dtype = frame.schema[target]
    words = coerce.folded(pl.col(target), dtype, tuple(null_values))
    if positive is not None:
        wanted = positive.strip().lower()
        if not wanted:
            raise UsageError("--positive must be a value of the target column, e.g. --positive won")
        values = frame.select(pl.when(words.is_not_null()).then(words == wanted).alias(target)).to_series()
        if not values.any():
            raise InputError(
                f"no lead in {source} has '{positive}' in column '{target}'; "
                f"its values include {quote_list(_examples(frame, target, tuple(null_values)), limit=6)}"
            )
        return Outcome(target, values, positive)

    mapping = {**dict.fromkeys(POSITIVE_WORDS, True), **dict.fromkeys(NEGATIVE_WORDS, False)}
    read = frame.select(
        words.alias("word"),
        words.replace_strict(mapping, default=None, return_dtype=pl.Boolean).alias(target),
    )
    unknown = read.filter(pl.col("word").is_not_null() & pl.col(target).is_null())
    if unknown.height:
        raise InputError(
            f"column '{target}' in {source} has values that are not an outcome; its values include "
            f"{quote_list(_examples(frame, target, tuple(null_values)), limit=6)}. Use 1/0, yes/no, "
            "true/false or won/lost, or say which value means converted with --positive VALUE"
        )
    return Outcome(target, read.get_column(target), "yes")


def _examples(frame: pl.DataFrame, target: str, null_values: tuple[str, ...]) -> list[str]:
    """The column's different values as written (trimmed), the most common first."""
    text = coerce.text(pl.col(target), frame.schema[target], null_values).alias("value")
    counts = (
        frame.select(text)
        .drop_nulls()
        .group_by("value")
        .len()
        .sort(["len", "value"], descending=[True, False])
    )
    return counts.get_column("value").head(8).to_list()


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
