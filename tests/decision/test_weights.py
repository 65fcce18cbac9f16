"""Class weights: scikit-learn's "balanced" weights, cost matrices as weights (Elkan)."""

import warnings

import numpy as np
import pytest
from sklearn.utils.class_weight import compute_class_weight

from imbkit.decision import (
    balanced_class_weight,
    bayes_minimum_risk,
    cost_matrix_to_class_weight,
)
from imbkit.exceptions import (
    EmptyInputError,
    ImbalanceWarning,
    InvalidInputError,
    TargetError,
)


@pytest.mark.parametrize(
    "y",
    [
        [0, 0, 0, 1],
        np.repeat([3, 7, 9], [50, 7, 1]),
        ["ham"] * 9 + ["spam"] * 2 + ["eggs"],
        np.array([1.0, 2.0, 2.0, 2.0]),
    ],
)
def test_balanced_class_weight_equals_sklearn_balanced(y):
    classes = np.unique(y)
    expected = compute_class_weight("balanced", classes=classes, y=np.asarray(y))
    got = balanced_class_weight(y)
    assert list(got) == classes.tolist()
    np.testing.assert_allclose(list(got.values()), expected, rtol=1e-15)


def test_balanced_class_weight_exact_values_and_python_keys():
    got = balanced_class_weight(np.array([5, 5, 5, 5, 6]))
    assert got == {5: 0.625, 6: 2.5}
    assert all(type(k) is int for k in got)


def test_balanced_class_weight_refuses_bad_targets():
    with pytest.raises(EmptyInputError, match=r"y is empty \(0 samples\); pass the class label"):
        balanced_class_weight([])
    with pytest.raises(TargetError, match="Unknown label type: continuous.*bin a continuous"):
        balanced_class_weight([0.5, 1.5, 0.25])


def test_cost_matrix_to_class_weight_binary_is_elkan_ratio():
    costs = np.array([[0.5, 2.0], [12.0, 1.0]])
    weights = cost_matrix_to_class_weight(costs)
    # w0 = C01 - C00 = 1.5, w1 = C10 - C11 = 11, scaled to mean 1
    np.testing.assert_allclose([weights[0], weights[1]], [3 / 12.5, 22 / 12.5])
    assert weights[1] / weights[0] == pytest.approx(11 / 1.5)


def test_cost_matrix_to_class_weight_reweighted_argmax_is_bayes_decision():
    costs = np.array([[0.0, 1.0], [9.0, 0.0]])
    weights = cost_matrix_to_class_weight(costs)
    w = np.array([weights[0], weights[1]])
    p1 = np.linspace(0.0, 1.0, 1001)
    proba = np.column_stack([1 - p1, p1])
    # the prior shift a weighted model learns: p'_k proportional to w_k p_k
    reweighted = np.argmax(proba * w, axis=1)
    bayes = bayes_minimum_risk(proba, costs)
    off_boundary = np.abs(p1 - 0.1) > 1e-9  # the threshold itself is a tie
    assert np.array_equal(reweighted[off_boundary], bayes[off_boundary])


def test_cost_matrix_to_class_weight_multiclass_row_totals_and_classes():
    costs = [[0, 1, 1], [2, 0, 4], [3, 3, 0]]
    got = cost_matrix_to_class_weight(costs, classes=["a", "b", "c"])
    assert list(got) == ["a", "b", "c"]
    np.testing.assert_allclose(list(got.values()), np.array([2, 6, 6]) * 3 / 14)


def test_cost_matrix_to_class_weight_errors_and_warning():
    with pytest.raises(InvalidInputError, match=r"cost_matrix\[0, 1\] = 0 is below"):
        cost_matrix_to_class_weight([[1, 0], [1, 0]])
    with pytest.raises(InvalidInputError, match="has no misclassification cost"):
        cost_matrix_to_class_weight([[0, 0], [0, 0]])
    with pytest.raises(InvalidInputError, match="classes has shape \\(3,\\) but cost_matrix has 2"):
        cost_matrix_to_class_weight([[0, 1], [1, 0]], classes=[0, 1, 2])
    with pytest.warns(ImbalanceWarning, match=r"Classes at rows \[0\] have no misclassification"):
        got = cost_matrix_to_class_weight([[0, 0], [1, 0]])
    assert got == {0: 0.0, 1: 2.0}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost_matrix_to_class_weight([[0, 1], [1, 0]])
