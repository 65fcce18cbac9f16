"""ADASYN: SMOTE-like interpolation, more samples where a class is hard to learn."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import check_random_state

from ..exceptions import ResamplingError, SamplingStrategyError
from ..neighbors import neighbour_indices
from ..utils._compat import HasMethods, Interval
from ..utils._validation import _plain, check_class_size, check_neighbors_object
from ._smote.base import Segments, stack_synthetic
from .base import BaseOverSampler

__all__ = ["ADASYN", "adasyn_sample_counts"]


def adasyn_sample_counts(neighbour_labels, klass, n_samples):
    """Number of new samples to generate from each sample of ``klass``.

    A sample's share of ``n_samples`` is proportional to the fraction of its
    nearest neighbours that belong to another class; each share is rounded
    to the nearest integer (halves to even), so the total may differ from
    ``n_samples``.

    Parameters
    ----------
    neighbour_labels : ndarray of shape (n_class_samples, n_neighbors)
        Labels of the nearest neighbours (in the whole data) of each sample.
    klass : object
        The class being over-sampled.
    n_samples : int
        The number of new samples asked for.

    Returns
    -------
    ndarray of int, shape (n_class_samples,)

    Raises
    ------
    ResamplingError
        No neighbour belongs to another class.
    SamplingStrategyError
        Every share rounds to zero.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.over_sampling._adasyn import adasyn_sample_counts
    >>> labels = np.array([[1, 0], [1, 1], [0, 0]])
    >>> adasyn_sample_counts(labels, 1, 6)
    array([2, 0, 4])
    """
    n_neighbors = neighbour_labels.shape[1]
    # the same float operations, in the same order, as the reference: the
    # rounding of each share depends on them
    ratio = np.sum(neighbour_labels != klass, axis=1) / n_neighbors
    if not np.sum(ratio):
        raise ResamplingError(
            f"ADASYN cannot over-sample class {_plain(klass)!r}: none of the "
            f"{n_neighbors} nearest neighbours of its samples belongs to another "
            "class, so every sample gets a weight of zero. The class is well "
            "separated: use SMOTE instead, or a larger n_neighbors."
        )
    ratio /= np.sum(ratio)
    counts = np.rint(ratio * n_samples).astype(int)
    if not np.sum(counts):
        raise SamplingStrategyError(
            f"ADASYN would generate no sample of class {_plain(klass)!r}: the {n_samples} "
            f"sample(s) asked for are shared among {len(counts)} samples in "
            "proportion to their difficulty and every share rounds to zero. Ask "
            "for more samples with sampling_strategy, or use SMOTE."
        )
    return counts


class ADASYN(BaseOverSampler):
    """Adaptive Synthetic sampling (He et al., 2008).

    Like SMOTE, each new sample lies on the segment between a sample of the
    class and one of its ``n_neighbors`` nearest neighbours of the same class,
    at a uniform random position; but the number of new samples drawn from a
    sample grows with the fraction of its ``n_neighbors`` nearest neighbours
    (in the whole data) that belong to another class, so the hard regions
    near the class boundary get more of them. Several classes are handled
    one against the rest.

    Same output as imbalanced-learn 0.14 for the same ``random_state``;
    faster because the neighbour search uses imbkit's exact engine and the
    new samples are written straight into the output, without intermediate
    full-size copies.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        See :class:`~imbkit.over_sampling.base.BaseOverSampler`. After
        rounding, the number of samples added may differ slightly from it.
    random_state : int, RandomState instance or None, default=None
    n_neighbors : int or object, default=5
        Number of nearest neighbours, or an object with ``kneighbors`` (a
        scikit-learn estimator, an approximate index) asked for
        ``n_neighbors`` neighbours, the first of which is the sample itself.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples asked for per class.
    nn_ : estimator object
        The neighbours estimator built from ``n_neighbors``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Raises
    ------
    ResamplingError
        (a ``RuntimeError`` and ``ValueError``) when no sample of a class has
        a neighbour of another class.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.over_sampling import ADASYN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = ADASYN(random_state=42).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 895)]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.n_neighbors = n_neighbors

    def _validate_estimator(self):
        self.nn_ = check_neighbors_object(
            "n_neighbors", self.n_neighbors, additional_neighbor=1
        )

    def _plan_class(self, X, y, klass, n_samples, random_state):
        """Base rows (in ``X_class``), neighbour rows and steps for one class."""
        class_rows = np.flatnonzero(y == klass)
        X_class = X[class_rows]
        n_with_self = getattr(self.nn_, "n_neighbors", None)
        if n_with_self is not None:
            check_class_size(len(class_rows), n_with_self, klass, param="n_neighbors")
        nns = neighbour_indices(self.nn_, self.n_neighbors, X, X_class)[:, 1:]
        counts = adasyn_sample_counts(y[nns], klass, n_samples)
        nns = neighbour_indices(self.nn_, self.n_neighbors, X_class, X_class)[:, 1:]
        n_new = int(np.sum(counts))
        rows = np.repeat(np.arange(len(class_rows)), counts)
        # drawn in the reference's order from the one generator of the call
        cols = random_state.choice(self.nn_.n_neighbors - 1, size=n_new)
        steps = random_state.uniform(size=n_new)
        return Segments(klass, X_class, rows, X_class, nns[rows, cols], steps)

    def _fit_resample(self, X, y):
        self._validate_estimator()
        random_state = check_random_state(self.random_state)
        segments = [
            self._plan_class(X, y, klass, n_samples, random_state)
            for klass, n_samples in self.sampling_strategy_.items()
            if n_samples != 0
        ]
        return stack_synthetic(X, y, segments)
