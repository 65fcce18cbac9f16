"""What the report shows, taken from a comparison: counts, out-of-fold curves, matrices."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.metrics import confusion_matrix

__all__ = [
    "class_counts",
    "confusion_strategies",
    "curve_strategies",
    "oof_confusion",
    "oof_curves",
    "positive_class",
    "resampling_counts",
]


def class_counts(y, classes):
    """``{class: rows}`` for every class of ``classes``, in that order."""
    y = np.asarray(y)
    return {c: int(np.sum(y == c)) for c in np.asarray(classes).tolist()}


def positive_class(result, y):
    """The class the curves are drawn for: ``pos_label``, else the rarest class."""
    if result.pos_label is not None:
        return result.pos_label
    counts = class_counts(y, result.classes)
    return min(counts, key=counts.get)


def _family(result):
    return {s["name"]: s["family"] for s in result.to_dict()["strategies"]}


def curve_strategies(result, top=3):
    """The ``top`` best strategies, then the baseline the recommendation was tested against."""
    names = list(result.ranking[:top])
    vs_baseline = result.confidence.get("vs_baseline")
    families = _family(result)
    baseline = vs_baseline["strategy"] if vs_baseline else next(
        (n for n in result.ranking if families.get(n) == "baseline"), None)
    if baseline is not None and baseline not in names:
        names.append(baseline)
    return names


def confusion_strategies(result):
    """The recommended strategy, and the best threshold-moving one when it differs."""
    families = _family(result)
    names = [result.recommended]
    tuned = next((n for n in result.ranking if families.get(n) == "threshold"), None)
    if tuned is not None and tuned not in names:
        names.append(tuned)
    return names, families


def oof_curves(result, y, names, positive):
    """``[(name, y_true, score)]``: binary truth and the positive class's score, pooled.

    Every repeat's out-of-fold rows are pooled, so each row counts once per repeat.
    """
    y = np.asarray(y)
    column = result.classes.tolist().index(positive)
    curves = []
    for name in names:
        oof = result.oof[name]
        truth, score = [], []
        for repeat in range(oof["tested"].shape[0]):
            rows = oof["tested"][repeat]
            truth.append(y[rows] == positive)
            score.append(oof["y_score"][repeat, rows, column])
        truth, score = np.concatenate(truth).astype(int), np.concatenate(score)
        keep = np.isfinite(score)
        curves.append((name, truth[keep], score[keep]))
    return curves


def oof_confusion(result, y, name, repeat=0):
    """Confusion matrix of ``name``'s out-of-fold decisions in one repeat (rows: truth)."""
    oof = result.oof[name]
    rows = oof["tested"][repeat]
    return confusion_matrix(np.asarray(y)[rows], oof["y_pred"][repeat, rows],
                            labels=result.classes)


def _sampler_position(estimator):
    steps = getattr(estimator, "steps", None)
    if not steps:
        return None
    for i, (_, step) in enumerate(steps):
        if hasattr(step, "fit_resample"):
            return i
    return None


def resampling_counts(result, X, y):
    """Rows per class after each resampling strategy's sampler, fitted on all rows.

    Each resampling strategy is refitted on every row (``best_estimator``);
    its preprocessing transforms ``X`` and a fresh copy of its sampler, with
    the same settings and seed, resamples it.

    Parameters
    ----------
    result : ComparisonResult
    X, y
        The data the comparison ran on.

    Returns
    -------
    dict
        ``{"original": {class: rows}, strategy: {class: rows}, ...}``, in
        ranking order; strategies without a sampler step are left out.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.compare import compare_strategies
    >>> from imbkit.report import resampling_counts
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> result = compare_strategies(X, y, ["lr", "lr+rus"], cv=3, n_repeats=1)
    >>> resampling_counts(result, X, y)
    {'original': {0: 180, 1: 20}, 'lr+rus': {0: 20, 1: 20}}
    """
    counts = {"original": class_counts(y, result.classes)}
    families = _family(result)
    for name in result.ranking:
        if families.get(name) != "resampling":
            continue
        estimator = result.best_estimator(name)
        position = _sampler_position(estimator)
        if position is None:
            continue
        X_in = estimator[:position].transform(X) if position else X
        _, y_res = clone(estimator.steps[position][1]).fit_resample(X_in, y)
        counts[name] = class_counts(y_res, result.classes)
    return counts
