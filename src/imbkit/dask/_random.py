"""Random under- and over-sampling of Dask arrays and DataFrames, exact and lazy."""

from __future__ import annotations

import numbers
from typing import ClassVar

import dask
import dask.array as da
import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target

from ..exceptions import InvalidInputError, LengthMismatchError, TargetError
from ..utils._compat import validate_parameter_constraints
from ..utils._validation import sampling_strategy_from_counts

__all__ = ["RandomOverSampler", "RandomUnderSampler", "allot_draws"]

_SEED_MAX = np.iinfo(np.int64).max


# --- the collections, as blocks of rows ---------------------------------------------------


def _dd():
    import dask.dataframe as dd

    return dd


def _is_frame(obj):
    dd = _dd()
    return isinstance(obj, (dd.DataFrame, dd.Series))


def _array_blocks(X, y):
    """Row blocks of a 2-D dask array and of its labels, and both as dask arrays
    (``X`` one block wide, ``y`` in ``X``'s row chunks)."""
    if X.ndim != 2:
        raise InvalidInputError(
            f"X must be 2-D (rows x features); got a dask array of shape {X.shape}."
        )
    if any(np.isnan(c) for c in X.chunks[0]):
        raise InvalidInputError(
            "X has unknown chunk sizes (after a boolean filter, for example): call "
            "X.compute_chunk_sizes() first, so the output's chunks can be known."
        )
    if isinstance(y, da.Array):
        if y.ndim != 1:
            raise InvalidInputError(f"y must be 1-D; got a dask array of shape {y.shape}.")
    elif _is_frame(y):
        raise InvalidInputError(
            "X is a dask array but y is a dask DataFrame/Series: give both as arrays "
            "(y.to_dask_array(lengths=True)) or both as DataFrame/Series."
        )
    else:
        y = np.asarray(y)
        if y.ndim != 1:
            raise InvalidInputError(f"y must be 1-D; got an array of shape {y.shape}.")
    if X.shape[0] != y.shape[0]:
        raise LengthMismatchError(
            f"X has {X.shape[0]} rows but y has {y.shape[0]} labels; give one label per row."
        )
    if isinstance(y, np.ndarray):
        y = da.from_array(y, chunks=(X.chunks[0],))
    if X.numblocks[1] > 1:
        X = X.rechunk({1: -1})  # one block per row range
    if y.chunks[0] != X.chunks[0]:
        y = y.rechunk((X.chunks[0],))
    return list(X.to_delayed()[:, 0]), list(y.to_delayed()), X, y


def _frame_blocks(X, y):
    """Partitions of a dask DataFrame and of its label Series, and both collections."""
    dd = _dd()
    if not isinstance(X, dd.DataFrame):
        raise InvalidInputError(
            f"X must be a dask DataFrame or a 2-D dask array; got {type(X).__name__}."
        )
    if isinstance(y, dd.DataFrame):
        if len(y.columns) != 1:
            raise InvalidInputError(
                f"y must be a dask Series (or a one-column DataFrame); got {len(y.columns)} "
                "columns."
            )
        y = y[y.columns[0]]
    if not isinstance(y, dd.Series):
        raise InvalidInputError(
            "X is a dask DataFrame, so y must be a dask Series split into the same "
            f"partitions; got {type(y).__name__}."
        )
    if X.npartitions != y.npartitions:
        raise LengthMismatchError(
            f"X has {X.npartitions} partitions but y has {y.npartitions}; split them alike "
            "(y = X['target'] before dropping the column keeps them aligned)."
        )
    if X.known_divisions and y.known_divisions and X.divisions != y.divisions:
        raise LengthMismatchError(
            "X and y are partitioned at different index values; give y the partitions "
            "of X (y = X['target'])."
        )
    return list(X.to_delayed()), list(y.to_delayed()), X, y


# --- pure block functions (run on the workers) ---------------------------------------------


def _pandas_isna(values):
    import pandas as pd  # dask.dataframe's own dependency

    return pd.isna(values)


def _block_counts(y_block):
    """Classes, their counts and whether a label is missing, in one block."""
    values = np.asarray(y_block)
    missing = bool(values.dtype.kind == "f" and np.isnan(values).any()) or (
        values.dtype == object and bool(_pandas_isna(values).any())
    )
    if missing:
        return None, None, True
    classes, counts = np.unique(values, return_counts=True)
    return classes, counts, False


def _block_positions(y_block, plan, seed, keep_all):
    """Local positions this block gives: its draws (sorted), after every row when
    ``keep_all`` (over-sampling)."""
    labels = np.asarray(y_block)
    rng = np.random.default_rng(seed)
    drawn = []
    for klass, count, mode in plan:
        rows = np.flatnonzero(labels == klass)
        if mode == "all":
            drawn.append(rows)
        elif count:
            drawn.append(rng.choice(rows, size=count, replace=mode == "with"))
    drawn = np.sort(np.concatenate(drawn)) if drawn else np.empty(0, dtype=np.int64)
    if keep_all:
        return np.concatenate([np.arange(labels.size), drawn]).astype(np.int64)
    return drawn.astype(np.int64)


def _take_rows(block, positions, n_rows):
    if len(block) != n_rows:
        raise LengthMismatchError(
            f"A partition of X has {len(block)} rows but the same partition of y has "
            f"{n_rows} labels: X and y must be split into the same partitions."
        )
    if hasattr(block, "iloc"):
        return block.iloc[positions]
    return block[positions]


# --- the plan (on the client) ----------------------------------------------------------------


def allot_draws(counts, n_draws, *, replace, rng):
    """Split ``n_draws`` draws from a class over the blocks holding its rows.

    Drawing ``n_draws`` rows uniformly from the whole class, the number that
    falls in each block is multivariate hypergeometric (without replacement)
    or multinomial (with replacement) in the blocks' counts; drawing those
    numbers first and then uniformly inside each block gives exactly the same
    distribution as a draw over the whole class.

    Parameters
    ----------
    counts : ndarray of int, shape (n_blocks,)
        Rows of the class in each block.
    n_draws : int
    replace : bool
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of int, shape (n_blocks,)
        Sums to ``n_draws``; never above ``counts`` without replacement.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.dask._random import allot_draws
    >>> rng = np.random.default_rng(0)
    >>> share = allot_draws(np.array([5, 0, 5]), 4, replace=False, rng=rng)
    >>> int(share.sum()), int(share[1])
    (4, 0)
    """
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if n_draws == 0 or total == 0:
        return np.zeros(counts.size, dtype=np.int64)
    if replace:
        return rng.multinomial(n_draws, counts / total).astype(np.int64)
    return rng.multivariate_hypergeometric(counts, n_draws, method="marginals").astype(
        np.int64
    )


class _DaskRandomSampler(BaseEstimator):
    """Shared: validation, the count pass, the plan and the lazy output."""

    _sampling_type = None
    _keep_all = False

    def _check_params(self):
        validate_parameter_constraints(
            self._parameter_constraints, self.get_params(deep=False),
            caller_name=type(self).__name__,
        )

    def _blocks(self, X, y):
        if isinstance(X, da.Array):
            return ("array", *_array_blocks(X, y))
        if _is_frame(X):
            return ("frame", *_frame_blocks(X, y))
        raise InvalidInputError(
            f"imbkit.dask samplers take a dask array or DataFrame; got "
            f"{type(X).__name__}. For data in memory use "
            f"imbkit.{'under' if self._sampling_type == 'under-sampling' else 'over'}"
            f"_sampling.{type(self).__name__}."
        )

    def _count(self, y_blocks):
        """``(classes, counts per block and class)`` from one pass over the labels."""
        parts = dask.compute(*[dask.delayed(_block_counts)(b) for b in y_blocks])
        if any(missing for _, _, missing in parts):
            raise TargetError("y has missing labels (NaN/None); drop or fill those rows first.")
        present = [c for c, _, _ in parts if c is not None and c.size]
        if not present:
            raise InvalidInputError("X and y are empty: there is nothing to resample.")
        classes = np.unique(np.concatenate(present))
        kind = type_of_target(classes)
        if kind == "continuous":
            raise TargetError(
                "y looks continuous (real-valued labels); resampling needs class labels."
            )
        table = np.zeros((len(parts), classes.size), dtype=np.int64)
        for i, (block_classes, block_counts, _) in enumerate(parts):
            if block_classes is not None and block_classes.size:
                table[i, np.searchsorted(classes, block_classes)] = block_counts
        return classes, table

    def fit(self, X, y):
        """Count the classes (one pass over ``y``) and resolve ``sampling_strategy``.

        Parameters
        ----------
        X : dask array of shape (n_samples, n_features) or dask DataFrame
        y : dask array or Series of shape (n_samples,), or a numpy array with a dask array X

        Returns
        -------
        self : object
        """
        self._check_params()
        y_blocks = self._blocks(X, y)[2]
        self._fit_counts(y_blocks, y)
        return self

    def _fit_counts(self, y_blocks, y):
        classes, table = self._count(y_blocks)
        totals = table.sum(axis=0)
        stats = {(c.item() if isinstance(c, np.generic) else c): int(n)
                 for c, n in zip(classes, totals)}
        self.sampling_strategy_ = sampling_strategy_from_counts(
            self.sampling_strategy, stats, self._sampling_type, y=y
        )
        self.class_counts_ = stats
        self._classes, self._table = classes, table

    def _plans(self, rng):
        """Per block: ``[(class, count, mode)]`` and its output size."""
        n_blocks = self._table.shape[0]
        plans = [[] for _ in range(n_blocks)]
        for j, klass in enumerate(self._classes):
            key = klass.item() if isinstance(klass, np.generic) else klass
            column = self._table[:, j]
            share, mode = self._share(key, column, rng)
            for i in range(n_blocks):
                if mode == "all" and column[i]:
                    plans[i].append((klass, int(column[i]), "all"))
                elif mode != "all" and share[i]:
                    plans[i].append((klass, int(share[i]), mode))
        sizes = [sum(count for _, count, _ in plan) for plan in plans]
        if self._keep_all:
            sizes = [s + int(n) for s, n in zip(sizes, self._table.sum(axis=1))]
        return plans, sizes

    def fit_resample(self, X, y):
        """Resample lazily: exact class counts, the features never gathered.

        Parameters
        ----------
        X : dask array of shape (n_samples, n_features) or dask DataFrame
            A dask array is used in blocks of rows (column chunks are merged).
        y : dask array or Series of shape (n_samples,), or a numpy array with a dask array X
            Same rows, in the same chunks (partitions) as ``X``; an array ``y``
            is rechunked to ``X``'s row chunks.

        Returns
        -------
        X_resampled, y_resampled : dask collections like ``X`` and ``y``
            Lazy; for arrays the chunk sizes are known. DataFrame rows keep
            their index labels (repeated for rows drawn more than once).
        """
        self._check_params()
        kind, x_blocks, y_blocks, X, labels = self._blocks(X, y)
        self._fit_counts(y_blocks, y)
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        rng = np.random.default_rng(seed)
        plans, sizes = self._plans(rng)
        seeds = rng.integers(0, _SEED_MAX, size=len(plans))
        n_rows = self._table.sum(axis=1)
        positions = [dask.delayed(_block_positions)(yb, plan, int(s), self._keep_all)
                     for yb, plan, s in zip(y_blocks, plans, seeds)]
        offsets = np.concatenate([[0], np.cumsum(n_rows)[:-1]])
        self.sample_indices_ = da.concatenate([
            da.from_delayed(dask.delayed(np.add)(p, int(o)), shape=(n,), dtype=np.int64)
            for p, o, n in zip(positions, offsets, sizes)
        ]) if positions else da.empty(0, dtype=np.int64)
        x_parts = [dask.delayed(_take_rows)(b, p, int(n))
                   for b, p, n in zip(x_blocks, positions, n_rows)]
        y_parts = [dask.delayed(_take_rows)(b, p, int(n))
                   for b, p, n in zip(y_blocks, positions, n_rows)]
        if kind == "frame":
            dd = _dd()
            return (dd.from_delayed(x_parts, meta=X._meta, verify_meta=False),
                    dd.from_delayed(y_parts, meta=labels._meta, verify_meta=False))
        y_dtype = self._classes.dtype
        X_res = da.concatenate([
            da.from_delayed(part, shape=(n, X.shape[1]), dtype=X.dtype)
            for part, n in zip(x_parts, sizes)
        ])
        y_res = da.concatenate([
            da.from_delayed(part, shape=(n,), dtype=y_dtype) for part, n in zip(y_parts, sizes)
        ])
        return X_res, y_res


class RandomUnderSampler(_DaskRandomSampler):
    """Random under-sampling of a Dask array or DataFrame, exact and lazy.

    The counts are those of :class:`imbkit.under_sampling.RandomUnderSampler`
    for the same ``sampling_strategy``: each class it names keeps exactly that
    many rows, drawn uniformly from the whole class (see :mod:`imbkit.dask`
    for how the draw is split over the chunks); the other classes keep every
    row. Output rows stay in their input order within each chunk. ``y`` is
    read once when the sampler is fitted; ``X`` only when the output is
    computed.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As for the in-memory sampler; a callable is called with ``y`` as
        given (a dask collection).
    random_state : int, RandomState instance or None, default=None
        Same seed and same chunks, same output.
    replacement : bool, default=False
        Draw with replacement.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        ``{class: rows kept}`` for the classes under-sampled.
    class_counts_ : dict
        ``{class: rows}`` in the input.
    sample_indices_ : dask array of int64
        Row positions in the input of the output rows (after
        ``fit_resample``).

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbkit.dask import RandomUnderSampler
    >>> X = da.from_array(np.arange(200.0).reshape(100, 2), chunks=(25, 2))
    >>> y = da.from_array(np.r_[np.zeros(90, int), np.ones(10, int)], chunks=25)
    >>> X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X, y)
    >>> X_res.shape, np.bincount(y_res.compute()).tolist()
    ((20, 2), [10, 10])
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": [numbers.Real, str, dict, callable],
        "random_state": ["random_state"],
        "replacement": ["boolean"],
    }
    _sampling_type = "under-sampling"

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _share(self, klass, column, rng):
        if klass not in self.sampling_strategy_:
            return None, "all"
        keep = int(self.sampling_strategy_[klass])
        share = allot_draws(column, keep, replace=self.replacement, rng=rng)
        return share, "with" if self.replacement else "without"


class RandomOverSampler(_DaskRandomSampler):
    """Random over-sampling of a Dask array or DataFrame, exact and lazy.

    Every input row is kept; each class named by ``sampling_strategy`` gets
    exactly the rows :class:`imbkit.over_sampling.RandomOverSampler` would
    add, drawn uniformly with replacement from the whole class (see
    :mod:`imbkit.dask`). Each output chunk holds its input rows, then the
    copies drawn from them. (The smoothed bootstrap, ``shrinkage``, is not
    offered here.)

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As for the in-memory sampler; a callable is called with ``y`` as
        given (a dask collection).
    random_state : int, RandomState instance or None, default=None
        Same seed and same chunks, same output.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        ``{class: rows added}``.
    class_counts_ : dict
        ``{class: rows}`` in the input.
    sample_indices_ : dask array of int64
        Row positions in the input of the output rows (after
        ``fit_resample``).

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbkit.dask import RandomOverSampler
    >>> X = da.from_array(np.arange(200.0).reshape(100, 2), chunks=(25, 2))
    >>> y = da.from_array(np.r_[np.zeros(90, int), np.ones(10, int)], chunks=25)
    >>> X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    >>> X_res.shape, np.bincount(y_res.compute()).tolist()
    ((180, 2), [90, 90])
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": [numbers.Real, str, dict, callable],
        "random_state": ["random_state"],
    }
    _sampling_type = "over-sampling"
    _keep_all = True

    def __init__(self, *, sampling_strategy="auto", random_state=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state

    def _share(self, klass, column, rng):
        added = int(self.sampling_strategy_.get(klass, 0))
        return allot_draws(column, added, replace=True, rng=rng), "with"
