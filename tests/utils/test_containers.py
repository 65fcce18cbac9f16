"""ContainerAdapter: what comes in as pandas / polars / list goes out the same."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from imbkit import FunctionSampler
from imbkit.utils import ContainerAdapter
from imbkit.utils._containers import (
    is_pandas_dataframe,
    is_pandas_series,
    is_polars_dataframe,
    is_polars_series,
)


def _frame():
    return pd.DataFrame(
        {
            "i": np.array([1, 2, 3], dtype=np.int64),
            "f32": np.array([0.5, 1.5, 2.5], dtype=np.float32),
            "f64": [0.25, 0.5, 0.75],
            "b": [True, False, True],
        },
        index=[10, 20, 30],
    )


def test_ndarrays_pass_through_untouched():
    X, y = np.eye(3), np.array([0, 1, 1])
    adapter = ContainerAdapter(X, y)
    X_out, y_out = adapter.restore(X, y)
    assert X_out is X and y_out is y


def test_sparse_passes_through():
    X = sparse.csr_matrix(np.eye(3))
    X_out, _ = ContainerAdapter(X, [0, 1, 1]).restore(X, np.array([0, 1, 1]))
    assert X_out is X


def test_lists_come_back_as_lists():
    adapter = ContainerAdapter([[1.0, 2.0]], [0])
    X_out, y_out = adapter.restore(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 1]))
    assert X_out == [[1.0, 2.0], [3.0, 4.0]]
    assert y_out == [0, 1]
    assert type(y_out[0]) is int


def test_dataframe_keeps_columns_and_dtypes():
    frame = _frame()
    adapter = ContainerAdapter(frame, pd.Series([0, 1, 1], name="label", dtype="int32"))
    values = frame.to_numpy(dtype=np.float64)[[0, 1, 2, 2]]
    X_out, y_out = adapter.restore(values, np.array([0, 1, 1, 1], dtype=np.int32))
    assert isinstance(X_out, pd.DataFrame)
    assert X_out.columns.tolist() == ["i", "f32", "f64", "b"]
    pd.testing.assert_series_equal(X_out.dtypes, frame.dtypes)
    assert X_out["b"].tolist() == [True, False, True, True]
    assert isinstance(y_out, pd.Series)
    assert y_out.name == "label" and y_out.dtype == np.int32
    assert y_out.index.equals(X_out.index)
    assert X_out.index.equals(pd.RangeIndex(4))


def test_target_dataframe_keeps_its_columns_and_dtype():
    y = pd.DataFrame({"label": pd.array([0, 1, 1], dtype="int16")})
    _, y_out = ContainerAdapter(np.eye(3), y).restore(np.eye(4), np.array([0, 1, 1, 0]))
    assert isinstance(y_out, pd.DataFrame)
    assert y_out.columns.tolist() == ["label"]
    assert y_out.dtypes.tolist() == [np.dtype("int16")]


def test_one_hot_target_dataframe_round_trips():
    y = pd.DataFrame(np.eye(3, dtype=np.int64)[[0, 1, 2]], columns=["a", "b", "c"])
    sampler = FunctionSampler(func=lambda X, y: (X[[0, 0, 1, 2]], y[[0, 0, 1, 2]]))
    _, y_out = sampler.fit_resample(np.eye(3), y)
    assert isinstance(y_out, pd.DataFrame)
    assert y_out.columns.tolist() == ["a", "b", "c"]
    np.testing.assert_array_equal(y_out.to_numpy(), np.eye(3, dtype=np.int64)[[0, 0, 1, 2]])


def test_series_without_name():
    _, y_out = ContainerAdapter(np.eye(2), pd.Series([0, 1])).restore(np.eye(2), np.array([1, 0]))
    assert y_out.name is None
    assert y_out.tolist() == [1, 0]


def test_string_labels_series():
    y = pd.Series(["a", "b"], name="t", dtype=object)
    _, y_out = ContainerAdapter(np.eye(2), y).restore(np.eye(3), np.array(["a", "b", "b"]))
    assert y_out.tolist() == ["a", "b", "b"] and y_out.dtype == object


def test_sparse_dataframe_comes_back_sparse():
    frame = pd.DataFrame(np.eye(3), columns=["a", "b", "c"]).astype(pd.SparseDtype(float, 0.0))
    adapter = ContainerAdapter(frame, [0, 1, 1])
    X_out, _ = adapter.restore(sparse.csr_matrix(np.eye(3)[[0, 1, 2, 2]]), np.array([0, 1, 1, 1]))
    assert X_out.columns.tolist() == ["a", "b", "c"]
    assert all(isinstance(dtype, pd.SparseDtype) for dtype in X_out.dtypes)
    np.testing.assert_array_equal(X_out.sparse.to_dense().to_numpy(), np.eye(3)[[0, 1, 2, 2]])


def test_mixed_frame_through_a_sampler_keeps_text_and_categories():
    frame = pd.DataFrame({
        "word": pd.array(["x", "y", "z", "x"], dtype="str"),
        "cat": pd.Categorical(["u", "v", "u", "v"]),
        "num": [1.0, 2.0, 3.0, 4.0],
    })
    sampler = FunctionSampler(func=lambda X, y: (X[[3, 0, 1]], y[[3, 0, 1]]))
    X_out, y_out = sampler.fit_resample(frame, pd.Series([0, 1, 0, 1], name="t"))
    pd.testing.assert_series_equal(X_out.dtypes, frame.dtypes)
    assert X_out["word"].tolist() == ["x", "x", "y"]
    assert X_out["cat"].tolist() == ["v", "u", "v"]
    assert y_out.tolist() == [1, 0, 1] and y_out.name == "t"


def test_detection_helpers():
    assert is_pandas_dataframe(_frame()) and not is_pandas_dataframe(np.eye(2))
    assert is_pandas_series(pd.Series([1])) and not is_pandas_series([1])
    assert not is_polars_dataframe(_frame()) and not is_polars_series(pd.Series([1]))


def test_polars_round_trip():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"a": [1.0, 2.0], "b": [3, 4]})
    y = pl.Series("label", [0, 1])
    adapter = ContainerAdapter(frame, y)
    X_out, y_out = adapter.restore(np.array([[1.0, 3], [2.0, 4], [2.0, 4]]), np.array([0, 1, 1]))
    assert isinstance(X_out, pl.DataFrame) and X_out.schema == frame.schema
    assert isinstance(y_out, pl.Series) and y_out.name == "label" and y_out.to_list() == [0, 1, 1]
