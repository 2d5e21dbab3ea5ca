"""Column-name hygiene shared by every reader.

Exports from CRMs and spreadsheets carry headers with stray spaces, line breaks (Alt+Enter in
an Excel header cell), empty cells (merged or forgotten) and repeated names. Polars needs
unique names and the scoring model needs names a person can type, so every reader passes its
raw header through :func:`clean_column_names`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import NamedTuple

_BLANKS = re.compile(r"\s+")


class Rename(NamedTuple):
    """A header cell that could not be used as it was."""

    position: int  # 1-based
    old: str  # as written, spaces around it aside; "" for an empty header cell
    new: str

    def __str__(self) -> str:
        if not self.old:
            return f"column {self.position} has no header: named it '{self.new}'"
        folded = fold_blanks(self.old)
        if folded == self.new:
            return f"column {self.position}'s name has {_blanks_in(self.old)} in it: read as '{self.new}'"
        return f"repeated column '{folded}' renamed '{self.new}'"


def fold_blanks(text: str) -> str:
    r"""``text`` with each run of white space in it (line breaks, tabs, no-break spaces) one space,
    and none around it: a name a person can type, and that fits on one line of a message.

    >>> fold_blanks(" Annual\nRevenue ")
    'Annual Revenue'
    >>> fold_blanks("Annual \u00a0 Revenue")
    'Annual Revenue'
    """
    return _BLANKS.sub(" ", text).strip()


def _blanks_in(text: str) -> str:
    """What made a name fold: a line break, a tab, doubled spaces or a space of another kind."""
    if "\n" in text or "\r" in text:
        return "a line break"
    if "\t" in text:
        return "a tab"
    if "  " in text:
        return "doubled spaces"
    return "a special space (such as a no-break space)"


def _header_text(value: object) -> str:
    if value is None:
        return ""
    # A number typed as a header (a year, say) comes from Excel as a float: show 2024, not 2024.0.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def clean_column_names(raw: Sequence[object]) -> tuple[list[str], list[Rename]]:
    r"""Return usable column names for a raw header, and what was changed, for a notice.

    Spaces around names are stripped, and each run of white space inside one (a line break,
    doubled spaces) becomes one space; an empty header cell becomes ``column_<n>`` (``n`` is
    its 1-based position) and a repeated name gets ``_2``, ``_3``, ... in order of appearance.

    >>> names, renames = clean_column_names([" Name ", "", "email", "email", "Annual\nRevenue"])
    >>> names
    ['Name', 'column_2', 'email', 'email_2', 'Annual Revenue']
    >>> [str(r) for r in renames]  # doctest: +NORMALIZE_WHITESPACE
    ["column 2 has no header: named it 'column_2'", "repeated column 'email' renamed 'email_2'",
     "column 5's name has a line break in it: read as 'Annual Revenue'"]
    """
    written = [_header_text(v) for v in raw]
    texts = [fold_blanks(t) for t in written]
    taken = {t for t in texts if t}
    seen: set[str] = set()
    names: list[str] = []
    renames: list[Rename] = []
    for position, (old, text) in enumerate(zip(written, texts, strict=True), start=1):
        if not text:
            name = _free_name(f"column_{position}", taken | seen)
            renames.append(Rename(position, "", name))
        elif text in seen:
            name = _free_name(text, taken | seen, first_suffix=2)
            renames.append(Rename(position, old, name))
        else:
            name = text
            if old != text:
                renames.append(Rename(position, old, name))
        seen.add(name)
        names.append(name)
    return names, renames


def _free_name(base: str, used: set[str], first_suffix: int | None = None) -> str:
    if first_suffix is None:
        if base not in used:
            return base
        first_suffix = 2
    suffix = first_suffix
    while f"{base}_{suffix}" in used:
        suffix += 1
    return f"{base}_{suffix}"


def header_notice(
    source: str, renames: Sequence[Rename], kept: Collection[str] | None = None, limit: int = 3
) -> str | None:
    """One notice line summing up the renames of columns still in ``kept``, or ``None``."""
    shown = [str(r) for r in renames if kept is None or r.new in kept]
    if not shown:
        return None
    more = f"; and {len(shown) - limit} more" if len(shown) > limit else ""
    return f"{source}: {'; '.join(shown[:limit])}{more}"
