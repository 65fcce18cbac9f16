"""Tests of the exact k-NN engine against scikit-learn's brute force."""

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from imbkit.neighbors import TieError, _engine, _knn, kneighbors, kneighbors_sklearn
from imbkit.neighbors._engine import CandidateOverflow, plan_blocks, run_engine


@pytest.fixture(params=["auto", "filter"])
def engine_mode(request, monkeypatch):
    """Run a test as dispatched, and again with the filter engine forced."""
    if request.param == "filter":
        monkeypatch.setattr(_engine, "_DENSE_FACTOR", 0)
    return request.param


@pytest.fixture
def engine_calls(monkeypatch):
    """Send every on_tie="sklearn" call through the engine and record its outcomes."""
    calls = []

    def spy(*args, **kwargs):
        try:
            out = run_engine(*args, **kwargs)
        except CandidateOverflow:
            calls.append("overflow")
            raise
        calls.append("done")
        return out

    monkeypatch.setattr(_knn, "_SMALL_PAIRS", 0)
    monkeypatch.setattr(_knn, "_SMALL_REFERENCE", 0)
    monkeypatch.setattr(_knn, "run_engine", spy)
    return calls


def _sklearn(query, reference, k):
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(reference)
    return nn.kneighbors(query)


def _exact_order(query, reference, k, exclude=None):
    """Brute force in float64, ties by smaller index: the engine's own order."""
    q = query.astype(np.float64)
    r = reference.astype(np.float64)
    d2 = ((q[:, None, :] - r[None, :, :]) ** 2).sum(axis=2)
    if exclude is not None:
        rows = np.flatnonzero(exclude >= 0)
        d2[rows, exclude[rows]] = np.inf
    idx = np.broadcast_to(np.arange(r.shape[0]), d2.shape)
    order = np.lexsort((idx, d2), axis=1)[:, :k]
    return np.sqrt(np.take_along_axis(d2, order, axis=1)), order


def _rtol(dtype):
    # scikit-learn rounds float32 distances to float32; ours are exact.
    return 1e-5 if dtype == np.float32 else 1e-10


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "n_query, n_reference, n_features, seed",
    [
        (40, 300, 3, 0),
        (200, 1200, 8, 1),
        (1, 600, 30, 2),
        (250, 15, 4, 3),
        (700, 40, 1, 4),
    ],
)
def test_kneighbors_matches_sklearn_random(
    dtype, n_query, n_reference, n_features, seed, engine_mode
):
    rng = np.random.default_rng(seed)
    query = rng.standard_normal((n_query, n_features)).astype(dtype)
    reference = rng.standard_normal((n_reference, n_features)).astype(dtype)
    for k in sorted({1, 5, min(11, n_reference), n_reference}):
        dist, ind = kneighbors(query, reference, k, on_tie="raise")
        ref_dist, ref_ind = _sklearn(query, reference, k)
        assert ind.shape == dist.shape == (n_query, k)
        assert dist.dtype == np.float64
        np.testing.assert_array_equal(ind, ref_ind)
        np.testing.assert_allclose(dist, ref_dist, rtol=_rtol(dtype), atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kneighbors_large_problem_many_blocks(dtype):
    rng = np.random.default_rng(7)
    reference = rng.standard_normal((30_000, 12)).astype(dtype)
    query = rng.standard_normal((900, 12)).astype(dtype)
    _, r_rows, _ = plan_blocks(900, 30_000, 7, 64 * 2**20)
    assert r_rows < 30_000  # the reference really is scanned in blocks
    dist, ind = kneighbors(query, reference, 6, on_tie="raise")
    ref_dist, ref_ind = _sklearn(query, reference, 6)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=_rtol(dtype))


def test_kneighbors_query_is_reference_self_first():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((1500, 6))
    dist, ind = kneighbors(X, X, 4, on_tie="raise")
    ref_dist, ref_ind = _sklearn(X, X, 4)
    np.testing.assert_array_equal(ind[:, 0], np.arange(1500))
    np.testing.assert_array_equal(dist[:, 0], 0.0)
    np.testing.assert_array_equal(ind, ref_ind)
    # scikit-learn's self-distances carry expansion round-off (about 1e-8).
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-10, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kneighbors_tiny_memory_budget_same_result(dtype):
    rng = np.random.default_rng(11)
    query = rng.standard_normal((120, 5)).astype(dtype)
    reference = rng.standard_normal((3000, 5)).astype(dtype)
    q_rows, r_rows, _ = plan_blocks(120, 3000, 4, 4096)
    assert q_rows * r_rows <= 4096 and r_rows < 3000
    small = kneighbors(query, reference, 3, memory_budget=4096, on_tie="raise")
    default = kneighbors(query, reference, 3, on_tie="raise")
    np.testing.assert_array_equal(small[1], default[1])
    np.testing.assert_array_equal(small[0], default[0])
    np.testing.assert_array_equal(small[1], _sklearn(query, reference, 3)[1])


def test_run_engine_same_result_for_any_worker_count():
    rng = np.random.default_rng(5)
    query = rng.standard_normal((500, 7))
    reference = rng.standard_normal((8000, 7))
    one = run_engine(query, reference, 6, 2**20, n_workers=1)
    three = run_engine(query, reference, 6, 2**20, n_workers=3)
    np.testing.assert_array_equal(one[0], three[0])
    np.testing.assert_array_equal(one[1], three[1])


def test_kneighbors_sorted_reference_and_offset_data():
    # Rows sorted by distance to the queries' region, and a large common offset:
    # thresholds start loose and the float32 filter must stay exact after centring.
    # (scikit-learn's own order is rounding noise here, hence "ignore".)
    rng = np.random.default_rng(9)
    reference = rng.standard_normal((6000, 4))
    reference = reference[np.argsort(-np.linalg.norm(reference, axis=1))] + 1e6
    query = rng.standard_normal((200, 4)) * 0.1 + 1e6
    dist, ind = kneighbors(query, reference, 5, on_tie="ignore")
    exact_dist, exact_ind = _exact_order(query, reference, 5)
    np.testing.assert_array_equal(ind, exact_ind)
    np.testing.assert_allclose(dist, exact_dist, rtol=1e-12)
    with pytest.raises(TieError):
        kneighbors(query, reference, 5, on_tie="raise")


@pytest.mark.parametrize("magnitude", [1e-30, 1e20])
def test_kneighbors_extreme_magnitudes(magnitude):
    rng = np.random.default_rng(4)
    reference = rng.standard_normal((2000, 5)) * magnitude
    query = rng.standard_normal((100, 5)) * magnitude
    dist, ind = kneighbors(query, reference, 3, on_tie="raise")
    exact_dist, exact_ind = _exact_order(query, reference, 3)
    np.testing.assert_array_equal(ind, exact_ind)
    np.testing.assert_allclose(dist, exact_dist, rtol=1e-12)


def _tied_data():
    rng = np.random.default_rng(0)
    reference = rng.integers(0, 3, size=(1500, 4)).astype(np.float64)
    query = rng.integers(0, 3, size=(200, 4)).astype(np.float64)
    return query, reference


def test_kneighbors_ties_sklearn_fallback_equals_sklearn(engine_calls):
    query, reference = _tied_data()
    for k in (1, 5):
        dist, ind = kneighbors(query, reference, k)
        ref_dist, ref_ind = _sklearn(query, reference, k)
        np.testing.assert_array_equal(ind, ref_ind)
        np.testing.assert_array_equal(dist, ref_dist)
    assert engine_calls == ["done", "done"]


def test_kneighbors_no_tie_keeps_engine_result(engine_calls):
    rng = np.random.default_rng(8)
    query, reference = rng.standard_normal((50, 3)), rng.standard_normal((900, 3))
    dist, ind = kneighbors(query, reference, 3)
    assert engine_calls == ["done"]
    exact_dist, exact_ind = _exact_order(query, reference, 3)
    np.testing.assert_array_equal(ind, exact_ind)
    np.testing.assert_allclose(dist, exact_dist, rtol=1e-15)


def test_kneighbors_candidate_overflow_falls_back_to_sklearn(engine_calls):
    reference = np.zeros((3000, 2))
    reference[::2] = 1.0
    query = np.full((40, 2), 0.5)  # every row is at the same distance
    dist, ind = kneighbors(query, reference, 4)
    assert engine_calls == ["overflow"]
    ref_dist, ref_ind = _sklearn(query, reference, 4)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_array_equal(dist, ref_dist)
    with pytest.raises(CandidateOverflow):
        run_engine(query, reference, 5, 2**20, max_candidates=1)
    # Without a cap the engine copes (ties by index), just with more work.
    dist, ind = kneighbors(query, reference, 4, on_tie="ignore")
    np.testing.assert_array_equal(ind, np.tile([0, 1, 2, 3], (40, 1)))


def test_kneighbors_ties_raise(engine_mode):
    query, reference = _tied_data()
    with pytest.raises(
        TieError, match=r"200 query row\(s\) \(first: 0\) have tied"
    ) as info:
        kneighbors(query, reference, 5, on_tie="raise")
    np.testing.assert_array_equal(info.value.rows, np.arange(200))
    assert isinstance(info.value, ValueError)


def test_kneighbors_ties_ignore_orders_by_index(engine_mode):
    query, reference = _tied_data()
    dist, ind = kneighbors(query, reference, 5, on_tie="ignore")
    exact_dist, exact_ind = _exact_order(query, reference, 5)
    np.testing.assert_array_equal(ind, exact_ind)
    np.testing.assert_array_equal(dist, exact_dist)


def test_kneighbors_tie_only_beyond_boundary_is_not_a_tie(engine_mode):
    # Distances 1, 2, 3, 3: with k=2 the tie sits at positions 2 and 3, beyond the
    # boundary pair (1, 2); with k=3 it is the boundary and must be flagged.
    reference = np.array([[1.0], [2.0], [3.0], [-3.0], [10.0]] * 1)
    query = np.zeros((1, 1))
    dist, ind = kneighbors(query, reference, 2, on_tie="raise")
    np.testing.assert_array_equal(ind, [[0, 1]])
    np.testing.assert_array_equal(dist, [[1.0, 2.0]])
    with pytest.raises(TieError):
        kneighbors(query, reference, 3, on_tie="raise")


def test_kneighbors_duplicate_rows_of_query_are_ties():
    rng = np.random.default_rng(2)
    reference = rng.standard_normal((900, 3))
    reference[500] = reference[100]
    with pytest.raises(TieError) as info:
        kneighbors(reference, reference, 2, on_tie="raise")
    np.testing.assert_array_equal(info.value.rows, [100, 500])
    _, ind = kneighbors(reference, reference, 2)
    np.testing.assert_array_equal(ind, _sklearn(reference, reference, 2)[1])


def test_kneighbors_exclude_matches_oracle(engine_mode):
    rng = np.random.default_rng(12)
    reference = rng.standard_normal((4000, 5))
    rows = rng.choice(4000, size=300, replace=False)
    exclude = rows.copy()
    exclude[::7] = -1
    dist, ind = kneighbors(
        reference[rows], reference, 4, exclude=exclude, on_tie="raise"
    )
    oracle_dist, oracle_ind = kneighbors_sklearn(
        reference[rows], reference, 4, exclude=exclude
    )
    np.testing.assert_array_equal(ind, oracle_ind)
    np.testing.assert_allclose(dist, oracle_dist, rtol=1e-10, atol=1e-6)
    assert not np.any(ind == exclude[:, None])
    np.testing.assert_array_equal(ind[::7, 0], rows[::7])  # not excluded: self first
    _, exact_ind = _exact_order(reference[rows], reference, 4, exclude)
    np.testing.assert_array_equal(ind, exact_ind)


def test_kneighbors_exclude_all_other_rows(engine_mode):
    rng = np.random.default_rng(13)
    X = rng.standard_normal((30, 2))
    exclude = np.arange(30)
    _, ind = kneighbors(X, X, 29, exclude=exclude, on_tie="raise")
    oracle = kneighbors_sklearn(X, X, 29, exclude=exclude)
    np.testing.assert_array_equal(ind, oracle[1])
    np.testing.assert_array_equal(
        np.sort(ind, axis=1), [np.delete(np.arange(30), i) for i in range(30)]
    )
    with pytest.raises(ValueError, match=r"n_neighbors must be in \[1, 29\]"):
        kneighbors(X, X, 30, exclude=exclude)


def test_kneighbors_small_input_goes_to_sklearn_and_integers_are_converted():
    X = np.array([[0, 0], [1, 0], [0, 2], [5, 5]])
    dist, ind = kneighbors(X[:2], X, 2)
    np.testing.assert_array_equal(ind, [[0, 1], [1, 0]])
    np.testing.assert_array_equal(dist, [[0.0, 1.0], [0.0, 1.0]])
    dist, ind = kneighbors(X[:2], X, 2, on_tie="ignore")
    np.testing.assert_array_equal(ind, [[0, 1], [1, 0]])


def test_kneighbors_empty_query():
    dist, ind = kneighbors(np.empty((0, 3)), np.ones((4, 3)), 2)
    assert dist.shape == ind.shape == (0, 2)


@pytest.mark.parametrize(
    "query, reference, k, kwargs, message",
    [
        (np.ones(3), np.ones((4, 3)), 1, {}, "query must be a 2-D array"),
        (np.ones((2, 3)), np.ones((4, 3, 1)), 1, {}, "reference must be a 2-D array"),
        (
            np.ones((2, 3)),
            np.ones((4, 2)),
            1,
            {},
            "query has 3 features but reference has 2",
        ),
        (np.ones((2, 3)), np.ones((4, 3)), 0, {}, r"n_neighbors must be in \[1, 4\]"),
        (np.ones((2, 3)), np.ones((4, 3)), 5, {}, r"n_neighbors must be in \[1, 4\]"),
        (np.ones((2, 3)), np.ones((4, 3)), 2.0, {}, "n_neighbors must be an integer"),
        (np.ones((2, 3)), np.ones((4, 3)), True, {}, "n_neighbors must be an integer"),
        (
            np.ones((2, 3)),
            np.ones((0, 3)),
            1,
            {},
            "reference must contain at least one row",
        ),
        (np.array([["a"]]), np.ones((4, 1)), 1, {}, "query must hold real numbers"),
        (
            np.ones((2, 3)),
            np.ones((4, 3)),
            1,
            {"memory_budget": 0},
            "memory_budget must be",
        ),
        (
            np.ones((2, 3)),
            np.ones((4, 3)),
            1,
            {"on_tie": "first"},
            "on_tie must be one of",
        ),
        (
            np.ones((2, 3)),
            np.ones((4, 3)),
            1,
            {"exclude": [0]},
            "exclude must be a 1-D integer",
        ),
        (
            np.ones((2, 3)),
            np.ones((4, 3)),
            1,
            {"exclude": [0, 4]},
            "exclude holds index 4",
        ),
    ],
)
def test_kneighbors_bad_input(query, reference, k, kwargs, message):
    with pytest.raises(ValueError, match=message):
        kneighbors(query, reference, k, **kwargs)


def test_default_workers_follows_blas_limit():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        assert _engine.default_workers() == 1


def test_concurrent_calls_agree_and_restore_blas_threads():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import threading

    def blas_threads():
        return [
            i["num_threads"]
            for i in threadpoolctl.threadpool_info()
            if i["user_api"] == "blas"
        ]

    rng = np.random.default_rng(6)
    reference, query = rng.standard_normal((20_000, 6)), rng.standard_normal((300, 6))
    before = blas_threads()
    expected = run_engine(query, reference, 4, 2**24, n_workers=1)[1]
    results = []

    def call():
        results.append(run_engine(query, reference, 4, 2**24, n_workers=2)[1])

    threads = [threading.Thread(target=call) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3
    for ind in results:
        np.testing.assert_array_equal(ind, expected)
    assert blas_threads() == before
