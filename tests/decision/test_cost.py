"""CostSensitiveClassifier: Bayes-minimum-risk decisions, calibration, per-example costs."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from imbkit.decision import (
    CostSensitiveClassifier,
    bayes_minimum_risk,
    cost_score,
    expected_cost,
)
from imbkit.exceptions import InvalidInputError, NonFiniteInputError

BINARY_COSTS = [[0, 1], [10, 0]]
THREE_CLASS_COSTS = [[0, 1, 1], [5, 0, 2], [20, 10, 0]]


def _split(n_classes, weights, seed=0):
    X, y = make_classification(
        n_samples=4000, n_features=10, n_informative=5, n_classes=n_classes,
        weights=weights, class_sep=0.7, random_state=seed,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=seed)


@pytest.mark.parametrize(
    "n_classes, weights, costs",
    [(2, [0.9], BINARY_COSTS), (3, [0.7, 0.2], THREE_CLASS_COSTS)],
    ids=["binary", "3-class"],
)
def test_cost_sensitive_classifier_beats_argmax_and_half_threshold_on_held_out(
    n_classes, weights, costs
):
    X_tr, X_te, y_tr, y_te = _split(n_classes, weights)
    model = LogisticRegression(max_iter=1000)
    clf = CostSensitiveClassifier(model, costs).fit(X_tr, y_tr)
    plain = clone(model).fit(X_tr, y_tr)
    proba = plain.predict_proba(X_te)
    bayes = expected_cost(y_te, clf.predict(X_te), costs)
    argmax = expected_cost(y_te, proba.argmax(axis=1), costs)
    assert bayes < 0.7 * argmax
    if n_classes == 2:
        thresholded = (proba[:, 1] >= 0.5).astype(int)
        assert bayes < 0.7 * expected_cost(y_te, thresholded, costs)


def test_cost_sensitive_classifier_predict_is_bayes_minimum_risk():
    X_tr, X_te, y_tr, _ = _split(3, [0.7, 0.2])
    clf = CostSensitiveClassifier(LogisticRegression(), THREE_CLASS_COSTS).fit(X_tr, y_tr)
    proba = clf.predict_proba(X_te)
    np.testing.assert_allclose(proba, clf.estimator_.predict_proba(X_te))
    np.testing.assert_allclose(clf.predict_risk(X_te), proba @ np.array(THREE_CLASS_COSTS))
    assert np.array_equal(clf.predict(X_te), bayes_minimum_risk(proba, THREE_CLASS_COSTS))
    assert clf.cost_matrix_.tolist() == np.array(THREE_CLASS_COSTS, float).tolist()
    assert clf.score(X_te[:50], clf.predict(X_te[:50])) == 0.0


def test_cost_sensitive_classifier_default_costs_give_argmax():
    X_tr, X_te, y_tr, _ = _split(2, [0.9])
    clf = CostSensitiveClassifier(LogisticRegression()).fit(X_tr, y_tr)
    assert clf.cost_matrix_.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    assert np.array_equal(clf.predict(X_te), clf.estimator_.predict(X_te))


def test_cost_sensitive_classifier_per_example_costs_at_predict():
    X_tr, X_te, y_tr, y_te = _split(2, [0.9])
    clf = CostSensitiveClassifier(LogisticRegression(), BINARY_COSTS).fit(X_tr, y_tr)
    X_few, y_few = X_te[:200], y_te[:200]
    amounts = np.random.RandomState(0).lognormal(3, 1, size=200)
    per_sample = np.zeros((200, 2, 2))
    per_sample[:, 0, 1] = 5.0  # investigating a transaction costs 5
    per_sample[:, 1, 0] = amounts  # a missed fraud costs its amount
    p1 = clf.predict_proba(X_few)[:, 1]
    expected = (p1 * amounts > (1 - p1) * 5.0).astype(int)
    assert np.array_equal(clf.predict(X_few, sample_costs=per_sample), expected)
    assert clf.score(X_few, y_few, sample_costs=per_sample) == cost_score(
        y_few, expected, per_sample
    )
    with pytest.raises(InvalidInputError, match=r"^sample_costs must have shape \(2, 2\) or \(200, 2, 2\)"):
        clf.predict(X_few, sample_costs=np.zeros((10, 2, 2)))


def test_cost_sensitive_classifier_calibration_wraps_estimator():
    X_tr, X_te, y_tr, y_te = _split(2, [0.9])
    clf = CostSensitiveClassifier(LinearSVC(), BINARY_COSTS, calibration="sigmoid", cv=3)
    clf.fit(X_tr, y_tr)
    assert isinstance(clf.estimator_, CalibratedClassifierCV)
    assert clf.estimator_.method == "sigmoid" and clf.estimator_.cv == 3
    assert expected_cost(y_te, clf.predict(X_te), BINARY_COSTS) < expected_cost(
        y_te, clf.estimator_.predict(X_te), BINARY_COSTS
    )


def test_cost_sensitive_classifier_strings_and_pandas():
    X_tr, X_te, y_tr, _ = _split(2, [0.9])
    columns = [f"c{i}" for i in range(10)]
    labels = np.where(y_tr == 1, "fraud", "ok")
    clf = CostSensitiveClassifier(LogisticRegression(), [[0, 10], [1, 0]])
    clf.fit(pd.DataFrame(X_tr, columns=columns), labels)
    assert clf.classes_.tolist() == ["fraud", "ok"]
    assert clf.feature_names_in_.tolist() == columns
    assert clf.n_features_in_ == 10
    assert set(clf.predict(pd.DataFrame(X_te, columns=columns))) <= {"fraud", "ok"}


@pytest.mark.parametrize(
    "costs, error, message",
    [
        ([[0, 1, 1], [1, 0, 1], [1, 1, 0]], InvalidInputError,
         r"cost_matrix must have shape \(2, 2\), one row and one column per class.*got shape \(3, 3\)"),
        ([[0, -2], [1, 0]], InvalidInputError, "contains negative costs"),
        ([[0, np.nan], [1, 0]], NonFiniteInputError, "cost_matrix contains NaN or infinity"),
    ],
)
def test_cost_sensitive_classifier_cost_matrix_errors(costs, error, message):
    X_tr, _, y_tr, _ = _split(2, [0.9])
    with pytest.raises(error, match=message):
        CostSensitiveClassifier(LogisticRegression(), costs).fit(X_tr, y_tr)


def test_cost_sensitive_classifier_needs_probabilities_or_calibration():
    X_tr, _, y_tr, _ = _split(2, [0.9])
    with pytest.raises(
        InvalidInputError,
        match="needs class probabilities, but LinearSVC has no predict_proba.*calibration='sigmoid'",
    ):
        CostSensitiveClassifier(LinearSVC(), BINARY_COSTS).fit(X_tr, y_tr)
    with pytest.raises(ValueError, match="'calibration' parameter of CostSensitiveClassifier"):
        CostSensitiveClassifier(LogisticRegression(), calibration="platt").fit(X_tr, y_tr)
