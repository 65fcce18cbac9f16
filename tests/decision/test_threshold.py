"""Threshold moving: exact best thresholds, the scikit-learn tuner as oracle, multi-class."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression, Perceptron
from sklearn.metrics import (
    f1_score,
    fbeta_score,
    make_scorer,
    matthews_corrcoef,
    precision_score,
    recall_score,
)
from sklearn.model_selection import (
    StratifiedKFold,
    TunedThresholdClassifierCV,
    cross_val_predict,
)
from sklearn.svm import LinearSVC

from imbkit.decision import (
    ThresholdMovingClassifierCV,
    best_threshold,
    cost_score,
    tune_class_offsets,
)
from imbkit.exceptions import (
    ImbalanceWarning,
    InvalidInputError,
    LengthMismatchError,
    TargetError,
)

COSTS = [[0, 1], [8, 0]]


def _sklearn_objective(objective, y, pred, kw):
    """The objective of one labelled prediction, from scikit-learn's metrics."""
    rec = recall_score(y, pred, zero_division=0)
    prec = precision_score(y, pred, zero_division=0)
    tnr = recall_score(y, pred, pos_label=0, zero_division=0)
    if objective == "f1":
        return f1_score(y, pred, zero_division=0)
    if objective == "fbeta":
        return fbeta_score(y, pred, beta=kw["beta"], zero_division=0)
    if objective == "gmean":
        return np.sqrt(rec * tnr)
    if objective == "youden":
        return rec + tnr - 1
    if objective == "mcc":
        return matthews_corrcoef(y, pred)
    if objective == "cost":
        return -np.array(COSTS)[y, pred].mean()
    if objective == "precision_at_recall":
        return prec if rec >= kw["min_recall"] else rec - kw["min_recall"]
    return rec if prec >= kw["min_precision"] else prec - kw["min_precision"]


def _brute_force(y, s, objective, **kw):
    """Every distinct score, highest first, then +inf; the first best one wins."""
    best = (None, -np.inf)
    for t in np.r_[np.unique(s)[::-1], np.inf]:
        value = _sklearn_objective(objective, y, (s >= t).astype(int), kw)
        if value > best[1] + 1e-12:
            best = (t, value)
    return best


def _scores(seed, n=150):
    rng = np.random.RandomState(seed)
    y = (rng.uniform(size=n) < 0.15).astype(int)
    s = np.round(rng.normal(size=n) + 1.2 * y, 2)  # rounding makes ties
    return y, s


@pytest.mark.parametrize(
    "objective, kwargs",
    [
        ("f1", {}), ("fbeta", {"beta": 2.0}), ("gmean", {}), ("youden", {}), ("mcc", {}),
        ("cost", {"cost_matrix": COSTS}),
        ("precision_at_recall", {"min_recall": 0.7}),
        ("recall_at_precision", {"min_precision": 0.4}),
    ],
)
@pytest.mark.parametrize("seed", [0, 1])
def test_best_threshold_matches_brute_force(objective, kwargs, seed):
    y, s = _scores(seed)
    threshold, score = best_threshold(y, s, objective=objective, **kwargs)
    oracle_kwargs = {k: v for k, v in kwargs.items() if k != "cost_matrix"}
    expected_t, expected_score = _brute_force(y, s, objective, **oracle_kwargs)
    assert threshold == expected_t
    assert score == pytest.approx(expected_score, abs=1e-12)


def test_best_threshold_pos_label_and_no_positive_candidate():
    y = np.array(["neg", "neg", "pos", "pos", "neg"])
    s = np.array([0.9, 0.1, 0.2, 0.3, 0.15])
    # pos_label defaults to the greater label, "pos"
    assert best_threshold(y, s, objective="f1") == (0.2, 0.8)
    # treating "neg" as positive with the same scores
    assert best_threshold(y, s, objective="f1", pos_label="neg") == (0.1, 0.75)
    # a cheap miss and a costly false alarm: predict no positive at all
    t, score = best_threshold([0, 0, 1], [0.5, 0.6, 0.7], objective="cost",
                              cost_matrix=[[0, 100], [1, 0]])
    assert (t, score) == (0.7, 0.0)
    t, score = best_threshold([0, 1, 0], [0.5, 0.6, 0.7], objective="cost",
                              cost_matrix=[[0, 100], [1, 0]])
    assert (t, score) == (np.inf, -1 / 3)


def test_best_threshold_infeasible_constraint_warns_and_falls_back():
    y, s = _scores(0)
    y[np.argsort(s)[-2:]] = 0  # the two highest scores are negatives: precision < 1
    with pytest.warns(ImbalanceWarning, match=r"No decision reaches min_precision=0.99 .*highest precision"):
        t, score = best_threshold(y, s, objective="recall_at_precision", min_precision=0.99)
    pred = s >= t
    best_precision = max(
        precision_score(y, s >= u, zero_division=0) for u in np.unique(s)
    )
    assert precision_score(y, pred) == pytest.approx(best_precision)
    assert score == pytest.approx(best_precision - 0.99)


def test_best_threshold_errors():
    with pytest.raises(LengthMismatchError, match="y_true has 2 labels but y_score has 3"):
        best_threshold([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(TargetError, match=r"needs a binary y_true with both classes, got classes \[0, 1, 2\]"):
        best_threshold([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(TargetError, match="pos_label=5 is not one of the classes"):
        best_threshold([0, 1], [0.1, 0.2], pos_label=5)
    with pytest.raises(InvalidInputError, match="y_score contains NaN"):
        best_threshold([0, 1], [0.1, np.nan])
    with pytest.raises(InvalidInputError, match=r"Unknown objective 'roc'. Valid objectives:"):
        best_threshold([0, 1], [0.1, 0.2], objective="roc")
    with pytest.raises(InvalidInputError, match=r"min_recall must be a number in \[0, 1\]"):
        best_threshold([0, 1], [0.1, 0.2], objective="precision_at_recall", min_recall=2)


def _binary_data(seed=0, n=600):
    return make_classification(
        n_samples=n, n_features=6, n_informative=3, weights=[0.85], flip_y=0.03,
        class_sep=0.7, random_state=seed,
    )


def _imblearn_gmean():
    metrics = pytest.importorskip("imblearn.metrics")
    return make_scorer(metrics.geometric_mean_score)


@pytest.mark.parametrize(
    "objective, kwargs, sklearn_scoring",
    [
        ("f1", {}, "f1"),
        ("gmean", {}, _imblearn_gmean),
        ("mcc", {}, "matthews_corrcoef"),
        ("cost", {"cost_matrix": COSTS},
         lambda: make_scorer(cost_score, cost_matrix=COSTS)),
    ],
)
def test_threshold_moving_binary_matches_sklearn_tuner(objective, kwargs, sklearn_scoring):
    X, y = _binary_data()
    scoring = sklearn_scoring if isinstance(sklearn_scoring, str) else sklearn_scoring()
    ours = ThresholdMovingClassifierCV(LogisticRegression(), objective=objective, **kwargs)
    ours.fit(X, y)
    oracle = TunedThresholdClassifierCV(LogisticRegression(), scoring=scoring, cv=5).fit(X, y)
    assert ours.best_threshold_ == oracle.best_threshold_
    assert ours.best_score_ == pytest.approx(oracle.best_score_, abs=1e-12)
    assert np.array_equal(ours.predict(X), oracle.predict(X))
    assert ours.offsets_ is None and ours.class_weights_ is None
    assert ours.response_method_ == "predict_proba"


def test_threshold_moving_binary_predict_uses_threshold_and_keeps_proba():
    X, y = _binary_data(seed=1)
    clf = ThresholdMovingClassifierCV(LogisticRegression(), objective="youden").fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba, clf.estimator_.predict_proba(X))
    assert np.array_equal(clf.predict(X), (proba[:, 1] >= clf.best_threshold_).astype(int))
    assert 0 < clf.best_threshold_ < 0.5
    np.testing.assert_allclose(clf.decision_function(X), clf.estimator_.decision_function(X))
    np.testing.assert_allclose(clf.predict_log_proba(X), clf.estimator_.predict_log_proba(X))


def test_threshold_moving_binary_string_labels_pandas_and_decision_function():
    X, y = _binary_data(seed=2)
    columns = [f"x{i}" for i in range(6)]
    X_df = pd.DataFrame(X, columns=columns)
    labels = np.where(y == 1, "yes", "no")
    clf = ThresholdMovingClassifierCV(LinearSVC(), objective="gmean").fit(X_df, labels)
    assert clf.classes_.tolist() == ["no", "yes"]
    assert clf.response_method_ == "decision_function"
    assert clf.feature_names_in_.tolist() == columns and clf.n_features_in_ == 6
    scores = clf.decision_function(X_df)
    expected = np.where(scores >= clf.best_threshold_, "yes", "no")
    assert np.array_equal(clf.predict(X_df), expected)
    assert not hasattr(clf, "predict_proba")


def test_threshold_moving_binary_constrained_infeasible_warns():
    X, y = _binary_data(seed=3)
    clf = ThresholdMovingClassifierCV(
        LogisticRegression(), objective="recall_at_precision", min_precision=1.0
    )
    with pytest.warns(ImbalanceWarning, match="No decision reaches min_precision=1 "):
        clf.fit(X, y)
    assert -1 < clf.best_score_ < 0


def test_threshold_moving_binary_prefit_and_refit_rules():
    X, y = _binary_data(seed=4)
    fitted = LogisticRegression().fit(X, y)
    clf = ThresholdMovingClassifierCV(fitted, objective="f1", cv="prefit", refit=False)
    clf.fit(X, y)
    assert clf.estimator_ is fitted
    expected, _ = best_threshold(y, fitted.predict_proba(X)[:, 1], objective="f1")
    assert abs(clf.best_threshold_ - expected) < 0.02  # grid of 100 vs exact
    with pytest.raises(InvalidInputError, match="cv='prefit' .* set refit=False"):
        ThresholdMovingClassifierCV(fitted, cv="prefit").fit(X, y)
    with pytest.raises(InvalidInputError, match="refit=False keeps the model of a single split"):
        ThresholdMovingClassifierCV(LogisticRegression(), refit=False).fit(X, y)


def test_threshold_moving_fit_params_binary_routing_and_multiclass_folds():
    X, y = _binary_data(seed=5)
    weights = np.where(y == 1, 3.0, 1.0)
    with pytest.raises(ValueError, match="only supported if enable_metadata_routing=True"):
        ThresholdMovingClassifierCV(LogisticRegression()).fit(X, y, sample_weight=weights)
    X, y = _multiclass_data(seed=5)
    weights = np.random.RandomState(0).uniform(0.5, 2.0, size=y.size)
    clf = ThresholdMovingClassifierCV(LogisticRegression(), objective="f1")
    clf.fit(X, y, sample_weight=weights)
    oof = cross_val_predict(
        LogisticRegression(), X, y, cv=StratifiedKFold(5), method="predict_proba",
        params={"sample_weight": weights},
    )
    offsets, _ = tune_class_offsets(y, np.log(oof), objective="f1")
    np.testing.assert_allclose(clf.offsets_, offsets, atol=1e-12)
    full = LogisticRegression().fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(clf.estimator_.coef_, full.coef_)


def _multiclass_data(seed=0, n=900):
    return make_classification(
        n_samples=n, n_features=8, n_informative=5, n_classes=3, weights=[0.8, 0.15],
        class_sep=0.8, random_state=seed,
    )


def test_threshold_moving_multiclass_uses_out_of_fold_offsets():
    X, y = _multiclass_data()
    clf = ThresholdMovingClassifierCV(LogisticRegression(), objective="gmean").fit(X, y)
    oof = cross_val_predict(
        LogisticRegression(), X, y, cv=StratifiedKFold(5), method="predict_proba"
    )
    offsets, score = tune_class_offsets(y, np.log(oof), objective="gmean")
    np.testing.assert_allclose(clf.offsets_, offsets, atol=1e-12)
    assert clf.best_score_ == pytest.approx(score, abs=1e-12)
    np.testing.assert_allclose(clf.class_weights_, np.exp(offsets))
    assert clf.best_threshold_ is None
    proba = clf.predict_proba(X)
    assert np.array_equal(clf.predict(X), np.argmax(proba * clf.class_weights_, axis=1))


def test_threshold_moving_multiclass_improves_held_out_gmean():
    X, y = _multiclass_data(seed=1, n=2000)
    X_tr, X_te, y_tr, y_te = X[:1000], X[1000:], y[:1000], y[1000:]
    clf = ThresholdMovingClassifierCV(LogisticRegression(), objective="gmean").fit(X_tr, y_tr)

    def gmean(pred):
        return np.prod(recall_score(y_te, pred, average=None)) ** (1 / 3)

    assert gmean(clf.predict(X_te)) > gmean(clf.estimator_.predict(X_te)) + 0.05


def test_threshold_moving_multiclass_decision_function_prefit_and_float_cv():
    X, y = _multiclass_data(seed=2)
    clf = ThresholdMovingClassifierCV(Perceptron(random_state=0), objective="mcc").fit(X, y)
    assert clf.response_method_ == "decision_function" and clf.class_weights_ is None
    scores = clf.decision_function(X)
    assert np.array_equal(clf.predict(X), np.argmax(scores + clf.offsets_, axis=1))
    fitted = LogisticRegression().fit(X, y)
    prefit = ThresholdMovingClassifierCV(fitted, objective="f1", cv="prefit", refit=False)
    prefit.fit(X, y)
    offsets, _ = tune_class_offsets(y, np.log(fitted.predict_proba(X)), objective="f1")
    np.testing.assert_allclose(prefit.offsets_, offsets)
    assert prefit.estimator_ is fitted
    held_out = ThresholdMovingClassifierCV(
        LogisticRegression(), cv=0.3, refit=False, random_state=0
    ).fit(X, y)
    again = ThresholdMovingClassifierCV(
        LogisticRegression(), cv=0.3, refit=False, random_state=0
    ).fit(X, y)
    np.testing.assert_array_equal(held_out.offsets_, again.offsets_)


def test_threshold_moving_multiclass_refit_errors_and_small_folds():
    X, y = _multiclass_data(seed=3)
    with pytest.raises(InvalidInputError, match="refit=False keeps the model of a single split"):
        ThresholdMovingClassifierCV(LogisticRegression(), refit=False).fit(X, y)
    fitted = LogisticRegression().fit(X, y)
    with pytest.raises(InvalidInputError, match="cv='prefit' .* set refit=False"):
        ThresholdMovingClassifierCV(fitted, cv="prefit").fit(X, y)
    y_rare = y.copy()
    y_rare[:] = 0
    y_rare[:1], y_rare[1:40] = 2, 1  # class 2 has one sample: one fold misses it
    with (
        pytest.raises(InvalidInputError, match=r"A training fold holds only the classes \[0, 1\]"),
        pytest.warns(UserWarning, match="least populated class"),
    ):
        ThresholdMovingClassifierCV(LogisticRegression(), cv=2).fit(X, y_rare)


class _NoScores(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_threshold_moving_parameter_errors():
    X, y = _binary_data()
    with pytest.raises(ValueError, match="The 'objective' parameter of ThresholdMovingClassifierCV must be a str among"):
        ThresholdMovingClassifierCV(LogisticRegression(), objective="auc").fit(X, y)
    with pytest.raises(ValueError, match=r"'min_recall' parameter .* in the range \[0.0, 1.0\]"):
        ThresholdMovingClassifierCV(
            LogisticRegression(), objective="precision_at_recall", min_recall=1.5
        ).fit(X, y)
    with pytest.raises(InvalidInputError, match="min_recall is only used by objective='precision_at_recall'"):
        ThresholdMovingClassifierCV(LogisticRegression(), min_recall=0.5).fit(X, y)
    with pytest.raises(InvalidInputError, match=r"cost_matrix must have shape \(2, 2\)"):
        ThresholdMovingClassifierCV(
            LogisticRegression(), objective="cost", cost_matrix=np.ones((3, 3))
        ).fit(X, y)
    with pytest.raises(InvalidInputError, match="but _NoScores has no predict_proba or decision_function"):
        ThresholdMovingClassifierCV(_NoScores()).fit(X, y)
    with pytest.raises(InvalidInputError, match="but LinearSVC has no predict_proba;"):
        ThresholdMovingClassifierCV(LinearSVC(), response_method="predict_proba").fit(X, y)
    with pytest.raises(TargetError, match=r"y has only one class \(0\)"):
        ThresholdMovingClassifierCV(LogisticRegression()).fit(X, np.zeros_like(y))
