"""Accounts: the scored leads rolled up by company (or any column), for account-based selling.

Leads belong to the same account when the account column says the same thing once spaces and
case are ignored ("Acme  Inc" and "acme inc" are one account); the account is shown as written on
its best lead. Leads with a blank account are one row, "(no account)", listed last and unranked.

The account score is ``[accounts] score`` over the account's lead scores: ``max`` (its best
lead), ``sum``, ``mean`` or ``top2_mean`` (the mean of its two best leads, or its one lead).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from leadscore import coerce
from leadscore.engine import QUALIFIED, RANK, SCORE
from leadscore.errors import InputError, did_you_mean, quote_list
from leadscore.model import DEFAULT_NULL_VALUES

ACCOUNT_SCORES = ("max", "sum", "mean", "top2_mean")
ACCOUNTS_KEYS = ("score", "column")
NO_ACCOUNT = "(no account)"
# Columns of the account table, after the account column itself
LEADS, ACCOUNT_SCORE, BEST_SCORE, MEAN_SCORE, BEST_LEAD = (
    "leads",
    "account_score",
    "best_score",
    "mean_score",
    "best_lead",
)


@dataclass(frozen=True)
class AccountSettings:
    score: str = "max"
    column: str | None = None  # the default for --accounts


@dataclass(frozen=True)
class Accounts:
    """The account table of a run, and where it was written."""

    frame: pl.DataFrame
    column: str
    score: str
    output: str | None = None


def parse_accounts(raw: Any) -> tuple[AccountSettings | None, list[str]]:
    """Validate an ``[accounts]`` table: ``score = "max" | "sum" | "mean" | "top2_mean"``, ``column``."""
    if not isinstance(raw, dict):
        return None, [f"[accounts] must be a table of keys, not {raw!r}"]
    problems = [
        f"[accounts]: unknown key '{k}'{did_you_mean(k, ACCOUNTS_KEYS)}"
        for k in raw
        if k not in ACCOUNTS_KEYS
    ]
    method = raw.get("score", "max")
    if method not in ACCOUNT_SCORES:
        problems.append(
            f"[accounts] score must be one of {quote_list(ACCOUNT_SCORES)}, not {method!r}"
            f"{did_you_mean(str(method), ACCOUNT_SCORES)}"
        )
    column = raw.get("column")
    if column is not None and (not isinstance(column, str) or not column.strip()):
        problems.append(f'[accounts] column must be the name of a column, e.g. "company", not {column!r}')
    if problems:
        return None, problems
    return AccountSettings(score=str(method), column=column.strip() if isinstance(column, str) else None), []


def _account_score(method: str) -> pl.Expr:
    scores = pl.col(SCORE).drop_nulls()
    exprs: Mapping[str, pl.Expr] = {
        "max": scores.max(),
        "sum": scores.sum(),
        "mean": scores.mean(),
        "top2_mean": scores.top_k(2).mean(),
    }
    expr = exprs[method]
    return pl.when(scores.len() > 0).then(expr)


def account_table(
    frame: pl.DataFrame,
    column: str,
    *,
    id_column: str,
    score: str = "max",
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
) -> pl.DataFrame:
    """One row per account, best first: leads, account score, best and mean score, qualified, best lead.

    ``frame`` is scored leads (``score``, ``rank``, and ``qualified`` when the model qualifies).
    """
    if column not in frame.columns:
        raise InputError(
            f"--accounts: column '{column}' is not in the leads{did_you_mean(column, frame.columns)}; "
            "name the column that holds the company or account"
        )
    if score not in ACCOUNT_SCORES:
        raise InputError(f"account score must be one of {quote_list(ACCOUNT_SCORES)}, not '{score}'")
    shown = coerce.text(pl.col(column), frame.schema[column], null_values)
    key = shown.str.replace_all(r"\s+", " ").str.to_lowercase()
    order = pl.col(RANK) if RANK in frame.columns else pl.col(SCORE).rank("ordinal", descending=True)
    aggs = [
        pl.col("__shown").sort_by("__order").first().fill_null(NO_ACCOUNT).alias(column),
        pl.len().cast(pl.Int64).alias(LEADS),
        _account_score(score).round(2).alias(ACCOUNT_SCORE),
        pl.col(SCORE).max().alias(BEST_SCORE),
        pl.col(SCORE).mean().round(2).alias(MEAN_SCORE),
    ]
    if QUALIFIED in frame.columns:
        aggs.append(pl.col(QUALIFIED).fill_null(False).sum().cast(pl.Int64).alias(QUALIFIED))
    aggs.append(pl.col(id_column).sort_by("__order").first().cast(pl.String).alias(BEST_LEAD))
    grouped = (
        frame.lazy()
        .with_columns(shown.alias("__shown"), key.alias("__key"), order.alias("__order"))
        .group_by("__key")
        .agg(aggs)
        .sort(
            [pl.col("__key").is_null(), ACCOUNT_SCORE, BEST_SCORE, column],
            descending=[False, True, True, False],
            nulls_last=True,
        )
        .with_row_index(RANK, offset=1)
        .with_columns(pl.when(pl.col("__key").is_not_null()).then(pl.col(RANK).cast(pl.Int64)).alias(RANK))
        .drop("__key")
        .collect()
    )
    return grouped.select(RANK, pl.exclude(RANK))
