"""SMOTEBaggingClassifier: the rate schedule, the bag contents, determinism, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from imbkit.ensemble import SMOTEBaggingClassifier
from imbkit.ensemble._smote_bagging import smote_bagging_counts
from imbkit.exceptions import (
    ImbalanceWarning,
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    NotEnoughSamplesError,
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


def _three_classes():
    X, y = make_classification(
        n_samples=290, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
        weights=[200 / 290, 60 / 290, 30 / 290], flip_y=0, random_state=0,
    )
    return X, y


def _g_mean(y_true, y_pred):
    recalls = recall_score(y_true, y_pred, average=None)
    return float(np.prod(recalls) ** (1 / recalls.size))


@parametrize_with_checks(
    [SMOTEBaggingClassifier(n_estimators=3, random_state=0)],
    expected_failed_checks=lambda est: EXPECTED_FAILED,
)
def test_smote_bagging_sklearn_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize(
    ("counts", "rate", "boot", "synthetic"),
    [
        ([100, 7, 30], 20, [100, 20, 20], [0, 80, 80]),
        ([100, 7, 30], 100, [100, 100, 100], [0, 0, 0]),
        # ceil(30 * 10 / 100) computed in integers: 0.3 * 10 is 3.0000000000000004
        ([10, 4, 2], 30, [10, 3, 3], [0, 7, 7]),
        ([9, 4], 10, [9, 1], [0, 8]),
        # every class of the largest size is bootstrapped, none is topped up
        ([50, 50, 20], 10, [50, 50, 5], [0, 0, 45]),
    ],
)
def test_smote_bagging_counts_follow_the_rate(counts, rate, boot, synthetic):
    n_boot, n_new = smote_bagging_counts(counts, rate)
    assert n_boot.tolist() == boot
    assert n_new.tolist() == synthetic


def test_smote_bagging_bags_follow_the_rate_schedule():
    X, y = _three_classes()
    assert np.bincount(y).tolist() == [200, 60, 30]
    clf = SMOTEBaggingClassifier(RecordingTree(), n_estimators=12, random_state=0)
    clf.fit(X, y)
    original = {row.tobytes(): label for row, label in zip(X, y)}
    for i, member in enumerate(clf.estimators_):
        rate = 10 * (i % 10 + 1)
        assert np.bincount(member.fit_y_).tolist() == [200, 200, 200]
        is_original = np.array([row.tobytes() in original for row in member.fit_X_])
        n_original = np.bincount(member.fit_y_[is_original], minlength=3)
        expected_boot = -(-rate * 200 // 100)
        assert n_original.tolist() == [200, expected_boot, expected_boot], i
        # bootstrapped rows carry their own label; SMOTE rows are new points
        labels = [original[row.tobytes()] for row in member.fit_X_[is_original]]
        assert_array_equal(labels, member.fit_y_[is_original])


def test_smote_bagging_synthetic_rows_lie_in_their_class_hull():
    X, y = _three_classes()
    clf = SMOTEBaggingClassifier(RecordingTree(), n_estimators=1, random_state=3)
    member = clf.fit(X, y).estimators_[0]
    original = {row.tobytes() for row in X}
    new = np.array([row.tobytes() not in original for row in member.fit_X_])
    assert new.sum() == 2 * (200 - 20)
    for klass in (1, 2):
        rows = member.fit_X_[new & (member.fit_y_ == klass)]
        assert rows.shape[0] == 180
        lo, hi = X[y == klass].min(axis=0), X[y == klass].max(axis=0)
        assert ((rows >= lo) & (rows <= hi)).all()


def test_smote_bagging_interpolates_inside_the_bag():
    # bag 0 runs at rate 10 %: 20 draws from each minority class, a subset of its rows
    X, y = _three_classes()
    clf = SMOTEBaggingClassifier(RecordingTree(), n_estimators=1, random_state=4)
    member = clf.fit(X, y).estimators_[0]
    original = {row.tobytes() for row in X}
    is_original = np.array([row.tobytes() in original for row in member.fit_X_])
    for klass in (1, 2):
        drawn = np.unique(member.fit_X_[is_original & (member.fit_y_ == klass)], axis=0)
        assert drawn.shape[0] < (y == klass).sum()  # the bag holds a subset
        made = member.fit_X_[~is_original & (member.fit_y_ == klass)]
        lo, hi = drawn.min(axis=0), drawn.max(axis=0)
        assert ((made >= lo - 1e-12) & (made <= hi + 1e-12)).all()


def test_smote_bagging_bag_with_one_distinct_row_uses_the_class():
    # 10 majority rows: at rate 10 % a bag draws one minority row, so its SMOTE
    # falls back to both rows of the class
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(12, 3)), np.r_[np.zeros(10, int), np.ones(2, int)]
    clf = SMOTEBaggingClassifier(RecordingTree(), n_estimators=10, random_state=0)
    with pytest.warns(ImbalanceWarning, match="k_neighbors=1 instead"):
        clf.fit(X, y)
    two = X[y == 1]
    for member in clf.estimators_:
        rows = member.fit_X_[member.fit_y_ == 1]
        assert rows.shape[0] == 10
        # every row of class 1 lies on the segment between its two rows
        t = (rows - two[0]) @ (two[1] - two[0]) / np.sum((two[1] - two[0]) ** 2)
        assert np.allclose(two[0] + np.outer(t, two[1] - two[0]), rows)
        assert ((t >= -1e-12) & (t <= 1 + 1e-12)).all()
    # bag 0 (rate 10 %) drew a single row, yet made rows strictly between the two
    first = clf.estimators_[0].fit_X_[clf.estimators_[0].fit_y_ == 1]
    t0 = (first - two[0]) @ (two[1] - two[0]) / np.sum((two[1] - two[0]) ** 2)
    assert ((t0 > 1e-9) & (t0 < 1 - 1e-9)).any()


def test_smote_bagging_same_predictions_for_any_n_jobs():
    X, y = _three_classes()
    probas = [
        SMOTEBaggingClassifier(n_estimators=6, n_jobs=n_jobs, random_state=7)
        .fit(X, y).predict_proba(X)
        for n_jobs in (1, 2, -1)
    ]
    assert_array_equal(probas[0], probas[1])
    assert_array_equal(probas[0], probas[2])


def test_smote_bagging_random_state_drives_the_bags():
    X, y = _three_classes()
    a = SMOTEBaggingClassifier(RecordingTree(), n_estimators=2, random_state=1).fit(X, y)
    b = SMOTEBaggingClassifier(RecordingTree(), n_estimators=2, random_state=1).fit(X, y)
    c = SMOTEBaggingClassifier(RecordingTree(), n_estimators=2, random_state=2).fit(X, y)
    assert_array_equal(a.estimators_[1].fit_X_, b.estimators_[1].fit_X_)
    assert not np.array_equal(a.estimators_[1].fit_X_, c.estimators_[1].fit_X_)


def test_smote_bagging_beats_a_decision_tree_on_g_mean():
    X, y = make_classification(
        n_samples=1500, n_features=10, n_informative=5, weights=[0.93], flip_y=0.02,
        class_sep=0.8, random_state=0,
    )
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, test_size=0.5,
                                              random_state=0)
    tree = DecisionTreeClassifier(random_state=0).fit(X_tr, y_tr)
    clf = SMOTEBaggingClassifier(n_estimators=10, random_state=0).fit(X_tr, y_tr)
    tree_score = _g_mean(y_te, tree.predict(X_te))
    assert _g_mean(y_te, clf.predict(X_te)) > tree_score + 0.05


def test_smote_bagging_sample_weight_reaches_the_members():
    X, y = _three_classes()
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=y.size)
    weight_before = weight.copy()
    clf = SMOTEBaggingClassifier(RecordingTree(), n_estimators=2, random_state=0)
    member = clf.fit(X, y, sample_weight=weight).estimators_[1]
    assert_array_equal(weight, weight_before)
    index = {row.tobytes(): i for i, row in enumerate(X)}
    for row, klass, w in zip(member.fit_X_, member.fit_y_, member.fit_weight_):
        if row.tobytes() in index:
            assert w == weight[index[row.tobytes()]]
        else:
            assert w == pytest.approx(weight[y == klass].mean(), rel=1e-12)


def test_smote_bagging_pandas_and_string_labels():
    X, y = _three_classes()
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    labels = np.array(["low", "mid", "high"])[y]
    clf = SMOTEBaggingClassifier(n_estimators=3, random_state=0).fit(frame, labels)
    assert clf.classes_.tolist() == ["high", "low", "mid"]
    assert clf.feature_names_in_.tolist() == ["a", "b", "c", "d"]
    assert set(clf.predict(frame)) <= {"high", "low", "mid"}
    assert (clf.predict(frame) == labels).mean() > 0.9


def test_smote_bagging_votes_without_predict_proba():
    X, y = _three_classes()
    clf = SMOTEBaggingClassifier(LinearSVC(), n_estimators=4, random_state=0)
    proba = clf.fit(X, y).predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert set(np.unique(proba * 4)) <= {0.0, 1.0, 2.0, 3.0, 4.0}
    score = clf.decision_function(X)
    expected = np.mean([m.decision_function(X) for m in clf.estimators_], axis=0)
    assert_allclose(score, expected)


def test_smote_bagging_decision_function_only_when_the_estimator_has_it():
    assert not hasattr(SMOTEBaggingClassifier(), "decision_function")
    assert hasattr(SMOTEBaggingClassifier(LogisticRegression()), "decision_function")


def test_smote_bagging_sample_weight_needs_an_estimator_that_takes_it():
    X, y = _three_classes()
    clf = SMOTEBaggingClassifier(KNeighborsClassifier(), n_estimators=2)
    with pytest.raises(InvalidParameterError, match="KNeighborsClassifier.fit does not "
                       "accept sample_weight, which SMOTEBaggingClassifier needs"):
        clf.fit(X, y, sample_weight=np.ones(y.size))


def test_smote_bagging_lowers_k_neighbors_for_a_small_class():
    X, y = _three_classes()
    keep = np.r_[np.flatnonzero(y != 2), np.flatnonzero(y == 2)[:4]]
    X, y = X[keep], y[keep]
    with pytest.warns(ImbalanceWarning, match="SMOTEBaggingClassifier: the smallest "
                      "class SMOTE tops up has 4 training rows, too few for "
                      "k_neighbors=5; the members' SMOTE uses k_neighbors=3 instead"):
        capped = SMOTEBaggingClassifier(n_estimators=3, random_state=0).fit(X, y)
    explicit = SMOTEBaggingClassifier(n_estimators=3, k_neighbors=3, random_state=0)
    assert_array_equal(capped.predict_proba(X), explicit.fit(X, y).predict_proba(X))


def test_smote_bagging_single_row_class():
    X, y = _three_classes()
    keep = np.r_[np.flatnonzero(y != 2), np.flatnonzero(y == 2)[:1]]
    with pytest.raises(NotEnoughSamplesError, match="SMOTEBaggingClassifier adds SMOTE "
                       "rows to a class with a single training row"):
        SMOTEBaggingClassifier(n_estimators=2).fit(X[keep], y[keep])


def test_smote_bagging_default_runs_the_rate_schedule_five_times():
    clf = SMOTEBaggingClassifier()
    assert clf.n_estimators == 50
    X, y = _three_classes()
    clf.set_params(estimator=RecordingTree(max_depth=2), random_state=0).fit(X, y)
    assert len(clf.estimators_) == 50
    n = 200  # the largest class
    # bag i: class 0 bootstrapped, then ceil(rate * n / 100) bootstrapped rows of
    # classes 1 and 2, then their SMOTE rows; the rate runs 10..100 % five times
    for i, member in enumerate(clf.estimators_):
        boot = -(-10 * (i % 10 + 1) * n // 100)
        layout = np.repeat([0, 1, 2, 1, 2], [n, boot, boot, n - boot, n - boot])
        assert_array_equal(member.fit_y_, layout)


@pytest.mark.parametrize(
    ("X_change", "y_change", "error", "message"),
    [
        (None, lambda y: y + 0.5, TargetError, "Unknown label type: continuous"),
        (None, lambda y: np.zeros_like(y), TargetError, "y has 1 class"),
        (None, lambda y: y[:-1], LengthMismatchError, "X has 290 rows but y has 289"),
        (lambda X: np.where(X > 1.5, np.nan, X), None, NonFiniteInputError,
         "X contains NaN or infinity"),
    ],
)
def test_smote_bagging_bad_input(X_change, y_change, error, message):
    X, y = _three_classes()
    X = X_change(X) if X_change else X
    y = y_change(y) if y_change else y
    with pytest.raises(error, match=message):
        SMOTEBaggingClassifier(n_estimators=2).fit(X, y)


def test_smote_bagging_bad_sample_weight():
    X, y = _three_classes()
    clf = SMOTEBaggingClassifier(n_estimators=2)
    with pytest.raises(LengthMismatchError, match="sample_weight has 3 values"):
        clf.fit(X, y, sample_weight=[1, 2, 3])
    with pytest.raises(InvalidInputError, match="sample_weight has negative values"):
        clf.fit(X, y, sample_weight=-np.ones(y.size))


def test_smote_bagging_predict_checks_the_features():
    X, y = _three_classes()
    clf = SMOTEBaggingClassifier(n_estimators=2, random_state=0).fit(X, y)
    with pytest.raises(InvalidInputError, match="X has 3 features, but "
                       "SMOTEBaggingClassifier is expecting 4 features"):
        clf.predict(X[:, :3])
    with pytest.raises(InvalidInputError, match="Reshape your data"):
        clf.predict(X[0])
