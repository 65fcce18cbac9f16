"""SMOTEBoostClassifier: the SAMME step, the weights of original and SMOTE rows, errors."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.metrics import recall_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from imbkit.ensemble import SMOTEBoostClassifier
from imbkit.ensemble._smote_boost import samme_update
from imbkit.exceptions import (
    ImbalanceWarning,
    InvalidInputError,
    NotEnoughSamplesError,
    SamplingStrategyError,
    TargetError,
)
from imbkit.utils._compat import InvalidParameterError

_REPEATS_MOVE_NEIGHBOURS = (
    "SMOTE rows depend on which rows are there: repeating a row changes the "
    "neighbours SMOTE interpolates with, so a weight of 2 cannot stand for a repeat"
)
EXPECTED_FAILED = {
    "check_sample_weight_equivalence_on_dense_data": _REPEATS_MOVE_NEIGHBOURS,
    "check_sample_weight_equivalence_on_sparse_data": _REPEATS_MOVE_NEIGHBOURS,
}


class RecordingTree(DecisionTreeClassifier):
    """A decision tree that keeps what it was fitted on."""

    def fit(self, X, y, sample_weight=None, check_input=True):
        self.fit_X_ = np.array(X)
        self.fit_y_ = np.array(y)
        self.fit_weight_ = None if sample_weight is None else np.array(sample_weight)
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


def _binary(n_samples=400, random_state=0):
    return make_classification(
        n_samples=n_samples, n_features=5, n_informative=3, n_redundant=0,
        weights=[0.85], flip_y=0.03, random_state=random_state,
    )


def _g_mean(y_true, y_pred):
    recalls = recall_score(y_true, y_pred, average=None)
    return float(np.prod(recalls) ** (1 / recalls.size))


@parametrize_with_checks(
    [SMOTEBoostClassifier(n_estimators=5, random_state=0)],
    expected_failed_checks=lambda est: EXPECTED_FAILED,
)
def test_smote_boost_sklearn_checks(estimator, check):
    check(estimator)


def test_samme_update_binary_step():
    weight, incorrect = np.full(4, 0.25), np.array([True, False, False, False])
    new, vote, error = samme_update(weight, incorrect, 1.0, 2)
    assert error == 0.25
    assert vote == pytest.approx(np.log(3.0))
    # 0.25 * 3 for the miss, then everything scaled by 1 / 1.5
    assert_allclose(new, [0.5, 1 / 6, 1 / 6, 1 / 6])
    assert new.sum() == pytest.approx(1.0)


def test_samme_update_multiclass_and_learning_rate():
    weight = np.array([0.1, 0.2, 0.3, 0.4])
    incorrect = np.array([False, True, False, True])
    new, vote, error = samme_update(weight, incorrect, 0.5, 3)
    assert error == pytest.approx(0.6)
    assert vote == pytest.approx(0.5 * (np.log(0.4 / 0.6) + np.log(2.0)))
    raw = weight * np.exp(vote * incorrect)
    assert_allclose(new, raw / raw.sum())


def test_samme_update_uses_a_given_error():
    weight = np.full(4, 0.25)
    incorrect = np.array([1, 0, 0, 0], bool)
    new, vote, error = samme_update(weight, incorrect, 1.0, 2, error=0.1)
    assert error == 0.1
    assert vote == pytest.approx(np.log(9.0))
    assert_allclose(new, np.array([9.0, 1.0, 1.0, 1.0]) / 12.0)
    # a given error at chance level drops the member whatever the rows say
    assert samme_update(weight, incorrect, 1.0, 2, error=0.5) == (None, None, 0.5)


def test_samme_update_perfect_and_worse_than_chance():
    weight = np.full(4, 0.25)
    new, vote, error = samme_update(weight, np.zeros(4, bool), 1.0, 2)
    assert new is weight and vote == 1.0 and error == 0.0
    assert samme_update(weight, np.array([1, 1, 0, 0], bool), 1.0, 2) == (None, None, 0.5)
    # with 3 classes the chance level is 2/3, so 0.5 still counts
    assert samme_update(weight, np.array([1, 1, 0, 0], bool), 1.0, 3)[1] == pytest.approx(
        np.log(2.0)
    )


def test_smote_boost_weights_sum_to_one_and_synthetic_rows_stay_out_of_the_update():
    X, y = _binary()
    n, counts = y.size, np.bincount(y)
    clf = SMOTEBoostClassifier(RecordingTree(max_depth=5), n_estimators=6, random_state=0)
    clf.fit(X, y)
    assert len(clf.estimators_) == 6
    boost_weight = np.full(n, 1.0 / n)
    for t, member in enumerate(clf.estimators_):
        w_fit = member.fit_weight_
        assert w_fit.sum() == pytest.approx(1.0, abs=1e-12)
        # the original rows come first, unchanged; 'auto' tops class 1 up to class 0
        assert_array_equal(member.fit_X_[:n], X)
        assert member.fit_y_.size == n + counts[0] - counts[1]
        assert (member.fit_y_[n:] == 1).all()
        # original rows carry the boosting weights, SMOTE rows their class mean
        scale = w_fit[:n].sum()
        assert_allclose(w_fit[:n] / scale, boost_weight, rtol=1e-12)
        assert_allclose(w_fit[n:], w_fit[:n][y == 1].mean(), rtol=1e-12)
        # the error is taken on the rows the member was fitted on, with their
        # weights; the update touches the original rows only
        incorrect = member.predict(member.fit_X_) != member.fit_y_
        round_error = w_fit[incorrect].sum()
        boost_weight, vote, error = samme_update(
            boost_weight, incorrect[:n], 1.0, 2, error=round_error
        )
        assert clf.estimator_errors_[t] == pytest.approx(error, rel=1e-12)
        assert clf.estimator_weights_[t] == pytest.approx(vote, rel=1e-12)
        assert boost_weight.sum() == pytest.approx(1.0)
    # each round makes its own SMOTE rows
    first, second = clf.estimators_[0].fit_X_[n:], clf.estimators_[1].fit_X_[n:]
    assert not np.array_equal(first, second)


def test_smote_boost_sampling_strategy_sets_the_rows_added():
    X, y = _binary()
    counts = np.bincount(y)
    clf = SMOTEBoostClassifier(
        RecordingTree(max_depth=3), n_estimators=2, sampling_strategy={1: counts[1] + 25},
        random_state=0,
    )
    member = clf.fit(X, y).estimators_[0]
    assert member.fit_y_.size == y.size + 25
    with pytest.raises(SamplingStrategyError, match="cannot shrink class 1"):
        SMOTEBoostClassifier(sampling_strategy={1: 3}).fit(X, y)


def test_smote_boost_initial_weights_follow_sample_weight():
    X, y = _binary()
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=y.size)
    weight_before = weight.copy()
    clf = SMOTEBoostClassifier(RecordingTree(max_depth=3), n_estimators=1, random_state=0)
    member = clf.fit(X, y, sample_weight=weight).estimators_[0]
    assert_array_equal(weight, weight_before)
    n = y.size
    assert_allclose(
        member.fit_weight_[:n] / member.fit_weight_[:n].sum(), weight / weight.sum()
    )


def test_smote_boost_goes_on_after_a_perfect_member():
    X, y = make_classification(n_samples=200, n_features=4, class_sep=3.0, flip_y=0,
                               weights=[0.8], random_state=1)
    clf = SMOTEBoostClassifier(RecordingTree(), n_estimators=4, random_state=0)
    clf.fit(X, y)
    # every fully grown tree is perfect: vote 1.0 each, and boosting goes on
    assert len(clf.estimators_) == 4
    assert clf.estimator_weights_.tolist() == [1.0] * 4
    assert clf.estimator_errors_.tolist() == [0.0] * 4
    # the weights stay as they were; each round brings its own SMOTE rows
    n = y.size
    for member in clf.estimators_:
        assert_allclose(member.fit_weight_[:n] / member.fit_weight_[:n].sum(), 1.0 / n)
    assert not np.array_equal(clf.estimators_[0].fit_X_[n:], clf.estimators_[1].fit_X_[n:])
    assert_array_equal(clf.predict(X), y)


def test_smote_boost_stumps_boost_every_round():
    # measured on the imbalanced original rows, a stump fitted to balanced rows
    # used to look worse than chance within a few rounds and end boosting
    X, y = _binary(n_samples=600)
    clf = SMOTEBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=25,
                               random_state=0).fit(X, y)
    assert len(clf.estimators_) == 25
    assert (clf.estimator_errors_ < 0.5).all()
    assert (clf.estimator_weights_ > 0).all()


def test_smote_boost_default_estimator_is_a_depth_3_tree():
    X, y = _binary()
    clf = SMOTEBoostClassifier(n_estimators=2, random_state=0).fit(X, y)
    assert clf.estimator_.get_params()["max_depth"] == 3
    assert all(m.get_depth() <= 3 for m in clf.estimators_)


def test_smote_boost_lowers_k_neighbors_for_a_small_class():
    X, y = _binary()
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:4]]
    X, y = X[keep], y[keep]
    with pytest.warns(ImbalanceWarning, match="the smallest class SMOTE tops up has 4 "
                      "training rows, too few for k_neighbors=5; the members' SMOTE "
                      "uses k_neighbors=3 instead"):
        capped = SMOTEBoostClassifier(n_estimators=5, random_state=0).fit(X, y)
    explicit = SMOTEBoostClassifier(n_estimators=5, k_neighbors=3, random_state=0)
    assert_array_equal(capped.predict_proba(X), explicit.fit(X, y).predict_proba(X))


def test_smote_boost_single_row_class():
    X, y = _binary()
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:1]]
    with pytest.raises(NotEnoughSamplesError, match="SMOTEBoostClassifier adds SMOTE "
                       "rows to a class with a single training row"):
        SMOTEBoostClassifier(n_estimators=2).fit(X[keep], y[keep])


def test_smote_boost_first_member_worse_than_chance():
    X, y = _binary()
    clf = SMOTEBoostClassifier(DummyClassifier(strategy="constant", constant=1))
    with pytest.raises(InvalidInputError, match="The first member of SMOTEBoostClassifier "
                       "is no better than chance on the training data"):
        clf.fit(X, y)


def test_smote_boost_needs_sample_weight_support():
    X, y = _binary()
    with pytest.raises(InvalidParameterError, match="KNeighborsClassifier.fit does not "
                       "accept sample_weight, which SMOTEBoostClassifier needs to pass "
                       "the boosting weights"):
        SMOTEBoostClassifier(KNeighborsClassifier()).fit(X, y)


def test_smote_boost_probabilities_agree_with_predict():
    X, y = _binary()
    clf = SMOTEBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    proba, score = clf.predict_proba(X), clf.decision_function(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(clf.predict(X), clf.classes_[(score > 0).astype(int)])
    assert_array_equal(np.argmax(proba, axis=1), (score > 0).astype(int))
    # binary softmax of [-s/2, s/2]
    assert_allclose(proba[:, 1], 1 / (1 + np.exp(-score)))


def test_smote_boost_multiclass():
    X, y = make_classification(
        n_samples=500, n_features=6, n_informative=4, n_classes=3,
        weights=[0.7, 0.2, 0.1], random_state=0,
    )
    clf = SMOTEBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    score = clf.decision_function(X)
    assert score.shape == (500, 3)
    shares = np.zeros((500, 3))
    for member, vote in zip(clf.estimators_, clf.estimator_weights_):
        shares[np.arange(500), member.predict(X)] += vote
    assert_allclose(score, shares / clf.estimator_weights_.sum())
    assert_array_equal(clf.predict(X), np.argmax(score, axis=1))
    assert (clf.predict(X) == y).mean() > 0.8


def test_smote_boost_random_state_gives_identical_models():
    X, y = _binary()
    a = SMOTEBoostClassifier(n_estimators=8, random_state=3).fit(X, y)
    b = SMOTEBoostClassifier(n_estimators=8, random_state=3).fit(X, y)
    assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert_array_equal(a.estimator_weights_, b.estimator_weights_)


def test_smote_boost_beats_a_decision_tree_on_g_mean():
    X, y = make_classification(
        n_samples=1500, n_features=10, n_informative=5, weights=[0.93], flip_y=0.02,
        class_sep=0.8, random_state=0,
    )
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, test_size=0.5,
                                              random_state=0)
    tree = DecisionTreeClassifier(random_state=0).fit(X_tr, y_tr)
    clf = SMOTEBoostClassifier(n_estimators=20, random_state=0).fit(X_tr, y_tr)
    tree_score = _g_mean(y_te, tree.predict(X_te))
    assert _g_mean(y_te, clf.predict(X_te)) > tree_score + 0.05


def test_smote_boost_bad_target():
    X, y = _binary()
    with pytest.raises(TargetError, match="requires y to be passed, but the target y is None"):
        SMOTEBoostClassifier().fit(X, None)
    with pytest.raises(TargetError, match="Unknown label type: multilabel-indicator"):
        SMOTEBoostClassifier().fit(X, np.column_stack([y, 1 - y]))
