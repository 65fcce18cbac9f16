"""ADASYN and KMeansSMOTE: equality with imbalanced-learn, the methods' own rules, errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.spatial.distance import pdist
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs, make_classification
from sklearn.neighbors import NearestNeighbors

from imbkit.exceptions import (
    NotEnoughSamplesError,
    ResamplingError,
    SamplingStrategyError,
)
from imbkit.over_sampling import ADASYN, KMeansSMOTE
from imbkit.over_sampling._adasyn import adasyn_sample_counts
from imbkit.over_sampling._smote import cluster as cluster_module
from imbkit.over_sampling._smote.cluster import cluster_sparsity

imblearn_over = pytest.importorskip("imblearn.over_sampling")


def _classification(n_classes):
    weights = [0.85] if n_classes == 2 else [0.7, 0.2]
    return make_classification(
        n_samples=400, n_features=6, n_informative=4, n_classes=n_classes,
        weights=weights, random_state=1,
    )


def _blobs(n_classes, seed=0):
    """Four blobs; the minority lives mostly in two of them, so some clusters are excluded."""
    centers = [(-6, 0), (0, 0), (6, 0), (0, 6)]
    X, blob = make_blobs(
        [60, 150, 60, 80], centers=centers, cluster_std=1.5, random_state=seed
    )
    rng = np.random.RandomState(seed)
    y = (rng.uniform(size=len(blob)) < np.array([0.85, 0.05, 0.6, 0.02])[blob]).astype(int)
    if n_classes == 3:
        y[(blob == 3) & (rng.uniform(size=len(blob)) < 0.5)] = 2
    return X, y


def _random_state(kind, seed):
    return seed if kind == "int" else np.random.RandomState(seed)


def _assert_same(expected, got):
    X_exp, y_exp = expected
    X_got, y_got = got
    if sparse.issparse(X_exp):
        assert X_got.format == X_exp.format
        X_exp, X_got = X_exp.toarray(), X_got.toarray()
    assert X_got.dtype == X_exp.dtype
    np.testing.assert_array_equal(X_got, X_exp)
    np.testing.assert_array_equal(y_got, y_exp)


# ---------------------------------------------------------------- oracle equality


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("kind", ["int", "instance"])
def test_adasyn_matches_reference(n_classes, dtype, seed, kind):
    X, y = _classification(n_classes)
    X = X.astype(dtype)
    expected = imblearn_over.ADASYN(random_state=_random_state(kind, seed)).fit_resample(X, y)
    got = ADASYN(random_state=_random_state(kind, seed)).fit_resample(X, y)
    _assert_same(expected, got)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("kind", ["int", "instance"])
@pytest.mark.parametrize("threshold", ["auto", 0.2])
def test_kmeans_smote_matches_reference(n_classes, dtype, seed, kind, threshold):
    X, y = _blobs(n_classes)
    X = X.astype(dtype)
    params = dict(cluster_balance_threshold=threshold, kmeans_estimator=4)
    expected = imblearn_over.KMeansSMOTE(
        random_state=_random_state(kind, seed), **params
    ).fit_resample(X, y)
    got = KMeansSMOTE(random_state=_random_state(kind, seed), **params).fit_resample(X, y)
    _assert_same(expected, got)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"k_neighbors": 4, "density_exponent": 1.5},
        {
            "kmeans_estimator": KMeans(n_clusters=3, n_init=2, random_state=0),
            "cluster_balance_threshold": 0.1,
        },
        {"k_neighbors": NearestNeighbors(n_neighbors=3), "cluster_balance_threshold": 0.0},
        {"kmeans_estimator": 1},
    ],
)
def test_kmeans_smote_parameters_match_reference(params):
    X, y = _blobs(2)
    expected = imblearn_over.KMeansSMOTE(random_state=3, **params).fit_resample(X, y)
    _assert_same(expected, KMeansSMOTE(random_state=3, **params).fit_resample(X, y))


@pytest.mark.parametrize("n_neighbors", [1, 3, NearestNeighbors(n_neighbors=4)])
def test_adasyn_n_neighbors_match_reference(n_neighbors):
    X, y = _classification(3)
    expected = imblearn_over.ADASYN(random_state=2, n_neighbors=n_neighbors).fit_resample(X, y)
    got = ADASYN(random_state=2, n_neighbors=n_neighbors).fit_resample(X, y)
    _assert_same(expected, got)


def test_samplers_match_reference_with_duplicated_rows():
    # duplicates tie distances: the neighbour order then comes from scikit-learn
    X, y = _classification(2)
    X = np.vstack([X, X[y == 1][:20]])
    y = np.concatenate([y, np.ones(20, dtype=y.dtype)])
    for ours, theirs, params in [
        (ADASYN, imblearn_over.ADASYN, {}),
        (KMeansSMOTE, imblearn_over.KMeansSMOTE, {"cluster_balance_threshold": 0.0}),
    ]:
        expected = theirs(random_state=0, **params).fit_resample(X, y)
        _assert_same(expected, ours(random_state=0, **params).fit_resample(X, y))


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_samplers_match_reference_on_sparse_input(fmt):
    X, y = _classification(2)
    X[np.abs(X) < 0.8] = 0
    X = sparse.csr_matrix(X).asformat(fmt)
    for ours, theirs, params in [
        (ADASYN, imblearn_over.ADASYN, {}),
        (KMeansSMOTE, imblearn_over.KMeansSMOTE, {"cluster_balance_threshold": 0.0}),
    ]:
        expected = theirs(random_state=0, **params).fit_resample(X, y)
        _assert_same(expected, ours(random_state=0, **params).fit_resample(X, y))


def test_samplers_pandas_in_pandas_out():
    X, y = _blobs(3)
    X = pd.DataFrame(X, columns=["a", "b"])
    y = pd.Series(y, name="target")
    for ours, theirs, params in [
        (ADASYN, imblearn_over.ADASYN, {}),
        (KMeansSMOTE, imblearn_over.KMeansSMOTE, {"cluster_balance_threshold": 0.0}),
    ]:
        X_exp, y_exp = theirs(random_state=0, **params).fit_resample(X, y)
        sampler = ours(random_state=0, **params)
        X_got, y_got = sampler.fit_resample(X, y)
        assert isinstance(X_got, pd.DataFrame) and isinstance(y_got, pd.Series)
        assert list(X_got.columns) == ["a", "b"] and y_got.name == "target"
        pd.testing.assert_frame_equal(X_got, X_exp)
        pd.testing.assert_series_equal(y_got, y_exp)
        assert list(sampler.feature_names_in_) == ["a", "b"]


def test_parameters_and_constraints_match_reference():
    for ours, theirs in [
        (ADASYN, imblearn_over.ADASYN),
        (KMeansSMOTE, imblearn_over.KMeansSMOTE),
    ]:
        assert ours().get_params() == theirs().get_params()
        assert set(ours._parameter_constraints) == set(theirs._parameter_constraints)


# ---------------------------------------------------------------- the methods' own rules


def _brute_neighbours(query, reference, n_neighbors):
    d2 = ((query[:, None, :] - reference[None, :, :]) ** 2).sum(axis=2)
    return np.argsort(d2, axis=1, kind="stable")[:, :n_neighbors]


def _on_segment(new, starts, candidate_ends):
    """Whether each ``new[i]`` is ``starts[i] + s (e - starts[i])``, s in [0, 1], e a candidate."""
    ok = np.zeros(len(new), dtype=bool)
    for j in range(candidate_ends.shape[1]):
        direction = candidate_ends[:, j] - starts
        offset = new - starts
        norm2 = (direction**2).sum(axis=1)
        s = (offset * direction).sum(axis=1) / np.where(norm2 == 0, 1, norm2)
        residual = np.abs(offset - s[:, None] * direction).max(axis=1)
        ok |= (residual < 1e-9) & (s >= -1e-12) & (s <= 1 + 1e-12)
    return ok


def test_adasyn_counts_and_segments_follow_the_method():
    X, y = _classification(2)
    k, klass = 5, 1
    X_res, y_res = ADASYN(random_state=0, n_neighbors=k).fit_resample(X, y)
    X_class = X[y == klass]
    n_asked = np.sum(y != klass) - len(X_class)
    # the share of each sample: the fraction of its k neighbours in another class
    nns_all = _brute_neighbours(X_class, X, k + 1)[:, 1:]
    ratio = (y[nns_all] != klass).sum(axis=1) / k
    expected_counts = np.rint(ratio / ratio.sum() * n_asked).astype(int)
    counts = adasyn_sample_counts(y[nns_all], klass, n_asked)
    np.testing.assert_array_equal(counts, expected_counts)
    new = X_res[len(X):]
    assert len(new) == expected_counts.sum()
    np.testing.assert_array_equal(y_res[len(X):], np.full(len(new), klass))
    np.testing.assert_array_equal(X_res[: len(X)], X)
    # every new sample: on a segment from its base sample to one of its k class neighbours
    base = np.repeat(np.arange(len(X_class)), expected_counts)
    nns_class = _brute_neighbours(X_class, X_class, k + 1)[:, 1:]
    assert _on_segment(new, X_class[base], X_class[nns_class[base]]).all()


def test_adasyn_counts_round_half_to_even():
    labels = np.array([[1, 0], [0, 1], [1, 1]])
    # shares 0.5 and 0.5 of 1 sample: both round to 0 -> nothing to generate
    with pytest.raises(SamplingStrategyError, match="every share rounds to zero"):
        adasyn_sample_counts(labels, 1, 1)
    np.testing.assert_array_equal(adasyn_sample_counts(labels, 1, 3), [2, 2, 0])


def _expected_cluster_plan(X, labels, y, klass, threshold, k, n_asked):
    """Eligible clusters (rows of the class) and their sample counts, by brute force."""
    eligible, sparsities = [], []
    for cluster in range(labels.max() + 1):
        members = np.flatnonzero(labels == cluster)
        rows = members[y[members] == klass]
        if len(members) == 0 or len(rows) / len(members) < threshold or len(rows) < k + 1:
            continue
        n = len(rows)
        exponent = math.log(n, 1.6) ** 1.8 * 0.16
        sparsities.append(pdist(X[rows]).mean() ** exponent / n)
        eligible.append(rows)
    weights = np.array(sparsities) / np.sum(sparsities)
    return eligible, [math.ceil(n_asked * w) for w in weights]


def test_kmeans_smote_samples_come_from_eligible_clusters_only():
    X, y = _blobs(2)
    k, klass, threshold = 2, 1, 0.2
    sampler = KMeansSMOTE(random_state=0, kmeans_estimator=4, cluster_balance_threshold=threshold)
    X_res, y_res = sampler.fit_resample(X, y)
    labels = sampler.kmeans_estimator_.labels_
    n_asked = np.sum(y != klass) - np.sum(y == klass)
    eligible, counts = _expected_cluster_plan(X, labels, y, klass, threshold, k, n_asked)
    has_class = {c for c in range(4) if np.any((labels == c) & (y == klass))}
    assert 0 < len(eligible) < len(has_class)  # some clusters with the class are skipped
    assert len(X_res) == len(X) + sum(counts)
    np.testing.assert_array_equal(y_res[len(X):], klass)
    start = len(X)
    for rows, n_new in zip(eligible, counts):
        new = X_res[start : start + n_new]
        start += n_new
        X_cluster = X[rows]
        nns = _brute_neighbours(X_cluster, X_cluster, k + 1)[:, 1:]
        # each new sample starts from some class sample of this cluster
        on_any = np.zeros(len(new), dtype=bool)
        for i in range(len(X_cluster)):
            base = np.repeat(X_cluster[i : i + 1], len(new), axis=0)
            ends = np.repeat(X_cluster[nns[i]][None], len(new), axis=0)
            on_any |= _on_segment(new, base, ends)
        assert on_any.all()


def test_cluster_sparsity_formula():
    X = np.random.RandomState(0).normal(size=(30, 3))
    n = len(X)
    expected = pdist(X).mean() ** (math.log(n, 1.6) ** 1.8 * 0.16) / n
    assert cluster_sparsity(X) == pytest.approx(expected, rel=1e-12)
    assert float(cluster_sparsity(X, density_exponent=1.0)) == pytest.approx(
        pdist(X).mean() / n, rel=1e-12
    )


def test_cluster_sparsity_chunked_path_agrees(monkeypatch):
    X = np.random.RandomState(0).normal(size=(300, 4))
    exact = cluster_sparsity(X)
    monkeypatch.setattr(cluster_module, "_EXACT_BYTES", 0)
    # only the summation order differs: equal to rounding
    assert cluster_sparsity(X) == pytest.approx(exact, rel=1e-12)


# ---------------------------------------------------------------- attributes


def test_fitted_attributes():
    X, y = _blobs(2)
    ada = ADASYN(n_neighbors=3).fit(X, y)
    assert dict(ada.sampling_strategy_) == {1: np.sum(y == 0) - np.sum(y == 1)}
    ada.fit_resample(X, y)
    assert ada.nn_.n_neighbors == 4 and ada.n_features_in_ == 2
    sampler = KMeansSMOTE(random_state=0, density_exponent=2.0)
    sampler.fit_resample(X, y)
    assert sampler.kmeans_estimator_.n_clusters == 8
    assert sampler.kmeans_estimator_.random_state == 0
    assert sampler.nn_k_.n_neighbors == 3
    assert sampler.cluster_balance_threshold_ == "auto"
    assert sampler.density_exponent_ == 2.0
    single = KMeansSMOTE(random_state=0, kmeans_estimator=1).fit_resample(X, y)
    assert single[0].shape[0] == 2 * np.sum(y == 0)


def test_kmeans_estimator_accepts_numpy_int():
    # imbalanced-learn 0.14 fails here (it tests isinstance(int))
    X, y = _blobs(2)
    expected = KMeansSMOTE(random_state=0, kmeans_estimator=4).fit_resample(X, y)
    got = KMeansSMOTE(random_state=0, kmeans_estimator=np.int64(4)).fit_resample(X, y)
    _assert_same(expected, got)


# ---------------------------------------------------------------- errors


def test_adasyn_error_when_no_neighbour_of_another_class():
    X, y = make_blobs([50, 20], centers=[(0, 0), (100, 100)], random_state=0)
    with pytest.raises(RuntimeError):
        imblearn_over.ADASYN().fit_resample(X, y)
    with pytest.raises(ResamplingError, match="none of the 5 nearest neighbours") as info:
        ADASYN().fit_resample(X, y)
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, ValueError)
    assert "class 1" in str(info.value) and "use SMOTE instead" in str(info.value)


def test_adasyn_error_when_rounding_leaves_nothing():
    X, y = _classification(2)
    n_minority = int(np.sum(y == 1))
    strategy = {1: n_minority + 1}
    with pytest.raises(ValueError, match="No samples will be generated"):
        imblearn_over.ADASYN(sampling_strategy=strategy).fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match="every share rounds to zero"):
        ADASYN(sampling_strategy=strategy).fit_resample(X, y)


def test_adasyn_error_when_class_too_small():
    X, y = _classification(2)
    y = y.copy()
    y[y == 1] = 0
    y[:4] = 1
    message = r"Class 1 has 4 sample\(s\), but n_neighbors=5"
    with pytest.raises(NotEnoughSamplesError, match=message):
        ADASYN().fit_resample(X, y)


def test_kmeans_smote_error_when_no_cluster_is_eligible():
    X, y = _blobs(2)
    params = dict(random_state=0, cluster_balance_threshold=0.99, kmeans_estimator=4)
    with pytest.raises(RuntimeError, match="No clusters found"):
        imblearn_over.KMeansSMOTE(**params).fit_resample(X, y)
    with pytest.raises(ResamplingError, match="cluster_balance_threshold=0.0") as info:
        KMeansSMOTE(**params).fit_resample(X, y)
    assert isinstance(info.value, RuntimeError)
    assert "class 1" in str(info.value) and "at least 0.99" in str(info.value)


@pytest.mark.parametrize(
    "sampler",
    [
        ADASYN(n_neighbors=0),
        KMeansSMOTE(kmeans_estimator="many"),
        KMeansSMOTE(cluster_balance_threshold="high"),
        KMeansSMOTE(density_exponent=None),
    ],
)
def test_invalid_parameters_are_refused(sampler):
    X, y = _blobs(2)
    with pytest.raises(ValueError):
        sampler.fit_resample(X, y)
