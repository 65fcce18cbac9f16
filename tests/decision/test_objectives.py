"""Objectives from confusion counts: scikit-learn's metrics as the oracle, option errors."""

import numpy as np
import pytest
from sklearn.metrics import (
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
)

from imbkit.decision._objectives import (
    OBJECTIVES,
    binary_objective_scores,
    check_objective_options,
    multiclass_objective_scores,
)
from imbkit.exceptions import InvalidInputError, NonFiniteInputError


def _binary_counts(y_true, y_pred):
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return [tp], [fp], [fn], [tn]


def _random_binary(seed, n=200):
    rng = np.random.RandomState(seed)
    return rng.randint(0, 2, n), rng.randint(0, 2, n)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_binary_objective_scores_match_sklearn_metrics(seed):
    y_true, y_pred = _random_binary(seed)
    counts = _binary_counts(y_true, y_pred)
    tpr = recall_score(y_true, y_pred)
    tnr = recall_score(y_true, y_pred, pos_label=0)
    expected = {
        "f1": f1_score(y_true, y_pred),
        "gmean": np.sqrt(tpr * tnr),
        "youden": tpr + tnr - 1,
        "mcc": matthews_corrcoef(y_true, y_pred),
    }
    for name, value in expected.items():
        got = binary_objective_scores(*counts, check_objective_options(name))
        np.testing.assert_allclose(got, [value], rtol=1e-12, err_msg=name)
    fbeta = check_objective_options("fbeta", beta=2.0)
    np.testing.assert_allclose(
        binary_objective_scores(*counts, fbeta), [fbeta_score(y_true, y_pred, beta=2.0)]
    )


def test_binary_objective_scores_cost_is_minus_mean_cost():
    y_true, y_pred = np.array([0, 0, 0, 1, 1]), np.array([0, 1, 1, 0, 1])
    options = check_objective_options("cost", cost_matrix=[[0, 1], [10, 0.5]])
    got = binary_objective_scores(*_binary_counts(y_true, y_pred), options)
    assert got.tolist() == [-(0 + 1 + 1 + 10 + 0.5) / 5]


def test_binary_objective_scores_constrained_feasible_and_shortfall():
    # recall 2/3, precision 2/4
    counts = [2], [2], [1], [5]
    options = check_objective_options("precision_at_recall", min_recall=0.5)
    assert binary_objective_scores(*counts, options).tolist() == [0.5]
    options = check_objective_options("precision_at_recall", min_recall=0.75)
    np.testing.assert_allclose(binary_objective_scores(*counts, options), [2 / 3 - 0.75])
    options = check_objective_options("recall_at_precision", min_precision=0.5)
    np.testing.assert_allclose(binary_objective_scores(*counts, options), [2 / 3])
    options = check_objective_options("recall_at_precision", min_precision=0.9)
    np.testing.assert_allclose(binary_objective_scores(*counts, options), [-0.4])


def test_binary_objective_scores_zero_division_gives_zero():
    # no positive prediction: precision, F1 and MCC undefined -> 0
    counts = [0], [0], [3], [7]
    for name in ("f1", "mcc", "gmean"):
        assert binary_objective_scores(*counts, check_objective_options(name)).tolist() == [0.0]


def _random_multiclass(seed, n=300, k=4):
    rng = np.random.RandomState(seed)
    y_true, y_pred = rng.randint(0, k, n), rng.randint(0, k, n)
    cm = confusion_matrix(y_true, y_pred, labels=np.arange(k))
    return y_true, y_pred, cm[None]


@pytest.mark.parametrize("seed", [0, 1])
def test_multiclass_objective_scores_match_sklearn_metrics(seed):
    y_true, y_pred, cm = _random_multiclass(seed)
    recalls = recall_score(y_true, y_pred, average=None)
    expected = {
        "f1": f1_score(y_true, y_pred, average="macro"),
        "mcc": matthews_corrcoef(y_true, y_pred),
        "gmean": np.prod(recalls) ** (1 / 4),
    }
    for name, value in expected.items():
        got = multiclass_objective_scores(cm, check_objective_options(name, n_classes=4))
        np.testing.assert_allclose(got, [value], rtol=1e-12, err_msg=name)
    fbeta = check_objective_options("fbeta", beta=0.5, n_classes=4)
    np.testing.assert_allclose(
        multiclass_objective_scores(cm, fbeta),
        [fbeta_score(y_true, y_pred, beta=0.5, average="macro")],
    )


def test_multiclass_objective_scores_gmean_matches_imblearn():
    metrics = pytest.importorskip("imblearn.metrics")
    y_true, y_pred, cm = _random_multiclass(3)
    got = multiclass_objective_scores(cm, check_objective_options("gmean", n_classes=4))
    np.testing.assert_allclose(got, [metrics.geometric_mean_score(y_true, y_pred)])


def test_multiclass_objective_scores_youden_is_mean_one_vs_rest_j():
    y_true, y_pred, cm = _random_multiclass(4, k=3)
    js = [
        balanced_accuracy_score(y_true == k, y_pred == k) * 2 - 1 for k in range(3)
    ]
    got = multiclass_objective_scores(cm, check_objective_options("youden", n_classes=3))
    np.testing.assert_allclose(got, [np.mean(js)])


def test_multiclass_objective_scores_cost_and_constraints():
    y_true, y_pred, cm = _random_multiclass(5, k=3)
    costs = np.arange(9.0).reshape(3, 3)
    options = check_objective_options("cost", cost_matrix=costs, n_classes=3)
    expected = -costs[y_true, y_pred].mean()
    np.testing.assert_allclose(multiclass_objective_scores(cm, options), [expected])
    macro_p = precision_score(y_true, y_pred, average="macro")
    macro_r = recall_score(y_true, y_pred, average="macro")
    options = check_objective_options("precision_at_recall", min_recall=0.2, n_classes=3)
    np.testing.assert_allclose(multiclass_objective_scores(cm, options), [macro_p])
    options = check_objective_options("recall_at_precision", min_precision=0.9, n_classes=3)
    np.testing.assert_allclose(multiclass_objective_scores(cm, options), [macro_p - 0.9])
    assert macro_r > 0.2


def test_multiclass_objective_scores_vectorised_over_candidates():
    cms = np.stack([_random_multiclass(s, k=3)[2][0] for s in range(4)])
    options = check_objective_options("mcc", n_classes=3)
    one_by_one = [multiclass_objective_scores(cm[None], options)[0] for cm in cms]
    np.testing.assert_allclose(multiclass_objective_scores(cms, options), one_by_one)


def test_check_objective_options_unknown_objective_lists_valid_ones():
    with pytest.raises(InvalidInputError, match="Unknown objective 'auc'. Valid objectives: 'f1'"):
        check_objective_options("auc")
    assert OBJECTIVES == (
        "f1", "fbeta", "gmean", "youden", "mcc", "cost", "precision_at_recall",
        "recall_at_precision",
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"objective": "precision_at_recall"}, "needs min_recall: pass a rate in"),
        ({"objective": "recall_at_precision"}, "needs min_precision"),
        ({"objective": "precision_at_recall", "min_recall": 1.5},
         r"min_recall must be a number in \[0, 1\] \(a rate\), got 1.5"),
        ({"objective": "recall_at_precision", "min_precision": -0.1},
         r"min_precision must be a number in \[0, 1\]"),
        ({"objective": "f1", "min_recall": 0.5},
         "min_recall is only used by objective='precision_at_recall', not 'f1'"),
        ({"objective": "mcc", "min_precision": 0.5},
         "min_precision is only used by objective='recall_at_precision'"),
        ({"objective": "cost"}, "objective='cost' needs cost_matrix"),
        ({"objective": "f1", "cost_matrix": [[0, 1], [1, 0]]},
         "cost_matrix is only used by objective='cost'"),
        ({"objective": "f1", "beta": 2.0}, "beta=2.0 is only used by objective='fbeta'"),
        ({"objective": "fbeta", "beta": 0}, "beta must be a positive number, got 0"),
    ],
)
def test_check_objective_options_errors(kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        check_objective_options(**kwargs)


def test_check_objective_options_validates_cost_matrix_shape_and_values():
    with pytest.raises(InvalidInputError, match=r"must have shape \(3, 3\)"):
        check_objective_options("cost", cost_matrix=[[0, 1], [1, 0]], n_classes=3)
    with pytest.raises(NonFiniteInputError, match="cost_matrix contains NaN"):
        check_objective_options("cost", cost_matrix=[[0, np.nan], [1, 0]])
