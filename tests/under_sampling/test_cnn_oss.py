"""CondensedNearestNeighbour and OneSidedSelection: exactness, their rules, errors.

imbalanced-learn's CNN loop skips candidates by comparing their position in the
class with row indices of X; where that cannot matter (the condensed class comes
first in X, or after more rows than it has) it must select exactly imbkit's rows,
and everywhere imbkit must select the rows of the published single pass, written
here as the plain loop ``_paper_cnn``.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.neighbors import (
    KNeighborsClassifier,
    KNeighborsTransformer,
    NearestNeighbors,
)

import imbkit.neighbors._store as store_module
from imbkit.datasets import load_yeast_me2
from imbkit.exceptions import NotEnoughSamplesError, SamplingStrategyError, TargetError
from imbkit.neighbors._store import covered, grow_store
from imbkit.under_sampling._condensed import CondensedNearestNeighbour, vote_rule
from imbkit.under_sampling._one_sided import OneSidedSelection

imblearn_under = pytest.importorskip("imblearn.under_sampling")


# --------------------------------------------------------------------- data
def _continuous(seed, n=160, n_classes=2):
    weights = [0.75] if n_classes == 2 else [0.55, 0.3]
    return make_classification(
        n_samples=n, n_features=4, n_informative=3, n_redundant=0,
        n_classes=n_classes, weights=weights, flip_y=0.05, random_state=seed,
    )


def _grid(seed, n=200, n_classes=2):
    """Integer points on a 5 x 5 x 5 grid: duplicate rows and tied distances."""
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 5, size=(n, 3)).astype(float)
    p = [0.75, 0.25] if n_classes == 2 else [0.5, 0.3, 0.2]
    return X, rng.choice(n_classes, size=n, p=p)


def _corner(seed, n=300):
    """Integer grid, the minority in one corner: ties, and classes that overlap."""
    rng = np.random.RandomState(seed)
    y = (rng.uniform(size=n) < 0.2).astype(int)
    low, high = rng.randint(0, 3, size=(n, 3)), rng.randint(1, 6, size=(n, 3))
    return np.where(y[:, None] == 1, low, high).astype(float), y


def _distinct_draw(y, n_seeds, state):
    """First random_state from ``state`` whose seeds of class 0 repeat no position."""
    n_class = np.sum(y == 0)
    while np.unique(np.random.RandomState(state).randint(0, n_class, size=n_seeds)).size < n_seeds:
        state += 1
    return state


def _yeast():
    return load_yeast_me2(return_X_y=True)


def _largest_first(X, y):
    """Rows by decreasing class size: the largest class's positions are its indices."""
    classes, counts = np.unique(y, return_counts=True)
    rank = {c: r for r, c in enumerate(classes[np.argsort(-counts, kind="stable")])}
    order = np.argsort([rank[v] for v in y], kind="stable")
    return X[order], y[order]


DATA = {"continuous": _continuous, "grid": _grid, "corner": _corner}


# ----------------------------------------------------------- plain references
def _paper_cnn(X, y, random_state, estimator=None, n_seeds_S=1, condense=None):
    """Hart's single pass, one sample at a time, with the reference's seeds and store.

    Per class to condense (sorted): seeds drawn with ``randint`` as the reference
    does (a repeated draw counts once); the store is the minority then the seeds;
    every other sample, in order, is predicted by the classifier fitted on the
    current store and added when misclassified.
    """
    estimator = KNeighborsClassifier(n_neighbors=1) if estimator is None else estimator
    rng = np.random.RandomState(random_state)
    stats = Counter(y.tolist())
    minority = min(stats, key=stats.get)
    classes, counts = np.unique(y, return_counts=True)
    if condense is None:
        condense = [c for c in classes if c != classes[np.argmin(counts)]]
    kept = []
    for klass in classes:
        rows = np.flatnonzero(y == klass)
        if klass not in condense:
            kept.extend(rows.tolist())
            continue
        draw = rng.randint(0, rows.size, size=n_seeds_S)
        seeds = list(dict.fromkeys(rows[draw].tolist()))
        store = np.flatnonzero(y == minority).tolist() + seeds
        added = []
        if klass != minority:
            model = estimator.fit(X[store], y[store])
            for row in rows:
                if row in seeds:
                    continue
                if model.predict(X[row : row + 1])[0] != y[row]:
                    store.append(row)
                    added.append(row)
                    model = estimator.fit(X[store], y[store])
        kept.extend(seeds + added)
    return np.asarray(kept)


def _cnn(X, y, **params):
    sampler = CondensedNearestNeighbour(**params)
    sampler.fit_resample(X, y)
    return sampler


def _oss(X, y, **params):
    sampler = OneSidedSelection(**params)
    sampler.fit_resample(X, y)
    return sampler


# ------------------------------------------------------------------ kernels
def _loop_grow(cand, radius_sq, members, need):
    """Naive single pass with exact distances (data without ties)."""
    store = [m for m in members]
    added = []
    for p, q in enumerate(cand):
        inside = sum(float(np.sum((s - q) ** 2)) < radius_sq[p] for s in store)
        if inside < need:
            store.append(q)
            added.append(p)
    return np.asarray(added, dtype=np.intp)


@pytest.mark.parametrize("need", [1, 2, 3])
@pytest.mark.parametrize("probe", [False, True])
def test_grow_store_matches_the_loop(need, probe, monkeypatch):
    if probe:  # tiny cells and super-blocks, so the probe runs on small data
        monkeypatch.setattr(store_module, "_PROBE_MIN_STORE", 4)
        monkeypatch.setattr(store_module, "_CELL_ROWS", 16)
        monkeypatch.setattr(store_module, "_SUPER_BLOCK", 50)
        monkeypatch.setattr(store_module, "_MIN_BLOCK", 8)
    rng = np.random.RandomState(need)
    cand = rng.normal(size=(400, 3))
    members = rng.normal(size=(3, 3))
    radius_sq = rng.uniform(0.05, 1.5, size=400)
    got = grow_store(cand, radius_sq, np.zeros(400), members, need=need)
    np.testing.assert_array_equal(got, _loop_grow(cand, radius_sq, members, need))


def test_grow_store_asks_resolve_about_ties_only():
    cand = np.array([[1.0, 0.0], [0.0, 3.0], [2.0, 0.0], [0.0, 0.5]])
    radius_sq = np.array([1.0, 4.0, 4.0, 1.0])
    asked = []

    def resolve(p, added):
        asked.append((p, added.tolist()))
        return False  # tied: not covered

    got = grow_store(cand, radius_sq, np.full(4, 1e-9), np.zeros((1, 2)), resolve=resolve)
    # 0: at distance 1 = radius (tie, not covered: added); 1: outside (added);
    # 2: distance 1 to candidate 0, inside; 3: inside (0.25 < 1)
    np.testing.assert_array_equal(got, [0, 1])
    assert asked == [(0, [])]


def test_covered_statuses():
    cand = np.array([[0.0], [2.0], [3.0], [10.0]])
    members = np.array([[1.0], [4.0]])
    radius_sq = np.array([4.0, 1.0, 0.5, np.inf])
    status = covered(cand, members, radius_sq, np.full(4, 1e-9))
    np.testing.assert_array_equal(status, [0, 2, 1, 0])
    status = covered(cand, members, radius_sq, np.full(4, 1e-9), need=2)
    np.testing.assert_array_equal(status, [1, 1, 1, 0])


def test_vote_rule_matches_scikit_learn():
    rng = np.random.RandomState(0)
    for k in (1, 2, 3, 4, 5, 6):
        for code, other in ((0, 1), (1, 0)):
            need, rank = vote_rule(k, code, other)
            X = rng.normal(size=(60, 2))
            y = rng.randint(0, 2, size=60)
            q = rng.normal(size=(200, 2))
            pred = KNeighborsClassifier(n_neighbors=k).fit(X, y).predict(q)
            d2 = ((q[:, None, :] - X[None]) ** 2).sum(axis=2)
            own = np.sort(np.where(y == code, d2, np.inf), axis=1)[:, need - 1]
            rival = np.sort(np.where(y == other, d2, np.inf), axis=1)[:, rank - 1]
            np.testing.assert_array_equal(pred == code, own < rival)


# --------------------------------------------------------------------- CNN
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n_neighbors", [None, 3, 4])
@pytest.mark.parametrize("kind", ["continuous", "grid"])
def test_cnn_matches_imblearn_when_the_class_comes_first(seed, n_neighbors, kind):
    X, y = _largest_first(*DATA[kind](seed))
    ref = imblearn_under.CondensedNearestNeighbour(random_state=seed, n_neighbors=n_neighbors)
    ref.fit_resample(X, y)
    got = _cnn(X, y, random_state=seed, n_neighbors=n_neighbors)
    np.testing.assert_array_equal(got.sample_indices_, ref.sample_indices_)


def test_cnn_matches_imblearn_on_yeast_me2():
    X, y = _largest_first(*_yeast())
    ref = imblearn_under.CondensedNearestNeighbour(random_state=3)
    X_ref, y_ref = ref.fit_resample(X, y)
    X_res, y_res = CondensedNearestNeighbour(random_state=3).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("strategy", ["auto", "all", "majority"])
def test_cnn_matches_imblearn_multiclass_largest_first(seed, strategy):
    # the second class's row indices exceed every position of its own: no collision
    X, y = _largest_first(*_continuous(seed, n=240, n_classes=3))
    ref = imblearn_under.CondensedNearestNeighbour(random_state=seed, sampling_strategy=strategy)
    ref.fit_resample(X, y)
    got = _cnn(X, y, random_state=seed, sampling_strategy=strategy)
    np.testing.assert_array_equal(got.sample_indices_, ref.sample_indices_)
    assert len(got.estimators_) == len(ref.estimators_)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("n_neighbors", [1, 2, 3, 4])
@pytest.mark.parametrize("kind", ["continuous", "grid", "grid3", "corner"])
def test_cnn_follows_the_paper(seed, n_neighbors, kind):
    X, y = _grid(seed, n_classes=3) if kind == "grid3" else DATA[kind](seed)
    got = _cnn(X, y, random_state=seed, n_neighbors=n_neighbors)
    expected = _paper_cnn(X, y, seed, KNeighborsClassifier(n_neighbors=n_neighbors))
    np.testing.assert_array_equal(got.sample_indices_, expected)


@pytest.mark.parametrize("seed", [1])
def test_cnn_follows_the_paper_on_yeast_me2_shuffled(seed):
    X, y = _yeast()
    order = np.random.RandomState(seed).permutation(y.size)
    X, y = X[order], y[order]
    got = _cnn(X, y, random_state=seed)
    np.testing.assert_array_equal(got.sample_indices_, _paper_cnn(X, y, seed))


@pytest.mark.parametrize("n_seeds_S", [2, 5, 40])
def test_cnn_several_seeds_follow_the_paper_and_are_kept_once(n_seeds_S):
    X, y = _continuous(1, n=120)
    got = _cnn(X, y, random_state=7, n_seeds_S=n_seeds_S, n_neighbors=3)
    expected = _paper_cnn(X, y, 7, KNeighborsClassifier(n_neighbors=3), n_seeds_S=n_seeds_S)
    np.testing.assert_array_equal(got.sample_indices_, expected)
    assert np.unique(got.sample_indices_).size == got.sample_indices_.size


def test_cnn_imblearn_position_index_mixup_is_not_reproduced():
    """Shuffled rows: imbalanced-learn skips candidates whose position equals the
    row index of a kept sample; imbkit tests them, as the paper does."""
    X, y = _continuous(0, n=150)
    ref = imblearn_under.CondensedNearestNeighbour(random_state=0)
    ref.fit_resample(X, y)
    got = _cnn(X, y, random_state=0)
    expected = _paper_cnn(X, y, 0)
    np.testing.assert_array_equal(got.sample_indices_, expected)
    assert not np.array_equal(ref.sample_indices_, expected)
    # the samples it wrongly skipped are misclassified by its own final store
    ref_kept = ref.sample_indices_[y[ref.sample_indices_] == 0]
    store = np.concatenate([np.flatnonzero(y == 1), ref_kept])
    model = KNeighborsClassifier(n_neighbors=1).fit(X[store], y[store])
    assert np.any(model.predict(X[y == 0]) != 0)


@pytest.mark.parametrize("n_neighbors", [1, 3])
def test_cnn_rule_single_pass(n_neighbors):
    """Every discarded sample is classified correctly by the final store, and
    each added sample was misclassified by the store when it was reached."""
    X, y = _continuous(5, n=300)
    sampler = _cnn(X, y, random_state=2, n_neighbors=n_neighbors)
    minority = np.flatnonzero(y == 1)
    kept = sampler.sample_indices_[y[sampler.sample_indices_] == 0]
    store = np.r_[minority, kept]
    final = KNeighborsClassifier(n_neighbors).fit(X[store], y[store])
    discarded = np.setdiff1d(np.flatnonzero(y == 0), kept)
    assert discarded.size > 100
    assert np.all(final.predict(X[discarded]) == 0)
    assert np.all(np.diff(kept[1:]) > 0)  # added in the order of X, after the seed
    for i, row in enumerate(kept[1:], start=1):
        store = np.r_[minority, kept[:i]]
        model = KNeighborsClassifier(n_neighbors).fit(X[store], y[store])
        assert model.predict(X[row : row + 1])[0] == 1
    assert len(sampler.estimators_) == 1
    assert sampler.estimators_[0].n_samples_fit_ == minority.size + kept.size


def test_cnn_nearest_neighbors_object_works_where_imblearn_fails():
    X, y = _continuous(2)
    with pytest.raises(UnboundLocalError):  # imbalanced-learn 0.14's known bug
        imblearn_under.CondensedNearestNeighbour(
            random_state=0, n_neighbors=NearestNeighbors(n_neighbors=1)
        ).fit_resample(X, y)
    got = _cnn(X, y, random_state=0, n_neighbors=NearestNeighbors(n_neighbors=1))
    np.testing.assert_array_equal(got.sample_indices_, _cnn(X, y, random_state=0).sample_indices_)
    got = _cnn(X, y, random_state=0, n_neighbors=NearestNeighbors(n_neighbors=3, p=1))
    expected = _paper_cnn(X, y, 0, KNeighborsClassifier(n_neighbors=3, p=1))
    np.testing.assert_array_equal(got.sample_indices_, expected)
    assert isinstance(got.estimators_[0], KNeighborsClassifier)


def test_cnn_classifier_objects():
    X, y = _grid(3)
    by_int = _cnn(X, y, random_state=1, n_neighbors=3).sample_indices_
    by_obj = _cnn(X, y, random_state=1, n_neighbors=KNeighborsClassifier(3)).sample_indices_
    np.testing.assert_array_equal(by_obj, by_int)
    weighted = KNeighborsClassifier(3, weights="distance")
    got = _cnn(X, y, random_state=1, n_neighbors=weighted)
    np.testing.assert_array_equal(got.sample_indices_, _paper_cnn(X, y, 1, weighted))


@pytest.mark.parametrize("Sampler", ["CondensedNearestNeighbour", "OneSidedSelection"])
def test_any_kneighbors_object_votes(Sampler):
    """An object with kneighbors but no predict: the majority of its neighbours."""
    X, y = _continuous(9)
    run = {"CondensedNearestNeighbour": _cnn, "OneSidedSelection": _oss}[Sampler]
    got = run(X, y, random_state=0, n_neighbors=KNeighborsTransformer(n_neighbors=3))
    expected = run(X, y, random_state=0, n_neighbors=3)
    np.testing.assert_array_equal(got.sample_indices_, expected.sample_indices_)


def test_cnn_sparse_float32_and_pandas():
    X, y = _continuous(4)
    dense = _cnn(X, y, random_state=0).sample_indices_
    for fmt in ("csr", "csc"):
        sampler = CondensedNearestNeighbour(random_state=0)
        X_res, _ = sampler.fit_resample(sparse.csr_matrix(X).asformat(fmt), y)
        assert X_res.format == fmt
        np.testing.assert_array_equal(sampler.sample_indices_, dense)
    X_res, _ = CondensedNearestNeighbour(random_state=0).fit_resample(X.astype(np.float32), y)
    assert X_res.dtype == np.float32
    frame = pd.DataFrame(X, columns=list("abcd"))
    X_res, y_res = CondensedNearestNeighbour(random_state=0).fit_resample(frame, pd.Series(y))
    assert list(X_res.columns) == list("abcd")
    np.testing.assert_array_equal(y_res.to_numpy(), y[dense])


def test_cnn_string_labels():
    X, y = _continuous(6, n=240, n_classes=3)
    labels = np.array(["b", "c", "a"])[y]
    got = _cnn(X, labels, random_state=0, n_neighbors=3)
    expected = _paper_cnn(X, labels, 0, KNeighborsClassifier(3))
    np.testing.assert_array_equal(got.sample_indices_, expected)


@pytest.mark.parametrize("Sampler", [CondensedNearestNeighbour, OneSidedSelection])
def test_errors(Sampler):
    X, y = _continuous(0, n=100)
    n_min = int(np.sum(y == 1))
    with pytest.raises(NotEnoughSamplesError) as info:
        Sampler(random_state=0, n_neighbors=100).fit_resample(X, y)
    assert str(info.value) == (
        f"n_neighbors=100 needs at least 100 samples in the initial store of class 0, "
        f"which holds the minority samples and 1 seed(s): {n_min + 1} in all. Lower "
        f"n_neighbors to at most {n_min + 1}, or raise n_seeds_S."
    )
    with pytest.raises(ValueError, match="'n_seeds_S' parameter"):
        Sampler(n_seeds_S=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="'n_neighbors' parameter"):
        Sampler(n_neighbors="five").fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match=r"class\(es\) \[7\] which are not"):
        Sampler(sampling_strategy=[7]).fit_resample(X, y)
    with pytest.raises(ValueError, match="'sampling_strategy' parameter"):
        Sampler(sampling_strategy={0: 10}).fit_resample(X, y)
    with pytest.raises(TargetError, match="at least 2 classes"):
        Sampler().fit_resample(X, np.zeros(100, dtype=int))


# --------------------------------------------------------------------- OSS
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_neighbors", [None, 1, 3, 4])
@pytest.mark.parametrize("kind", ["continuous", "grid", "grid3", "multiclass"])
def test_oss_matches_imblearn(seed, n_neighbors, kind):
    if kind == "grid3":
        X, y = _grid(seed, n_classes=3)
    elif kind == "multiclass":
        X, y = _continuous(seed, n=240, n_classes=3)
    else:
        X, y = DATA[kind](seed)
    ref = imblearn_under.OneSidedSelection(random_state=seed, n_neighbors=n_neighbors)
    X_ref, y_ref = ref.fit_resample(X, y)
    got = OneSidedSelection(random_state=seed, n_neighbors=n_neighbors)
    X_res, y_res = got.fit_resample(X, y)
    np.testing.assert_array_equal(got.sample_indices_, ref.sample_indices_)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_neighbors", [None, 3])
def test_oss_matches_imblearn_with_many_seeds_and_ties(seed, n_neighbors):
    X, y = _corner(seed)
    state = _distinct_draw(y, 8, seed)
    params = {"random_state": state, "n_neighbors": n_neighbors, "n_seeds_S": 8}
    ref = imblearn_under.OneSidedSelection(**params)
    ref.fit_resample(X, y)
    got = _oss(X, y, **params)
    assert got.sample_indices_.size < 0.7 * y.size
    np.testing.assert_array_equal(got.sample_indices_, ref.sample_indices_)


@pytest.mark.parametrize("strategy", ["all", "majority", "not majority"])
@pytest.mark.parametrize("seeds", [(0, 1), (3, 3)])
def test_oss_matches_imblearn_strategies_and_seeds(strategy, seeds):
    # (seed, n_seeds_S) pairs whose draws repeat no position
    X, y = _continuous(seeds[0], n=240, n_classes=3)
    params = {"random_state": seeds[0], "n_seeds_S": seeds[1], "sampling_strategy": strategy}
    ref = imblearn_under.OneSidedSelection(**params)
    ref.fit_resample(X, y)
    got = _oss(X, y, **params)
    np.testing.assert_array_equal(got.sample_indices_, ref.sample_indices_)


@pytest.mark.parametrize("seed", range(3))
def test_oss_matches_imblearn_on_yeast_me2(seed):
    X, y = _yeast()
    ref = imblearn_under.OneSidedSelection(random_state=seed)
    ref.fit_resample(X, y)
    np.testing.assert_array_equal(_oss(X, y, random_state=seed).sample_indices_,
                                  ref.sample_indices_)


@pytest.mark.parametrize("Sampler", ["CondensedNearestNeighbour", "OneSidedSelection"])
def test_equally_small_classes_minority_is_the_first_to_appear(Sampler):
    """The store's minority is the first least frequent class to appear in y, while
    'auto' spares the smallest label among them: both as in imbalanced-learn."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    # 100 / 50 / 50 rows, class 1 appearing before class 0
    y = np.r_[np.full(100, 2), 1, rng.permutation(np.r_[np.full(49, 1), np.full(50, 0)])]
    X[y == 1] += 0.5
    ref = getattr(imblearn_under, Sampler)(random_state=0)
    ref.fit_resample(X, y)
    got = {"CondensedNearestNeighbour": _cnn, "OneSidedSelection": _oss}[Sampler](
        X, y, random_state=0)
    np.testing.assert_array_equal(got.sample_indices_, ref.sample_indices_)
    assert np.sum(y[got.sample_indices_] == 1) == 1  # condensed to its seed
    assert np.sum(y[got.sample_indices_] == 0) == 50


def _tomek_pairs(X, y):
    """Rows in a Tomek link, by brute force (data without ties)."""
    d2 = ((X[:, None, :] - X[None]) ** 2).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    nn = d2.argmin(axis=1)
    return (y[nn] != y) & (nn[nn] == np.arange(y.size))


def test_oss_rule():
    """Kept samples of the cleaned class are the seed and the misclassified ones,
    less those in a Tomek link of the pass's output."""
    X, y = _continuous(8, n=300)
    sampler = _oss(X, y, random_state=4)
    model = sampler.estimators_[0]
    minority = np.flatnonzero(y == 1)
    seed_row = np.flatnonzero(y == 0)[np.random.RandomState(4).randint(0, np.sum(y == 0))]
    np.testing.assert_array_equal(model._fit_X, X[np.r_[minority, seed_row]])
    others = np.setdiff1d(np.flatnonzero(y == 0), [seed_row])
    wrong = others[model.predict(X[others]) != 0]
    selected = np.r_[minority, seed_row, wrong]
    links = _tomek_pairs(X[selected], y[selected]) & (y[selected] == 0)
    assert links.sum() > 0
    np.testing.assert_array_equal(np.sort(sampler.sample_indices_),
                                  np.sort(selected[~links]))


@pytest.mark.parametrize("n_neighbors", [NearestNeighbors(n_neighbors=1),
                                         NearestNeighbors(n_neighbors=3, p=1)])
def test_oss_nearest_neighbors_object_works_where_imblearn_fails(n_neighbors):
    X, y = _continuous(2)
    with pytest.raises(UnboundLocalError):  # imbalanced-learn 0.14's known bug
        imblearn_under.OneSidedSelection(
            random_state=0, n_neighbors=n_neighbors
        ).fit_resample(X, y)
    classifier = KNeighborsClassifier(n_neighbors=n_neighbors.n_neighbors, p=n_neighbors.p)
    ref = imblearn_under.OneSidedSelection(random_state=0, n_neighbors=classifier)
    ref.fit_resample(X, y)
    got = _oss(X, y, random_state=0, n_neighbors=n_neighbors)
    np.testing.assert_array_equal(got.sample_indices_, ref.sample_indices_)


def test_oss_sparse_and_weighted_classifier():
    X, y = _grid(1)
    weighted = KNeighborsClassifier(3, weights="distance")
    ref = imblearn_under.OneSidedSelection(random_state=2, n_neighbors=weighted)
    ref.fit_resample(X, y)
    np.testing.assert_array_equal(
        _oss(X, y, random_state=2, n_neighbors=weighted).sample_indices_, ref.sample_indices_
    )
    X, y = _continuous(3)
    ref = imblearn_under.OneSidedSelection(random_state=1)
    ref.fit_resample(sparse.csr_matrix(X), y)
    sampler = OneSidedSelection(random_state=1)
    X_res, _ = sampler.fit_resample(sparse.csr_matrix(X), y)
    assert sparse.issparse(X_res) and X_res.format == "csr"
    np.testing.assert_array_equal(sampler.sample_indices_, ref.sample_indices_)


def test_oss_repeated_seeds_are_kept_once():
    X, y = _continuous(1, n=120)
    sampler = _oss(X, y, random_state=0, n_seeds_S=60)
    assert np.unique(sampler.sample_indices_).size == sampler.sample_indices_.size
    draw = np.random.RandomState(0).randint(0, np.sum(y == 0), size=60)
    seeds = np.flatnonzero(y == 0)[np.unique(draw)]
    assert sampler.estimators_[0].n_samples_fit_ == np.sum(y == 1) + seeds.size
