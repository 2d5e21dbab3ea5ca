"""Columns that know the outcome: fields filled in during or after the sale.

A model that learns from such a column looks excellent on history and is useless on new
leads, which do not have the field yet. Two signs give a column away:

- alone, it separates converted from unconverted leads almost perfectly (AUC above 0.98);
- it is filled in for (nearly) every lead of one outcome and empty for many of the other,
  the way a close date or a loss reason is.

Such columns are left out unless the user allows them. A third sign only earns a warning,
because an honest column can show it too: one column that alone ranks leads better than all
the others together, or adds far more than any honest field usually does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leadscore.predictive.metrics import auc

LEAK_AUC = 0.98
ALWAYS = 0.005  # "nearly every lead of one outcome": at most this share missing (or filled)
OFTEN = 0.20  # "many of the other": at least this much more
CHANCE = (1 - OFTEN) ** 20  # how rarely a column may look so by chance (20 leads, the other at OFTEN)
DOMINANT_AUC = 0.70  # a column alone must reach this before it can dominate
DOMINANT_GAIN = 0.08  # AUC a single column adds to all the others together


@dataclass(frozen=True)
class Leak:
    column: str
    reason: str
    excluded: bool


def single_auc(x: npt.NDArray[np.float64], y: npt.NDArray[np.bool_]) -> float:
    """AUC of ranking leads by the conversion rate of their bin (columns of ``x``) alone."""
    counts = x.sum(axis=0)
    rates = np.divide(x[y].sum(axis=0), counts, out=np.zeros_like(counts), where=counts > 0)
    base = float(y.mean())
    in_no_bin = 1.0 - x.sum(axis=1)
    a = auc(x @ rates + in_no_bin * base, y)
    return max(a, 1.0 - a)


def separates(a: float) -> str | None:
    if a > LEAK_AUC:
        return f"alone it separates converted from unconverted leads almost perfectly (AUC {a:.3f})"
    return None


def filled_by_outcome(missing: npt.NDArray[np.float64] | None, y: npt.NDArray[np.bool_]) -> str | None:
    """Why the column's emptiness gives the outcome away, or None.

    "Every lead of one outcome" proves more the more leads that outcome has: 20 filled-in leads
    when the other outcome's are filled in 80 % of the time happen by chance about once in a
    hundred columns (0.8 ** 20). That is the evidence asked of every history: with fewer leads
    of the outcome, the other's share must be further off (10 leads: filled in at most 64 %).
    """
    if missing is None:
        return None
    mp, mn = float(missing[y].mean()), float(missing[~y].mean())
    for share, other, n, who, others in (
        (mp, mn, int(y.sum()), "converted", "unconverted"),
        (mn, mp, int((~y).sum()), "unconverted", "converted"),
    ):
        if share <= ALWAYS and other - share >= OFTEN and (1 - other) ** n <= CHANCE:
            return (
                f"filled in for every {who} lead but empty for {other:.0%} of {others} ones, "
                "like a field filled in when a deal closes"
            )
        if share >= 1 - ALWAYS and share - other >= OFTEN and other**n <= CHANCE:
            return (
                f"empty for every {who} lead but filled in for {1 - other:.0%} of {others} ones, "
                "like a field filled in when a deal closes"
            )
    return None


def dominance(column: str, alone: float, full: float, rest: float) -> str | None:
    """A warning when one column carries the model, as a field known only after contact does."""
    if alone < DOMINANT_AUC:
        return None
    if alone > rest or full - rest >= DOMINANT_GAIN:
        return (
            f"column '{column}' alone ranks leads at AUC {alone:.3f}; all the other columns together reach "
            f"{rest:.3f} and with it {full:.3f}. If it is only known during or after the sale (a call's "
            f"length, a stage), leave it out with --exclude {column}"
        )
    return None
