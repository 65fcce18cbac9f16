"""InstanceHardnessThreshold: keep the samples a classifier finds easiest.

The *instance hardness* of a sample is one minus the cross-validated
probability a classifier gives to its true class (Smith, Martinez and
Giraud-Carrier, 2014). Under-sampling a class keeps its samples whose
probability is at least the class's ``1 - n_keep / n_class`` quantile.
"""

from __future__ import annotations

import numbers
from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.base import clone, is_classifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, check_cv, cross_val_predict
from sklearn.utils import check_random_state

from ..utils._compat import HasMethods
from .base import BaseUnderSampler

__all__ = ["InstanceHardnessThreshold", "hardness_selection", "seed_random_states"]


def seed_random_states(estimator, random_state):
    """Set every ``random_state`` parameter of ``estimator`` (nested too) to an int.

    The ints are drawn, one per parameter in sorted parameter-name order, as
    ``random_state.randint(2**31 - 1)``: the scheme scikit-learn's ensembles use
    to seed their members, so an estimator seeded here behaves as it would
    inside imbalanced-learn.

    Parameters
    ----------
    estimator : estimator with ``get_params`` / ``set_params``
        Modified in place.
    random_state : int, RandomState instance or None

    Returns
    -------
    estimator

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from imbkit.under_sampling._instance_hardness import seed_random_states
    >>> seed_random_states(DecisionTreeClassifier(), 0).random_state
    209652396
    """
    random_state = check_random_state(random_state)
    names = sorted(
        key for key in estimator.get_params(deep=True)
        if key == "random_state" or key.endswith("__random_state")
    )
    seeds = {key: random_state.randint(np.iinfo(np.int32).max) for key in names}
    if seeds:
        estimator.set_params(**seeds)
    return estimator


def hardness_selection(proba_true, y, sampling_strategy):
    """Indices of the samples kept, given each sample's probability of its class.

    For each class (in sorted order) named in ``sampling_strategy``, the
    samples whose probability is at least the ``(1 - n_keep / n_class) * 100``
    percentile (numpy's linear interpolation) of the class's probabilities are
    kept, so ties at the threshold can keep a few more than ``n_keep``; other
    classes are kept whole.

    Parameters
    ----------
    proba_true : ndarray of shape (n_samples,)
        Probability given to each sample's own class.
    y : ndarray of shape (n_samples,)
    sampling_strategy : dict
        ``{class: n_samples_to_keep}``.

    Returns
    -------
    ndarray of int
        Kept row indices, grouped by class in sorted class order.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.under_sampling._instance_hardness import hardness_selection
    >>> proba = np.array([0.9, 0.2, 0.6, 0.8, 0.7])
    >>> hardness_selection(proba, np.array([0, 0, 0, 0, 1]), {0: 2})
    array([0, 3, 4])
    """
    counts = Counter(y)
    kept = []
    for klass in np.unique(y):
        rows = np.flatnonzero(y == klass)
        if klass in sampling_strategy:
            proba = proba_true[rows]
            share = 1.0 - sampling_strategy[klass] / counts[klass]
            rows = rows[proba >= np.percentile(proba, share * 100.0)]
        kept.append(rows)
    return np.concatenate(kept).astype(np.intp, copy=False)


class InstanceHardnessThreshold(BaseUnderSampler):
    """Under-sample by removing the samples a classifier finds hardest.

    A classifier's probabilities are estimated by cross-validation
    (``cross_val_predict`` with ``predict_proba``); from each class to
    under-sample, the samples whose probability of their own class is at
    least that class's ``1 - n_keep / n_class`` quantile are kept (ties at
    the threshold may keep a few more samples than asked). Same output as
    imbalanced-learn 0.14 for the same ``random_state``: same default
    estimator, same folds, same seeding of a user estimator.

    Fixed here, where imbalanced-learn 0.14 fails: ``y`` whose labels are not
    ``0 .. n_classes - 1`` (strings, ``{1, 2}``), which it indexes as column
    numbers (an ``IndexError`` or a wrong selection); ``cv`` given as a
    splitter, an iterable of splits or ``None``, which its docstring and
    constraints accept but its code refuses.

    Parameters
    ----------
    estimator : classifier, default=None
        Classifier with ``fit`` and ``predict_proba``, cloned; every
        ``random_state`` parameter of the clone is set from ``random_state``.
        ``None``: ``RandomForestClassifier(n_estimators=100,
        random_state=random_state, n_jobs=n_jobs)``.
    sampling_strategy : float, str, dict or callable, default='auto'
        See :class:`~imbkit.under_sampling.base.BaseUnderSampler`.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds' shuffle and the estimator.
    cv : int, cross-validation splitter, iterable or None, default=5
        An int ``k`` (or ``None``: 5) makes ``StratifiedKFold(k, shuffle=True,
        random_state=random_state)``; a splitter or an iterable of
        ``(train, test)`` index arrays is used as given.
    n_jobs : int, default=None
        Jobs for the cross-validation (and the default forest).

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples kept per under-sampled class (before ties).
    estimator_ : classifier
        The unfitted clone given to the cross-validation.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Indices of the kept rows, grouped by class in sorted class order.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling._instance_hardness import (
    ...     InstanceHardnessThreshold)
    >>> X, y = make_classification(n_samples=500, weights=[0.9], class_sep=0.5,
    ...                            random_state=0)
    >>> iht = InstanceHardnessThreshold(random_state=0)
    >>> X_res, y_res = iht.fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 50), (np.int64(1), 50)]
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "cv": ["cv_object"],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, estimator=None, sampling_strategy="auto", random_state=None,
                 cv=5, n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.estimator = estimator
        self.random_state = random_state
        self.cv = cv
        self.n_jobs = n_jobs

    def _validate_estimator(self, random_state):
        if self.estimator is None:
            # the raw parameter, not `random_state`: a RandomState instance is
            # shared with the folds' shuffle, as in the reference
            self.estimator_ = RandomForestClassifier(
                n_estimators=100, random_state=self.random_state, n_jobs=self.n_jobs
            )
            return
        if not is_classifier(self.estimator):
            raise TypeError(
                "estimator must be a classifier (scikit-learn's is_classifier is "
                f"True for it) with fit and predict_proba; got {self.estimator!r}. "
                "Wrap a custom model in a ClassifierMixin subclass."
            )
        self.estimator_ = seed_random_states(clone(self.estimator), random_state)

    def _splitter(self, random_state):
        if self.cv is None or isinstance(self.cv, numbers.Integral):
            n_splits = 5 if self.cv is None else int(self.cv)
            return StratifiedKFold(n_splits=n_splits, shuffle=True,
                                   random_state=random_state)
        return check_cv(self.cv, classifier=True)

    def _fit_resample(self, X, y):
        random_state = check_random_state(self.random_state)
        self._validate_estimator(random_state)
        proba = cross_val_predict(
            self.estimator_, X, y, cv=self._splitter(random_state),
            n_jobs=self.n_jobs, method="predict_proba",
        )
        # columns follow the sorted classes (cross_val_predict label-encodes y)
        column = np.searchsorted(np.unique(y), y)
        proba_true = proba[np.arange(y.shape[0]), column]
        self.sample_indices_ = hardness_selection(proba_true, y, self.sampling_strategy_)
        X_out = X[self.sample_indices_]
        if sparse.issparse(X_out):
            X_out = X_out.asformat(X.format)
        return X_out, y[self.sample_indices_]
