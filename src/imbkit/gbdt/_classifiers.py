"""scikit-learn classifiers boosting LightGBM or XGBoost trees on the focal loss.

The shared base validates the data, encodes the classes, computes the optimal
constant margin (:func:`~imbkit.gbdt.focal_init_score`), lets the subclass train
a booster from that margin, and turns raw scores back into probabilities
(logistic link for two classes, softmax for more). The library is imported at
``fit``, so the classes exist, and can be configured, without it.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from scipy import sparse
from scipy.special import expit, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from ..exceptions import InvalidInputError, LengthMismatchError, TargetError
from ..utils._compat import Interval
from ._adapters import (
    import_lightgbm,
    import_xgboost,
    lgb_focal_objective,
    xgb_focal_objective,
)
from ._focal import DEFAULT_HESSIAN_FLOOR, check_alpha, focal_init_score

__all__ = ["FocalLGBMClassifier", "FocalXGBClassifier"]

_COMMON_CONSTRAINTS = {
    "gamma": [Interval(Real, 0, None, closed="left")],
    "alpha": [None, Interval(Real, 0, 1, closed="neither"), "array-like"],
    "n_estimators": [Interval(Integral, 1, None, closed="left")],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "min_child_weight": [Interval(Real, 0, None, closed="left")],
    "subsample": [Interval(Real, 0, 1, closed="right")],
    "colsample_bytree": [Interval(Real, 0, 1, closed="right")],
    "reg_alpha": [Interval(Real, 0, None, closed="left")],
    "reg_lambda": [Interval(Real, 0, None, closed="left")],
    "hessian_floor": [Interval(Real, 0, None, closed="neither")],
    "n_jobs": [None, Integral],
    "random_state": ["random_state"],
    "booster_params": [None, dict],
}


def _check_sample_weight(sample_weight, n_samples):
    """A float copy of ``sample_weight``, or None; finite, non-negative, one per sample."""
    if sample_weight is None:
        return None
    weights = np.array(sample_weight, dtype=np.float64)  # a copy: never the caller's array
    if weights.ndim == 0:
        weights = np.full(n_samples, float(weights))
    if weights.shape != (n_samples,):
        raise LengthMismatchError(
            f"sample_weight has shape {weights.shape} but X has {n_samples} rows; pass "
            "one weight per sample."
        )
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise InvalidInputError(
            "sample_weight must be finite and non-negative; remove or fix the "
            "NaN, infinite or negative weights."
        )
    return weights


def _as_spmatrix(X):
    """LightGBM takes scipy's sparse matrices but not the newer sparse arrays."""
    if sparse.issparse(X) and not sparse.isspmatrix(X):
        return sparse.csc_matrix(X) if X.format == "csc" else sparse.csr_matrix(X)
    return X


def _check_target(y):
    y_type = type_of_target(y, input_name="y")
    if y_type not in ("binary", "multiclass"):
        raise TargetError(
            f"Unknown label type: {y_type!r}. These classifiers need one class label "
            "(int or string) per sample; bin a continuous target first."
        )
    classes, codes = np.unique(y, return_inverse=True)
    if classes.size < 2:
        raise TargetError(
            f"y has 1 class ({classes.tolist()[0]!r}); a classifier needs at least two "
            "classes to learn from."
        )
    return classes, codes


class _FocalBoostingClassifier(ClassifierMixin, BaseEstimator):
    """Shared fit / predict logic; subclasses implement ``_train`` and ``_raw_predict``."""

    def fit(self, X, y, sample_weight=None):
        """Boost trees on the focal loss, starting from its optimal constant margin.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Numeric features; NaN marks a missing value.
        y : array-like of shape (n_samples,)
            Class labels (ints or strings).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss (not modified).

        Returns
        -------
        self : object
        """
        self._validate_params()
        X, y = validate_data(
            self, X, y, accept_sparse=["csr", "csc"], ensure_all_finite="allow-nan",
            dtype=[np.float64, np.float32],
        )
        self.classes_, codes = _check_target(y)
        self.n_classes_ = self.classes_.size
        alpha = None if self.alpha is None else check_alpha(self.alpha, self.n_classes_)
        sample_weight = _check_sample_weight(sample_weight, X.shape[0])
        self.init_score_ = focal_init_score(
            codes, self.n_classes_, gamma=self.gamma, alpha=alpha, sample_weight=sample_weight
        )
        init = np.broadcast_to(self.init_score_, (X.shape[0],) + np.shape(self.init_score_))
        self.booster_ = self._train(X, codes, sample_weight, np.array(init), alpha)
        return self

    def _seed(self):
        if self.random_state is None:
            return None
        return int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))

    def _extra_params(self, reserved):
        extra = dict(self.booster_params or {})
        clash = sorted(set(extra) & set(reserved))
        if clash:
            raise InvalidInputError(
                f"booster_params may not set {clash}: they are fixed by the focal "
                "objective; set gamma, alpha or the named parameters instead."
            )
        return extra

    def decision_function(self, X):
        """Raw margins: log-odds of ``classes_[1]`` (binary) or one column per class.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        check_is_fitted(self, "booster_")
        X = validate_data(
            self, X, reset=False, accept_sparse=["csr", "csc"],
            ensure_all_finite="allow-nan", dtype=[np.float64, np.float32],
        )
        raw = np.asarray(self._raw_predict(X), dtype=np.float64)
        if self.n_classes_ > 2:
            raw = raw.reshape(X.shape[0], self.n_classes_)
        else:
            raw = raw.reshape(X.shape[0])
        return raw + self.init_score_

    def predict_proba(self, X):
        """Class probabilities: the logistic (binary) or softmax link of the margins.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        raw = self.decision_function(X)
        if raw.ndim == 1:
            return np.column_stack([expit(-raw), expit(raw)])
        return softmax(raw, axis=1)

    def predict(self, X):
        """The most probable class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        return tags


class FocalLGBMClassifier(_FocalBoostingClassifier):
    """LightGBM gradient boosting on the focal loss, with a scikit-learn API.

    Trains ``lightgbm.train`` with :func:`~imbkit.gbdt.lgb_focal_objective`,
    starting every sample from the optimal constant margin (``init_score_``);
    with ``gamma=0`` and ``alpha=None`` it is the same model as LightGBM's
    built-in binary log-loss (which starts from the average). Two classes use
    the binary focal loss and the logistic link, more the softmax focal loss.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter: how much well-classified samples are down-weighted.
        0 gives the log-loss.
    alpha : None, float in (0, 1) or array-like of shape (n_classes,), default=None
        Class weights in the loss: a float (two classes) weighs ``classes_[1]``
        by ``alpha`` and ``classes_[0]`` by ``1 - alpha``; an array gives one
        weight per class of ``classes_``; None weighs every class 1.
    n_estimators : int, default=100
        Boosting rounds (trees per class for more than two classes).
    learning_rate : float, default=0.1
        Shrinkage of every tree.
    num_leaves : int, default=31
        Maximum leaves per tree.
    max_depth : int, default=-1
        Maximum tree depth; -1 for no limit.
    min_child_samples : int, default=20
        Minimum samples in a leaf (``min_data_in_leaf``).
    min_child_weight : float, default=1e-3
        Minimum total hessian in a leaf (``min_sum_hessian_in_leaf``). The focal
        hessian is smaller than the log-loss's by about ``(1 - p_t) ** gamma``.
    subsample : float, default=1.0
        Fraction of rows bagged, every ``subsample_freq`` rounds.
    subsample_freq : int, default=0
        Bagging frequency; 0 disables bagging.
    colsample_bytree : float, default=1.0
        Fraction of features drawn for each tree.
    reg_alpha : float, default=0.0
        L1 penalty on leaf values.
    reg_lambda : float, default=0.0
        L2 penalty on leaf values.
    hessian_floor : float, default=1e-16
        Lower bound of each sample's hessian (it is negative on badly
        misclassified samples when ``gamma > 0``); see :mod:`imbkit.gbdt._focal`.
    n_jobs : int or None, default=None
        LightGBM threads; None uses LightGBM's default (all cores).
    random_state : int, RandomState instance or None, default=None
        Seed of LightGBM's random steps (bagging, feature sampling).
    booster_params : dict or None, default=None
        Further LightGBM parameters (e.g. ``{"max_bin": 63}``), applied last;
        the objective and the number of classes cannot be set here.

    Attributes
    ----------
    booster_ : lightgbm.Booster or None
        The trained trees (their raw scores exclude ``init_score_``); None when
        no feature can split (every feature constant, or fewer rows than
        ``2 * min_child_samples``): the model then predicts ``init_score_``.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    init_score_ : float or ndarray of shape (n_classes,)
        The constant margin the boosting starts from.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.gbdt import FocalLGBMClassifier
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> clf = FocalLGBMClassifier(gamma=2.0, n_estimators=30, random_state=0).fit(X, y)
    >>> clf.predict(X[:5]).tolist()
    [1, 0, 0, 0, 0]
    """

    _parameter_constraints: ClassVar[dict] = {
        **_COMMON_CONSTRAINTS,
        "num_leaves": [Interval(Integral, 2, None, closed="left")],
        "max_depth": [Integral],
        "min_child_samples": [Interval(Integral, 0, None, closed="left")],
        "subsample_freq": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self, *, gamma=2.0, alpha=None, n_estimators=100, learning_rate=0.1,
        num_leaves=31, max_depth=-1, min_child_samples=20, min_child_weight=1e-3,
        subsample=1.0, subsample_freq=0, colsample_bytree=1.0, reg_alpha=0.0,
        reg_lambda=0.0, hessian_floor=DEFAULT_HESSIAN_FLOOR, n_jobs=None,
        random_state=None, booster_params=None,
    ):
        self.gamma = gamma
        self.alpha = alpha
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.max_depth = max_depth
        self.min_child_samples = min_child_samples
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.subsample_freq = subsample_freq
        self.colsample_bytree = colsample_bytree
        self.reg_alpha = reg_alpha
        self.reg_lambda = reg_lambda
        self.hessian_floor = hessian_floor
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.booster_params = booster_params

    def _train(self, X, codes, sample_weight, init, alpha):
        lgb = import_lightgbm()
        X = _as_spmatrix(X)
        params = {
            "objective": lgb_focal_objective(self.gamma, alpha, self.hessian_floor),
            "num_class": self.n_classes_ if self.n_classes_ > 2 else 1,
            "learning_rate": self.learning_rate, "num_leaves": self.num_leaves,
            "max_depth": self.max_depth, "min_data_in_leaf": self.min_child_samples,
            "min_sum_hessian_in_leaf": self.min_child_weight,
            "bagging_fraction": self.subsample, "bagging_freq": self.subsample_freq,
            "feature_fraction": self.colsample_bytree, "lambda_l1": self.reg_alpha,
            "lambda_l2": self.reg_lambda, "verbosity": -1,
        }
        seed = self._seed()
        if seed is not None:
            params["seed"] = seed
        if self.n_jobs is not None:
            params["num_threads"] = self.n_jobs
        params.update(self._extra_params(("objective", "num_class", "num_iterations")))
        train = lgb.Dataset(X, label=codes, weight=sample_weight, init_score=init,
                            params={k: v for k, v in params.items()
                                    if k not in ("objective", "num_class")})
        train.construct()
        if not any(train.feature_num_bin(i) for i in range(X.shape[1])):
            # No feature can split (all constant, or too few rows for
            # min_child_samples): LightGBM refuses a custom objective then, and
            # trees could only add 0 to the optimal constant margin anyway.
            return None
        return lgb.train(params, train, num_boost_round=self.n_estimators)

    def _raw_predict(self, X):
        if self.booster_ is None:
            return np.zeros(X.shape[0] * (self.n_classes_ if self.n_classes_ > 2 else 1))
        return self.booster_.predict(_as_spmatrix(X), raw_score=True)


class FocalXGBClassifier(_FocalBoostingClassifier):
    """XGBoost gradient boosting on the focal loss, with a scikit-learn API.

    Trains ``xgboost.train`` with :func:`~imbkit.gbdt.xgb_focal_objective`
    (``tree_method="hist"``), starting every sample from the optimal constant
    margin (``init_score_``, given as the ``base_margin``; ``base_score`` is 0).
    With ``gamma=0`` and ``alpha=None`` it is the same model as XGBoost's
    ``binary:logistic`` started from the class share. XGBoost's own ``gamma``
    (minimum loss reduction of a split) is called ``min_split_loss`` here.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter of the focal loss; 0 gives the log-loss.
    alpha : None, float in (0, 1) or array-like of shape (n_classes,), default=None
        Class weights in the loss, as in :class:`FocalLGBMClassifier`.
    n_estimators : int, default=100
        Boosting rounds.
    learning_rate : float, default=0.3
        Shrinkage of every tree (``eta``).
    max_depth : int, default=6
        Maximum tree depth.
    min_child_weight : float, default=1.0
        Minimum total hessian in a leaf. The focal hessian is smaller than the
        log-loss's by about ``(1 - p_t) ** gamma``: lower this for large ``gamma``.
    min_split_loss : float, default=0.0
        Minimum loss reduction to split (XGBoost's ``gamma``).
    subsample : float, default=1.0
        Fraction of rows drawn for each tree.
    colsample_bytree : float, default=1.0
        Fraction of features drawn for each tree.
    reg_alpha : float, default=0.0
        L1 penalty on leaf values.
    reg_lambda : float, default=1.0
        L2 penalty on leaf values.
    max_bin : int, default=256
        Histogram bins per feature.
    hessian_floor : float, default=1e-16
        Lower bound of each sample's hessian; see :mod:`imbkit.gbdt._focal`.
    n_jobs : int or None, default=None
        XGBoost threads; None uses XGBoost's default.
    random_state : int, RandomState instance or None, default=None
        Seed of XGBoost's random steps (row and feature sampling).
    booster_params : dict or None, default=None
        Further XGBoost parameters, applied last; the objective, ``base_score``
        and the number of classes cannot be set here.

    Attributes
    ----------
    booster_ : xgboost.Booster
        The trained trees (their margins exclude ``init_score_``).
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    init_score_ : float or ndarray of shape (n_classes,)
        The constant margin the boosting starts from.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.gbdt import FocalXGBClassifier
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> clf = FocalXGBClassifier(gamma=2.0, n_estimators=30, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: ClassVar[dict] = {
        **_COMMON_CONSTRAINTS,
        "max_depth": [Interval(Integral, 0, None, closed="left")],
        "min_split_loss": [Interval(Real, 0, None, closed="left")],
        "max_bin": [Interval(Integral, 2, None, closed="left")],
    }

    def __init__(
        self, *, gamma=2.0, alpha=None, n_estimators=100, learning_rate=0.3, max_depth=6,
        min_child_weight=1.0, min_split_loss=0.0, subsample=1.0, colsample_bytree=1.0,
        reg_alpha=0.0, reg_lambda=1.0, max_bin=256, hessian_floor=DEFAULT_HESSIAN_FLOOR,
        n_jobs=None, random_state=None, booster_params=None,
    ):
        self.gamma = gamma
        self.alpha = alpha
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_child_weight = min_child_weight
        self.min_split_loss = min_split_loss
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_alpha = reg_alpha
        self.reg_lambda = reg_lambda
        self.max_bin = max_bin
        self.hessian_floor = hessian_floor
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.booster_params = booster_params

    def _train(self, X, codes, sample_weight, init, alpha):
        xgb = import_xgboost()
        params = {
            "base_score": 0.0, "tree_method": "hist", "eta": self.learning_rate,
            "max_depth": self.max_depth, "min_child_weight": self.min_child_weight,
            "gamma": self.min_split_loss, "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree, "alpha": self.reg_alpha,
            "lambda": self.reg_lambda, "max_bin": self.max_bin, "verbosity": 0,
            "disable_default_eval_metric": True,
        }
        if self.n_classes_ > 2:
            params["num_class"] = self.n_classes_
        seed = self._seed()
        if seed is not None:
            params["seed"] = seed
        if self.n_jobs is not None:
            params["nthread"] = self.n_jobs
        params.update(self._extra_params(("objective", "base_score", "num_class")))
        train = xgb.DMatrix(X, label=codes, weight=sample_weight, base_margin=init,
                            missing=np.nan)
        return xgb.train(params, train, num_boost_round=self.n_estimators,
                         obj=xgb_focal_objective(self.gamma, alpha, self.hessian_floor))

    def _raw_predict(self, X):
        xgb = import_xgboost()
        return self.booster_.predict(xgb.DMatrix(X, missing=np.nan), output_margin=True)
