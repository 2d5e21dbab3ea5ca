"""Generated histories for the predictive tests, built once per test session."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import polars as pl

from leadscore.synthetic import AS_OF, generate_history

__all__ = ["AS_OF", "history", "linear_history", "split"]


@cache
def history(n: int = 3000, seed: int = 11) -> pl.DataFrame:
    """The synthetic CRM history (messy text columns, a company-size sweet spot, a closed_at leak)."""
    return generate_history(n, seed=seed)


@cache
def linear_history(n: int = 6000, seed: int = 3) -> pl.DataFrame:
    """A world where a plain logistic regression is the true model: the log-odds are a straight
    line in two numbers, plus a category, a yes/no column and a date's age."""
    rng = np.random.default_rng(seed)
    income = rng.normal(50, 15, n)
    visits = rng.poisson(4, n).astype(float)
    plan = rng.choice(["free", "basic", "pro", "team", "enterprise"], n, p=[0.35, 0.25, 0.2, 0.12, 0.08])
    plan_effect = pl.Series(plan).replace_strict(
        {"free": -0.6, "basic": 0.0, "pro": 0.4, "team": 0.6, "enterprise": 0.9}, return_dtype=pl.Float64
    )
    partner = rng.random(n) < 0.3
    age_days = rng.integers(0, 365, n)
    logit = (
        -2.4 + 0.035 * (income - 50) + 0.18 * (visits - 4) + plan_effect.to_numpy() + 0.7 * partner
        - 0.004 * (age_days - 180)
    )  # fmt: skip
    converted = rng.random(n) < 1 / (1 + np.exp(-logit))
    income_text = pl.Series(np.round(income, 1)).cast(pl.String)
    missing = rng.random(n) < 0.03
    return pl.DataFrame(
        {
            "lead_id": [f"X{i:05d}" for i in range(n)],
            "income": pl.Series(np.where(missing, None, income_text.to_numpy()), dtype=pl.String),
            "visits": visits.astype(np.int64),
            "plan": plan,
            "partner": np.where(partner, "yes", "no"),
            "signed_up": [(AS_OF - dt.timedelta(days=int(d))).isoformat() for d in age_days],
            "converted": np.where(converted, "won", "lost"),
        }
    )


def split(frame: pl.DataFrame, share: float = 0.7, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Random train/test split by rows."""
    order = np.random.default_rng(seed).permutation(frame.height)
    cut = int(share * frame.height)
    return frame[order[:cut]], frame[order[cut:]]
