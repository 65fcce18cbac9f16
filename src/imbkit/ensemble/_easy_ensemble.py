"""EasyEnsemble (Liu, Wu and Zhou, 2009): AdaBoost learners on balanced subsets."""

from __future__ import annotations

import copy
from typing import ClassVar

from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier

from ..under_sampling import RandomUnderSampler
from ._bagging import _ResamplingBagging
from ._common import SAMPLING_STRATEGY_CONSTRAINT

__all__ = ["EasyEnsembleClassifier"]

_FIXED_BAGGING = ("bootstrap", "bootstrap_features", "max_features", "max_samples", "oob_score")


class EasyEnsembleClassifier(_ResamplingBagging):
    """Ensemble of AdaBoost learners, each trained on a random balanced subset.

    Every member under-samples the data at random (so each sees all the
    minority rows and a different part of the majority) and fits a clone of
    ``estimator``, AdaBoost by default; prediction averages their
    probabilities. With the same ``random_state`` it gives the same
    predictions as imbalanced-learn 0.14's class of this name.

    Parameters
    ----------
    n_estimators : int, default=10
        Number of members (balanced subsets).
    estimator : estimator object, default=None
        The classifier of each member; ``None`` means
        :class:`~sklearn.ensemble.AdaBoostClassifier` with its defaults. Pass
        your own instance to choose the number of boosting rounds.
    warm_start : bool, default=False
        Keep the fitted members and add ``n_estimators - len(estimators_)``
        new ones on the next ``fit``.
    sampling_strategy : float, str, dict or callable, default='auto'
        How each subset is balanced (see
        :class:`~imbkit.under_sampling.RandomUnderSampler`).
    replacement : bool, default=False
        Draw the subsets with replacement.
    n_jobs : int, default=None
        Members fitted and queried in parallel (``-1``: all cores). Results do
        not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds every member's sampler and classifier.
    verbose : int, default=0
        Verbosity of the parallel fit.

    Attributes
    ----------
    estimator_ : estimator
        The member template: random under-sampling followed by the classifier.
    estimators_ : list of estimators
        The fitted members; ``estimators_[i][-1]`` is a fitted classifier.
    sampler_ : RandomUnderSampler
        The sampler template, as the members use it (not in imbalanced-learn).
    estimators_samples_ : list of ndarray
        The rows handed to each member before balancing: all of them, in a
        random order.
    estimators_features_ : list of ndarray
        The columns of each member (all of them).
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names.

    See Also
    --------
    BalancedBaggingClassifier : Bagging with any sampler and estimator.
    RUSBoostClassifier : Random under-sampling inside every AdaBoost round.

    Notes
    -----
    Multi-class targets are balanced class by class. ``fit`` takes no
    ``sample_weight``, as in imbalanced-learn: members are not bootstrapped,
    so scikit-learn's bagging meaning of the weights (drawing probabilities)
    does not apply.

    References
    ----------
    .. [1] X.-Y. Liu, J. Wu and Z.-H. Zhou, "Exploratory undersampling for
       class-imbalance learning", IEEE Transactions on Systems, Man, and
       Cybernetics, Part B 39(2), 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.ensemble import EasyEnsembleClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = EasyEnsembleClassifier(n_estimators=3, random_state=0).fit(X, y)
    >>> clf.predict(X[:4]).shape
    (4,)
    """

    _parameter_constraints: ClassVar[dict] = {
        **{
            key: value
            for key, value in copy.deepcopy(BaggingClassifier._parameter_constraints).items()
            if key not in _FIXED_BAGGING
        },
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
    }

    def __init__(
        self,
        n_estimators=10,
        estimator=None,
        *,
        warm_start=False,
        sampling_strategy="auto",
        replacement=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            estimator=estimator,
            n_estimators=n_estimators,
            max_samples=1.0,
            max_features=1.0,
            bootstrap=False,
            bootstrap_features=False,
            oob_score=False,
            warm_start=warm_start,
            n_jobs=n_jobs,
            random_state=random_state,
            verbose=verbose,
        )
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement

    def _base_sampler(self):
        return RandomUnderSampler(
            sampling_strategy=self.sampling_strategy, replacement=self.replacement
        )

    def _default_classifier(self):
        return AdaBoostClassifier()

    def fit(self, X, y):
        """Fit the members, each on a random balanced subset of ``(X, y)``.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Training data; sparse input must suit the estimator.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
        """
        return self._fit_resampled(X, y)
