"""Cost matrices: validation, the mean cost of decisions, Bayes-minimum-risk decisions.

A cost matrix ``C`` has one row per true class and one column per predicted
class, in the same order as scikit-learn's ``confusion_matrix``: ``C[i, j]`` is
the cost of predicting class ``j`` for a sample of class ``i``. Per-example
costs (a fraud whose cost is its amount) are an array of shape
``(n_samples, n_classes, n_classes)``, one matrix per sample.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils import column_or_1d

from ..exceptions import InvalidInputError, LengthMismatchError, NonFiniteInputError

__all__ = [
    "bayes_minimum_risk",
    "check_cost_matrix",
    "conditional_risk",
    "cost_score",
    "expected_cost",
]

_LAYOUT = (
    "rows are the true classes and columns the predicted classes, both in the "
    "order of the sorted class labels (or of `labels`)"
)


def check_cost_matrix(cost_matrix, n_classes=None, *, n_samples=None, name="cost_matrix"):
    """Validate a cost matrix, or per-example cost matrices, and return it as floats.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes) or \
(n_samples, n_classes, n_classes)
        Non-negative, finite costs; ``cost_matrix[i, j]`` is the cost of
        predicting class ``j`` when the truth is class ``i``.
    n_classes : int, default=None
        The number of classes expected; ``None`` accepts any number >= 2.
    n_samples : int, default=None
        When given, per-example matrices (3-D) of that many samples are
        accepted too.
    name : str, default="cost_matrix"
        The parameter name used in error messages.

    Returns
    -------
    ndarray of float64, 2-D or 3-D

    Examples
    --------
    >>> from imbkit.decision import check_cost_matrix
    >>> check_cost_matrix([[0, 1], [5, 0]]).tolist()
    [[0.0, 1.0], [5.0, 0.0]]
    >>> check_cost_matrix([[0, 1], [5, 0]], n_classes=3)
    Traceback (most recent call last):
    ...
    imbkit.exceptions.InvalidInputError: cost_matrix must have shape (3, 3), one row and one column per class (rows are the true classes and columns the predicted classes, both in the order of the sorted class labels (or of `labels`)); got shape (2, 2).
    """
    try:
        costs = np.array(cost_matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{name} must be a numeric array of costs; could not convert it ({exc})."
        ) from exc
    want = "(n_classes, n_classes)" if n_classes is None else f"({n_classes}, {n_classes})"
    if n_samples is not None:
        want += f" or ({n_samples}, {want[1:-1]}) for per-example costs"
    ok_dims = (2, 3) if n_samples is not None else (2,)
    square = costs.ndim in ok_dims and costs.shape[-1] == costs.shape[-2] >= 2
    if not square or (n_classes is not None and costs.shape[-1] != n_classes) or (
        costs.ndim == 3 and costs.shape[0] != n_samples
    ):
        raise InvalidInputError(
            f"{name} must have shape {want}, one row and one column per class "
            f"({_LAYOUT}); got shape {costs.shape}."
        )
    if not np.isfinite(costs).all():
        raise NonFiniteInputError(
            f"{name} contains NaN or infinity; every cost must be a finite number "
            "(use a large finite cost for decisions that must be avoided)."
        )
    if (costs < 0).any():
        raise InvalidInputError(
            f"{name} contains negative costs (minimum {costs.min():g}); costs must "
            "be >= 0. A gain can be written as a lower cost: subtract the row "
            "minimum from each row, which changes no decision."
        )
    return costs


def _label_indices(y, labels, name):
    """Position of each label of ``y`` in ``labels`` (any order)."""
    sorter = np.argsort(labels, kind="stable")
    pos = np.searchsorted(labels, y, sorter=sorter)
    pos = sorter[np.clip(pos, 0, labels.size - 1)]
    unknown = labels[pos] != y
    if np.any(unknown):
        bad = y[np.argmax(unknown)]
        bad = bad.item() if isinstance(bad, np.generic) else bad
        raise InvalidInputError(
            f"{name} contains the label {bad!r}, which is not "
            f"in labels {labels.tolist()}; list every class in labels."
        )
    return pos


def expected_cost(y_true, y_pred, cost_matrix, *, labels=None, sample_weight=None):
    """Mean cost of the predictions ``y_pred`` under ``cost_matrix``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted class labels.
    cost_matrix : array-like of shape (n_classes, n_classes) or \
(n_samples, n_classes, n_classes)
        ``cost_matrix[i, j]``: cost of predicting ``labels[j]`` when the truth
        is ``labels[i]``; or one such matrix per sample.
    labels : array-like of shape (n_classes,), default=None
        The class of each row/column. ``None`` uses the sorted labels found in
        ``y_true`` and ``y_pred``, which must then number ``n_classes``.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    float
        The (weighted) mean of ``cost_matrix[y_true_i, y_pred_i]``.

    Examples
    --------
    >>> from imbkit.decision import expected_cost
    >>> expected_cost([0, 0, 1, 1], [0, 1, 0, 1], [[0, 1], [10, 0]])
    2.75
    """
    y_true, y_pred = column_or_1d(y_true), column_or_1d(y_pred)
    if y_true.shape[0] != y_pred.shape[0]:
        raise LengthMismatchError(
            f"y_true has {y_true.shape[0]} labels but y_pred has {y_pred.shape[0]}; "
            "pass one prediction per true label."
        )
    costs = check_cost_matrix(cost_matrix, n_samples=y_true.shape[0])
    n_classes = costs.shape[-1]
    if labels is None:
        labels = np.unique(np.concatenate([y_true, y_pred]))
        if labels.size != n_classes:
            raise InvalidInputError(
                f"y_true and y_pred contain {labels.size} classes but cost_matrix "
                f"has {n_classes}; pass labels=[...] naming the class of each row "
                "and column of cost_matrix."
            )
    labels = column_or_1d(labels)
    if labels.size != n_classes:
        raise InvalidInputError(
            f"labels has {labels.size} classes but cost_matrix has {n_classes} rows; "
            "give one label per row of cost_matrix."
        )
    rows = _label_indices(y_true, labels, "y_true")
    cols = _label_indices(y_pred, labels, "y_pred")
    if costs.ndim == 3:
        per_sample = costs[np.arange(rows.size), rows, cols]
    else:
        per_sample = costs[rows, cols]
    return float(np.average(per_sample, weights=sample_weight))


def cost_score(y_true, y_pred, cost_matrix, *, labels=None, sample_weight=None):
    """Minus the mean cost: greater is better, so it can serve as a scorer.

    Use it with ``sklearn.metrics.make_scorer(cost_score, cost_matrix=C)`` in
    ``cross_val_score`` or ``GridSearchCV``. Parameters are those of
    :func:`expected_cost`.

    Returns
    -------
    float

    Examples
    --------
    >>> from sklearn.metrics import make_scorer
    >>> from imbkit.decision import cost_score
    >>> cost_score([0, 0, 1, 1], [0, 1, 0, 1], [[0, 1], [10, 0]])
    -2.75
    >>> scorer = make_scorer(cost_score, cost_matrix=[[0, 1], [10, 0]])
    """
    return -expected_cost(
        y_true, y_pred, cost_matrix, labels=labels, sample_weight=sample_weight
    )


def conditional_risk(proba, cost_matrix):
    """Expected cost of each possible decision: ``risk[n, j] = sum_i p[n, i] C[i, j]``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.
    cost_matrix : array-like of shape (n_classes, n_classes) or \
(n_samples, n_classes, n_classes)

    Returns
    -------
    ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> from imbkit.decision import conditional_risk
    >>> conditional_risk([[0.8, 0.2]], [[0, 1], [10, 0]]).tolist()
    [[2.0, 0.8]]
    """
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2:
        raise InvalidInputError(
            f"proba must be 2-D (n_samples, n_classes), got {proba.ndim} dimension(s)."
        )
    costs = check_cost_matrix(cost_matrix, proba.shape[1], n_samples=proba.shape[0])
    if costs.ndim == 3:
        return np.einsum("ni,nij->nj", proba, costs)
    return proba @ costs


def bayes_minimum_risk(proba, cost_matrix):
    """Column index of the minimum-risk decision for each row of ``proba``.

    The Bayes decision ``argmin_j sum_i p_i C[i, j]``; ties go to the lowest
    column. With a 0-1 cost matrix it is the usual ``argmax`` of ``proba``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
    cost_matrix : array-like of shape (n_classes, n_classes) or \
(n_samples, n_classes, n_classes)

    Returns
    -------
    ndarray of int of shape (n_samples,)

    Examples
    --------
    >>> from imbkit.decision import bayes_minimum_risk
    >>> bayes_minimum_risk([[0.8, 0.2], [0.95, 0.05]], [[0, 1], [10, 0]]).tolist()
    [1, 0]
    """
    return np.argmin(conditional_risk(proba, cost_matrix), axis=1)
