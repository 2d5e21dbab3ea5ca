"""Find the title lines above the header and the footer lines below the leads of a report export.

A CRM report saved as CSV or Excel is a table framed by text that is not leads: the report's
name, date and filters above the header, totals and a confidentiality line below the last row::

    "Open leads, EMEA"
    "As of 22/11/2026"

    lead_id,first_name,job_title,...
    L0001,Kavya,CMO,...
    ...

    Total,,,,2255,,5,2
    "Grand Totals (1,204 records)"
    "Confidential Information - Do Not Distribute"

Read as it is, the title becomes the only column name and the footer lines become leads that
score nothing, or, for a totals row that sums the leads' visits, one that comes out on top. The
CSV and Excel readers give the first and the last rows of a file, as lists of cells, to the two
functions here, leave out what they find, and say so in a notice.

A row is a sequence of cells (``None`` or blank text is an empty cell); ``None`` in place of a
row stands for a line that is data for certain but could not be split into cells on its own
(the CSV reader's lines inside a quoted field).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Row = Sequence[object] | None

MIN_WIDTH = 3  # a header naming fewer columns is never taken for a title, nor its rows for a footer
TITLE_CELLS = 2  # a title, date or filter line fills at most this many cells
MAX_FOOTER = 10  # footer lines looked for below the last lead
HEAD_ROWS = 40  # rows looked at for the header

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
# the label of a totals row: Total, Totals, Grand Total, Subtotal, Sum, and Summe, Gesamt, Totaal...
TOTALS_LABEL = r"(?i)^\s*(grand[ -]*|sub[ -]*)?(totals?|totaal|totale|summe|gesamt\w*|sum)\b"
# a total's amount: a number, perhaps with a currency symbol, brackets or a % sign
TOTAL_AMOUNT = r"^[\s$€£¥()%+-]*\d[\d.,\s]*[\s$€£¥()%]*$"


def filled(row: Row) -> int:
    """The number of cells of ``row`` that hold something (a line of data counts as wide)."""
    if row is None:
        return MIN_WIDTH
    return sum(1 for cell in row if _text(cell))


def _text(cell: object) -> str:
    """The cell as trimmed text; empty for an empty cell."""
    return "" if cell is None else str(cell).strip()


def header_index(rows: Sequence[Row]) -> int:
    """The position of the header among the first rows of a file or sheet.

    It is the first row that is not blank, unless that row fills at most two cells (a title, a
    date, a filter) and the first row filling three or more, and at least half as many as the
    fullest row, holds no number (a header names columns; a row of data would hold numbers).

    >>> header_index([["Open leads"], [], ["id", "name", "email"], ["L1", "Ana", "a@x.test"]])
    2
    >>> header_index([["id", "score"], ["L1", "5"]])
    0
    >>> header_index([["id", "score"], ["L1", "5", "extra"]])
    0
    """
    counts = [filled(row) for row in rows]
    first = next((i for i, n in enumerate(counts) if n), 0)
    if not counts or counts[first] > TITLE_CELLS:
        return first
    widest = max(counts)
    wide = next((i for i in range(first + 1, len(counts)) if counts[i] >= max(MIN_WIDTH, widest / 2)), None)
    row = rows[wide] if wide is not None else None
    return wide if wide is not None and row is not None and not any(map(_is_number, row)) else first


def title_lines(rows: Sequence[Row]) -> list[str]:
    """The text of each row above the header that holds any, for a notice.

    >>> title_lines([["Open leads", None, ""], [], ["Filtered by:", " status = Open "]])
    ['Open leads', 'Filtered by: status = Open']
    """
    texts = (" ".join(text for cell in row if (text := _text(cell))) for row in rows if row)
    return [text for text in texts if text]


def _is_number(cell: object) -> bool:
    if isinstance(cell, int | float):
        return True
    return isinstance(cell, str) and _NUMBER.fullmatch(cell.strip()) is not None


def footer_indexes(rows: Sequence[Row], width: int) -> list[int]:
    """The positions of the footer lines among the last rows of a table ``width`` columns wide.

    Walking up from the last row and over blank ones, a footer line fills only its first cell,
    with text of two words or more (``Grand Totals (5 records)``, not ``L0042``), or is a totals
    row: a totals label in its first cell (:data:`TOTALS_LABEL`) and nothing but amounts in the
    others. At most ten are taken, and only when a row of data is above them (a file whose one
    lead holds only a name keeps it) in a table of three columns or more.

    >>> rows = [["L1", "Ana", "CMO"], [], ["Grand Totals (1 record)"], [""], ["Do not distribute"]]
    >>> footer_indexes(rows, width=3)
    [2, 4]
    >>> footer_indexes([*rows, ["L0042"]], width=3)
    []
    >>> footer_indexes([["Ana Lopez", None, None]], width=3)
    []
    >>> footer_indexes([["L1", "Ana", "12"], ["Total", None, "2,255"]], width=3)
    [1]
    >>> footer_indexes([["L1", "Ana", "12"], ["Total Wine", "Bo", "3"]], width=3)
    []
    """
    if width < MIN_WIDTH:
        return []
    found: list[int] = []
    for i in range(len(rows) - 1, -1, -1):
        row = rows[i]
        count = filled(row)
        if count == 0:
            continue
        if (count == 1 and _is_sentence(row)) or _is_totals(row):
            if len(found) == MAX_FOOTER:
                return []  # too many to be a footer: rows of data that hold one cell
            found.append(i)
            continue
        return found[::-1]
    return []  # nothing but footer-like lines: they are the data


def _is_sentence(row: Row) -> bool:
    """Whether the one filled cell of ``row`` is its first, and is text of two words or more."""
    if not row:
        return False
    first = row[0]
    return isinstance(first, str) and len(first.split()) > 1


def _is_totals(row: Row) -> bool:
    """Whether ``row`` is a totals row: a totals label first, amounts (or nothing) elsewhere."""
    if not row or not isinstance(row[0], str) or re.match(TOTALS_LABEL, row[0]) is None:
        return False
    return all(_is_amount(cell) for cell in row[1:] if _text(cell))


def _is_amount(cell: object) -> bool:
    if isinstance(cell, int | float):
        return True
    return isinstance(cell, str) and re.match(TOTAL_AMOUNT, cell) is not None


def edge_notices(name: str, unit: str, header: int, title: Sequence[str], footer: Sequence[str]) -> list[str]:
    """The notices for a title left out above the header (on ``unit`` ``header``) and a footer."""
    notices = []
    if title:
        notices.append(
            f"{name}: the header is on {unit} {header}; left out the report title above it "
            f"({_counted(title, unit)}); --header-row chooses another {unit}"
        )
    if footer:
        notices.append(f"{name}: left out the report footer below the leads ({_counted(footer, unit)})")
    return notices


def _counted(texts: Sequence[str], unit: str, limit: int = 2) -> str:
    """``2 lines: 'Grand Totals (5 records)', 'Confidential ...'``, cut to ``limit`` texts."""
    shown = ", ".join(f"'{_cut(t)}'" for t in texts[:limit]) + (", ..." if len(texts) > limit else "")
    return f"{len(texts)} {unit}{'s' if len(texts) != 1 else ''}: {shown}"


def _cut(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
