"""Lead ids: blank and repeated ids, found with one aggregate query, and keeping one row per id.

CRM exports repeat a lead when it was merged, imported twice or joined to two campaigns, and
leave the id blank on rows typed in by hand. Neither stops scoring, but both matter to what
comes after it (a CRM import, a comparison with last night's run), so they are reported.

An id is compared as text with the spaces around it ignored, and placeholders (``N/A``, ``-``,
``null``, ...) count as blank, as they do everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from leadscore import coerce
from leadscore.errors import InputError
from leadscore.model import DEFAULT_NULL_VALUES

EXAMPLES = 3
ROW_ID = "row"  # [model] id = "row": a file with no id column, its leads numbered 1, 2, 3...
_KEY = "__leadscore_id"
_ROW = "__leadscore_row"

Keep = Literal["first", "last"]
Dedupe = Literal["first", "last", "error"]  # --dedupe: keep one row of a repeated id, or refuse the file


def id_key(frame: pl.LazyFrame, id_column: str, null_values: Sequence[str] = DEFAULT_NULL_VALUES) -> pl.Expr:
    """The id as trimmed text, null when blank or a placeholder: what ids are compared by."""
    dtype = frame.collect_schema()[id_column]
    return coerce.text(pl.col(id_column), dtype, null_values)


@dataclass(frozen=True)
class IdCheck:
    """What is wrong with the ids of a leads file, with a few examples to show."""

    rows: int
    blank: int  # rows with no id
    blank_rows: tuple[int, ...]  # 1-based data row numbers of the first few
    duplicate_ids: int  # ids found on more than one row
    duplicate_rows: int  # the rows that carry them, every occurrence counted
    examples: tuple[tuple[str, int], ...]  # (id, rows) of the first few repeated ids, in input order

    @property
    def repeats(self) -> int:
        """Rows that keeping one row per id would leave out."""
        return self.duplicate_rows - self.duplicate_ids

    def example_text(self) -> str:
        shown = ", ".join(f"'{key}' on {n:,} rows" for key, n in self.examples)
        more = ", ..." if self.duplicate_ids > len(self.examples) else ""
        return shown + more


def numbered(frame: pl.LazyFrame, id_column: str) -> pl.LazyFrame:
    """``frame`` with its leads numbered 1, 2, 3... in a new first column ``row``, when the
    model's id is ``row`` (:data:`ROW_ID`) and ``frame`` has no column of that name (one that has
    is identified by it, as by any id); else ``frame`` itself.

    For files with no id column at all (a campaign's history, a list typed up by hand): the
    number is the lead's place in the file, so ``explain 42`` finds the 42nd lead.

    Examples
    --------
    >>> numbered(pl.LazyFrame({"name": ["Ann", "Bob"]}), "row").collect().rows()
    [(1, 'Ann'), (2, 'Bob')]
    >>> numbered(pl.LazyFrame({"name": ["Ann"]}), "lead_id").collect().columns
    ['name']
    """
    if id_column != ROW_ID or ROW_ID in frame.collect_schema().names():
        return frame
    # a number, so that leads of equal score keep the order of the file (as text, 10 comes before 2)
    return frame.with_row_index(ROW_ID, offset=1).with_columns(pl.col(ROW_ID).cast(pl.Int64))


def check_ids(
    frame: pl.LazyFrame, id_column: str, null_values: Sequence[str] = DEFAULT_NULL_VALUES
) -> IdCheck:
    """Count blank and repeated ids in one pass over the id column.

    Examples
    --------
    >>> frame = pl.LazyFrame({"lead_id": ["L1", " L2", "", "L2", "N/A", "L1 "]})
    >>> found = check_ids(frame, "lead_id")
    >>> found.blank, found.blank_rows, found.duplicate_ids, found.duplicate_rows, found.examples
    (2, (3, 5), 2, 4, (('L1', 2), ('L2', 2)))
    """
    return id_check(pl.collect_all(id_queries(frame, id_column, null_values)))


def id_queries(
    frame: pl.LazyFrame, id_column: str, null_values: Sequence[str] = DEFAULT_NULL_VALUES
) -> list[pl.LazyFrame]:
    """The aggregates :func:`id_check` reads, to collect with other queries over the same frame."""
    keyed = frame.select(id_key(frame, id_column, null_values).alias(_KEY)).with_row_index(_ROW, offset=1)
    key, row = pl.col(_KEY), pl.col(_ROW)
    totals = keyed.select(
        pl.len().alias("rows"),
        key.is_null().sum().alias("blank"),
        row.filter(key.is_null()).head(EXAMPLES).implode().alias("blank_rows"),
    )
    repeated = (
        keyed.filter(key.is_not_null())
        .group_by(_KEY)
        .agg(pl.len().alias("n"), row.min().alias("first"))
        .filter(pl.col("n") > 1)
    )
    counts = repeated.select(pl.len().alias("ids"), pl.col("n").sum().alias("rows"))
    examples = repeated.sort("first").head(EXAMPLES).select(_KEY, "n")
    return [totals, counts, examples]


def id_check(results: Sequence[pl.DataFrame]) -> IdCheck:
    """The :class:`IdCheck` from the collected :func:`id_queries`."""
    found, count, shown = results
    return IdCheck(
        rows=int(found["rows"][0]),
        blank=int(found["blank"][0]),
        blank_rows=tuple(int(r) for r in found["blank_rows"][0]),
        duplicate_ids=int(count["ids"][0]),
        duplicate_rows=int(count["rows"][0] or 0),
        examples=tuple(zip(shown[_KEY].to_list(), shown["n"].to_list(), strict=True)),
    )


def id_warnings(found: IdCheck, id_column: str, source: str, *, deduped: bool = False) -> list[str]:
    """One line for blank ids and one for repeated ids (unless they were dropped), as warnings."""
    lines = []
    if found.blank:
        rows = ", ".join(str(r) for r in found.blank_rows) + (", ..." if found.blank > EXAMPLES else "")
        one = found.blank == 1
        lines.append(
            f"{_leads(found.blank)} in {source} {'has' if one else 'have'} no {id_column} "
            f"(data row{'' if one else 's'} {rows}); kept and scored, but --previous and explain cannot "
            f"find {'it: give it an id' if one else 'them: give them ids'} in the file"
        )
    if found.duplicate_ids and not deduped:
        lines.append(repeats_warning(found, id_column, source))
    return lines


def repeats_warning(found: IdCheck, id_column: str, source: str) -> str:
    """The warning about repeated ids, every row of which is kept."""
    return (
        f"{_ids(found.duplicate_ids, id_column)} in {source} "
        f"({found.example_text()}); every row is kept: use --dedupe first or --dedupe last to keep one"
    )


def dedupe_notice(found: IdCheck, id_column: str, source: str, keep: Keep) -> str:
    """What ``--dedupe first|last`` left out, for a note."""
    rows = "row" if found.repeats == 1 else "rows"
    return (
        f"{source}: kept the {keep} row of each repeated {id_column} and left out {found.repeats} "
        f"{rows} ({found.example_text()})"
    )


def kept_row(dedupe: str | None) -> Keep | None:
    """The row of a repeated id that ``dedupe`` keeps; None when every row is kept (or refused)."""
    return "first" if dedupe == "first" else "last" if dedupe == "last" else None


def deduplicated(
    frame: pl.LazyFrame,
    found: IdCheck,
    id_column: str,
    source: str,
    choice: Dedupe | None,
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
) -> tuple[pl.LazyFrame, list[str]]:
    """``--dedupe`` ``choice``: ``frame`` with one row of each repeated id kept (``first``/``last``, with a
    note saying what was left out), or InputError for a repeat (``error``); as it is without it."""
    if choice == "error":
        refuse_duplicates(found, id_column, source)
    keep = kept_row(choice)
    if keep is None or not found.duplicate_ids:
        return frame, []
    return dedupe(frame, id_column, keep, null_values), [dedupe_notice(found, id_column, source, keep)]


def refuse_duplicates(found: IdCheck, id_column: str, source: str) -> None:
    """``--dedupe error``: raise InputError when any id is on more than one row."""
    if found.duplicate_ids:
        raise InputError(
            f"{_ids(found.duplicate_ids, id_column)} in {source} ({found.example_text()}); "
            "remove the repeated rows, or use --dedupe first or --dedupe last"
        )


def dedupe(
    frame: pl.LazyFrame,
    id_column: str,
    keep: Keep = "first",
    null_values: Sequence[str] = DEFAULT_NULL_VALUES,
) -> pl.LazyFrame:
    """Keep the first (or last) row of each id, in input order; rows without an id are all kept.

    Examples
    --------
    >>> frame = pl.LazyFrame({"lead_id": ["L1", "L2", "L1", None, None], "n": [1, 2, 3, 4, 5]})
    >>> dedupe(frame, "lead_id", "last").collect()["n"].to_list()
    [2, 3, 4, 5]
    """
    key = id_key(frame, id_column, null_values)
    kept = key.is_first_distinct() if keep == "first" else key.is_last_distinct()
    return frame.filter(kept | key.is_null())


def _leads(n: int) -> str:
    return "1 lead" if n == 1 else f"{n:,} leads"


def _ids(n: int, id_column: str) -> str:
    return f"1 {id_column} value is repeated" if n == 1 else f"{n:,} {id_column} values are repeated"
