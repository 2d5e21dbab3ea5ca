"""The yardstick for fit: a plain logistic regression on one-hot and standardised columns.

fit's points model is measured against it in the tests and in ``bench/``: on held-out leads the
learnt model must rank about as well (within 0.01 AUC), and better where conversion depends on
a number in a way no straight line follows (a company-size sweet spot).

The baseline reads the same columns the same way the engine does (numbers, days before the
as-of date, folded text); numbers get their median where empty plus an "was empty" flag and are
standardised; categories and yes/no columns are one-hot encoded, empty being a value of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from leadscore.compiler import Context
from leadscore.model import DEFAULT_NULL_VALUES
from leadscore.predictive.profile import BOOLEAN, DATE, NUMBER, profile_columns

EMPTY = "(empty)"


def _typed(frame: pl.DataFrame, kinds: dict[str, str], as_of: dt.date) -> pl.DataFrame:
    ctx = Context(frame.schema, DEFAULT_NULL_VALUES, as_of)
    exprs = []
    for column, kind in kinds.items():
        reader = ctx.reader(column)
        if kind == NUMBER:
            exprs.append(reader.number().alias(column))
        elif kind == DATE:
            exprs.append(reader.age_days().cast(pl.Float64).alias(column))
        elif kind == BOOLEAN:
            exprs.append(reader.boolean().cast(pl.String).fill_null(EMPTY).alias(column))
        else:
            exprs.append(reader.folded().fill_null(EMPTY).alias(column))
    return ctx.add_readings(frame.lazy()).select(exprs).collect()


def baseline_scores(
    train: pl.DataFrame,
    y_train: npt.ArrayLike,
    test: pl.DataFrame,
    columns: Sequence[str],
    *,
    as_of: dt.date,
) -> npt.NDArray[np.float64]:
    """Fit the baseline on ``train`` (outcomes ``y_train``) and return its probabilities on ``test``."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from threadpoolctl import threadpool_limits

    kinds = {p.name: p.kind or "" for p in profile_columns(train, list(columns), as_of=as_of)}
    numbers = [c for c, k in kinds.items() if k in (NUMBER, DATE)]
    categories = [c for c, k in kinds.items() if c not in numbers]
    encode: Any = ColumnTransformer(
        [
            (
                "numbers",
                make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()),
                numbers,
            ),
            ("categories", OneHotEncoder(handle_unknown="ignore"), categories),
        ]
    )
    model = Pipeline([("encode", encode), ("regression", LogisticRegression(max_iter=2000))])
    with threadpool_limits(limits=1, user_api="blas"):
        model.fit(_typed(train, kinds, as_of), np.asarray(y_train, dtype=bool))
        proba = model.predict_proba(_typed(test, kinds, as_of))[:, 1]
    return np.asarray(proba, dtype=np.float64)
