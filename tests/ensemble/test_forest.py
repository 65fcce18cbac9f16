"""BalancedRandomForestClassifier: same trees and predictions as imbalanced-learn, own fixes."""

import warnings

import numpy as np
import pytest
from imblearn import ensemble as peer
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight

from imbkit.ensemble import BalancedRandomForestClassifier
from imbkit.ensemble._forest import bootstrap_rows, n_bootstrap_draws
from imbkit.exceptions import NonFiniteInputError, SamplingStrategyError
from imbkit.under_sampling import RandomUnderSampler
from imbkit.utils._compat import InvalidParameterError


def _data(n_classes=2, seed=0):
    if n_classes == 2:
        return make_classification(n_samples=400, n_features=8, n_informative=4,
                                   weights=[0.85], random_state=seed)
    return make_classification(n_samples=450, n_features=8, n_informative=5,
                               n_classes=3, weights=[0.6, 0.3], random_state=seed)


def _pair(**params):
    params.setdefault("n_estimators", 12)
    return (BalancedRandomForestClassifier(**params),
            peer.BalancedRandomForestClassifier(**params))


def _assert_same(ours, theirs, X):
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_array_equal(ours.feature_importances_, theirs.feature_importances_)
    np.testing.assert_array_equal(ours.apply(X), theirs.apply(X))
    for a, b in zip(ours.samplers_, theirs.samplers_):
        np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)


PARAMS = [
    {},
    {"bootstrap": True},
    {"sampling_strategy": "auto", "replacement": False},
    {"max_depth": 3, "min_samples_leaf": 3, "max_features": 0.5},
    {"criterion": "entropy", "max_features": None},
    {"class_weight": "balanced"},
    {"bootstrap": True, "class_weight": "balanced_subsample"},
    {"class_weight": "balanced_subsample"},
    {"bootstrap": True, "max_samples": 0.4},
    {"bootstrap": True, "max_samples": 30},
]


@pytest.mark.parametrize("params", PARAMS, ids=str)
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("seed", [0, 21])
def test_balanced_forest_same_as_reference(params, n_classes, seed):
    X, y = _data(n_classes, seed)
    ours, theirs = _pair(random_state=seed, **params)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)


@pytest.mark.parametrize("params", [{}, {"bootstrap": True}, {"class_weight": {0: 1, 1: 3}}],
                         ids=str)
@pytest.mark.parametrize("seed", [2, 3])
def test_balanced_forest_sample_weight_same_as_reference(params, seed):
    X, y = _data(2, seed)
    weight = np.random.RandomState(seed).uniform(0.2, 3.0, y.size)
    ours, theirs = _pair(random_state=seed, **params)
    ours.fit(X, y, sample_weight=weight)
    theirs.fit(X, y, sample_weight=weight)
    _assert_same(ours, theirs, X)


@pytest.mark.parametrize("seed", [4, 5])
def test_balanced_forest_strategies_and_labels_same_as_reference(seed):
    X, y = _data(2, seed)
    ours, theirs = _pair(random_state=seed, sampling_strategy=0.7, replacement=False)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)
    X, y = _data(3, seed)
    labels = np.array(["x", "y", "z"])[y]
    strategy = {"x": 70, "y": 60, "z": 40}
    ours, theirs = _pair(random_state=seed, sampling_strategy=strategy)
    _assert_same(ours.fit(X, labels), theirs.fit(X, labels), X)
    assert ours.base_sampler_.sampling_strategy == {0: 70, 1: 60, 2: 40}
    assert ours.predict(X[:3]).tolist() == theirs.predict(X[:3]).tolist()


def test_balanced_forest_nan_same_as_reference():
    X, y = _data(3, 6)
    X[::6, 0] = np.nan
    X[1::11, 4] = np.nan
    ours, theirs = _pair(random_state=6)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)


def test_balanced_forest_sparse_same_as_reference():
    X, y = _data(2, 7)
    X[np.abs(X) < 1.0] = 0.0
    for container in (sparse.csr_matrix, sparse.csc_matrix):
        ours, theirs = _pair(random_state=7)
        ours.fit(container(X), y)
        theirs.fit(container(X), y)
        _assert_same(ours, theirs, container(X))
        np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))


def test_balanced_forest_float32_input_same_as_float64():
    X, y = _data()
    fitted64 = BalancedRandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    X32 = X.astype(np.float32)
    fitted32 = BalancedRandomForestClassifier(n_estimators=5, random_state=0).fit(X32, y)
    np.testing.assert_array_equal(fitted32.predict_proba(X32), fitted64.predict_proba(X))


def test_balanced_forest_oob_is_the_trees_not_grown_on_each_row():
    X, y = _data(2, 8)
    fitted = BalancedRandomForestClassifier(
        n_estimators=15, bootstrap=True, oob_score=True, random_state=8
    ).fit(X, y)
    expected = np.zeros((y.size, 2))
    votes = np.zeros(y.size)
    for rows, tree in zip(fitted.estimators_samples_, fitted.estimators_):
        out = np.setdiff1d(np.arange(y.size), rows)
        expected[out] += tree.predict_proba(X[out].astype(np.float32))
        votes[out] += 1
    assert votes.min() > 0
    np.testing.assert_allclose(fitted.oob_decision_function_, expected / votes[:, None])
    assert fitted.oob_score_ == np.mean(np.argmax(expected, axis=1) == y)


def test_balanced_forest_oob_callable_score():
    X, y = _data(2, 8)
    fitted = BalancedRandomForestClassifier(
        n_estimators=15, bootstrap=True, random_state=8,
        oob_score=lambda y_true, y_pred: float(np.sum(y_pred == 1)),
    ).fit(X, y)
    assert fitted.oob_score_ == float(np.sum(np.argmax(fitted.oob_decision_function_, 1) == 1))


def test_balanced_forest_oob_warns_when_rows_lack_votes():
    X, _ = _data()
    with pytest.warns(UserWarning, match="Some inputs do not have OOB scores"):
        BalancedRandomForestClassifier(
            n_estimators=1, bootstrap=True, oob_score=True, sampling_strategy="all",
            replacement=False, random_state=0,
        ).fit(X[:60], np.r_[np.zeros(50, int), np.ones(10, int)])


def test_balanced_forest_estimators_samples_are_the_rows_each_tree_saw():
    X, y = _data(3, 9)
    for bootstrap in (False, True):
        fitted = BalancedRandomForestClassifier(
            n_estimators=4, bootstrap=bootstrap, random_state=9
        ).fit(X, y)
        X32 = X.astype(np.float32)
        for rows, tree in zip(fitted.estimators_samples_, fitted.estimators_):
            refit = DecisionTreeClassifier(max_features="sqrt", random_state=tree.random_state)
            refit.fit(X32[rows], np.searchsorted(fitted.classes_, y[rows]).astype(float))
            np.testing.assert_array_equal(refit.predict_proba(X32), tree.predict_proba(X32))


def test_balanced_forest_warm_start_grows_the_trees_of_a_single_fit_unlike_reference():
    X, y = _data(2, 10)
    cold = BalancedRandomForestClassifier(n_estimators=10, random_state=10).fit(X, y)
    warm = BalancedRandomForestClassifier(n_estimators=4, warm_start=True, random_state=10)
    warm.fit(X, y)
    warm.set_params(n_estimators=10).fit(X, y)
    np.testing.assert_array_equal(warm.predict_proba(X), cold.predict_proba(X))
    assert len(warm.samplers_) == len(warm.pipelines_) == 10
    # the reference skips one seed per grown tree instead of two
    theirs = peer.BalancedRandomForestClassifier(n_estimators=4, warm_start=True,
                                                 random_state=10).fit(X, y)
    theirs.set_params(n_estimators=10).fit(X, y)
    assert not np.array_equal(theirs.predict_proba(X), cold.predict_proba(X))


def test_balanced_forest_warm_start_errors_and_warnings():
    X, y = _data()
    forest = BalancedRandomForestClassifier(n_estimators=3, warm_start=True, random_state=0)
    forest.fit(X, y)
    with pytest.warns(UserWarning, match="Warm-start fitting without increasing n_estimators"):
        forest.fit(X, y)
    with pytest.raises(InvalidParameterError,
                       match=r"n_estimators=2 must be larger or equal to len\(estimators_\)=3"):
        forest.set_params(n_estimators=2).fit(X, y)
    with pytest.warns(UserWarning, match='class_weight="balanced" is computed from the y'):
        BalancedRandomForestClassifier(
            n_estimators=2, warm_start=True, class_weight="balanced"
        ).fit(X, y)


def test_balanced_forest_parameter_conflicts():
    X, y = _data()
    with pytest.raises(InvalidParameterError, match="Out of bag estimation only available if "
                       "bootstrap=True"):
        BalancedRandomForestClassifier(oob_score=True).fit(X, y)
    with pytest.raises(InvalidParameterError,
                       match="max_samples=0.5 only applies when bootstrap=True"):
        BalancedRandomForestClassifier(max_samples=0.5).fit(X, y)
    with pytest.raises(SamplingStrategyError, match="cannot grow class 1"):
        BalancedRandomForestClassifier(sampling_strategy={1: 1000}).fit(X, y)


def test_balanced_forest_predict_refuses_infinity_with_imbkit_error():
    X, y = _data()
    fitted = BalancedRandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    X[0, 0] = np.inf
    with pytest.raises(NonFiniteInputError, match="Input X contains infinity"):
        fitted.predict(X)


def test_balanced_forest_attributes_and_pipelines():
    X, y = _data(3)
    fitted = BalancedRandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    assert isinstance(fitted, RandomForestClassifier)
    assert isinstance(fitted.base_sampler_, RandomUnderSampler)
    assert fitted.n_outputs_ == 1 and fitted.n_classes_ == 3
    assert fitted.estimator_.get_params() == DecisionTreeClassifier().get_params()
    smallest = np.bincount(y).min()
    for sampler, tree, pipe in zip(fitted.samplers_, fitted.estimators_, fitted.pipelines_):
        assert np.bincount(y[sampler.sample_indices_]).tolist() == [smallest] * 3
        assert pipe[0] is sampler and pipe[-1] is tree
        np.testing.assert_array_equal(pipe.predict(X), tree.predict(X))
    assert fitted.feature_importances_.shape == (8,)
    assert fitted.feature_importances_.sum() == pytest.approx(1.0)
    assert fitted.decision_path(X)[0].shape[0] == X.shape[0]


def test_bootstrap_rows_matches_scikit_learn_draws():
    np.testing.assert_array_equal(
        bootstrap_rows(5, 20, 8), np.random.RandomState(5).randint(0, 20, 8)
    )
    weight = np.r_[np.zeros(10), np.ones(10)]
    drawn = bootstrap_rows(5, 20, 50, weight)
    assert drawn.min() >= 10 and drawn.size == 50


def test_n_bootstrap_draws_rules():
    assert n_bootstrap_draws(100, None) == 100
    assert n_bootstrap_draws(100, 7) == 7
    assert n_bootstrap_draws(100, 0.333) == 33
    assert n_bootstrap_draws(100, 0.5, np.full(100, 3.0)) == 150
    assert n_bootstrap_draws(100, 0.001) == 1


def test_balanced_forest_class_weight_multiplies_sample_weight():
    _, y = _data()
    weight = np.linspace(1.0, 2.0, y.size)
    forest = BalancedRandomForestClassifier(class_weight={0: 1.0, 1: 4.0})
    combined = forest._with_class_weight(weight, y, np.array([0, 1]))
    np.testing.assert_allclose(combined, weight * np.where(y == 1, 4.0, 1.0))
    forest.set_params(class_weight="balanced")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        balanced = forest._with_class_weight(None, y, np.array([0, 1]))
    np.testing.assert_allclose(balanced, compute_sample_weight("balanced", y))
