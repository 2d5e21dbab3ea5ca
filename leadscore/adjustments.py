"""Sales adjustments: points a rep adds or removes by hand, with the reason, for what no column holds.

An adjustments file has one row per adjustment: ``lead_id`` (or the model's id column),
``points`` and ``reason``, and optionally ``by`` (who), ``expires`` (a date: from the day after,
the row no longer counts) and ``dimension`` (default ``adjustment``). A lead's current rows are
summed per dimension and joined to the leads by id, like event features; the model gets one
rule per dimension, "Sales adjustment", that gives those points. So adjustments go through
dimension caps, the total, tiers, qualification, reasons and explanations like any other rule:
the engine has no special case for them.

Points are rounded like every other rule's: to whole points when every number in the model is
whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from leadscore import coerce
from leadscore.compiler import PREFIX
from leadscore.engine import REASONS
from leadscore.errors import InputError, counted, did_you_mean, for_count, quote_list, spelt_differently
from leadscore.events import KEY, lead_key
from leadscore.explain import AdjustmentLine
from leadscore.model import DEFAULT_NULL_VALUES, Dimension, Model, Rule

if TYPE_CHECKING:
    from leadscore.io import ReadOptions

DIMENSION = "adjustment"
RULE_NAME = "Sales adjustment"
COLUMNS = ("points", "reason", "by", "expires", "dimension")
SHOWN_ROWS = 3  # how many bad rows an error message quotes


@dataclass(frozen=True)
class SalesAdjustments:
    """The adjustments that count on the as-of date, and what was left out."""

    rows: pl.DataFrame  # KEY, points, reason, by, expires (Date), dimension: one row per adjustment
    source: str
    total: int  # rows in the file
    expired: int  # rows whose expiry date is before the as-of date
    without_id: int  # rows with a blank id

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.rows["dimension"].to_list()))

    def spelt_as(self, dimensions: Sequence[str]) -> SalesAdjustments:
        """The rows with each dimension written as the model writes it (``Fit`` is ``fit``).

        Raises :class:`InputError` for a dimension the model does not have: a typo would
        otherwise become a dimension of its own, outside the caps of the one meant. The
        default, ``adjustment``, is always there.
        """
        known = {d.lower(): d for d in (*dimensions, DIMENSION)}
        given = self.rows["dimension"].unique().to_list()
        unknown = sorted(d for d in given if d.lower() not in known)
        if unknown:
            rows = self.rows.filter(pl.col("dimension").is_in(unknown)).height
            first = unknown[0]
            raise InputError(
                f"{self.source} gives points to {'dimension' if len(unknown) == 1 else 'dimensions'} "
                f"{quote_list(unknown)} on {counted(rows, 'row')}{did_you_mean(first, list(dimensions))}, "
                f"which the model does not have (its dimensions: {quote_list(dimensions)}); correct the "
                f"dimension column, or leave it empty for points of their own ('{DIMENSION}')"
            )
        spelt = pl.col("dimension").replace({d: known[d.lower()] for d in given if known[d.lower()] != d})
        return replace(self, rows=self.rows.with_columns(spelt))


@dataclass(frozen=True)
class AdjustmentSummary:
    """What the adjustments of a run did, for the report."""

    source: str
    total: int
    applied: int  # rows that counted for a lead in the leads file
    leads: int  # leads with at least one adjustment
    expired: int
    unknown: int  # current rows whose id is not in the leads file
    unknown_ids: tuple[str, ...]
    without_id: int

    def notices(self, as_of: dt.date) -> list[str]:
        out = []
        if self.expired:
            out.append(
                f"{counted(self.expired, 'adjustment')} in {self.source} expired before {as_of.isoformat()} "
                f"and {for_count(self.expired, 'was', 'were')} ignored"
            )
        if self.unknown:
            shown = quote_list(self.unknown_ids, limit=5)
            out.append(
                f"{counted(self.unknown, 'adjustment')} in {self.source} "
                f"{for_count(self.unknown, 'names', 'name')} a lead that is not in the leads ({shown})"
            )
        if self.without_id:
            out.append(
                f"{counted(self.without_id, 'adjustment')} in {self.source} "
                f"{for_count(self.without_id, 'has', 'have')} no lead id and "
                f"{for_count(self.without_id, 'was', 'were')} ignored"
            )
        return out


def load_adjustments(
    frame: pl.DataFrame | pl.LazyFrame,
    *,
    id_column: str = "lead_id",
    as_of: dt.date,
    source: str = "the adjustments file",
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
    conventions: coerce.Conventions = coerce.Conventions(),
) -> SalesAdjustments:
    """Validate an adjustments table and keep the rows that count on ``as_of``.

    Raises :class:`InputError` for a missing column, or points or dates that cannot be read.
    """
    data = _named_as_ours(frame.lazy().collect(), id_column)
    id_col = _id_column(data.columns, id_column, source)
    schema = data.schema
    nulls = tuple(null_values)

    def text(name: str) -> pl.Expr:
        if name not in data.columns:
            return pl.lit(None, dtype=pl.String)
        return coerce.text(pl.col(name), schema[name], nulls)

    expires = (
        coerce.date(pl.col("expires"), schema["expires"], nulls, dayfirst=conventions.dayfirst)
        if "expires" in data.columns
        else pl.lit(None, dtype=pl.Date)
    )
    parsed = data.select(
        lead_key(id_col).alias(KEY),
        coerce.number(
            pl.col("points"), schema["points"], nulls, decimal_comma=conventions.decimal_comma
        ).alias("points"),
        text("points").alias("points_text"),
        text("reason").fill_null("(no reason given)").alias("reason"),
        text("by").alias("by"),
        expires.alias("expires"),
        text("expires").alias("expires_text"),
        text("dimension").fill_null(DIMENSION).alias("dimension"),
    ).with_row_index("row", offset=2)  # the row a spreadsheet shows, under the header
    _check_readable(parsed, "points", "points_text", "points must be numbers", source, blank_too=True)
    _check_readable(parsed, "expires", "expires_text", "expires must be dates (2026-12-31)", source)
    no_id = parsed.filter(pl.col(KEY).is_null() | (pl.col(KEY) == ""))
    current = parsed.filter(pl.col(KEY).is_not_null() & (pl.col(KEY) != ""))
    expired = current.filter(pl.col("expires") < as_of)
    kept = current.filter(pl.col("expires").is_null() | (pl.col("expires") >= as_of))
    return SalesAdjustments(
        rows=kept.select(KEY, "points", "reason", "by", "expires", "dimension"),
        source=source,
        total=data.height,
        expired=expired.height,
        without_id=no_id.height,
    )


def _named_as_ours(data: pl.DataFrame, id_column: str) -> pl.DataFrame:
    """``data`` with headers written as a person types them in a spreadsheet (``Lead ID``,
    ``Points``, ``Expires``) renamed to the columns they stand for (``lead_id``, ``points``,
    ``expires``), unless that column is there already (see :func:`spelt_differently`)."""
    respelt = spelt_differently(dict.fromkeys(("lead_id", id_column, *COLUMNS)), data.columns)
    return data.rename({theirs: ours for ours, theirs in respelt.items()}) if respelt else data


def _id_column(columns: Sequence[str], id_column: str, source: str) -> str:
    ids = [c for c in dict.fromkeys(["lead_id", id_column]) if c in columns]
    missing = [c for c in ("points", "reason") if c not in columns]
    if ids and not missing:
        return ids[0]
    if not ids:
        missing.insert(0, id_column)
    named = ", ".join(f"'{c}'{did_you_mean(c, columns)}" for c in missing)
    raise InputError(
        f"{source} has no {named} column{'s' if len(missing) > 1 else ''}; "
        f"an adjustments file needs the columns {id_column}, points and reason (and may have by, expires)"
    )


def _check_readable(
    parsed: pl.DataFrame, value: str, text: str, what: str, source: str, *, blank_too: bool = False
) -> None:
    bad = pl.col(value).is_null() & (pl.col(text).is_not_null() | blank_too)
    rows = parsed.filter(bad & pl.col(KEY).is_not_null()).head(SHOWN_ROWS).select("row", text).rows()
    if rows:
        shown = ", ".join(
            f"row {row} has {repr(cell) if cell is not None else 'nothing'}" for row, cell in rows
        )
        raise InputError(f"{source}: {what}; {shown}")


# ---------------------------------------------------------------------------------------------
# Into the model and the leads


def adjustment_column(index: int) -> str:
    return f"{PREFIX}adjustment_{index}"


def rule_name(dimension: str, dimensions: Sequence[str]) -> str:
    return RULE_NAME if len(dimensions) <= 1 else f"{RULE_NAME} ({dimension})"


def with_adjustment_rules(model: Model, dimensions: Sequence[str]) -> Model:
    """The model with one "Sales adjustment" rule per dimension the adjustments use."""
    dims = list(dimensions) or [DIMENSION]
    rules = [
        Rule(
            name=rule_name(dim, dims),
            position=len(model.rules) + 1 + i,
            dimension=dim,
            points_per_unit=1.0,
            unit_column=adjustment_column(i),
            description="points added by hand in the adjustments file",
        )
        for i, dim in enumerate(dims)
    ]
    declared = set(model.dimension_names)
    extra = tuple(Dimension(d) for d in dims if d not in declared)
    return replace(model, rules=(*model.rules, *rules), dimensions=(*model.dimensions, *extra))


def join_adjustments(leads: pl.LazyFrame, adjustments: SalesAdjustments, id_column: str) -> pl.LazyFrame:
    """The leads with each lead's summed points per adjustment dimension (0 when it has none)."""
    dims = list(adjustments.dimensions) or [DIMENSION]
    sums = (
        adjustments.rows.lazy()
        .group_by(KEY)
        .agg(
            pl.col("points").filter(pl.col("dimension") == d).sum().alias(adjustment_column(i))
            for i, d in enumerate(dims)
        )
    )
    keyed = leads.with_columns(lead_key(id_column).alias(KEY))
    joined = keyed.join(sums, on=KEY, how="left", maintain_order="left").drop(KEY)
    return joined.with_columns(pl.col(adjustment_column(i)).fill_null(0.0) for i in range(len(dims)))


def label_reasons(frame: pl.DataFrame, adjustments: SalesAdjustments, id_column: str) -> pl.DataFrame:
    """Say why in the reasons: "Sales adjustment +15" becomes "Sales adjustment: Met at trade show +15"."""
    if REASONS not in frame.columns or adjustments.rows.is_empty():
        return frame
    dims = list(adjustments.dimensions)
    why = adjustments.rows.group_by(KEY, maintain_order=True).agg(
        pl.col("reason").filter(pl.col("dimension") == d).str.join(", ").alias(f"why_{i}")
        for i, d in enumerate(dims)
    )
    keyed = frame.with_columns(lead_key(id_column).alias(KEY)).join(
        why, on=KEY, how="left", maintain_order="left"
    )
    reasons = pl.col(REASONS)
    for i, dim in enumerate(dims):
        name, text = rule_name(dim, dims), pl.col(f"why_{i}")
        for sign in ("+", "-"):
            labelled = reasons.str.replace(
                f"{name} {sign}", pl.lit(f"{name}: ") + text + f" {sign}", literal=True
            )
            reasons = pl.when(text.is_not_null() & (text != "")).then(labelled).otherwise(reasons)
    return keyed.with_columns(reasons.alias(REASONS)).select(frame.columns)


def summarise(adjustments: SalesAdjustments, lead_keys: pl.LazyFrame) -> AdjustmentSummary:
    """Count what counted; ``lead_keys`` holds the leads' ids as :func:`lead_key` reads them (``KEY``)."""
    known = lead_keys.select(KEY).unique().collect()
    rows = adjustments.rows
    unknown = rows.join(known, on=KEY, how="anti")
    return AdjustmentSummary(
        source=adjustments.source,
        total=adjustments.total,
        applied=rows.height - unknown.height,
        leads=rows.join(known, on=KEY, how="semi")[KEY].n_unique(),
        expired=adjustments.expired,
        unknown=unknown.height,
        unknown_ids=tuple(unknown[KEY].unique(maintain_order=True).to_list()),
        without_id=adjustments.without_id,
    )


def lines_for(adjustments: SalesAdjustments, lead_id: str) -> tuple[AdjustmentLine, ...]:
    """The adjustments that counted for one lead, in file order, for an explanation."""
    rows = adjustments.rows.filter(pl.col(KEY) == lead_id.strip())
    return tuple(
        AdjustmentLine(
            points=float(r["points"]),
            reason=r["reason"],
            by=r["by"],
            expires=r["expires"].isoformat() if r["expires"] is not None else None,
            dimension=r["dimension"],
        )
        for r in rows.to_dicts()
    )


def read_adjustments_file(
    sources: Sequence[str | Path],
    *,
    id_column: str,
    as_of: dt.date,
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
    options: ReadOptions | None = None,
) -> SalesAdjustments:
    """Read adjustments from files (CSV, Excel, JSON, Parquet; stacked) and validate them."""
    from leadscore.io import ReadOptions, read_table

    read = read_table(list(sources), options or ReadOptions())
    return load_adjustments(
        read.frame, id_column=id_column, as_of=as_of, source=", ".join(read.sources),
        null_values=null_values, conventions=read.conventions,
    )  # fmt: skip
