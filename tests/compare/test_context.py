"""Looking at X once: column kinds, missing values, and the preprocessing they need."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler

from imbkit.compare import StrategyContext
from imbkit.compare._context import inspect_features
from imbkit.exceptions import EmptyInputError, InvalidInputError, NonFiniteInputError


def _context(info, min_class_count=30):
    return StrategyContext(info, np.array([0, 1]), 1, min_class_count, None,
                           {"objective": "f1"})


def test_inspect_features_numeric_array_is_kept_as_is():
    X = np.array([[1.0, np.nan], [2.0, 3.0], [np.nan, np.nan]], dtype=np.float32)
    X_out, info = inspect_features(X)
    assert X_out is X
    assert (info.names, info.numeric, info.categorical) == (("x0", "x1"), (0, 1), ())
    assert info.missing == {"x0": 1, "x1": 2}
    assert _context(info).preprocessing() and isinstance(
        _context(info).preprocessing()[0], SimpleImputer
    )


def test_inspect_features_integer_array_needs_no_preprocessing():
    X = np.arange(6).reshape(3, 2)
    X_out, info = inspect_features(X)
    assert X_out is X and info.missing == {}
    assert _context(info).preprocessing() == []
    assert [type(s) for s in _context(info).preprocessing(scale=True)] == [StandardScaler]


def test_inspect_features_object_array_separates_numbers_from_categories():
    X = np.array([[1, "red", None], [2.5, None, "x"], [None, "blue", "y"]], dtype=object)
    original = X.copy()
    X_out, info = inspect_features(X)
    assert (info.numeric, info.categorical) == ((0,), (1, 2))
    assert info.missing == {"x0": 1, "x1": 1, "x2": 1}
    assert np.isnan(X_out[2, 0]) and X_out[1, 0] == 2.5
    assert (X == original).all() and X[2, 0] is None  # the caller's array is untouched
    ct = _context(info).preprocessing()[0]
    assert isinstance(ct, ColumnTransformer)
    out = ct.fit_transform(X_out)
    # median-imputed number, then one-hot red/blue/missing and x/y/missing
    assert out.shape == (3, 7)
    assert out[:, 0].tolist() == [1.0, 2.5, 1.75]


def test_inspect_features_object_array_of_numbers_becomes_float():
    X = np.array([[1, 2.0], [None, 4]], dtype=object)
    X_out, info = inspect_features(X)
    assert X_out.dtype == np.float64 and np.isnan(X_out[1, 0])
    assert (info.numeric, info.categorical, info.missing) == ((0, 1), (), {"x0": 1})


def test_inspect_features_text_array_reads_numbers():
    X = np.array([["1.5", "a"], ["-2", "b"], ["3e1", "a"]])
    X_out, info = inspect_features(X)
    assert (info.numeric, info.categorical) == ((0,), (1,))
    assert X_out[:, 0].tolist() == [1.5, -2.0, 30.0] and X_out[1, 1] == "b"


def test_inspect_features_dataframe_kinds_and_missing():
    df = pd.DataFrame({
        "amount": [1.0, None, 3.0, 4.0],
        "count": pd.array([1, 2, None, 4], dtype="Int64"),
        "flag": [True, False, True, True],
        "city": ["a", "b", None, "a"],
        "kind": pd.Categorical(["u", "v", "u", "u"]),
    })
    X_out, info = inspect_features(df)
    assert X_out is df
    assert (info.numeric, info.categorical) == ((0, 1, 2), (3, 4))
    assert info.missing == {"amount": 1, "count": 1, "city": 1}
    out = _context(info).pipeline(scale=False).fit_transform(df)
    assert out.shape == (4, 3 + 3 + 2)
    assert not np.isnan(out).any()


def test_inspect_features_refusals():
    with pytest.raises(NonFiniteInputError, match=r"Column 'x1' of X contains infinity "
                       r"\(1 values\)"):
        inspect_features(np.array([[1.0, 2.0], [3.0, np.inf]]))
    with pytest.raises(NonFiniteInputError, match="Column 'b' of X contains infinity"):
        inspect_features(pd.DataFrame({"a": [1.0, 2.0], "b": [-np.inf, 1.0]}))
    with pytest.raises(InvalidInputError, match="works on dense data; convert the sparse"):
        inspect_features(sparse.csr_matrix(np.eye(3)))
    with pytest.raises(InvalidInputError, match="X must be 2-D .* got 1 dimension"):
        inspect_features(np.arange(3.0))
    with pytest.raises(EmptyInputError, match=r"X has shape \(0, 2\)"):
        inspect_features(np.empty((0, 2)))


def test_context_small_classes_limit_neighbours_and_inner_folds():
    _, info = inspect_features(np.eye(3))
    assert (_context(info, 40).k_neighbors(), _context(info, 40).inner_cv()) == (5, 5)
    assert (_context(info, 4).k_neighbors(), _context(info, 4).inner_cv()) == (3, 4)
    assert (_context(info, 1).k_neighbors(), _context(info, 1).inner_cv()) == (1, 2)
