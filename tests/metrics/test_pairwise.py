"""ValueDifferenceMetric: the reference's values, hand-computed distances, errors."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.neighbors import NearestNeighbors

from imbkit.exceptions import InvalidInputError
from imbkit.metrics import ValueDifferenceMetric
from imbkit.metrics.pairwise import (
    value_difference_distances,
    value_difference_kneighbors,
    value_difference_tables,
)

reference = pytest.importorskip("imblearn.metrics.pairwise")


def _random_codes(seed, n_samples, n_categories, n_classes):
    rng = np.random.RandomState(seed)
    X = np.column_stack([rng.randint(0, c, n_samples) for c in n_categories])
    return X, rng.randint(0, n_classes, n_samples)


# --- the reference's values -------------------------------------------------------


@pytest.mark.parametrize(
    "seed, n_samples, n_categories, n_classes",
    [
        (0, 50, [3, 2, 5], 2),
        (1, 120, [4, 4], 3),
        (2, 400, [6, 2, 3, 7], 11),  # >= 8 classes; large enough for scipy's loop branch
        (3, 7, [1, 3], 2),
    ],
)
@pytest.mark.parametrize("k, r", [(1, 2), (2, 1), (3, 3)])
def test_vdm_matches_reference(seed, n_samples, n_categories, n_classes, k, r):
    X, y = _random_codes(seed, n_samples, n_categories, n_classes)
    ours = ValueDifferenceMetric(k=k, r=r).fit(X, y)
    theirs = reference.ValueDifferenceMetric(k=k, r=r).fit(X, y)
    assert np.array_equal(ours.n_categories_, theirs.n_categories_)
    assert len(ours.proba_per_class_) == len(theirs.proba_per_class_)
    for mine, ref in zip(ours.proba_per_class_, theirs.proba_per_class_):
        assert mine.dtype == np.float64 and np.array_equal(mine, ref)
    Y = X[np.random.RandomState(seed).permutation(n_samples)[: max(1, n_samples // 3)]]
    assert np.array_equal(ours.pairwise(X), theirs.pairwise(X))
    assert np.array_equal(ours.pairwise(X, Y), theirs.pairwise(X, Y))


def test_vdm_given_n_categories_matches_reference():
    X, y = _random_codes(4, 60, [3, 2], 2)
    n_categories = [5, 2]  # unused categories get zero rows
    ours = ValueDifferenceMetric(n_categories=n_categories).fit(X, y)
    theirs = reference.ValueDifferenceMetric(n_categories=n_categories).fit(X, y)
    assert np.array_equal(ours.n_categories_, [5, 2])
    assert np.array_equal(ours.proba_per_class_[0][3:], np.zeros((2, 2)))
    for mine, ref in zip(ours.proba_per_class_, theirs.proba_per_class_):
        assert np.array_equal(mine, ref)
    Y = np.array([[4, 1], [3, 0]])
    assert np.array_equal(ours.pairwise(X, Y), theirs.pairwise(X, Y))


def test_vdm_string_labels_match_reference():
    X, y = _random_codes(5, 80, [3, 3], 3)
    labels = np.array(["low", "mid", "high"])[y]
    ours = ValueDifferenceMetric().fit(X, labels)
    theirs = reference.ValueDifferenceMetric().fit(X, labels)
    assert np.array_equal(ours.pairwise(X), theirs.pairwise(X))


# --- the definition ---------------------------------------------------------------


def test_vdm_hand_computed_distances():
    # category 0: classes (2, 0) -> P = (1, 0); category 1: (1, 1) -> (.5, .5);
    # category 2: (0, 1) -> (0, 1). With k=1, r=2: d(0, 1) = (.5 + .5)**2 = 1.
    X = np.array([[0], [0], [1], [1], [2]])
    y = np.array([0, 0, 0, 1, 1])
    vdm = ValueDifferenceMetric().fit(X, y)
    assert np.array_equal(vdm.proba_per_class_[0], [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    assert np.array_equal(
        vdm.pairwise(np.array([[0], [1], [2]])),
        [[0.0, 1.0, 4.0], [1.0, 0.0, 1.0], [4.0, 1.0, 0.0]],
    )


def test_vdm_sums_features():
    X, y = _random_codes(6, 40, [3, 4], 2)
    both = ValueDifferenceMetric().fit(X, y).pairwise(X)
    first = ValueDifferenceMetric().fit(X[:, :1], y).pairwise(X[:, :1])
    second = ValueDifferenceMetric().fit(X[:, 1:], y).pairwise(X[:, 1:])
    np.testing.assert_allclose(both, first + second, rtol=1e-15)


def test_value_difference_distances_writes_into_out():
    X, y = _random_codes(7, 30, [3, 2], 2)
    vdm = ValueDifferenceMetric().fit(X, y)
    tables = value_difference_tables(vdm.proba_per_class_, vdm.k, vdm.r)
    out = np.full((5, 30), np.nan)
    result = value_difference_distances(tables, X[:5], X, out=out)
    assert result is out
    assert np.array_equal(out, vdm.pairwise(X[:5], X))


@pytest.mark.parametrize("memory_budget", [8 * 200 * 7, 1 << 25])  # blocks of 7 rows; one
@pytest.mark.parametrize("n_neighbors", [1, 6, 200])
def test_value_difference_kneighbors_matches_precomputed_estimator(memory_budget, n_neighbors):
    X, y = _random_codes(8, 200, [3, 2, 2], 2)  # few distinct rows: many tied distances
    vdm = ValueDifferenceMetric().fit(X, y)
    tables = value_difference_tables(vdm.proba_per_class_, vdm.k, vdm.r)
    dist = vdm.pairwise(X)
    expected = NearestNeighbors(n_neighbors=n_neighbors, metric="precomputed").fit(dist)
    expected = expected.kneighbors(dist, return_distance=False)
    found = value_difference_kneighbors(tables, X, n_neighbors, memory_budget=memory_budget)
    assert np.array_equal(found, expected)


# --- errors -----------------------------------------------------------------------


def test_vdm_negative_codes_raise():
    with pytest.raises(InvalidInputError, match="negative values.*OrdinalEncoder"):
        ValueDifferenceMetric().fit(np.array([[0], [-1]]), [0, 1])


def test_vdm_code_beyond_n_categories_raises():
    with pytest.raises(InvalidInputError, match="code 2 in feature 0, which has 2 categories"):
        ValueDifferenceMetric(n_categories=[2]).fit(np.array([[0], [2]]), [0, 1])
    vdm = ValueDifferenceMetric().fit(np.array([[0], [1]]), [0, 1])
    with pytest.raises(InvalidInputError, match="code 5 in feature 0"):
        vdm.pairwise(np.array([[5]]))


def test_vdm_n_categories_length_mismatch_raises():
    with pytest.raises(InvalidInputError, match="n_categories has 3 entries but X has 1"):
        ValueDifferenceMetric(n_categories=[2, 2, 2]).fit(np.array([[0], [1]]), [0, 1])


def test_vdm_pairwise_feature_mismatch_raises():
    vdm = ValueDifferenceMetric().fit(np.array([[0], [1]]), [0, 1])
    with pytest.raises(InvalidInputError, match="X has 2 features, but .* fitted with 1"):
        vdm.pairwise(np.array([[0, 1]]))


def test_vdm_pairwise_before_fit_raises():
    with pytest.raises(NotFittedError):
        ValueDifferenceMetric().pairwise(np.array([[0]]))


def test_vdm_parameters_are_validated():
    with pytest.raises(ValueError, match="'k' parameter"):
        ValueDifferenceMetric(k=1.5).fit(np.array([[0], [1]]), [0, 1])
    assert ValueDifferenceMetric._parameter_constraints.keys() == (
        reference.ValueDifferenceMetric._parameter_constraints.keys()
    )
