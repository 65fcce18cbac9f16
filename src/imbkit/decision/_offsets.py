"""Multi-class threshold moving: per-class score offsets tuned by coordinate search.

A multi-class decision ``argmax_k p_k`` generalises the binary threshold as
``argmax_k (w_k p_k)``, or, on the log scale, ``argmax_k (log p_k + b_k)`` with
offsets ``b_k = log w_k`` (any additive scores, e.g. ``decision_function``,
work the same way). The offsets are tuned one class at a time with the others
fixed. Along one coordinate the prediction of sample ``i`` switches to class
``k`` exactly when ``b_k`` passes ``t_i = max_{j != k}(z_ij + b_j) - z_ik``, so
sorting the ``t_i`` gives every distinct decision the coordinate can produce,
and cumulative sums give the confusion matrix of each of them at once: one
pass costs ``O(n log n + n_candidates * n_classes^2)``, with no re-prediction.
Rounds over the classes repeat until none improves the objective.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.utils import column_or_1d

from ..exceptions import ImbalanceWarning, InvalidInputError, LengthMismatchError
from ._cost_metrics import _label_indices
from ._objectives import (
    CONSTRAINED,
    check_objective_options,
    multiclass_objective_scores,
)

__all__ = ["tune_class_offsets"]

_TOL = 1e-12


def _candidate_offsets(t, max_candidates):
    """Offsets between consecutive switch points, plus one below and one above all."""
    u = np.unique(t)
    if u.size > max_candidates - 1:
        cut = np.unique(np.linspace(0, u.size - 2, max_candidates - 2).round().astype(int))
        mids = (u[cut] + u[cut + 1]) / 2
    else:
        mids = (u[:-1] + u[1:]) / 2
    return np.concatenate([[u[0] - 1.0], mids, [u[-1] + 1.0]])


def _coordinate_confusions(codes, z, offsets, k, max_candidates):
    """Candidate values of ``offsets[k]`` and the confusion matrix of each."""
    n_classes = z.shape[1]
    others = z + offsets
    others[:, k] = -np.inf
    other = np.argmax(others, axis=1)
    t = others[np.arange(z.shape[0]), other] - z[:, k]
    candidates = _candidate_offsets(t, max_candidates)
    m, kk = candidates.size, n_classes * n_classes
    # sample i is predicted k for the candidates after its switch point
    segment = np.searchsorted(candidates, t, side="right")
    cell_other = codes * n_classes + other
    cell_k = codes * n_classes + k
    moves = np.bincount(segment * kk + cell_k, minlength=(m + 1) * kk) - np.bincount(
        segment * kk + cell_other, minlength=(m + 1) * kk
    )
    base = np.bincount(cell_other, minlength=kk)
    confusion = base + np.cumsum(moves.reshape(m + 1, kk), axis=0)[:m]
    return candidates, confusion.reshape(m, n_classes, n_classes)


def _current_score(codes, z, offsets, options):
    n_classes = z.shape[1]
    pred = np.argmax(z + offsets, axis=1)
    cm = np.bincount(codes * n_classes + pred, minlength=n_classes * n_classes)
    return multiclass_objective_scores(cm.reshape(1, n_classes, n_classes), options)[0]


def _check_scores(y_true, scores, labels):
    y_true = column_or_1d(y_true)
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2 or scores.shape[1] < 2:
        raise InvalidInputError(
            f"scores must be 2-D (n_samples, n_classes) with at least 2 classes, got "
            f"shape {scores.shape}."
        )
    if scores.shape[0] != y_true.shape[0]:
        raise LengthMismatchError(
            f"y_true has {y_true.shape[0]} labels but scores has {scores.shape[0]} "
            "rows; give one row of scores per sample."
        )
    if not np.isfinite(scores).all():
        raise InvalidInputError(
            "scores contain NaN or infinity; pass finite scores (for probabilities, "
            "clip them away from 0 before taking logs)."
        )
    labels = np.unique(y_true) if labels is None else column_or_1d(labels)
    if labels.size != scores.shape[1]:
        raise InvalidInputError(
            f"scores has {scores.shape[1]} columns but there are {labels.size} "
            "classes; pass labels=[...] naming the class of each column."
        )
    return _label_indices(y_true, labels, "y_true"), scores


def tune_class_offsets(
    y_true, scores, *, objective="f1", beta=1.0, min_recall=None, min_precision=None,
    cost_matrix=None, labels=None, max_candidates=100, max_rounds=20,
):
    """Per-class offsets ``b`` maximising an objective of ``argmax_k(scores_k + b_k)``.

    Deterministic coordinate search (see the module notes); an offset changes
    only when that strictly improves the objective, and then to the best value
    closest to its current one. The offsets returned sum to zero.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True classes.
    scores : array-like of shape (n_samples, n_classes)
        Additive class scores: log-probabilities (``w_k = exp(b_k)`` then
        multiplies the probabilities) or ``decision_function`` values.
    objective : str, default="f1"
        See :mod:`imbkit.decision` for the list; multi-class versions are macro
        averages, the geometric mean of recalls, or the multi-class MCC.
    beta, min_recall, min_precision, cost_matrix
        Options of the objective, as for :func:`best_threshold`.
    labels : array-like of shape (n_classes,), default=None
        Class of each column of ``scores``; ``None`` means the sorted classes
        of ``y_true``.
    max_candidates : int, default=100
        Most candidate values tried per coordinate step (all distinct
        decisions when there are fewer).
    max_rounds : int, default=20
        Most passes over the classes.

    Returns
    -------
    offsets : ndarray of shape (n_classes,)
    score : float
        The objective at those offsets; negative for a constrained objective
        whose constraint could not be met (then a warning says so).

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.decision import tune_class_offsets
    >>> y = np.array([0, 0, 0, 0, 1, 1, 2, 2])
    >>> proba = np.array([[.7, .2, .1], [.6, .3, .1], [.8, .1, .1], [.5, .3, .2],
    ...                   [.5, .45, .05], [.55, .4, .05], [.5, .1, .4], [.45, .15, .4]])
    >>> proba.argmax(axis=1).tolist()  # argmax never predicts the rare classes
    [0, 0, 0, 0, 0, 0, 0, 0]
    >>> offsets, score = tune_class_offsets(y, np.log(proba), objective="gmean")
    >>> float(score), (np.log(proba) + offsets).argmax(axis=1).tolist()
    (1.0, [0, 0, 0, 0, 1, 1, 2, 2])
    >>> np.exp(offsets).round(3)  # the class weights w_k
    array([0.758, 1.148, 1.148])
    """
    codes, z = _check_scores(y_true, scores, labels)
    options = check_objective_options(
        objective, beta=beta, min_recall=min_recall, min_precision=min_precision,
        cost_matrix=cost_matrix, n_classes=z.shape[1],
    )
    offsets = np.zeros(z.shape[1])
    current = _current_score(codes, z, offsets, options)
    for _ in range(max_rounds):
        changed = False
        for k in range(z.shape[1]):
            candidates, cms = _coordinate_confusions(codes, z, offsets, k, max_candidates)
            values = multiclass_objective_scores(cms, options)
            if values.max() <= current + _TOL:
                continue
            ties = np.flatnonzero(values >= values.max() - _TOL)
            best = ties[np.argmin(np.abs(candidates[ties] - offsets[k]))]
            offsets[k], current, changed = candidates[best], values[best], True
        if not changed:
            break
    if objective in CONSTRAINED and current < 0:
        warn_infeasible(objective, options, current)
    return offsets - offsets.mean(), float(current)


def warn_infeasible(objective, options, score):
    """Warn that no decision met the constraint and say what was kept instead."""
    name = CONSTRAINED[objective]
    kept = "recall" if name == "min_recall" else "precision"
    warnings.warn(
        f"No decision reaches {name}={options[name]:g} for objective={objective!r}; "
        f"falling back to the decision with the highest {kept} (short of the "
        f"target by {-score:.3g}). Lower {name}, or improve the model.",
        ImbalanceWarning,
        stacklevel=3,
    )
