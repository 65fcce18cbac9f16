"""BaseSMOTE (shared machinery of the SMOTE family) and SMOTE itself."""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.utils import check_random_state

from ...neighbors import neighbour_indices
from ...neighbors._interpolate import interpolate, interpolate_into
from ...utils._compat import HasMethods, Interval
from ...utils._validation import check_class_size, check_neighbors_object
from ..base import BaseOverSampler

__all__ = ["BaseSMOTE", "SMOTE", "Segments", "stack_synthetic"]


class Segments(NamedTuple):
    """The new samples of one class, as segments to interpolate on.

    Sample ``i`` is ``base[base_rows[i]] + steps[i] * diff_scale[i] *
    (neighbours[neighbour_rows[i]] - base[base_rows[i]])`` (no scaling when
    ``diff_scale`` is None). Every SMOTE-family method describes its output
    this way and :func:`stack_synthetic` writes it.
    """

    klass: object
    base: object
    base_rows: np.ndarray
    neighbours: object
    neighbour_rows: np.ndarray
    steps: np.ndarray
    diff_scale: np.ndarray | None = None


def stack_synthetic(X, y, segments):
    """Return ``X, y`` followed by the new samples of each ``Segments``, in order.

    Dense data are written once into a preallocated output (no intermediate
    full-size copy); sparse data are stacked in the format of ``X``.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    segments : list of Segments

    Returns
    -------
    X_resampled, y_resampled
    """
    if sparse.issparse(X):
        X_blocks, y_blocks = [X], [y]
        for seg in segments:
            X_blocks.append(interpolate(seg.base, seg.base_rows, seg.neighbours,
                                        seg.neighbour_rows, seg.steps, seg.diff_scale))
            y_blocks.append(np.full(len(seg.base_rows), seg.klass, dtype=y.dtype))
        return sparse.vstack(X_blocks, format=X.format), np.hstack(y_blocks)
    n_total = X.shape[0] + sum(len(seg.base_rows) for seg in segments)
    X_out = np.empty((n_total, X.shape[1]), dtype=X.dtype)
    X_out[: X.shape[0]] = X
    y_out = np.empty(n_total, dtype=y.dtype)
    y_out[: X.shape[0]] = y
    start = X.shape[0]
    for seg in segments:
        stop = start + len(seg.base_rows)
        interpolate_into(X_out[start:stop], seg.base, seg.base_rows, seg.neighbours,
                         seg.neighbour_rows, seg.steps, seg.diff_scale)
        y_out[start:stop] = seg.klass
        start = stop
    return X_out, y_out


def _n_neighbors_of(estimator):
    return getattr(estimator, "n_neighbors", None)


class BaseSMOTE(BaseOverSampler):
    """Shared machinery of the SMOTE family: neighbour checks and sample generation."""

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
    }

    def __init__(self, sampling_strategy="auto", random_state=None, k_neighbors=5):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _validate_estimator(self):
        self.nn_k_ = check_neighbors_object(
            "k_neighbors", self.k_neighbors, additional_neighbor=1
        )

    def _check_class_size(self, n_class_samples, klass, estimator=None, param="k_neighbors"):
        n_neighbors = _n_neighbors_of(estimator if estimator is not None else self.nn_k_)
        if n_neighbors is not None:
            check_class_size(n_class_samples, n_neighbors, klass, param=param)

    def _draw(self, n_candidates, n_samples, step_size=1.0):
        """Draw (candidate index, step) pairs in the reference's order.

        A fresh generator is made from ``random_state`` on every call, as the
        reference does, so that an int seed gives identical results to it.
        """
        random_state = check_random_state(self.random_state)
        picks = random_state.randint(low=0, high=n_candidates, size=n_samples)
        steps = step_size * random_state.uniform(size=n_samples)
        return picks, steps

    def _segments(self, klass, X, nn_data, nn_num, n_samples, step_size=1.0):
        """``n_samples`` random segments from rows of ``X`` to their neighbours.

        ``nn_num[i]`` lists the rows of ``nn_data`` that are neighbours of
        ``X[i]``; a (row, neighbour) pair is drawn uniformly, then a step.
        """
        picks, steps = self._draw(nn_num.size, n_samples, step_size)
        rows, cols = np.divmod(picks, nn_num.shape[1])
        return Segments(klass, X, rows, nn_data, nn_num[rows, cols], steps)


class SMOTE(BaseSMOTE):
    """Synthetic Minority Over-sampling TEchnique (Chawla et al., 2002).

    Each new sample lies on the segment between a minority sample and one of
    its ``k_neighbors`` nearest neighbours of the same class, at a uniform
    random position. Same output as imbalanced-learn 0.14 for the same
    ``random_state``; faster because the output is written in place, in
    cache-sized chunks, and the neighbour search uses imbkit's exact engine.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        See :class:`~imbkit.over_sampling.base.BaseOverSampler`.
    random_state : int, RandomState instance or None, default=None
    k_neighbors : int or object, default=5
        Number of same-class neighbours to interpolate with, or an object with
        ``kneighbors`` (scikit-learn estimator, approximate index) asked for
        ``n_neighbors`` neighbours, the first of which is the sample itself.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples added per class.
    nn_k_ : estimator object
        The neighbours estimator built from ``k_neighbors``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.over_sampling import SMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = SMOTE(random_state=42).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 898)]
    """

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5):
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            k_neighbors=k_neighbors,
        )

    def _fit_resample(self, X, y):
        self._validate_estimator()
        segments = []
        for klass, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            X_class = X[np.flatnonzero(y == klass)]
            self._check_class_size(X_class.shape[0], klass)
            nns = neighbour_indices(self.nn_k_, self.k_neighbors, X_class, X_class)[:, 1:]
            segments.append(self._segments(klass, X_class, X_class, nns, n_samples))
        return stack_synthetic(X, y, segments)
