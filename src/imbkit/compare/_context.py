"""What a strategy factory knows about the data: columns, classes, costs, fold sizes.

:func:`inspect_features` looks at ``X`` once (which columns are numbers, which
are categories, where values are missing); :class:`StrategyContext` carries
that, plus the classes and the size of the smallest class in a training part,
to each factory, and builds the preprocessing steps every strategy starts with
(imputation, one-hot encoding, scaling). The steps are fitted inside each
training fold, like the rest of the pipeline.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from ..exceptions import EmptyInputError, InvalidInputError, NonFiniteInputError
from ..pipeline import Pipeline, make_pipeline
from ..utils._containers import is_pandas_dataframe

__all__ = ["FeatureInfo", "StrategyContext", "inspect_features"]


@dataclass(frozen=True)
class FeatureInfo:
    """The columns of ``X`` by kind, and its missing values.

    Attributes
    ----------
    names : tuple of str
        Column names (``"x0"``, ``"x1"``, ... for arrays).
    numeric, categorical : tuple of int
        Positions of the numeric and of the non-numeric columns.
    missing : dict
        ``{column name: number of missing values}`` for columns with any.

    Examples
    --------
    >>> from imbkit.compare import FeatureInfo
    >>> info = FeatureInfo(("age", "city"), numeric=(0,), categorical=(1,), missing={"age": 2})
    >>> info.categorical
    (1,)
    """

    names: tuple
    numeric: tuple
    categorical: tuple
    missing: dict = field(default_factory=dict)


def _is_missing(values):
    """Element-wise None / NaN (and pandas NA, when pandas is loaded) test."""
    pd = sys.modules.get("pandas")
    if pd is not None:
        return np.asarray(pd.isna(values), dtype=bool)
    return np.array(
        [v is None or (isinstance(v, (float, np.floating)) and np.isnan(v)) for v in values],
        dtype=bool,
    )


def _numeric_column(values):
    """``values`` as floats with NaN for missing, or None when they are not numbers.

    Strings that all read as numbers (``"1.5"``, as in a table read as text)
    are numbers.
    """
    missing = _is_missing(values)
    present = values[~missing]
    try:
        numbers = present.astype(np.float64)
    except (TypeError, ValueError):
        return None
    out = np.full(values.shape[0], np.nan)
    out[~missing] = numbers
    return out


def _check_finite_numbers(column, name):
    if np.isinf(column).any():
        raise NonFiniteInputError(
            f"Column {name!r} of X contains infinity ({int(np.isinf(column).sum())} "
            "values); missing values (NaN) are imputed, but infinity cannot be: "
            "replace it with NaN or a large finite number."
        )


def _inspect_frame(X):
    from pandas.api.types import is_numeric_dtype

    names = tuple(str(c) for c in X.columns)
    numeric, categorical = [], []
    for j, (name, dtype) in enumerate(zip(names, X.dtypes)):
        if is_numeric_dtype(dtype):
            numeric.append(j)
            column = X.iloc[:, j].to_numpy(dtype=np.float64, na_value=np.nan)
            _check_finite_numbers(column, name)
        else:
            categorical.append(j)
    counts = X.isna().sum().to_numpy()
    missing = {names[j]: int(counts[j]) for j in range(len(names)) if counts[j]}
    return X, FeatureInfo(names, tuple(numeric), tuple(categorical), missing)


def _inspect_numeric_array(X):
    names = tuple(f"x{j}" for j in range(X.shape[1]))
    missing = {}
    if X.dtype.kind == "f":
        if np.isinf(X).any():
            j = int(np.flatnonzero(np.isinf(X).any(axis=0))[0])
            _check_finite_numbers(X[:, j], names[j])
        counts = np.isnan(X).sum(axis=0)
        missing = {names[j]: int(counts[j]) for j in np.flatnonzero(counts)}
    return FeatureInfo(names, tuple(range(X.shape[1])), (), missing)


def _inspect_object_array(X):
    names = tuple(f"x{j}" for j in range(X.shape[1]))
    columns = [_numeric_column(X[:, j]) for j in range(X.shape[1])]
    numeric = tuple(j for j, c in enumerate(columns) if c is not None)
    categorical = tuple(j for j, c in enumerate(columns) if c is None)
    missing = {}
    for j in range(X.shape[1]):
        if columns[j] is not None:
            _check_finite_numbers(columns[j], names[j])
        count = int(_is_missing(X[:, j]).sum())
        if count:
            missing[names[j]] = count
    if not categorical:
        X = np.column_stack(columns)
    else:
        X = X.copy()
        for j in numeric:
            X[:, j] = columns[j]
    return X, FeatureInfo(names, numeric, categorical, missing)


def inspect_features(X):
    """Return ``(X, info)``: ``X`` ready for the pipelines, and its :class:`FeatureInfo`.

    A DataFrame is kept as it is; a list or array becomes an ndarray (object
    arrays whose columns all hold numbers become float arrays). The caller's
    data are never modified.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.compare._context import inspect_features
    >>> X = np.array([[1.0, "red"], [None, "blue"]], dtype=object)
    >>> _, info = inspect_features(X)
    >>> info.numeric, info.categorical, info.missing
    ((0,), (1,), {'x0': 1})
    """
    if sparse.issparse(X):
        raise InvalidInputError(
            "compare_strategies works on dense data; convert the sparse matrix with "
            "X.toarray(), or select fewer columns first."
        )
    if is_pandas_dataframe(X):
        X_checked, info = _inspect_frame(X)
    else:
        X_checked = np.asarray(X)
        if X_checked.ndim != 2:
            raise InvalidInputError(
                f"X must be 2-D (n_samples, n_features); got {X_checked.ndim} dimension(s). "
                "Reshape a single feature with X.reshape(-1, 1)."
            )
        if X_checked.dtype.kind in "biuf":
            info = _inspect_numeric_array(X_checked)
        else:
            X_checked, info = _inspect_object_array(X_checked.astype(object))
    if X_checked.shape[0] == 0 or X_checked.shape[1] == 0:
        raise EmptyInputError(
            f"X has shape {X_checked.shape}; comparing strategies needs rows and columns."
        )
    return X_checked, info


@dataclass(frozen=True, eq=False)
class StrategyContext:
    """The facts about the data that a strategy factory may use.

    A factory is called as ``factory(random_state, context)`` and returns an
    unfitted estimator; it usually starts from :meth:`pipeline`, which puts
    the preprocessing this data needs in front of the steps given.

    Attributes
    ----------
    features : FeatureInfo
        Column kinds and missing values of ``X``.
    classes : ndarray
        The sorted classes of ``y``.
    pos_label : object or None
        The class of interest of a binary target (``None`` for multi-class).
    min_class_count : int
        Rows of the smallest class in the smallest training part: samplers
        with neighbours and inner cross-validation must fit within it.
    cost_matrix : ndarray or None
        ``cost_matrix[i, j]``: the cost of predicting ``classes[j]`` for a row
        of ``classes[i]``; ``None`` without costs.
    threshold_options : dict
        Keyword arguments of :class:`imbkit.decision.ThresholdMovingClassifierCV`
        saying what threshold-moving strategies tune (``objective``, and
        ``beta`` or ``cost_matrix`` when it needs them).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbkit.compare import StrategyContext
    >>> from imbkit.compare._context import FeatureInfo
    >>> info = FeatureInfo(("a", "b"), (0, 1), ())
    >>> ctx = StrategyContext(info, np.array([0, 1]), 1, 40, None, {"objective": "f1"})
    >>> [name for name, _ in ctx.pipeline(LogisticRegression(), scale=True).steps]
    ['standardscaler', 'logisticregression']
    >>> ctx.k_neighbors(), ctx.inner_cv()
    (5, 5)
    """

    features: FeatureInfo
    classes: np.ndarray
    pos_label: object
    min_class_count: int
    cost_matrix: np.ndarray | None
    threshold_options: dict

    def preprocessing(self, *, scale=False):
        """The steps that make ``X`` numeric and complete, then optionally scale it.

        Returns
        -------
        list of estimators
            A ``ColumnTransformer`` (median imputation of numeric columns,
            one-hot encoding of the others, a missing category being its own
            category) when some columns are not numeric; a ``SimpleImputer``
            when only numeric values are missing; then a ``StandardScaler``
            when ``scale=True``.
        """
        info = self.features
        steps = []
        numeric_missing = any(info.names[j] in info.missing for j in info.numeric)
        if info.categorical:
            numeric = (
                SimpleImputer(strategy="median", keep_empty_features=True)
                if numeric_missing else "passthrough"
            )
            encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
            steps.append(ColumnTransformer(
                [("numeric", numeric, list(info.numeric)),
                 ("categorical", encoder, list(info.categorical))],
                sparse_threshold=0.0,
            ))
        elif numeric_missing:
            steps.append(SimpleImputer(strategy="median", keep_empty_features=True))
        if scale:
            steps.append(StandardScaler())
        return steps

    def pipeline(self, *steps, scale=False) -> Pipeline:
        """An imbkit :class:`~imbkit.pipeline.Pipeline`: preprocessing, then ``steps``."""
        return make_pipeline(*self.preprocessing(scale=scale), *steps)

    def k_neighbors(self, default=5):
        """``default`` neighbours, fewer when the smallest class is too small for it."""
        return int(max(1, min(default, self.min_class_count - 1)))

    def inner_cv(self, default=5):
        """Folds of an inner cross-validation that every class can fill."""
        return int(max(2, min(default, self.min_class_count)))
