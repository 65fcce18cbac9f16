"""Random under-sampling: keep a random subset of each class to reduce."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from ..utils._containers import is_pandas_dataframe, is_pandas_series
from .base import BaseUnderSampler

__all__ = ["RandomUnderSampler", "random_under_sample_indices"]


def random_under_sample_indices(y, sampling_strategy, random_state, replacement=False):
    """Rows kept by random under-sampling, in imbalanced-learn 0.14's draw order.

    Classes are visited in sorted order. A class in ``sampling_strategy`` keeps
    ``sampling_strategy[class]`` of its rows, drawn by one ``choice`` call on the
    shared generator (in the order drawn); any other class keeps all its rows in
    their original order.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Class labels.
    sampling_strategy : dict
        ``{class: n_samples_to_keep}``.
    random_state : int, RandomState instance or None
        Turned into a generator once (``None``: NumPy's global generator).
    replacement : bool, default=False
        Draw with replacement.

    Returns
    -------
    ndarray of int64
        Row indices into ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.under_sampling._random import random_under_sample_indices
    >>> random_under_sample_indices(np.array([0, 0, 0, 1, 1]), {0: 1}, 0).tolist()
    [2, 3, 4]
    """
    rng = check_random_state(random_state)
    kept = [np.empty(0, dtype=np.int64)]
    for klass in np.unique(y):
        rows = np.flatnonzero(y == klass)
        if klass in sampling_strategy:
            # choice(n) draws the same numbers as the reference's choice(range(n))
            rows = rows[rng.choice(rows.size, size=sampling_strategy[klass],
                                   replace=replacement)]
        kept.append(rows)
    return np.concatenate(kept).astype(np.int64, copy=False)


class RandomUnderSampler(BaseUnderSampler):
    """Under-sample by keeping randomly chosen rows of the classes to reduce.

    Each class named by ``sampling_strategy_`` keeps that many of its rows,
    drawn at random (with or without replacement); other classes are kept whole.
    Same output as imbalanced-learn 0.14 for the same ``random_state``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Samples to keep per class; see
        :class:`~imbkit.under_sampling.base.BaseUnderSampler`.
    random_state : int, RandomState instance or None, default=None
        Seed or generator; a generator is advanced by the draws.
    replacement : bool, default=False
        Draw with replacement (a row can then be kept several times).

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples kept per class.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Row of ``X`` of each output sample: classes in sorted order, drawn rows
        in the order drawn.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Notes
    -----
    Rows are only selected, so any data is accepted: strings, mixed columns,
    NaN, sparse matrices, DataFrames.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling._random import RandomUnderSampler
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 102), (1, 102)]
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "replacement": ["boolean"],
        "random_state": ["random_state"],
    }
    _x_dtype = None
    _allow_nan = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.replacement = replacement

    def fit_resample(self, X, y):
        """Resample the dataset.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Any data: rows are only selected.
        y : array-like of shape (n_samples,)

        Returns
        -------
        X_resampled : same container as X
            A DataFrame keeps the row labels of the selected rows, as in the
            reference (which indexes the frame itself).
        y_resampled : same container as y
        """
        X_res, y_res = super().fit_resample(X, y)
        if is_pandas_dataframe(X):
            X_res.index = X.index[self.sample_indices_]
            if is_pandas_series(y_res) or is_pandas_dataframe(y_res):
                y_res.index = X_res.index
        return X_res, y_res

    def _fit_resample(self, X, y):
        self.sample_indices_ = random_under_sample_indices(
            y, self.sampling_strategy_, self.random_state, self.replacement
        )
        return X[self.sample_indices_], y[self.sample_indices_]
