"""Threshold moving: tune the decision rule of a classifier for an imbalance-aware objective.

Binary problems delegate to scikit-learn's ``TunedThresholdClassifierCV`` with
a scorer built from the objective (it already handles cross-validation, the
candidate grid, refitting and metadata routing); what it lacks and imbkit adds
is the objectives themselves (G-mean, Youden's J, minimum cost, constrained
precision/recall with a documented fall-back), multi-class problems (per-class
offsets, :mod:`imbkit.decision._offsets`), and :func:`best_threshold`, the exact
best threshold of a set of scores.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.metrics import make_scorer
from sklearn.model_selection import (
    StratifiedShuffleSplit,
    TunedThresholdClassifierCV,
    check_cv,
)
from sklearn.utils import column_or_1d, get_tags, indexable
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted

from ..exceptions import InvalidInputError, LengthMismatchError, TargetError
from ..utils._compat import HasMethods, Interval, StrOptions, _safe_indexing
from ._meta import check_classification_y, copy_input_attributes
from ._objectives import (
    CONSTRAINED,
    OBJECTIVES,
    binary_objective_scores,
    check_objective_options,
)
from ._offsets import tune_class_offsets, warn_infeasible

__all__ = ["ThresholdMovingClassifierCV", "best_threshold"]


def _binary_counts(pos, y_score):
    """Thresholds (distinct scores, then +inf) and TP/FP when predicting ``>=``."""
    order = np.argsort(-y_score, kind="stable")
    s, p = y_score[order], pos[order]
    ends = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    tps = np.cumsum(p)[ends]
    fps = ends + 1 - tps
    return np.r_[s[ends], np.inf], np.r_[tps, 0], np.r_[fps, 0]


def best_threshold(
    y_true, y_score, *, objective="f1", pos_label=None, beta=1.0, min_recall=None,
    min_precision=None, cost_matrix=None,
):
    """The threshold on ``y_score`` that maximises ``objective``, searched exactly.

    A sample is predicted positive when ``y_score >= threshold``. Every distinct
    score is tried (plus ``+inf``: predict no positive), with the confusion
    counts of all of them from one sort and one cumulative sum. Ties go to the
    highest threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary true labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class (probabilities or decision values).
    objective : str, default="f1"
        One of ``"f1"``, ``"fbeta"``, ``"gmean"``, ``"youden"``, ``"mcc"``,
        ``"cost"``, ``"precision_at_recall"``, ``"recall_at_precision"``.
    pos_label : int or str, default=None
        The positive class; ``None`` means the greater of the two labels.
    beta : float, default=1.0
        Recall weight of ``"fbeta"``.
    min_recall : float in [0, 1], default=None
        Constraint of ``"precision_at_recall"`` (maximise precision subject to
        recall >= min_recall).
    min_precision : float in [0, 1], default=None
        Constraint of ``"recall_at_precision"`` (maximise recall subject to
        precision >= min_precision).
    cost_matrix : array-like of shape (2, 2), default=None
        Costs of ``"cost"``, indexed ``[true, predicted]`` with 0 the negative
        and 1 the positive class; the score is minus the mean cost.

    Returns
    -------
    threshold : float
    score : float
        The objective at ``threshold``. For a constrained objective that no
        threshold satisfies, an ``ImbalanceWarning`` is emitted, the threshold
        closest to meeting the constraint is returned, and ``score`` is minus
        its shortfall.

    Examples
    --------
    >>> from imbkit.decision import best_threshold
    >>> y = [0, 0, 0, 0, 1, 0, 1, 1]
    >>> s = [0.1, 0.2, 0.3, 0.35, 0.4, 0.6, 0.7, 0.9]
    >>> best_threshold(y, s, objective="f1")
    (0.4, 0.8571428571428571)
    >>> best_threshold(y, s, objective="precision_at_recall", min_recall=0.6)
    (0.7, 1.0)
    """
    y_true, y_score = column_or_1d(y_true), column_or_1d(y_score).astype(np.float64)
    if y_true.shape[0] != y_score.shape[0]:
        raise LengthMismatchError(
            f"y_true has {y_true.shape[0]} labels but y_score has {y_score.shape[0]} "
            "scores; pass one score per sample."
        )
    if not np.isfinite(y_score).all():
        raise InvalidInputError("y_score contains NaN or infinity; pass finite scores.")
    classes = np.unique(y_true)
    if classes.size != 2:
        raise TargetError(
            f"best_threshold needs a binary y_true with both classes, got classes "
            f"{classes.tolist()}; for more classes use tune_class_offsets."
        )
    pos_label = classes[1] if pos_label is None else pos_label
    if pos_label not in classes.tolist():
        raise TargetError(f"pos_label={pos_label!r} is not one of the classes {classes.tolist()}.")
    options = check_objective_options(
        objective, beta=beta, min_recall=min_recall, min_precision=min_precision,
        cost_matrix=cost_matrix,
    )
    pos = y_true == pos_label
    thresholds, tps, fps = _binary_counts(pos, y_score)
    n_pos, n_neg = pos.sum(), (~pos).sum()
    scores = binary_objective_scores(tps, fps, n_pos - tps, n_neg - fps, options)
    best = int(np.argmax(scores))
    if objective in CONSTRAINED and scores[best] < 0:
        warn_infeasible(objective, options, scores[best])
    return float(thresholds[best]), float(scores[best])


def _binary_label_score(y_true, y_pred, *, pos_label, options):
    """Objective of one labelled prediction; the scorer handed to scikit-learn."""
    y_true, y_pred = np.asarray(y_true) == pos_label, np.asarray(y_pred) == pos_label
    tp, fp = np.sum(y_true & y_pred), np.sum(~y_true & y_pred)
    fn, tn = np.sum(y_true & ~y_pred), np.sum(~y_true & ~y_pred)
    return float(binary_objective_scores([tp], [fp], [fn], [tn], options)[0])


def _fit_params_subset(params, indices, n_samples):
    """Row-aligned fit parameters (``sample_weight``...) restricted to ``indices``."""
    return {
        key: _safe_indexing(value, indices)
        if hasattr(value, "__len__") and len(value) == n_samples else value
        for key, value in params.items()
    }


def _fold_scores(estimator, X, y, train, val, method, classes, fit_params):
    """Fit on ``train``, return the fitted model and its scores on ``val``."""
    params = _fit_params_subset(fit_params, train, len(y))
    estimator.fit(_safe_indexing(X, train), y[train], **params)
    if not np.array_equal(estimator.classes_, classes):
        raise InvalidInputError(
            f"A training fold holds only the classes {np.asarray(estimator.classes_).tolist()} "
            f"of {classes.tolist()}; use fewer folds (cv) so that every fold sees "
            "every class."
        )
    return estimator, getattr(estimator, method)(_safe_indexing(X, val))


def _additive_scores(raw, method):
    """Scores to which class offsets add: log-probabilities or decision values."""
    if method == "predict_proba":
        return np.log(np.maximum(raw, np.finfo(np.float64).tiny))
    return np.asarray(raw, dtype=np.float64)


def _estimator_has(method):
    def check(self):
        estimator = getattr(self, "estimator_", self.estimator)
        return hasattr(estimator, method)

    return check


class ThresholdMovingClassifierCV(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Classifier whose decision rule is tuned by cross-validation for an objective.

    Binary targets: the threshold on the positive-class score (``classes_[1]``)
    is tuned by scikit-learn's ``TunedThresholdClassifierCV`` with a scorer made
    from ``objective``; the score of each candidate threshold is averaged over
    the validation folds. Multi-class targets: the prediction is
    ``argmax_k(w_k * p_k)`` (``argmax_k(s_k + b_k)`` for decision values), with
    the offsets ``b_k = log w_k`` tuned by :func:`tune_class_offsets` on the
    pooled out-of-fold scores; the search is deterministic.

    Parameters
    ----------
    estimator : classifier
        Needs ``predict_proba`` or ``decision_function``.
    objective : str, default="f1"
        ``"f1"``, ``"fbeta"``, ``"gmean"``, ``"youden"``, ``"mcc"``, ``"cost"``
        (minimum expected cost), ``"precision_at_recall"`` (maximum precision
        with recall >= ``min_recall``) or ``"recall_at_precision"`` (maximum
        recall with precision >= ``min_precision``). Multi-class problems use
        macro averages (precision, recall, F-beta, Youden's J), the geometric
        mean of the recalls, and the multi-class MCC.
    beta : float, default=1.0
        Recall weight of ``"fbeta"``.
    min_recall, min_precision : float in [0, 1], default=None
        Constraints of the constrained objectives. When no decision meets the
        constraint, an ``ImbalanceWarning`` is emitted and the decision closest
        to meeting it is kept (``best_score_`` is then minus its shortfall).
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        Costs of ``"cost"``: ``cost_matrix[i, j]`` is the cost of predicting
        ``classes_[j]`` for a sample of ``classes_[i]``.
    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        Scores to threshold; ``"auto"`` tries ``predict_proba`` first.
    thresholds : int, default=100
        Candidate thresholds (binary, evenly spaced between the lowest and the
        highest score) or candidate offsets per coordinate step (multi-class).
    cv : int, float, "prefit", cross-validation generator or iterable, default=5
        Validation folds. A float in (0, 1) holds out that fraction once;
        ``"prefit"`` uses the given fitted ``estimator`` on all of ``X``
        (then ``refit=False``).
    refit : bool, default=True
        Refit the estimator on all the data after tuning; ``False`` keeps the
        model of the single split (only with one split or ``"prefit"``).
    n_jobs : int, default=None
        Folds fitted in parallel.
    random_state : int, RandomState instance or None, default=None
        Seeds the split when ``cv`` is a float.

    Attributes
    ----------
    estimator_ : classifier
        The fitted model the rule applies to.
    classes_ : ndarray of shape (n_classes,)
    best_threshold_ : float or None
        Tuned threshold (binary; ``None`` for multi-class).
    offsets_ : ndarray of shape (n_classes,) or None
        Tuned per-class score offsets, summing to 0 (multi-class; ``None`` for
        binary).
    class_weights_ : ndarray of shape (n_classes,) or None
        ``exp(offsets_)``, the weights ``w_k`` of the probabilities
        (multi-class with ``predict_proba`` scores; otherwise ``None``).
    best_score_ : float
        The objective at the tuned rule on the validation data.
    response_method_ : str
        The scores actually used.
    n_features_in_ : int
        Only when ``estimator_`` records it.
    feature_names_in_ : ndarray of str
        Only when ``estimator_`` records it.

    See Also
    --------
    best_threshold : the best threshold of given scores.
    tune_class_offsets : the multi-class search on given scores.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbkit.decision import ThresholdMovingClassifierCV
    >>> X, y = make_classification(n_samples=400, weights=[0.9], random_state=0)
    >>> clf = ThresholdMovingClassifierCV(LogisticRegression(), objective="gmean")
    >>> clf = clf.fit(X, y)
    >>> bool(clf.best_threshold_ < 0.5)
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit"])],
        "objective": [StrOptions(set(OBJECTIVES))],
        "beta": [Interval(Real, 0, None, closed="neither")],
        "min_recall": [Interval(Real, 0, 1, closed="both"), None],
        "min_precision": [Interval(Real, 0, 1, closed="both"), None],
        "cost_matrix": ["array-like", None],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "thresholds": [Interval(Integral, 2, None, closed="left")],
        "cv": ["cv_object", StrOptions({"prefit"}), Interval(Real, 0, 1, closed="neither")],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self, estimator, *, objective="f1", beta=1.0, min_recall=None, min_precision=None,
        cost_matrix=None, response_method="auto", thresholds=100, cv=5, refit=True,
        n_jobs=None, random_state=None,
    ):
        self.estimator = estimator
        self.objective = objective
        self.beta = beta
        self.min_recall = min_recall
        self.min_precision = min_precision
        self.cost_matrix = cost_matrix
        self.response_method = response_method
        self.thresholds = thresholds
        self.cv = cv
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _resolve_response_method(self):
        wanted = self.response_method
        methods = ("predict_proba", "decision_function") if wanted == "auto" else (wanted,)
        for method in methods:
            if hasattr(self.estimator, method):
                return method
        raise InvalidInputError(
            f"{type(self).__name__} needs scores to move a threshold on, but "
            f"{type(self.estimator).__name__} has no {' or '.join(methods)}; use a "
            "classifier that has it (e.g. LogisticRegression), or set "
            "response_method='auto'."
        )

    def fit(self, X, y, **fit_params):
        """Fit the estimator and tune the decision rule.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        **fit_params : dict
            Passed to ``estimator.fit``. Binary targets pass them through
            ``TunedThresholdClassifierCV``, which accepts them only with
            scikit-learn's metadata routing enabled
            (``sklearn.set_config(enable_metadata_routing=True)`` and
            ``estimator.set_fit_request(...)``); multi-class targets pass them
            directly, row-aligned ones split with the folds.

        Returns
        -------
        self : object
        """
        self._validate_params()
        method = self._resolve_response_method()
        y = check_classification_y(y)
        classes = np.unique(y)
        if classes.size < 2:
            raise TargetError(
                f"y has only one class ({classes.tolist()[0]!r}); threshold moving "
                "needs samples of at least two classes."
            )
        options = check_objective_options(
            self.objective, beta=self.beta, min_recall=self.min_recall,
            min_precision=self.min_precision, cost_matrix=self.cost_matrix,
            n_classes=classes.size,
        )
        cv = self._check_cv_refit(X, y)
        self.response_method_ = method
        if classes.size == 2:
            self._fit_binary(X, y, classes, options, fit_params)
        else:
            self._fit_multiclass(X, y, classes, cv, fit_params)
        self.classes_ = classes
        copy_input_attributes(self, self.estimator_)
        return self

    def _fit_binary(self, X, y, classes, options, fit_params):
        scorer = make_scorer(_binary_label_score, pos_label=classes[1], options=options)
        self.tuner_ = TunedThresholdClassifierCV(
            self.estimator, scoring=scorer, response_method=self.response_method_,
            thresholds=self.thresholds, cv=self.cv, refit=self.refit,
            n_jobs=self.n_jobs, random_state=self.random_state,
        ).fit(X, y, **fit_params)
        self.estimator_ = self.tuner_.estimator_
        self.best_threshold_ = float(self.tuner_.best_threshold_)
        self.best_score_ = float(self.tuner_.best_score_)
        self.offsets_ = self.class_weights_ = None
        if self.objective in CONSTRAINED and self.best_score_ < 0:
            warn_infeasible(self.objective, options, self.best_score_)

    def _check_cv_refit(self, X, y):
        """Return the splitter (or "prefit") after checking it agrees with ``refit``."""
        if isinstance(self.cv, str):  # "prefit"
            if self.refit:
                raise InvalidInputError(
                    "cv='prefit' tunes an already fitted estimator, which cannot be "
                    "refitted: set refit=False."
                )
            check_is_fitted(self.estimator, "classes_")
            return self.cv
        if isinstance(self.cv, Real) and not isinstance(self.cv, Integral):
            cv = StratifiedShuffleSplit(
                n_splits=1, test_size=self.cv, random_state=self.random_state
            )
        else:
            cv = check_cv(self.cv, y, classifier=True)
        if not self.refit and cv.get_n_splits(X, y) > 1:
            raise InvalidInputError(
                "refit=False keeps the model of a single split, but cv has several "
                "folds; set refit=True, or cv to a float or 'prefit'."
            )
        return cv

    def _fit_multiclass(self, X, y, classes, cv, fit_params):
        method = self.response_method_
        if isinstance(cv, str):  # "prefit"
            self.estimator_ = self.estimator
            raw, y_val = getattr(self.estimator_, method)(X), y
        else:
            X, y = indexable(X, y)  # sparse COO/DIA... become row-indexable CSR
            splits = list(cv.split(X, y))
            folds = Parallel(n_jobs=self.n_jobs)(
                delayed(_fold_scores)(
                    clone(self.estimator), X, y, train, val, method, classes, fit_params
                )
                for train, val in splits
            )
            raw = np.concatenate([scores for _, scores in folds])
            y_val = y[np.concatenate([val for _, val in splits])]
            if self.refit:
                self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
            else:
                self.estimator_ = folds[0][0]
        offsets, self.best_score_ = tune_class_offsets(
            y_val, _additive_scores(raw, method), objective=self.objective,
            beta=self.beta, min_recall=self.min_recall, min_precision=self.min_precision,
            cost_matrix=self.cost_matrix, labels=classes, max_candidates=self.thresholds,
        )
        self.offsets_, self.best_threshold_, self.tuner_ = offsets, None, None
        self.class_weights_ = np.exp(offsets) if method == "predict_proba" else None

    def predict(self, X):
        """Class chosen by the tuned rule.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "estimator_")
        if self.offsets_ is None:
            return self.tuner_.predict(X)
        method = self.response_method_
        z = _additive_scores(getattr(self.estimator_, method)(X), method)
        return self.classes_[np.argmax(z + self.offsets_, axis=1)]

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Probabilities of the fitted estimator (threshold moving leaves them as they are).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log-probabilities of the fitted estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision values of the fitted estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = get_tags(self.estimator).input_tags.sparse
        return tags
