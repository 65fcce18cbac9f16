"""The growing store of Hart's condensed nearest neighbour rule, exactly and fast.

Condensing one class ``c`` against a fixed set of other-class members ``M`` asks,
for every candidate of ``c`` in turn: do the k nearest members of the store
``M + (c members kept so far)`` vote ``c``? With two labels the vote depends on
one comparison only: it is ``c`` exactly when at least ``need`` kept ``c``
members lie strictly closer than the ``rank``-th nearest member of ``M``
(``need`` and ``rank`` follow from k and the tie rule of the vote). The part
from ``M`` never changes, so the caller computes that squared radius once per
candidate with the exact neighbour engine; what grows is the ``c`` part, which
stays small. So the kernels here only count, for each candidate, the store
members inside its radius:

- :func:`covered` answers for many candidates against a fixed store (One-Sided
  Selection's single pass);
- :func:`grow_store` runs the sequential pass (Condensed Nearest Neighbour):
  candidates are tested in blocks with one matrix product against the store; in
  a block, the first candidate left uncovered joins the store, and only the
  block's later uncovered candidates are tested against it (a new ``c`` member
  can only cover more candidates, never fewer), so the result is the one of the
  one-at-a-time loop. Once the store is large, a cheap probe first compares each
  candidate with the store members near it (those sharing one of its two nearest
  pivots): enough of them inside the radius settle it, and only the others are
  compared with the whole store.

Exactness: the product gives squared distances with a proven error bound
``E``; a count is trusted only when no distance lies within ``tol + E`` of the
radius. Otherwise the exact float64 distances are computed, and if one of them
is within ``tol`` of the radius the order is a tie that only scikit-learn's own
computation decides: the caller's ``resolve`` callback answers then.
"""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np

from ._engine import _get_controller, _single_threaded_blas

__all__ = ["covered", "grow_store", "squared_norms"]

_EPS = np.finfo(np.float64).eps
# Entries of one block's distance matrix (float64): 16 MiB.
_BLOCK_ENTRIES = 1 << 21
_MIN_BLOCK, _MAX_BLOCK = 64, 4096
# The probe: candidates per cell (pivot) on average, at most this many cells,
# candidates per super-block, and the store size from which probing pays.
_CELL_ROWS, _MAX_CELLS = 8192, 512
_SUPER_BLOCK = 8192
_PROBE_MIN_STORE = 2048
_PROBED_CELLS = 2

COVERED, UNCOVERED, TIED = 0, 1, 2


def squared_norms(rows):
    """Squared euclidean norms of ``rows`` in float64."""
    return np.einsum("ij,ij->i", rows, rows, dtype=np.float64)


def _error_bound(q_norms, s_max, n_features):
    """Bound on ``|G - d^2|`` for ``G = [q, 1] . [-2 s, ||s||^2] + ||q||^2`` in float64.

    A dot product of length ``d + 1`` errs by at most ``gamma_{d+1}`` times the
    sum of the absolute products, at most ``||q||^2 + 2 ||s||^2`` here; the
    norms and the final sum add a few ulps of the same magnitude.
    """
    return (2.0 * n_features + 8.0) * _EPS * (q_norms + 2.0 * s_max)


class _Store:
    """Members as the GEMM operand ``[-2 s, ||s||^2]`` (float64), grown by doubling."""

    def __init__(self, members, capacity, cells=None):
        d = members.shape[1]
        self.size = members.shape[0]
        self.rows = np.empty((max(capacity, self.size, 1), d))
        self.rows[: self.size] = members
        self.cells = np.zeros(self.rows.shape[0], dtype=np.intp)
        if cells is not None:
            self.cells[: self.size] = cells
        self.operand = np.empty((self.rows.shape[0], d + 1))
        self.operand[: self.size, :d] = -2.0 * self.rows[: self.size]
        self.operand[: self.size, d] = squared_norms(self.rows[: self.size])

    def add(self, row, cell=0):
        if self.size == self.rows.shape[0]:
            self.rows = np.concatenate([self.rows, np.empty_like(self.rows)])
            self.operand = np.concatenate([self.operand, np.empty_like(self.operand)])
            self.cells = np.concatenate([self.cells, np.empty_like(self.cells)])
        d = self.rows.shape[1]
        self.rows[self.size] = row
        self.cells[self.size] = cell
        self.operand[self.size, :d] = -2.0 * self.rows[self.size]
        self.operand[self.size, d] = squared_norms(self.rows[self.size : self.size + 1])[0]
        self.size += 1
        return self.operand[self.size - 1]


def _counts(approx, lo, hi, need):
    """Members surely inside (``< lo``) and possibly inside (``<= hi``), per row.

    For ``need == 1`` only whether a count reaches one matters, which the row
    minimum tells in one pass.
    """
    if need == 1:
        low = approx.min(axis=1) if approx.shape[1] else np.full(len(lo), np.inf)
        return (low < lo).astype(np.intp), (low <= hi).astype(np.intp)
    return (approx < lo[:, None]).sum(axis=1), (approx <= hi[:, None]).sum(axis=1)


def _exact_status(query, members, radius_sq, tol, need):
    """COVERED / UNCOVERED / TIED from exact float64 squared distances."""
    diff = np.subtract(members, query, dtype=np.float64)
    d2 = np.einsum("ij,ij->i", diff, diff)
    if np.count_nonzero(d2 < radius_sq - tol) >= need:
        return COVERED
    if np.count_nonzero(d2 <= radius_sq + tol) < need:
        return UNCOVERED
    return TIED


def _augment(rows):
    """``[rows, 1]`` in float64, the query side of the distance GEMM."""
    out = np.empty((rows.shape[0], rows.shape[1] + 1))
    out[:, :-1] = rows
    out[:, -1] = 1.0
    return out


class _Product:
    """``block @ operand.T`` into one reused buffer (fresh large arrays page-fault)."""

    def __init__(self):
        self.buffer = np.empty(0)

    def __call__(self, block, operand):
        size = block.shape[0] * operand.shape[0]
        if size > self.buffer.size:
            self.buffer = np.empty(max(size, 2 * self.buffer.size))
        out = self.buffer[:size].reshape(block.shape[0], operand.shape[0])
        return np.matmul(block, operand.T, out=out)


def covered(candidates, members, radius_sq, tol, *, need=1):
    """Whether at least ``need`` members lie strictly inside each candidate's radius.

    Parameters
    ----------
    candidates : ndarray of shape (n_candidates, n_features)
    members : ndarray of shape (n_members, n_features)
    radius_sq : ndarray of shape (n_candidates,)
        Squared radius of each candidate (``inf``: every member is inside).
    tol : ndarray of shape (n_candidates,)
        Squared distances within ``tol`` of the radius count as tied.
    need : int, default=1

    Returns
    -------
    status : ndarray of shape (n_candidates,), int8
        ``0`` covered, ``1`` not covered, ``2`` tied (a distance within ``tol``
        of the radius decides).

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors._store import covered
    >>> cand = np.array([[0.0], [5.0], [9.0]])
    >>> covered(cand, np.array([[1.0]]), np.array([4.0, 4.0, 64.0]), np.zeros(3))
    array([0, 1, 2], dtype=int8)
    """
    n, d = candidates.shape
    status = np.empty(n, dtype=np.int8)
    if members.shape[0] == 0:
        status[:] = UNCOVERED
        return status
    store = _Store(members, members.shape[0])
    q_norms = squared_norms(candidates)
    s_max = float(store.operand[: store.size, d].max())
    err = _error_bound(q_norms, s_max, d)
    lo, hi = radius_sq - tol - err - q_norms, radius_sq + tol + err - q_norms
    step = int(np.clip(_BLOCK_ENTRIES // store.size, _MIN_BLOCK, _MAX_BLOCK))
    operand = store.operand[: store.size]
    product = _Product()
    with _one_blas_thread():
        for start in range(0, n, step):
            block = slice(start, min(start + step, n))
            approx = product(_augment(candidates[block]), operand)
            sure, maybe = _counts(approx, lo[block], hi[block], need)
            status[block] = np.where(
                sure >= need, COVERED, np.where(maybe < need, UNCOVERED, TIED)
            )
    for i in np.flatnonzero(status == TIED):
        status[i] = _exact_status(candidates[i], members, radius_sq[i], tol[i], need)
    return status


def grow_store(candidates, radius_sq, tol, members, *, need=1, resolve=None):
    """One pass of the condensing rule: candidates not covered join the store.

    Candidate ``p`` (in order) is covered when at least ``need`` members of the
    store - the initial ``members`` and the candidates added before ``p`` - lie
    strictly inside its squared radius; otherwise it is added. The result is
    that of the one-at-a-time loop.

    Parameters
    ----------
    candidates : ndarray of shape (n_candidates, n_features)
        Rows tested, in order.
    radius_sq : ndarray of shape (n_candidates,)
        Squared radius of each candidate (``inf``: every member is inside).
    tol : ndarray of shape (n_candidates,)
        Squared distances within ``tol`` of the radius count as tied.
    members : ndarray of shape (n_members, n_features)
        The initial store.
    need : int, default=1
        Members needed inside the radius.
    resolve : callable, default=None
        ``resolve(p, added) -> bool``, called for a tied candidate ``p`` with
        the positions added so far: True when ``p`` is covered. ``None``
        treats a tie as covered.

    Returns
    -------
    added : ndarray of int
        Positions of the candidates added to the store, ascending.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors._store import grow_store
    >>> cand = np.array([[0.0], [3.0], [3.5], [0.5]])
    >>> grow_store(cand, np.full(4, 1.0), np.zeros(4), np.array([[10.0]]))
    array([0, 1])
    """
    if candidates.shape[0] == 0:
        return np.empty(0, dtype=np.intp)
    with _one_blas_thread():
        return _Pass(candidates, radius_sq, tol, members, need, resolve).run()


def _one_blas_thread():
    """BLAS on one thread: the products here are thin (``n_features + 1`` deep) and
    memory-bound, and threaded BLAS spends more time synchronising than computing.
    """
    controller = _get_controller()
    return nullcontext() if controller is None else _single_threaded_blas(controller)


class _Pass:
    """State of one condensing pass: the store, the thresholds, the cells.

    Candidates are taken a super-block at a time. A first, cheap probe
    compares each with the store members of its own cell (rows nearest the
    same pivot): a candidate with ``need`` of them inside its radius is
    covered, whatever the rest of the store holds. The others are then
    swept in order against the whole store, in blocks.
    """

    def __init__(self, candidates, radius_sq, tol, members, need, resolve):
        n, d = candidates.shape
        self.candidates, self.radius_sq, self.tol = candidates, radius_sq, tol
        self.need, self.resolve = need, resolve
        q_norms = squared_norms(candidates)
        m_norms = squared_norms(members)
        s_max = max(float(q_norms.max(initial=0.0)), float(m_norms.max(initial=0.0)))
        err = _error_bound(q_norms, s_max, d)
        self.lo = radius_sq - tol - err - q_norms
        self.hi = radius_sq + tol + err - q_norms
        n_cells = int(np.clip(n // _CELL_ROWS, 1, _MAX_CELLS))
        pivots = candidates[np.linspace(0, n - 1, n_cells).astype(np.intp)]
        self.pivots = _augment(np.asarray(pivots, dtype=np.float64))
        self.cells = self._cells_of(candidates, _PROBED_CELLS)
        self.store = _Store(members, members.shape[0] + 1024, self._cells_of(members)[:, 0])
        self.product = _Product()
        self.added = []

    def _cells_of(self, rows, n_nearest=1):
        """The ``n_nearest`` nearest pivots of each row, nearest first.

        Ties and rounding may change the cells, which only changes the speed.
        """
        operand = np.hstack([-2.0 * self.pivots[:, :-1],
                             squared_norms(self.pivots[:, :-1])[:, None]])
        n_nearest = min(n_nearest, operand.shape[0])
        out = np.empty((rows.shape[0], n_nearest), dtype=np.intp)
        step = max(1, _BLOCK_ENTRIES // operand.shape[0])
        for start in range(0, rows.shape[0], step):
            approx = _augment(rows[start : start + step]) @ operand.T
            if n_nearest == 1:
                out[start : start + step, 0] = approx.argmin(axis=1)
                continue
            near = np.argpartition(approx, n_nearest - 1, axis=1)[:, :n_nearest]
            rank = np.argsort(np.take_along_axis(approx, near, axis=1), axis=1)
            out[start : start + step] = np.take_along_axis(near, rank, axis=1)
        return out

    def run(self):
        n = self.candidates.shape[0]
        for start in range(0, n, _SUPER_BLOCK):
            rows = np.arange(start, min(start + _SUPER_BLOCK, n))
            if self.store.size >= _PROBE_MIN_STORE:
                rows = rows[~self._probe(rows)]
            self._sweep(rows)
        return np.asarray(self.added, dtype=np.intp)

    def _probe(self, rows):
        """Rows surely covered by store members of their nearest cells."""
        size = self.store.size
        member_cells = self.store.cells[:size]
        by_cell = np.argsort(member_cells, kind="stable")
        edges = np.searchsorted(member_cells[by_cell], np.arange(self.pivots.shape[0] + 1))
        certified = np.zeros(rows.size, dtype=bool)
        for rank in range(self.cells.shape[1]):
            left = np.flatnonzero(~certified)
            certified[left] = self._probe_cells(rows[left], self.cells[rows[left], rank],
                                                by_cell, edges)
        return certified

    def _probe_cells(self, rows, row_cells, by_cell, edges):
        """Rows surely covered by the store members of the cell given for each."""
        order = np.argsort(row_cells, kind="stable")
        cells, first = np.unique(row_cells[order], return_index=True)
        bounds = np.append(first, rows.size)
        certified = np.zeros(rows.size, dtype=bool)
        for cell, a, b in zip(cells, bounds[:-1], bounds[1:]):
            members = by_cell[edges[cell] : edges[cell + 1]]
            if members.size < self.need:
                continue
            sel = rows[order[a:b]]
            approx = self.product(_augment(self.candidates[sel]), self.store.operand[members])
            sure, _ = _counts(approx, self.lo[sel], self.hi[sel], self.need)
            certified[order[a:b]] = sure >= self.need
        return certified

    def _sweep(self, rows):
        """Test ``rows`` (ascending) in order against the whole, growing store."""
        need, store = self.need, self.store
        start = 0
        while start < rows.size:
            step = int(np.clip(_BLOCK_ENTRIES // max(store.size, 1), _MIN_BLOCK, _MAX_BLOCK))
            idx = rows[start : start + step]
            block = _augment(self.candidates[idx])
            approx = self.product(block, store.operand[: store.size])
            sure, maybe = _counts(approx, self.lo[idx], self.hi[idx], need)
            pending = np.flatnonzero(sure < need)
            while pending.size:
                j = pending[0]
                if maybe[j] >= need and self._covered_exactly(idx[j]):
                    pending = pending[1:]
                    continue
                new = self._add(idx[j])
                rest = pending[1:]
                dist = block[rest] @ new
                sure[rest] += dist < self.lo[idx[rest]]
                maybe[rest] += dist <= self.hi[idx[rest]]
                pending = rest[sure[rest] < need]
            start += step

    def _covered_exactly(self, p):
        """A distance is near the radius: decide from exact distances, or ask."""
        state = _exact_status(self.candidates[p], self.store.rows[: self.store.size],
                              self.radius_sq[p], self.tol[p], self.need)
        if state == TIED:
            return self.resolve is None or bool(
                self.resolve(p, np.asarray(self.added, dtype=np.intp)))
        return state == COVERED

    def _add(self, p):
        self.added.append(p)
        return self.store.add(self.candidates[p], self.cells[p, 0])
