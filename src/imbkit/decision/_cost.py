"""Cost-sensitive decisions: the Bayes-minimum-risk class from (calibrated) probabilities."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from ..utils._compat import HasMethods, StrOptions
from ._cost_metrics import check_cost_matrix, conditional_risk, cost_score
from ._meta import (
    check_classification_y,
    check_same_classes,
    copy_input_attributes,
    require_predict_proba,
)

__all__ = ["CostSensitiveClassifier"]


class CostSensitiveClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Predict the class of minimum expected cost from the estimator's probabilities.

    For class probabilities ``p`` the prediction is the Bayes-minimum-risk
    decision ``argmin_j sum_i p_i * cost_matrix[i, j]``, for two classes or
    more. The decision is only as good as the probabilities: set
    ``calibration`` to calibrate them by cross-validation first (required for
    an estimator without ``predict_proba``, such as ``LinearSVC``).

    Costs can also differ per example (a fraud costs its amount): pass a
    ``(n_samples, n_classes, n_classes)`` array as ``sample_costs`` to
    :meth:`predict`, :meth:`predict_risk` or :meth:`score`; it replaces
    ``cost_matrix`` for those samples. Costs play no part in ``fit``: the model
    learns probabilities, and the costs enter only in the decision (training
    with cost weights as well would count them twice).

    Parameters
    ----------
    estimator : classifier
        Fitted on the training data (cloned); needs ``predict_proba`` unless
        ``calibration`` is set.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]`` is the cost of predicting class ``j`` when the
        truth is class ``i`` (rows truth, columns prediction, classes in sorted
        order, as in ``sklearn.metrics.confusion_matrix``); finite and >= 0.
        ``None`` means every error costs 1 (the decision is then the argmax of
        the probabilities), for when costs come per example at predict time.
    calibration : {"sigmoid", "isotonic"} or None, default=None
        Calibrate the probabilities with ``CalibratedClassifierCV`` using this
        method; ``None`` uses the estimator's own ``predict_proba``.
    cv : int, cross-validation generator or iterable, default=5
        Folds of the calibration; unused when ``calibration=None``.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator`` (a ``CalibratedClassifierCV`` when
        ``calibration`` is set).
    classes_ : ndarray of shape (n_classes,)
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        The validated cost matrix (0-1 costs when ``cost_matrix=None``).
    n_features_in_ : int
        Only when ``estimator_`` records it.
    feature_names_in_ : ndarray of str
        Only when ``estimator_`` records it.

    See Also
    --------
    bayes_minimum_risk : the decision rule as a function of probabilities.
    cost_matrix_to_class_weight : costs as class weights, at training time.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbkit.decision import CostSensitiveClassifier, expected_cost
    >>> X, y = make_classification(n_samples=600, weights=[0.9], random_state=0)
    >>> cost = [[0, 1], [10, 0]]  # missing a positive costs 10 false alarms
    >>> clf = CostSensitiveClassifier(LogisticRegression(), cost).fit(X, y)
    >>> plain = LogisticRegression().fit(X, y)
    >>> bool(expected_cost(y, clf.predict(X), cost) < expected_cost(y, plain.predict(X), cost))
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit"])],
        "cost_matrix": ["array-like", None],
        "calibration": [StrOptions({"sigmoid", "isotonic"}), None],
        "cv": ["cv_object"],
    }

    def __init__(self, estimator, cost_matrix=None, *, calibration=None, cv=5):
        self.estimator = estimator
        self.cost_matrix = cost_matrix
        self.calibration = calibration
        self.cv = cv

    def fit(self, X, y, **fit_params):
        """Fit (and optionally calibrate) the estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        **fit_params : dict
            Passed to the ``fit`` of the estimator (or of the calibration).

        Returns
        -------
        self : object
        """
        self._validate_params()
        if self.calibration is None:
            require_predict_proba(
                self.estimator, type(self).__name__,
                hint=", or set calibration='sigmoid' to calibrate its decision_function",
            )
        y = check_classification_y(y)
        classes = np.unique(y)
        self.cost_matrix_ = (
            1.0 - np.eye(classes.size) if self.cost_matrix is None
            else check_cost_matrix(self.cost_matrix, classes.size)
        )
        if self.calibration is None:
            estimator = clone(self.estimator)
        else:
            estimator = CalibratedClassifierCV(
                clone(self.estimator), method=self.calibration, cv=self.cv
            )
        self.estimator_ = estimator.fit(X, y, **fit_params)
        check_same_classes(self.estimator_, classes)
        self.classes_ = classes
        copy_input_attributes(self, self.estimator_)
        return self

    def predict_proba(self, X):
        """Class probabilities the decisions are made from.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    def predict_risk(self, X, sample_costs=None):
        """Expected cost of predicting each class, ``risk[n, j] = sum_i p_i C[i, j]``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        sample_costs : array-like of shape (n_samples, n_classes, n_classes), \
default=None
            Per-example cost matrices replacing ``cost_matrix``.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        proba = self.predict_proba(X)
        costs = self.cost_matrix_
        if sample_costs is not None:
            costs = check_cost_matrix(
                sample_costs, self.classes_.size, n_samples=proba.shape[0],
                name="sample_costs",
            )
        return conditional_risk(proba, costs)

    def predict(self, X, sample_costs=None):
        """Class of minimum expected cost.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        sample_costs : array-like of shape (n_samples, n_classes, n_classes), \
default=None
            Per-example cost matrices replacing ``cost_matrix``.

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        risk = self.predict_risk(X, sample_costs)
        return self.classes_[np.argmin(risk, axis=1)]

    def score(self, X, y, sample_weight=None, sample_costs=None):
        """Minus the mean cost of the predictions on ``X`` (greater is better).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
        sample_costs : array-like of shape (n_samples, n_classes, n_classes), \
default=None
            Per-example cost matrices replacing ``cost_matrix``.

        Returns
        -------
        float
        """
        costs = self.cost_matrix_ if sample_costs is None else sample_costs
        return cost_score(
            y, self.predict(X, sample_costs), costs, labels=self.classes_,
            sample_weight=sample_weight,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = get_tags(self.estimator).input_tags.sparse
        return tags

