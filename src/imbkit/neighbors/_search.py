"""Neighbour queries as the reference implementations ask them, answered fast.

Samplers take ``k_neighbors`` / ``n_neighbors`` as an int or as an object with
``kneighbors``. :func:`neighbour_indices` gives what the reference's call
``estimator.fit(reference).kneighbors(query)`` returns, using imbkit's exact
engine for int parameters and the estimator itself otherwise (or on ties).
"""

from __future__ import annotations

from numbers import Integral

from scipy import sparse

from ._knn import TieError, kneighbors

__all__ = ["neighbour_indices"]


def neighbour_indices(estimator, n_neighbors_param, reference, query, *, estimator_data=None):
    """Indices of the nearest neighbours of ``query`` rows among ``reference`` rows.

    The result is what ``estimator.fit(reference).kneighbors(query)`` returns
    (the reference implementations' call). When the user gave an int, imbkit's
    exact engine answers instead, faster; if it finds tied distances whose
    order scikit-learn decides by its own internal layout, the estimator is
    called so the tie is broken exactly as in the reference.

    Parameters
    ----------
    estimator : KNeighborsMixin-like
        The (unfitted or fitted) estimator built from the user's parameter.
    n_neighbors_param : int or object
        The user's parameter: an int selects the fast engine.
    reference, query : ndarray or sparse matrix
    estimator_data : callable, default=None
        Returns the ``(reference, query)`` pair the estimator is called on, when
        the reference implementation calls it on another representation of the
        same data (SMOTENC's sparse encoding, whose rounding differs).

    Returns
    -------
    ndarray of int, shape (n_query, estimator.n_neighbors)
    """
    if isinstance(n_neighbors_param, Integral) and not sparse.issparse(reference):
        try:
            return kneighbors(
                query, reference, estimator.n_neighbors, on_tie="raise"
            )[1]
        except TieError:
            pass
    if estimator_data is not None:
        reference, query = estimator_data()
    estimator.fit(reference)
    return estimator.kneighbors(query, return_distance=False)
