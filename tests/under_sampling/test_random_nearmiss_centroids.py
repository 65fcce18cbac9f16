"""RandomUnderSampler, NearMiss and ClusterCentroids: oracle equality, own rules, errors."""

import warnings

import numpy as np
import pytest
from imblearn import under_sampling as peer
from scipy import sparse
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from imbkit.datasets import load_yeast_me2
from imbkit.exceptions import (
    ImbalanceWarning,
    InvalidInputError,
    NonFiniteInputError,
    NotEnoughSamplesError,
    ResamplingError,
    SamplingStrategyError,
)
from imbkit.under_sampling import _nearmiss
from imbkit.under_sampling._cluster_centroids import ClusterCentroids
from imbkit.under_sampling._nearmiss import (
    NearMiss,
    extreme_sq_distances,
    rank_like_reference,
    reference_sums,
    sum_intervals,
)
from imbkit.under_sampling._random import RandomUnderSampler


def _data(kind, seed=0, dtype=np.float64):
    rng = np.random.RandomState(seed)
    if kind == "binary":  # continuous, 8 features: scikit-learn uses a k-d tree
        X, y = make_classification(n_samples=700, n_features=8, n_informative=4,
                                   weights=[0.85], random_state=seed)
    elif kind == "wide":  # continuous, 20 features: brute force (BLAS)
        X, y = make_classification(n_samples=900, n_features=20, n_informative=5,
                                   weights=[0.8], random_state=seed)
    elif kind == "multiclass":
        X, y = make_classification(n_samples=900, n_features=6, n_informative=4,
                                   n_classes=3, weights=[0.6, 0.3], random_state=seed)
    elif kind == "ties":  # integer grid: equal distances and duplicate rows
        X = rng.randint(0, 3, size=(500, 3)).astype(float)
        y = (rng.uniform(size=500) < 0.2).astype(int)
    elif kind == "wide_ties":  # ties on the brute-force path, classes over 256 rows
        X = rng.randint(0, 2, size=(1200, 16)).astype(float)
        y = rng.choice(3, size=1200, p=[0.55, 0.35, 0.1])
    else:  # the bundled real dataset (duplicate rows)
        X, y = load_yeast_me2(return_X_y=True)
    return X.astype(dtype), y


def _pairwise_sq(A, B):
    return ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2)


def _pairwise(A, B):
    return np.sqrt(_pairwise_sq(A, B))


# ------------------------------------------------------------------ RandomUnderSampler


@pytest.mark.parametrize("kind", ["binary", "multiclass", "ties", "real"])
@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize("strategy", ["auto", "all", "majority"])
def test_random_under_sampler_matches_imblearn(kind, replacement, strategy):
    X, y = _data(kind, 3)
    ref = peer.RandomUnderSampler(random_state=3, replacement=replacement,
                                  sampling_strategy=strategy)
    ours = RandomUnderSampler(random_state=3, replacement=replacement,
                              sampling_strategy=strategy)
    X_ref, y_ref = ref.fit_resample(X, y)
    X_res, y_res = ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert ours.sample_indices_.dtype == np.int64
    assert np.array_equal(X_res, X_ref) and np.array_equal(y_res, y_ref)


def test_random_under_sampler_random_state_instance_and_dict_strategy():
    X, y = _data("multiclass", 1)
    strategy = {0: 40, 1: 25, 2: 10}
    rng_ref, rng_ours = np.random.RandomState(5), np.random.RandomState(5)
    ref = peer.RandomUnderSampler(random_state=rng_ref, sampling_strategy=strategy)
    ours = RandomUnderSampler(random_state=rng_ours, sampling_strategy=strategy)
    for _ in range(2):  # the shared generator is advanced identically
        ref.fit_resample(X, y)
        ours.fit_resample(X, y)
        assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert rng_ref.randint(1 << 30) == rng_ours.randint(1 << 30)
    assert np.bincount(y[ours.sample_indices_]).tolist() == [40, 25, 10]


def test_random_under_sampler_float_strategy_and_global_seed():
    X, y = _data("binary", 2)
    np.random.seed(11)
    ref = peer.RandomUnderSampler(sampling_strategy=0.5).fit(X, y)
    ref.fit_resample(X, y)
    np.random.seed(11)
    ours = RandomUnderSampler(sampling_strategy=0.5)
    ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    n_min = int(np.bincount(y).min())
    assert np.bincount(y[ours.sample_indices_]).tolist() == [2 * n_min, n_min]


def test_random_under_sampler_strings_nan_and_string_labels_like_imblearn():
    rng = np.random.RandomState(0)
    X = np.array([["a", 1.0], ["b", np.nan], ["c", 2.0]] * 20, dtype=object)
    y = np.array(["cat", "dog", "dog", "dog", "emu", "emu"] * 10)
    X[rng.permutation(60)[:5], 1] = np.nan
    X_ref, y_ref = peer.RandomUnderSampler(random_state=0).fit_resample(X, y)
    X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X, y)
    assert X_res.dtype == object and X_res.shape == (30, 2)
    assert np.array_equal(y_res, y_ref)
    assert all(str(a) == str(b) for a, b in zip(X_res.ravel(), X_ref.ravel(), strict=True))


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_random_under_sampler_sparse_like_imblearn(fmt):
    X, y = _data("multiclass", 4)
    Xs = sparse.random(X.shape[0], 6, density=0.3, format=fmt, random_state=0)
    X_ref, _ = peer.RandomUnderSampler(random_state=0).fit_resample(Xs, y)
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(Xs, y)
    assert X_res.format == X_ref.format == fmt
    assert np.array_equal(X_res.toarray(), X_ref.toarray())


def test_random_under_sampler_pandas_like_imblearn():
    pd = pytest.importorskip("pandas")
    X, y = _data("multiclass", 6)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    ys = pd.Series(y, name="target")
    X_ref, y_ref = peer.RandomUnderSampler(random_state=0).fit_resample(df, ys)
    X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(df, ys)
    pd.testing.assert_frame_equal(X_res, X_ref)
    pd.testing.assert_series_equal(y_res, y_ref)


def test_random_under_sampler_own_rule():
    X, y = _data("multiclass", 8)
    ours = RandomUnderSampler(random_state=0, sampling_strategy={0: 30, 1: 20})
    X_res, y_res = ours.fit_resample(X, y)
    idx = ours.sample_indices_
    n2 = int(np.sum(y == 2))
    assert np.bincount(y_res).tolist() == [30, 20, n2]
    assert np.array_equal(X_res, X[idx]) and np.array_equal(y_res, y[idx])
    assert np.unique(idx).size == idx.size  # without replacement
    # classes in sorted order, an untouched class kept whole and in order
    assert np.array_equal(idx[50:], np.flatnonzero(y == 2))
    assert set(y[idx[:30]]) == {0} and set(y[idx[30:50]]) == {1}


def test_random_under_sampler_refuses_to_grow_a_class():
    X, y = _data("binary", 0)
    n_min = int(np.bincount(y).min())
    with pytest.raises(SamplingStrategyError, match="An under-sampler cannot grow class 1"):
        RandomUnderSampler(sampling_strategy={1: n_min + 1}).fit_resample(X, y)


# ----------------------------------------------------------------- NearMiss: oracle


NEARMISS_CASES = [(kind, seed) for kind in ("binary", "wide", "multiclass", "ties")
                  for seed in (0, 1)] + [("real", 0), ("wide_ties", 0), ("wide_ties", 1)]


@pytest.mark.parametrize("kind, seed", NEARMISS_CASES)
@pytest.mark.parametrize("version", [1, 2, 3])
def test_nearmiss_matches_imblearn(kind, seed, version):
    X, y = _data(kind, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NearMiss-3 short-lists
        for k in (1, 3):
            ref = peer.NearMiss(version=version, n_neighbors=k)
            ours = NearMiss(version=version, n_neighbors=k)
            X_ref, y_ref = ref.fit_resample(X, y)
            X_res, y_res = ours.fit_resample(X, y)
            assert np.array_equal(ours.sample_indices_, ref.sample_indices_), k
            assert np.array_equal(X_res, X_ref) and np.array_equal(y_res, y_ref)


@pytest.mark.parametrize("version", [1, 2, 3])
def test_nearmiss_float32_and_other_neighbour_counts_match_imblearn(version):
    for kind in ("binary", "ties"):
        X, y = _data(kind, 2, np.float32)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = peer.NearMiss(version=version, n_neighbors=5, n_neighbors_ver3=2)
            ours = NearMiss(version=version, n_neighbors=5, n_neighbors_ver3=2)
            ref.fit_resample(X, y)
            X_res, _ = ours.fit_resample(X, y)
        assert X_res.dtype == np.float32
        assert np.array_equal(ours.sample_indices_, ref.sample_indices_)


@pytest.mark.parametrize("version", [1, 2, 3])
def test_nearmiss_estimator_sparse_and_strategy_variants_match_imblearn(version):
    X, y = _data("multiclass", 3)
    variants = [
        {"n_neighbors": NearestNeighbors(n_neighbors=2, metric="manhattan")},
        {"sampling_strategy": "all"},  # the minority class ranks against itself
        {"sampling_strategy": {0: 50, 2: 10}},
    ]
    for params in variants:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = peer.NearMiss(version=version, **params)
            ours = NearMiss(version=version, **params)
            ref.fit_resample(X, y)
            ours.fit_resample(X, y)
        assert np.array_equal(ours.sample_indices_, ref.sample_indices_), params
    Xs = sparse.csr_matrix(np.where(np.abs(X) > 0.8, X, 0.0))
    ref, ours = peer.NearMiss(version=version), NearMiss(version=version)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_ref, _ = ref.fit_resample(Xs, y)
        X_res, _ = ours.fit_resample(Xs, y)
    assert sparse.issparse(X_res)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert np.array_equal(X_res.toarray(), X_ref.toarray())


def test_nearmiss_minority_is_first_seen_among_equal_classes():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 4))
    y = np.array([2] * 20 + [0] * 50 + [1] * 20)
    rng.shuffle(y[20:])  # class 2 is seen first, class 1 later
    ref = peer.NearMiss(sampling_strategy={0: 20})
    ours = NearMiss(sampling_strategy={0: 20})
    ref.fit_resample(X, y)
    ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)


def test_nearmiss_pandas_like_imblearn():
    pd = pytest.importorskip("pandas")
    X, y = _data("binary", 5)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    X_ref, y_ref = peer.NearMiss(version=2).fit_resample(df, pd.Series(y))
    X_res, y_res = NearMiss(version=2).fit_resample(df, pd.Series(y))
    pd.testing.assert_frame_equal(X_res, X_ref)
    pd.testing.assert_series_equal(y_res, y_ref)


def test_nearmiss_version3_short_list_warning_like_imblearn():
    X, y = _data("binary", 1)
    ref = peer.NearMiss(version=3, n_neighbors_ver3=1)
    with pytest.warns(UserWarning):
        ref.fit_resample(X, y)
    ours = NearMiss(version=3, n_neighbors_ver3=1)
    with pytest.warns(ImbalanceWarning, match=r"short-listed only \d+ samples"):
        ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert np.sum(y[ours.sample_indices_] == 0) < np.sum(y == 1)


def test_nearmiss_version2_more_neighbours_than_minority_like_imblearn():
    X, y = _data("ties", 0)
    n_min = int(np.bincount(y).min())
    ref = peer.NearMiss(version=2, n_neighbors=n_min + 5)
    ours = NearMiss(version=2, n_neighbors=n_min + 5)
    ref.fit_resample(X, y)
    ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)


# -------------------------------------------------------------- NearMiss: own rules


def _mean_distances(X, y, rows, k, farthest=False):
    minority = X[y == 1]
    dist = np.sort(_pairwise(X[rows], minority), axis=1)
    return (dist[:, -k:] if farthest else dist[:, :k]).mean(axis=1)


@pytest.mark.parametrize("version", [1, 2])
def test_nearmiss_1_and_2_keep_smallest_mean_distances(version):
    X, y = _data("binary", 4)
    majority = np.flatnonzero(y == 0)
    n_min = int(np.sum(y == 1))
    means = _mean_distances(X, y, majority, 3, farthest=version == 2)
    expected = majority[np.argsort(means, kind="stable")[:n_min]]
    ours = NearMiss(version=version)
    ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_[:n_min], expected)
    assert np.array_equal(ours.sample_indices_[n_min:], np.flatnonzero(y == 1))


def test_nearmiss_3_keeps_farthest_of_the_short_list():
    X, y = _data("binary", 6)
    majority, minority = np.flatnonzero(y == 0), np.flatnonzero(y == 1)
    near = np.argsort(_pairwise(X[minority], X[majority]), axis=1)[:, :3]
    short = majority[np.unique(near)]
    means = _mean_distances(X, y, short, 3)
    expected = short[np.argsort(-means, kind="stable")[: minority.size]]
    ours = NearMiss(version=3)
    ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_[: minority.size], expected)


# ------------------------------------------------------------- NearMiss: the kernels


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(400, 300, 6, 3), (300, 40, 4, 3), (200, 500, 3, 12)])
def test_extreme_sq_distances_equal_brute_force(dtype, shape):
    n_q, n_r, d, k = shape
    rng = np.random.RandomState(n_q)
    Q = (rng.normal(size=(n_q, d)) * 3 + 50).astype(dtype)
    R = (rng.normal(size=(n_r, d)) + 50).astype(dtype)
    full = np.sort(_pairwise_sq(Q.astype(float), R.astype(float)), axis=1)
    for largest in (True, False):
        got = extreme_sq_distances(Q, R, k, largest=largest, n_workers=2)
        expected = full[:, -k:] if largest else full[:, :k]
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


def test_extreme_sq_distances_with_masses_of_ties():
    rng = np.random.RandomState(0)
    Q = rng.randint(0, 3, size=(700, 3)).astype(float)
    R = rng.randint(0, 3, size=(400, 3)).astype(float)
    full = np.sort(_pairwise_sq(Q, R), axis=1)
    assert np.array_equal(extreme_sq_distances(Q, R, 3, largest=True), full[:, -3:])
    assert np.array_equal(extreme_sq_distances(Q, R, 3, largest=False), full[:, :3])


@pytest.mark.parametrize("n_features", [5, 20])
def test_sum_intervals_hold_scikit_learn_sums(n_features):
    rng = np.random.RandomState(1)
    Q = rng.normal(size=(600, n_features)) + 10
    R = rng.normal(size=(200, n_features)) + 10
    nn = NearestNeighbors(n_neighbors=3).fit(R)
    for largest, n_asked in ((False, 3), (True, 200)):
        sq = extreme_sq_distances(Q, R, 3, largest=largest)
        sums, low, high = sum_intervals(sq, Q, R)
        theirs = reference_sums(nn, Q, n_asked, 3)
        assert np.all((low <= theirs) & (theirs <= high))
        assert np.all((low <= sums) & (sums <= high))


def test_reference_sums_by_chunk_are_bitwise_the_whole_call():
    rng = np.random.RandomState(2)
    Q = rng.normal(size=(1100, 20)) * 4 - 3
    R = rng.normal(size=(150, 20))
    nn = NearestNeighbors(n_neighbors=3).fit(R)
    whole = reference_sums(nn, Q, 150, 3)
    rows = np.array([0, 5, 300, 1099])
    assert np.array_equal(reference_sums(nn, Q, 150, 3, rows), whole[rows])


def test_rank_like_reference_recomputes_only_overlapping_rows():
    sums = np.array([5.0, 1.0, 3.0, 3.0, 9.0, 2.0, 3.0])
    low, high = sums - 0.1, sums + 0.1
    asked = []

    def exact(rows):
        asked.append(sorted(rows.tolist()))
        return np.array([{2: 3.0, 3: 2.9, 6: 3.0}[r] for r in rows])

    ranked = rank_like_reference(sums, low, high, 4, False, exact)
    assert asked == [[2, 3, 6]]
    assert ranked.tolist() == [1, 5, 3, 2]  # equal exact sums keep row order
    asked.clear()
    assert rank_like_reference(sums, low, high, 2, False, exact).tolist() == [1, 5]
    assert asked == []  # the tie lies beyond the selection


def test_rank_like_reference_farthest_is_stable_like_sorted_reverse():
    sums = np.array([1.0, 4.0, 4.0, 2.0, 4.0])
    exact_values = {1: 4.0, 2: 4.0, 4: 4.0}
    ranked = rank_like_reference(sums, sums, sums.copy(), 5, True,
                                 lambda rows: np.array([exact_values[r] for r in rows]))
    expected = sorted(range(5), key=sums.__getitem__, reverse=True)
    assert ranked.tolist() == expected == [1, 2, 4, 3, 0]


def test_nearmiss_uses_reference_values_on_ties(monkeypatch):
    X, y = _data("wide_ties", 0)
    calls = []
    original = _nearmiss.reference_sums

    def spy(nn, query, n_asked, width, rows=None):
        calls.append(None if rows is None else len(rows))
        return original(nn, query, n_asked, width, rows)

    monkeypatch.setattr(_nearmiss, "reference_sums", spy)
    NearMiss(version=1).fit_resample(X, y)
    assert calls and all(c is not None and c > 0 for c in calls)


# --------------------------------------------------------------------- NearMiss: errors


def test_nearmiss_errors():
    X, y = _data("binary", 0)
    n_min = int(np.bincount(y).min())
    for version in (1, 3):
        with pytest.raises(NotEnoughSamplesError,
                           match=rf"NearMiss-{version} uses the n_neighbors={n_min + 1} "
                                 rf"nearest samples of the minority class 1, which has "
                                 rf"only {n_min}\."):
            NearMiss(version=version, n_neighbors=n_min + 1).fit_resample(X, y)
    with pytest.raises(NotEnoughSamplesError, match="n_neighbors_ver3=1000 nearest samples"):
        NearMiss(version=3, n_neighbors_ver3=1000).fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match="An under-sampler cannot grow class 1"):
        NearMiss(sampling_strategy={1: n_min + 1}).fit_resample(X, y)
    X_nan = X.copy()
    X_nan[3, 2] = np.nan
    with pytest.raises(NonFiniteInputError, match="first at row 3, column 2"):
        NearMiss().fit_resample(X_nan, y)
    with pytest.raises(ValueError, match="version"):
        NearMiss(version=4).fit_resample(X, y)
    with pytest.raises(ValueError, match="n_neighbors"):
        NearMiss(n_neighbors=0).fit_resample(X, y)


# ------------------------------------------------------------------- ClusterCentroids


def _same_output(a, b):
    A = a[0].toarray() if sparse.issparse(a[0]) else a[0]
    B = b[0].toarray() if sparse.issparse(b[0]) else b[0]
    assert type(a[0]) is type(b[0]) and A.dtype == B.dtype
    if sparse.issparse(a[0]):
        assert a[0].format == b[0].format
    assert np.array_equal(A, B) and np.array_equal(a[1], b[1])


@pytest.mark.parametrize("voting", ["auto", "hard", "soft"])
@pytest.mark.parametrize("input_kind", ["dense", "ties", "sparse", "float32"])
def test_cluster_centroids_matches_imblearn(voting, input_kind):
    X, y = _data("multiclass", 2)
    X, y = X[:300], y[:300]
    if input_kind == "ties":
        X = np.random.RandomState(0).randint(0, 3, size=X.shape).astype(float)
    elif input_kind == "sparse":
        X = sparse.csr_matrix(np.where(np.abs(X) > 1, X, 0.0))
    elif input_kind == "float32":
        X = X.astype(np.float32)
    ref = peer.ClusterCentroids(random_state=0, voting=voting)
    ours = ClusterCentroids(random_state=0, voting=voting)
    _same_output(ref.fit_resample(X, y), ours.fit_resample(X, y))
    assert ours.voting_ == ref.voting_
    assert ours.estimator_.get_params() == ref.estimator_.get_params()


def test_cluster_centroids_random_state_instance_and_estimator_like_imblearn():
    X, y = _data("multiclass", 5)
    X, y = X[:300], y[:300]
    rng_ref, rng_ours = np.random.RandomState(3), np.random.RandomState(3)
    _same_output(peer.ClusterCentroids(random_state=rng_ref).fit_resample(X, y),
                 ClusterCentroids(random_state=rng_ours).fit_resample(X, y))
    assert rng_ref.randint(1 << 30) == rng_ours.randint(1 << 30)
    est = MiniBatchKMeans(n_init=1, random_state=0)
    _same_output(peer.ClusterCentroids(estimator=est, voting="hard").fit_resample(X, y),
                 ClusterCentroids(estimator=est, voting="hard").fit_resample(X, y))


def test_cluster_centroids_own_rule():
    X, y = _data("binary", 3)
    n_min = int(np.sum(y == 1))
    soft = ClusterCentroids(random_state=0, voting="soft")
    X_res, y_res = soft.fit_resample(X, y)
    km = KMeans(n_clusters=n_min, random_state=0).fit(X[y == 0])
    assert np.array_equal(X_res[:n_min], km.cluster_centers_)
    assert np.array_equal(X_res[n_min:], X[y == 1]) and y_res.tolist() == [0] * n_min + [1] * n_min
    hard = ClusterCentroids(random_state=0, voting="hard")
    X_hard, _ = hard.fit_resample(X, y)
    # each kept row is a row of the class at the smallest distance to its centre
    # (the data hold duplicate rows, so not always the first one)
    dist = _pairwise(km.cluster_centers_, X[y == 0])
    own = _pairwise(km.cluster_centers_, X_hard[:n_min]).diagonal()
    np.testing.assert_allclose(own, dist.min(axis=1), rtol=1e-12)
    assert all((X[y == 0] == row).all(axis=1).any() for row in X_hard[:n_min])


def test_cluster_centroids_errors():
    X, y = _data("binary", 0)

    class NoClusters:
        def fit(self, X, y=None):
            return self

        def predict(self, X):
            return np.zeros(len(X))

        def get_params(self, deep=True):
            return {}

        def set_params(self, **params):
            return self

    class NoCentres(NoClusters):
        def __init__(self, n_clusters=8):
            self.n_clusters = n_clusters

        def get_params(self, deep=True):
            return {"n_clusters": self.n_clusters}

    with pytest.raises(InvalidInputError, match="`n_clusters` parameter"):
        ClusterCentroids(estimator=NoClusters()).fit_resample(X, y)
    with pytest.raises(ResamplingError, match="`cluster_centers_`") as info:
        ClusterCentroids(estimator=NoCentres()).fit_resample(X, y)
    assert isinstance(info.value, RuntimeError)
    with pytest.raises(SamplingStrategyError, match="cannot keep 0 samples of class 0"):
        ClusterCentroids(sampling_strategy={0: 0}).fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match="cannot grow class 1"):
        ClusterCentroids(sampling_strategy={1: 10_000}).fit_resample(X, y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(NonFiniteInputError):
        ClusterCentroids().fit_resample(X_nan, y)
    with pytest.raises(ValueError, match="voting"):
        ClusterCentroids(voting="median").fit_resample(X, y)
