"""The regression itself: L2-regularised logistic regression on 0/1 bin columns.

The regularisation strength is chosen by stratified k-fold cross-validation (held-out
log-loss); the out-of-fold predictions at the chosen strength give the cross-validated AUC.
scikit-learn is imported here, inside the functions, so nothing on the scoring path loads it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from leadscore.predictive.metrics import auc

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

# inverse regularisation strengths tried, strongest regularisation first; above 10 the 0/1
# bin columns are hardly regularised at all
STRENGTHS = tuple(float(c) for c in np.logspace(-3, 1, 9))
FOLDS = 5
LARGE = 20_000  # from this many leads on, 3 folds choose the strength as surely as 5, faster
LARGE_FOLDS = 3
MAX_ITER = 1000


@dataclass(frozen=True)
class Regression:
    weights: Floats  # one per design column
    intercept: float
    c: float  # the chosen inverse regularisation strength
    folds: int
    cv_auc: float
    cv_log_loss: float
    converged: bool = True


def fold_splits(
    y: Bools, folds: int = FOLDS, seed: int = 0
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Stratified folds: each holds about the same share of converted leads."""
    from sklearn.model_selection import StratifiedKFold

    k = max(2, min(folds, int(y.sum()), int((~y).sum())))
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [(train, test) for train, test in splitter.split(np.zeros(len(y)), y)]


def log_loss(y: Bools, p: Floats) -> float:
    q = np.clip(p, 1e-15, 1 - 1e-15)
    return float(-np.mean(np.where(y, np.log(q), np.log(1 - q))))


def _model(c: float, *, exact: bool) -> Any:
    from sklearn.linear_model import LogisticRegression

    # The final fit takes Newton steps with a Cholesky solve: exact for a few hundred columns.
    # Choosing the strength takes dozens of fits, each warm-started from the last: L-BFGS is
    # twice as fast there, and its small inexactness does not change which strength wins.
    solver = "newton-cholesky" if exact else "lbfgs"
    return LogisticRegression(C=c, solver=solver, max_iter=MAX_ITER, warm_start=not exact)


def out_of_fold(
    x: Floats,
    y: Bools,
    splits: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]],
    strengths: tuple[float, ...],
) -> tuple[Floats, bool]:
    """Held-out predicted probabilities, one row per strength; and whether every fit converged."""
    from sklearn.exceptions import ConvergenceWarning

    predictions = np.zeros((len(strengths), len(y)))
    converged = True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        for train, test in splits:
            model = _model(strengths[0], exact=False)
            for i, c in enumerate(strengths):
                model.set_params(C=c)
                model.fit(x[train], y[train])
                predictions[i, test] = model.predict_proba(x[test])[:, 1]
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        converged = False
    return predictions, converged


def fit_regression(x: Floats, y: Bools, *, folds: int | None = None, seed: int = 0) -> Regression:
    """Choose the strength by cross-validated log-loss, then fit on every row with it."""
    from threadpoolctl import threadpool_limits

    if folds is None:
        folds = LARGE_FOLDS if len(y) >= LARGE else FOLDS
    # The matrices are small: BLAS threads only fight each other (25 times slower on 2 busy cores).
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit_regression(x, y, folds=folds, seed=seed)


def _fit_regression(x: Floats, y: Bools, *, folds: int, seed: int) -> Regression:
    from sklearn.exceptions import ConvergenceWarning

    splits = fold_splits(y, folds, seed)
    predictions, converged = out_of_fold(x, y, splits, STRENGTHS)
    losses = [log_loss(y, p) for p in predictions]
    best = int(np.argmin(losses))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        final = _model(STRENGTHS[best], exact=True)
        final.fit(x, y)
    converged = converged and not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return Regression(
        weights=np.asarray(final.coef_[0], dtype=np.float64),
        intercept=float(final.intercept_[0]),
        c=STRENGTHS[best],
        folds=len(splits),
        cv_auc=auc(predictions[best], y),
        cv_log_loss=losses[best],
        converged=converged,
    )


def weights_at(x: Floats, y: Bools, c: float) -> Floats:
    """The regression's weights at a fixed strength, fitted on every row (no cross-validation)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the full fit that follows reports convergence
        return np.asarray(_model(c, exact=True).fit(x, y).coef_[0], dtype=np.float64)


def cv_auc_at(x: Floats, y: Bools, c: float, *, folds: int, seed: int = 0) -> float:
    """Cross-validated AUC of the regression at a fixed strength (used to weigh one column)."""
    from threadpoolctl import threadpool_limits

    if x.shape[1] == 0:
        return 0.5
    with threadpool_limits(limits=1, user_api="blas"):
        predictions, _ = out_of_fold(x, y, fold_splits(y, folds, seed), (c,))
    return auc(predictions[0], y)
