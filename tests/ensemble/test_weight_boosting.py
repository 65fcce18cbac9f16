"""RUSBoostClassifier: same learners and predictions as imbalanced-learn, clear errors."""

import warnings

import numpy as np
import pytest
from imblearn import ensemble as peer
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import AdaBoostClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from imbkit.ensemble import RUSBoostClassifier
from imbkit.ensemble._weight_boosting import samme_learner_weight
from imbkit.exceptions import InvalidInputError
from imbkit.under_sampling import RandomUnderSampler
from imbkit.utils._compat import InvalidParameterError


def _data(n_classes=2, seed=0):
    if n_classes == 2:
        return make_classification(n_samples=400, n_features=8, n_informative=4,
                                   weights=[0.85], random_state=seed)
    return make_classification(n_samples=450, n_features=8, n_informative=5,
                               n_classes=3, weights=[0.6, 0.3], random_state=seed)


def _pair(n_classes=2, **params):
    params.setdefault("n_estimators", 15)
    if n_classes > 2:  # stumps are worse than random guessing on three classes here
        params.setdefault("estimator", DecisionTreeClassifier(max_depth=2))
    return RUSBoostClassifier(**params), peer.RUSBoostClassifier(**params)


def _assert_same(ours, theirs, X):
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_array_equal(ours.decision_function(X), theirs.decision_function(X))
    np.testing.assert_array_equal(ours.estimator_weights_, theirs.estimator_weights_)
    np.testing.assert_array_equal(ours.estimator_errors_, theirs.estimator_errors_)
    assert len(ours.samplers_) == len(theirs.samplers_) == len(ours.estimators_)
    for a, b in zip(ours.samplers_, theirs.samplers_):
        np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)


PARAMS = [
    {},
    {"learning_rate": 0.3},
    {"replacement": True},
    {"sampling_strategy": "all"},
    {"estimator": DecisionTreeClassifier(max_depth=3)},
]


@pytest.mark.parametrize("params", PARAMS, ids=str)
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("seed", [0, 31])
def test_rusboost_same_as_reference(params, n_classes, seed):
    X, y = _data(n_classes, seed)
    ours, theirs = _pair(n_classes, random_state=seed, **params)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("seed", [1, 2])
def test_rusboost_sample_weight_same_as_reference(n_classes, seed):
    X, y = _data(n_classes, seed)
    weight = np.random.RandomState(seed).uniform(0.1, 2.0, y.size)
    weight[::17] = 0.0
    ours, theirs = _pair(n_classes, random_state=seed)
    _assert_same(ours.fit(X, y, weight), theirs.fit(X, y, weight), X)


@pytest.mark.parametrize("algorithm", ["SAMME", "SAMME.R"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_rusboost_deprecated_algorithm_same_as_reference(algorithm, n_classes):
    X, y = _data(n_classes, 3)
    ours, theirs = _pair(n_classes, random_state=3, algorithm=algorithm)
    with pytest.warns(FutureWarning, match="`algorithm` parameter is deprecated"):
        ours.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        theirs.fit(X, y)
    _assert_same(ours, theirs, X)


def test_rusboost_strategies_and_labels_same_as_reference():
    X, y = _data(2, 4)
    ours, theirs = _pair(random_state=4, sampling_strategy=0.5)
    _assert_same(ours.fit(X, y), theirs.fit(X, y), X)
    X, y = _data(3, 4)
    labels = np.array(["p", "q", "r"])[y]
    strategy = {"p": 80, "q": 60}
    ours, theirs = _pair(3, random_state=4, sampling_strategy=strategy)
    _assert_same(ours.fit(X, labels), theirs.fit(X, labels), X)
    assert ours.classes_.tolist() == ["p", "q", "r"]


def test_rusboost_sparse_same_as_dense():
    X, y = _data(2, 5)
    X[np.abs(X) < 1.0] = 0.0
    dense = RUSBoostClassifier(n_estimators=8, random_state=5).fit(X, y)
    fitted = RUSBoostClassifier(n_estimators=8, random_state=5).fit(sparse.csr_matrix(X), y)
    np.testing.assert_array_equal(fitted.predict_proba(sparse.csr_matrix(X)),
                                  dense.predict_proba(X))


def test_rusboost_each_learner_fits_its_balanced_subset_with_current_weights():
    X, y = _data(3, 6)
    fitted = RUSBoostClassifier(n_estimators=3, random_state=6).fit(X, y)
    assert isinstance(fitted, AdaBoostClassifier)
    assert isinstance(fitted.base_sampler_, RandomUnderSampler)
    smallest = np.bincount(y).min()
    first, tree = fitted.samplers_[0].sample_indices_, fitted.estimators_[0]
    assert np.bincount(y[first]).tolist() == [smallest] * 3
    refit = DecisionTreeClassifier(max_depth=1, random_state=tree.random_state)
    refit.fit(X[first], y[first], sample_weight=np.full(first.size, 1 / y.size))
    np.testing.assert_array_equal(refit.predict_proba(X), tree.predict_proba(X))
    for pipe, sampler, learner in zip(fitted.pipelines_, fitted.samplers_, fitted.estimators_):
        assert pipe[0] is sampler and pipe[-1] is learner
    assert [rows.tolist() for rows in fitted.estimators_samples_] == [
        sampler.sample_indices_.tolist() for sampler in fitted.samplers_
    ]


def test_rusboost_staged_predictions_end_at_the_final_ones():
    X, y = _data(3, 7)
    fitted = RUSBoostClassifier(
        n_estimators=6, estimator=DecisionTreeClassifier(max_depth=2), random_state=7
    ).fit(X, y)
    staged = list(fitted.staged_predict_proba(X))
    # one learner was worse than random guessing: dropped with its sampler
    assert len(staged) == len(fitted.estimators_) == len(fitted.samplers_) == 5
    np.testing.assert_allclose(staged[-1], fitted.predict_proba(X))
    assert fitted.feature_importances_.shape == (8,)


def test_rusboost_refuses_learner_without_sample_weight():
    X, y = _data()
    with pytest.raises(
        InvalidParameterError,
        match="KNeighborsClassifier.fit does not accept sample_weight, which "
        "RUSBoostClassifier needs to boost",
    ):
        RUSBoostClassifier(estimator=KNeighborsClassifier()).fit(X, y)


def test_rusboost_samme_r_needs_predict_proba():
    X, y = _data()
    with pytest.warns(FutureWarning), pytest.raises(
        InvalidParameterError,
        match="algorithm='SAMME.R' re-weights rows from class probabilities, but "
        "LinearSVC has no predict_proba",
    ):
        RUSBoostClassifier(estimator=LinearSVC(), algorithm="SAMME.R").fit(X, y)


def test_rusboost_first_learner_worse_than_random_is_an_error():
    X, y = _data()  # class 1 is the minority: always predicting it is wrong 85% of the time
    with pytest.raises(
        InvalidInputError,
        match=r"The first learner of RUSBoostClassifier has a weighted error of 0.8425, "
        "no better than random guessing among 2 classes",
    ):
        RUSBoostClassifier(estimator=DummyClassifier(strategy="constant", constant=1)).fit(X, y)


def test_rusboost_stumps_on_three_classes_fail_like_reference():
    X, y = _data(3, 0)
    with pytest.raises(InvalidInputError, match="weighted error of 0.7178, no better than "
                       "random guessing among 3 classes"):
        RUSBoostClassifier(random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="worse than random"):
        peer.RUSBoostClassifier(random_state=0).fit(X, y)


def test_rusboost_stops_when_a_learner_is_perfect():
    X = np.r_[np.zeros((30, 1)), np.ones((10, 1))]
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    fitted = RUSBoostClassifier(n_estimators=5, random_state=0).fit(X, y)
    assert len(fitted.estimators_) == len(fitted.samplers_) == 1
    assert fitted.estimator_weights_.tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert fitted.predict(np.array([[0.0], [1.0]])).tolist() == [0, 1]


def test_samme_learner_weight_formula():
    assert samme_learner_weight(0.25, 2, 1.0) == pytest.approx(np.log(3.0))
    assert samme_learner_weight(0.5, 3, 0.5) == pytest.approx(0.5 * np.log(2.0))
