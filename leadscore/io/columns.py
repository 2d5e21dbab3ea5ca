"""Column-name hygiene shared by every reader.

Exports from CRMs and spreadsheets carry headers with stray spaces, empty cells (merged
or forgotten) and repeated names. Polars needs unique names and the scoring model needs
names a person can type, so every reader passes its raw header through
:func:`clean_column_names`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple


class Rename(NamedTuple):
    """A header cell that could not be used as it was."""

    position: int  # 1-based
    old: str  # "" for an empty header cell
    new: str

    def __str__(self) -> str:
        if not self.old:
            return f"column {self.position} has no header: named it '{self.new}'"
        return f"repeated column '{self.old}' renamed '{self.new}'"


def _header_text(value: object) -> str:
    if value is None:
        return ""
    # A number typed as a header (a year, say) comes from Excel as a float: show 2024, not 2024.0.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def clean_column_names(raw: Sequence[object]) -> tuple[list[str], list[Rename]]:
    """Return usable column names for a raw header, and what was changed, for a notice.

    Spaces around names are stripped, an empty header cell becomes ``column_<n>`` (``n``
    is its 1-based position) and a repeated name gets ``_2``, ``_3``, ... in order of
    appearance.

    >>> names, renames = clean_column_names([" Name ", "", "email", "email"])
    >>> names
    ['Name', 'column_2', 'email', 'email_2']
    >>> [str(r) for r in renames]
    ["column 2 has no header: named it 'column_2'", "repeated column 'email' renamed 'email_2'"]
    """
    texts = [_header_text(v) for v in raw]
    taken = {t for t in texts if t}
    seen: set[str] = set()
    names: list[str] = []
    renames: list[Rename] = []
    for position, text in enumerate(texts, start=1):
        if not text:
            name = _free_name(f"column_{position}", taken | seen)
            renames.append(Rename(position, text, name))
        elif text in seen:
            name = _free_name(text, taken | seen, first_suffix=2)
            renames.append(Rename(position, text, name))
        else:
            name = text
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
