"""Distances between samples made of categorical features.

The Value Difference Metric (Stanfill & Waltz, 1986; Wilson & Martinez, 1997)
says that two categories of a feature are close when they predict the classes
alike. With ``P(c | x_f)`` the share of the samples holding category ``x_f`` in
feature ``f`` that belong to class ``c``, the distance between samples ``x``
and ``y`` is

.. math::

    \\delta(x, y) = \\sum_{f} \\Big( \\sum_{c} |P(c | x_f) - P(c | y_f)|^k
    \\Big)^{r / k}

(with ``k = 1`` the inner root disappears). Because a feature's term depends
only on the two categories, it is computed once per pair of categories, and the
distance between samples is a sum of table look-ups: the values are those of
imbalanced-learn 0.14, bit for bit, at the cost of indexing instead of one
``n_x x n_y x n_classes`` computation per feature.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.spatial import distance_matrix
from sklearn.base import BaseEstimator
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from ..exceptions import InvalidInputError
from ..utils._compat import StrOptions

__all__ = [
    "ValueDifferenceMetric",
    "value_difference_distances",
    "value_difference_kneighbors",
    "value_difference_tables",
]

_CODES_HINT = (
    "The Value Difference Metric expects categories encoded as integers 0, 1, ..., "
    "n_categories - 1 per feature, e.g. with sklearn.preprocessing.OrdinalEncoder."
)


def value_difference_tables(proba_per_class, k=1, r=2):
    """Per feature, the distance term between every pair of its categories.

    Parameters
    ----------
    proba_per_class : list of ndarray of shape (n_categories_f, n_classes)
        ``P(class | category)`` of each feature.
    k : int, default=1
        Exponent of the per-class differences.
    r : int, default=2
        Exponent of the per-feature term.

    Returns
    -------
    list of ndarray of shape (n_categories_f, n_categories_f), float64

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.metrics.pairwise import value_difference_tables
    >>> value_difference_tables([np.array([[1.0, 0.0], [0.5, 0.5]])])[0]
    array([[0., 1.],
           [1., 0.]])
    """
    # distance_matrix on the category rows computes, pair by pair, the very
    # expression the reference evaluates on the rows of the samples
    return [distance_matrix(proba, proba, p=k) ** r for proba in proba_per_class]


def value_difference_distances(tables, X, Y, out=None):
    """Sum the per-feature table entries of every (row of ``X``, row of ``Y``) pair.

    Parameters
    ----------
    tables : list of ndarray
        From :func:`value_difference_tables`.
    X : ndarray of int, shape (n_x, n_features)
    Y : ndarray of int, shape (n_y, n_features)
    out : ndarray of float64, shape (n_x, n_y), default=None
        Where to write the result.

    Returns
    -------
    ndarray of float64, shape (n_x, n_y)
    """
    if out is None:
        out = np.empty((X.shape[0], Y.shape[0]), dtype=np.float64)
    # features are added in order, starting from zero, as in the reference
    out[...] = 0.0
    for feature, table in enumerate(tables):
        rows = table[X[:, feature]]
        out += rows[:, Y[:, feature]]
    return out


def value_difference_kneighbors(tables, codes, n_neighbors, memory_budget=1 << 25):
    """Nearest rows of ``codes`` to each of its rows, the row itself included.

    Equals ``NearestNeighbors(n_neighbors=n_neighbors, metric="precomputed")``
    fitted on, then asked about, the full distance matrix: every row of
    distances goes through the ``argpartition`` then ``argsort`` of
    scikit-learn's brute force, so tied distances come out in its order. Rows
    are handled in blocks of at most ``memory_budget`` bytes of distances: no
    ``n x n`` matrix is formed.

    Parameters
    ----------
    tables : list of ndarray
        From :func:`value_difference_tables`.
    codes : ndarray of int, shape (n, n_features)
    n_neighbors : int
    memory_budget : int, default=32 MiB

    Returns
    -------
    ndarray of intp, shape (n, n_neighbors)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.metrics.pairwise import value_difference_kneighbors
    >>> tables = [np.array([[0.0, 1.0], [1.0, 0.0]])]
    >>> value_difference_kneighbors(tables, np.array([[0], [1], [0]]), 2)
    array([[0, 2],
           [1, 0],
           [0, 2]])
    """
    n = codes.shape[0]
    step = max(1, memory_budget // (8 * n))
    out = np.empty((n, n_neighbors), dtype=np.intp)
    buffer = np.empty((min(step, n), n), dtype=np.float64)
    for start in range(0, n, step):
        stop = min(n, start + step)
        dist = value_difference_distances(tables, codes[start:stop], codes, buffer[: stop - start])
        nearest = np.argpartition(dist, n_neighbors - 1, axis=1)[:, :n_neighbors]
        order = np.argsort(np.take_along_axis(dist, nearest, axis=1), axis=1)
        out[start:stop] = np.take_along_axis(nearest, order, axis=1)
    return out


class ValueDifferenceMetric(BaseEstimator):
    """Value Difference Metric (VDM) between samples with categorical features.

    Two categories of a feature are close when the classes are distributed
    alike among the samples holding them. ``fit`` estimates, per feature, the
    share of each class among the samples of each category; ``pairwise`` then
    gives the distance between samples (see :mod:`imbkit.metrics.pairwise`).
    Same parameters, attributes and distances as imbalanced-learn 0.14.

    Parameters
    ----------
    n_categories : "auto" or array-like of shape (n_features,), default="auto"
        Number of categories of each feature. ``"auto"`` takes the largest code
        seen by ``fit`` plus one.
    k : int, default=1
        Exponent of the difference between class shares.
    r : int, default=2
        Exponent of each feature's term.

    Attributes
    ----------
    n_categories_ : ndarray of shape (n_features,)
        Number of categories of each feature.
    proba_per_class_ : list of ndarray of shape (n_categories, n_classes)
        Share of each class among the samples of each category; rows of
        categories absent from the data are zero.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Notes
    -----
    ``X`` must hold categories encoded as integers ``0 .. n_categories - 1``,
    e.g. the output of :class:`~sklearn.preprocessing.OrdinalEncoder`. Unlike
    imbalanced-learn, codes outside the fitted range and a wrong number of
    features raise a clear error instead of an ``IndexError`` or a silently
    wrong result.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.metrics import ValueDifferenceMetric
    >>> X = np.array([[0], [0], [1], [1], [2]])
    >>> y = np.array([0, 0, 0, 1, 1])
    >>> vdm = ValueDifferenceMetric().fit(X, y)
    >>> vdm.pairwise(np.array([[0], [1], [2]]))
    array([[0., 1., 4.],
           [1., 0., 1.],
           [4., 1., 0.]])
    """

    _parameter_constraints: dict = {
        "n_categories": [StrOptions({"auto"}), "array-like"],
        "k": [numbers.Integral],
        "r": [numbers.Integral],
    }

    def __init__(self, *, n_categories="auto", k=1, r=2):
        self.n_categories = n_categories
        self.k = k
        self.r = r

    def fit(self, X, y):
        """Estimate the class shares of every category of every feature.

        Parameters
        ----------
        X : array-like of int, shape (n_samples, n_features)
            Ordinal-encoded categories.
        y : array-like of shape (n_samples,)
            Classes.

        Returns
        -------
        self : ValueDifferenceMetric
        """
        self._validate_params()
        check_consistent_length(X, y)
        X, y = validate_data(self, X=X, y=y, reset=True, dtype=np.int32)
        _check_non_negative(X, "fit")
        if isinstance(self.n_categories, str):
            self.n_categories_ = X.max(axis=0) + 1
        else:
            n_categories = np.asarray(self.n_categories)
            if n_categories.shape != (self.n_features_in_,):
                raise InvalidInputError(
                    f"n_categories has {len(self.n_categories)} entries but X has "
                    f"{self.n_features_in_} features; give one number of categories "
                    "per feature, or n_categories='auto'."
                )
            _check_codes_in_range(X, n_categories, "fit")
            self.n_categories_ = n_categories
        unique_labels(y)  # refuses continuous or mixed-type targets
        classes, y_index = np.unique(y, return_inverse=True)
        n_classes = classes.size
        self.proba_per_class_ = []
        for feature, n_cat in enumerate(self.n_categories_):
            counts = np.bincount(
                X[:, feature].astype(np.intp) * n_classes + y_index,
                minlength=int(n_cat) * n_classes,
            ).reshape(int(n_cat), n_classes).astype(np.float64)
            with np.errstate(invalid="ignore"):
                counts /= counts.sum(axis=1).reshape(-1, 1)
            np.nan_to_num(counts, copy=False)
            self.proba_per_class_.append(counts)
        return self

    def pairwise(self, X, Y=None):
        """Distances between the rows of ``X`` and those of ``Y`` (or of ``X``).

        Parameters
        ----------
        X : array-like of int, shape (n_samples_X, n_features)
            Ordinal-encoded categories.
        Y : array-like of int, shape (n_samples_Y, n_features), default=None
            Ordinal-encoded categories; ``None`` means ``X``.

        Returns
        -------
        distance : ndarray of float64, shape (n_samples_X, n_samples_Y)
        """
        check_is_fitted(self)
        X = self._check_codes(X)
        Y = X if Y is None else self._check_codes(Y)
        return value_difference_distances(self._tables(), X, Y)

    def _check_codes(self, X):
        X = check_array(X, dtype=np.int32)
        if X.shape[1] != self.n_features_in_:
            raise InvalidInputError(
                f"X has {X.shape[1]} features, but ValueDifferenceMetric was fitted "
                f"with {self.n_features_in_}; pass the same encoded columns as to fit."
            )
        _check_non_negative(X, "pairwise")
        _check_codes_in_range(X, self.n_categories_, "pairwise")
        return X

    def _tables(self):
        return value_difference_tables(self.proba_per_class_, self.k, self.r)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags


def _check_non_negative(X, method):
    if X.size and X.min() < 0:
        raise InvalidInputError(
            f"X passed to ValueDifferenceMetric.{method} holds negative values. "
            f"{_CODES_HINT}"
        )


def _check_codes_in_range(X, n_categories, method):
    too_big = np.flatnonzero(X.max(axis=0) >= np.asarray(n_categories))
    if too_big.size:
        feature = int(too_big[0])
        raise InvalidInputError(
            f"X passed to ValueDifferenceMetric.{method} holds code "
            f"{int(X[:, feature].max())} in feature {feature}, which has "
            f"{int(n_categories[feature])} categories. {_CODES_HINT}"
        )
