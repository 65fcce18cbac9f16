"""SMOTE and RandomOverSampler: oracle equality with imbalanced-learn and their own rules."""

import numpy as np
import pytest
from imblearn import over_sampling as peer
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from imbkit.datasets import load_yeast_me2
from imbkit.exceptions import (
    NonFiniteInputError,
    NonNumericDataError,
    NotEnoughSamplesError,
    SamplingStrategyError,
)
from imbkit.over_sampling import SMOTE, RandomOverSampler


def _data(kind, seed, dtype=np.float64):
    if kind == "binary":
        X, y = make_classification(n_samples=600, n_features=5, n_informative=3,
                                   weights=[0.85], random_state=seed)
    elif kind == "multiclass":
        X, y = make_classification(n_samples=900, n_features=6, n_informative=4,
                                   n_classes=3, weights=[0.7, 0.2], random_state=seed)
    elif kind == "ties":  # integer grid: many equal distances and duplicate rows
        rng = np.random.RandomState(seed)
        X = rng.randint(0, 3, size=(400, 3)).astype(float)
        y = (rng.uniform(size=400) < 0.2).astype(int)
    else:  # the bundled real dataset (has duplicate rows)
        X, y = load_yeast_me2(return_X_y=True)
    return X.astype(dtype), y


CASES = [(k, s, d) for k in ("binary", "multiclass", "ties", "real")
         for s in (0, 7) for d in (np.float64, np.float32)]


@pytest.mark.parametrize("kind, seed, dtype", CASES)
def test_smote_matches_imblearn(kind, seed, dtype):
    X, y = _data(kind, seed, dtype)
    X_ref, y_ref = peer.SMOTE(random_state=seed).fit_resample(X, y)
    X_res, y_res = SMOTE(random_state=seed).fit_resample(X, y)
    assert X_res.dtype == X.dtype
    assert np.array_equal(X_res, X_ref)
    assert np.array_equal(y_res, y_ref)


@pytest.mark.parametrize("kind, seed, dtype", CASES)
@pytest.mark.parametrize("shrinkage", [None, 0.7])
def test_random_over_sampler_matches_imblearn(kind, seed, dtype, shrinkage):
    X, y = _data(kind, seed, dtype)
    ref = peer.RandomOverSampler(random_state=seed, shrinkage=shrinkage)
    ours = RandomOverSampler(random_state=seed, shrinkage=shrinkage)
    X_ref, y_ref = ref.fit_resample(X, y)
    X_res, y_res = ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert np.array_equal(y_res, y_ref)
    # float32 with shrinkage: imblearn returns float64, imbkit keeps float32
    assert np.array_equal(X_res, X_ref.astype(X_res.dtype))


def test_random_over_sampler_shrinkage_keeps_float32_unlike_imblearn():
    X, y = _data("binary", 0, np.float32)
    X_ref, _ = peer.RandomOverSampler(random_state=0, shrinkage=1.0).fit_resample(X, y)
    X_res, _ = RandomOverSampler(random_state=0, shrinkage=1.0).fit_resample(X, y)
    assert X_ref.dtype == np.float64  # the reference's up-cast
    assert X_res.dtype == np.float32
    assert np.array_equal(X_res, X_ref.astype(np.float32))


@pytest.mark.parametrize("strategy", ["minority", "not majority", "all", 0.8,
                                      {0: 700, 1: 400, 2: 300}])
def test_smote_strategies_match_imblearn(strategy):
    X, y = _data("multiclass", 3)
    if isinstance(strategy, float):
        keep = y < 2
        X, y = X[keep], y[keep]
    if isinstance(strategy, dict):
        counts = np.bincount(y)
        strategy = {k: max(v, counts[k]) for k, v in strategy.items()}
    X_ref, y_ref = peer.SMOTE(sampling_strategy=strategy, random_state=1).fit_resample(X, y)
    X_res, y_res = SMOTE(sampling_strategy=strategy, random_state=1).fit_resample(X, y)
    assert np.array_equal(X_res, X_ref) and np.array_equal(y_res, y_ref)


def test_smote_random_state_instance_matches_imblearn():
    X, y = _data("multiclass", 0)
    X_ref, _ = peer.SMOTE(random_state=np.random.RandomState(5)).fit_resample(X, y)
    X_res, _ = SMOTE(random_state=np.random.RandomState(5)).fit_resample(X, y)
    assert np.array_equal(X_res, X_ref)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_smote_sparse_matches_imblearn_and_keeps_format(fmt):
    X, y = _data("binary", 2)
    X[np.abs(X) < 0.8] = 0.0
    Xs = sparse.csr_matrix(X).asformat(fmt)
    X_ref, _ = peer.SMOTE(random_state=0).fit_resample(Xs, y)
    X_res, _ = SMOTE(random_state=0).fit_resample(Xs, y)
    assert X_res.format == fmt
    assert np.array_equal(X_res.toarray(), X_ref.toarray())


def test_smote_with_neighbors_object_matches_imblearn():
    X, y = _data("binary", 4)
    nn = NearestNeighbors(n_neighbors=4)
    X_ref, _ = peer.SMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y)
    X_res, _ = SMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y)
    assert np.array_equal(X_res, X_ref)


def test_smote_samples_lie_on_segments_to_same_class_neighbours():
    X, y = _data("binary", 11)
    k = 5
    X_res, y_res = SMOTE(k_neighbors=k, random_state=3).fit_resample(X, y)
    X_min = X[y == 1]
    neighbours = NearestNeighbors(n_neighbors=k + 1).fit(X_min).kneighbors(
        X_min, return_distance=False)[:, 1:]
    new = X_res[len(X):]
    assert np.all(y_res[len(X):] == 1)
    for sample in new[:200]:
        # some minority sample x and one of its k neighbours n with sample = x + t (n - x)
        found = False
        for i in range(len(X_min)):
            d = X_min[neighbours[i]] - X_min[i]
            t = (d @ (sample - X_min[i])) / np.einsum("ij,ij->i", d, d)
            on_segment = np.abs(X_min[i] + t[:, None] * d - sample).max(axis=1) < 1e-9
            if np.any(on_segment & (t >= 0) & (t <= 1)):
                found = True
                break
        assert found


def test_over_samplers_keep_originals_first():
    X, y = _data("multiclass", 1)
    for sampler in (SMOTE(random_state=0), RandomOverSampler(random_state=0)):
        X_res, y_res = sampler.fit_resample(X, y)
        assert np.array_equal(X_res[: len(X)], X) and np.array_equal(y_res[: len(y)], y)
        assert np.bincount(y_res).tolist() == [np.bincount(y).max()] * 3


def test_smote_errors_are_clear():
    X, y = _data("binary", 0)
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:4]]  # 4 minority rows
    with pytest.raises(NotEnoughSamplesError, match=r"Class 1 has 4 sample\(s\), but k_neigh"):
        SMOTE().fit_resample(X[keep], y[keep])
    X_nan = X.copy()
    X_nan[3, 2] = np.nan
    with pytest.raises(NonFiniteInputError, match=r"NaN or infinity .* row 3, column 2"):
        SMOTE().fit_resample(X_nan, y)
    with pytest.raises(NonNumericDataError, match="SMOTENC"):
        SMOTE().fit_resample(np.array([["a", 1.0], ["b", 2.0]] * 10, dtype=object),
                             [0, 1] * 10)
    with pytest.raises(SamplingStrategyError, match="cannot shrink class 0"):
        SMOTE(sampling_strategy={0: 10}).fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match=r"class\(es\) \[5\]"):
        SMOTE(sampling_strategy={5: 1000}).fit_resample(X, y)
