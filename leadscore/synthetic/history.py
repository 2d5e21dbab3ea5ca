"""Past leads with a known outcome, and their activity log, for fitting and evaluating models."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import numpy as np
import polars as pl

from leadscore.synthetic.draws import (
    Bools,
    Floats,
    Ints,
    check_count,
    iso_days_before,
    sigmoid,
    take,
    weighted_choice,
    yes_no,
)
from leadscore.synthetic.leads import Draw, draw_leads, make_messy
from leadscore.synthetic.vocabulary import AS_OF, EVENT_NAMES, PAGES, TARGET_INDUSTRIES


def _size_sweet_spot(size: Floats) -> Floats:
    """Conversion lift by company size: a bump around 200-2000 employees, not a straight line."""
    return 1.6 * np.exp(-((np.log10(size) - 2.8) ** 2) / (2 * 0.4**2)) - 0.4


def generate_history(n: int, seed: int = 11) -> pl.DataFrame:
    """Generate past leads with a known outcome, for fitting and evaluating predictive models.

    Parameters
    ----------
    n
        Number of past leads.
    seed
        Random seed.

    Returns
    -------
    pl.DataFrame
        The messy lead columns of :func:`generate_leads` (ids ``H0001``, ...), then
        ``converted`` ("yes"/"no", about 12% yes, about 2% empty for leads still open) and
        ``closed_at`` (an ISO date on or after ``created_at``, empty for many rows).

    Notes
    -----
    The outcome comes from a hidden logistic model over the clean values: senior titles, target
    industries, demo requests, pricing page views, webinars and recent activity raise the odds;
    unsubscribing, a personal e-mail address and student/retired/intern titles lower them.
    Company size acts through a sweet spot (200-2000 employees convert best), so a model that
    bins size beats one that treats it as a straight line.
    """
    return _history(n, seed).frame


class _History(NamedTuple):
    frame: pl.DataFrame  # what generate_history returns
    draw: Draw
    converted: Bools
    closed_ago: Ints  # the close, in days before AS_OF; -1 for leads not closed


def _history(n: int, seed: int) -> _History:
    check_count("n", n)
    rng = np.random.default_rng(seed)
    draw = draw_leads(n, rng, 1, "H")
    f = draw.frame

    def flag(col: str) -> Floats:
        return (f[col] == "yes").to_numpy().astype(np.float64)

    seniority = draw.seniority
    logit = (
        -3.6 + 1.0 * (seniority == 3) + 0.5 * (seniority == 2) - 1.6 * (seniority == 0)
        + 0.6 * f["industry"].is_in(TARGET_INDUSTRIES).to_numpy()
        + 1.5 * flag("demo_requested") + 0.6 * flag("webinar_attended") - 1.5 * flag("unsubscribed")
        + 0.35 * np.minimum(f["pricing_page_views"].to_numpy(), 3)
        + 0.6 * (draw.days_ago <= 30) - 0.6 * (draw.days_ago > 180)
        - 0.8 * draw.personal + _size_sweet_spot(f["company_size"].to_numpy().astype(np.float64))
    )  # fmt: skip
    converted = rng.random(n) < sigmoid(logit)
    open_lead = rng.random(n) < 0.02
    closed = rng.random(n) < np.where(converted, 1.0, 0.5)
    days_open = (draw.created_ago * rng.random(n)).astype(np.int64)
    messy = make_messy(f, rng)
    closed_ago = np.where(closed & ~open_lead, draw.created_ago - days_open, -1)
    frame = messy.with_columns(
        converted=pl.when(pl.Series(open_lead)).then(None).otherwise(yes_no(converted)),
        closed_at=pl.when(pl.Series(closed_ago >= 0)).then(iso_days_before(AS_OF, closed_ago)),
    )  # fmt: skip
    return _History(frame, draw, converted & ~open_lead, closed_ago)


def generate_history_events(n: int, seed: int = 11, events_seed: int = 13) -> pl.DataFrame:
    """Generate the activity log of :func:`generate_history` ``(n, seed)``'s leads.

    Each lead's recorded behaviour becomes events between its creation and its close (or its
    last activity, while it is open): one ``page_view`` per website visit, one
    ``pricing_page_view`` per pricing page view, a ``demo_request`` for a demo requested, and so
    on, with ``email_open`` events as noise. Customers keep using the site after they buy, so
    converted leads also have ``page_view`` and ``email_open`` events after their ``closed_at``:
    counted, those give the outcome away, which ``--events-until closed_at`` prevents.

    Returns columns ``lead_id``, ``event``, ``timestamp`` (ISO 8601, UTC) and ``url`` (a page
    path for page views), in time order.
    """
    hist = _history(n, seed)
    f, draw = hist.draw.frame, hist.draw
    rng = np.random.default_rng(events_seed)

    def flag(col: str) -> Ints:
        return (f[col] == "yes").to_numpy().astype(np.int64)

    closed = hist.closed_ago >= 0
    start = draw.created_ago.astype(np.float64)
    stop = np.where(closed, hist.closed_ago, np.minimum(draw.days_ago, draw.created_ago)).astype(np.float64)
    per_type = {
        "page_view": f["website_visits"].to_numpy(),
        "email_open": rng.poisson(1.0 + f["email_clicks"].to_numpy()),
        "email_click": f["email_clicks"].to_numpy(),
        "content_download": f["content_downloads"].to_numpy(),
        "pricing_page_view": f["pricing_page_views"].to_numpy(),
        "webinar_attended": flag("webinar_attended"),
        "demo_request": flag("demo_requested"),
        "unsubscribe": flag("unsubscribed"),
    }
    leads, kinds, ago = [], [], []
    for name, counts in per_type.items():
        who = np.repeat(np.arange(len(f)), counts.astype(np.int64))
        leads.append(who)
        kinds.append(np.full(len(who), EVENT_NAMES.index(name)))
        ago.append(stop[who] + (start[who] - stop[who]) * rng.random(len(who)))
    # after the sale: the customer's own visits and the e-mails they open
    customer = np.flatnonzero(hist.converted & closed)
    for name in ("page_view", "email_open"):
        who = np.repeat(customer, rng.poisson(4.0, len(customer)))
        leads.append(who)
        kinds.append(np.full(len(who), EVENT_NAMES.index(name)))
        ago.append(hist.closed_ago[who] * rng.random(len(who)))
    lead, kind, days = np.concatenate(leads), np.concatenate(kinds), np.concatenate(ago)
    epoch = (AS_OF - date(1970, 1, 1)).days * 86_400 - (days * 86_400).astype(np.int64) - 1
    order = np.argsort(epoch, kind="stable")
    lead, kind = lead[order], kind[order]
    pages = [p[0] for p in PAGES] + ["/pricing", None]
    url = np.where(kind == EVENT_NAMES.index("pricing_page_view"), len(pages) - 2, len(pages) - 1)
    page_view = kind == EVENT_NAMES.index("page_view")
    url[page_view] = weighted_choice(rng, [p[1] for p in PAGES], int(page_view.sum()))
    return pl.DataFrame(
        {
            "lead_id": f["lead_id"].gather(lead),
            "event": take(EVENT_NAMES, kind),
            "timestamp": pl.from_epoch(pl.Series(epoch[order]), time_unit="s").dt.strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "url": take(pages, url),
        }
    )
