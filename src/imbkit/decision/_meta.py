"""Helpers shared by the decision meta-estimators."""

from __future__ import annotations

import numpy as np
from sklearn.utils import column_or_1d
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from ..exceptions import EmptyInputError, InvalidInputError, TargetError
from ..utils._validation import check_target_type

__all__ = [
    "check_classification_y",
    "check_same_classes",
    "copy_input_attributes",
    "require_predict_proba",
]


def check_classification_y(y):
    """``y`` as a 1-D array of class labels (a column vector warns, as in scikit-learn)."""
    if y is None:
        raise TargetError(
            "This estimator requires y to be passed, but the target y is None; pass "
            "the class label of every training sample."
        )
    try:
        y_type = type_of_target(y, input_name="y")
        check_classification_targets(y)
        if y_type == "multilabel-indicator":
            y = check_target_type(y, y_type=y_type)
        else:
            y = column_or_1d(y, warn=True)
    except TargetError:
        raise
    except ValueError as exc:
        raise TargetError(
            f"{exc} Pass one class label (int or string) per sample as y; bin a "
            "continuous target first."
        ) from exc
    if y.size == 0:
        raise EmptyInputError(
            "y is empty (0 samples); pass the class label of every training sample."
        )
    return y


def check_same_classes(estimator, classes):
    """The columns of ``estimator``'s scores must be ``classes``, in order."""
    fitted = getattr(estimator, "classes_", None)
    if fitted is None or not np.array_equal(np.asarray(fitted), classes):
        raise InvalidInputError(
            f"The estimator's classes_ {fitted!r} are not the classes of y "
            f"{classes.tolist()} in sorted order, so its probability columns cannot "
            "be matched to the classes; use a scikit-learn classifier."
        )


def copy_input_attributes(meta, fitted):
    """Expose the fitted estimator's ``n_features_in_`` / ``feature_names_in_``."""
    for attr in ("n_features_in_", "feature_names_in_"):
        if hasattr(fitted, attr):
            setattr(meta, attr, getattr(fitted, attr))
        elif hasattr(meta, attr):
            delattr(meta, attr)


def require_predict_proba(estimator, owner, hint=""):
    """Raise a clear error when ``estimator`` cannot give class probabilities."""
    if not hasattr(estimator, "predict_proba"):
        raise InvalidInputError(
            f"{owner} needs class probabilities, but {type(estimator).__name__} has "
            f"no predict_proba. Use a probabilistic classifier (e.g. "
            f"LogisticRegression, or SVC(probability=True)){hint}."
        )
