"""Turn a balanced dataset into an imbalanced one by random under-sampling.

:func:`make_imbalance` keeps a chosen number of rows of some classes and every row
of the others, drawn by :class:`~imbkit.under_sampling.RandomUnderSampler`'s own
selection (one generator, classes in sorted order, one ``choice`` without
replacement per class named in the strategy), so the same ``random_state`` selects
the same rows as imbalanced-learn 0.14.
"""

from __future__ import annotations

import numbers
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.utils.multiclass import type_of_target

from imbkit.exceptions import (
    EmptyInputError,
    InvalidInputError,
    LengthMismatchError,
    SamplingStrategyError,
    TargetError,
)
from imbkit.under_sampling._random import random_under_sample_indices

__all__ = ["make_imbalance"]


def _pandas_type(obj: Any, name: str) -> bool:
    # A pandas object can only exist if pandas is already imported, so this never
    # imports pandas itself.
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(obj, getattr(pd, name))


def _as_target_array(y: Any) -> np.ndarray:
    """Return ``y`` as a 1-D ndarray of class labels, or raise ``TargetError``."""
    y_arr = np.asarray(y)
    if y_arr.ndim != 1:
        raise TargetError(
            f"y must be a 1-D array of class labels; got an array of shape {y_arr.shape}."
        )
    kind = type_of_target(y_arr)
    if kind not in ("binary", "multiclass"):
        raise TargetError(
            f"y must hold class labels (binary or multiclass); got a {kind!r} target. "
            "Encode continuous targets as classes first."
        )
    return y_arr


def _as_feature_container(X: Any) -> Any:
    """Return ``X`` as a DataFrame, a CSR/CSC matrix or a 2-D ndarray."""
    if _pandas_type(X, "DataFrame"):
        return X
    if sparse.issparse(X):
        return X if X.format in ("csr", "csc") else X.tocsr()
    X_arr = np.asarray(X)
    if X_arr.ndim != 2:
        raise InvalidInputError(
            f"X must be 2-D (n_samples, n_features); got an array of shape {X_arr.shape}. "
            "Reshape a single feature with X.reshape(-1, 1)."
        )
    return X_arr


def _resolve_strategy(
    sampling_strategy: Any, y: Any, counts: dict[Any, int], kwargs: dict[str, Any]
) -> dict[Any, int]:
    """Turn ``sampling_strategy`` into a checked ``{class: n_samples_to_keep}``."""
    if isinstance(sampling_strategy, Mapping):
        strategy = sampling_strategy
    elif callable(sampling_strategy):
        strategy = sampling_strategy(y, **kwargs)
        if not isinstance(strategy, Mapping):
            raise SamplingStrategyError(
                "A callable sampling_strategy must return a dict {class: n_samples}; "
                f"got {type(strategy).__name__}."
            )
    else:
        raise SamplingStrategyError(
            "sampling_strategy must be a dict {class: n_samples} or a callable "
            f"returning one; got {sampling_strategy!r}."
        )

    unknown = [klass for klass in strategy if klass not in counts]
    if unknown:
        raise SamplingStrategyError(
            f"sampling_strategy names classes not present in y: {unknown}. "
            f"Classes in y: {sorted(counts)}."
        )
    checked = {}
    for klass, n_samples in strategy.items():
        if not isinstance(n_samples, numbers.Integral) or n_samples < 0:
            raise SamplingStrategyError(
                f"The number of samples for class {klass!r} must be a non-negative "
                f"integer; got {n_samples!r}."
            )
        if n_samples > counts[klass]:
            raise SamplingStrategyError(
                f"Cannot keep {n_samples} samples of class {klass!r}: y holds only "
                f"{counts[klass]}. make_imbalance only removes samples."
            )
        checked[klass] = int(n_samples)
    return checked


def _take_rows(X: Any, y: Any, X_checked: Any, y_arr: np.ndarray, idx: np.ndarray):
    """Select ``idx`` from ``X`` and ``y``, returning each in its caller's container."""
    if _pandas_type(X_checked, "DataFrame"):
        X_out = X_checked.iloc[idx]
    elif isinstance(X, list):
        X_out = X_checked[idx].tolist()
    else:
        X_out = X_checked[idx]

    if _pandas_type(y, "Series"):
        y_out = y.iloc[idx]
        # Rows keep the DataFrame's labels; pair y with them, as imbalanced-learn does.
        if _pandas_type(X_out, "DataFrame"):
            y_out.index = X_out.index
        else:
            y_out = y_out.reset_index(drop=True)
    elif isinstance(y, list):
        y_out = y_arr[idx].tolist()
    else:
        y_out = y_arr[idx]
    return X_out, y_out


def make_imbalance(
    X: Any,
    y: Any,
    *,
    sampling_strategy: Mapping[Any, int] | Callable[..., Mapping[Any, int]] | None = None,
    random_state: int | np.random.RandomState | None = None,
    verbose: bool = False,
    **kwargs: Any,
):
    """Make a dataset imbalanced by keeping a random subset of some classes.

    Drop-in for ``imblearn.datasets.make_imbalance``: for the same ``random_state``
    the same rows are kept, in the same order (classes sorted; within a reduced
    class, the order in which rows were drawn).

    Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        The data. A pandas DataFrame comes back as a DataFrame with its columns,
        dtypes and the index labels of the kept rows; a list comes back as a list.
        A scipy sparse matrix comes back as CSR (CSC stays CSC); imbalanced-learn
        rejects sparse input here.
    y : array-like of shape (n_samples,)
        Class labels. A pandas Series comes back as a Series with its name and
        dtype (indexed like the returned DataFrame when ``X`` is one).
    sampling_strategy : dict or callable
        How many samples to keep per class.

        - dict: ``{class: n_samples}``; classes not named keep all their samples.
        - callable: ``sampling_strategy(y, **kwargs)`` returning such a dict.

        Required. (imbalanced-learn accepts ``None`` and then fails with an
        ``UnboundLocalError``; here it is a clear ``ValueError``.)
    random_state : int, RandomState instance or None, default=None
        Seed or generator for the random selection. It is turned into a generator
        once and used for every class.
    verbose : bool, default=False
        Print the class counts before and after.
    **kwargs : dict
        Extra keyword arguments passed to a callable ``sampling_strategy``.

    Returns
    -------
    X_resampled : {ndarray, sparse matrix, DataFrame, list} of shape (n_samples_new, n_features)
        The kept rows of ``X``.
    y_resampled : {ndarray, Series, list} of shape (n_samples_new,)
        The labels of the kept rows.

    Raises
    ------
    imbkit.exceptions.SamplingStrategyError
        ``sampling_strategy`` is not a dict or callable, names a class absent from
        ``y``, or asks for more samples than a class holds (a ``ValueError``).
    imbkit.exceptions.LengthMismatchError
        ``X`` and ``y`` have different numbers of rows (a ``ValueError``).
    imbkit.exceptions.TargetError
        ``y`` is not 1-D class labels with at least two classes (a ``ValueError``).

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import load_iris
    >>> from imbkit.datasets import make_imbalance
    >>> X, y = load_iris(return_X_y=True)
    >>> X_res, y_res = make_imbalance(
    ...     X, y, sampling_strategy={0: 5, 1: 25}, random_state=0
    ... )
    >>> X_res.shape, sorted(Counter(y_res.tolist()).items())
    ((80, 4), [(0, 5), (1, 25), (2, 50)])
    """
    X_checked = _as_feature_container(X)
    y_arr = _as_target_array(y)
    n_samples = X_checked.shape[0]
    if n_samples != y_arr.shape[0]:
        raise LengthMismatchError(
            f"X and y must have the same number of samples; got {n_samples} rows in X "
            f"and {y_arr.shape[0]} labels in y."
        )
    if n_samples == 0:
        raise EmptyInputError("X and y are empty; at least one sample is required.")
    classes, class_counts = np.unique(y_arr, return_counts=True)
    if classes.size < 2:
        raise TargetError(
            f"y must contain at least 2 classes; got {classes.size} ({classes.tolist()})."
        )
    counts = dict(zip(classes.tolist(), class_counts.tolist()))
    strategy = _resolve_strategy(sampling_strategy, y, counts, kwargs)

    if verbose:
        print(f"Class counts before make_imbalance: {Counter(counts)}")
    idx = random_under_sample_indices(y_arr, strategy, random_state)
    X_out, y_out = _take_rows(X, y, X_checked, y_arr, idx)
    if verbose:
        print(f"Class counts after make_imbalance: {Counter(y_arr[idx].tolist())}")
    return X_out, y_out
