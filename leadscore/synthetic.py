"""Deterministic synthetic CRM data: leads, activity events, past outcomes and manual adjustments.

Every generator is vectorised (numpy draws, Polars string work), so a million leads take
seconds, and the same seed always gives the same frame. Corporate e-mail domains and sales
rep addresses use the reserved ``.test`` top-level domain.

Regenerate the committed sample files with::

    uv run python -m leadscore.synthetic sample_data
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from leadscore.errors import UsageError

AS_OF = date(2026, 11, 1)
"""The "today" the sample data is built around."""

_Ints = npt.NDArray[np.int64]
_Floats = npt.NDArray[np.float64]
_Bools = npt.NDArray[np.bool_]

# First names and last names by language group; a lead mostly gets names from its country's group.
_NAMES: dict[str, tuple[str, str]] = {
    "en": ("James,Mary,Robert,Jennifer,Michael,Sarah,David,Emily,Daniel,Olivia,Liam,Chloe",
           "Smith,Johnson,Williams,Brown,Taylor,Wilson,O'Brien,Clarke,Walker,Harris,Murphy,Nguyen"),
    "es": ("José,María,Lucía,Javier,Sofía,Martín,Álvaro,Inés,Carmen,Andrés,Begoña,Raúl",
           "García,Núñez,Fernández,López,Martínez,Rodríguez,Pérez,Gómez,Sánchez,Ibáñez,Peña,Muñoz"),
    "pt": ("João,Conceição,Ana,Luís,Thiago,Gonçalo,Letícia,Márcia,Antônio,Joana,Vitória,Sebastião",
           "Silva,Santos,Conceição,Gonçalves,Araújo,Magalhães,Simões,Ribeiro,Fonseca,Brandão,Lopes"),
    "fr": ("Françoise,Émile,Hélène,Jérôme,Chloé,Benoît,Léa,François,Amélie,Zoé,Gaëlle,Loïc",
           "Dubois,Lefèvre,Moreau,Girard,Lambert,Rousseau,Mercier,Bélanger,Côté,Faure,Chevalier"),
    "de": ("Jürgen,Lukas,Anna,Jörg,Katrin,Stefan,Sören,Björn,Lena,Matthias,Günter,Sabine",
           "Müller,Schmidt,Schäfer,Weiß,Köhler,Becker,Hoffmann,Groß,Krüger,Schröder,Vogel,Böhm"),
    "nl": ("Daan,Sanne,Bram,Femke,Joost,Lotte,Maarten,Anouk",
           "de Vries,van Dijk,Jansen,Bakker,Visser,Smit,de Jong,van den Berg"),
    "in": ("Aarav,Priya,Rohan,Ananya,Vikram,Sneha,Arjun,Kavya",
           "Sharma,Patel,Iyer,Reddy,Gupta,Nair,Singh,Menon"),
}  # fmt: skip
_GROUPS = list(_NAMES)

# (country, weight, name group, legal suffix)
_COUNTRIES = [
    ("United States", 30, "en", "Inc."), ("Canada", 5, "en", "Inc."),
    ("United Kingdom", 9, "en", "Ltd"), ("Ireland", 2, "en", "Ltd"),
    ("Australia", 4, "en", "Pty Ltd"), ("Germany", 7, "de", "GmbH"),
    ("Netherlands", 3, "nl", "B.V."), ("France", 6, "fr", "SAS"),
    ("Spain", 6, "es", "S.L."), ("Mexico", 5, "es", "S.A. de C.V."),
    ("Argentina", 3, "es", "S.A."), ("Colombia", 2, "es", "S.A.S."),
    ("Brazil", 6, "pt", "Ltda."), ("Portugal", 3, "pt", "Lda."), ("India", 8, "in", "Pvt Ltd"),
]  # fmt: skip

# (title, weight, seniority): 3 executive, 2 manager, 1 individual contributor, 0 non-buyer
_TITLES = [
    ("CEO", 2, 3), ("Founder", 2, 3), ("Co-founder", 1, 3), ("Chief Marketing Officer", 1.5, 3),
    ("Chief Technology Officer", 1, 3), ("Chief Financial Officer", 0.7, 3), ("VP Sales", 2, 3),
    ("VP of Marketing", 1.5, 3), ("Vice President, Operations", 0.8, 3), ("Director of IT", 2, 3),
    ("Director of Marketing", 2, 3), ("Sales Director", 1.5, 3), ("Head of Growth", 1.5, 3),
    ("Head of Data", 1, 3), ("Directeur Commercial", 0.5, 3), ("Marketing Manager", 5, 2),
    ("Sales Manager", 4, 2), ("IT Manager", 3, 2), ("Product Manager", 3, 2),
    ("Operations Manager", 3, 2), ("Account Manager", 2, 2), ("Gerente de Marketing", 1, 2),
    ("Software Engineer", 6, 1), ("Data Analyst", 4, 1), ("Analyst", 3, 1), ("Consultant", 4, 1),
    ("Marketing Specialist", 3, 1), ("Sales Representative", 3, 1), ("Accountant", 2, 1),
    ("Designer", 1.5, 1), ("Project Coordinator", 2, 1), ("Student", 3, 0), ("Retired", 1, 0),
    ("Intern", 1.5, 0),
]  # fmt: skip

_INDUSTRIES = [
    ("Software", 22), ("Financial Services", 10), ("Healthcare", 9), ("Manufacturing", 10),
    ("Retail", 8), ("Education", 7), ("Government", 4), ("Non-profit", 4), ("Media", 5),
    ("Professional Services", 8), ("Telecommunications", 3), ("Energy", 3), ("Logistics", 4),
]  # fmt: skip
TARGET_INDUSTRIES = ("Software", "Financial Services", "Healthcare", "Manufacturing")

_SOURCES = [
    ("Organic search", 25), ("Paid search", 18), ("Paid social", 12), ("Webinar", 8),
    ("Referral", 8), ("Trade show", 7), ("Content download", 15), ("Partner", 7),
]  # fmt: skip
_PERSONAL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com")
_COMPANY_WORDS = (
    ("Blue", "North", "Silver", "Bright", "Iron", "Cedar", "Harbor", "Summit", "Atlas", "Nova",
     "Pioneer", "Solar", "Granite", "Maple", "River", "Eagle", "Lumen", "Quantum", "Vertex", "Coral",
     "Falcon", "Orbit", "Prairie", "Aurora"),
    ("Ridge", "Point", "Bridge", "Works", "Labs", "Systems", "Dynamics", "Logic", "Stone", "Field",
     "Wave", "Peak", "Path", "Forge", "Grid", "Health", "Capital", "Foods", "Media", "Retail"),
)  # fmt: skip
REPS = ("maria@acme.test", "tom@acme.test", "aiko@acme.test", "rahul@acme.test", "lucia@acme.test")
_PLACEHOLDERS = ("N/A", "Select", "-")
_YES_VARIANTS, _NO_VARIANTS = ("Yes", "TRUE", "y", "1"), ("No", "FALSE", "n", "0")

LEAD_COLUMNS = (
    "lead_id", "first_name", "last_name", "email", "company", "job_title", "industry",
    "company_size", "country", "lead_source", "website_visits", "email_clicks",
    "content_downloads", "pricing_page_views", "webinar_attended", "demo_requested",
    "unsubscribed", "last_activity", "created_at", "owner",
)  # fmt: skip
_COUNT_COLUMNS = ("website_visits", "email_clicks", "content_downloads", "pricing_page_views")

# (event, weight): page views and e-mail opens dominate, as in any marketing automation log.
EVENT_TYPES = [
    ("page_view", 40), ("email_open", 30), ("email_click", 10), ("pricing_page_view", 5),
    ("content_download", 6), ("webinar_attended", 2), ("demo_request", 1.2), ("unsubscribe", 0.6),
]  # fmt: skip
_EVENT_NAMES = [e[0] for e in EVENT_TYPES]
_PAGES = [
    ("/", 20), ("/product/lead-scoring", 8), ("/product/integrations", 5), ("/product/analytics", 4),
    ("/blog/what-is-an-mql", 6), ("/blog/lead-scoring-models", 6), ("/customers", 4),
    ("/blog/b2b-funnel-benchmarks-2026", 4), ("/about", 3), ("/careers", 2), ("/contact", 2),
    ("/docs/getting-started", 3),
]  # fmt: skip
# (date/time separator, suffix, minutes east of UTC, weight); the naive form is UTC wall time.
_TIMESTAMP_FORMS = [
    ("T", "Z", 0, 60), ("T", "+02:00", 120, 6), ("T", "+01:00", 60, 5), ("T", "-05:00", -300, 4),
    ("T", "-03:00", -180, 3), ("T", "+05:30", 330, 2), (" ", "", 0, 20),
]  # fmt: skip
_REASONS_UP = ("Met at trade show", "Budget confirmed on call", "Referred by a customer")
_REASONS_DOWN = ("Competitor customer", "No budget this year", "Wrong contact")


def _pick(rng: np.random.Generator, weights: npt.ArrayLike, size: int) -> _Ints:
    """Indices drawn with the given relative weights."""
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.searchsorted(cdf / cdf[-1], rng.random(size), side="right").astype(np.int64)


def _take(values: Sequence[str | None], idx: _Ints | pl.Series) -> pl.Series:
    """A String series of ``values[idx]``, without materialising Python strings per row."""
    return pl.Series(list(values), dtype=pl.String).gather(idx)


def _sigmoid(x: _Floats) -> _Floats:
    return 1.0 / (1.0 + np.exp(-x))


def _ascii_slug(name: str) -> str:
    """José -> jose, Weiß -> weiss, O'Brien -> obrien, van den Berg -> vandenberg."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    return "".join(c for c in decomposed if c.isalnum() and c.isascii()).lower()


def _iso_days_before(as_of: date, days: _Ints) -> pl.Series:
    """ISO dates ``days`` days before ``as_of``, as text."""
    day = np.datetime64(as_of, "D") - days.astype("timedelta64[D]")
    return pl.Series(day).cast(pl.String)


def _yes_no(flags: _Bools) -> pl.Series:
    return _take(("no", "yes"), flags.astype(np.int64))


def _unmatched_ids(rng: np.random.Generator, ids: pl.Series, k: int) -> pl.Series:
    """``k`` ids like ``L9048213``, longer than every id in ``ids`` so none can match one."""
    width = max(6, int(ids.str.len_chars().to_numpy().max(initial=0)))
    return "L9" + pl.Series(rng.integers(0, 10**width, k)).cast(pl.String).str.zfill(width)


def _check_count(name: str, value: int) -> None:
    if value < 0:
        raise UsageError(f"{name} must be 0 or more, got {value}.")


class _Draw(NamedTuple):
    """Clean leads plus the hidden values the history outcome is computed from."""

    frame: pl.DataFrame
    seniority: _Ints
    personal: _Bools
    days_ago: _Ints  # last activity, in days before AS_OF
    created_ago: _Ints


class _Companies(NamedTuple):
    """A company table: each company keeps one name, domain, industry, size and country."""

    frame: pl.DataFrame  # company, domain
    industry: _Ints
    size: _Ints
    country: _Ints


def _companies(rng: np.random.Generator, k: int) -> _Companies:
    first, second = _COMPANY_WORDS
    combo = rng.permutation(len(first) * len(second))[np.arange(k) % (len(first) * len(second))]
    a, b = combo // len(second), combo % len(second)
    country = _pick(rng, [c[1] for c in _COUNTRIES], k)
    size = np.clip(np.exp(rng.normal(np.log(180), 2.3, k)), 1, 100_000).astype(np.int64)
    frame = pl.DataFrame({"a": _take(first, a), "b": _take(second, b)}).select(
        company=pl.concat_str("a", pl.lit(" "), "b", pl.lit(" "), _take([c[3] for c in _COUNTRIES], country)),
        domain=pl.concat_str(pl.col("a").str.to_lowercase(), pl.col("b").str.to_lowercase(), pl.lit(".test")),
    )  # fmt: skip
    return _Companies(frame, _pick(rng, [i[1] for i in _INDUSTRIES], k), size, country)


def _names(rng: np.random.Generator, country: _Ints) -> pl.DataFrame:
    """First and last names (and their ASCII e-mail forms), mostly matching the country."""
    n = len(country)
    home = np.array([_GROUPS.index(c[2]) for c in _COUNTRIES])[country]
    group = np.where(rng.random(n) < 0.75, home, rng.integers(0, len(_GROUPS), n))
    columns: dict[str, pl.Series] = {}
    for part in (0, 1):
        pools = [_NAMES[g][part].split(",") for g in _GROUPS]
        sizes = np.array([len(p) for p in pools])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        idx = offsets[group] + (rng.random(n) * sizes[group]).astype(np.int64)
        flat = [name for pool in pools for name in pool]
        columns[f"name{part}"] = _take(flat, idx)
        columns[f"slug{part}"] = _take([_ascii_slug(s) for s in flat], idx)
    return pl.DataFrame(columns)


def _draw_leads(n: int, rng: np.random.Generator, start_id: int, prefix: str) -> _Draw:
    """Clean leads: fit drawn first, then behaviour that leans on fit."""
    co = _companies(rng, max(1, min(n // 2, 5000)))
    company = _pick(rng, co.size**0.15, n)  # bigger companies send a few more leads
    size, industry, country = co.size[company], co.industry[company], co.country[company]
    title = _pick(rng, [t[1] for t in _TITLES], n)
    seniority = np.array([t[2] for t in _TITLES])[title]
    industries = [i[0] for i in _INDUSTRIES]
    software = industry == industries.index("Software")
    target = np.isin(industry, [industries.index(t) for t in TARGET_INDUSTRIES])
    # Engagement propensity: executives at mid-size software companies engage more.
    z = (0.9 * rng.standard_normal(n) + 0.6 * (seniority == 3) + 0.3 * (seniority == 2)
         - 0.7 * (seniority == 0) + 0.4 * software + 0.2 * target + 0.4 * ((size >= 50) & (size <= 5000)))  # fmt: skip
    lam = np.exp(z) * rng.gamma(2.0, 0.5, n)
    counts = {c: rng.poisson(lam * m) for c, m in zip(_COUNT_COLUMNS, (1.5, 0.8, 0.35, 0.25), strict=True)}
    days_ago = (400 * rng.random(n) ** (1.3 * np.exp(0.4 * z))).astype(np.int64)
    created_ago = days_ago + 1 + rng.exponential(150, n).astype(np.int64)
    personal = rng.random(n) < 0.15
    digits = rng.integers(1, 99, n)  # half the personal addresses get them: jose.nunez84@gmail.com
    owner = np.where(rng.random(n) < 0.10, rng.integers(0, len(REPS), n), -1)
    width = max(4, len(str(start_id + n - 1)))
    names = _names(rng, country)
    frame = names.with_columns(
        company=co.frame["company"].gather(company),
        domain=pl.when(pl.Series(personal))
        .then(_take(_PERSONAL_DOMAINS, rng.integers(0, len(_PERSONAL_DOMAINS), n)))
        .otherwise(co.frame["domain"].gather(company)),
        digits=pl.when(pl.Series(personal & (digits < 50))).then(pl.Series(digits).cast(pl.String)),
    ).select(
        lead_id=pl.concat_str(pl.lit(prefix), pl.int_range(start_id, start_id + n).cast(pl.String).str.zfill(width)),
        first_name="name0",
        last_name="name1",
        email=pl.concat_str("slug0", pl.lit("."), "slug1", pl.col("digits").fill_null(""), pl.lit("@"), "domain"),
        company="company",
        job_title=_take([t[0] for t in _TITLES], title),
        industry=_take(industries, industry),
        company_size=pl.Series(size),
        country=_take([c[0] for c in _COUNTRIES], country),
        lead_source=_take([s[0] for s in _SOURCES], _pick(rng, [s[1] for s in _SOURCES], n)),
        **{c: pl.Series(v, dtype=pl.Int64) for c, v in counts.items()},
        webinar_attended=_yes_no(rng.random(n) < _sigmoid(0.9 * z - 2.9)),
        demo_requested=_yes_no(rng.random(n) < _sigmoid(1.2 * z + 0.5 * (seniority == 3) - 3.9)),
        unsubscribed=_yes_no(rng.random(n) < _sigmoid(-2.8 - 0.4 * z)),
        last_activity=_iso_days_before(AS_OF, days_ago),
        created_at=_iso_days_before(AS_OF, created_ago),
        owner=pl.when(pl.Series(owner >= 0)).then(_take(REPS, np.clip(owner, 0, None))),
    )  # fmt: skip
    return _Draw(frame, seniority, personal, days_ago, created_ago)


def _messy_text(col: str, u: pl.Series, pick: pl.Series, blank: float, junk: float, odd: float) -> pl.Expr:
    """Blank cells, placeholders, then stray spaces and odd casing, by slices of one uniform draw."""
    v = pl.col(col)
    return (
        pl.when(u < blank).then(None)
        .when(u < blank + junk).then(_take(_PLACEHOLDERS, pick))
        .when(u < blank + junk + odd).then(pl.concat_str(pl.lit("  "), v.str.to_lowercase(), pl.lit(" ")))
        .when(u < blank + junk + 2 * odd).then(v.str.to_uppercase())
        .when(u < blank + junk + 3 * odd).then(v + " ")
        .otherwise(v)
        .alias(col)
    )  # fmt: skip


def _make_messy(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """What a real CRM export looks like: a few percent of cells per column are off."""
    n = frame.height

    def uniform() -> pl.Series:
        return pl.Series(rng.random(n))

    def pick(k: int) -> pl.Series:
        return pl.Series(rng.integers(0, k, n))

    size, u_size = pl.col("company_size"), uniform()
    with_separator = pl.concat_str(
        (size // 1000).cast(pl.String), pl.lit(","), (size % 1000).cast(pl.String).str.zfill(3)
    )
    demo_variant = pick(len(_YES_VARIANTS))
    return frame.with_columns(
        _messy_text("job_title", uniform(), pick(3), 0.03, 0.03, 0.02),
        _messy_text("industry", uniform(), pick(3), 0.03, 0.02, 0.02),
        _messy_text("country", uniform(), pick(3), 0.03, 0.015, 0.0),
        pl.when(u_size < 0.04).then(None)
        .when(u_size < 0.05).then(pl.lit("N/A"))
        .when((u_size < 0.15) & (size >= 1000)).then(with_separator)
        .otherwise(size.cast(pl.String)).alias("company_size"),
        *(pl.when(uniform() < 0.02).then(None).otherwise(pl.col(c)).alias(c) for c in _COUNT_COLUMNS),
        pl.when(uniform() >= 0.08).then(pl.col("demo_requested"))
        .when(pl.col("demo_requested") == "yes").then(_take(_YES_VARIANTS, demo_variant))
        .otherwise(_take(_NO_VARIANTS, demo_variant)).alias("demo_requested"),
    )  # fmt: skip


def generate_leads(n: int, seed: int = 7, *, messy: bool = True, start_id: int = 1) -> pl.DataFrame:
    """Generate ``n`` synthetic B2B leads, one row per lead.

    Parameters
    ----------
    n
        Number of leads.
    seed
        Random seed; the same seed always gives the same frame.
    messy
        When true, a few percent of cells look like a real CRM export: blank cells, placeholders
        ("N/A", "Select", "-"), stray spaces and odd casing, sizes written as ``"1,200"`` and
        yes/no written as ``"TRUE"``, ``"y"`` or ``"1"``. ``company_size`` is then a String
        column. When false, values are clean and counts are Int64. With the same seed, the
        messy frame is the clean one with some cells spoiled.
    start_id
        Number of the first lead; ids are ``L0001``, ``L0002``, ... zero-padded to at least
        four digits.

    Returns
    -------
    pl.DataFrame
        The columns in :data:`LEAD_COLUMNS`. Dates are ISO ``YYYY-MM-DD`` text before
        :data:`AS_OF`; yes/no columns are text; ``owner`` is mostly empty.

    Examples
    --------
    >>> leads = generate_leads(3, messy=False)
    >>> leads["lead_id"].to_list()
    ['L0001', 'L0002', 'L0003']
    >>> leads["company_size"].dtype
    Int64
    """
    _check_count("n", n)
    rng = np.random.default_rng(seed)
    frame = _draw_leads(n, rng, start_id, "L").frame
    return _make_messy(frame, rng) if messy else frame


def _engagement_weights(leads: pl.DataFrame) -> _Floats:
    """How many events each lead gets, relative to the others: busier leads log more."""
    present = [c for c in _COUNT_COLUMNS if c in leads.columns]
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
    _check_count("n_events", n_events)
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
    event = _pick(rng, [e[1] for e in EVENT_TYPES], n_events)
    form = _pick(rng, [f[3] for f in _TIMESTAMP_FORMS], n_events)
    shift = np.array([f[2] * 60 for f in _TIMESTAMP_FORMS], dtype=np.int64)[form]
    # One pool for every url: page paths, the two pricing paths, then "no url" last.
    pages = [p[0] for p in _PAGES] + ["/pricing", "/pricing/enterprise", None]
    url = np.full(n_events, len(pages) - 1)
    page_view, pricing = (
        event == _EVENT_NAMES.index("page_view"),
        event == _EVENT_NAMES.index("pricing_page_view"),
    )
    url[page_view] = _pick(rng, [p[1] for p in _PAGES], int(page_view.sum()))
    url[pricing] = len(_PAGES) + (rng.random(int(pricing.sum())) < 0.2)
    unmatched = np.flatnonzero(rng.random(n_events) < 0.01) if ids.len() else np.arange(n_events)
    lead_id = ids.gather(lead) if ids.len() else pl.Series([None] * n_events, dtype=pl.String)
    local = pl.from_epoch(pl.Series(epoch + shift), time_unit="s")
    return pl.DataFrame(
        {
            "lead_id": lead_id.scatter(unmatched, _unmatched_ids(rng, ids, len(unmatched))),
            "event": _take(_EVENT_NAMES, event),
            "timestamp": _format_timestamps(local, form),
            "url": _take(pages, url),
        }
    )


def _format_timestamps(local: pl.Series, form: _Ints) -> pl.Series:
    """Format each local time in its row's form; one strftime pass per form, not per row."""
    text = pl.Series([None], dtype=pl.String).gather(np.zeros(len(form), dtype=np.int64))
    for k, (sep, suffix, _, _) in enumerate(_TIMESTAMP_FORMS):
        rows = np.flatnonzero(form == k)
        text.scatter(rows, local.gather(rows).dt.strftime(f"%Y-%m-%d{sep}%H:%M:%S{suffix}"))
    return text


def _size_sweet_spot(size: _Floats) -> _Floats:
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
    draw: _Draw
    converted: _Bools
    closed_ago: _Ints  # the close, in days before AS_OF; -1 for leads not closed


def _history(n: int, seed: int) -> _History:
    _check_count("n", n)
    rng = np.random.default_rng(seed)
    draw = _draw_leads(n, rng, 1, "H")
    f = draw.frame

    def flag(col: str) -> _Floats:
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
    converted = rng.random(n) < _sigmoid(logit)
    open_lead = rng.random(n) < 0.02
    closed = rng.random(n) < np.where(converted, 1.0, 0.5)
    days_open = (draw.created_ago * rng.random(n)).astype(np.int64)
    messy = _make_messy(f, rng)
    closed_ago = np.where(closed & ~open_lead, draw.created_ago - days_open, -1)
    frame = messy.with_columns(
        converted=pl.when(pl.Series(open_lead)).then(None).otherwise(_yes_no(converted)),
        closed_at=pl.when(pl.Series(closed_ago >= 0)).then(_iso_days_before(AS_OF, closed_ago)),
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

    def flag(col: str) -> _Ints:
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
        kinds.append(np.full(len(who), _EVENT_NAMES.index(name)))
        ago.append(stop[who] + (start[who] - stop[who]) * rng.random(len(who)))
    # after the sale: the customer's own visits and the e-mails they open
    customer = np.flatnonzero(hist.converted & closed)
    for name in ("page_view", "email_open"):
        who = np.repeat(customer, rng.poisson(4.0, len(customer)))
        leads.append(who)
        kinds.append(np.full(len(who), _EVENT_NAMES.index(name)))
        ago.append(hist.closed_ago[who] * rng.random(len(who)))
    lead, kind, days = np.concatenate(leads), np.concatenate(kinds), np.concatenate(ago)
    epoch = (AS_OF - date(1970, 1, 1)).days * 86_400 - (days * 86_400).astype(np.int64) - 1
    order = np.argsort(epoch, kind="stable")
    lead, kind = lead[order], kind[order]
    pages = [p[0] for p in _PAGES] + ["/pricing", None]
    url = np.where(kind == _EVENT_NAMES.index("pricing_page_view"), len(pages) - 2, len(pages) - 1)
    page_view = kind == _EVENT_NAMES.index("page_view")
    url[page_view] = _pick(rng, [p[1] for p in _PAGES], int(page_view.sum()))
    return pl.DataFrame(
        {
            "lead_id": f["lead_id"].gather(lead),
            "event": _take(_EVENT_NAMES, kind),
            "timestamp": pl.from_epoch(pl.Series(epoch[order]), time_unit="s").dt.strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "url": _take(pages, url),
        }
    )


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
    _check_count("n", n)
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
            "lead_id": pl.concat([chosen, _unmatched_ids(rng, ids, n_unmatched)]).gather(order),
            "points": pl.Series(points, dtype=pl.Int64),
            "reason": _take(_REASONS_UP + _REASONS_DOWN, reason),
            "by": _take(REPS, rng.integers(0, len(REPS), n)),
            "expires": _iso_days_before(AS_OF, np.where(expiry < 0.55, 1, -1) * rng.integers(5, 120, n)),
        }
    ).with_columns(expires=pl.when(pl.Series(expiry >= 0.3)).then("expires"))  # fmt: skip


if __name__ == "__main__":  # python -m leadscore.synthetic [DIRECTORY] regenerates sample_data/
    from leadscore.sample_files import main

    main()
