"""Sampler contract checks on inputs and outputs: containers, dtypes, bad input.

Public through :mod:`imbkit.utils.estimator_checks`.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.utils import get_tags

from ..exceptions import (
    EmptyInputError,
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    NonNumericDataError,
    SamplingStrategyError,
    TargetError,
)
from ._sampler_checks import (
    _assert_raises,
    _dense,
    _import_or_skip,
    _make_data,
    _rows_subset,
    _sampling_type,
    _seeded,
)

# ------------------------------------------------------------------ checks: containers


def _typed_frame(pd, X):
    return pd.DataFrame(
        {"cat": X[:, 0].astype(np.int64), "f1": X[:, 1],
         "f2": X[:, 2].astype(np.float32), "f3": X[:, 3]},
        index=np.arange(100, 100 + X.shape[0]),
    )


def check_samplers_pandas(name, sampler_orig):
    """DataFrame/Series in -> DataFrame/Series out: names, dtypes, values kept."""
    pd = _import_or_skip("pandas")
    X, y = _make_data()
    frame = _typed_frame(pd, X)
    series = pd.Series(y.astype(np.int32), name="target", index=frame.index)
    sampler = _seeded(sampler_orig)
    X_ref, y_ref = clone(sampler).fit_resample(frame.to_numpy(np.float64), series.to_numpy())
    for y_in in (series, series.to_frame()):
        X_res, y_res = clone(sampler).fit_resample(frame, y_in)
        assert isinstance(X_res, pd.DataFrame) and type(y_res) is type(y_in)
        assert X_res.columns.tolist() == frame.columns.tolist()
        assert X_res.dtypes.tolist() == frame.dtypes.tolist(), "column dtypes changed"
        expected = pd.DataFrame(X_ref, columns=frame.columns).astype(frame.dtypes)
        assert_array_equal(X_res.to_numpy(), expected.to_numpy())
        if isinstance(y_res, pd.Series):
            assert y_res.name == "target" and y_res.dtype == np.int32
        else:
            assert y_res.columns.tolist() == ["target"]
            assert y_res.dtypes.tolist() == [np.dtype(np.int32)]
        assert_array_equal(np.asarray(y_res).ravel(), y_ref)
        assert X_res.index.equals(y_res.index), "X and y indexes disagree"


def check_samplers_pandas_sparse(name, sampler_orig):
    """A DataFrame of sparse columns comes back sparse, with the dense values."""
    pd = _import_or_skip("pandas")
    X, y = _make_data()
    frame = pd.DataFrame(X, columns=[f"c{i}" for i in range(4)]).astype(
        pd.SparseDtype(np.float64, 0.0)
    )
    sampler = _seeded(sampler_orig)
    X_res, y_res = clone(sampler).fit_resample(frame, pd.Series(y, name="t"))
    X_ref, y_ref = clone(sampler).fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and y_res.name == "t"
    assert all(isinstance(dtype, pd.SparseDtype) for dtype in X_res.dtypes)
    assert X_res.columns.tolist() == frame.columns.tolist()
    assert_allclose(X_res.sparse.to_dense().to_numpy(), X_ref, rtol=1e-7)
    assert_array_equal(y_res.to_numpy(), y_ref)


def check_samplers_polars(name, sampler_orig):
    """polars DataFrame/Series in -> polars out, with the schema and name kept."""
    pl = _import_or_skip("polars")
    X, y = _make_data()
    frame = pl.DataFrame({f"c{i}": X[:, i] for i in range(4)})
    sampler = _seeded(sampler_orig)
    X_res, y_res = clone(sampler).fit_resample(frame, pl.Series("t", y))
    X_ref, y_ref = clone(sampler).fit_resample(X, y)
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    assert X_res.schema == frame.schema and y_res.name == "t"
    assert_array_equal(X_res.to_numpy(), X_ref)
    assert_array_equal(y_res.to_numpy(), y_ref)


def check_samplers_list(name, sampler_orig):
    """Lists in -> lists out, with the values of the ndarray result."""
    X, y = _make_data()
    sampler = _seeded(sampler_orig)
    X_res, y_res = clone(sampler).fit_resample(X.tolist(), y.tolist())
    X_ref, y_ref = clone(sampler).fit_resample(X, y)
    assert isinstance(X_res, list) and isinstance(y_res, list)
    assert_array_equal(np.asarray(X_res), X_ref)
    assert_array_equal(np.asarray(y_res), y_ref)


def check_samplers_sparse(name, sampler_orig):
    """CSR/CSC in -> same format and dtype out, with the values of the dense result."""
    sampler = _seeded(sampler_orig)
    for dtype in (np.float64, np.float32):
        X, y = _make_data(dtype=dtype)
        X_ref, y_ref = clone(sampler).fit_resample(X, y)
        for fmt in ("csr", "csc"):
            X_res, y_res = clone(sampler).fit_resample(sparse.csr_matrix(X).asformat(fmt), y)
            assert sparse.issparse(X_res) and X_res.format == fmt, f"{fmt} in, not out"
            assert X_res.dtype == dtype, f"sparse {np.dtype(dtype)} became {X_res.dtype}"
            assert_allclose(X_res.toarray(), X_ref, rtol=1e-5 if dtype == np.float32 else 1e-7)
            assert_array_equal(y_res, y_ref)


def check_samplers_sparse_refused(name, sampler_orig):
    """A sampler whose tags say no sparse refuses it clearly."""
    X, y = _make_data()
    _assert_raises(
        (InvalidInputError, TypeError), r"(?i)dense|toarray",
        clone(sampler_orig).fit_resample, sparse.csr_matrix(X), y,
    )


def check_samplers_preserve_dtype(name, sampler_orig):
    """float32 stays float32, float64 stays float64, int32 labels stay int32."""
    for dtype in (np.float32, np.float64):
        X, y = _make_data(dtype=dtype)
        X_res, y_res = clone(sampler_orig).fit_resample(X, y.astype(np.int32))
        assert X_res.dtype == dtype, f"X {np.dtype(dtype)} came back {X_res.dtype}"
        assert y_res.dtype == np.int32, f"y int32 came back {y_res.dtype}"


def check_samplers_sample_indices(name, sampler_orig):
    """``sample_indices_`` (when set) indexes y, X (for copied rows) and starts 0..n-1."""
    X, y = _make_data()
    sampler = clone(sampler_orig)
    X_res, y_res = sampler.fit_resample(X, y)
    if not hasattr(sampler, "sample_indices_"):
        return
    indices = np.asarray(sampler.sample_indices_)
    assert indices.ndim == 1 and indices.dtype.kind in "iu" and len(indices) == len(y_res)
    assert indices.min() >= 0 and indices.max() < len(y)
    assert_array_equal(y_res, y[indices])
    if _sampling_type(sampler) == "over-sampling":
        assert_array_equal(indices[: len(y)], np.arange(len(y)))
    if _rows_subset(X_res, y_res, X, y):  # rows are copies: they must be those indexed
        assert_array_equal(X_res, X[indices])


def check_samplers_multiclass_ova(name, sampler_orig):
    """One-hot y in -> one-hot y out (same columns), same X as with labels."""
    sampler = _seeded(sampler_orig)
    for data in ("multiclass", "binary"):
        X, y = _make_data(data)
        one_hot = np.eye(np.unique(y).size, dtype=np.int64)[y]
        X_ref, y_ref = clone(sampler).fit_resample(X, y)
        X_res, y_res = clone(sampler).fit_resample(X, one_hot)
        assert_array_equal(_dense(X_res), _dense(X_ref))
        assert y_res.shape == (len(y_ref), one_hot.shape[1]), "one-hot columns changed"
        assert_array_equal(y_res, np.eye(one_hot.shape[1], dtype=np.int64)[y_ref])


def check_samplers_2d_target(name, sampler_orig):
    """A column-vector y is accepted and read as its labels."""
    X, y = _make_data()
    sampler = _seeded(sampler_orig)
    X_res, y_res = clone(sampler).fit_resample(X, y.reshape(-1, 1))
    X_ref, y_ref = clone(sampler).fit_resample(X, y)
    assert_array_equal(X_res, X_ref)
    assert_array_equal(np.asarray(y_res).ravel(), y_ref)


def check_samplers_feature_names(name, sampler_orig):
    """``feature_names_in_``/``get_feature_names_out`` follow the input's columns."""
    pd = _import_or_skip("pandas")
    X, y = _make_data()
    columns = ["cat", "f1", "f2", "f3"]
    sampler = clone(sampler_orig)
    sampler.fit_resample(pd.DataFrame(X, columns=columns), y)
    assert_array_equal(sampler.feature_names_in_, columns)
    assert_array_equal(sampler.get_feature_names_out(), columns)
    sampler = clone(sampler_orig)
    sampler.fit_resample(X, y)
    assert not hasattr(sampler, "feature_names_in_")
    assert_array_equal(sampler.get_feature_names_out(), ["x0", "x1", "x2", "x3"])


def _string_data():
    X, y = _make_data()
    words = np.array(["A", "B", "C"], dtype=object)
    X_obj = X.astype(object)
    X_obj[:, 0] = words[X[:, 0].astype(int)]
    return X_obj, y, words


def check_samplers_string(name, sampler_orig):
    """Samplers tagged for strings take object arrays and DataFrames with text."""
    X, y, words = _string_data()
    X_res, y_res = clone(sampler_orig).fit_resample(X, y)
    assert X_res.dtype == object and X_res.shape[0] == len(y_res)
    assert set(X_res[:, 0]) <= set(words), "categories were invented"
    if _sampling_type(sampler_orig) == "over-sampling":
        assert_array_equal(X_res[: len(y)], X)
    pd = _import_or_skip("pandas")
    frame = pd.DataFrame({"word": X[:, 0].astype(str), "f1": X[:, 1].astype(float)})
    frame_res, _ = clone(sampler_orig).fit_resample(frame, y)
    assert frame_res.dtypes.tolist() == frame.dtypes.tolist()
    assert set(frame_res["word"]) <= set(words)


def check_samplers_non_numeric_refused(name, sampler_orig):
    """Samplers that need numbers refuse text with a hint to encode it."""
    X, y, _ = _string_data()
    _assert_raises(
        NonNumericDataError, r"(?i)encod", clone(sampler_orig).fit_resample, X, y
    )


def _nan_data():
    X, y = _make_data()
    X[::7, 1] = np.nan
    return X, y


def check_samplers_nan(name, sampler_orig):
    """Samplers tagged allow_nan keep NaN (and the originals) through resampling."""
    X, y = _nan_data()
    X_res, y_res = clone(sampler_orig).fit_resample(X, y)
    assert X_res.dtype == np.float64 and X_res.shape[0] == len(y_res)
    assert np.isnan(X_res).any()
    if _sampling_type(sampler_orig) == "over-sampling":
        assert_array_equal(X_res[: len(y)], X)


def check_samplers_non_finite_refused(name, sampler_orig):
    """NaN or infinity in X raise NonFiniteInputError saying how to fix the data."""
    X, y = _nan_data()
    sampler = clone(sampler_orig)
    fix = r"(?i)imput|drop|remove"
    _assert_raises(NonFiniteInputError, fix, sampler.fit_resample, X, y)
    X_inf = np.nan_to_num(X, nan=np.inf)
    _assert_raises(NonFiniteInputError, fix, sampler.fit_resample, X_inf, y)
    if get_tags(sampler).input_tags.sparse:
        _assert_raises(NonFiniteInputError, fix, sampler.fit_resample, sparse.csr_matrix(X), y)


# ------------------------------------------------------------------ checks: bad input


def check_samplers_one_label(name, sampler_orig):
    """A single class in y raises TargetError, in fit and fit_resample."""
    X, y = _make_data()
    y = np.zeros_like(y)
    for method in ("fit", "fit_resample"):
        _assert_raises(
            TargetError, r"at least 2 classes", getattr(clone(sampler_orig), method), X, y
        )


def check_samplers_length_mismatch(name, sampler_orig):
    """X and y of different lengths raise LengthMismatchError."""
    X, y = _make_data()
    _assert_raises(
        LengthMismatchError, r"(?i)one label per row",
        clone(sampler_orig).fit_resample, X, y[:-1],
    )


def check_samplers_1d_X(name, sampler_orig):
    """A 1-D X raises InvalidInputError telling to reshape it."""
    X, y = _make_data()
    _assert_raises(InvalidInputError, r"reshape", clone(sampler_orig).fit_resample, X[:, 1], y)


def check_samplers_empty_X(name, sampler_orig):
    """No rows or no columns raise EmptyInputError."""
    X, y = _make_data()
    sampler = clone(sampler_orig)
    fix = r"(?i)at least one row"
    _assert_raises(EmptyInputError, fix, sampler.fit_resample, X[:0], y[:0])
    _assert_raises(EmptyInputError, fix, sampler.fit_resample, X[:, :0], y)


def check_samplers_unknown_class_strategy(name, sampler_orig):
    """A strategy naming a class absent from y raises SamplingStrategyError."""
    X, y = _make_data()
    kind = _sampling_type(sampler_orig)
    strategy = {"over-sampling": {0: 80, 7: 100}, "under-sampling": {7: 10}}.get(kind, [7])
    sampler = clone(sampler_orig).set_params(sampling_strategy=strategy)
    exc = _assert_raises(SamplingStrategyError, r"\b7\b", sampler.fit_resample, X, y)
    assert "0, 1, 2" in str(exc), f"the message should list the classes in y: {exc}"


def check_samplers_impossible_strategy(name, sampler_orig):
    """Over-samplers cannot shrink a class, under-samplers cannot grow one."""
    X, y = _make_data()
    X_bin, y_bin = _make_data("binary")
    sampler = clone(sampler_orig)
    if _sampling_type(sampler) == "over-sampling":
        cases = [({0: 10}, X, y, r"at least 30"), (0.2, X_bin, y_bin, r"(?i)increase")]
    else:
        cases = [({2: 100}, X, y, r"at most 80"), (0.2, X_bin, y_bin, r"(?i)increase")]
    for strategy, X_case, y_case, fix in cases:
        sampler.set_params(sampling_strategy=strategy)
        _assert_raises(SamplingStrategyError, fix, sampler.fit_resample, X_case, y_case)
