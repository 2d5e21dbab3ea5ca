"""Did a past lead convert? One reading of an outcome column for `report`, `fit` and `evaluate`.

A cell reads as won (yes, true, 1, won, closed won, converted, customer...), lost (no, false,
0, lost, closed lost, disqualified...) or open: blank, a placeholder such as "N/A", or a stage
that has not ended yet (open, pending, in progress, working, new...). ``positive`` names the
one value that means won, for a stage column written in the CRM's own words; every other value
is then lost, except the open ones. Anything else is not an outcome: ``report`` counts it as
open with a notice, ``fit`` and ``evaluate`` stop and ask for ``--positive``.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from leadscore import coerce
from leadscore.errors import InputError, quote_list

WON, LOST, OPEN = "won", "lost", "open"

WON_WORDS = (
    *coerce.TRUE_WORDS,
    "won", "win", "closed won", "closed-won", "closed/won", "converted", "customer", "success",
)  # fmt: skip
LOST_WORDS = (
    *coerce.FALSE_WORDS,
    "lost", "loss", "lose", "closed lost", "closed-lost", "closed/lost", "not converted",
    "not_converted", "not", "disqualified", "failure",
)  # fmt: skip
OPEN_WORDS = (
    "open",
    "pending",
    "in progress",
    "in-progress",
    "working",
    "new",
    "ongoing",
    "nurture",
    "nurturing",
)


def status(
    expr: pl.Expr, dtype: pl.DataType, null_values: Sequence[str], *, positive: str | None = None
) -> pl.Expr:
    """Each cell as ``"won"``, ``"lost"``, ``"open"`` or null (not an outcome).

    ``positive`` (compared trimmed and in any case) is then the only won value, and every value
    but the open ones is lost.

    Examples
    --------
    >>> s = pl.Series(["Yes", "Closed Won", "no", "Lost", "", "Open", "maybe", "1"])
    >>> pl.select(status(pl.lit(s), pl.String, ["N/A"])).to_series().to_list()
    ['won', 'won', 'lost', 'lost', 'open', 'open', None, 'won']
    >>> stage = pl.Series(["Signed", "Closed Won", "Open", None])
    >>> pl.select(status(pl.lit(stage), pl.String, [], positive=" signed")).to_series().to_list()
    ['won', 'lost', 'open', 'open']
    """
    word = coerce.folded(expr, dtype, null_values)
    opened = word.is_null() | word.is_in(OPEN_WORDS)
    if positive is not None:
        won = word == positive.strip().lower()
        return pl.when(won).then(pl.lit(WON)).when(opened).then(pl.lit(OPEN)).otherwise(pl.lit(LOST))
    return (
        pl.when(opened)
        .then(pl.lit(OPEN))
        .when(word.is_in(WON_WORDS))
        .then(pl.lit(WON))
        .when(word.is_in(LOST_WORDS))
        .then(pl.lit(LOST))
    )


def converted(status_expr: pl.Expr) -> pl.Expr:
    """A :func:`status` as True (won), False (lost) or null (open, or not an outcome)."""
    return pl.when(status_expr == WON).then(True).when(status_expr == LOST).then(False)


def require_won(
    statuses: pl.Series,
    frame: pl.DataFrame,
    column: str,
    null_values: Sequence[str],
    *,
    positive: str | None,
    source: str,
) -> None:
    """With ``positive`` given, some lead must have it (a :func:`status` of won): else the value is
    mistyped, and every lead would count as unconverted. ``frame[column]`` gives the values to show."""
    if positive is not None and not (statuses == WON).any():
        raise InputError(
            f"no lead in {source} has '{positive}' in column '{column}'; "
            f"its values include {examples(frame, column, null_values)}"
        )


def unread_values(
    statuses: pl.Series, frame: pl.DataFrame, column: str, null_values: Sequence[str], limit: int = 6
) -> str:
    """The values of ``frame[column]`` that are not an outcome (a null :func:`status` with text),
    the most common first, each with its rows: "'maybe' on data row 17, 'tbd' on 3 rows"."""
    text = coerce.text(pl.col(column), frame.schema[column], tuple(null_values)).alias("value")
    odd = (
        frame.select(text, statuses.is_null().alias("odd"))
        .with_row_index("row", offset=1)
        .filter(pl.col("odd") & pl.col("value").is_not_null())
        .group_by("value")
        .agg(pl.len(), pl.col("row").min())
        .sort(["len", "value"], descending=[True, False])
    )
    shown = [
        f"'{value}' on data row {row}" if n == 1 else f"'{value}' on {n:,} rows"
        for value, n, row in odd.head(limit).rows()  # a few aggregated values, not leads
    ]
    more = f", ... ({odd.height - limit} more)" if odd.height > limit else ""
    return ", ".join(shown) + more


def examples(frame: pl.DataFrame, column: str, null_values: Sequence[str], limit: int = 6) -> str:
    """The column's different values as written (trimmed), quoted, the most common first, and how
    many more there are: for messages."""
    text = coerce.text(pl.col(column), frame.schema[column], tuple(null_values)).alias("value")
    counts = frame.select(text).drop_nulls().group_by("value").len()
    first = counts.sort(["len", "value"], descending=[True, False]).get_column("value").head(limit)
    return quote_list(first.to_list(), limit=limit, total=counts.height)
