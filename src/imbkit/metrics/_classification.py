"""Classification metrics that weigh every class, whatever its size.

Sensitivity (the recall of a class), specificity (the recall of everything
else), their geometric mean, the index balanced accuracy and the macro-averaged
mean absolute error, with the names, signatures, defaults and values of
imbalanced-learn 0.14. The counts come from :func:`sklearn.metrics.multilabel_confusion_matrix`,
so sample weights and label selection mean what they mean in scikit-learn.

Where these functions knowingly differ from imbalanced-learn 0.14:

* with ``sample_weight``, a class's true negatives are the *weight* of the
  rows neither true nor predicted in it; imbalanced-learn subtracts weights
  from the number of rows, which is wrong unless the weights sum to it (and
  rounding residue is cleaned, so no class gets a specificity below 0 or an
  undefined one computed as ``1e-16 / 1e-16``);
* with ``average="binary"`` on data holding only negatives, the specificity
  of ``pos_label`` is 1.0 (no false positive) and the sensitivity follows
  ``zero_division`` with a warning, as in scikit-learn; imbalanced-learn
  returns 0.0 for both without a word;
* ``zero_division`` (new, keyword-only, default ``"warn"``) chooses the value
  of an undefined ratio as in scikit-learn;
* :func:`make_index_balanced_accuracy` refuses a metric of scores with a
  ``TypeError`` when decorating it, not an ``AttributeError`` at the call;
* :func:`macro_averaged_mean_absolute_error` averages over the classes of
  ``y_true``; imbalanced-learn fails when ``y_pred`` holds another class.
"""

from __future__ import annotations

import functools
import numbers
import warnings
from inspect import signature

import numpy as np
from scipy import stats
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import multilabel_confusion_matrix
from sklearn.utils.multiclass import type_of_target, unique_labels

from ..exceptions import (
    EmptyInputError,
    ImbalanceWarning,
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    TargetError,
)

__all__ = [
    "geometric_mean_score",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "sensitivity_score",
    "sensitivity_specificity_support",
    "specificity_score",
]

_AVERAGES = (None, "binary", "micro", "macro", "weighted", "samples")


# --- validation -------------------------------------------------------------------


def _check_average(average, allowed):
    if average not in allowed:
        raise InvalidInputError(
            f"average={average!r} is not supported; use one of {list(allowed)}."
        )
    if average == "samples":
        raise InvalidInputError(
            "average='samples' averages over the labels of each sample, which only "
            "means something for multilabel targets; imbkit metrics take one class "
            "per sample: use 'macro', 'weighted' or 'micro'."
        )


def _zero_division_value(zero_division):
    """The value an undefined ratio takes; raise on an unknown option."""
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
    elif (
        isinstance(zero_division, numbers.Real)
        and not isinstance(zero_division, bool)
        and (np.isnan(zero_division) or zero_division in (0, 1))
    ):
        return float(zero_division)
    raise InvalidInputError(
        f"zero_division={zero_division!r} is not supported; use 'warn' (0.0 with a "
        "warning), 0.0, 1.0 or np.nan."
    )


def _check_sample_weight(sample_weight, n_samples):
    if sample_weight is None:
        return None
    weight = np.asarray(sample_weight, dtype=np.float64)
    if weight.ndim != 1 or weight.shape[0] != n_samples:
        raise LengthMismatchError(
            f"sample_weight has shape {weight.shape} but y_true has {n_samples} "
            "samples; pass one weight per sample."
        )
    if not np.isfinite(weight).all():
        raise NonFiniteInputError("sample_weight contains NaN or infinity; pass finite weights.")
    return weight


def _check_targets(y_true, y_pred, sample_weight=None):
    """Return ``(y_type, present_labels, y_true, y_pred, sample_weight)`` as 1-D arrays."""
    kinds = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        try:
            kind = type_of_target(y, input_name=name)
        except ValueError as exc:
            raise TargetError(f"{exc} Pass one class label per sample.") from exc
        if kind == "multilabel-indicator":
            raise TargetError(
                f"{name} is a multilabel indicator matrix; imbkit metrics take one "
                "class per sample. Score each label separately, or pass class labels."
            )
        if kind not in ("binary", "multiclass"):
            raise TargetError(
                f"{name} holds {kind} values, not class labels. Pass predicted "
                "classes (e.g. estimator.predict(X)), not scores or probabilities."
            )
        kinds.append(kind)
    y_true, y_pred = np.asarray(y_true).reshape(-1), np.asarray(y_pred).reshape(-1)
    if y_true.shape[0] != y_pred.shape[0]:
        raise LengthMismatchError(
            f"y_true has {y_true.shape[0]} samples but y_pred has {y_pred.shape[0]}; "
            "pass one prediction per sample."
        )
    if y_true.shape[0] == 0:
        raise EmptyInputError("y_true and y_pred are empty; pass at least one sample.")
    try:
        present = unique_labels(y_true, y_pred)
    except ValueError as exc:
        raise TargetError(f"{exc} Use the same label type in y_true and y_pred.") from exc
    y_type = "binary" if present.shape[0] <= 2 else "multiclass"
    return y_type, present, y_true, y_pred, _check_sample_weight(sample_weight, y_true.shape[0])


def _selected_labels(y_type, present, labels, pos_label, average):
    """The labels to score, in the order of the output."""
    if average == "binary":
        if y_type != "binary":
            raise TargetError(
                f"Target is {y_type} but average='binary'; pass average='macro', "
                "'weighted', 'micro' or None for more than two classes."
            )
        if pos_label not in present.tolist() and present.shape[0] == 2:
            raise TargetError(
                f"pos_label={pos_label!r} is not a valid label: the labels are "
                f"{present.tolist()}. Pass one of them as pos_label."
            )
        return np.asarray([pos_label])
    if pos_label not in (None, 1):
        warnings.warn(
            f"pos_label={pos_label!r} is ignored when average={average!r} (it only "
            "applies to average='binary'). You may use labels=[pos_label] to score "
            "that class alone.",
            ImbalanceWarning,
            stacklevel=3,
        )
    if labels is None:
        return present
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.shape[0] == 0:
        raise InvalidInputError(
            f"labels must be a non-empty 1-D list of classes; got shape {labels.shape}."
        )
    return labels


def _confusion(y_true, y_pred, labels, present, sample_weight):
    """One-vs-rest confusion matrices of ``labels``, shape (n_labels, 2, 2)."""
    try:
        return multilabel_confusion_matrix(
            y_true, y_pred, sample_weight=sample_weight, labels=labels
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"labels {labels.tolist()} cannot be compared with the classes "
            f"{present.tolist()} ({exc}); pass labels of the same type as y."
        ) from exc


def _weighted_negatives(tn, fp, y_true, labels, sample_weight):
    """Weighted true negatives and negatives, free of rounding residue.

    scikit-learn gets a weighted ``tn`` as a total minus partial sums, which
    leaves +-1e-16 where it should be 0: negative values are clipped, and a
    class with no weighted sample outside it gets exactly 0 negatives.
    """
    rows = y_true[sample_weight != 0]
    classes, counts = np.unique(rows, return_counts=True)
    in_class = dict(zip(classes.tolist(), counts.tolist()))
    outside = np.array([rows.shape[0] - in_class.get(label, 0) for label in labels.tolist()])
    tn = np.where(outside > 0, np.maximum(tn, 0.0), 0.0)
    return tn, np.where(outside > 0, tn + fp, 0.0)


def _divide(numerator, denominator, zero_division, message, warn):
    """``numerator / denominator``; ``zero_division`` where the denominator is 0."""
    denominator = np.asarray(denominator, dtype=np.float64)
    undefined = denominator == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.asarray(numerator, dtype=np.float64) / np.where(undefined, 1.0, denominator)
    result[undefined] = _zero_division_value(zero_division)
    if warn and zero_division == "warn" and undefined.any():
        where = "due to" if result.shape[0] == 1 else "in labels with"
        warnings.warn(
            message.format(where=where) + " Use `zero_division` to choose the value.",
            UndefinedMetricWarning,
            stacklevel=4,
        )
    return result


_SENSITIVITY_MSG = "Sensitivity is ill-defined and being set to 0.0 {where} no true samples."
_SPECIFICITY_MSG = (
    "Specificity is ill-defined and being set to 0.0 {where} no negative true samples."
)


# --- sensitivity and specificity --------------------------------------------------


def sensitivity_specificity_support(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average=None,
    warn_for=("sensitivity", "specificity"),
    sample_weight=None,
    zero_division="warn",
):
    """Sensitivity, specificity and support of each class.

    The sensitivity of a class is ``tp / (tp + fn)``: the share of its samples
    predicted as it. Its specificity is ``tn / (tn + fp)``: the share of the
    other samples predicted as something else. The support is the number (the
    weight, with ``sample_weight``) of its samples in ``y_true``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted classes.
    labels : array-like, default=None
        Classes to score (and their order when ``average=None``); ignored when
        ``average="binary"``. A class absent from the data scores 0
        sensitivity. Defaults to every class of ``y_true`` and ``y_pred``, sorted.
    pos_label : str, int or None, default=1
        The class scored when ``average="binary"``.
    average : {None, "binary", "micro", "macro", "weighted"}, default=None
        ``None`` returns one value per class; ``"binary"`` the values of
        ``pos_label``; ``"micro"`` pools the counts of every class;
        ``"macro"`` takes the plain mean over classes and ``"weighted"`` the
        mean weighted by support.
    warn_for : tuple of str, default=("sensitivity", "specificity")
        Which undefined ratios raise an ``UndefinedMetricWarning``.
    sample_weight : array-like of shape (n_samples,), default=None
    zero_division : "warn", 0.0, 1.0 or np.nan, default="warn"
        Value of a ratio whose denominator is 0; ``"warn"`` gives 0.0 and warns.

    Returns
    -------
    sensitivity, specificity : float or ndarray of shape (n_labels,)
    support : ndarray of shape (n_labels,) or None
        ``None`` when ``average`` is set.

    Notes
    -----
    Two fixes to imbalanced-learn 0.14 (see :mod:`imbkit.metrics._classification`):
    weighted true negatives are weights, not row counts minus weights, and with
    ``average="binary"`` on data without ``pos_label`` the specificity is 1.0.

    Examples
    --------
    >>> from imbkit.metrics import sensitivity_specificity_support
    >>> y_true = ["cat", "dog", "pig", "cat", "dog", "pig"]
    >>> y_pred = ["cat", "pig", "dog", "cat", "cat", "dog"]
    >>> sensitivity_specificity_support(y_true, y_pred)
    (array([1., 0., 0.]), array([0.75, 0.5 , 0.75]), array([2, 2, 2]))
    >>> sen, spe, _ = sensitivity_specificity_support(y_true, y_pred, average="macro")
    >>> print(round(sen, 4), round(spe, 4))
    0.3333 0.6667
    """
    _check_average(average, _AVERAGES)
    _zero_division_value(zero_division)
    y_type, present, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    labels = _selected_labels(y_type, present, labels, pos_label, average)
    mcm = _confusion(y_true, y_pred, labels, present, sample_weight)
    tn, fp, fn, tp = mcm[:, 0, 0], mcm[:, 0, 1], mcm[:, 1, 0], mcm[:, 1, 1]
    negatives = tn + fp
    if sample_weight is not None:
        tn, negatives = _weighted_negatives(tn, fp, y_true, labels, sample_weight)
    true_sum = tp + fn
    if average == "micro":
        tp, true_sum_micro, tn, negatives = (
            np.array([count.sum()]) for count in (tp, true_sum, tn, negatives)
        )
    else:
        true_sum_micro = true_sum
    sensitivity = _divide(
        tp, true_sum_micro, zero_division, _SENSITIVITY_MSG, "sensitivity" in warn_for
    )
    specificity = _divide(
        tn, negatives, zero_division, _SPECIFICITY_MSG, "specificity" in warn_for
    )
    if average is None:
        return sensitivity, specificity, true_sum
    weights = None
    if average == "weighted":
        weights = true_sum
        if weights.sum() == 0:
            value = _zero_division_value(zero_division)
            return value, value, None
    return (
        np.average(sensitivity, weights=weights),
        np.average(specificity, weights=weights),
        None,
    )


def sensitivity_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
    zero_division="warn",
):
    """Sensitivity (true positive rate, recall): ``tp / (tp + fn)``.

    1 is best, 0 worst. Parameters as in
    :func:`sensitivity_specificity_support`, with ``average="binary"`` by default.

    Returns
    -------
    sensitivity : float or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from imbkit.metrics import sensitivity_score
    >>> print(round(sensitivity_score([0, 1, 1, 1], [0, 1, 0, 1]), 4))
    0.6667
    >>> sensitivity_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average=None)
    array([1., 0., 0.])
    """
    sensitivity, _, _ = sensitivity_specificity_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("sensitivity",), sample_weight=sample_weight,
        zero_division=zero_division,
    )
    return sensitivity


def specificity_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
    zero_division="warn",
):
    """Specificity (true negative rate): ``tn / (tn + fp)``.

    1 is best, 0 worst. Parameters as in
    :func:`sensitivity_specificity_support`, with ``average="binary"`` by default.

    Returns
    -------
    specificity : float or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from imbkit.metrics import specificity_score
    >>> print(round(specificity_score([0, 0, 0, 1], [0, 1, 0, 1]), 4))
    0.6667
    >>> specificity_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average=None)
    array([0.75, 0.5 , 0.75])
    """
    _, specificity, _ = sensitivity_specificity_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("specificity",), sample_weight=sample_weight,
        zero_division=zero_division,
    )
    return specificity


# --- geometric mean and index balanced accuracy -----------------------------------


def geometric_mean_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="multiclass",
    sample_weight=None,
    correction=0.0,
    zero_division="warn",
):
    """Geometric mean (G-mean) of the per-class sensitivities.

    With ``average="multiclass"`` (the default) it is the ``n_labels``-th root
    of the product of the sensitivities of every class, so a single class
    never recognised makes it 0; for two classes it is
    ``sqrt(sensitivity * specificity)``. With any other ``average`` it is
    ``sqrt(sensitivity * specificity)`` of each class taken one-vs-rest, the
    two factors averaged as in :func:`sensitivity_specificity_support` first.

    Parameters
    ----------
    y_true, y_pred, labels, pos_label, sample_weight, zero_division
        As in :func:`sensitivity_specificity_support`.
    average : {"multiclass", None, "binary", "micro", "macro", "weighted"}, \
            default="multiclass"
    correction : float, default=0.0
        With ``average="multiclass"``, the value given to a sensitivity of 0
        before the product, so that one missed class does not zero the score.

    Returns
    -------
    geometric_mean : float or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from imbkit.metrics import geometric_mean_score
    >>> y_true, y_pred = [0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]
    >>> geometric_mean_score(y_true, y_pred)
    0.0
    >>> print(round(geometric_mean_score(y_true, y_pred, correction=0.001), 4))
    0.01
    >>> print(round(geometric_mean_score(y_true, y_pred, average="macro"), 4))
    0.4714
    """
    _check_average(average, (*_AVERAGES, "multiclass"))
    if not isinstance(correction, numbers.Real) or not correction >= 0:
        raise InvalidInputError(f"correction must be a number >= 0; got {correction!r}.")
    if average != "multiclass":
        sensitivity, specificity, _ = sensitivity_specificity_support(
            y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
            sample_weight=sample_weight, zero_division=zero_division,
        )
        return np.sqrt(sensitivity * specificity)
    _zero_division_value(zero_division)
    _, present, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    labels = _selected_labels("multiclass", present, labels, None, None)
    mcm = _confusion(y_true, y_pred, labels, present, sample_weight)
    tp, fn = mcm[:, 1, 1], mcm[:, 1, 0]
    recall = _divide(tp, tp + fn, zero_division, _SENSITIVITY_MSG, True)
    recall[recall == 0] = correction
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(stats.gmean(recall))


_SCORE_ONLY_ARGUMENTS = {"y_score", "y_prob", "y2"}


def make_index_balanced_accuracy(*, alpha=0.1, squared=True):
    """Decorator turning a metric of predicted classes into its index balanced accuracy.

    The index balanced accuracy (IBA, García et al., 2012) of a score ``M`` is
    ``(1 + alpha * (sensitivity - specificity)) * M``, with ``M`` squared first
    when ``squared=True``: it favours classifiers whose hits are spread evenly.
    Sensitivity and specificity are computed with the arguments of the
    decorated call that :func:`sensitivity_specificity_support` shares
    (``labels``, ``pos_label``, ``average``, ``sample_weight``...);
    ``average="multiclass"`` becomes ``"macro"``, and ``accuracy_score`` and
    ``jaccard_score`` are balanced with ``average="binary"``.

    Parameters
    ----------
    alpha : float, default=0.1
        Weight of the dominance ``sensitivity - specificity``.
    squared : bool, default=True
        Square the score before weighting it.

    Returns
    -------
    decorator : callable
        Takes a metric ``f(y_true, y_pred, ...)`` and returns its IBA version.

    Raises
    ------
    TypeError
        When the metric takes scores (``y_score``, ``y_prob``, ``y2``): the
        dominance needs predicted classes. Unlike imbalanced-learn, which
        raises ``AttributeError`` at the first call, this fails at decoration.

    Examples
    --------
    >>> from imbkit.metrics import geometric_mean_score, make_index_balanced_accuracy
    >>> iba = make_index_balanced_accuracy(alpha=0.1, squared=True)(geometric_mean_score)
    >>> iba([1, 0, 0, 1, 0, 1], [0, 0, 1, 1, 0, 1], average=None)
    array([0.44444444, 0.44444444])
    """
    if not isinstance(alpha, numbers.Real):
        raise InvalidInputError(f"alpha must be a real number; got {alpha!r}.")
    if not isinstance(squared, (bool, np.bool_)):
        raise InvalidInputError(f"squared must be True or False; got {squared!r}.")

    def decorate(scoring_func):
        scoring_signature = signature(scoring_func)
        name = getattr(scoring_func, "__name__", repr(scoring_func))
        if _SCORE_ONLY_ARGUMENTS & set(scoring_signature.parameters):
            raise TypeError(
                f"{name} takes scores or probabilities; the index balanced accuracy "
                "needs a metric of predicted classes (y_true, y_pred)."
            )
        shared = set(signature(sensitivity_specificity_support).parameters)

        @functools.wraps(scoring_func)
        def compute_score(*args, **kwargs):
            bound = scoring_signature.bind(*args, **kwargs)
            bound.apply_defaults()
            score = scoring_func(*bound.args, **bound.kwargs)
            if squared:
                score = np.power(score, 2)
            arguments = {k: v for k, v in bound.arguments.items() if k in shared}
            if arguments.get("average") == "multiclass":
                arguments["average"] = "macro"
            if name in ("accuracy_score", "jaccard_score"):
                arguments["average"] = "binary"
            sensitivity, specificity, _ = sensitivity_specificity_support(**arguments)
            return (1.0 + alpha * (sensitivity - specificity)) * score

        return compute_score

    return decorate


# --- ordinal ------------------------------------------------------------------------


def macro_averaged_mean_absolute_error(y_true, y_pred, *, sample_weight=None):
    """Mean absolute error of each class of ``y_true``, averaged over classes.

    On ordinal targets it weighs every class equally, so a model cannot hide
    large errors on a rare class behind a frequent one.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted ordinal classes (numbers).
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    loss : float
        0 is best.

    Examples
    --------
    >>> from imbkit.metrics import macro_averaged_mean_absolute_error
    >>> macro_averaged_mean_absolute_error([1, 1, 2, 2], [1, 2, 1, 2])
    0.5
    >>> print(round(macro_averaged_mean_absolute_error([1, 2, 2, 2], [1, 2, 1, 2]), 4))
    0.1667
    """
    _, _, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    if y_true.dtype.kind not in "iufb" or y_pred.dtype.kind not in "iufb":
        raise TargetError(
            "macro_averaged_mean_absolute_error needs ordinal classes coded as "
            "numbers; encode the classes in their order first (e.g. 0, 1, 2)."
        )
    weight = np.ones(y_true.shape[0]) if sample_weight is None else sample_weight
    errors = np.abs(y_true.astype(np.float64) - y_pred.astype(np.float64))
    per_class = []
    for label in np.unique(y_true).tolist():
        rows = y_true == label
        if weight[rows].sum() == 0:
            raise InvalidInputError(
                f"The samples of class {label!r} have a total weight of 0; give "
                "every class of y_true some weight."
            )
        per_class.append(np.average(errors[rows], weights=weight[rows]))
    return float(np.sum(per_class) / len(per_class))
