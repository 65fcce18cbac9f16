"""What is measured on each test fold: the metrics, the primary one, and costs."""

from __future__ import annotations

import numbers

import numpy as np

from ..decision import check_cost_matrix, expected_cost
from ..exceptions import InvalidInputError
from ..metrics import imbalanced_summary

__all__ = ["METRICS", "fold_metrics", "greater_is_better", "resolve_cost", "resolve_primary"]

#: Metrics reported for every fold, threshold-free ones first.
METRICS = (
    "pr_auc",
    "roc_auc",
    "mcc",
    "f1",
    "f_beta",
    "g_mean",
    "balanced_accuracy",
    "cohen_kappa",
    "precision",
    "recall",
    "specificity",
)
COST_METRIC = "expected_cost"
_ALIASES = {
    "average_precision": "pr_auc",
    "ap": "pr_auc",
    "auc": "roc_auc",
    "matthews_corrcoef": "mcc",
    "f2": "f_beta",
    "fbeta": "f_beta",
    "gmean": "g_mean",
    "geometric_mean": "g_mean",
    "kappa": "cohen_kappa",
    "sensitivity": "recall",
    "cost": COST_METRIC,
}
_SUMMARY_BETA = 2.0


def greater_is_better(metric):
    """Whether larger values of ``metric`` are better (all but the expected cost)."""
    return metric != COST_METRIC


def resolve_primary(scoring, has_cost):
    """The primary metric's canonical name, checked against what can be measured."""
    if scoring is None:
        return COST_METRIC if has_cost else "pr_auc"
    if not isinstance(scoring, str):
        raise InvalidInputError(
            f"scoring must be the name of a metric; got {type(scoring).__name__}. "
            f"Use one of {[*METRICS, COST_METRIC]}."
        )
    name = _ALIASES.get(scoring.lower(), scoring.lower())
    if name == COST_METRIC and not has_cost:
        raise InvalidInputError(
            "scoring='expected_cost' needs costs: pass cost={'FN': ..., 'FP': ...} "
            "(binary) or a cost matrix."
        )
    if name not in (*METRICS, COST_METRIC):
        raise InvalidInputError(
            f"Unknown scoring {scoring!r}; use one of {[*METRICS, COST_METRIC]}."
        )
    return name


def _binary_cost_matrix(cost, classes, pos_label):
    keys = {"FN", "FP", "TP", "TN"}
    unknown = sorted(str(k) for k in cost if k not in keys)
    if unknown:
        raise InvalidInputError(
            f"cost has unknown keys {unknown}; use 'FN' (a missed positive), 'FP' (a "
            "false alarm) and optionally 'TP', 'TN', e.g. cost={'FN': 10, 'FP': 1}."
        )
    values = {key: cost.get(key, 0) for key in keys}
    for key, value in values.items():
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise InvalidInputError(f"cost[{key!r}] must be a number; got {value!r}.")
    pos = classes.tolist().index(pos_label)
    neg = 1 - pos
    matrix = np.zeros((2, 2))
    matrix[pos, neg], matrix[neg, pos] = values["FN"], values["FP"]
    matrix[pos, pos], matrix[neg, neg] = values["TP"], values["TN"]
    return check_cost_matrix(matrix, 2, name="cost")


def resolve_cost(cost, classes, pos_label):
    """The cost matrix (rows: true class, columns: predicted, sorted classes) or None.

    ``cost`` is ``None``, a dict ``{"FN": ..., "FP": ..., "TP": ..., "TN": ...}``
    for a binary target (positives are ``pos_label``), or a square matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.compare._scoring import resolve_cost
    >>> resolve_cost({"FN": 10, "FP": 1}, np.array([0, 1]), 1).tolist()
    [[0.0, 1.0], [10.0, 0.0]]
    """
    if cost is None:
        return None
    if isinstance(cost, dict):
        if classes.size != 2:
            raise InvalidInputError(
                f"cost given as a dict needs a binary target; y has {classes.size} "
                "classes. Pass a cost matrix instead: cost[i][j] is the cost of "
                f"predicting class j for class i, classes in the order {classes.tolist()}."
            )
        return _binary_cost_matrix(cost, classes, pos_label)
    return check_cost_matrix(cost, classes.size, name="cost")


def fold_metrics(y_true, y_pred, y_score, *, labels, pos_label, cost_matrix):
    """Every metric of one test fold, as ``{name: float}`` (NaN when undefined).

    Threshold metrics come from ``y_pred`` (the strategy's own decision);
    ``pr_auc`` and ``roc_auc`` from ``y_score`` (one column per class of
    ``labels``). Multi-class values are macro averages.
    """
    summary = imbalanced_summary(
        y_true, y_score, y_pred=y_pred, labels=labels,
        pos_label=pos_label if len(labels) == 2 else None,
        beta=_SUMMARY_BETA, zero_division=0.0,
    )
    values = {name: float(summary[name]) for name in METRICS}
    if cost_matrix is not None:
        values[COST_METRIC] = expected_cost(y_true, y_pred, cost_matrix, labels=labels)
    return values
