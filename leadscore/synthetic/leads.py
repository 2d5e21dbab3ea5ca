"""Synthetic B2B leads: fit drawn first, behaviour leaning on fit, then a CRM export's mess."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import polars as pl

from leadscore.synthetic.draws import (
    Bools,
    Ints,
    ascii_slug,
    check_count,
    iso_days_before,
    sigmoid,
    take,
    weighted_choice,
    yes_no,
)
from leadscore.synthetic.vocabulary import (
    AS_OF,
    COMPANY_WORDS,
    COUNT_COLUMNS,
    COUNTRIES,
    GROUPS,
    INDUSTRIES,
    NAMES,
    NO_VARIANTS,
    PERSONAL_DOMAINS,
    PLACEHOLDERS,
    REPS,
    SOURCES,
    TARGET_INDUSTRIES,
    TITLES,
    YES_VARIANTS,
)


class Draw(NamedTuple):
    """Clean leads plus the hidden values the history outcome is computed from."""

    frame: pl.DataFrame
    seniority: Ints
    personal: Bools
    days_ago: Ints  # last activity, in days before AS_OF
    created_ago: Ints


class Companies(NamedTuple):
    """A company table: each company keeps one name, domain, industry, size and country."""

    frame: pl.DataFrame  # company, domain
    industry: Ints
    size: Ints
    country: Ints


def draw_companies(rng: np.random.Generator, k: int) -> Companies:
    first, second = COMPANY_WORDS
    combo = rng.permutation(len(first) * len(second))[np.arange(k) % (len(first) * len(second))]
    a, b = combo // len(second), combo % len(second)
    country = weighted_choice(rng, [c[1] for c in COUNTRIES], k)
    size = np.clip(np.exp(rng.normal(np.log(180), 2.3, k)), 1, 100_000).astype(np.int64)
    frame = pl.DataFrame({"a": take(first, a), "b": take(second, b)}).select(
        company=pl.concat_str("a", pl.lit(" "), "b", pl.lit(" "), take([c[3] for c in COUNTRIES], country)),
        domain=pl.concat_str(pl.col("a").str.to_lowercase(), pl.col("b").str.to_lowercase(), pl.lit(".test")),
    )  # fmt: skip
    return Companies(frame, weighted_choice(rng, [i[1] for i in INDUSTRIES], k), size, country)


def draw_names(rng: np.random.Generator, country: Ints) -> pl.DataFrame:
    """First and last names (and their ASCII e-mail forms), mostly matching the country."""
    n = len(country)
    home = np.array([GROUPS.index(c[2]) for c in COUNTRIES])[country]
    group = np.where(rng.random(n) < 0.75, home, rng.integers(0, len(GROUPS), n))
    columns: dict[str, pl.Series] = {}
    for part in (0, 1):
        pools = [NAMES[g][part].split(",") for g in GROUPS]
        sizes = np.array([len(p) for p in pools])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        idx = offsets[group] + (rng.random(n) * sizes[group]).astype(np.int64)
        flat = [name for pool in pools for name in pool]
        columns[f"name{part}"] = take(flat, idx)
        columns[f"slug{part}"] = take([ascii_slug(s) for s in flat], idx)
    return pl.DataFrame(columns)


def draw_leads(n: int, rng: np.random.Generator, start_id: int, prefix: str) -> Draw:
    """Clean leads: fit drawn first, then behaviour that leans on fit."""
    co = draw_companies(rng, max(1, min(n // 2, 5000)))
    company = weighted_choice(rng, co.size**0.15, n)  # bigger companies send a few more leads
    size, industry, country = co.size[company], co.industry[company], co.country[company]
    title = weighted_choice(rng, [t[1] for t in TITLES], n)
    seniority = np.array([t[2] for t in TITLES])[title]
    industries = [i[0] for i in INDUSTRIES]
    software = industry == industries.index("Software")
    target = np.isin(industry, [industries.index(t) for t in TARGET_INDUSTRIES])
    # Engagement propensity: executives at mid-size software companies engage more.
    z = (0.9 * rng.standard_normal(n) + 0.6 * (seniority == 3) + 0.3 * (seniority == 2)
         - 0.7 * (seniority == 0) + 0.4 * software + 0.2 * target + 0.4 * ((size >= 50) & (size <= 5000)))  # fmt: skip
    lam = np.exp(z) * rng.gamma(2.0, 0.5, n)
    counts = {c: rng.poisson(lam * m) for c, m in zip(COUNT_COLUMNS, (1.5, 0.8, 0.35, 0.25), strict=True)}
    days_ago = (400 * rng.random(n) ** (1.3 * np.exp(0.4 * z))).astype(np.int64)
    created_ago = days_ago + 1 + rng.exponential(150, n).astype(np.int64)
    personal = rng.random(n) < 0.15
    digits = rng.integers(1, 99, n)  # half the personal addresses get them: jose.nunez84@gmail.com
    owner = np.where(rng.random(n) < 0.10, rng.integers(0, len(REPS), n), -1)
    width = max(4, len(str(start_id + n - 1)))
    names = draw_names(rng, country)
    frame = names.with_columns(
        company=co.frame["company"].gather(company),
        domain=pl.when(pl.Series(personal))
        .then(take(PERSONAL_DOMAINS, rng.integers(0, len(PERSONAL_DOMAINS), n)))
        .otherwise(co.frame["domain"].gather(company)),
        digits=pl.when(pl.Series(personal & (digits < 50))).then(pl.Series(digits).cast(pl.String)),
    ).select(
        lead_id=pl.concat_str(pl.lit(prefix), pl.int_range(start_id, start_id + n).cast(pl.String).str.zfill(width)),
        first_name="name0",
        last_name="name1",
        email=pl.concat_str("slug0", pl.lit("."), "slug1", pl.col("digits").fill_null(""), pl.lit("@"), "domain"),
        company="company",
        job_title=take([t[0] for t in TITLES], title),
        industry=take(industries, industry),
        company_size=pl.Series(size),
        country=take([c[0] for c in COUNTRIES], country),
        lead_source=take([s[0] for s in SOURCES], weighted_choice(rng, [s[1] for s in SOURCES], n)),
        **{c: pl.Series(v, dtype=pl.Int64) for c, v in counts.items()},
        webinar_attended=yes_no(rng.random(n) < sigmoid(0.9 * z - 2.9)),
        demo_requested=yes_no(rng.random(n) < sigmoid(1.2 * z + 0.5 * (seniority == 3) - 3.9)),
        unsubscribed=yes_no(rng.random(n) < sigmoid(-2.8 - 0.4 * z)),
        last_activity=iso_days_before(AS_OF, days_ago),
        created_at=iso_days_before(AS_OF, created_ago),
        owner=pl.when(pl.Series(owner >= 0)).then(take(REPS, np.clip(owner, 0, None))),
    )  # fmt: skip
    return Draw(frame, seniority, personal, days_ago, created_ago)


def messy_text(col: str, u: pl.Series, pick: pl.Series, blank: float, junk: float, odd: float) -> pl.Expr:
    """Blank cells, placeholders, then stray spaces and odd casing, by slices of one uniform draw."""
    v = pl.col(col)
    return (
        pl.when(u < blank).then(None)
        .when(u < blank + junk).then(take(PLACEHOLDERS, pick))
        .when(u < blank + junk + odd).then(pl.concat_str(pl.lit("  "), v.str.to_lowercase(), pl.lit(" ")))
        .when(u < blank + junk + 2 * odd).then(v.str.to_uppercase())
        .when(u < blank + junk + 3 * odd).then(v + " ")
        .otherwise(v)
        .alias(col)
    )  # fmt: skip


def make_messy(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
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
    demo_variant = pick(len(YES_VARIANTS))
    return frame.with_columns(
        messy_text("job_title", uniform(), pick(3), 0.03, 0.03, 0.02),
        messy_text("industry", uniform(), pick(3), 0.03, 0.02, 0.02),
        messy_text("country", uniform(), pick(3), 0.03, 0.015, 0.0),
        pl.when(u_size < 0.04).then(None)
        .when(u_size < 0.05).then(pl.lit("N/A"))
        .when((u_size < 0.15) & (size >= 1000)).then(with_separator)
        .otherwise(size.cast(pl.String)).alias("company_size"),
        *(pl.when(uniform() < 0.02).then(None).otherwise(pl.col(c)).alias(c) for c in COUNT_COLUMNS),
        pl.when(uniform() >= 0.08).then(pl.col("demo_requested"))
        .when(pl.col("demo_requested") == "yes").then(take(YES_VARIANTS, demo_variant))
        .otherwise(take(NO_VARIANTS, demo_variant)).alias("demo_requested"),
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
    check_count("n", n)
    rng = np.random.default_rng(seed)
    frame = draw_leads(n, rng, start_id, "L").frame
    return make_messy(frame, rng) if messy else frame
