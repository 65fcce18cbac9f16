"""Tomek links: pairs of samples of different classes, each the other's nearest neighbour."""

from __future__ import annotations

import numbers

import numpy as np
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

from ..neighbors._cleaning import NN_AMBIGUOUS, nearest_other, neighbour_table
from .base import BaseCleaningSampler

__all__ = ["TomekLinks", "tomek_link_mask"]

# nearest_other's codes are >= -2; rows never asked hold this
_UNKNOWN = -3
# columns of the neighbour lists: the second neighbour and room to see where a
# run of tied distances ends
_WIDTH = 4


class _Reference:
    """The reference's own call, ``NearestNeighbors(n_neighbors=2).fit(X).kneighbors(X)``.

    Asked only about rows whose neighbour depends on the order of tied
    distances. A tree (what ``algorithm='auto'`` picks on data of at most 15
    features) answers each query row on its own, so only those rows are
    queried; scikit-learn's brute force can order ties differently depending on
    the whole batch, so there the whole call is made, as the reference does.
    """

    def __init__(self, X, n_jobs):
        self.X, self.n_jobs, self.nn = X, n_jobs, None
        self.everything = None

    def _fitted(self):
        if self.nn is None:
            self.nn = NearestNeighbors(n_neighbors=2, n_jobs=self.n_jobs).fit(self.X)
        return self.nn

    def rows(self, rows):
        """Second neighbour of ``rows``, or ``None`` when only the full call is exact."""
        nn = self._fitted()
        if getattr(nn, "_fit_method", "brute") in ("kd_tree", "ball_tree"):
            return nn.kneighbors(self.X[rows], return_distance=False)[:, 1]
        return None

    def all_rows(self):
        if self.everything is None:
            self.everything = self._fitted().kneighbors(self.X, return_distance=False)[:, 1]
        return self.everything


def _links(nn, codes):
    """Rows whose (known) nearest neighbour is of another class and points back."""
    rows = np.flatnonzero(nn >= 0)
    partner = nn[rows]
    other = codes[partner] != codes[rows]
    rows, partner = rows[other], partner[other]
    link = np.zeros(codes.size, dtype=bool)
    link[rows[nn[partner] == rows]] = True
    return link


def _as_float(X):
    X = np.asarray(X)
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    return np.ascontiguousarray(X)


def _structural_nearest(X, codes, reference):
    """Second neighbours of the rows that can be in a link, ``_UNKNOWN`` elsewhere.

    A link joins two classes, so one end is outside the largest class: the rows
    outside it are asked first, then the rows of the largest class named as
    their nearest neighbour (the only ones that can point back).
    """
    Xf = _as_float(X)
    norms = np.einsum("ij,ij->i", Xf, Xf, dtype=np.float64)
    labels = np.append(codes, -1)
    nn = np.full(codes.size, _UNKNOWN, dtype=np.intp)
    largest = np.argmax(np.bincount(codes))
    todo = np.flatnonzero(codes != largest)
    while todo.size:
        table = neighbour_table(
            Xf[todo], Xf, _WIDTH, query_norms=norms[todo], reference_norms=norms
        )
        nn[todo] = nearest_other(table, labels, codes[todo])
        tied = todo[nn[todo] == NN_AMBIGUOUS]
        if tied.size:
            answer = reference.rows(tied)
            if answer is None:
                return None
            nn[tied] = answer
        partner = nn[todo]
        keep = partner >= 0
        rows, partner = todo[keep], partner[keep]
        partner = partner[(codes[partner] != codes[rows]) & (nn[partner] == _UNKNOWN)]
        todo = np.unique(partner)
    return nn


def tomek_link_mask(X, y, classes=None, *, n_jobs=None):
    """Which samples are in a Tomek link and belong to a class to clean.

    Samples ``i`` and ``j`` form a Tomek link when they belong to different
    classes and each is the other's nearest neighbour, as
    ``NearestNeighbors(n_neighbors=2).fit(X).kneighbors(X)[:, 1]`` reports it
    (with exact duplicates, scikit-learn may report the sample itself). The
    result is that of imbalanced-learn 0.14's ``TomekLinks``, computed from the
    neighbours of the samples outside the largest class and of their nearest
    neighbours only; where tied distances make the answer depend on
    scikit-learn's order, scikit-learn is asked, as the reference does.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite. Sparse input is handed to scikit-learn.
    y : array-like of shape (n_samples,)
        Class labels.
    classes : iterable, default=None
        Classes whose samples are reported; ``None``: every class.
    n_jobs : int, default=None
        Given to scikit-learn's ``NearestNeighbors`` where it is called.

    Returns
    -------
    ndarray of bool, shape (n_samples,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.under_sampling._tomek import tomek_link_mask
    >>> X = np.array([[0.0], [1.0], [1.5], [3.0]])
    >>> tomek_link_mask(X, np.array([0, 0, 1, 1]))
    array([False,  True,  True, False])
    >>> tomek_link_mask(X, np.array([0, 0, 1, 1]), classes=[0])
    array([False,  True, False, False])
    """
    X = X if sparse.issparse(X) else np.asarray(X)
    y = np.asarray(y)
    classes_all, codes = np.unique(y, return_inverse=True)
    codes = codes.reshape(-1).astype(np.intp)
    if classes is None:
        cleaned = np.ones(classes_all.size, dtype=bool)
    else:
        wanted = list(classes)
        cleaned = np.array([c in wanted for c in classes_all.tolist()], dtype=bool)
    reference = _Reference(X, n_jobs)
    nn = None if sparse.issparse(X) else _structural_nearest(X, codes, reference)
    if nn is None:
        nn = reference.all_rows()
    return _links(nn, codes) & cleaned[codes]


class TomekLinks(BaseCleaningSampler):
    """Remove the samples of Tomek links, the closest pairs across classes.

    Two samples of different classes form a Tomek link when each is the
    other's nearest neighbour (Tomek, 1976): one of them is noise, or both lie
    on the border between the classes. The samples of the links that belong to
    a class named by ``sampling_strategy`` are removed; several classes are
    handled one against the rest.

    Selects exactly the rows of imbalanced-learn 0.14's ``TomekLinks``. Only
    the samples outside the largest class and the nearest neighbours they name
    need a neighbour search (a link joins two classes, so one end is outside
    the largest one), with imbkit's exact engine; where tied distances make the
    answer depend on scikit-learn's internal order, scikit-learn's own
    ``NearestNeighbors`` is asked, as the reference does.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes whose linked samples are removed; see
        :class:`~imbkit.under_sampling.base.BaseCleaningSampler`.
    n_jobs : int, default=None
        Passed to scikit-learn's ``NearestNeighbors`` where it is called (sparse
        input, tied distances).

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned (keys).
    sample_indices_ : ndarray of shape (n_new_samples,)
        Rows of ``X`` kept, ascending.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    See Also
    --------
    EditedNearestNeighbours : Remove samples whose neighbours disagree with them.
    OneSidedSelection : Condensed nearest neighbour, then Tomek links.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling import TomekLinks
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> X_res, y_res = TomekLinks().fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 864), (np.int64(1), 123)]
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        links = tomek_link_mask(X, y, self.sampling_strategy_.keys(), n_jobs=self.n_jobs)
        self.sample_indices_ = np.flatnonzero(~links)
        return X[self.sample_indices_], y[self.sample_indices_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if hasattr(tags, "sampler_tags"):
            tags.sampler_tags.sample_indices = True
        return tags
