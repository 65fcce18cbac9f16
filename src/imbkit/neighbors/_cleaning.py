"""Exact kernels of the cleaning rules: Tomek links and edited nearest neighbours.

ndarray in, ndarray out, no estimators. The rules ask few questions of each
sample's neighbourhood (the class of its nearest neighbour; whether its first
``k`` neighbours share its class), so most samples are settled cheaply:

- :func:`same_class_witnesses` finds, for a sample of a class, ``k`` other
  samples of the class closer than a target (searching a few k-means cells, not
  the whole class). With the distance to the nearest sample of another class as
  the target, the sample's first ``k + 1`` neighbours (itself included) all
  share its class, whatever the order of equal distances: a *certificate*.
- The other samples get their exact neighbour list (:func:`neighbour_table`),
  runs of tied distances marked; :func:`nearest_other` and
  :func:`edit_verdicts` decide the rule when every order of the tied rows gives
  the same answer, and report the sample as ambiguous otherwise: the caller then
  asks the reference estimator, whose tie order is the reference's by
  construction.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np
from scipy.spatial import cKDTree

from ._engine import _get_controller, _single_threaded_blas, default_workers
from ._knn import kneighbors

__all__ = [
    "NN_AMBIGUOUS",
    "NN_SAME_CLASS",
    "NeighbourTable",
    "WitnessIndex",
    "edit_verdicts",
    "judge_neighbours",
    "nearest_other",
    "nearest_sq",
    "neighbour_table",
    "same_class_witnesses",
    "tie_rtol",
]

NN_AMBIGUOUS = -1
"""Code of :func:`nearest_other`: the neighbour depends on the order of tied rows."""
NN_SAME_CLASS = -2
"""Code of :func:`nearest_other`: tied, but every candidate has the query's class."""

# Target number of class members per k-means cell, and the cap on cells.
_CELL_SIZE = 384
_MAX_CELLS = 2048
# Cells scanned after the sample's own cell for samples still uncertified.
_EXTRA_PROBES = 6
_KMEANS_ITER = 6
# Rows of a query-by-member block (bounds the temporary distance matrix).
_BLOCK = 4096
# Up to this many features, exact neighbours come from a k-d tree.
_TREE_MAX_FEATURES = 8


def nearest_sq(query, reference, n_neighbors):
    """Exact squared distances and indices of each query's nearest reference rows.

    On data of at most 8 features a k-d tree finds them for a fraction of the
    cost of scanning the reference; above, the engine's products win. Both
    compute distances from coordinate differences, so runs of tied distances
    are told apart the same way; equal distances come in no set order.

    Returns
    -------
    dist_sq : ndarray of shape (n_query, n_neighbors), float64
    ind : ndarray of shape (n_query, n_neighbors), intp
    """
    if reference.shape[1] <= _TREE_MAX_FEATURES:
        tree = cKDTree(np.asarray(reference, dtype=np.float64))
        dist, ind = tree.query(
            np.asarray(query, dtype=np.float64), n_neighbors, workers=default_workers()
        )
        dist, ind = dist.reshape(query.shape[0], -1), ind.reshape(query.shape[0], -1)
        return np.square(dist), ind.astype(np.intp, copy=False)
    dist, ind = kneighbors(query, reference, n_neighbors, on_tie="ignore")
    return np.square(dist), ind


def tie_rtol(n_features):
    """Relative tolerance under which two squared distances count as tied.

    The bound used by :func:`imbkit.neighbors._knn.tie_rows`: scikit-learn's
    float64 distances err by less than ``(d + 4) eps / 2`` times the squared
    norms involved, so gaps above ``rtol`` times those norms are ordered alike
    by scikit-learn (brute force or trees) and by exact arithmetic.
    """
    return max(1e-12, 16.0 * (n_features + 4) * np.finfo(np.float64).eps)


def _sq_norms(X):
    return np.einsum("ij,ij->i", X, X, dtype=np.float64)


class NeighbourTable(NamedTuple):
    """Exact neighbour lists with their runs of tied distances.

    Attributes
    ----------
    ind : ndarray of shape (n_query, width), int
        Reference rows by increasing distance (equal distances in no set
        order); ``-1`` pads rows when fewer reference rows exist.
    tied : ndarray of shape (n_query, width - 1), bool
        ``tied[:, j]``: columns ``j`` and ``j + 1`` are at distances too close
        for their order to be known.
    closed : ndarray of shape (n_query,), bool
        The list holds every reference row, so no tied row hides past its end.
    """

    ind: np.ndarray
    tied: np.ndarray
    closed: np.ndarray


def neighbour_table(query, reference, width, *, query_norms=None, reference_norms=None):
    """Exact ``width`` nearest reference rows of each query row, ties marked.

    Parameters
    ----------
    query, reference : ndarray of shape (n, n_features), float32 or float64
    width : int
        Columns wanted (at most ``len(reference)`` are returned).
    query_norms, reference_norms : ndarray of float64, optional
        Squared row norms, when already known.

    Returns
    -------
    NeighbourTable

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors._cleaning import neighbour_table
    >>> X = np.array([[0.0], [1.0], [-1.0], [5.0]])
    >>> table = neighbour_table(X[:1], X, 3)
    >>> table.ind[0, 0], sorted(table.ind[0, 1:]), table.tied
    (np.int64(0), [np.int64(1), np.int64(2)], array([[False,  True]]))
    """
    n_ref = reference.shape[0]
    width = min(int(width), n_ref)
    d2, ind = nearest_sq(query, reference, width)
    qn = _sq_norms(query) if query_norms is None else query_norms
    rn = _sq_norms(reference) if reference_norms is None else reference_norms
    rn = rn[ind]
    tol = tie_rtol(query.shape[1]) * (qn[:, None] + rn[:, 1:] + rn[:, :-1])
    tied = np.diff(d2, axis=1) <= tol
    closed = np.full(ind.shape[0], width == n_ref)
    return NeighbourTable(ind, tied, closed)


def _run_ids(tied):
    """Number the runs of tied columns of each row (0 for the run of column 0)."""
    n = tied.shape[0]
    return np.concatenate(
        [np.zeros((n, 1), dtype=np.intp), np.cumsum(~tied, axis=1, dtype=np.intp)], axis=1
    )


def _run_facts(run_ids, labels, closed, column):
    """For the run holding ``column`` (per row): uniform labels, open at the end."""
    rows = np.arange(run_ids.shape[0])
    members = run_ids == run_ids[rows, column][:, None]
    uniform = np.all((labels == labels[rows, column][:, None]) | ~members, axis=1)
    open_end = members[:, -1] & ~closed
    return members, uniform, open_end


def nearest_other(table, labels, query_labels):
    """The row scikit-learn returns as each query's second neighbour, when decided.

    ``NearestNeighbors(n_neighbors=2).fit(X).kneighbors(X)[:, 1]`` is the
    query's nearest other row, unless distances tie: then any of the tied rows
    (the query itself, when it has exact duplicates) may come second.

    Parameters
    ----------
    table : NeighbourTable
        At least 2 columns; 4 leave room to see where a run of ties ends.
    labels : ndarray of int
        Class code of every reference row, with one extra entry (any value) at
        the end for the ``-1`` padding.
    query_labels : ndarray of int
        Class code of each query row.

    Returns
    -------
    ndarray of int
        The neighbour's reference row; :data:`NN_SAME_CLASS` when tied but
        every candidate shares the query's class (so no Tomek link); or
        :data:`NN_AMBIGUOUS`.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors._cleaning import neighbour_table, nearest_other
    >>> X = np.array([[0.0], [1.0], [-1.0], [3.0]])
    >>> codes = np.array([0, 0, 0, 1, -1])
    >>> nearest_other(neighbour_table(X, X, 4), codes, codes[:4])
    array([-2,  0,  0,  1])
    """
    ind, tied = table.ind, table.tied
    lab = labels[ind]
    run_ids = _run_ids(tied)
    # Column 1 is drawn from the run of column 0 when that run holds several rows
    # (exact duplicates of the query), else from the run of column 1.
    start = np.where(tied[:, 0], 0, 1)
    rows = np.arange(ind.shape[0])
    members = run_ids == run_ids[rows, start][:, None]
    open_end = members[:, -1] & ~table.closed
    same = np.all((lab == query_labels[:, None]) | ~members, axis=1) & ~open_end
    single = ~tied[:, 0]
    if tied.shape[1] > 1:
        single &= ~tied[:, 1]
    out = np.full(ind.shape[0], NN_AMBIGUOUS, dtype=np.intp)
    out[same] = NN_SAME_CLASS
    out[single] = ind[single, 1]
    return out


def edit_verdicts(table, labels, query_labels, n_neighbors, kind_sel, n_classes):
    """Edited-nearest-neighbour verdicts from exact neighbour lists.

    The reference judges a sample by the labels of columns ``1..k`` of
    ``NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X_class)``. Ties
    matter in two places: which tied row takes column 0 (the sample or one of
    its exact duplicates), and which tied rows make the cut after column ``k``.
    Both are harmless when the rows concerned share one class.

    Parameters
    ----------
    table : NeighbourTable
        At least ``k + 2`` columns unless closed.
    labels : ndarray of int
        Class code of every reference row, plus one padding entry at the end.
    query_labels : ndarray of int
    n_neighbors : int
        ``k``, the neighbours judged.
    kind_sel : {"all", "mode"}
        Keep a sample when all of its ``k`` neighbours share its class, or when
        its class is their most frequent one (the smallest code among equally
        frequent ones, as ``scipy.stats.mode``).
    n_classes : int

    Returns
    -------
    keep, ambiguous : ndarray of bool
        ``keep`` is meaningless where ``ambiguous``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors._cleaning import neighbour_table, edit_verdicts
    >>> X = np.array([[0.0], [1.1], [2.3], [3.6], [5.0]])
    >>> codes = np.array([0, 0, 1, 1, 1, -1])
    >>> keep, ambiguous = edit_verdicts(neighbour_table(X, X, 4), codes, codes[:5],
    ...                                 1, "all", 2)
    >>> keep, ambiguous
    (array([ True,  True, False,  True,  True]), array([False, False, False, False, False]))
    """
    k = int(n_neighbors)
    ind, tied = table.ind, table.tied
    n, width = ind.shape
    lab = labels[ind]
    run_ids = _run_ids(tied)
    ambiguous = np.zeros(n, dtype=bool)
    if width > 1:
        _, uniform, open_end = _run_facts(run_ids, lab, table.closed, 0)
        ambiguous |= tied[:, 0] & ~(uniform & ~open_end)
    if width > k + 1:
        _, uniform, open_end = _run_facts(run_ids, lab, table.closed, k)
        ambiguous |= tied[:, k] & ~(uniform & ~open_end)
    elif not np.all(table.closed):
        raise ValueError(f"the table needs {k + 2} columns to judge {k} neighbours")
    keep = judge_neighbours(lab[:, 1 : k + 1], query_labels, kind_sel, n_classes)
    return keep, ambiguous


def judge_neighbours(neighbour_labels, query_labels, kind_sel, n_classes):
    """The edited-nearest-neighbour rule on the labels of each sample's neighbours.

    Parameters
    ----------
    neighbour_labels : ndarray of shape (n, k), int
        Class codes (``0 .. n_classes - 1``) of each sample's ``k`` neighbours.
    query_labels : ndarray of shape (n,), int
    kind_sel : {"all", "mode"}
        ``"all"``: keep when every neighbour shares the sample's class;
        ``"mode"``: keep when the sample's class is the most frequent among the
        neighbours, the smallest code winning among equally frequent ones (as
        ``scipy.stats.mode``; no neighbour at all keeps nothing).
    n_classes : int

    Returns
    -------
    keep : ndarray of bool, shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors._cleaning import judge_neighbours
    >>> labels = np.array([[0, 1, 1], [1, 0, 2]])
    >>> judge_neighbours(labels, np.array([1, 1]), "mode", 3)
    array([ True, False])
    """
    neigh = np.asarray(neighbour_labels)
    n, k = neigh.shape
    if kind_sel == "all":
        return np.all(neigh == query_labels[:, None], axis=1)
    if k == 0:
        return np.zeros(n, dtype=bool)
    if n_classes <= 256:
        flat = (neigh + n_classes * np.arange(n)[:, None]).ravel()
        counts = np.bincount(flat, minlength=n * n_classes).reshape(n, n_classes)
        return counts.argmax(axis=1) == query_labels
    ordered = np.sort(neigh, axis=1)  # the first most frequent is the smallest
    counts = np.stack([(ordered == ordered[:, [j]]).sum(axis=1) for j in range(k)], axis=1)
    return ordered[np.arange(n), counts.argmax(axis=1)] == query_labels


def _kmeans(A, n_cells, rng):
    """A few Lloyd iterations on a sample of the rows of ``A`` (float32)."""
    n = A.shape[0]
    sample = A[rng.choice(n, size=min(n, 48 * n_cells), replace=False)]
    centres = sample[:n_cells].copy()
    for _ in range(_KMEANS_ITER):
        lab = _nearest_cells(sample, centres, 1)[:, 0]
        counts = np.bincount(lab, minlength=n_cells)
        filled = counts > 0
        for j in range(A.shape[1]):
            sums = np.bincount(lab, weights=sample[:, j], minlength=n_cells)
            centres[filled, j] = sums[filled] / counts[filled]
    return centres


def _nearest_cells(A, centres, n_probes, chunk=4096):
    """Each row's ``n_probes`` nearest centres, nearest first."""
    cn = np.einsum("ij,ij->i", centres, centres)
    n_probes = min(n_probes, centres.shape[0])
    out = np.empty((A.shape[0], n_probes), dtype=np.intp)

    def run(s):
        d = cn - 2.0 * (A[s : s + chunk] @ centres.T)
        if n_probes == 1:
            out[s : s + chunk, 0] = d.argmin(axis=1)
            return
        if n_probes < centres.shape[0]:
            part = np.argpartition(d, n_probes - 1, axis=1)[:, :n_probes]
        else:
            part = np.broadcast_to(np.arange(n_probes), d.shape)
        order = np.argsort(np.take_along_axis(d, part, axis=1), axis=1, kind="stable")
        out[s : s + chunk] = np.take_along_axis(part, order, axis=1)

    _parallel(run, list(range(0, A.shape[0], chunk)))
    return out


def _cell_members(cells, n_cells, max_size):
    """Rows of each cell (ascending), oversized cells cut into pieces.

    Returns the pieces, the piece of each row and the first piece of each cell
    (``-1`` for empty cells).
    """
    order = np.argsort(cells, kind="stable")
    bounds = np.searchsorted(cells[order], np.arange(n_cells + 1))
    pieces, piece_of = [], np.empty(cells.size, dtype=np.intp)
    first_piece = np.full(n_cells, -1, dtype=np.intp)
    for j in range(n_cells):
        rows = order[bounds[j] : bounds[j + 1]]
        if rows.size:
            first_piece[j] = len(pieces)
        for s in range(0, rows.size, max_size):
            piece_of[rows[s : s + max_size]] = len(pieces)
            pieces.append(rows[s : s + max_size])
    return pieces, piece_of, first_piece


class _Witnesses:
    """Witnesses found so far for each query (positions in ``points``)."""

    def __init__(self, points, queries, k):
        self.points, self.queries, self.k = points, queries, k
        self.pos = np.full((queries.size, k), -1, dtype=np.intp)
        self.count = np.zeros(queries.size, dtype=np.intp)

    def add(self, qi, rows, cand):
        """Append candidates ``cand`` to queries ``qi[rows]`` (``rows`` ascending)."""
        if rows.size == 0:
            return
        idx = np.arange(rows.size)
        first = np.r_[True, rows[1:] != rows[:-1]]
        rank = idx - np.maximum.accumulate(np.where(first, idx, 0))
        q = qi[rows]
        slot = self.count[q] + rank
        ok = slot < self.k
        self.pos[q[ok], slot[ok]] = cand[ok]
        self.count[qi] = np.minimum(
            self.k, self.count[qi] + np.bincount(rows, minlength=qi.size)
        )

    def bound(self, chunk=16384):
        """Exact squared distance to the farthest witness (``inf`` if too few)."""
        out = np.full(self.queries.size, np.inf)
        full = np.flatnonzero(self.count >= self.k)
        for s in range(0, full.size, chunk):
            rows = full[s : s + chunk]
            # in float64: a float32 difference would round
            query = self.points[self.queries[rows]].astype(np.float64)
            diff = query[:, None, :] - self.points[self.pos[rows]]
            d2 = np.einsum("ijk,ijk->ij", diff, diff)
            out[rows] = d2.max(axis=1)
        return out


def _parallel(func, tasks):
    """Run ``func`` over ``tasks`` on the engine's worker count (BLAS single-threaded).

    Tasks write disjoint rows of shared arrays; numpy releases the GIL in the
    products and scans, so threads share the work.
    """
    n_workers = min(default_workers(), len(tasks))
    if n_workers <= 1:
        for task in tasks:
            func(task)
        return
    with ThreadPoolExecutor(n_workers) as pool:
        list(pool.map(func, tasks))


def _scan(A, thr, wit, qi, pieces, piece_ids, own):
    """Add to queries ``qi`` the members of a piece whose float32 bound is below ``thr``.

    Each query is listed once. ``own``: the pieces hold the queries themselves,
    which are left out.
    """
    order = np.argsort(piece_ids, kind="stable")
    qi, piece_ids = qi[order], piece_ids[order]
    starts = np.flatnonzero(np.r_[True, piece_ids[1:] != piece_ids[:-1]])
    stops = np.r_[starts[1:], qi.size]
    an = wit.norms32
    tasks = [
        (pieces[piece_ids[a]], qi[s : min(b, s + _BLOCK)])
        for a, b in zip(starts, stops)
        for s in range(a, b, _BLOCK)
    ]

    def run(task):
        members, q = task
        qpos = wit.queries[q]
        d = an[members] - 2.0 * (A[qpos] @ A[members].T)
        mask = d < thr[q][:, None]
        if own:
            col = np.minimum(np.searchsorted(members, qpos), members.size - 1)
            hit = np.flatnonzero(members[col] == qpos)
            mask[hit, col[hit]] = False
        rows, cols = np.nonzero(mask)
        wit.add(q, rows, members[cols])

    _parallel(run, tasks)


def same_class_witnesses(points, queries, n_witnesses, target_sq, *, seed=0):
    """Find, for each query, ``n_witnesses`` other points closer than its target.

    The points are split into k-means cells; each query looks for witnesses in
    its own cell, then, while it has too few, in its next nearest cells: a
    bounded amount of work per query, never a search of the whole set. A float32
    product with a proven rounding margin admits a point only when it is closer
    than the target in exact arithmetic; the bound returned is recomputed
    exactly from the witnesses found, so it is a true upper bound of the
    ``n_witnesses``-th nearest-neighbour distance within ``points``.

    Parameters
    ----------
    points : ndarray of shape (n_points, n_features)
        Rows of one class.
    queries : ndarray of int
        Positions in ``points`` of the rows whose witnesses are wanted.
    n_witnesses : int
    target_sq : ndarray of shape (len(queries),)
        Squared distance below which a point is a witness (``inf``: any point).
    seed : int, default=0
        Seed of the k-means sample and initialisation (the witnesses are valid
        whatever it is).

    Returns
    -------
    bound_sq : ndarray of shape (len(queries),)
        Exact squared distance to the farthest witness (``inf`` when fewer than
        ``n_witnesses`` were found).
    witnesses : ndarray of shape (len(queries), n_witnesses), int
        Positions in ``points`` (``-1`` where missing).

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors._cleaning import same_class_witnesses
    >>> P = np.array([[0.0], [1.0], [3.0], [6.0]])
    >>> bound, wit = same_class_witnesses(P, np.array([0, 3]), 2, np.array([10.0, 10.0]))
    >>> bound, wit
    (array([ 9., inf]), array([[ 1,  2],
           [ 2, -1]]))
    """
    return WitnessIndex(points, seed=seed).search(queries, n_witnesses, target_sq)


@contextmanager
def _blas_single():
    # small products: BLAS threads cost more than they give (and far more on a
    # loaded machine); the workers of _parallel are the parallelism
    controller = _get_controller()
    if controller is None:  # pragma: no cover - installed with scikit-learn
        yield
        return
    with _single_threaded_blas(controller):
        yield


class WitnessIndex:
    """k-means cells over the rows of one class, for :func:`same_class_witnesses`.

    Built once, searched any number of times with any subset of the rows still
    present (the passes of RENN and AllKNN remove rows).

    Parameters
    ----------
    points : ndarray of shape (n_points, n_features)
    seed : int, default=0
    """

    def __init__(self, points, *, seed=0):
        self.points = points
        with _blas_single():
            self.A = np.asarray(points - points.mean(axis=0), dtype=np.float32)
            a2 = np.einsum("ij,ij->i", self.A, self.A, dtype=np.float64)
            self.a2, self.a2_max = a2, float(a2.max(initial=0.0))
            self.norms32 = a2.astype(np.float32)
            self.n_cells = int(np.clip(points.shape[0] // _CELL_SIZE, 1, _MAX_CELLS))
            self.centres = _kmeans(self.A, self.n_cells, np.random.default_rng(seed))
            self.cells = _nearest_cells(self.A, self.centres, 1)[:, 0]

    def _thresholds(self, queries, target_sq):
        # float32 products err by less than c_u (|a|^2 + |b|^2) (see _engine:
        # conversions, the dot product and the norms; twice the bound there):
        # below the threshold, a row is closer than the target in exact arithmetic
        c_u = 2.0 * (4.0 * self.points.shape[1] + 24.0) * 2.0**-24
        qa2 = self.a2[queries]
        thr = np.asarray(target_sq, dtype=np.float64) - qa2
        thr -= c_u * (qa2 + self.a2_max) + 2.0**-100
        return np.nextafter(thr.astype(np.float32), np.float32(-np.inf))

    def search(self, queries, n_witnesses, target_sq, members=None):
        """Witnesses of ``queries`` among ``members`` (default: all points).

        ``queries`` and ``members`` are positions in ``points``, ``members``
        ascending and holding every query. Returns as
        :func:`same_class_witnesses`.
        """
        queries = np.asarray(queries, dtype=np.intp)
        members = np.arange(self.points.shape[0]) if members is None else members
        wit = _Witnesses(self.points, queries, int(n_witnesses))
        wit.norms32 = self.norms32
        if queries.size == 0 or members.size <= wit.k:
            return wit.bound(), wit.pos
        with _blas_single():
            self._search(wit, queries, members, self._thresholds(queries, target_sq))
        return wit.bound(), wit.pos

    def _search(self, wit, queries, members, thr):
        local, piece_of, first_piece = _cell_members(
            self.cells[members], self.n_cells, 8 * _CELL_SIZE
        )
        pieces = [members[p] for p in local]
        all_q = np.arange(queries.size)
        own_piece = piece_of[np.searchsorted(members, queries)]
        _scan(self.A, thr, wit, all_q, pieces, own_piece, own=True)
        pending = all_q[wit.count < wit.k]
        if pending.size == 0 or self.n_cells == 1:
            return
        # a probed cell is searched in its first piece only
        probes = _nearest_cells(self.A[queries[pending]], self.centres, 1 + _EXTRA_PROBES)
        own = self.cells[queries[pending]]
        for p in range(probes.shape[1]):
            use = (wit.count[pending] < wit.k) & (probes[:, p] != own)
            use &= first_piece[probes[:, p]] >= 0
            if use.any():
                _scan(self.A, thr, wit, pending[use], pieces, first_piece[probes[use, p]],
                      own=False)
