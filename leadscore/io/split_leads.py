"""Leads split over two lines by a line break inside a field that is not quoted.

An export that does not quote a field holding a line break (a note typed over two lines)
writes that lead as two short lines: under ``id,name,company,notes,visits``, the lines
``7,Ann,Acme,call back`` and ``next week,12``. Every reader takes them for two leads, the
second with a made-up id. The shape alone proves nothing (a row is short when the export
leaves out its empty last fields), so the file is not refused: the lines are named in a note.

The sign looked for is two short lines whose field counts add up to the header's plus one
(the field split in two is counted twice), with nothing between them but blank lines or
lines of one field (more paragraphs of the same note). A file whose other short lines pair
with nothing is one that leaves out empty trailing fields: there two short lines in a row
are no sign of anything, and nothing is said. Only the text already read for the layout
and the footer is looked at (the first and the last 64 KB): a check of every line would
cost a big file its speed.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import NamedTuple


class Split(NamedTuple):
    """A lead that looks split in two: its first and last lines (1-based), and the fields of each half."""

    first: int
    last: int
    fields: tuple[int, int]

    def moved(self, lines: int) -> Split:
        return self._replace(first=self.first + lines, last=self.last + lines)


class Stretch(NamedTuple):
    """What a stretch of the file says: the leads that look split, and whether a short line pairs with none."""

    splits: list[Split]
    lone_short: bool


def find_splits(
    lines: Sequence[str],
    sep: str,
    width: int,
    *,
    first_line: int,
    header: bool,
    last: bool,
    footer: Collection[str] = (),
) -> Stretch:
    """The leads of ``lines`` that look split in two, in a file whose header has ``width`` fields.

    ``first_line`` is the line number of ``lines[0]``. ``header`` says it is the header; else
    ``lines`` start anywhere in the file, perhaps inside a field, and are read from the first
    line that is a whole lead. ``last`` says they run to the end of the file. Lines whose
    first cell is in ``footer`` are a report's footer.
    """
    records = _records(lines, sep, first_line)
    for _, _, cells in records:
        if header or len(cells) == width:
            break  # the header, or the first whole lead of a stretch that starts anywhere
    splits: list[Split] = []
    lone_short = False
    half: tuple[int, int] | None = None  # a short line waiting for its other half: line, fields
    for start, end, record in records:
        fields = len(record)
        if fields <= 1 or not any(record) or record[0] in footer:
            continue  # blank, or one cell: no half of a split, perhaps the middle of one
        if fields >= width:
            lone_short |= half is not None
            half = None
        elif half is not None and half[1] + fields == width + 1:
            splits.append(Split(half[0], end, (half[1], fields)))
            half = None
        else:
            lone_short |= half is not None
            half = (start, fields)
    return Stretch(splits, lone_short or (last and half is not None))


def _records(lines: Sequence[str], sep: str, first_line: int) -> Iterator[tuple[int, int, list[str]]]:
    """Each record of ``lines`` with its first and last line; a quote cut off at the end ends them."""
    reader = csv.reader(iter(lines), delimiter=sep)
    done = 0
    try:
        for record in reader:
            yield first_line + done, first_line + reader.line_num - 1, record
            done = reader.line_num
    except csv.Error:
        return


def split_notice(name: str, stretches: Iterable[Stretch], width: int) -> str | None:
    """One note naming the leads that look split, or ``None`` (none, or the file drops empty fields)."""
    found: dict[int, Split] = {}
    for stretch in stretches:
        if stretch.lone_short:
            return None
        found |= {split.first: split for split in stretch.splits}
    if not found:
        return None
    first, *more = sorted(found.values())
    lines = f"lines {first.first} and {first.last}"
    if first.last > first.first + 1:
        lines = f"lines {first.first} to {first.last}"
    also = f" ({len(more)} more like it, from line {more[0].first})" if more else ""
    return (
        f"{name} {lines} look like one lead split by a line break inside a field ({first.fields[0]} "
        f"and {first.fields[1]} fields, the header has {width}){also}; they are read as two leads: "
        "quote that field in the export, or export the leads again"
    )
