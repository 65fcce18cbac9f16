"""NeighbourhoodCleaningRule: ENN, then clean around misclassified minority samples.

Laurikkala's rule (2001) removes the union of two groups of samples: A1, the
samples edited out by an :class:`EditedNearestNeighbours` pass, and A2, the
neighbours of every minority sample that a k-nearest-neighbour vote
misclassifies, when they belong to a class large enough to clean. Only the
minority samples need a neighbour search for A2, so after ENN the rule costs
one small query against the whole data set.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from ..exceptions import NotEnoughSamplesError
from ..neighbors import TieError, kneighbors
from ..utils._compat import HasMethods, Interval
from ._edited import EditedNearestNeighbours
from .base import BaseCleaningSampler

__all__ = ["NeighbourhoodCleaningRule", "misclassified_neighbourhood"]


def _vote(labels, n_classes):
    """Most frequent code on each row of ``labels`` (ties: the smallest code)."""
    n_rows = labels.shape[0]
    offsets = np.arange(n_rows)[:, None] * n_classes
    counts = np.bincount((labels + offsets).ravel(), minlength=n_rows * n_classes)
    return counts.reshape(n_rows, n_classes).argmax(axis=1)


def misclassified_neighbourhood(X, codes, rows, n_neighbors):
    """Neighbours of the rows whose k-nearest-neighbour vote is not their class.

    Each of ``rows`` votes with its ``n_neighbors`` nearest rows of ``X``
    itself included (``KNeighborsClassifier(n_neighbors).fit(X, y).predict``
    on training rows, ties going to the smallest class); for the rows the
    vote misclassifies, their ``n_neighbors`` nearest other rows (positions
    ``1 .. n_neighbors`` of the ``n_neighbors + 1`` nearest) are returned.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    codes : ndarray of int, shape (n_samples,)
        Class of each row as an index into the sorted classes.
    rows : ndarray of int
        The rows examined (NCR: the minority class).
    n_neighbors : int
        Size of the vote, ``n_neighbors + 1 <= n_samples``.

    Returns
    -------
    ndarray of int
        Sorted unique row indices.

    Raises
    ------
    TieError
        When some examined row has tied distances among its first
        ``n_neighbors + 2`` neighbours: scikit-learn then decides the order,
        and the caller must ask it.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.under_sampling._ncr import misclassified_neighbourhood
    >>> X = np.array([[0.0], [1.1], [2.3], [3.6], [10.0], [11.2]])
    >>> codes = np.array([0, 0, 1, 0, 1, 1])
    >>> misclassified_neighbourhood(X, codes, np.array([2, 4, 5]), 3)
    array([0, 1, 3])
    """
    if rows.size == 0:
        return np.empty(0, dtype=np.intp)
    ind = kneighbors(X[rows], X, n_neighbors + 1, on_tie="raise")[1]
    vote = _vote(codes[ind[:, :n_neighbors]], int(codes.max()) + 1)
    wrong = vote != codes[rows]
    return np.unique(ind[wrong, 1:])


class NeighbourhoodCleaningRule(BaseCleaningSampler):
    """Under-sample with the neighbourhood cleaning rule (Laurikkala, 2001).

    Removes A1, the samples an :class:`EditedNearestNeighbours` pass
    (``kind_sel='mode'``) edits out, and A2: for each minority sample whose
    ``n_neighbors``-nearest-neighbour vote (the sample itself included, ties
    to the smallest class) is not the minority class, its ``n_neighbors``
    nearest other samples that belong to a class in ``classes_to_clean_``.
    The minority class is the least frequent one (between equally frequent
    classes, the one appearing first in ``y``); a class is cleaned when
    ``sampling_strategy`` names it and it has more than
    ``threshold_cleaning`` times as many samples as the minority.

    Selects exactly the rows imbalanced-learn 0.14 selects. A2 needs only the
    minority samples' neighbours, searched with imbkit's exact engine; when
    distances are tied, the order scikit-learn would give is not determined
    by the distances, so the minority samples are then asked of
    ``KNeighborsClassifier`` itself, as the reference does.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to clean; see
        :class:`~imbkit.under_sampling.base.BaseCleaningSampler`.
    edited_nearest_neighbours : sampler, default=None
        Sampler with ``fit_resample`` and ``sample_indices_`` giving A1,
        cloned. ``None``: ``EditedNearestNeighbours(sampling_strategy=
        sampling_strategy, n_neighbors=n_neighbors, kind_sel='mode',
        n_jobs=n_jobs)``.
    n_neighbors : int or object, default=3
        Size of the vote. An object with ``kneighbors`` is cloned and used
        as the classifier (it must also have ``predict``), except a
        ``NearestNeighbors``, which counts the sample itself and gives
        ``KNeighborsClassifier(n_neighbors=its n_neighbors - 1)``.
    threshold_cleaning : float, default=0.5
        A class is cleaned in A2 only when it has more than
        ``threshold_cleaning * n_minority`` samples.
    n_jobs : int, default=None
        Jobs for the scikit-learn estimators.

    Attributes
    ----------
    sampling_strategy_ : dict
        Keys: the classes named by ``sampling_strategy``.
    edited_nearest_neighbours_ : sampler
        The fitted sampler that gave A1.
    nn_ : estimator
        The fitted k-nearest-neighbour classifier of the A2 vote.
    classes_to_clean_ : list
        Classes whose samples can be removed in A2, in order of first
        appearance in ``y``.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Indices of the kept rows, ascending.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling._ncr import NeighbourhoodCleaningRule
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = NeighbourhoodCleaningRule().fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 807), (np.int64(1), 102)]
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "edited_nearest_neighbours": [HasMethods(["fit_resample"]), None],
        "n_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
        "threshold_cleaning": [Interval(numbers.Real, 0, None, closed="neither")],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", edited_nearest_neighbours=None,
                 n_neighbors=3, threshold_cleaning=0.5, n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.edited_nearest_neighbours = edited_nearest_neighbours
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.n_jobs = n_jobs

    def _validate_estimator(self):
        """Build ``nn_`` and ``edited_nearest_neighbours_``; True if ``nn_`` is plain."""
        plain = True
        if isinstance(self.n_neighbors, numbers.Integral):
            k = int(self.n_neighbors)
        elif isinstance(self.n_neighbors, NearestNeighbors):
            k = self.n_neighbors.n_neighbors - 1
            if k < 1:
                raise ValueError(
                    "A NearestNeighbors given as n_neighbors counts the sample "
                    "itself, so its n_neighbors must be at least 2; got "
                    f"{self.n_neighbors.n_neighbors}."
                )
        else:
            plain = False
        if plain:
            self.nn_ = KNeighborsClassifier(n_neighbors=k, n_jobs=self.n_jobs)
        else:
            if not hasattr(self.n_neighbors, "predict"):
                raise TypeError(
                    "n_neighbors must be an int, a NearestNeighbors or a "
                    "k-nearest-neighbour classifier (with kneighbors and predict); "
                    f"got {self.n_neighbors!r}, which has no predict method."
                )
            self.nn_ = clone(self.n_neighbors)
        if self.edited_nearest_neighbours is None:
            self.edited_nearest_neighbours_ = EditedNearestNeighbours(
                sampling_strategy=self.sampling_strategy, n_neighbors=self.n_neighbors,
                kind_sel="mode", n_jobs=self.n_jobs,
            )
        else:
            self.edited_nearest_neighbours_ = clone(self.edited_nearest_neighbours)
        return plain

    def _check_size(self, n_samples):
        k = getattr(self.nn_, "n_neighbors", None)
        if isinstance(k, numbers.Integral) and n_samples < k + 1:
            raise NotEnoughSamplesError(
                f"NeighbourhoodCleaningRule with n_neighbors={k} needs at least "
                f"{k + 1} samples (each sample and its {k} neighbours); X has "
                f"{n_samples}. Lower n_neighbors to at most {n_samples - 1}."
            )

    def _classes(self, y):
        """Sorted classes, codes of y, the minority's code and the classes to clean."""
        classes, first, codes, counts = np.unique(
            y, return_index=True, return_inverse=True, return_counts=True
        )
        appearance = np.argsort(first, kind="stable")
        # the reference's min over a Counter: first-appearing of the least frequent
        minority = appearance[np.argmin(counts[appearance])]
        limit = counts.min() * self.threshold_cleaning
        clean = [classes[i] for i in appearance
                 if classes[i] in self.sampling_strategy_ and counts[i] > limit]
        return classes, codes.reshape(-1), minority, clean

    def _a2_reference(self, X, y, minority_rows):
        """A2 candidates as imbalanced-learn computes them (any estimator, any data)."""
        X_min = X[minority_rows]
        wrong = self.nn_.predict(X_min) != y[minority_rows]
        ind = self.nn_.kneighbors(
            X_min, n_neighbors=self.nn_.n_neighbors + 1, return_distance=False
        )[:, 1:]
        return np.unique(ind[wrong])

    def _fit_resample(self, X, y):
        plain = self._validate_estimator()
        self._check_size(X.shape[0])
        enn = self.edited_nearest_neighbours_
        enn.fit_resample(X, y)
        if not hasattr(enn, "sample_indices_"):
            raise TypeError(
                "edited_nearest_neighbours must be a sampler that records the rows "
                f"it keeps in sample_indices_ after fit_resample; {enn!r} does not."
            )
        removed = np.ones(y.shape[0], dtype=bool)
        removed[enn.sample_indices_] = False

        classes, codes, minority, clean = self._classes(y)
        self.classes_to_clean_ = clean
        minority_rows = np.flatnonzero(codes == minority)
        self.nn_.fit(X, y)
        a2 = None
        if plain and not sparse.issparse(X):
            try:
                a2 = misclassified_neighbourhood(
                    X, codes, minority_rows, self.nn_.n_neighbors
                )
            except TieError:
                a2 = None
        if a2 is None:
            a2 = self._a2_reference(X, y, minority_rows)
        cleanable = np.array([klass in clean for klass in classes], dtype=bool)
        removed[a2[cleanable[codes[a2]]]] = True
        self.sample_indices_ = np.flatnonzero(~removed)
        X_out = X[self.sample_indices_]
        if sparse.issparse(X_out):
            X_out = X_out.asformat(X.format)
        return X_out, y[self.sample_indices_]
