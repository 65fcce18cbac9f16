"""Exact k-nearest-neighbour queries (euclidean), equal to scikit-learn's brute force.

:func:`kneighbors` runs a chunked float32 filter and an exact float64 refinement
(see :mod:`imbkit.neighbors._engine`), then checks whether the order is decided:
scikit-learn breaks ties between (nearly) equal distances in an order set by its
heap layout and thread count, which cannot be reproduced cheaply. When two of the
first ``n_neighbors + 1`` distances of a query are within a tolerance of each other,
``on_tie`` decides: recompute with scikit-learn (default), raise :class:`TieError`,
or keep the engine's order (smaller reference index first).
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

from ._engine import CandidateOverflow, run_engine

__all__ = ["TieError", "kneighbors", "kneighbors_sklearn"]

_ON_TIE = ("sklearn", "raise", "ignore")
# Under on_tie="sklearn", problems of at most _SMALL_PAIRS (query, reference) pairs
# or with fewer than _SMALL_REFERENCE reference rows go to scikit-learn directly (the
# answer is the same by definition): there, measured on 2 cores, the engine's fixed
# and per-query costs match or exceed scikit-learn's whole run.
_SMALL_PAIRS = 1 << 20
_SMALL_REFERENCE = 1000
# Under on_tie="sklearn", stop the engine once more than this many pairs per query
# and tracked neighbour passed its float32 filter (about 7 on continuous data): so
# many near-equal distances mean a tie, hence the fallback, anyway.
_CANDIDATES_PER_NEIGHBOR = 48


class TieError(ValueError):
    """Raised by ``kneighbors(..., on_tie="raise")`` when the neighbour order is tied.

    Attributes
    ----------
    rows : ndarray of int
        Query rows whose first ``n_neighbors + 1`` distances contain a tie.
    """

    def __init__(self, message, rows):
        super().__init__(message)
        self.rows = rows


def _check_inputs(query, reference, n_neighbors, exclude):
    query = np.asarray(query)
    reference = np.asarray(reference)
    for name, arr in (("query", query), ("reference", reference)):
        if arr.ndim != 2:
            raise ValueError(
                f"{name} must be a 2-D array of shape (n_samples, n_features); "
                f"got an array with {arr.ndim} dimension(s)."
            )
        if arr.dtype.kind not in "fiub":
            raise ValueError(f"{name} must hold real numbers; got dtype {arr.dtype}.")
    if query.shape[1] != reference.shape[1]:
        raise ValueError(
            f"query has {query.shape[1]} features but reference has "
            f"{reference.shape[1]}; both must have the same number of columns."
        )
    if reference.shape[0] == 0:
        raise ValueError("reference must contain at least one row.")
    if reference.shape[1] == 0:
        raise ValueError("query and reference must have at least one feature.")
    # As scikit-learn: float32 stays float32 when both are; all else is float64.
    # No copy when the dtype already fits (any memory layout works).
    both32 = query.dtype == np.float32 and reference.dtype == np.float32
    dtype = np.float32 if both32 else np.float64
    query = np.asarray(query, dtype=dtype)
    reference = np.asarray(reference, dtype=dtype)
    n_ref = reference.shape[0]
    if isinstance(n_neighbors, (bool, np.bool_)) or not isinstance(
        n_neighbors, Integral
    ):
        # ValueError like every other bad argument here (the caller's contract).
        message = f"n_neighbors must be an integer; got {n_neighbors!r}."
        raise ValueError(message)  # noqa: TRY004
    n_neighbors = int(n_neighbors)
    if exclude is not None:
        exclude = _check_exclude(exclude, query.shape[0], n_ref)
    available = n_ref - (exclude is not None and bool(np.any(exclude >= 0)))
    if not 1 <= n_neighbors <= available:
        raise ValueError(
            f"n_neighbors must be in [1, {available}] (the reference rows available "
            f"to each query); got {n_neighbors}."
        )
    return query, reference, n_neighbors, exclude


def _check_exclude(exclude, n_query, n_ref):
    exclude = np.asarray(exclude)
    if exclude.shape != (n_query,) or exclude.dtype.kind not in "iu":
        raise ValueError(
            "exclude must be a 1-D integer array with one entry per query row "
            f"({n_query}); got shape {exclude.shape} and dtype {exclude.dtype}."
        )
    exclude = exclude.astype(np.intp)
    if exclude.size and exclude.max() >= n_ref:
        raise ValueError(
            f"exclude holds index {int(exclude.max())}, but reference has only "
            f"{n_ref} rows; use -1 for queries that exclude nothing."
        )
    return np.where(exclude < 0, -1, exclude)


def _check_budget(memory_budget):
    if (
        isinstance(memory_budget, (bool, np.bool_))
        or not isinstance(memory_budget, Integral)
        or memory_budget <= 0
    ):
        raise ValueError(
            "memory_budget must be a positive integer number of bytes; "
            f"got {memory_budget!r}."
        )
    return int(memory_budget)


def _drop_excluded(dist, ind, exclude, n_neighbors):
    """Remove each query's excluded index from a ``n_neighbors + 1`` wide result.

    Where the excluded index is absent, the last column goes.
    """
    hit = ind == exclude[:, None]
    miss = ~hit.any(axis=1)
    hit[miss, -1] = True
    keep = ~hit
    n_q = ind.shape[0]
    return dist[keep].reshape(n_q, -1)[:, :n_neighbors], ind[keep].reshape(n_q, -1)[
        :, :n_neighbors
    ]


def kneighbors_sklearn(query, reference, n_neighbors, *, exclude=None):
    """Scikit-learn's brute-force k nearest neighbours: the oracle and fallback.

    Parameters
    ----------
    query : array-like of shape (n_query, n_features)
        Rows whose neighbours are wanted.
    reference : array-like of shape (n_reference, n_features)
        Rows searched.
    n_neighbors : int
        Neighbours per query row.
    exclude : array-like of shape (n_query,) of int, optional
        Reference row to leave out for each query row (``-1``: none). Computed as
        ``n_neighbors + 1`` neighbours minus the excluded row, or minus the last one
        when the excluded row is not among them.

    Returns
    -------
    distances : ndarray of shape (n_query, n_neighbors), float64
    indices : ndarray of shape (n_query, n_neighbors), int

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors import kneighbors_sklearn
    >>> X = np.array([[0.0], [1.0], [3.0]])
    >>> kneighbors_sklearn(X[:1], X, 2)[1]
    array([[0, 1]])
    """
    from sklearn.neighbors import NearestNeighbors

    query, reference, n_neighbors, exclude = _check_inputs(
        query, reference, n_neighbors, exclude
    )
    extra = int(exclude is not None)
    n_fit = min(n_neighbors + extra, reference.shape[0])
    nn = NearestNeighbors(n_neighbors=n_fit, algorithm="brute").fit(reference)
    dist, ind = nn.kneighbors(query)
    if exclude is not None:
        if (
            n_fit == n_neighbors
        ):  # every reference row is returned: drop the excluded one
            dist = np.hstack([dist, np.full((dist.shape[0], 1), np.inf)])
            ind = np.hstack([ind, np.full((ind.shape[0], 1), -1, dtype=ind.dtype)])
        dist, ind = _drop_excluded(dist, ind, exclude, n_neighbors)
    return dist, ind


def _row_norms(data, rows, chunk=8192):
    """Squared norms of ``data[rows]`` in float64, without gathering all rows."""
    if data.shape[0] <= rows.size:  # one pass over the data is cheaper
        return np.einsum("ij,ij->i", data, data, dtype=np.float64)[rows]
    out = np.empty(rows.size)
    for s in range(0, rows.size, chunk):
        part = data[rows[s : s + chunk]]
        out[s : s + chunk] = np.einsum("ij,ij->i", part, part, dtype=np.float64)
    return out


def tie_rows(dist_sq, ind, query, reference, n_neighbors, rtol=1e-12):
    """Query rows whose scikit-learn neighbour order is not determined.

    A query is flagged when two consecutive entries among its first
    ``n_neighbors + 1`` exact squared distances differ by at most
    ``tol = max(rtol, 16 (d + 4) eps) * (||q||^2 + ||r_j||^2 + ||r_{j+1}||^2)``.
    scikit-learn ranks by ``||q||^2 - 2 q.r + ||r||^2`` in float64 (float32 data
    are up-cast), whose error is below ``(d + 4) eps / 2`` times those norms, so a
    gap above ``tol`` is ordered identically by both. Ties wholly beyond position
    ``n_neighbors`` do not matter and are not flagged.

    Parameters
    ----------
    dist_sq, ind : ndarray of shape (n_query, m)
        Exact squared distances sorted along rows and matching reference indices
        (``-1`` / ``inf`` padding allowed), ``m >= n_neighbors``.
    query, reference : ndarray
        The data the distances were computed from.
    n_neighbors : int
        Neighbours that will be returned.
    rtol : float
        Relative tolerance.

    Returns
    -------
    rows : ndarray of int
        Flagged query rows, ascending.
    """
    width = min(dist_sq.shape[1], n_neighbors + 1)
    if width < 2:
        return np.empty(0, dtype=np.intp)
    d = query.shape[1]
    rtol = max(rtol, 16.0 * (d + 4) * np.finfo(np.float64).eps)
    head_d = dist_sq[:, :width]
    head_i = ind[:, :width]
    valid = head_i >= 0
    safe_i = np.where(valid, head_i, 0)
    ref_norm = _row_norms(reference, safe_i.ravel()).reshape(safe_i.shape)
    q_norm = np.einsum("ij,ij->i", query, query, dtype=np.float64)
    tol = rtol * (q_norm[:, None] + ref_norm[:, 1:] + ref_norm[:, :-1])
    with np.errstate(invalid="ignore"):
        tied = (head_d[:, 1:] - head_d[:, :-1] <= tol) & valid[:, 1:]
    return np.flatnonzero(tied.any(axis=1))


def kneighbors(
    query,
    reference,
    n_neighbors,
    *,
    memory_budget=64 * 2**20,
    exclude=None,
    on_tie="sklearn",
):
    """Exact k nearest neighbours (euclidean) of each query row among reference rows.

    The indices equal those of ``NearestNeighbors(n_neighbors=n_neighbors,
    algorithm="brute").fit(reference).kneighbors(query)`` whenever no two of a
    query's first ``n_neighbors + 1`` distances are tied; where some are,
    ``on_tie`` decides (by default the whole call is answered by scikit-learn, so
    the result is scikit-learn's in every case).

    The reference is scanned in row blocks sized by ``memory_budget``: a float32
    GEMM bounds every squared distance from below with a proven rounding margin,
    only rows that can still be among a query's ``n_neighbors + 1`` nearest are
    refined with exact float64 differences, and no ``n_query x n_reference``
    matrix is formed. Query blocks run on one thread per available CPU (at most
    the BLAS thread setting). Under ``on_tie="sklearn"``, problems with at most
    about a million pairs or under 1000 reference rows go straight to
    scikit-learn, which is as fast there.

    Parameters
    ----------
    query : array-like of shape (n_query, n_features)
        Rows whose neighbours are wanted; finite values (not checked).
    reference : array-like of shape (n_reference, n_features)
        Rows searched; finite values (not checked). float32 data stay float32
        (only blocks are up-cast); other real dtypes are converted to float64.
    n_neighbors : int
        Neighbours per query row, in ``[1, n_reference]`` (``n_reference - 1``
        when ``exclude`` leaves a row out).
    memory_budget : int, default=64 MiB
        Bytes the working buffers may use.
    exclude : array-like of shape (n_query,) of int, optional
        For each query row, a reference row never returned as its neighbour
        (``-1``: none), e.g. the query's own row when ``query = reference[rows]``.
        The scikit-learn equivalent is :func:`kneighbors_sklearn` with the same
        ``exclude``: ``n_neighbors + 1`` neighbours minus that row (minus the last
        when it is absent). This differs from ``NearestNeighbors.kneighbors()``
        without ``X`` only where that drops a duplicate of the query instead.
    on_tie : {"sklearn", "raise", "ignore"}, default="sklearn"
        What to do when some query's order is ambiguous (two of its first
        ``n_neighbors + 1`` squared distances within ``1e-12 * (||q||^2 +
        ||r_1||^2 + ||r_2||^2)`` of each other, a bound well above
        scikit-learn's float64 rounding error; ``16 (d + 4) eps`` replaces
        ``1e-12`` when larger): ``"sklearn"`` recomputes the whole call with
        :func:`kneighbors_sklearn`, so the result equals scikit-learn's;
        ``"raise"`` raises :class:`TieError` (its ``rows`` attribute lists the
        queries); ``"ignore"`` keeps the engine's order, ties by smaller index.

    Returns
    -------
    distances : ndarray of shape (n_query, n_neighbors), float64
        Euclidean distances, increasing along each row; float64 for float32 input
        too, as scikit-learn returns. Computed from exact differences when the
        engine answers, so they can differ from scikit-learn's in the last digits
        (scikit-learn's come from the expanded form; for float32 input it also
        rounds them to float32 precision).
    indices : ndarray of shape (n_query, n_neighbors), intp
        Row indices into ``reference``.

    Raises
    ------
    ValueError
        On non 2-D inputs, different numbers of columns, a bad ``n_neighbors``,
        ``memory_budget``, ``exclude`` or ``on_tie``.
    TieError
        With ``on_tie="raise"``, when some query's order is tied.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors import kneighbors
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [5.0, 5.0]])
    >>> dist, ind = kneighbors(X[:2], X, 2)
    >>> ind
    array([[0, 1],
           [1, 0]])
    >>> dist
    array([[0., 1.],
           [0., 1.]])
    """
    if on_tie not in _ON_TIE:
        raise ValueError(f"on_tie must be one of {_ON_TIE}; got {on_tie!r}.")
    memory_budget = _check_budget(memory_budget)
    query, reference, n_neighbors, exclude = _check_inputs(
        query, reference, n_neighbors, exclude
    )
    n_q, n_ref = query.shape[0], reference.shape[0]
    if n_q == 0:
        return np.empty((0, n_neighbors)), np.empty((0, n_neighbors), dtype=np.intp)
    if on_tie == "sklearn" and (
        n_q * n_ref <= _SMALL_PAIRS or n_ref < _SMALL_REFERENCE
    ):
        return kneighbors_sklearn(query, reference, n_neighbors, exclude=exclude)
    kk = min(n_neighbors + 1, n_ref)
    cap = _CANDIDATES_PER_NEIGHBOR * kk if on_tie == "sklearn" else None
    try:
        dist_sq, ind = run_engine(
            query, reference, kk, memory_budget, exclude, max_candidates=cap
        )
    except CandidateOverflow:
        return kneighbors_sklearn(query, reference, n_neighbors, exclude=exclude)
    if on_tie != "ignore":
        rows = tie_rows(dist_sq, ind, query, reference, n_neighbors)
        if rows.size:
            if on_tie == "raise":
                raise TieError(
                    f"{rows.size} query row(s) (first: {int(rows[0])}) have tied "
                    f"distances among their first {n_neighbors + 1} neighbours, so "
                    "scikit-learn's order is not determined; call kneighbors_sklearn "
                    "or pass on_tie='sklearn' or 'ignore'.",
                    rows,
                )
            return kneighbors_sklearn(query, reference, n_neighbors, exclude=exclude)
    return np.sqrt(dist_sq[:, :n_neighbors]), np.ascontiguousarray(ind[:, :n_neighbors])
