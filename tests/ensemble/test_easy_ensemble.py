"""EasyEnsembleClassifier: same members and predictions as imbalanced-learn."""

import numpy as np
import pytest
from imblearn import ensemble as peer
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from imbkit.ensemble import EasyEnsembleClassifier
from imbkit.exceptions import NonFiniteInputError
from imbkit.under_sampling import RandomUnderSampler


def _data(n_classes=2, seed=0):
    if n_classes == 2:
        return make_classification(n_samples=300, n_features=6, n_informative=4,
                                   weights=[0.85], random_state=seed)
    return make_classification(n_samples=360, n_features=6, n_informative=4,
                               n_classes=3, weights=[0.6, 0.3], random_state=seed)


SMALL_BOOST = AdaBoostClassifier(n_estimators=8)


def _pair(**params):
    params.setdefault("estimator", SMALL_BOOST)
    return (EasyEnsembleClassifier(n_estimators=4, **params),
            peer.EasyEnsembleClassifier(n_estimators=4, **params))


def _assert_same(ours, theirs, X):
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    for a, b in zip(ours.estimators_samples_, theirs.estimators_samples_):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "params",
    [{}, {"replacement": True}, {"sampling_strategy": "all"},
     {"estimator": DecisionTreeClassifier()}, {"estimator": LogisticRegression()}],
    ids=str,
)
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("seed", [0, 13])
def test_easy_ensemble_same_as_reference(params, n_classes, seed):
    X, y = _data(n_classes, seed)
    ours, theirs = _pair(random_state=seed, **params)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)


def test_easy_ensemble_default_adaboost_same_as_reference():
    X, y = _data(2, 4)
    ours = EasyEnsembleClassifier(n_estimators=2, random_state=4).fit(X, y)
    theirs = peer.EasyEnsembleClassifier(n_estimators=2, random_state=4).fit(X, y)
    _assert_same(ours, theirs, X)
    assert isinstance(ours.estimators_[0][-1], AdaBoostClassifier)
    assert ours.estimators_[0][-1].n_estimators == 50
    np.testing.assert_array_equal(ours.decision_function(X), theirs.decision_function(X))


@pytest.mark.parametrize("seed", [1, 2])
def test_easy_ensemble_float_and_dict_strategies_same_as_reference(seed):
    X, y = _data(2, seed)
    ours, theirs = _pair(random_state=seed, sampling_strategy=0.6)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)
    X, y = _data(3, seed)
    labels = np.array(["a", "b", "c"])[y]
    ours, theirs = _pair(random_state=seed, sampling_strategy={"a": 60, "b": 50})
    _assert_same(ours.fit(X, labels), theirs.fit(X, labels), X)
    assert ours.sampler_.sampling_strategy == {0: 60, 1: 50}


def test_easy_ensemble_nan_with_trees_same_as_reference():
    X, y = _data(2, 5)
    X[::9, 1] = np.nan
    ours, theirs = _pair(random_state=5, estimator=DecisionTreeClassifier())
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)


def test_easy_ensemble_default_refuses_nan():
    X, y = _data()
    X[2, 2] = np.nan
    with pytest.raises(
        NonFiniteInputError,
        match=r"X contains NaN \(1 entries\) and EasyEnsembleClassifier with this base "
        "estimator cannot handle missing values",
    ):
        EasyEnsembleClassifier(n_estimators=2).fit(X, y)


def test_easy_ensemble_members_see_all_rows_then_a_balanced_subset():
    X, y = _data(3)
    fitted = EasyEnsembleClassifier(n_estimators=3, estimator=SMALL_BOOST, random_state=0)
    fitted.fit(X, y)
    assert isinstance(fitted, BaggingClassifier)
    assert isinstance(fitted.sampler_, RandomUnderSampler)
    smallest = np.bincount(y).min()
    for member, rows in zip(fitted.estimators_, fitted.estimators_samples_):
        np.testing.assert_array_equal(np.sort(rows), np.arange(y.size))
        kept = rows[member.sampler.sample_indices_]
        assert np.bincount(y[kept]).tolist() == [smallest] * 3


def test_easy_ensemble_warm_start_adds_the_members_of_a_single_fit():
    X, y = _data()
    cold = EasyEnsembleClassifier(n_estimators=4, estimator=SMALL_BOOST, random_state=0)
    warm = EasyEnsembleClassifier(
        n_estimators=2, estimator=SMALL_BOOST, warm_start=True, random_state=0
    )
    warm.fit(X, y)
    warm.set_params(n_estimators=4).fit(X, y)
    np.testing.assert_array_equal(warm.predict_proba(X), cold.fit(X, y).predict_proba(X))


def test_easy_ensemble_takes_no_sample_weight_or_bagging_parameters():
    params = EasyEnsembleClassifier().get_params()
    assert sorted(params) == [
        "estimator", "n_estimators", "n_jobs", "random_state", "replacement",
        "sampling_strategy", "verbose", "warm_start",
    ]
    X, y = _data()
    with pytest.raises(TypeError, match="sample_weight"):
        EasyEnsembleClassifier().fit(X, y, sample_weight=np.ones(y.size))
