"""Bagging whose members balance their bag before fitting: BalancedBaggingClassifier.

Built on scikit-learn's :class:`~sklearn.ensemble.BaggingClassifier`: the
estimator it clones for every member is a :class:`._common._ResampledClassifier`
(the sampler, then the classifier), exactly the role imbalanced-learn gives its
pipeline. scikit-learn draws the bags and the seeds and fits the members in
parallel; the only hooks overridden are the two that choose the member
template (``_get_estimator`` and ``_validate_estimator``), as imbalanced-learn
does, so the same ``random_state`` gives the same members. Prediction is done
here: the members' outputs are combined in a fixed order (the same result for
any ``n_jobs``, equal to scikit-learn's with one job) and the members share one
view of ``X`` instead of a copy each.
"""

from __future__ import annotations

import copy
from functools import partial
from typing import ClassVar

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.ensemble import BaggingClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from ..under_sampling import RandomUnderSampler
from ..utils._checks import check_lengths
from ..utils._compat import HasMethods, validate_parameter_constraints
from ._common import (
    SAMPLING_STRATEGY_CONSTRAINT,
    _ResampledClassifier,
    check_ensemble_target,
    check_ensemble_weights,
    check_ensemble_X,
    encode_sampling_strategy,
    non_finite_errors,
    ordered_parallel_reduce,
)

__all__ = ["BalancedBaggingClassifier"]


def _members_have(attr):
    def check(self):
        if hasattr(self, "estimators_"):
            return hasattr(self.estimators_[0], attr)
        return hasattr(self._get_estimator(), attr)

    return check


def _member_columns(X, features):
    """The columns ``features`` of ``X``, as scikit-learn's bagging gives them to a member.

    ``X[:, features]`` is a Fortran-ordered copy; when ``features`` are all the
    columns in order (the default) and ``X`` is already Fortran-ordered (see
    ``_shared_columns``), it is returned as is: same values, same layout, so
    BLAS-based members give bit-identical results, without a copy per member.
    """
    if (
        not sparse.issparse(X) and X.flags.f_contiguous and features.size == X.shape[1]
        and np.array_equal(features, np.arange(X.shape[1]))
    ):
        return X
    return X[:, features]


def _shared_columns(X, estimators_features):
    """One Fortran-ordered copy of dense ``X`` when some member uses all its columns."""
    n_features = X.shape[1]
    if sparse.issparse(X) or not any(
        f.size == n_features and np.array_equal(f, np.arange(n_features))
        for f in estimators_features
    ):
        return X
    return np.asfortranarray(X)


def _member_proba(member_features, X, n_classes):
    """One member's probabilities on all classes, or its vote as a one-hot row."""
    member, features = member_features
    X_member = _member_columns(X, features)
    proba = np.zeros((X.shape[0], n_classes))
    if hasattr(member, "predict_proba"):
        classes = member.classes_
        proba[:, classes] = member.predict_proba(X_member)[:, : len(classes)]
    else:
        proba[np.arange(X.shape[0]), member.predict(X_member)] = 1.0
    return proba


def _member_log_proba(member_features, X, n_classes):
    member, features = member_features
    classes = member.classes_
    log_proba = np.full((X.shape[0], n_classes), -np.inf)
    log_proba[:, classes] = member.predict_log_proba(_member_columns(X, features))[
        :, : len(classes)
    ]
    return log_proba


def _member_decision(member_features, X, n_classes):
    member, features = member_features
    return member.decision_function(_member_columns(X, features))


class _ResamplingBagging(BaggingClassifier):
    """Bagging of :class:`._common._ResampledClassifier` members (shared base).

    Subclasses define ``_base_sampler()`` (the sampler from the parameters)
    and ``_default_classifier()``.
    """

    def _base_classifier(self):
        if self.estimator is not None:
            return clone(self.estimator)
        return self._default_classifier()

    def _get_estimator(self):
        # scikit-learn's hook for the member template; it also drives the
        # estimator tags (sparse, NaN) and the metadata routing
        return _ResampledClassifier(
            sampler=self._base_sampler(), classifier=self._base_classifier()
        )

    def _validate_estimator(self, default=None):
        # called by BaggingClassifier's fit: the template gets ``sampler_``,
        # whose dict sampling_strategy is keyed by class index
        self.estimator_ = _ResampledClassifier(
            sampler=self.sampler_, classifier=self._base_classifier()
        )

    def _member_sampler(self, y, classes):
        sampler = self._base_sampler()
        sampling_type = getattr(sampler, "_sampling_type", None)
        if sampling_type != "bypass":
            sampler.set_params(
                sampling_strategy=encode_sampling_strategy(
                    self.sampling_strategy, y, classes, sampling_type
                )
            )
        return sampler

    def _fit_resampled(self, X, y, sample_weight=None):
        """Validate, configure ``sampler_`` and run scikit-learn's bagging."""
        name = type(self).__name__
        validate_parameter_constraints(
            self._parameter_constraints, self.get_params(deep=False), caller_name=name
        )
        X_checked = check_ensemble_X(
            X, name, allow_nan=get_tags(self).input_tags.allow_nan
        )
        y_checked, classes = check_ensemble_target(y, name)
        check_lengths(X_checked, y_checked)
        weight = check_ensemble_weights(sample_weight, X_checked.shape[0])
        self.sampler_ = self._member_sampler(y_checked, classes)
        super().fit(X_checked, y_checked, sample_weight=weight)
        # records feature_names_in_ from the caller's frame (the bagging saw an array)
        validate_data(
            self, X=X if hasattr(X, "columns") else X_checked, reset=True,
            skip_check_array=True,
        )
        return self

    def _check_predict_X(self, X):
        check_is_fitted(self)
        return validate_data(
            self, X, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False,
            reset=False,
        )

    def _fold_members(self, X, function, reduce, initial):
        X = _shared_columns(X, self.estimators_features_)
        members = list(zip(self.estimators_, self.estimators_features_))
        return ordered_parallel_reduce(
            partial(function, X=X, n_classes=self.n_classes_), members, reduce, initial,
            n_jobs=self.n_jobs, verbose=self.verbose,
        )

    def predict_proba(self, X, **params):
        """Mean class probabilities of the members (vote shares without ``predict_proba``).

        The members' results are added in a fixed order, so the output is the
        same for any ``n_jobs``.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        **params : dict
            Routed to the members when metadata routing is enabled.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        with non_finite_errors(type(self).__name__):
            if params:  # metadata routing to the members: scikit-learn's own path
                return super().predict_proba(X, **params)
            X = self._check_predict_X(X)
            proba = self._fold_members(X, _member_proba, np.add, 0.0)
        return proba / self.n_estimators

    def predict_log_proba(self, X, **params):
        """Log of the mean class probabilities of the members.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        **params : dict
            Routed to the members when metadata routing is enabled.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        if not hasattr(self.estimator_, "predict_log_proba"):
            return np.log(self.predict_proba(X, **params))
        with non_finite_errors(type(self).__name__):
            if params:
                return super().predict_log_proba(X, **params)
            X = self._check_predict_X(X)
            start = np.full((X.shape[0], self.n_classes_), -np.inf)
            log_proba = self._fold_members(X, _member_log_proba, np.logaddexp, start)
        return log_proba - np.log(self.n_estimators)

    @available_if(_members_have("decision_function"))
    def decision_function(self, X, **params):
        """Mean decision function of the members.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        **params : dict
            Routed to the members when metadata routing is enabled.

        Returns
        -------
        score : ndarray of shape (n_samples,) for two classes, else (n_samples, n_classes)
        """
        with non_finite_errors(type(self).__name__):
            if params:
                return super().decision_function(X, **params)
            X = self._check_predict_X(X)
            score = self._fold_members(X, _member_decision, np.add, 0.0)
        return score / self.n_estimators


class BalancedBaggingClassifier(_ResamplingBagging):
    """Bagging in which every member balances its bag with a sampler before fitting.

    Each member draws a bag of rows (as in scikit-learn's bagging), resamples it
    with ``sampler`` (random under-sampling by default) and fits a clone of
    ``estimator`` on the result. Prediction averages the members'
    probabilities. With the same ``random_state`` it builds the same members and
    gives the same predictions as imbalanced-learn 0.14's class of this name.

    Parameters
    ----------
    estimator : estimator object, default=None
        The classifier fitted by each member; ``None`` means a
        :class:`~sklearn.tree.DecisionTreeClassifier`.
    n_estimators : int, default=10
        Number of members.
    max_samples : int or float, default=1.0
        Rows drawn for each bag: a count, or a fraction of ``X.shape[0]``.
    max_features : int or float, default=1.0
        Columns drawn for each member: a count, or a fraction of the columns.
    bootstrap : bool, default=True
        Draw the bag's rows with replacement. The sampler then balances the
        drawn bag.
    bootstrap_features : bool, default=False
        Draw the columns with replacement.
    oob_score : bool, default=False
        Estimate the accuracy on the rows left out of each bag.
    warm_start : bool, default=False
        Keep the fitted members and add ``n_estimators - len(estimators_)``
        new ones on the next ``fit``.
    sampling_strategy : float, str, dict or callable, default='auto'
        How the sampler balances each bag (see
        :class:`~imbkit.under_sampling.RandomUnderSampler`); it replaces the
        ``sampling_strategy`` of a given ``sampler``, unless that sampler's type
        is ``'bypass'``. A dict is checked against the classes of ``y``.
    replacement : bool, default=False
        Draw with replacement in the default
        :class:`~imbkit.under_sampling.RandomUnderSampler`; ignored when
        ``sampler`` is given.
    n_jobs : int, default=None
        Members fitted and queried in parallel (``-1``: all cores). Results do
        not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds the bags and every member's sampler and classifier.
    verbose : int, default=0
        Verbosity of the parallel fit.
    sampler : sampler object, default=None
        Any object with ``fit_resample`` (an imbkit or imbalanced-learn
        sampler); ``None`` means random under-sampling.

    Attributes
    ----------
    estimator_ : estimator
        The member template: the sampler followed by the classifier.
    estimators_ : list of estimators
        The fitted members. ``estimators_[i][-1]`` is the fitted classifier and
        ``estimators_[i].sampler.sample_indices_`` the rows of the bag it kept.
    sampler_ : sampler object
        The sampler template, with ``sampling_strategy`` as the members use it.
    estimators_samples_ : list of ndarray
        The rows of ``X`` drawn into each bag (before balancing).
    estimators_features_ : list of ndarray
        The columns drawn for each member.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    oob_score_ : float
        Only with ``oob_score=True``.
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Only with ``oob_score=True``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names.

    See Also
    --------
    EasyEnsembleClassifier : Bag of AdaBoost learners on balanced subsets.
    BalancedRandomForestClassifier : Random forest of trees on balanced subsets.
    RUSBoostClassifier : AdaBoost with random under-sampling at every round.

    Notes
    -----
    Differences from imbalanced-learn 0.14:

    - ``fit`` accepts ``sample_weight`` with scikit-learn's bagging meaning:
      the weights are the probabilities of drawing each row into a bag
      (imbalanced-learn refuses ``sample_weight``). Without it, results are
      identical.
    - With an over-sampler and a dict ``sampling_strategy``, the sampler gets
      the wanted number of samples per class, as documented; imbalanced-learn
      passes the number of samples to *add* and fails or over-samples too little.
    - The members are ``_ResampledClassifier`` objects rather than pipelines;
      they expose ``steps``, ``named_steps`` and indexing (``member[-1]``).

    References
    ----------
    .. [1] L. Breiman, "Bagging predictors", Machine Learning 24(2), 1996.
    .. [2] S. Hido, H. Kashima and Y. Takahashi, "Roughly balanced bagging for
       imbalanced data", Statistical Analysis and Data Mining 2(5-6), 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.ensemble import BalancedBaggingClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = BalancedBaggingClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> len(clf.estimators_[0].sampler.sample_indices_) < len(X)
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **copy.deepcopy(BaggingClassifier._parameter_constraints),
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
        "sampler": [HasMethods(["fit_resample"]), None],
    }

    def __init__(
        self,
        estimator=None,
        n_estimators=10,
        *,
        max_samples=1.0,
        max_features=1.0,
        bootstrap=True,
        bootstrap_features=False,
        oob_score=False,
        warm_start=False,
        sampling_strategy="auto",
        replacement=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
        sampler=None,
    ):
        super().__init__(
            estimator=estimator,
            n_estimators=n_estimators,
            max_samples=max_samples,
            max_features=max_features,
            bootstrap=bootstrap,
            bootstrap_features=bootstrap_features,
            oob_score=oob_score,
            warm_start=warm_start,
            n_jobs=n_jobs,
            random_state=random_state,
            verbose=verbose,
        )
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.sampler = sampler

    def _base_sampler(self):
        if self.sampler is not None:
            return clone(self.sampler)
        return RandomUnderSampler(replacement=self.replacement)

    def _default_classifier(self):
        return DecisionTreeClassifier()

    def fit(self, X, y, sample_weight=None):
        """Fit the members, each on a balanced bag of ``(X, y)``.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Training data; sparse input must suit the sampler and estimator.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Probabilities (up to a factor) of drawing each row into a bag.

        Returns
        -------
        self : object
        """
        return self._fit_resampled(X, y, sample_weight)
