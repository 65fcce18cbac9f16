"""BorderlineSMOTE and SVMSMOTE: reference output, the method's own rule, warnings, errors."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

from imbkit.exceptions import ImbalanceWarning, InvalidInputError, NotEnoughSamplesError
from imbkit.over_sampling import SVMSMOTE, BorderlineSMOTE
from imbkit.over_sampling._smote.filter import danger_noise_masks

reference = pytest.importorskip("imblearn.over_sampling")

KINDS = ["borderline-1", "borderline-2"]


def _binary():
    return make_classification(
        n_samples=300, n_features=6, n_informative=4, weights=[0.85], random_state=3
    )


def _three_class():
    return make_classification(
        n_samples=400, n_features=6, n_informative=4, n_classes=3,
        weights=[0.6, 0.3], random_state=5,
    )


def _separated_blobs():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(10, 1, (20, 2))])
    return X, np.r_[np.zeros(60, dtype=int), np.ones(20, dtype=int)]


DATASETS = {"binary": _binary, "three_class": _three_class}


def _state(form, seed):
    return np.random.RandomState(seed) if form == "instance" else seed


def _assert_same(ours, theirs):
    assert type(ours[0]) is type(theirs[0])
    assert ours[0].dtype == theirs[0].dtype
    assert np.array_equal(ours[0], theirs[0])
    assert np.array_equal(ours[1], theirs[1])


# --- the reference's output -------------------------------------------------------


@pytest.mark.parametrize("data", DATASETS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", [0, 42])
@pytest.mark.parametrize("form", ["int", "instance"])
def test_borderline_matches_reference(data, kind, dtype, seed, form):
    X, y = DATASETS[data]()
    X = X.astype(dtype)
    ours = BorderlineSMOTE(kind=kind, random_state=_state(form, seed))
    theirs = reference.BorderlineSMOTE(kind=kind, random_state=_state(form, seed))
    _assert_same(ours.fit_resample(X, y), theirs.fit_resample(X, y))
    assert ours.in_danger_indices.keys() == theirs.in_danger_indices.keys()
    for klass, rows in theirs.in_danger_indices.items():
        assert np.array_equal(ours.in_danger_indices[klass], rows)
    assert ours.sampling_strategy_ == theirs.sampling_strategy_
    assert ours.n_features_in_ == 6
    assert ours.nn_k_.n_neighbors == 6 and ours.nn_m_.n_neighbors == 11


@pytest.mark.parametrize("data", DATASETS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", [0, 42])
@pytest.mark.parametrize("form", ["int", "instance"])
def test_svmsmote_matches_reference(data, dtype, seed, form):
    X, y = DATASETS[data]()
    X = X.astype(dtype)
    ours = SVMSMOTE(random_state=_state(form, seed))
    theirs = reference.SVMSMOTE(random_state=_state(form, seed))
    _assert_same(ours.fit_resample(X, y), theirs.fit_resample(X, y))
    assert np.array_equal(ours.svm_estimator_.support_, theirs.svm_estimator_.support_)


def test_svmsmote_global_random_state_matches_reference():
    X, y = _three_class()
    np.random.seed(11)
    theirs = reference.SVMSMOTE().fit_resample(X, y)
    np.random.seed(11)
    _assert_same(SVMSMOTE().fit_resample(X, y), theirs)


def test_svmsmote_user_svm_and_out_step_match_reference():
    X, y = _three_class()
    params = dict(svm_estimator=SVC(C=3.0, kernel="linear"), out_step=0.8, random_state=4)
    _assert_same(
        SVMSMOTE(**params).fit_resample(X, y),
        reference.SVMSMOTE(**params).fit_resample(X, y),
    )


@pytest.mark.parametrize("kind", KINDS)
def test_borderline_neighbour_objects_match_reference(kind):
    X, y = _three_class()
    params = dict(
        kind=kind, random_state=1,
        k_neighbors=NearestNeighbors(n_neighbors=4), m_neighbors=NearestNeighbors(n_neighbors=8),
    )
    _assert_same(
        BorderlineSMOTE(**params).fit_resample(X, y),
        reference.BorderlineSMOTE(**params).fit_resample(X, y),
    )


def test_borderline_small_class_borderline_2_matches_reference():
    # borderline-2 takes neighbours from all of X, so a tiny class is fine
    X, y = _binary()
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:4]]
    params = dict(kind="borderline-2", random_state=0, k_neighbors=5, m_neighbors=3)
    _assert_same(
        BorderlineSMOTE(**params).fit_resample(X[keep], y[keep]),
        reference.BorderlineSMOTE(**params).fit_resample(X[keep], y[keep]),
    )


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sparse_matches_reference(fmt, dtype):
    X, y = _binary()
    X_sparse = sparse.csr_matrix(X.astype(dtype)).asformat(fmt)
    for ours, theirs in [
        (BorderlineSMOTE(random_state=0), reference.BorderlineSMOTE(random_state=0)),
        (SVMSMOTE(random_state=0), reference.SVMSMOTE(random_state=0)),
    ]:
        X_ours, y_ours = ours.fit_resample(X_sparse, y)
        X_theirs, y_theirs = theirs.fit_resample(X_sparse, y)
        assert X_ours.format == fmt and X_ours.dtype == dtype
        assert np.array_equal(X_ours.toarray(), X_theirs.toarray())
        assert np.array_equal(y_ours, y_theirs)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_borderline_2_sparse_equals_dense(fmt, dtype):
    # imbalanced-learn 0.14 raises here; imbkit gives the dense result
    X, y = _three_class()
    X = X.astype(dtype)
    sampler = BorderlineSMOTE(kind="borderline-2", random_state=3)
    X_dense, y_dense = sampler.fit_resample(X, y)
    X_sparse, y_sparse = sampler.fit_resample(sparse.csr_matrix(X).asformat(fmt), y)
    assert X_sparse.format == fmt and X_sparse.dtype == dtype
    assert np.array_equal(X_sparse.toarray(), X_dense)
    assert np.array_equal(y_sparse, y_dense)


def test_pandas_in_pandas_out():
    pd = pytest.importorskip("pandas")
    X, y = _binary()
    columns = [f"f{i}" for i in range(X.shape[1])]
    frame, target = pd.DataFrame(X, columns=columns), pd.Series(y, name="label")
    for ours, theirs in [
        (BorderlineSMOTE(kind="borderline-2", random_state=2),
         reference.BorderlineSMOTE(kind="borderline-2", random_state=2)),
        (SVMSMOTE(random_state=2), reference.SVMSMOTE(random_state=2)),
    ]:
        X_res, y_res = ours.fit_resample(frame, target)
        X_ref, y_ref = theirs.fit_resample(X, y)
        assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == columns
        assert isinstance(y_res, pd.Series) and y_res.name == "label"
        assert np.array_equal(X_res.to_numpy(), X_ref)
        assert np.array_equal(y_res.to_numpy(), y_ref)
        assert list(ours.feature_names_in_) == columns


def test_parameter_constraints_and_defaults_match_reference():
    for ours, theirs in [
        (BorderlineSMOTE, reference.BorderlineSMOTE),
        (SVMSMOTE, reference.SVMSMOTE),
    ]:
        assert ours._parameter_constraints.keys() == theirs._parameter_constraints.keys()
        assert ours().get_params() == theirs().get_params()


# --- the method's own rule, without the reference ----------------------------------


def _brute_neighbours(query, reference_rows, n_neighbors):
    distances = ((query[:, None, :] - reference_rows[None, :, :]) ** 2).sum(-1)
    return np.argsort(distances, axis=1, kind="stable")[:, :n_neighbors]


def _segment_positions(new, starts, ends):
    """For each new row: position t and distance off the line, for every (start, end)."""
    direction = ends - starts
    offset = new[:, None, :] - starts[None, :, :]
    t = (offset * direction).sum(-1) / (direction ** 2).sum(-1)
    off_line = np.linalg.norm(offset - t[..., None] * direction, axis=-1)
    return t, off_line


def _brute_danger(X, y, klass, m):
    class_rows = np.flatnonzero(y == klass)
    neighbours = _brute_neighbours(X[class_rows], X, m + 1)[:, 1:]
    n_other = (y[neighbours] != klass).sum(1)
    return class_rows[(n_other >= m / 2) & (n_other < m)]


@pytest.mark.parametrize("kind", KINDS)
def test_borderline_danger_set_is_brute_force(kind):
    X, y = _three_class()
    sampler = BorderlineSMOTE(kind=kind, m_neighbors=7, random_state=0)
    sampler.fit_resample(X, y)
    for klass in (1, 2):
        assert np.array_equal(sampler.in_danger_indices[klass], _brute_danger(X, y, klass, 7))


@pytest.mark.parametrize("kind", KINDS)
def test_borderline_new_samples_lie_on_danger_segments(kind):
    X, y = _binary()
    k = 4
    X_res, y_res = BorderlineSMOTE(kind=kind, k_neighbors=k, random_state=0).fit_resample(X, y)
    new = X_res[X.shape[0]:]
    assert np.all(y_res[X.shape[0]:] == 1)
    danger = _brute_danger(X, y, 1, 10)
    pool = np.flatnonzero(y == 1) if kind == "borderline-1" else np.arange(X.shape[0])
    ends = pool[_brute_neighbours(X[danger], X[pool], k + 1)[:, 1:]]  # rows of X
    starts = np.repeat(danger, k)
    t, off_line = _segment_positions(new, X[starts], X[ends.ravel()])
    # highest bound on t: 1 towards the class, 1/2 towards another class (borderline-2)
    t_max = np.where(y[ends.ravel()] == 1, 1.0, 0.5)
    on_segment = (off_line < 1e-9) & (t >= -1e-12) & (t <= t_max + 1e-12)
    assert on_segment.any(axis=1).all()


def test_svmsmote_new_samples_lie_on_support_vector_lines():
    X, y = _binary()
    sampler = SVMSMOTE(k_neighbors=3, out_step=0.3, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    support = sampler.svm_estimator_.support_
    support = support[y[support] == 1]
    class_rows = np.flatnonzero(y == 1)
    ends = class_rows[_brute_neighbours(X[support], X[class_rows], 4)[:, 1:]]
    t, off_line = _segment_positions(X_res[X.shape[0]:], X[np.repeat(support, 3)], X[ends.ravel()])
    on_line = (off_line < 1e-9) & (t >= -0.3 - 1e-12) & (t <= 1 + 1e-12)
    assert on_line.any(axis=1).all()


def test_danger_noise_masks_rule():
    danger, noise = danger_noise_masks(np.arange(6), 5)
    assert danger.tolist() == [False, False, False, True, True, False]
    assert noise.tolist() == [False, False, False, False, False, True]
    danger, _ = danger_noise_masks(np.array([1, 2]), 4)
    assert danger.tolist() == [False, True]


# --- warnings ------------------------------------------------------------------------


def test_borderline_no_danger_warns_and_matches_reference():
    X, y = _separated_blobs()
    sampler = BorderlineSMOTE(random_state=0)
    with pytest.warns(ImbalanceWarning, match=r"generated no samples for class np.int64\(1\)"):
        X_res, y_res = sampler.fit_resample(X, y)
    assert np.array_equal(X_res, X) and np.array_equal(y_res, y)
    assert sampler.in_danger_indices == {}
    _assert_same((X_res, y_res), reference.BorderlineSMOTE(random_state=0).fit_resample(X, y))


def test_svmsmote_missing_group_warns_and_matches_reference():
    X, y = _separated_blobs()
    with pytest.warns(ImbalanceWarning, match="generated 16 of the 40 samples"):
        ours = SVMSMOTE(random_state=0).fit_resample(X, y)
    _assert_same(ours, reference.SVMSMOTE(random_state=0).fit_resample(X, y))


# --- errors --------------------------------------------------------------------------


def _tiny_minority():
    rng = np.random.RandomState(0)
    majority = rng.uniform(0, 10, (200, 2))
    minority = np.array([[5.0, 5.0], [5.01, 5.0], [5.0, 5.01], [5.01, 5.01]])
    return np.vstack([majority, minority]), np.r_[np.zeros(200, dtype=int), np.ones(4, dtype=int)]


def test_borderline_1_class_too_small():
    X, y = _tiny_minority()
    message = r"Class 1 has 4 sample\(s\), but k_neighbors=5"
    with pytest.raises(NotEnoughSamplesError, match=message):
        BorderlineSMOTE(random_state=0).fit_resample(X, y)


def test_svmsmote_class_too_small():
    X, y = _tiny_minority()
    with pytest.raises(NotEnoughSamplesError, match="at most 3"):
        SVMSMOTE(random_state=0).fit_resample(X, y)


@pytest.mark.parametrize("sampler", [BorderlineSMOTE(), SVMSMOTE(k_neighbors=1)])
def test_m_neighbors_larger_than_data(sampler):
    X = np.random.RandomState(0).normal(size=(8, 2))
    y = np.r_[np.zeros(5, dtype=int), np.ones(3, dtype=int)]
    message = "m_neighbors=10 needs at least 11 samples in X"
    with pytest.raises(NotEnoughSamplesError, match=message):
        sampler.fit_resample(X, y)


def test_borderline_2_k_neighbors_larger_than_data():
    X = np.vstack([np.zeros((3, 2)), np.ones((2, 2))]) + np.arange(10).reshape(5, 2) * 0.1
    y = np.array([0, 0, 0, 1, 1])
    sampler = BorderlineSMOTE(kind="borderline-2", k_neighbors=5, m_neighbors=2)
    with pytest.raises(NotEnoughSamplesError, match="k_neighbors=5 needs at least 6 samples"):
        sampler.fit_resample(X, y)


def test_svmsmote_all_noise():
    rng = np.random.RandomState(0)
    minority = np.array([[2.0, 2.0], [2.0, 8.0], [8.0, 2.0], [8.0, 8.0], [5.0, 5.0]])
    X = np.vstack([rng.uniform(0, 10, (400, 2)), minority])
    y = np.r_[np.zeros(400, dtype=int), np.ones(5, dtype=int)]
    with pytest.raises(InvalidInputError, match="All 5 support vectors of class"):
        SVMSMOTE(k_neighbors=2, random_state=0).fit_resample(X, y)


def test_svmsmote_estimator_without_support():
    X, y = _binary()
    with pytest.raises(RuntimeError, match="LogisticRegression does not"):
        SVMSMOTE(svm_estimator=LogisticRegression()).fit_resample(X, y)


@pytest.mark.parametrize(
    "sampler, name",
    [
        (BorderlineSMOTE(kind="borderline-3"), "kind"),
        (BorderlineSMOTE(m_neighbors=0), "m_neighbors"),
        (SVMSMOTE(out_step=1.5), "out_step"),
        (SVMSMOTE(svm_estimator="svc"), "svm_estimator"),
    ],
)
def test_invalid_parameters(sampler, name):
    X, y = _binary()
    with pytest.raises(ValueError, match=f"'{name}' parameter"):
        sampler.fit_resample(X, y)
