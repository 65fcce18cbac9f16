"""Round-trip of user containers: what came in as pandas/polars/list goes out the same.

Samplers work on ndarrays / scipy sparse matrices. ``ContainerAdapter`` records
what the caller passed (type, column names, dtypes, Series name) and rebuilds
that container around the resampled arrays. Detection is by ``isinstance`` on
the library's own classes, imported only when the library is already loaded.
"""

from __future__ import annotations

import sys

import numpy as np
from scipy import sparse

__all__ = ["ContainerAdapter", "is_pandas_dataframe", "is_polars_dataframe"]


def _pandas():
    return sys.modules.get("pandas")


def _polars():
    return sys.modules.get("polars")


def is_pandas_dataframe(X):
    pd = _pandas()
    return pd is not None and isinstance(X, pd.DataFrame)


def is_pandas_series(y):
    pd = _pandas()
    return pd is not None and isinstance(y, pd.Series)


def is_polars_dataframe(X):
    pl = _polars()
    return pl is not None and isinstance(X, pl.DataFrame)


def is_polars_series(y):
    pl = _polars()
    return pl is not None and isinstance(y, pl.Series)


def _kind(obj):
    if is_pandas_dataframe(obj):
        return "pandas-frame"
    if is_pandas_series(obj):
        return "pandas-series"
    if is_polars_dataframe(obj):
        return "polars-frame"
    if is_polars_series(obj):
        return "polars-series"
    if isinstance(obj, list):
        return "list"
    return "array"


class ContainerAdapter:
    """Remember the containers of ``X`` and ``y`` and rebuild them after resampling.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from imbkit.utils import ContainerAdapter
    >>> X = pd.DataFrame({"a": [1.0, 2.0], "b": [3, 4]})
    >>> y = pd.Series([0, 1], name="label")
    >>> adapter = ContainerAdapter(X, y)
    >>> X2, y2 = adapter.restore(np.array([[1.0, 3], [2.0, 4], [2.0, 4]]), np.array([0, 1, 1]))
    >>> list(X2.columns), X2.dtypes["b"], y2.name
    (['a', 'b'], dtype('int64'), 'label')
    """

    def __init__(self, X, y):
        self.x_kind = _kind(X)
        self.y_kind = _kind(y)
        self.columns = getattr(X, "columns", None)
        self.x_dtypes = getattr(X, "dtypes", None) if self.x_kind == "pandas-frame" else None
        self.polars_schema = X.schema if self.x_kind == "polars-frame" else None
        self.y_name = getattr(y, "name", None)
        self.y_columns = getattr(y, "columns", None)
        self.y_dtype = getattr(y, "dtypes" if self.y_kind == "pandas-frame" else "dtype", None)

    def restore(self, X, y):
        """Return ``(X, y)`` in the caller's containers."""
        X = self._restore_X(X)
        y = self._restore_y(y)
        if self.x_kind == "pandas-frame" and self.y_kind == "pandas-series":
            y.index = X.index
        return X, y

    def _restore_X(self, X):
        if self.x_kind == "pandas-frame":
            pd = _pandas()
            if sparse.issparse(X):
                frame = pd.DataFrame.sparse.from_spmatrix(X, columns=self.columns)
            else:
                frame = pd.DataFrame(X, columns=self.columns)
            return frame.astype(self.x_dtypes)
        if self.x_kind == "polars-frame":
            pl = _polars()
            return pl.DataFrame(
                {name: X[:, i] for i, name in enumerate(self.polars_schema)},
                schema=self.polars_schema,
            )
        if self.x_kind == "list":
            return X.tolist()
        return X

    def _restore_y(self, y):
        if self.y_kind == "pandas-series":
            pd = _pandas()
            return pd.Series(y, dtype=self.y_dtype, name=self.y_name)
        if self.y_kind == "pandas-frame":
            pd = _pandas()
            return pd.DataFrame(y, columns=self.y_columns).astype(self.y_dtype)
        if self.y_kind == "polars-series":
            pl = _polars()
            return pl.Series(self.y_name, y, dtype=self.y_dtype)
        if self.y_kind == "list":
            return np.asarray(y).tolist()
        return y
