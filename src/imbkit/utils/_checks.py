"""Validation of ``X`` and ``y`` for samplers, raising imbkit's own errors.

scikit-learn's ``check_array`` does the conversion; its messages are kept (the
scikit-learn test battery matches on them) and a sentence saying what to do is
added, under an exception type from :mod:`imbkit.exceptions`.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.utils import check_array
from sklearn.utils.multiclass import type_of_target

from ..exceptions import (
    EmptyInputError,
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    NonNumericDataError,
    TargetError,
)
from ._validation import check_target_type

__all__ = ["check_X", "check_y", "check_finite"]

_NUMERIC_HINT = (
    "This method interpolates numbers: encode categorical columns first, or use "
    "SMOTENC (mixed numeric and categorical columns) or SMOTEN (all categorical)."
)


def check_y(y):
    """Return ``(y_1d, was_one_hot)`` after checking ``y`` is a class target.

    Examples
    --------
    >>> from imbkit.utils import check_y
    >>> check_y(["a", "b", "a"])
    (array(['a', 'b', 'a'], dtype='<U1'), False)
    """
    if y is None:
        raise TargetError(
            "This sampler requires y to be passed, but the target y is None. "
            "Pass the class of every row as y."
        )
    try:
        y_type = type_of_target(y, input_name="y")
    except ValueError as exc:
        raise TargetError(f"{exc} Pass one class label per row as y.") from exc
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise TargetError(
            f"Unknown label type: {y_type}. Samplers need class labels (ints or "
            "strings), not continuous values: for a regression target, bin it first."
        )
    return check_target_type(y, indicate_one_vs_all=True, y_type=y_type)


def check_finite(X):
    """Raise ``NonFiniteInputError`` if the numeric array or sparse matrix has NaN/inf."""
    data = X.data if sparse.issparse(X) else X
    if data.dtype.kind not in "fc":
        return
    if np.isfinite(data).all():
        return
    bad = ~np.isfinite(X.toarray() if sparse.issparse(X) else X)
    rows, cols = np.nonzero(bad)
    raise NonFiniteInputError(
        f"X contains NaN or infinity ({bad.sum()} entries, the first at row "
        f"{rows[0]}, column {cols[0]}). Impute or drop them before resampling, "
        "e.g. with sklearn.impute.SimpleImputer."
    )


def check_X(
    X,
    *,
    accept_sparse=("csr", "csc"),
    dtype="numeric",
    ensure_all_finite=True,
    non_numeric_hint=_NUMERIC_HINT,
):
    """Convert ``X`` to a 2-D ndarray or sparse matrix, raising clear imbkit errors.

    Parameters
    ----------
    X : array-like, DataFrame or sparse matrix
    accept_sparse : tuple of str or False
        Sparse formats accepted as they are.
    dtype : "numeric", None or dtype
        As in ``sklearn.utils.check_array``; float32 stays float32.
    ensure_all_finite : bool
        Refuse NaN and infinity.
    non_numeric_hint : str
        What to tell the user when the data is not numeric.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.utils import check_X
    >>> check_X([[1, 2], [3, 4]]).dtype
    dtype('int64')
    >>> check_X(np.array([[1.0, np.nan]]))
    Traceback (most recent call last):
    ...
    imbkit.exceptions.NonFiniteInputError: X contains NaN or infinity (1 entries, the first at row 0, column 1). Impute or drop them before resampling, e.g. with sklearn.impute.SimpleImputer.
    """
    if sparse.issparse(X) and not accept_sparse:
        raise InvalidInputError(
            "This sampler does not accept sparse matrices; pass a dense array "
            "(X.toarray()) instead."
        )
    ndim = getattr(X, "ndim", None)
    if ndim is None and not sparse.issparse(X):
        ndim = np.ndim(X) if isinstance(X, (list, tuple)) else 2
    if ndim == 1:
        raise InvalidInputError(
            "X must be 2-D (n_samples, n_features), got a 1-D array. Reshape it "
            "with X.reshape(-1, 1) for a single feature or X.reshape(1, -1) for a "
            "single sample."
        )
    try:
        X = check_array(
            X,
            accept_sparse=list(accept_sparse) if accept_sparse else False,
            dtype=dtype,
            ensure_all_finite=False,
        )
    except (TypeError, ValueError) as exc:
        msg = str(exc)
        if "while a minimum of" in msg:
            raise EmptyInputError(
                f"{msg} Resampling needs at least one row and one column."
            ) from exc
        if "convert" in msg or "argument must be" in msg or "dtype" in msg:
            raise NonNumericDataError(f"{msg}. {non_numeric_hint}") from exc
        raise InvalidInputError(msg) from exc
    if ensure_all_finite:
        check_finite(X)
    return X


def check_lengths(X, y):
    """Raise ``LengthMismatchError`` when ``X`` and ``y`` differ in length."""
    n_x, n_y = X.shape[0], len(y)
    if n_x != n_y:
        raise LengthMismatchError(
            f"X has {n_x} rows but y has {n_y} labels; they must have one label "
            "per row. Check that X and y come from the same (filtered) table."
        )

