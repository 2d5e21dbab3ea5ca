"""A synthetic activity log for a set of leads."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from leadscore.synthetic.draws import Floats, Ints, check_count, take, unmatched_ids, weighted_choice
from leadscore.synthetic.vocabulary import (
    AS_OF,
    COUNT_COLUMNS,
    EVENT_NAMES,
    EVENT_TYPES,
    PAGES,
    TIMESTAMP_FORMS,
)


def _engagement_weights(leads: pl.DataFrame) -> Floats:
    """How many events each lead gets, relative to the others: busier leads log more."""
    present = [c for c in COUNT_COLUMNS if c in leads.columns]
    if not present:
        return np.ones(leads.height)
    activity = pl.sum_horizontal(pl.col(c).cast(pl.Float64, strict=False).fill_null(0) for c in present)
    return leads.select(activity + 1.0).to_series().to_numpy().astype(np.float64)


def generate_events(
    leads: pl.DataFrame, n_events: int, seed: int = 7, *, as_of: date = AS_OF
) -> pl.DataFrame:
    """Generate an activity log for ``leads``, in time order.

    Parameters
    ----------
    leads
        A frame with a ``lead_id`` column, such as :func:`generate_leads` returns. Leads with
        more website visits, clicks and downloads get more events.
    n_events
        Number of events.
    seed
        Random seed.
    as_of
        The day the log is exported. Events fall mostly in the 365 days before it; about
        0.5% fall after it, for testing that future events are ignored.

    Returns
    -------
    pl.DataFrame
        Columns ``lead_id``, ``event`` (one of :data:`EVENT_TYPES`), ``timestamp`` (ISO 8601
        text, mixing ``Z``, ``+02:00``-style offsets and naive UTC ``2026-10-03 14:22:05``)
        and ``url`` (a page path for page views, empty otherwise). About 1% of events carry
        a lead id that matches no lead.
    """
    check_count("n_events", n_events)
    rng = np.random.default_rng(seed)
    ids = leads.get_column("lead_id").cast(pl.String)
    keep = ids.is_not_null().to_numpy()
    ids, weights = ids.filter(pl.Series(keep)), _engagement_weights(leads)[keep]
    # Draw how many events each lead gets, then scatter them in time: much faster than
    # drawing a lead per event, and the time sort below mixes the leads anyway.
    lead = np.zeros(n_events, dtype=np.int64)
    if ids.len():
        lead = np.repeat(np.arange(ids.len()), rng.multinomial(n_events, weights / weights.sum()))
    epoch_as_of = (as_of - date(1970, 1, 1)).days * 86_400
    ago = (365 * 86_400 * rng.random(n_events) ** 1.4).astype(np.int64) + 1
    future = rng.random(n_events) < 0.005
    # Future events start an hour after the as-of day ends, so no reading of "as of" counts them.
    ahead = 86_400 + rng.integers(3_600, 30 * 86_400, n_events)
    epoch = np.where(future, epoch_as_of + ahead, epoch_as_of - ago)
    order = np.argsort(epoch, kind="stable")  # stable, so equal seconds keep a fixed order
    epoch, lead = epoch[order], lead[order]
    event = weighted_choice(rng, [e[1] for e in EVENT_TYPES], n_events)
    form = weighted_choice(rng, [f[3] for f in TIMESTAMP_FORMS], n_events)
    shift = np.array([f[2] * 60 for f in TIMESTAMP_FORMS], dtype=np.int64)[form]
    # One pool for every url: page paths, the two pricing paths, then "no url" last.
    pages = [p[0] for p in PAGES] + ["/pricing", "/pricing/enterprise", None]
    url = np.full(n_events, len(pages) - 1)
    page_view, pricing = (
        event == EVENT_NAMES.index("page_view"),
        event == EVENT_NAMES.index("pricing_page_view"),
    )
    url[page_view] = weighted_choice(rng, [p[1] for p in PAGES], int(page_view.sum()))
    url[pricing] = len(PAGES) + (rng.random(int(pricing.sum())) < 0.2)
    unmatched = np.flatnonzero(rng.random(n_events) < 0.01) if ids.len() else np.arange(n_events)
    lead_id = ids.gather(lead) if ids.len() else pl.Series([None] * n_events, dtype=pl.String)
    local = pl.from_epoch(pl.Series(epoch + shift), time_unit="s")
    return pl.DataFrame(
        {
            "lead_id": lead_id.scatter(unmatched, unmatched_ids(rng, ids, len(unmatched))),
            "event": take(EVENT_NAMES, event),
            "timestamp": _format_timestamps(local, form),
            "url": take(pages, url),
        }
    )


def _format_timestamps(local: pl.Series, form: Ints) -> pl.Series:
    """Format each local time in its row's form; one strftime pass per form, not per row."""
    text = pl.Series([None], dtype=pl.String).gather(np.zeros(len(form), dtype=np.int64))
    for k, (sep, suffix, _, _) in enumerate(TIMESTAMP_FORMS):
        rows = np.flatnonzero(form == k)
        text.scatter(rows, local.gather(rows).dt.strftime(f"%Y-%m-%d{sep}%H:%M:%S{suffix}"))
    return text
