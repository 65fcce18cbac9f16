"""TomekLinks, EditedNearestNeighbours, RENN and AllKNN: oracle equality, own rules, errors."""

import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn import under_sampling as peer
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import InvalidParameterError

from imbkit.datasets import load_yeast_me2
from imbkit.exceptions import (
    NonFiniteInputError,
    NotEnoughSamplesError,
    SamplingStrategyError,
)
from imbkit.neighbors import _cleaning
from imbkit.neighbors._cleaning import (
    NN_AMBIGUOUS,
    NN_SAME_CLASS,
    WitnessIndex,
    edit_verdicts,
    judge_neighbours,
    nearest_other,
    neighbour_table,
    same_class_witnesses,
)
from imbkit.under_sampling import _edited, _tomek
from imbkit.under_sampling._edited import (
    AllKNN,
    EditCache,
    EditedNearestNeighbours,
    RepeatedEditedNearestNeighbours,
    edited_keep_mask,
)
from imbkit.under_sampling._tomek import TomekLinks, tomek_link_mask

OURS = {
    "TomekLinks": TomekLinks,
    "EditedNearestNeighbours": EditedNearestNeighbours,
    "RepeatedEditedNearestNeighbours": RepeatedEditedNearestNeighbours,
    "AllKNN": AllKNN,
}


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the oracle's FutureWarnings are not ours
        yield


@pytest.fixture
def certify_small(monkeypatch):
    """Certify on small data too (small cells, small classes, any width)."""
    monkeypatch.setattr(_edited, "_CERTIFY_MIN", 8)
    monkeypatch.setattr(_cleaning, "_CELL_SIZE", 12)
    monkeypatch.setattr(_edited, "_LIST_ALL_FEATURES", 0)
    counts = {"certified": 0, "paired": 0}
    certify = EditCache._certify

    def spy(self, todo, members, others, lower=None):
        left = certify(self, todo, members, others, lower)
        counts["certified"] += todo.size - left.size
        counts["paired"] += lower is not None
        return left

    monkeypatch.setattr(EditCache, "_certify", spy)
    return counts


def _data(kind, seed=0, n=500):
    rng = np.random.RandomState(seed)
    if kind == "binary":
        X, y = make_classification(n_samples=n, n_features=6, n_informative=4,
                                   weights=[0.85], flip_y=0.05, random_state=seed)
    elif kind == "multiclass":
        X, y = make_classification(n_samples=n, n_features=6, n_informative=4,
                                   n_classes=3, weights=[0.6, 0.3], flip_y=0.05,
                                   random_state=seed)
    elif kind == "wide":  # > 15 features: scikit-learn's 'auto' picks brute force
        X, y = make_classification(n_samples=n, n_features=20, n_informative=6,
                                   n_classes=3, weights=[0.7, 0.2], flip_y=0.05,
                                   random_state=seed)
    elif kind == "ties":  # integer grid: tied distances and duplicate rows
        X = rng.randint(0, 3, size=(n, 3)).astype(float)
        y = (rng.uniform(size=n) < 0.3).astype(int)
    elif kind == "wide_ties":  # ties with brute force in the reference
        X = rng.randint(0, 2, size=(n, 18)).astype(float)
        y = rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
    elif kind == "float32":
        X, y = make_classification(n_samples=n, n_features=10, weights=[0.8],
                                   flip_y=0.05, random_state=seed)
        X = X.astype(np.float32)
    elif kind == "offset":  # far from the origin: rounding makes more ties
        X, y = make_classification(n_samples=n, n_features=12, weights=[0.8],
                                   flip_y=0.05, random_state=seed)
        X = X + 1e4
    else:  # the bundled real dataset, with duplicate rows
        data = load_yeast_me2()
        X, y = data.data, data.target
    return X, y


KINDS = ["binary", "multiclass", "wide", "ties", "wide_ties", "float32", "offset", "yeast"]


def _assert_same(name, params, X, y):
    ref = getattr(peer, name)(**params)
    X_ref, y_ref = ref.fit_resample(X, y)
    ours = OURS[name](**params)
    X_out, y_out = ours.fit_resample(X, y)
    if getattr(ref, "n_iter_", None) == 1 and len(y_ref) == len(y):
        # RENN's first pass removed nothing: the reference's index bug (see
        # test_renn_sample_indices_index_the_output); ours lists the rows returned
        grouped = np.argsort(np.unique(np.asarray(y), return_inverse=True)[1], kind="stable")
        np.testing.assert_array_equal(ours.sample_indices_, grouped)
    else:
        np.testing.assert_array_equal(ours.sample_indices_, ref.sample_indices_)
    np.testing.assert_array_equal(X_out, X_ref)
    np.testing.assert_array_equal(y_out, y_ref)
    assert X_out.dtype == X_ref.dtype
    assert ours.sampling_strategy_ == ref.sampling_strategy_
    if hasattr(ref, "n_iter_"):
        assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_array_equal(X_out, np.asarray(X)[ours.sample_indices_])
    return ours


# ---------------------------------------------------------------------------
# oracle equality


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("strategy", ["auto", "all", "majority", "not majority"])
def test_tomek_links_matches_imblearn(kind, strategy):
    X, y = _data(kind)
    _assert_same("TomekLinks", {"sampling_strategy": strategy}, X, y)


@pytest.mark.parametrize("seed", range(6))
def test_tomek_links_matches_imblearn_across_seeds(seed):
    for kind in ("binary", "ties", "wide_ties"):
        X, y = _data(kind, seed=seed, n=300 + 50 * seed)
        _assert_same("TomekLinks", {}, X, y)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("n_neighbors", [1, 4])
def test_enn_matches_imblearn(kind, kind_sel, n_neighbors):
    X, y = _data(kind)
    for strategy in ("auto", "all"):
        _assert_same("EditedNearestNeighbours", {
            "sampling_strategy": strategy, "kind_sel": kind_sel, "n_neighbors": n_neighbors,
        }, X, y)


REPEATED = {
    "all": [("RepeatedEditedNearestNeighbours", {}),
            ("RepeatedEditedNearestNeighbours", {"max_iter": 2}),
            ("AllKNN", {}), ("AllKNN", {"allow_minority": True})],
    "mode": [("RepeatedEditedNearestNeighbours", {"n_neighbors": 5}),
             ("AllKNN", {"n_neighbors": 5})],
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
def test_repeated_methods_match_imblearn(kind, kind_sel):
    X, y = _data(kind, n=400)
    for name, params in REPEATED[kind_sel]:
        _assert_same(name, {"kind_sel": kind_sel, **params}, X, y)


@pytest.mark.parametrize("kind", ["binary", "multiclass", "wide", "ties", "float32",
                                  "offset", "yeast"])
def test_certified_path_matches_imblearn(kind, certify_small):
    X, y = _data(kind, n=600)
    for kind_sel, k in (("all", 1), ("all", 3), ("mode", 3)):
        for name in ("EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "AllKNN"):
            _assert_same(name, {"kind_sel": kind_sel, "n_neighbors": k,
                                "sampling_strategy": "all"}, X, y)
    assert certify_small["certified"] > 0
    if kind not in ("multiclass", "wide"):  # two classes: one product bounds both
        assert certify_small["paired"] > 0


@pytest.mark.parametrize("tree_max", [0, 100])
def test_tree_and_engine_paths_match_imblearn(monkeypatch, tree_max):
    monkeypatch.setattr(_cleaning, "_TREE_MAX_FEATURES", tree_max)
    for kind in ("binary", "wide", "ties", "wide_ties"):
        X, y = _data(kind, seed=3)
        _assert_same("TomekLinks", {"sampling_strategy": "all"}, X, y)
        _assert_same("EditedNearestNeighbours", {"sampling_strategy": "all"}, X, y)


@pytest.mark.parametrize("strategy", [[0], [1, 2], "not minority", "all"])
def test_sampling_strategy_forms_match_imblearn(strategy):
    X, y = _data("multiclass", seed=1)
    for name in OURS:
        _assert_same(name, {"sampling_strategy": strategy}, X, y)


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree", "ball_tree"])
def test_neighbours_object_matches_imblearn(algorithm):
    X, y = _data("ties", seed=2)
    nn = NearestNeighbors(n_neighbors=4, algorithm=algorithm)
    for name in ("EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "AllKNN"):
        ours = _assert_same(name, {"n_neighbors": nn}, X, y)
        assert ours.nn_ is not nn and ours.nn_.n_neighbors == 4


def test_containers_match_imblearn():
    X, y = _data("multiclass", seed=4)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    series = pd.Series(y, name="target")
    for name, cls in OURS.items():
        ref = getattr(peer, name)()
        X_ref, y_ref = ref.fit_resample(frame, series)
        ours = cls()
        X_out, y_out = ours.fit_resample(frame, series)
        pd.testing.assert_frame_equal(X_out, X_ref)
        pd.testing.assert_series_equal(y_out, y_ref)
        np.testing.assert_array_equal(ours.feature_names_in_, frame.columns)
        X_sp, _ = cls().fit_resample(sparse.csr_matrix(X), y)
        X_sp_ref, _ = getattr(peer, name)().fit_resample(sparse.csr_matrix(X), y)
        assert sparse.issparse(X_sp)
        np.testing.assert_array_equal(X_sp.toarray(), X_sp_ref.toarray())


def test_string_labels_match_imblearn():
    X, y = _data("multiclass", seed=5)
    names = np.array(["cat", "ant", "bee"])[y]
    for name in OURS:
        _assert_same(name, {}, X, names)


def test_mode_with_string_labels_works_where_imblearn_fails():
    X, y = _data("multiclass", seed=6)
    names = np.array(["a", "b", "c"])[y]  # sorted like the codes
    with pytest.raises(TypeError):
        peer.EditedNearestNeighbours(kind_sel="mode").fit_resample(X, names)
    ours = EditedNearestNeighbours(kind_sel="mode").fit(X, names)
    ours.fit_resample(X, names)
    ref = peer.EditedNearestNeighbours(kind_sel="mode").fit_resample(X, y)
    codes = EditedNearestNeighbours(kind_sel="mode")
    codes.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, codes.sample_indices_)
    assert len(ref[1]) == len(codes.sample_indices_)


def test_renn_sample_indices_index_the_output():
    # well separated classes, y not sorted: the first pass removes nothing
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 0.1, (30, 2)), rng.normal(5, 0.1, (20, 2))])
    y = np.r_[np.zeros(30, int), np.ones(20, int)]
    perm = rng.permutation(50)
    X, y = X[perm], y[perm]
    ref = peer.RepeatedEditedNearestNeighbours()
    X_ref, y_ref = ref.fit_resample(X, y)
    ours = RepeatedEditedNearestNeighbours()
    X_out, y_out = ours.fit_resample(X, y)
    np.testing.assert_array_equal(X_out, X_ref)
    np.testing.assert_array_equal(y_out, y_ref)
    assert ours.n_iter_ == ref.n_iter_ == 1
    np.testing.assert_array_equal(X[ours.sample_indices_], X_out)
    # the reference applies the pass's order twice
    assert not np.array_equal(X[ref.sample_indices_], X_ref)
    expected = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)]
    np.testing.assert_array_equal(ours.sample_indices_, expected)


def test_repeated_methods_attributes():
    X, y = _data("binary", seed=7)
    renn = RepeatedEditedNearestNeighbours(max_iter=3).fit(X, y)
    renn.fit_resample(X, y)
    assert isinstance(renn.enn_, EditedNearestNeighbours)
    assert renn.nn_.n_neighbors == 4 and 1 <= renn.n_iter_ <= 3
    allknn = AllKNN(n_neighbors=4)
    allknn.fit_resample(X, y)
    assert allknn.enn_.n_neighbors in range(1, 5)
    assert set(allknn.enn_.sample_indices_) <= set(range(len(y)))
    enn = EditedNearestNeighbours()
    enn.fit_resample(X, y)
    assert enn.nn_.n_neighbors == 4 and hasattr(enn.nn_, "n_samples_fit_")


# ---------------------------------------------------------------------------
# the rules themselves, by brute force on tie-free data


def _distances(X):
    return ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)


@pytest.mark.parametrize("seed", range(4))
def test_tomek_links_are_mutual_nearest_neighbours_of_different_classes(seed):
    X, y = _data("multiclass", seed=seed, n=300)
    d = _distances(X)
    np.fill_diagonal(d, np.inf)
    nn = d.argmin(axis=1)
    rows = np.arange(len(y))
    expected = (nn[nn] == rows) & (y[nn] != y)
    np.testing.assert_array_equal(tomek_link_mask(X, y), expected)
    np.testing.assert_array_equal(tomek_link_mask(X, y, classes=[1]), expected & (y == 1))
    ours = TomekLinks(sampling_strategy="all").fit(X, y)
    ours.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.flatnonzero(~expected))


@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("k", [1, 3, 4])
def test_enn_rule_by_brute_force(kind_sel, k):
    X, y = _data("multiclass", seed=k, n=300)
    d = _distances(X)
    np.fill_diagonal(d, np.inf)
    labels = y[np.argsort(d, axis=1)[:, :k]]
    if kind_sel == "all":
        expected = (labels == y[:, None]).all(axis=1)
    else:
        counts = np.stack([(labels == c).sum(axis=1) for c in range(3)], axis=1)
        expected = counts.argmax(axis=1) == y
    np.testing.assert_array_equal(
        edited_keep_mask(X, y, n_neighbors=k, kind_sel=kind_sel), expected
    )
    keep_some = edited_keep_mask(X, y, classes=[0], n_neighbors=k, kind_sel=kind_sel)
    np.testing.assert_array_equal(keep_some, expected | (y != 0))


# ---------------------------------------------------------------------------
# kernels


def test_nearest_other_codes():
    X = np.array([[0.0], [1.0], [-1.0], [3.0], [3.0], [10.0]])
    codes = np.array([0, 0, 0, 1, 0, 1])
    labels = np.append(codes, -1)
    out = nearest_other(neighbour_table(X, X, 4), labels, codes)
    # 0: two tied rows of its class; 3, 4: duplicates of different classes;
    # 5: equally far from 3 and 4
    A, S = NN_AMBIGUOUS, NN_SAME_CLASS
    np.testing.assert_array_equal(out, [S, 0, 0, A, A, A])


def test_edit_verdicts_flags_only_ties_that_matter():
    # query 0 at distance 1 from a class-0 and a class-1 row: the cut after
    # column 1 depends on the tie; with k=2 both are in, nothing is ambiguous
    X = np.array([[0.0], [1.0], [-1.0], [5.0], [6.0]])
    codes = np.array([0, 0, 1, 1, 1])
    labels = np.append(codes, -1)
    table = neighbour_table(X[:1], X, 4)
    keep, ambiguous = edit_verdicts(table, labels, codes[:1], 1, "all", 2)
    assert ambiguous[0]
    keep, ambiguous = edit_verdicts(table, labels, codes[:1], 2, "all", 2)
    assert not ambiguous[0] and not keep[0]
    same = np.array([0, 0, 0, 1, 1])
    keep, ambiguous = edit_verdicts(table, np.append(same, -1), same[:1], 1, "all", 2)
    assert not ambiguous[0] and keep[0]


def test_judge_neighbours_mode_ties_pick_the_smallest_class():
    labels = np.array([[2, 1, 1, 2], [0, 3, 3, 0], [1, 1, 1, 0]])
    np.testing.assert_array_equal(
        judge_neighbours(labels, np.array([1, 0, 1]), "mode", 4), [True, True, True]
    )
    np.testing.assert_array_equal(
        judge_neighbours(labels, np.array([2, 3, 1]), "mode", 300), [False, False, True]
    )
    assert not judge_neighbours(np.empty((1, 0), int), np.array([0]), "mode", 2)[0]


@pytest.mark.parametrize("seed", range(3))
def test_same_class_witnesses_are_valid(seed, monkeypatch):
    monkeypatch.setattr(_cleaning, "_CELL_SIZE", 20)
    rng = np.random.RandomState(seed)
    P = rng.normal(size=(400, 5))
    d = _distances(P)
    np.fill_diagonal(d, np.inf)
    third = np.sort(d, axis=1)[:, 2]
    target = third * rng.uniform(0.9, 1.6, size=400)
    queries = np.arange(400)
    bound, wit = same_class_witnesses(P, queries, 3, target)
    found = np.isfinite(bound)
    assert found.mean() > 0.5
    assert (wit[found] != queries[found, None]).all()
    assert all(len(set(row)) == 3 for row in wit[found])
    exact = np.take_along_axis(d[found], wit[found], axis=1).max(axis=1)
    np.testing.assert_allclose(bound[found], exact, rtol=1e-12)
    assert (bound[found] < target[found]).all()
    assert (bound[found] >= third[found] * (1 - 1e-12)).all()
    members = np.setdiff1d(queries, [0, 1, 2])
    bound2, wit2 = WitnessIndex(P).search(members[:50], 3, target[members[:50]], members)
    assert not np.isin(wit2, [0, 1, 2]).any() and np.isfinite(bound2).any()


def test_edit_cache_follows_removals(certify_small):
    X, y = _data("binary", seed=8, n=400)
    cache = EditCache(X, y, 3)
    nn = NearestNeighbors(n_neighbors=4)
    order = np.arange(len(y))
    for _ in range(3):  # passes on shrinking data, as RENN runs them
        kept = cache.edit(order, [0], nn, 3, "all")
        expected = np.flatnonzero(edited_keep_mask(X[order], y[order], [0], 3))
        np.testing.assert_array_equal(np.sort(kept), expected)
        order = order[kept]
    assert certify_small["certified"] > 0


def test_tie_fallback_asks_the_reference_estimator(monkeypatch):
    asked = []
    kneighbors = NearestNeighbors.kneighbors

    def spy(self, X=None, *args, **kwargs):
        asked.append(len(X))
        return kneighbors(self, X, *args, **kwargs)

    monkeypatch.setattr(NearestNeighbors, "kneighbors", spy)
    # exact duplicates with different labels: the verdicts depend on the order
    X, y = _data("wide_ties", seed=9, n=300)
    _assert_same("EditedNearestNeighbours", {"sampling_strategy": "all"}, X, y)
    _assert_same("TomekLinks", {"sampling_strategy": "all"}, X, y)
    assert asked  # brute force: whole batches, as in the reference
    asked.clear()
    X = np.random.RandomState(0).normal(size=(300, 20))
    y = (X[:, 0] > 1).astype(int)
    EditedNearestNeighbours().fit_resample(X, y)
    TomekLinks().fit_resample(X, y)
    assert not asked  # no tie: the engine answers alone


# ---------------------------------------------------------------------------
# errors


@pytest.mark.parametrize("name", ["EditedNearestNeighbours",
                                  "RepeatedEditedNearestNeighbours", "AllKNN"])
def test_too_many_neighbours_is_a_clear_error(name):
    X, y = _data("binary", n=10)
    with pytest.raises(NotEnoughSamplesError, match=r"n_neighbors=\d+ needs at least"):
        OURS[name](n_neighbors=10).fit_resample(X, y)
    with pytest.raises(ValueError):  # the reference fails too, with scikit-learn's error
        getattr(peer, name)(n_neighbors=10).fit_resample(X, y)


@pytest.mark.parametrize("name", list(OURS))
def test_bad_input_errors(name):
    X, y = _data("multiclass", n=60)
    with pytest.raises(SamplingStrategyError, match=r"\[7\]"):
        OURS[name](sampling_strategy=[0, 7]).fit_resample(X, y)
    with pytest.raises(InvalidParameterError):
        OURS[name](sampling_strategy={0: 10}).fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match="list of classes"):
        OURS[name](sampling_strategy=lambda y: {0: 10}).fit_resample(X, y)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(NonFiniteInputError):
        OURS[name]().fit_resample(X_nan, y)


def test_bad_parameters():
    X, y = _data("binary", n=60)
    with pytest.raises(InvalidParameterError):
        EditedNearestNeighbours(kind_sel="some").fit_resample(X, y)
    with pytest.raises(InvalidParameterError):
        RepeatedEditedNearestNeighbours(max_iter=0).fit_resample(X, y)
    with pytest.raises(InvalidParameterError):
        AllKNN(n_neighbors=0).fit_resample(X, y)
    with pytest.raises(InvalidParameterError):
        TomekLinks(n_jobs="two").fit_resample(X, y)


def test_allknn_needs_an_integer_neighbourhood():
    class Index:
        def kneighbors(self, X):  # pragma: no cover - never called
            raise AssertionError

        def kneighbors_graph(self, X):  # pragma: no cover - never called
            raise AssertionError

        def get_params(self, deep=True):
            return {}

    X, y = _data("binary", n=60)
    with pytest.raises(TypeError, match="no integer n_neighbors"):
        AllKNN(n_neighbors=Index()).fit_resample(X, y)


def test_modules_have_reference_signatures():
    assert TomekLinks().get_params() == peer.TomekLinks().get_params()
    for name, cls in OURS.items():
        assert cls().get_params() == getattr(peer, name)().get_params()
    assert _edited.__all__ and _tomek.__all__
