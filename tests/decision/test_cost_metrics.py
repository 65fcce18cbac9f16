"""Cost matrices: validation messages, mean cost, scorer use, Bayes-minimum-risk decisions."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import make_scorer
from sklearn.model_selection import StratifiedKFold, cross_val_score

from imbkit.decision import (
    bayes_minimum_risk,
    check_cost_matrix,
    conditional_risk,
    cost_score,
    expected_cost,
)
from imbkit.exceptions import (
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
)


@pytest.mark.parametrize(
    "cost_matrix, kwargs, error, message",
    [
        ([[0, 1, 2], [1, 0, 3]], {}, InvalidInputError,
         r"must have shape \(n_classes, n_classes\).*got shape \(2, 3\)"),
        ([[0, 1], [1, 0]], {"n_classes": 3}, InvalidInputError,
         r"must have shape \(3, 3\), one row and one column per class"),
        ([[0]], {}, InvalidInputError, r"got shape \(1, 1\)"),
        (np.zeros((4, 2, 2)), {"n_samples": 3}, InvalidInputError,
         r"must have shape \(n_classes, n_classes\) or \(3, n_classes, n_classes\)"),
        (np.zeros((3, 2, 2)), {}, InvalidInputError, r"got shape \(3, 2, 2\)"),
        ([[0, -1], [1, 0]], {}, InvalidInputError,
         r"contains negative costs \(minimum -1\); costs must be >= 0"),
        ([[0, np.nan], [1, 0]], {}, NonFiniteInputError, "contains NaN or infinity"),
        ([[0, np.inf], [1, 0]], {}, NonFiniteInputError, "use a large finite cost"),
        ([["a", "b"], ["c", "d"]], {}, InvalidInputError, "must be a numeric array"),
    ],
)
def test_check_cost_matrix_errors(cost_matrix, kwargs, error, message):
    with pytest.raises(error, match=message):
        check_cost_matrix(cost_matrix, **kwargs)


def test_check_cost_matrix_names_the_parameter_and_copies():
    with pytest.raises(InvalidInputError, match="^sample_costs must have shape"):
        check_cost_matrix([[0, 1]], name="sample_costs")
    original = np.array([[0, 1], [2, 0]])
    checked = check_cost_matrix(original)
    checked[0, 1] = 99
    assert original.tolist() == [[0, 1], [2, 0]]
    assert checked.dtype == np.float64
    assert check_cost_matrix(np.ones((5, 2, 2)), 2, n_samples=5).shape == (5, 2, 2)


def test_expected_cost_values_and_weights():
    y_true, y_pred = [0, 0, 1, 1, 2], [0, 2, 0, 1, 1]
    costs = np.array([[0, 1, 2], [3, 0, 4], [5, 6, 0]])
    assert expected_cost(y_true, y_pred, costs) == (0 + 2 + 3 + 0 + 6) / 5
    weights = [1, 1, 1, 1, 3]
    assert expected_cost(y_true, y_pred, costs, sample_weight=weights) == (2 + 3 + 6 * 3) / 7


def test_expected_cost_labels_give_row_order():
    costs = [[0, 1], [10, 0]]
    # the first row/column is "spam": missing it costs 10
    got = expected_cost(["ham", "spam"], ["spam", "ham"], costs, labels=["spam", "ham"])
    assert got == (1 + 10) / 2
    assert expected_cost(["ham", "spam"], ["spam", "ham"], costs) == (10 + 1) / 2


def test_expected_cost_per_example_costs():
    y_true, y_pred = [0, 1, 1], [1, 0, 1]
    per_sample = np.zeros((3, 2, 2))
    per_sample[:, 1, 0] = [0, 250.0, 40.0]  # a missed fraud costs its amount
    per_sample[:, 0, 1] = 5.0
    assert expected_cost(y_true, y_pred, per_sample) == (5 + 250 + 0) / 3


def test_expected_cost_errors():
    with pytest.raises(LengthMismatchError, match="y_true has 2 labels but y_pred has 3"):
        expected_cost([0, 1], [0, 1, 1], [[0, 1], [1, 0]])
    with pytest.raises(InvalidInputError, match="contain 2 classes but cost_matrix has 3"):
        expected_cost([0, 1], [0, 1], np.ones((3, 3)))
    with pytest.raises(InvalidInputError, match="labels has 3 classes but cost_matrix has 2"):
        expected_cost([0, 1], [0, 1], [[0, 1], [1, 0]], labels=[0, 1, 2])
    with pytest.raises(InvalidInputError, match="y_pred contains the label 7"):
        expected_cost([0, 1], [0, 7], [[0, 1], [1, 0]], labels=[0, 1])


def test_cost_score_is_minus_expected_cost_and_a_scorer():
    assert cost_score([0, 1, 1], [1, 1, 0], [[0, 1], [4, 0]]) == -5 / 3
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    costs = [[0, 1], [10, 0]]
    scorer = make_scorer(cost_score, cost_matrix=costs)
    scores = cross_val_score(LogisticRegression(), X, y, cv=3, scoring=scorer)
    model = LogisticRegression()
    manual = []
    for train, test in StratifiedKFold(3).split(X, y):
        pred = model.fit(X[train], y[train]).predict(X[test])
        manual.append(-expected_cost(y[test], pred, costs))
    np.testing.assert_allclose(scores, manual)


def test_conditional_risk_and_bayes_minimum_risk():
    proba = np.array([[0.8, 0.2], [0.95, 0.05], [0.5, 0.5]])
    costs = [[0, 1], [10, 0]]
    np.testing.assert_allclose(
        conditional_risk(proba, costs), [[2.0, 0.8], [0.5, 0.95], [5.0, 0.5]]
    )
    assert bayes_minimum_risk(proba, costs).tolist() == [1, 0, 1]
    # 0-1 costs: the argmax (ties to the lowest class)
    assert bayes_minimum_risk(proba, 1 - np.eye(2)).tolist() == [0, 0, 0]


def test_bayes_minimum_risk_per_example_costs():
    proba = np.array([[0.9, 0.1], [0.9, 0.1]])
    per_sample = np.zeros((2, 2, 2))
    per_sample[:, 0, 1] = 1.0
    per_sample[:, 1, 0] = [5.0, 20.0]  # the second sample is a large transaction
    assert bayes_minimum_risk(proba, per_sample).tolist() == [0, 1]


def test_conditional_risk_errors():
    with pytest.raises(InvalidInputError, match=r"proba must be 2-D \(n_samples, n_classes\)"):
        conditional_risk([0.1, 0.9], [[0, 1], [1, 0]])
    with pytest.raises(InvalidInputError, match=r"must have shape \(3, 3\)"):
        conditional_risk(np.full((2, 3), 1 / 3), [[0, 1], [1, 0]])
