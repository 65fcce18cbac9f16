"""Prior correction: undo, in the probabilities, the class shift made by resampling.

A model trained on resampled data learns the class priors of the resampled set
``pi_train``, not those of the world ``pi_true``. If resampling changed only the
priors (not the class-conditional distributions), Bayes' rule gives the
probabilities the model would have produced at the true priors (Saerens,
Latinne & Decaestecker, 2002):

.. math::

    p'(k \\mid x) = \\frac{p(k \\mid x)\\, \\pi_{true}(k) / \\pi_{train}(k)}
                         {\\sum_j p(j \\mid x)\\, \\pi_{true}(j) / \\pi_{train}(j)}

For random under-sampling of the majority class this is the correction of Dal
Pozzolo, Caelen, Johnson & Bontempi (2015), ``p' = beta p / (beta p - p + 1)``
with ``beta`` the fraction of majority samples kept. Over-samplers that
synthesise samples (SMOTE) also change the class-conditional distribution a
little, so there the correction is an approximation.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from ..exceptions import InvalidInputError, NonFiniteInputError
from ..utils._compat import HasMethods
from ._cost_metrics import _label_indices
from ._meta import (
    check_classification_y,
    check_same_classes,
    copy_input_attributes,
    require_predict_proba,
)

__all__ = ["PriorCorrectedClassifier", "correct_priors"]


def _check_priors(priors, n_classes, name):
    priors = np.asarray(priors, dtype=np.float64)
    if priors.shape != (n_classes,):
        raise InvalidInputError(
            f"{name} must have one entry per class ({n_classes}), got shape "
            f"{priors.shape}."
        )
    if not np.isfinite(priors).all():
        raise NonFiniteInputError(f"{name} contains NaN or infinity: {priors.tolist()}.")
    if (priors <= 0).any():
        raise InvalidInputError(
            f"{name} must be > 0 for every class, got {priors.tolist()}; a class "
            "with prior 0 cannot be corrected (drop it from the problem instead)."
        )
    return priors / priors.sum()


def correct_priors(proba, train_priors, true_priors):
    """Re-weight class probabilities from the training priors to the true priors.

    ``p'(k) = p(k) * true_priors[k] / train_priors[k]``, each row renormalised
    to sum to 1. Priors need only be proportional (class counts work too).

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Probabilities of a model trained at ``train_priors``; float32 stays
        float32.
    train_priors : array-like of shape (n_classes,)
        Class priors of the data the model was trained on.
    true_priors : array-like of shape (n_classes,)
        Class priors where the model is used.

    Returns
    -------
    ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> from imbkit.decision import correct_priors
    >>> correct_priors([[0.5, 0.5]], train_priors=[0.5, 0.5], true_priors=[0.9, 0.1])
    array([[0.9, 0.1]])
    """
    proba = np.asarray(proba)
    if proba.ndim != 2:
        raise InvalidInputError(
            f"proba must be 2-D (n_samples, n_classes), got {proba.ndim} dimension(s)."
        )
    if proba.dtype.kind != "f":
        proba = proba.astype(np.float64)
    ratio = _check_priors(true_priors, proba.shape[1], "true_priors") / _check_priors(
        train_priors, proba.shape[1], "train_priors"
    )
    corrected = proba * ratio.astype(proba.dtype)
    total = corrected.sum(axis=1, keepdims=True)
    return np.divide(corrected, total, out=np.zeros_like(corrected), where=total > 0)


def _class_priors(y, classes):
    counts = np.bincount(_label_indices(y, classes, "y"), minlength=classes.size)
    return counts / counts.sum()


class PriorCorrectedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Train on resampled data, predict with probabilities corrected to the true priors.

    ``fit`` resamples the training data with a clone of ``sampler``, records the
    class priors before resampling (the world) and after (what the model
    learns), and fits a clone of ``estimator`` on the resampled data.
    ``predict_proba`` undoes the prior shift with :func:`correct_priors`, so the
    probabilities are calibrated for the true class balance again; ``predict``
    is their argmax.

    Parameters
    ----------
    estimator : estimator with ``fit`` and ``predict_proba``
        The classifier trained on the resampled data.
    sampler : object with ``fit_resample``
        E.g. :class:`imbkit.under_sampling.RandomUnderSampler` or
        :class:`imbkit.over_sampling.SMOTE`.
    true_priors : dict or array-like of shape (n_classes,), default=None
        Class priors where the model will be used, as ``{class: prior}`` or in
        sorted class order; proportional values are normalised. ``None`` uses
        the class frequencies of the training data before resampling.

    Attributes
    ----------
    estimator_ : estimator
        The fitted clone of ``estimator``.
    sampler_ : object
        The fitted clone of ``sampler``.
    classes_ : ndarray of shape (n_classes,)
    true_priors_ : ndarray of shape (n_classes,)
        Priors the probabilities are corrected to.
    train_priors_ : ndarray of shape (n_classes,)
        Class frequencies after resampling.
    n_features_in_ : int
        Only when ``estimator_`` records it.
    feature_names_in_ : ndarray of str
        Only when ``estimator_`` records it.

    References
    ----------
    M. Saerens, P. Latinne and C. Decaestecker, "Adjusting the outputs of a
    classifier to new a priori probabilities", Neural Computation 14(1), 2002.
    A. Dal Pozzolo, O. Caelen, R. A. Johnson and G. Bontempi, "Calibrating
    probability with undersampling for unbalanced classification", IEEE SSCI 2015.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbkit.under_sampling import RandomUnderSampler
    >>> from imbkit.decision import PriorCorrectedClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = PriorCorrectedClassifier(
    ...     LogisticRegression(), RandomUnderSampler(random_state=0)).fit(X, y)
    >>> clf.train_priors_.tolist(), clf.true_priors_.round(3).tolist()
    ([0.5, 0.5], [0.9, 0.1])
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit"])],
        "sampler": [HasMethods(["fit_resample"])],
        "true_priors": [dict, "array-like", None],
    }

    def __init__(self, estimator, sampler, *, true_priors=None):
        self.estimator = estimator
        self.sampler = sampler
        self.true_priors = true_priors

    def _resolve_true_priors(self, world_priors):
        if self.true_priors is None:
            return world_priors
        if isinstance(self.true_priors, dict):
            unknown = set(self.true_priors) - set(self.classes_.tolist())
            missing = [c for c in self.classes_.tolist() if c not in self.true_priors]
            if unknown or missing:
                raise InvalidInputError(
                    f"true_priors must give a prior for exactly the classes of y "
                    f"{self.classes_.tolist()}; missing {missing}, unknown "
                    f"{sorted(unknown, key=str)}."
                )
            priors = [self.true_priors[c] for c in self.classes_.tolist()]
        else:
            priors = self.true_priors
        return _check_priors(priors, self.classes_.size, "true_priors")

    def fit(self, X, y, **fit_params):
        """Resample ``X, y``, record the priors and fit the estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        **fit_params : dict
            Passed to ``estimator.fit``.

        Returns
        -------
        self : object
        """
        self._validate_params()
        require_predict_proba(self.estimator, type(self).__name__)
        y = check_classification_y(y)
        self.classes_ = np.unique(y)
        self.sampler_ = clone(self.sampler)
        X_res, y_res = self.sampler_.fit_resample(X, y)
        self.true_priors_ = self._resolve_true_priors(_class_priors(y, self.classes_))
        train_priors = _class_priors(np.asarray(y_res), self.classes_)
        if (train_priors == 0).any():
            raise InvalidInputError(
                f"The sampler removed every sample of class(es) "
                f"{self.classes_[train_priors == 0].tolist()}; keep at least one "
                "sample of each class (check its sampling_strategy)."
            )
        self.train_priors_ = train_priors
        self.estimator_ = clone(self.estimator).fit(X_res, y_res, **fit_params)
        check_same_classes(self.estimator_, self.classes_)
        copy_input_attributes(self, self.estimator_)
        return self

    def predict_proba(self, X):
        """Class probabilities corrected to ``true_priors_``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        proba = self.estimator_.predict_proba(X)
        return correct_priors(proba, self.train_priors_, self.true_priors_)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Class of highest corrected probability.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = get_tags(self.estimator).input_tags.sparse
        return tags
