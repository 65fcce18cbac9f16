"""SMOTE for Dask arrays: only the classes it grows are gathered, the output is exact."""

from __future__ import annotations

import numbers
from typing import ClassVar

import dask
import dask.array as da
import numpy as np

from ..exceptions import InvalidInputError
from ..over_sampling import SMOTE as _InMemorySMOTE
from ..utils._compat import HasMethods, Interval
from ._random import _array_blocks, _DaskRandomSampler, _is_frame

__all__ = ["SMOTE"]


class SMOTE(_DaskRandomSampler):
    """SMOTE on a Dask array: the same output as in memory, gathering only the minority.

    SMOTE interpolates between the rows of a class and their nearest
    neighbours *of the same class*, so only the rows of the classes it grows
    are needed. ``fit_resample`` reads ``y`` once to count the classes, then
    gathers the rows of the classes ``sampling_strategy`` grows (one pass over
    ``X``; the majority is never held in memory), runs
    :class:`imbkit.over_sampling.SMOTE` on them, and returns the lazy input
    followed by the new rows. The result equals
    ``imbkit.over_sampling.SMOTE(...).fit_resample(X.compute(), y.compute())``
    for the same parameters and ``random_state`` (and so imbalanced-learn's
    SMOTE), whatever the chunks.

    Memory: the rows of the grown classes and the new rows (as many as the
    classes are grown by) must fit on the client; with 1% minority balanced
    to the majority, that is about the input's size. To keep less, grow the
    classes less (a float or dict ``sampling_strategy``).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As for :class:`imbkit.over_sampling.SMOTE`; a callable is called with
        ``y`` as given (a dask array).
    random_state : int, RandomState instance or None, default=None
    k_neighbors : int or object, default=5
        As for :class:`imbkit.over_sampling.SMOTE`.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        ``{class: rows added}``.
    class_counts_ : dict
        ``{class: rows}`` in the input.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbkit.dask import SMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = da.from_array(rng.normal(size=(100, 2)), chunks=(25, 2))
    >>> y = da.from_array(np.r_[np.zeros(90, int), np.ones(10, int)], chunks=25)
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    >>> X_res.shape, np.bincount(y_res.compute()).tolist()
    ((180, 2), [90, 90])
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": [numbers.Real, str, dict, callable],
        "random_state": ["random_state"],
        "k_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
    }
    _sampling_type = "over-sampling"

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _blocks(self, X, y):
        if _is_frame(X):
            raise InvalidInputError(
                "imbkit.dask.SMOTE takes a dask array; for a DataFrame of numeric "
                "columns use X.to_dask_array(lengths=True) and "
                "y.to_dask_array(lengths=True)."
            )
        if not isinstance(X, da.Array):
            raise InvalidInputError(
                f"imbkit.dask.SMOTE takes a dask array; got {type(X).__name__}. For data "
                "in memory use imbkit.over_sampling.SMOTE."
            )
        return ("array", *_array_blocks(X, y))

    def fit_resample(self, X, y):
        """The input rows, lazily, followed by SMOTE's new rows.

        Parameters
        ----------
        X : dask array of shape (n_samples, n_features)
        y : dask array of shape (n_samples,), or a numpy array

        Returns
        -------
        X_resampled : dask array of shape (n_samples + n_new, n_features)
        y_resampled : dask array of shape (n_samples + n_new,)
        """
        self._check_params()
        _, _, y_blocks, X, labels = self._blocks(X, y)
        self._fit_counts(y_blocks, y)
        grown = [c for c, n in self.sampling_strategy_.items() if n > 0]
        if not grown:
            return X, labels
        mask = da.isin(labels, np.asarray(grown, dtype=self._classes.dtype))
        X_few, y_few = dask.compute(X[mask], labels[mask])
        X_new, y_new = self._synthesise(X_few, y_few, grown)
        return (da.concatenate([X, da.from_array(X_new, chunks=(X.chunks[0][0], -1))]),
                da.concatenate([labels, da.from_array(y_new, chunks=(X.chunks[0][0],))]))

    def _synthesise(self, X_few, y_few, grown):
        """In-memory SMOTE on the grown classes' rows (the new rows only)."""
        others = [c for c in self._classes if c not in set(grown)]
        if others:
            # SMOTE wants two classes; a row of a class it does not grow is never used
            X_few = np.vstack([X_few, np.zeros((1, X_few.shape[1]), dtype=X_few.dtype)])
            y_few = np.append(y_few, np.asarray(others[:1], dtype=y_few.dtype))
        targets = {c: self.class_counts_[c] + int(self.sampling_strategy_[c]) for c in grown}
        smote = _InMemorySMOTE(sampling_strategy=targets, random_state=self.random_state,
                               k_neighbors=self.k_neighbors)
        X_res, y_res = smote.fit_resample(X_few, y_few)
        n_new = sum(int(self.sampling_strategy_[c]) for c in grown)
        return X_res[X_res.shape[0] - n_new:], y_res[y_res.shape[0] - n_new:]
