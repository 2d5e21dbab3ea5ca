"""Where the good leads come from: scored leads summed up per value of a column (lead source,
campaign, country, segment, ...).

Per value: the number of leads and their share, the mean and median score, the share of leads in
each tier, the qualified count and rate, and, given an outcome column, the conversions, the
conversion rate (over the leads whose outcome is known) and the value's share of all conversions.
It reads any scored output: every column is read the way rules read them, so a CSV read as text
and a Parquet file give the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import polars as pl

from leadscore import coerce, outcomes
from leadscore.engine import QUALIFIED, SCORE, TIER
from leadscore.errors import InputError, counted, did_you_mean, quote_list
from leadscore.model import DEFAULT_NULL_VALUES
from leadscore.readability import example_text

BLANK = "(blank)"


class Messages(NamedTuple):
    notices: list[str]
    warnings: list[str]


@dataclass(frozen=True)
class SourceTable:
    """One ``--by`` column: a row per value, best mean score first."""

    by: str
    # value (of the column ``by``: a column named by it could clash with the measures, e.g.
    # --by qualified), leads, lead_share, mean_score, median_score, <tier>_share..., qualified...
    table: pl.DataFrame
    tiers: tuple[str, ...]  # tier labels, the highest first (by their mean score)
    target: str | None
    totals: dict[str, float | int | None] = field(default_factory=dict)  # the same measures over all leads


def _measures(tiers: Sequence[str], has_qualified: bool, target: bool) -> list[pl.Expr]:
    out = [
        pl.len().cast(pl.Int64).alias("leads"),
        pl.col("__score").mean().round(2).alias("mean_score"),
        pl.col("__score").median().round(2).alias("median_score"),
    ]
    out += [((pl.col("__tier") == t).sum() / pl.len()).round(4).alias(f"{t}_share") for t in tiers]
    if has_qualified:
        out += [
            pl.col("__qualified").fill_null(False).sum().cast(pl.Int64).alias("qualified"),
            pl.col("__qualified").fill_null(False).mean().round(4).alias("qualified_rate"),
        ]
    if target:
        known = pl.col("__outcome").is_not_null().sum()
        won = pl.col("__outcome").fill_null(False).sum()
        out += [
            won.cast(pl.Int64).alias("conversions"),
            pl.when(known > 0).then(won / known).round(4).alias("conversion_rate"),
        ]
    return out


def source_tables(
    scored: pl.DataFrame | pl.LazyFrame,
    by: Sequence[str],
    *,
    target: str | None = None,
    positive: str | None = None,
    source: str = "the scored file",
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
    decimal_comma: bool = False,
) -> tuple[list[SourceTable], Messages]:
    """One table per ``by`` column, and what to tell the user: notices (values written in other
    capitals counted as one) and warnings (outcome or qualified values that could not be read).

    ``target`` is read by :func:`leadscore.outcomes.status`, with ``positive`` the value that
    means converted when the column is not in the usual words. ``decimal_comma``: the scores are
    written 42,5, as leadscore writes them in a ';'-separated file.

    Raises :class:`InputError` when a column is missing or ``score`` cannot be read at all.
    """
    lf = scored.lazy()
    schema = lf.collect_schema()
    names = schema.names()
    needed = [SCORE, *by, *([target] if target else [])]
    missing = [c for c in dict.fromkeys(needed) if c not in names]
    if missing:
        hint = "; score the leads first (leadscore score leads.csv)" if SCORE in missing else ""
        raise InputError(
            "; ".join(f"column '{c}' is not in {source}{did_you_mean(c, names)}" for c in missing) + hint
        )
    nulls = tuple(null_values)
    score = coerce.number(pl.col(SCORE), schema[SCORE], nulls, decimal_comma=decimal_comma)
    columns = [score.alias("__score")]
    has_tier, has_qualified = TIER in names, QUALIFIED in names
    if has_tier:
        columns.append(coerce.text(pl.col(TIER), schema[TIER], nulls).alias("__tier"))
    if has_qualified:
        columns += [
            coerce.boolean(pl.col(QUALIFIED), schema[QUALIFIED], nulls).alias("__qualified"),
            coerce.text(pl.col(QUALIFIED), schema[QUALIFIED], nulls).alias("__qualified_text"),
        ]
    if target:
        columns += [
            outcomes.status(pl.col(target), schema[target], nulls, positive=positive).alias("__status"),
            coerce.text(pl.col(target), schema[target], nulls).alias("__outcome_text"),
        ]
    columns += [
        coerce.text(pl.col(c), schema[c], nulls).fill_null(BLANK).alias(f"__by_{i}") for i, c in enumerate(by)
    ]
    data = lf.select(columns).collect()
    if data["__score"].is_not_null().sum() == 0 and data.height:
        raise InputError(
            f"column 'score' in {source} holds no numbers; give a file that 'leadscore score' wrote"
        )
    warnings = _unread_qualified(data) if has_qualified else []
    if target:
        warnings += _outcome_notices(data, target, positive, source)
        data = data.with_columns(outcomes.converted(pl.col("__status")).alias("__outcome"))
    tiers = _tier_order(data) if has_tier else ()
    measures = _measures(tiers, has_qualified, bool(target))
    totals = data.select(measures).row(0, named=True)
    tables, notices = [], []
    for i, column in enumerate(by):
        # as rules compare text: 'Webinar' and 'webinar' are one value
        keyed = data.with_columns(pl.col(f"__by_{i}").str.to_lowercase().alias("__key"))
        spellings = _spellings(keyed, f"__by_{i}")
        shown = spellings.select("__key", pl.col("spelt").alias("value"))
        table = keyed.group_by("__key").agg(measures).join(shown, on="__key").drop("__key")
        notices += _merged_spellings(spellings, column)
        table = table.with_columns((pl.col("leads") / data.height).round(4).alias("lead_share"))
        if target:
            won = totals["conversions"] or 0
            share = (pl.col("conversions") / won).round(4) if won else pl.lit(None, dtype=pl.Float64)
            table = table.with_columns(share.alias("conversion_share"))
        order = [c for c in ("value", "leads", "lead_share") if c in table.columns]
        table = table.select(*order, pl.exclude(order)).sort(
            ["mean_score", "leads", "value"], descending=[True, True, False], nulls_last=True
        )
        tables.append(
            SourceTable(column, table, tiers, target, {**totals, "lead_share": 1.0, "conversion_share": 1.0})
        )
    return tables, Messages(notices, warnings)


def _spellings(keyed: pl.DataFrame, value: str) -> pl.DataFrame:
    """Per ``__key``: the spelling most leads have (the first in the file on a tie), and all of them."""
    tallies = (
        keyed.with_row_index("__row")
        .group_by("__key", value)
        .agg(pl.len().alias("n"), pl.col("__row").min().alias("first"))
        .sort(["n", "first"], descending=[True, False])
    )
    return tallies.group_by("__key", maintain_order=True).agg(
        pl.col(value).first().alias("spelt"), pl.col(value).alias("all")
    )


def _merged_spellings(spellings: pl.DataFrame, column: str) -> list[str]:
    """A notice when values of ``column`` that differ only in capitals were counted as one."""
    merged = spellings.filter(pl.col("all").list.len() > 1).sort("__key")
    if not merged.height:
        return []
    spelt, every = merged.row(0)[1:]
    others = quote_list(v for v in every if v != spelt)
    more = (
        f"; and {counted(merged.height - 1, 'other value')} in several capitals" if merged.height > 1 else ""
    )
    return [f"column '{column}': {others} counted as '{spelt}', as rules ignore capitals{more}"]


def _unread_qualified(data: pl.DataFrame) -> list[str]:
    """A warning when cells of ``qualified`` are not yes/no, so count as not qualified."""
    unread = data.filter(pl.col("__qualified").is_null() & pl.col("__qualified_text").is_not_null())
    if not unread.height:
        return []
    present = data["__qualified_text"].is_not_null().sum()
    example = example_text(
        unread["__qualified_text"][0], (unread["__qualified_text"] == unread["__qualified_text"][0]).sum()
    )
    return [
        f"{unread.height:,} of {present:,} values in column '{QUALIFIED}' are not yes/no ({example}); "
        "they count as not qualified"
    ]


def _tier_order(data: pl.DataFrame) -> tuple[str, ...]:
    """Tier labels from the highest to the lowest, judged by the mean score of their leads."""
    means = data.filter(pl.col("__tier").is_not_null()).group_by("__tier").agg(pl.col("__score").mean())
    return tuple(
        means.sort(["__score", "__tier"], descending=[True, False], nulls_last=True)["__tier"].to_list()
    )


def _outcome_notices(data: pl.DataFrame, target: str, positive: str | None, source: str) -> list[str]:
    shown = data.select(pl.col("__outcome_text").alias(target))  # already read as text
    outcomes.require_won(data["__status"], shown, target, (), positive=positive, source=source)
    unread = data.filter(pl.col("__status").is_null())
    present = data["__outcome_text"].is_not_null().sum()
    if not unread.height:
        return []
    example = unread["__outcome_text"][0]
    if unread.height == present:
        raise InputError(
            f"none of the {present:,} values in column '{target}' of {source} reads as an outcome (e.g. '{example}'); "
            "use yes/no, true/false, 1/0 or won/lost, or say which value means converted with --positive VALUE"
        )
    return [
        f"{unread.height:,} of {present:,} values in column '{target}' are not an outcome (e.g. '{example}'); "
        "they count as open"
    ]


def long_table(tables: Sequence[SourceTable]) -> pl.DataFrame:
    """Every table in one, for a file: ``by`` (the column) and ``value`` first."""
    parts = [t.table.select(pl.lit(t.by).alias("by"), pl.all()) for t in tables]
    return pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame()


def share_columns(table: pl.DataFrame) -> tuple[str, ...]:
    """The columns of a table that hold shares (0.156 for 15.6%): ``lead_share``, ``hot_share``,
    ``qualified_rate``, ``conversion_rate``..."""
    return tuple(c for c in table.columns if c.endswith(("_share", "_rate")))
