"""Leads that appear twice in a history: counted twice, unless ``--dedupe`` keeps one row of each.

The same checks and words as ``score`` (:mod:`leadscore.ids`): a warning by default, the first
or last row of each repeated id kept on request, or an error.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from leadscore.errors import UsageError
from leadscore.ids import ROW_ID, Dedupe, check_ids, deduplicated, repeats_warning
from leadscore.model import DEFAULT_NULL_VALUES


def one_row_per_lead(
    frame: pl.DataFrame,
    id_column: str | None,
    source: str,
    keep: Dedupe | None = None,
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
) -> tuple[pl.DataFrame, list[str]]:
    """``frame`` with one row per id when ``keep`` is first or last, and what to tell the user.

    Raises :class:`~leadscore.errors.InputError` for a repeated id when ``keep`` is ``"error"``, and
    :class:`~leadscore.errors.UsageError` for any ``keep`` when the history has no id column.

    Examples
    --------
    >>> history = pl.DataFrame({"lead_id": ["A", "B", "A"], "won": ["no", "no", "yes"]})
    >>> one_row_per_lead(history, "lead_id", "h.csv")[1]
    ["1 lead_id value is repeated in h.csv ('A' on 2 rows); every row is kept: use --dedupe first or --dedupe last to keep one"]
    >>> kept, notes = one_row_per_lead(history, "lead_id", "h.csv", "last")
    >>> kept["won"].to_list(), notes
    (['no', 'yes'], ["h.csv: kept the last row of each repeated lead_id and left out 1 row ('A' on 2 rows)"])
    """
    if id_column is None or id_column not in frame.columns:
        if keep is not None:
            what = (
                "no id column (lead_id, id, or a name ending in _id)"
                if id_column is None or id_column == ROW_ID
                else f"no column '{id_column}', the model's id"
            )
            raise UsageError(
                f"--dedupe keeps one row per lead id, but {source} has {what}; leave --dedupe out"
            )
        return frame, []
    found = check_ids(frame.lazy(), id_column, null_values)
    if not found.duplicate_ids:
        return frame, []
    if keep is None:
        return frame, [repeats_warning(found, id_column, source)]
    kept, notes = deduplicated(frame.lazy(), found, id_column, source, keep, null_values)
    return kept.collect(), notes
