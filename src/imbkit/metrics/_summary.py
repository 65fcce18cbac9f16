"""One-call summaries of a classifier on imbalanced data.

:func:`classification_report_imbalanced` is imbalanced-learn's per-class
report; :func:`imbalanced_summary` gathers, in one plain ``dict``, every
number the imbalanced-learning literature reports for a model: the
threshold metrics of its predictions and the ranking metrics of its scores.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    cohen_kappa_score,
    f1_score,
    fbeta_score,
    matthews_corrcoef,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.utils.multiclass import type_of_target, unique_labels

from ..exceptions import (
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    TargetError,
)
from ._classification import (
    _check_sample_weight,
    _check_targets,
    _zero_division_value,
    geometric_mean_score,
    sensitivity_specificity_support,
    specificity_score,
)

__all__ = ["classification_report_imbalanced", "imbalanced_summary"]


_REPORT_HEADERS = ("pre", "rec", "spe", "f1", "geo", "iba", "sup")
_AVERAGE_LINE = "avg / total"


def _report_columns(y_true, y_pred, labels, sample_weight, alpha, zero_division):
    """Per-class precision, recall, specificity, f1, G-mean, IBA and support."""
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight,
        zero_division=zero_division,
    )
    sensitivity, specificity, _ = sensitivity_specificity_support(
        y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight,
        warn_for=("specificity",),
    )
    geo = np.sqrt(sensitivity * specificity)
    iba = (1.0 + alpha * (sensitivity - specificity)) * geo**2
    return [precision, recall, specificity, f1, geo, iba], support


def classification_report_imbalanced(
    y_true,
    y_pred,
    *,
    labels=None,
    target_names=None,
    sample_weight=None,
    digits=2,
    alpha=0.1,
    output_dict=False,
    zero_division="warn",
):
    """Per-class report of the metrics that matter on imbalanced data.

    Columns: precision (``pre``), recall (``rec``), specificity (``spe``), F1
    (``f1``), geometric mean (``geo``), index balanced accuracy of the
    geometric mean (``iba``) and support (``sup``); the last line averages
    each column weighted by support.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like of shape (n_labels,), default=None
        Classes to report, in order. Defaults to every class, sorted.
    target_names : list of str of shape (n_labels,), default=None
        Names shown for ``labels``.
    sample_weight : array-like of shape (n_samples,), default=None
    digits : int, default=2
        Digits shown in the text report (the dict is not rounded).
    alpha : float, default=0.1
        Weight of the dominance in the index balanced accuracy.
    output_dict : bool, default=False
        Return ``{name: {"pre": ..., ..., "sup": ...}, "avg_pre": ...,
        ..., "total_support": ...}`` instead of text.
    zero_division : "warn", 0 or 1, default="warn"
        Value of an undefined precision, recall or F1.

    Returns
    -------
    report : str or dict

    Examples
    --------
    >>> from imbkit.metrics import classification_report_imbalanced
    >>> report = classification_report_imbalanced([0, 1, 2, 2, 2], [0, 0, 2, 2, 1],
    ...     target_names=["class 0", "class 1", "class 2"], output_dict=True)
    >>> print(round(report["class 2"]["geo"], 4), report["total_support"])
    0.8165 5
    """
    if not isinstance(digits, numbers.Integral) or digits < 0:
        raise InvalidInputError(f"digits must be an integer >= 0; got {digits!r}.")
    _, present, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    labels = present if labels is None else np.asarray(labels)
    if target_names is None:
        target_names = [f"{label}" for label in labels]
    if len(target_names) != len(labels):
        raise InvalidInputError(
            f"target_names has {len(target_names)} names for {len(labels)} labels; "
            "pass one name per label."
        )
    columns, support = _report_columns(
        y_true, y_pred, labels, sample_weight, alpha, zero_division
    )
    width = max(max(len(name) for name in target_names), len(_AVERAGE_LINE), digits)
    line = f"%{width}s  " + " ".join(["%9s"] * len(_REPORT_HEADERS)) + "\n"
    text = line % ("", *_REPORT_HEADERS) + "\n"
    report = {}
    for i, name in enumerate(target_names):
        values = [column[i] for column in columns]
        report[name] = {**dict(zip(_REPORT_HEADERS, values)), "sup": support[i]}
        text += line % (name, *(f"{v:0.{digits}f}" for v in values), f"{support[i]}")
    text += "\n"
    averages = [np.average(column, weights=support) for column in columns]
    report.update({f"avg_{key}": value for key, value in zip(_REPORT_HEADERS, averages)})
    report["total_support"] = np.sum(support)
    text += line % (
        _AVERAGE_LINE, *(f"{v:0.{digits}f}" for v in averages), f"{np.sum(support)}"
    )
    return report if output_dict else text




# --- imbalanced_summary -------------------------------------------------------------

_SUMMARY_AVERAGES = ("auto", "binary", "macro", "weighted", "micro")


def _labels_1d(y, name):
    """``y`` as a 1-D array of class labels, or a TargetError saying what it is."""
    try:
        kind = type_of_target(y, input_name=name)
    except ValueError as exc:
        raise TargetError(f"{exc} Pass one class label per sample as {name}.") from exc
    if kind not in ("binary", "multiclass"):
        raise TargetError(
            f"{name} holds {kind} values, not one class label per sample; pass the "
            "classes (scores go in y_score)."
        )
    y = np.asarray(y).reshape(-1)
    if y.shape[0] == 0:
        raise TargetError(f"{name} is empty; pass at least one sample.")
    return y


def _check_known(y, labels, name):
    unknown = np.setdiff1d(np.unique(y), labels)
    if unknown.shape[0]:
        raise TargetError(
            f"{name} holds labels {unknown.tolist()} that are not in labels="
            f"{labels.tolist()}; add them to labels, or drop those samples."
        )


def _check_scores(y_score, n_samples, n_labels):
    """``y_score`` as a float array of shape (n,) or (n, n_labels)."""
    try:
        score = np.asarray(y_score, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"y_score must hold numbers ({exc}).") from exc
    expected = "(n_samples,) or (n_samples, 2)" if n_labels == 2 else f"(n_samples, {n_labels})"
    if score.ndim == 2 and score.shape[1] == 1:
        score = score[:, 0]
    if (score.ndim == 1 and n_labels > 2) or score.ndim not in (1, 2) or (
        score.ndim == 2 and score.shape[1] != n_labels
    ):
        raise InvalidInputError(
            f"y_score has shape {score.shape} but there are {n_labels} classes: expected "
            f"{expected}, one column per class of labels (e.g. predict_proba(X))."
        )
    if score.shape[0] != n_samples:
        raise LengthMismatchError(
            f"y_true has {n_samples} samples but y_score has {score.shape[0]}; pass "
            "one score per sample."
        )
    if not np.isfinite(score).all():
        raise NonFiniteInputError(
            f"y_score contains NaN or infinity ({int((~np.isfinite(score)).sum())} "
            "values); the model produced undefined scores: check its inputs."
        )
    return score


def _resolve_labels(y_true, y_pred, labels):
    """Sorted classes of the data, or the given ``labels`` after checking them."""
    if labels is None:
        labels = unique_labels(y_true) if y_pred is None else unique_labels(y_true, y_pred)
    else:
        labels = np.asarray(labels)
        if labels.ndim != 1 or np.unique(labels).shape[0] != labels.shape[0]:
            raise InvalidInputError(
                f"labels must be a 1-D list of distinct classes; got {labels.tolist()}."
            )
    _check_known(y_true, labels, "y_true")
    if y_pred is not None:
        _check_known(y_pred, labels, "y_pred")
    if labels.shape[0] < 2:
        raise TargetError(
            f"Only one class ({labels.tolist()}) in y_true and y_pred: pass labels= "
            "with every class of the problem, e.g. labels=[0, 1]."
        )
    return labels


def _binary_inputs(labels, score, pos_label, y_pred, threshold):
    """Positive class, its scores (1-D) and 2-column scores, predictions if needed."""
    classes = labels.tolist()
    if pos_label is not None and pos_label not in classes:
        raise TargetError(
            f"pos_label={pos_label!r} is not one of labels={classes}; pass one of them."
        )
    pos = 1 if pos_label is None else classes.index(pos_label)
    pos_label = classes[pos]
    if score is None:
        return pos_label, None, None, y_pred, None
    if score.ndim == 2:
        columns, positive = score, score[:, pos]
    else:
        # a probability's complement is 1 - p, a decision value's is -d
        other = 1.0 - score if ((score >= 0) & (score <= 1)).all() else -score
        columns = np.column_stack([other, score] if pos == 1 else [score, other])
        positive = score
    if y_pred is None:
        y_pred = np.where(positive >= threshold, labels[pos], labels[1 - pos])
        return pos_label, positive, columns, y_pred, float(threshold)
    return pos_label, positive, columns, y_pred, None


def _threshold_metrics(y_true, y_pred, labels, pos_label, average, beta, zero_division, weight):
    """Metrics of the predicted classes."""
    if average == "binary":
        by_class = {"average": "binary", "pos_label": pos_label}
    else:
        by_class = {"average": average, "labels": labels}
    common = {**by_class, "sample_weight": weight, "zero_division": zero_division}
    return {
        "precision": float(precision_score(y_true, y_pred, **common)),
        "recall": float(recall_score(y_true, y_pred, **common)),
        "specificity": float(specificity_score(y_true, y_pred, **common)),
        "f1": float(f1_score(y_true, y_pred, **common)),
        "f_beta": float(fbeta_score(y_true, y_pred, beta=beta, **common)),
        "mcc": float(matthews_corrcoef(y_true, y_pred, sample_weight=weight)),
        "balanced_accuracy": float(
            balanced_accuracy_score(y_true, y_pred, sample_weight=weight)
        ),
        "cohen_kappa": float(
            cohen_kappa_score(y_true, y_pred, labels=labels, sample_weight=weight)
        ),
        "g_mean": float(
            geometric_mean_score(
                y_true, y_pred, labels=labels, sample_weight=weight,
                zero_division=zero_division,
            )
        ),
    }


def _ranking_metrics(y_true, positive, columns, labels, pos_label, average, weight):
    """Threshold-free metrics of the scores, NaN without scores."""
    if columns is None:
        return {"pr_auc": float("nan"), "roc_auc": float("nan")}
    if average == "binary":
        truth = y_true == pos_label
        return {
            "pr_auc": float(average_precision_score(truth, positive, sample_weight=weight)),
            "roc_auc": float(roc_auc_score(truth, positive, sample_weight=weight)),
        }
    # one-vs-rest on the indicator matrix: no need for rows summing to 1
    truth = (y_true[:, None] == labels[None, :]).astype(np.int64)
    return {
        "pr_auc": float(
            average_precision_score(truth, columns, average=average, sample_weight=weight)
        ),
        "roc_auc": float(roc_auc_score(truth, columns, average=average, sample_weight=weight)),
    }


def _check_options(average, beta, threshold, zero_division):
    if average not in _SUMMARY_AVERAGES:
        raise InvalidInputError(
            f"average={average!r} is not supported; use one of {list(_SUMMARY_AVERAGES)}."
        )
    if not isinstance(beta, numbers.Real) or not beta > 0:
        raise InvalidInputError(f"beta must be a number > 0; got {beta!r}.")
    if not isinstance(threshold, numbers.Real) or not np.isfinite(threshold):
        raise InvalidInputError(f"threshold must be a finite number; got {threshold!r}.")
    _zero_division_value(zero_division)


def imbalanced_summary(
    y_true,
    y_score=None,
    *,
    y_pred=None,
    threshold=0.5,
    labels=None,
    pos_label=None,
    beta=2.0,
    average="auto",
    zero_division="warn",
    sample_weight=None,
):
    """Every metric the imbalanced-learning literature reports, in one plain dict.

    Binary problems: ``y_score`` is the score of ``pos_label`` (e.g.
    ``predict_proba(X)[:, 1]`` or ``decision_function(X)``) or the two columns
    of ``predict_proba``; the predictions are ``y_score >= threshold``.
    Multi-class problems: ``y_score`` has one column per class (of ``labels``)
    and the predictions are its argmax. Predictions given as ``y_pred`` are
    used as they are (with ``y_score``, only for the threshold metrics).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes), default=None
        Scores; without them ``pr_auc`` and ``roc_auc`` are NaN.
    y_pred : array-like of shape (n_samples,), default=None
        Predicted classes. ``y_score`` or ``y_pred`` must be given.
    threshold : float, default=0.5
        Binary only, without ``y_pred``: the score from which ``pos_label`` is
        predicted. The output's ``"threshold"`` is the one applied, or None.
    labels : array-like, default=None
        Every class of the problem, in the order of the columns of
        ``y_score``. Defaults to the sorted classes of ``y_true`` and ``y_pred``.
    pos_label : label, default=None
        Binary only: the class of interest; defaults to the second of
        ``labels`` (the class of ``predict_proba(X)[:, 1]``).
    beta : float, default=2.0
        Weight of recall in ``f_beta``.
    average : {"auto", "binary", "macro", "weighted", "micro"}, default="auto"
        How per-class values become one. ``"auto"`` is ``"binary"`` (the values
        of ``pos_label``) for two classes and ``"macro"`` for more; the
        threshold-free metrics are one-vs-rest with the same averaging.
    zero_division : "warn", 0.0, 1.0 or np.nan, default="warn"
        Value of an undefined precision, recall, specificity or F score.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    summary : dict
        ``n_samples``, ``labels``, ``pos_label`` (None for multi-class),
        ``average``, ``threshold``, ``support`` (``{class: count}``, unweighted),
        ``imbalance_ratio`` (largest over smallest non-zero support), then
        ``precision``, ``recall`` (sensitivity), ``specificity``, ``f1``,
        ``f_beta`` and ``beta``, ``pr_auc`` (average precision), ``roc_auc``,
        ``mcc``, ``balanced_accuracy``, ``cohen_kappa`` and ``g_mean`` (the
        geometric mean of every class's recall), all plain Python numbers.

    Examples
    --------
    >>> from imbkit.metrics import imbalanced_summary
    >>> y_true = [0, 0, 0, 0, 0, 0, 1, 1]
    >>> y_score = [0.1, 0.2, 0.3, 0.6, 0.2, 0.1, 0.7, 0.4]
    >>> summary = imbalanced_summary(y_true, y_score)
    >>> summary["average"], summary["support"], summary["imbalance_ratio"]
    ('binary', {0: 6, 1: 2}, 3.0)
    >>> print(summary["recall"], round(summary["specificity"], 4), round(summary["roc_auc"], 4))
    0.5 0.8333 0.9167
    """
    _check_options(average, beta, threshold, zero_division)
    if y_score is None and y_pred is None:
        raise InvalidInputError(
            "Pass y_score (scores or probabilities) or y_pred (predicted classes)."
        )
    y_true = _labels_1d(y_true, "y_true")
    if y_pred is not None:
        _, _, y_true, y_pred, _ = _check_targets(y_true, _labels_1d(y_pred, "y_pred"))
    weight = _check_sample_weight(sample_weight, y_true.shape[0])
    labels = _resolve_labels(y_true, y_pred, labels)
    score = None if y_score is None else _check_scores(y_score, y_true.shape[0], len(labels))
    if labels.shape[0] == 2:
        pos_label, positive, columns, y_pred, used = _binary_inputs(
            labels, score, pos_label, y_pred, threshold
        )
    else:
        if pos_label is not None:
            raise InvalidInputError(
                f"pos_label applies to two classes; there are {labels.shape[0]}. Leave "
                "it None, or pass labels=[other, positive] for one class against the rest."
            )
        positive, columns, used = None, score, None
        if y_pred is None:
            y_pred = labels[np.argmax(score, axis=1)]
    if average == "auto":
        average = "binary" if labels.shape[0] == 2 else "macro"
    elif average == "binary" and labels.shape[0] > 2:
        raise InvalidInputError(
            f"average='binary' needs two classes; there are {labels.shape[0]}: use "
            "'macro', 'weighted' or 'micro'."
        )
    support = {label: int(np.sum(y_true == label)) for label in labels.tolist()}
    present = [count for count in support.values() if count]
    return {
        "n_samples": int(y_true.shape[0]),
        "labels": labels.tolist(),
        "pos_label": pos_label,
        "average": average,
        "threshold": used,
        "support": support,
        "imbalance_ratio": max(present) / min(present),
        **_threshold_metrics(
            y_true, y_pred, labels, pos_label, average, beta, zero_division, weight
        ),
        "beta": float(beta),
        **_ranking_metrics(y_true, positive, columns, labels, pos_label, average, weight),
    }
