"""SelfPacedEnsembleClassifier: the self-paced factor, hardness bins, balanced members."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.metrics import recall_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from imbkit.ensemble import SelfPacedEnsembleClassifier
from imbkit.ensemble._self_paced import (
    hardness_bins,
    self_paced_factor,
    self_paced_quotas,
)
from imbkit.exceptions import InvalidInputError, TargetError
from imbkit.utils._compat import InvalidParameterError

EXPECTED_FAILED = dict.fromkeys(
    [
        "check_sample_weight_equivalence_on_dense_data",
        "check_sample_weight_equivalence_on_sparse_data",
    ],
    "rows are drawn by position, so a row of weight 2 and two copies of the row lead "
    "to different draws; sample_weight scales the members' fits, not the draws",
)


class RecordingTree(DecisionTreeClassifier):
    """A decision tree that keeps what it was fitted on."""

    def fit(self, X, y, sample_weight=None, check_input=True):
        self.fit_X_ = np.array(X)
        self.fit_y_ = np.array(y)
        self.fit_weight_ = None if sample_weight is None else np.array(sample_weight)
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


def _binary(n_samples=600, random_state=0):
    return make_classification(
        n_samples=n_samples, n_features=5, n_informative=3, n_redundant=0,
        weights=[0.9], flip_y=0.03, random_state=random_state,
    )


def _g_mean(y_true, y_pred):
    recalls = recall_score(y_true, y_pred, average=None)
    return float(np.prod(recalls) ** (1 / recalls.size))


def _rows_of(X_sub, X):
    index = {row.tobytes(): i for i, row in enumerate(X)}
    return np.array([index[row.tobytes()] for row in X_sub])


@parametrize_with_checks(
    [SelfPacedEnsembleClassifier(n_estimators=5, random_state=0)],
    expected_failed_checks=lambda est: EXPECTED_FAILED,
)
def test_self_paced_sklearn_checks(estimator, check):
    check(estimator)


def test_self_paced_factor_schedule():
    assert self_paced_factor(0, 5) == 0.0
    assert self_paced_factor(1, 5) == pytest.approx(np.tan(np.pi / 8))
    assert self_paced_factor(2, 5) == pytest.approx(1.0)
    assert self_paced_factor(4, 5) > 1e15
    assert self_paced_factor(0, 1) == 0.0


def test_hardness_bins_equal_width_with_the_maximum_in_the_last_bin():
    hardness = np.array([0.2, 0.2, 0.4, 0.59, 0.61, 1.2, 1.0])
    assert hardness_bins(hardness, 5).tolist() == [0, 0, 1, 1, 2, 4, 4]
    assert hardness_bins(hardness, 1).tolist() == [0] * 7
    assert hardness_bins(np.full(4, 0.3), 5) is None


def test_self_paced_quotas_follow_the_bin_weights():
    # bins 0 and 2 populated (means 0.1 and 0.9), bin 1 empty; alpha = 0.1
    bins = np.array([0, 0, 0, 0, 0, 0, 2, 2])
    hardness = np.array([0.1] * 6 + [0.9] * 2)
    quotas, expected = self_paced_quotas(bins, hardness, 3, 6, 0.1, True)
    # weights 1 / 0.2 = 5 and 1 / 1.0 = 1: shares 5 and 1 of 6
    assert_allclose(expected, [5.0, 0.0, 1.0])
    assert quotas.tolist() == [5, 0, 1]


def test_self_paced_quotas_largest_remainder_and_caps():
    bins = np.array([0, 1, 1, 1, 2, 2, 2, 2])
    hardness = np.array([0.0, 0.5, 0.5, 0.5, 1.0, 1.0, 1.0, 1.0])
    # weights 1/1, 1/1.5, 1/2 -> shares of 4: 1.846, 1.231, 0.923
    quotas, _ = self_paced_quotas(bins, hardness, 3, 4, 1.0, True)
    assert quotas.tolist() == [2, 1, 1]
    # a huge alpha gives equal shares; without replacement bin 0 holds one row,
    # so its share goes to the others
    quotas, expected = self_paced_quotas(bins, hardness, 3, 6, 1e16, False)
    assert_allclose(expected, [2.0, 2.0, 2.0])
    assert quotas.tolist() == [1, 3, 2]
    quotas, _ = self_paced_quotas(bins, hardness, 3, 6, 1e16, True)
    assert quotas.tolist() == [2, 2, 2]


def test_self_paced_members_are_balanced_and_keep_every_minority_row():
    X, y = _binary()
    n_min = np.bincount(y).min()
    clf = SelfPacedEnsembleClassifier(RecordingTree(), n_estimators=6, random_state=0)
    clf.fit(X, y)
    minority = np.flatnonzero(y == 1)
    for member in clf.estimators_:
        assert np.bincount(member.fit_y_).tolist() == [n_min, n_min]
        rows = _rows_of(member.fit_X_, X)
        assert_array_equal(np.sort(rows[member.fit_y_ == 1]), minority)
        assert np.unique(rows).size == rows.size  # replacement=False


def test_self_paced_majority_rows_drawn_from_the_bins_as_documented():
    X, y = _binary()
    n_est, k_bins = 6, 5
    clf = SelfPacedEnsembleClassifier(RecordingTree(), n_estimators=n_est,
                                      k_bins=k_bins, random_state=0)
    clf.fit(X, y)
    majority = np.flatnonzero(y == 0)
    n_min = np.bincount(y).min()
    proba_sum = np.zeros(y.size)
    checked = 0
    for i, member in enumerate(clf.estimators_):
        if i > 0:
            hardness = np.abs(1.0 - proba_sum[majority] / i)
            bins = hardness_bins(hardness, k_bins)
            quotas, _ = self_paced_quotas(
                bins, hardness, k_bins, n_min, self_paced_factor(i, n_est), False
            )
            rows = _rows_of(member.fit_X_[member.fit_y_ == 0], X)
            drawn_bins = bins[np.searchsorted(majority, rows)]
            assert_array_equal(np.bincount(drawn_bins, minlength=k_bins), quotas)
            checked += 1
        proba_sum += member.predict_proba(X)[:, 0]
    assert checked == n_est - 1


def test_self_paced_soft_resampling_is_balanced():
    X, y = _binary()
    n_min = np.bincount(y).min()
    clf = SelfPacedEnsembleClassifier(RecordingTree(), n_estimators=4,
                                      soft_resample_flag=True, random_state=0)
    for member in clf.fit(X, y).estimators_:
        assert np.bincount(member.fit_y_).tolist() == [n_min, n_min]
        rows = _rows_of(member.fit_X_, X)
        assert np.unique(rows).size == rows.size


def test_self_paced_replacement_may_repeat_rows():
    X, y = _binary()
    clf = SelfPacedEnsembleClassifier(RecordingTree(), n_estimators=3, replacement=True,
                                      random_state=0)
    member = clf.fit(X, y).estimators_[0]
    rows = _rows_of(member.fit_X_, X)
    assert np.unique(rows).size < rows.size


def test_self_paced_replacement_bootstraps_the_minority_class():
    X, y = _binary()
    n_min = np.bincount(y).min()
    clf = SelfPacedEnsembleClassifier(RecordingTree(), n_estimators=4, replacement=True,
                                      random_state=0).fit(X, y)
    minority = np.flatnonzero(y == 1)
    seen = []
    for member in clf.estimators_:
        assert np.bincount(member.fit_y_).tolist() == [n_min, n_min]
        rows = _rows_of(member.fit_X_, X)[member.fit_y_ == 1]
        assert np.isin(rows, minority).all()
        # a bootstrap: n_min draws, some repeated, so some minority rows left out
        assert np.unique(rows).size < n_min
        seen.append(np.sort(rows))
    assert not np.array_equal(seen[0], seen[1])


def test_self_paced_multiclass_members_are_balanced():
    X, y = make_classification(
        n_samples=600, n_features=6, n_informative=4, n_classes=3,
        weights=[0.7, 0.2, 0.1], flip_y=0, random_state=0,
    )
    n_min = np.bincount(y).min()
    clf = SelfPacedEnsembleClassifier(RecordingTree(), n_estimators=4, random_state=0)
    for member in clf.fit(X, y).estimators_:
        assert np.bincount(member.fit_y_).tolist() == [n_min] * 3
    assert clf.predict_proba(X).shape == (600, 3)


def test_self_paced_custom_hardness_func():
    X, y = _binary()
    calls = []

    def squared(y_true, y_pred):
        calls.append((y_true.copy(), y_pred.copy()))
        return (y_true - y_pred) ** 2

    a = SelfPacedEnsembleClassifier(n_estimators=4, hardness_func=squared, random_state=0)
    b = SelfPacedEnsembleClassifier(n_estimators=4, random_state=0)
    a.fit(X, y)
    # called once per member after the first, on the majority rows only
    assert len(calls) == 3
    n_majority = np.bincount(y)[0]
    for y_true, y_pred in calls:
        assert_array_equal(y_true, np.ones(n_majority))
        assert y_pred.shape == (n_majority,)
        assert ((y_pred >= 0) & (y_pred <= 1)).all()
    assert not np.array_equal(a.predict_proba(X), b.fit(X, y).predict_proba(X))

    def wrong_length(y_true, y_pred):
        return y_pred[:3]

    with pytest.raises(InvalidParameterError, match="hardness_func must return one "
                       "finite, non-negative value per row"):
        SelfPacedEnsembleClassifier(n_estimators=3, hardness_func=wrong_length).fit(X, y)


def test_self_paced_needs_predict_proba():
    X, y = _binary()
    with pytest.raises(InvalidParameterError, match="The 'estimator' parameter of "
                       "SelfPacedEnsembleClassifier must be an object implementing "
                       "'fit' and 'predict_proba'"):
        SelfPacedEnsembleClassifier(LinearSVC()).fit(X, y)


def test_self_paced_sample_weight():
    X, y = _binary()
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=y.size)
    weight_before = weight.copy()
    clf = SelfPacedEnsembleClassifier(RecordingTree(), n_estimators=2, random_state=0)
    member = clf.fit(X, y, sample_weight=weight).estimators_[1]
    assert_array_equal(weight, weight_before)
    assert_array_equal(member.fit_weight_, weight[_rows_of(member.fit_X_, X)])
    with pytest.raises(InvalidParameterError, match="KNeighborsClassifier.fit does not "
                       "accept sample_weight"):
        SelfPacedEnsembleClassifier(KNeighborsClassifier()).fit(X, y, sample_weight=weight)


def test_self_paced_random_state_gives_identical_models():
    X, y = _binary()
    a = SelfPacedEnsembleClassifier(n_estimators=5, random_state=4).fit(X, y)
    b = SelfPacedEnsembleClassifier(n_estimators=5, random_state=4).fit(X, y)
    c = SelfPacedEnsembleClassifier(n_estimators=5, random_state=5).fit(X, y)
    assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert not np.array_equal(a.predict_proba(X), c.predict_proba(X))


def test_self_paced_beats_a_decision_tree_on_g_mean():
    X, y = make_classification(
        n_samples=1500, n_features=10, n_informative=5, weights=[0.93], flip_y=0.02,
        class_sep=0.8, random_state=0,
    )
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, test_size=0.5,
                                              random_state=0)
    tree = DecisionTreeClassifier(random_state=0).fit(X_tr, y_tr)
    clf = SelfPacedEnsembleClassifier(n_estimators=20, random_state=0).fit(X_tr, y_tr)
    tree_score = _g_mean(y_te, tree.predict(X_te))
    assert _g_mean(y_te, clf.predict(X_te)) > tree_score + 0.05


def test_self_paced_bad_input():
    X, y = _binary()
    with pytest.raises(TargetError, match="y has 1 class"):
        SelfPacedEnsembleClassifier().fit(X, np.zeros_like(y))
    clf = SelfPacedEnsembleClassifier(n_estimators=2, random_state=0).fit(X, y)
    with pytest.raises(InvalidInputError, match="X has 4 features, but "
                       "SelfPacedEnsembleClassifier is expecting 5 features"):
        clf.predict_proba(X[:, :4])
