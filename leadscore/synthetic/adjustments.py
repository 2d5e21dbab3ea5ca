"""Manual score adjustments made by sales reps."""

from __future__ import annotations

import numpy as np
import polars as pl

from leadscore.synthetic.draws import check_count, iso_days_before, take, unmatched_ids
from leadscore.synthetic.vocabulary import AS_OF, REASONS_DOWN, REASONS_UP, REPS


def generate_adjustments(leads: pl.DataFrame, n: int, seed: int = 5) -> pl.DataFrame:
    """Generate manual score adjustments made by sales reps.

    Parameters
    ----------
    leads
        A frame with a ``lead_id`` column; adjusted leads are drawn from it.
    n
        Number of adjustments. One of them (two when ``n >= 6``) names a lead id that matches
        no lead, as happens after a lead is deleted from the CRM.
    seed
        Random seed.

    Returns
    -------
    pl.DataFrame
        Columns ``lead_id``, ``points`` (Int64, e.g. +20 or -15), ``reason``, ``by`` (the rep's
        e-mail) and ``expires`` (ISO date, some already past on :data:`AS_OF`, some empty).
    """
    check_count("n", n)
    rng = np.random.default_rng(seed)
    ids = leads.get_column("lead_id").drop_nulls().unique(maintain_order=True).cast(pl.String)
    n_unmatched = min(n, 2 if n >= 6 else 1) if ids.len() else n
    chosen = ids.gather(rng.choice(ids.len(), size=n - n_unmatched, replace=n - n_unmatched > ids.len()))
    order = rng.permutation(n)
    up = rng.random(n) < 0.65
    points = np.where(up, rng.choice([5, 10, 15, 20], n), rng.choice([-10, -15, -20], n))
    reason = np.where(up, rng.integers(0, 3, n), 3 + rng.integers(0, 3, n))
    expiry = rng.random(n)
    return pl.DataFrame(
        {
            "lead_id": pl.concat([chosen, unmatched_ids(rng, ids, n_unmatched)]).gather(order),
            "points": pl.Series(points, dtype=pl.Int64),
            "reason": take(REASONS_UP + REASONS_DOWN, reason),
            "by": take(REPS, rng.integers(0, len(REPS), n)),
            "expires": iso_days_before(AS_OF, np.where(expiry < 0.55, 1, -1) * rng.integers(5, 120, n)),
        }
    ).with_columns(expires=pl.when(pl.Series(expiry >= 0.3)).then("expires"))  # fmt: skip
