"""What changed since the last run: each lead compared, by id, with a file an earlier run wrote.

A nightly job scores the same CRM export again and again; what people act on is the difference.
:func:`compare` adds ``previous_score``, ``previous_tier`` and ``change`` to the ranked leads.
``change`` is one word, chosen in this order (the first that applies wins):

``new``
    the id is not in the previous file;
``newly_qualified`` / ``no_longer_qualified``
    the qualified flag changed (both files must have it);
``up`` / ``down``
    the score went up or down;
``same``
    none of these.

Rows without an id cannot be matched: their ``change`` is empty, and they are never "changed".
Leads of the previous file that are no longer in the input are counted (:attr:`ChangeSummary.gone`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from leadscore import coerce
from leadscore.engine import QUALIFIED, SCORE, TIER
from leadscore.errors import InputError
from leadscore.ids import id_key
from leadscore.io import read_table
from leadscore.model import Model
from leadscore.segments import SegmentedModel

PREVIOUS_SCORE = "previous_score"
PREVIOUS_TIER = "previous_tier"
CHANGE = "change"
NEW, NEWLY_QUALIFIED, NO_LONGER_QUALIFIED = "new", "newly_qualified", "no_longer_qualified"
UP, DOWN, SAME = "up", "down", "same"
CHANGE_KINDS = (NEW, NEWLY_QUALIFIED, NO_LONGER_QUALIFIED, UP, DOWN, SAME)

_KEY = "__leadscore_key"
_FOUND = "__leadscore_found"
_WAS_QUALIFIED = "__leadscore_was_qualified"
_TOLERANCE = 1e-9  # scores are sums of model numbers; this hides float noise, not real changes


@dataclass(frozen=True)
class Previous:
    """The part of an earlier run's output that a comparison needs, one row per id."""

    source: str
    frame: pl.DataFrame  # _KEY, previous_score, previous_tier, _WAS_QUALIFIED
    rows: int  # rows in the file, before repeated ids were dropped
    has_qualified: bool


@dataclass(frozen=True)
class ChangeSummary:
    """How many leads changed in each way, and how many of the previous file are gone."""

    source: str
    counts: dict[str, int]  # every kind in CHANGE_KINDS order, zeros included
    gone: int  # leads of the previous file not in this input
    unmatched: int  # rows with no id, which cannot be compared

    @property
    def changed(self) -> int:
        return sum(n for kind, n in self.counts.items() if kind != SAME)


def read_previous(path: str | Path, model: Model | SegmentedModel) -> Previous:
    """Read a file written by an earlier ``score`` run (any output format but stdout).

    It needs the model's id column and ``score``; ``tier`` and ``qualified`` are used when there.
    A repeated id keeps its first row, which in a ranked file is its best score.
    """
    if str(path) != "-" and not Path(path).exists():
        raise InputError(f"--previous {path}: file not found; on the first run, leave out --previous")
    read = read_table([path])
    name = read.sources[0]
    columns = read.frame.collect_schema()
    for needed in (model.id_column, SCORE):
        if needed not in columns:
            raise InputError(
                f"--previous {name} has no '{needed}' column; give it a file that an earlier "
                "'leadscore score' run wrote with the same model"
            )
    lf = read.frame
    nulls = model.null_values
    key = id_key(lf, model.id_column, nulls).alias(_KEY)
    # a ';'-separated file has leadscore's decimal commas (42,5): read as its reading settles
    decimal_comma = read.conventions.decimal_comma
    score = coerce.number(pl.col(SCORE), columns[SCORE], nulls, decimal_comma=decimal_comma).alias(
        PREVIOUS_SCORE
    )
    tier = (
        coerce.text(pl.col(TIER), columns[TIER], nulls) if TIER in columns else pl.lit(None, pl.String)
    ).alias(PREVIOUS_TIER)
    has_qualified = QUALIFIED in columns
    was = (
        coerce.boolean(pl.col(QUALIFIED), columns[QUALIFIED], nulls)
        if has_qualified
        else pl.lit(None, pl.Boolean)
    ).alias(_WAS_QUALIFIED)
    frame = lf.select(key, score, tier, was).collect()
    rows = frame.height
    frame = frame.filter(pl.col(_KEY).is_not_null()).unique(_KEY, keep="first", maintain_order=True)
    if model.integral and _whole(frame[PREVIOUS_SCORE]):
        frame = frame.with_columns(pl.col(PREVIOUS_SCORE).cast(pl.Int64))
    return Previous(name, frame, rows, has_qualified)


def _whole(values: pl.Series) -> bool:
    present = values.drop_nulls()
    return bool((present == present.round(0)).all()) and bool((present.abs() < 2**53).all())


def change_expr(has_qualify: bool) -> pl.Expr:
    """The ``change`` word of a row joined with its previous row (see the module's docstring)."""
    diff = pl.col(SCORE).cast(pl.Float64) - pl.col(PREVIOUS_SCORE).cast(pl.Float64)
    expr = pl.when(pl.col(_KEY).is_null()).then(None).when(pl.col(_FOUND).is_null()).then(pl.lit(NEW))
    if has_qualify:
        was, now = pl.col(_WAS_QUALIFIED), pl.col(QUALIFIED)
        expr = expr.when(~was & now).then(pl.lit(NEWLY_QUALIFIED))
        expr = expr.when(was & ~now).then(pl.lit(NO_LONGER_QUALIFIED))
    expr = expr.when(diff > _TOLERANCE).then(pl.lit(UP)).when(diff < -_TOLERANCE).then(pl.lit(DOWN))
    return expr.otherwise(pl.lit(SAME)).alias(CHANGE)


def change_columns(model: Model | SegmentedModel) -> list[str]:
    """The columns :func:`compare` adds, in order."""
    return [PREVIOUS_SCORE, *([PREVIOUS_TIER] if model.tiers else []), CHANGE]


def compare(
    ranked: pl.DataFrame, previous: Previous, model: Model | SegmentedModel
) -> tuple[pl.DataFrame, ChangeSummary, list[str]]:
    """Add the previous score and tier and the change to ranked leads, keeping their order.

    Returns the new frame, the counts per change, and warnings (an input column replaced).
    """
    added = change_columns(model)
    replaced = [c for c in added if c in ranked.columns]
    warnings = [f"input column '{c}' is replaced by the new {c} (from --previous)" for c in replaced]
    current = ranked.drop(replaced).with_columns(
        id_key(ranked.lazy(), model.id_column, model.null_values).alias(_KEY)
    )
    matched = previous.frame.with_columns(pl.lit(True).alias(_FOUND))
    joined = current.join(matched, on=_KEY, how="left", maintain_order="left", nulls_equal=False)
    has_qualify = model.has_qualify and previous.has_qualified
    joined = joined.with_columns(change_expr(has_qualify))
    counts = joined.get_column(CHANGE).value_counts()
    found = dict(zip(counts[CHANGE].to_list(), counts["count"].to_list(), strict=True))
    gone = previous.frame.join(current.select(_KEY), on=_KEY, how="anti").height
    summary = ChangeSummary(
        source=previous.source,
        counts={kind: int(found.get(kind, 0)) for kind in CHANGE_KINDS},
        gone=gone,
        unmatched=int(found.get(None, 0)),
    )
    frame = joined.select([*(c for c in current.columns if c != _KEY), *added])
    return frame, summary, warnings


def changed_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Only the rows whose change is not ``same`` (and that have an id): what ``--only-changes`` writes."""
    return frame.filter(pl.col(CHANGE).is_not_null() & (pl.col(CHANGE) != SAME))


def newly_qualified(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col(CHANGE) == NEWLY_QUALIFIED)
