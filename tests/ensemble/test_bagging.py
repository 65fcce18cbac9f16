"""BalancedBaggingClassifier: same members and predictions as imbalanced-learn, own fixes."""

import warnings

import numpy as np
import pytest
from imblearn import ensemble as peer
from imblearn import over_sampling as peer_over
from imblearn import under_sampling as peer_under
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from imbkit.ensemble import BalancedBaggingClassifier
from imbkit.ensemble._bagging import _member_columns, _shared_columns
from imbkit.exceptions import NonFiniteInputError, SamplingStrategyError
from imbkit.over_sampling import SMOTE
from imbkit.under_sampling import NearMiss, RandomUnderSampler


def _data(n_classes=2, seed=0):
    if n_classes == 2:
        return make_classification(n_samples=400, n_features=8, n_informative=4,
                                   weights=[0.85], random_state=seed)
    return make_classification(n_samples=500, n_features=8, n_informative=5,
                               n_classes=3, weights=[0.6, 0.3], random_state=seed)


def _pair(**params):
    return (BalancedBaggingClassifier(n_estimators=6, **params),
            peer.BalancedBaggingClassifier(n_estimators=6, **params))


def _assert_same(ours, theirs, X):
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    for a, b in zip(ours.estimators_samples_, theirs.estimators_samples_):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(ours.estimators_features_, theirs.estimators_features_):
        np.testing.assert_array_equal(a, b)


PARAMS = [
    {},
    {"bootstrap": False},
    {"max_samples": 0.6, "max_features": 0.5},
    {"bootstrap_features": True, "max_features": 5},
    {"replacement": True},
    {"sampling_strategy": "all"},
    {"estimator": LogisticRegression(max_iter=200)},
]


@pytest.mark.parametrize("params", PARAMS, ids=str)
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("seed", [0, 11])
def test_balanced_bagging_same_as_reference(params, n_classes, seed):
    X, y = _data(n_classes, seed)
    ours, theirs = _pair(random_state=seed, **params)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)


@pytest.mark.parametrize("seed", [0, 5])
def test_balanced_bagging_float_and_dict_strategies_same_as_reference(seed):
    X, y = _data(2, seed)
    ours, theirs = _pair(random_state=seed, sampling_strategy=0.5)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)
    X, y = _data(3, seed)
    strategy = {0: 40, 1: 30}
    ours, theirs = _pair(random_state=seed, sampling_strategy=strategy)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)
    assert ours.sampler_.sampling_strategy == {0: 40, 1: 30}


def test_balanced_bagging_string_labels_same_as_reference():
    X, y = _data(3)
    labels = np.array(["low", "mid", "high"])[y]
    ours, theirs = _pair(random_state=2, sampling_strategy={"low": 50, "mid": 40})
    ours.fit(X, labels)
    theirs.fit(X, labels)
    _assert_same(ours, theirs, X)
    assert ours.classes_.tolist() == ["high", "low", "mid"]
    # the members see class indices: 'low' is index 1
    assert ours.sampler_.sampling_strategy == {1: 50, 2: 40}


@pytest.mark.parametrize("seed", [0, 3])
def test_balanced_bagging_with_smote_same_as_reference_smote(seed):
    X, y = _data(2, seed)
    ours = BalancedBaggingClassifier(n_estimators=4, sampler=SMOTE(), random_state=seed)
    theirs = peer.BalancedBaggingClassifier(
        n_estimators=4, sampler=peer_over.SMOTE(), random_state=seed
    )
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)
    # the ensemble's sampling_strategy replaces the sampler's, as in the reference
    assert ours.sampler_.sampling_strategy == "auto"


def test_balanced_bagging_with_nearmiss_same_as_reference():
    X, y = _data(3, 4)
    ours = BalancedBaggingClassifier(n_estimators=4, sampler=NearMiss(), random_state=4)
    theirs = peer.BalancedBaggingClassifier(
        n_estimators=4, sampler=peer_under.NearMiss(), random_state=4
    )
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)


def test_balanced_bagging_oob_same_as_reference():
    X, y = _data(2, 1)
    ours, theirs = _pair(random_state=1, oob_score=True)
    with warnings.catch_warnings():
        # rows never left out: scikit-learn warns and divides by zero (NaN rows)
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        ours.fit(X, y)
        theirs.fit(X, y)
    assert ours.oob_score_ == theirs.oob_score_
    np.testing.assert_array_equal(ours.oob_decision_function_, theirs.oob_decision_function_)


def test_balanced_bagging_votes_without_predict_proba_like_reference():
    X, y = _data(3, 2)
    ours, theirs = _pair(random_state=2, estimator=LinearSVC())
    ours.fit(X, y)
    theirs.fit(X, y)
    _assert_same(ours, theirs, X)
    # vote shares: multiples of 1/6
    np.testing.assert_allclose(ours.predict_proba(X) * 6, np.round(ours.predict_proba(X) * 6))
    np.testing.assert_allclose(
        ours.decision_function(X), theirs.decision_function(X), rtol=1e-12, atol=1e-12
    )


def test_balanced_bagging_log_proba_and_decision_function_same_as_reference():
    X, y = _data(2, 6)
    ours, theirs = _pair(random_state=6, estimator=LogisticRegression(max_iter=200))
    ours.fit(X, y)
    theirs.fit(X, y)
    np.testing.assert_array_equal(ours.predict_log_proba(X), theirs.predict_log_proba(X))
    np.testing.assert_array_equal(ours.decision_function(X), theirs.decision_function(X))


def test_balanced_bagging_decision_function_only_when_members_have_it():
    X, y = _data()
    assert not hasattr(BalancedBaggingClassifier(), "decision_function")
    assert hasattr(BalancedBaggingClassifier(estimator=LogisticRegression()), "decision_function")
    fitted = BalancedBaggingClassifier(n_estimators=2, random_state=0).fit(X, y)
    assert not hasattr(fitted, "decision_function")


def test_balanced_bagging_accepts_nan_with_trees_like_reference():
    X, y = _data(2, 8)
    X[::5, 3] = np.nan
    ours, theirs = _pair(random_state=8)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)


def test_balanced_bagging_refuses_nan_for_sampler_without_nan_support():
    X, y = _data()
    X[10, 0] = np.nan
    with pytest.raises(NonFiniteInputError, match=r"X contains NaN \(1 entries\)"):
        BalancedBaggingClassifier(sampler=SMOTE()).fit(X, y)


def test_balanced_bagging_sparse_same_as_dense():
    X, y = _data(2, 9)
    X[np.abs(X) < 0.8] = 0.0
    dense = BalancedBaggingClassifier(n_estimators=4, random_state=9).fit(X, y)
    for container in (sparse.csr_matrix, sparse.csc_matrix):
        fitted = BalancedBaggingClassifier(n_estimators=4, random_state=9).fit(container(X), y)
        np.testing.assert_array_equal(
            fitted.predict_proba(container(X)), dense.predict_proba(X)
        )


def test_balanced_bagging_members_are_sampler_then_classifier():
    X, y = _data()
    fitted = BalancedBaggingClassifier(n_estimators=3, random_state=0).fit(X, y)
    assert isinstance(fitted.sampler_, RandomUnderSampler)
    assert fitted.estimator_.sampler is fitted.sampler_
    for member, rows in zip(fitted.estimators_, fitted.estimators_samples_):
        kept = rows[member.sampler.sample_indices_]
        assert np.bincount(y[kept]).tolist() == [len(kept) // 2] * 2
        tree = DecisionTreeClassifier(random_state=member[-1].random_state)
        tree.fit(X[kept], y[kept])
        np.testing.assert_array_equal(member.predict_proba(X), tree.predict_proba(X))


def test_balanced_bagging_sample_weight_draws_rows_by_weight():
    X, y = _data()
    weight = np.ones(y.size)
    weight[:200] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitted = BalancedBaggingClassifier(n_estimators=5, random_state=0).fit(
            X, y, sample_weight=weight
        )
    for rows in fitted.estimators_samples_:
        assert rows.min() >= 200
    # unit weights draw differently from no weights (scikit-learn's bagging rule)
    unweighted = BalancedBaggingClassifier(n_estimators=5, random_state=0).fit(X, y)
    assert not np.array_equal(unweighted.estimators_samples_[0],
                              fitted.estimators_samples_[0])


def test_balanced_bagging_over_sampler_dict_gets_wanted_counts_unlike_reference():
    X, y = _data()
    assert np.bincount(y).tolist() == [337, 63]
    ours = BalancedBaggingClassifier(
        n_estimators=2, sampler=SMOTE(), sampling_strategy={1: 300}, random_state=0
    ).fit(X, y)
    theirs = peer.BalancedBaggingClassifier(
        n_estimators=2, sampler=peer_over.SMOTE(), sampling_strategy={1: 300},
        random_state=0,
    ).fit(X, y)
    assert ours.sampler_.sampling_strategy == {1: 300}
    # the reference hands the sampler the number of samples to add
    assert theirs.sampler_.sampling_strategy == {1: 300 - 63}
    member = ours.estimators_[0]
    rows = ours.estimators_samples_[0]
    _, y_res = member.sampler.fit_resample(X[rows], y[rows])
    assert np.bincount(y_res)[1] == 300


def test_balanced_bagging_dict_strategy_checked_against_y():
    X, y = _data()
    with pytest.raises(SamplingStrategyError, match=r"not present in y"):
        BalancedBaggingClassifier(sampling_strategy={7: 10}).fit(X, y)
    with pytest.raises(SamplingStrategyError, match="cannot grow class 1"):
        BalancedBaggingClassifier(sampling_strategy={1: 100}).fit(X, y)


def test_balanced_bagging_warm_start_adds_the_members_of_a_single_fit():
    X, y = _data(3)
    cold = BalancedBaggingClassifier(n_estimators=6, random_state=0).fit(X, y)
    warm = BalancedBaggingClassifier(n_estimators=3, warm_start=True, random_state=0)
    warm.fit(X, y)
    warm.set_params(n_estimators=6).fit(X, y)
    assert len(warm.estimators_) == 6
    np.testing.assert_array_equal(warm.predict_proba(X), cold.predict_proba(X))


def test_balanced_bagging_does_not_change_given_sampler():
    X, y = _data()
    sampler = SMOTE(sampling_strategy=0.5, k_neighbors=3)
    BalancedBaggingClassifier(n_estimators=2, sampler=sampler, random_state=0).fit(X, y)
    assert sampler.get_params() == SMOTE(sampling_strategy=0.5, k_neighbors=3).get_params()


def test_member_columns_shares_a_fortran_copy_when_all_columns_are_used():
    X = np.arange(12.0).reshape(3, 4)
    all_columns, subset = np.arange(4), np.array([2, 0])
    assert _shared_columns(X, [subset]) is X
    shared = _shared_columns(X, [subset, all_columns])
    assert shared.flags.f_contiguous
    np.testing.assert_array_equal(shared, X)
    assert _member_columns(shared, all_columns) is shared
    for features in (all_columns, subset, np.array([1, 0, 2, 3])):
        expected = X[:, features]
        got = _member_columns(shared, features)
        np.testing.assert_array_equal(got, expected)
        assert got.flags.f_contiguous == expected.flags.f_contiguous
    assert _member_columns(X, all_columns) is not X  # C-ordered: copied as by scikit-learn
