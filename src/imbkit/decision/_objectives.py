"""Decision objectives computed from confusion counts, vectorised over candidates.

Threshold moving evaluates one objective at many candidate decision rules. Each
rule is summarised by its confusion counts, so every objective here takes the
counts of *all* candidates at once (arrays) and returns one score per candidate;
no labels are re-compared per candidate.

Objectives (greater is better):

========================  ===============================  ============================
name                      binary (positive class)          multi-class
========================  ===============================  ============================
``"f1"``, ``"fbeta"``     F-beta of the positive class     macro-averaged F-beta
``"gmean"``               sqrt(TPR * TNR)                  geometric mean of recalls
``"youden"``              TPR + TNR - 1 (Youden's J)       mean one-vs-rest J
``"mcc"``                 Matthews correlation             multi-class MCC (R_K)
``"cost"``                minus the mean cost              minus the mean cost
``"precision_at_recall"`` precision, subject to            macro precision, subject to
                          recall >= min_recall             macro recall >= min_recall
``"recall_at_precision"`` recall, subject to               macro recall, subject to
                          precision >= min_precision       macro precision >= min_precision
========================  ===============================  ============================

Undefined ratios (no positive prediction, an empty class) count as 0, as
scikit-learn's metrics do with ``zero_division=0``.

A constrained objective scores a candidate that breaks its constraint by minus
the shortfall (for instance ``recall - min_recall``, in ``[-1, 0)``), so every
feasible candidate beats every infeasible one, and among infeasible candidates
the one closest to meeting the constraint wins: that is the documented fall-back
when no candidate is feasible.
"""

from __future__ import annotations

from numbers import Real

import numpy as np

from ..exceptions import InvalidInputError
from ._cost_metrics import check_cost_matrix

__all__ = [
    "OBJECTIVES",
    "binary_objective_scores",
    "check_objective_options",
    "multiclass_objective_scores",
]

OBJECTIVES = (
    "f1",
    "fbeta",
    "gmean",
    "youden",
    "mcc",
    "cost",
    "precision_at_recall",
    "recall_at_precision",
)
CONSTRAINED = {"precision_at_recall": "min_recall", "recall_at_precision": "min_precision"}


def _ratio(num, den):
    """``num / den`` elementwise, 0 where ``den`` is 0."""
    num, den = np.broadcast_arrays(np.asarray(num, float), np.asarray(den, float))
    out = np.zeros(num.shape)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _check_fraction(value, name):
    if not isinstance(value, Real) or isinstance(value, bool) or not 0 <= value <= 1:
        raise InvalidInputError(
            f"{name} must be a number in [0, 1] (a rate), got {value!r}."
        )
    return float(value)


def check_objective_options(
    objective, *, beta=1.0, min_recall=None, min_precision=None, cost_matrix=None,
    n_classes=2,
):
    """Check an objective and its options together; return them normalised.

    Parameters
    ----------
    objective : str
        One of :data:`OBJECTIVES`.
    beta : float, default=1.0
        Weight of recall in ``"fbeta"``; any other objective needs ``beta=1``.
    min_recall, min_precision : float in [0, 1] or None
        The constraint of ``"precision_at_recall"`` / ``"recall_at_precision"``;
        given with any other objective it is an error.
    cost_matrix : array-like of shape (n_classes, n_classes) or None
        Needed by ``"cost"`` and by no other objective.
    n_classes : int, default=2

    Returns
    -------
    dict
        ``objective``, ``beta``, ``min_recall``, ``min_precision`` and
        ``cost_matrix`` (a float ndarray or None).

    Examples
    --------
    >>> from imbkit.decision._objectives import check_objective_options
    >>> check_objective_options("precision_at_recall", min_recall=0.8)["min_recall"]
    0.8
    >>> check_objective_options("accuracy")
    Traceback (most recent call last):
    ...
    imbkit.exceptions.InvalidInputError: Unknown objective 'accuracy'. Valid objectives: 'f1', 'fbeta', 'gmean', 'youden', 'mcc', 'cost', 'precision_at_recall', 'recall_at_precision'.
    """
    if objective not in OBJECTIVES:
        valid = ", ".join(repr(name) for name in OBJECTIVES)
        raise InvalidInputError(f"Unknown objective {objective!r}. Valid objectives: {valid}.")
    if not isinstance(beta, Real) or isinstance(beta, bool) or not beta > 0:
        raise InvalidInputError(f"beta must be a positive number, got {beta!r}.")
    if objective != "fbeta" and beta != 1:
        raise InvalidInputError(
            f"beta={beta!r} is only used by objective='fbeta', not {objective!r}; "
            "leave beta at 1.0 or set objective='fbeta'."
        )
    options = {"min_recall": min_recall, "min_precision": min_precision}
    for name, value in options.items():
        needed = CONSTRAINED.get(objective) == name
        owner = "precision_at_recall" if name == "min_recall" else "recall_at_precision"
        if needed and value is None:
            raise InvalidInputError(
                f"objective={objective!r} needs {name}: pass a rate in [0, 1], "
                f"e.g. {name}=0.8."
            )
        if not needed and value is not None:
            raise InvalidInputError(
                f"{name} is only used by objective={owner!r}, not {objective!r}; "
                f"remove {name} or set objective={owner!r}."
            )
        if value is not None:
            options[name] = _check_fraction(value, name)
    if objective == "cost":
        if cost_matrix is None:
            raise InvalidInputError(
                "objective='cost' needs cost_matrix: an (n_classes, n_classes) array "
                "whose [i, j] entry is the cost of predicting class j for class i."
            )
        cost_matrix = check_cost_matrix(cost_matrix, n_classes)
    elif cost_matrix is not None:
        raise InvalidInputError(
            f"cost_matrix is only used by objective='cost', not {objective!r}; "
            "remove cost_matrix or set objective='cost'."
        )
    return {"objective": objective, "beta": float(beta), **options,
            "cost_matrix": cost_matrix}


def _constrained(value, constraint, limit):
    """``value`` where ``constraint >= limit``, else minus the shortfall."""
    return np.where(constraint >= limit, value, constraint - limit)


def binary_objective_scores(tp, fp, fn, tn, options):
    """Score of each candidate decision of a binary problem from its confusion counts.

    Parameters
    ----------
    tp, fp, fn, tn : array-like of shape (n_candidates,)
        True/false positives, false/true negatives of each candidate.
    options : dict
        As returned by :func:`check_objective_options`; a cost matrix is indexed
        ``[negative, positive]``.

    Returns
    -------
    ndarray of shape (n_candidates,)

    Examples
    --------
    >>> from imbkit.decision._objectives import binary_objective_scores
    >>> opts = {"objective": "gmean", "beta": 1.0}
    >>> binary_objective_scores([3, 4], [1, 6], [1, 0], [9, 4], opts).round(3).tolist()
    [0.822, 0.632]
    """
    tp, fp, fn, tn = (np.asarray(a, dtype=float) for a in (tp, fp, fn, tn))
    objective = options["objective"]
    recall, tnr = _ratio(tp, tp + fn), _ratio(tn, tn + fp)
    precision = _ratio(tp, tp + fp)
    if objective in ("f1", "fbeta"):
        b2 = options["beta"] ** 2
        return _ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp)
    if objective == "gmean":
        return np.sqrt(recall * tnr)
    if objective == "youden":
        return recall + tnr - 1
    if objective == "mcc":
        den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        return _ratio(tp * tn - fp * fn, den)
    if objective == "cost":
        c = options["cost_matrix"]
        total = tn * c[0, 0] + fp * c[0, 1] + fn * c[1, 0] + tp * c[1, 1]
        return -_ratio(total, tp + fp + fn + tn)
    if objective == "precision_at_recall":
        return _constrained(precision, recall, options["min_recall"])
    return _constrained(recall, precision, options["min_precision"])


def multiclass_objective_scores(confusion, options):
    """Score of each candidate decision of a multi-class problem.

    Parameters
    ----------
    confusion : array-like of shape (n_candidates, n_classes, n_classes)
        ``confusion[m, i, j]``: samples of class ``i`` predicted as ``j`` by
        candidate ``m``.
    options : dict
        As returned by :func:`check_objective_options`.

    Returns
    -------
    ndarray of shape (n_candidates,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.decision._objectives import multiclass_objective_scores
    >>> cm = np.array([[[5, 1, 0], [1, 3, 0], [0, 1, 2]]])
    >>> multiclass_objective_scores(cm, {"objective": "mcc", "beta": 1.0}).round(4)
    array([0.6416])
    """
    m = np.asarray(confusion, dtype=float)
    objective = options["objective"]
    tp = np.diagonal(m, axis1=1, axis2=2)
    truth, predicted = m.sum(axis=2), m.sum(axis=1)
    n = truth.sum(axis=1)
    recall, precision = _ratio(tp, truth), _ratio(tp, predicted)
    if objective in ("f1", "fbeta"):
        b2 = options["beta"] ** 2
        fn, fp = truth - tp, predicted - tp
        return _ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp).mean(axis=1)
    if objective == "gmean":
        return np.prod(recall, axis=1) ** (1.0 / m.shape[1])
    if objective == "youden":
        tn = n[:, None] - truth - predicted + tp
        return (recall + _ratio(tn, n[:, None] - truth) - 1).mean(axis=1)
    if objective == "mcc":
        cov_tp = tp.sum(axis=1) * n - (truth * predicted).sum(axis=1)
        den = np.sqrt((n**2 - (predicted**2).sum(axis=1)) * (n**2 - (truth**2).sum(axis=1)))
        return _ratio(cov_tp, den)
    if objective == "cost":
        return -_ratio((m * options["cost_matrix"]).sum(axis=(1, 2)), n)
    macro_recall, macro_precision = recall.mean(axis=1), precision.mean(axis=1)
    if objective == "precision_at_recall":
        return _constrained(macro_precision, macro_recall, options["min_recall"])
    return _constrained(macro_recall, macro_precision, options["min_precision"])
