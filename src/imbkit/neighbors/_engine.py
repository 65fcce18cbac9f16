"""Filter-and-refine engine behind :func:`imbkit.neighbors.kneighbors`.

The engine never forms an ``n_query x n_reference`` matrix. Queries are split into
blocks, one worker thread per block at a time (BLAS limited to one thread so the
workers are the parallelism), and each block scans the reference in row blocks
sized by the memory budget:

1. *Filter.* One float32 GEMM per tile gives, for every (query, reference) pair,
   ``L``: a lower bound of the squared distance minus ``||q||^2`` (data centred on
   the reference mean and scaled by a power of two, so the float32 expansion stays
   accurate). A pair is a candidate when ``L <= thr_q``; ``thr_q`` comes from the
   ``kk``-th smallest upper bound ``U`` seen so far for the query, so it only
   shrinks. The first tile seeds it from the minima of column groups; later tiles
   scan only the query rows whose minimum over the tile passes.
2. *Refine.* At the end, candidates still below the final threshold (about ``kk``
   per query) get their exact float64 squared distance ``sum((q - r) ** 2)`` and
   are sorted by (distance, index).

Why nothing is missed: with ``u = 2**-24`` and ``a``, ``b`` the float32 centred
rows, the float32 value ``S = ||b||^2 - 2 a.b`` satisfies
``|S + ||a||^2 - ||q - r||^2| <= C u (||a||^2 + ||b||^2) / 2`` where
``C = 4 d + 24`` is about twice the rounding bound (conversions to float32:
``4 u``; a dot product of length ``d + 1``: ``2 gamma_{d+1}``; ``||b||^2`` and
its rounding: ``3 u``). The GEMM returns ``L = S - C u ||b||^2`` (the norm column
is pre-shrunk), and ``U = L + 2 C u ||b||^2``, so every row has
``L - C u ||a||^2 <= ||q - r||^2 - ||a||^2 <= U + C u ||a||^2``. If ``U_k`` is the
``kk``-th smallest ``U`` among rows seen, the ``kk``-th exact distance is at most
``U_k + (1 + C u) ||a||^2``, so every row at or below it has
``L <= U_k + 2 C u ||a||^2 =: thr_q`` (rounded up to float32).

Reference blocks are visited in a fixed pseudo-random order so that sorted
references (by class, by a feature) still tighten the thresholds early; the result
does not depend on this order. When ``kk`` is close to ``n_reference`` filtering
cannot help and all exact distances are sorted instead.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np

__all__ = ["CandidateOverflow", "default_workers", "plan_blocks", "run_engine"]

_U32 = 2.0**-24
# Absolute slack for float32 underflow of products of tiny components (after
# scaling the largest magnitude to about 1, an underflowed product is < 2**-126).
_ABS_SLACK = 2.0**-100
# Reference rows per block of the filter GEMM: large enough for BLAS, small enough
# that a tile stays in the shared cache.
_TARGET_BLOCK_ROWS = 1024
# At most this many query rows per tile (taller tiles fall out of cache).
_MAX_QUERY_ROWS = 2048
# The first thresholds come from the minima of about this many column groups.
_BOOTSTRAP_GROUPS = 32
# When kk * _DENSE_FACTOR >= n_reference, filtering saves little: sort all exact
# distances instead.
_DENSE_FACTOR = 4
# Pairs refined exactly per slice, at most (their rows stay in cache).
_PAIR_SLICE = 1024
# Below this many pairs one thread does the work (thread start-up costs more).
_SERIAL_PAIRS = 1 << 21

_controller = None
_limit_lock = threading.Lock()
_limit_users = 0
_limit_ctx = None


class CandidateOverflow(RuntimeError):
    """The filter let through more pairs than ``max_candidates`` allowed.

    Happens on data with masses of (near-)equal distances, whose neighbour order
    is tied anyway; callers that can fall back stop early this way.
    """


def _get_controller():
    """The cached threadpoolctl controller, or ``None`` without threadpoolctl."""
    global _controller
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - installed with scikit-learn
            _controller = False
        else:
            _controller = ThreadpoolController()
    return _controller or None


@contextmanager
def _single_threaded_blas(controller):
    """Limit BLAS to one thread while any engine call in the process runs threads.

    Reference-counted: concurrent calls would otherwise restore each other's
    limit in the wrong order and leave BLAS single-threaded.
    """
    global _limit_users, _limit_ctx
    with _limit_lock:
        if _limit_users == 0:
            _limit_ctx = controller.limit(limits=1, user_api="blas")
        _limit_users += 1
    try:
        yield
    finally:
        with _limit_lock:
            _limit_users -= 1
            if _limit_users == 0:
                _limit_ctx.restore_original_limits()
                _limit_ctx = None


def default_workers() -> int:
    """Worker threads: the CPUs available, capped by the BLAS thread setting.

    Honouring the BLAS limit keeps nested parallelism (joblib workers, a
    ``threadpool_limits`` block) from oversubscribing the machine.
    """
    try:
        n_cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        n_cpus = os.cpu_count() or 1
    controller = _get_controller()
    if controller is None:  # pragma: no cover - cannot keep BLAS off our threads
        return 1
    libs = controller.select(user_api="blas").lib_controllers
    if libs:
        n_cpus = min(n_cpus, max(lib.num_threads for lib in libs))
    return max(1, n_cpus)


def plan_blocks(n_query, n_reference, kk, memory_budget, n_workers=None):
    """Choose query-block rows, reference-block rows and the number of workers.

    Parameters
    ----------
    n_query, n_reference : int
        Problem size.
    kk : int
        Neighbours tracked per query.
    memory_budget : int
        Bytes the working buffers may use in total.
    n_workers : int or None
        Worker threads; default :func:`default_workers` (one for small problems).

    Returns
    -------
    q_rows, r_rows, n_workers : int
        Tiles are ``q_rows x r_rows``; ``n_workers`` threads run query blocks.
    """
    if n_workers is None:
        n_workers = 1 if n_query * n_reference < _SERIAL_PAIRS else default_workers()
    n_workers = max(1, min(n_workers, n_query))
    # A tile costs 5 bytes per pair (float32 bound and a mask); keep half the
    # budget for the converted block, candidates and refinement scratch.
    tile_pairs = max(1, memory_budget // (10 * n_workers))
    min_r = max(2 * kk, 16)
    r_rows = max(min_r, min(_TARGET_BLOCK_ROWS, n_reference))
    q_cap = max(1, min(_MAX_QUERY_ROWS, tile_pairs // r_rows))
    # Equal query blocks, a multiple of n_workers of them, so no worker idles.
    n_blocks = -(-n_query // q_cap)
    n_blocks = -(-n_blocks // n_workers) * n_workers
    q_rows = max(1, -(-n_query // n_blocks))
    if q_rows * r_rows > tile_pairs:
        r_rows = max(min_r, tile_pairs // q_rows)
    return int(q_rows), int(min(r_rows, n_reference)), int(n_workers)


class _Shared:
    """Read-only data shared by the workers of one call."""

    def __init__(self, query, reference, kk, r_rows, exclude, per_query_cap):
        self.query, self.reference = query, reference
        self.kk, self.exclude = kk, exclude
        self.per_query_cap = per_query_cap
        self.abort = False
        d = reference.shape[1]
        self.n_features = d
        self.mu = reference.mean(axis=0, dtype=np.float64)
        # Scale by a power of two so centred magnitudes are at most about 1: exact,
        # and keeps float32 squares far from overflow and underflow.
        span = max(
            float(reference.max()),
            -float(reference.min()),
            float(query.max()),
            -float(query.min()),
        ) + float(np.max(np.abs(self.mu)))
        self.scale = 2.0 ** -int(np.frexp(span)[1]) if span > 0 else 1.0
        self.c_u = (4.0 * d + 24.0) * _U32
        n_ref = reference.shape[0]
        n_blocks = -(-n_ref // r_rows)
        edges = np.linspace(0, n_ref, n_blocks + 1).round().astype(np.intp)
        order = np.random.default_rng(0x5EED).permutation(n_blocks)
        self.blocks = [(int(edges[i]), int(edges[i + 1])) for i in order]
        self.max_block = int(np.max(np.diff(edges)))

    def reference_block(self, start, stop, scratch):
        """GEMM operand ``[-2 b, (1 - C u) ||b||^2]`` (float32) and ``||b||^2``."""
        d, n = self.n_features, stop - start
        centred = scratch.centred[:n]
        np.subtract(self.reference[start:stop], self.mu, out=centred)
        centred *= self.scale
        operand = scratch.operand[:n]
        np.multiply(centred, -2.0, out=operand[:, :d], casting="same_kind")
        norms = np.einsum("ij,ij->i", centred, centred)
        np.multiply(norms, 1.0 - self.c_u, out=operand[:, d], casting="same_kind")
        return operand, norms


class _Scratch:
    """Buffers one worker thread reuses from tile to tile.

    Large temporaries allocated afresh on every tile cost page faults (the
    allocator maps and unmaps them each time), which shows at this grain.
    """

    def __init__(self, shared, q_rows, pair_slice):
        d, width = shared.n_features, shared.max_block
        self.dist = np.empty(q_rows * width, dtype=np.float32)
        self.mask = np.empty(q_rows * width, dtype=bool)
        self.centred = np.empty((width, d))
        self.operand = np.empty((width, d + 1), dtype=np.float32)
        n = self.pair_slice = pair_slice
        dtype = shared.reference.dtype
        self.pair_q = np.empty((n, d), dtype=dtype)
        self.pair_r = np.empty((n, d), dtype=dtype)
        self.pair_diff = np.empty((n, d))


def _exact_sq(query_rows, reference, query_idx, ref_idx, scratch):
    """Exact float64 squared distances of pairs, a cache-sized slice at a time."""
    out = np.empty(query_idx.size)
    step = scratch.pair_slice
    for s in range(0, query_idx.size, step):
        q_idx, r_idx = query_idx[s : s + step], ref_idx[s : s + step]
        n = q_idx.size
        # mode="clip" writes straight into ``out`` (indices are valid anyway).
        q = np.take(query_rows, q_idx, axis=0, out=scratch.pair_q[:n], mode="clip")
        r = np.take(reference, r_idx, axis=0, out=scratch.pair_r[:n], mode="clip")
        diff = np.subtract(q, r, out=scratch.pair_diff[:n], dtype=np.float64)
        np.einsum("ij,ij->i", diff, diff, out=out[s : s + n])
    return out


def top_pairs(qi, ri, d2, n_q, kk):
    """Each query's ``kk`` pairs of smallest ``(d2, ri)``, as positions in the input.

    Parameters
    ----------
    qi, ri : ndarray of int
        Query rows (``0 <= qi < n_q``) and reference rows of distinct pairs.
    d2 : ndarray of float
        Their distances.
    n_q, kk : int
        Number of queries and pairs kept per query.

    Returns
    -------
    pos : ndarray of shape (n_q, kk), intp
        Positions into the inputs, best first; ``-1`` where a query has fewer pairs.
    """
    n_ref = int(ri.max()) + 1 if ri.size else 1
    # Group by query with references ascending; a stable sort by distance inside
    # each group then orders ties by index.
    # Stable (timsort): the pairs arrive as a few runs already sorted by query.
    order = np.argsort(qi * n_ref + ri, kind="stable")
    q_sorted = qi[order]
    counts = np.bincount(q_sorted, minlength=n_q)
    width = int(counts.max()) if counts.size else 0
    pos = np.full((n_q, kk), -1, dtype=np.intp)
    if width == 0:
        return pos
    if n_q * width > 4 * qi.size + 4096:  # a few queries with masses of ties
        order = np.lexsort((ri, d2, qi))
        q_sorted = qi[order]
        rank = np.arange(qi.size) - (np.cumsum(counts) - counts)[q_sorted]
        keep = rank < kk
        pos[q_sorted[keep], rank[keep]] = order[keep]
        return pos
    slot = np.arange(qi.size) - (np.cumsum(counts) - counts)[q_sorted]
    pad = np.full((n_q, width), np.inf)
    src = np.full((n_q, width), -1, dtype=np.intp)
    pad[q_sorted, slot] = d2[order]
    src[q_sorted, slot] = order
    best = np.argsort(pad, axis=1, kind="stable")[:, :kk]
    pos[:, : best.shape[1]] = np.take_along_axis(src, best, axis=1)
    return pos


def _merge_top(top, qi, values, kk):
    """Fold ``values`` into each query's ``kk`` smallest; return touched rows, new max.

    ``qi`` must be sorted (candidates come out of a row-major scan).
    """
    counts = np.bincount(qi, minlength=top.shape[0])
    touched = np.flatnonzero(counts)
    rank = np.cumsum(counts > 0) - 1
    starts = np.cumsum(counts) - counts
    pos = np.arange(qi.size) - starts[qi]
    pad = np.full((touched.size, kk + int(counts[touched].max())), np.inf)
    pad[:, :kk] = top[touched]
    pad[rank[qi], kk + pos] = values
    pad.partition(kk - 1, axis=1)
    top[touched] = pad[:, :kk]
    return touched, pad[:, kk - 1]


class _Worker:
    """Scans the whole reference for one block of queries."""

    def __init__(self, shared, q_start, q_stop, scratch):
        sh = self.sh = shared
        n_q = self.n_q = q_stop - q_start
        d = sh.n_features
        self.q_rows = sh.query[q_start:q_stop]
        centred = np.subtract(self.q_rows, sh.mu, dtype=np.float64)
        centred *= sh.scale
        self.q_op = np.empty((n_q, d + 1), dtype=np.float32)
        self.q_op[:, :d] = centred
        self.q_op[:, d] = 1.0
        a = self.q_op[:, :d].astype(np.float64)
        # thr_q = U_k + 2 C u ||a||^2 (see the module docstring).
        self.thr_offset = 2.0 * sh.c_u * np.einsum("ij,ij->i", a, a) + _ABS_SLACK
        self.top = np.full((n_q, sh.kk), np.inf)
        self.thr = np.full(n_q, np.inf, dtype=np.float32)
        self.row_min = np.empty(n_q, dtype=np.float32)
        self.excl = None if sh.exclude is None else sh.exclude[q_start:q_stop]
        self.scratch = scratch
        self.found = []
        self.n_found = 0
        self.n_seen = 0
        self.cap = None if sh.per_query_cap is None else sh.per_query_cap * n_q + 4096

    def _set_thr(self, rows, u_k):
        t32 = (u_k + self.thr_offset[rows]).astype(np.float32)
        self.thr[rows] = np.nextafter(t32, np.float32(np.inf))  # never round down

    def _bootstrap(self, dist, norms):
        """First thresholds, from the minima of disjoint column groups of a tile.

        The ``kth`` smallest group minimum bounds the ``kth`` smallest entry from
        above (the minima are distinct entries), costs a few halving passes instead
        of a selection over the whole tile, and is nearly as tight.
        """
        kth = self.sh.kk + (self.excl is not None)  # one of them may be excluded
        groups = dist
        while groups.shape[1] >= 2 * max(_BOOTSTRAP_GROUPS, 2 * kth):
            half = groups.shape[1] // 2  # an odd last column is left out: still a bound
            groups = np.minimum(groups[:, :half], groups[:, half : 2 * half])
        if groups.shape[1] < kth:
            return
        head = np.partition(groups, kth - 1, axis=1)[:, kth - 1]
        u_k = head.astype(np.float64) + 2.0 * self.sh.c_u * float(norms.max())
        self._set_thr(slice(None), u_k)

    def _candidates(self, dist, first):
        width = dist.shape[1]
        # A row minimum is one read pass; the mask and its scan are only needed
        # for the query rows that have a candidate in this tile (all of them in
        # the first tile).
        if not first:
            np.minimum.reduce(dist, axis=1, out=self.row_min)
            rows = np.flatnonzero(self.row_min <= self.thr)
            if rows.size == 0:
                return rows, rows
        if first or 2 * rows.size > self.n_q:
            mask = self.scratch.mask[: dist.size].reshape(dist.shape)
            np.less_equal(dist, self.thr[:, None], out=mask)
            flat = np.flatnonzero(mask)
            qi = flat // width
            ri = flat - qi * width
        else:
            flat = np.flatnonzero(dist[rows] <= self.thr[rows, None])
            sub = flat // width
            ri = flat - sub * width
            qi = rows[sub]
        return qi, ri

    def _scan_tile(self, b, start, stop):
        sh = self.sh
        operand, norms = sh.reference_block(start, stop, self.scratch)
        width = stop - start
        dist = self.scratch.dist[: self.n_q * width].reshape(self.n_q, width)
        np.matmul(self.q_op, operand.T, out=dist)
        if b == 0:
            self._bootstrap(dist, norms)
        qi, ri = self._candidates(dist, first=b == 0)
        if self.excl is not None and qi.size:
            keep = ri + start != self.excl[qi]
            qi, ri = qi[keep], ri[keep]
        if qi.size == 0:
            return
        self.n_seen += qi.size
        if self.cap is not None and (self.n_seen > self.cap or sh.abort):
            sh.abort = True
            raise CandidateOverflow(f"more than {self.cap} candidate pairs")
        low = dist.ravel().take(qi * width + ri)
        self._store(qi, ri + start, low)
        if b + 1 < len(sh.blocks):  # the last tile needs no new thresholds
            upper = low + 2.0 * sh.c_u * norms[ri]
            touched, u_k = _merge_top(self.top, qi, upper, sh.kk)
            self._set_thr(touched, u_k)

    def _store(self, qi, ri, low):
        self.found.append((qi, ri, low))
        self.n_found += qi.size
        if self.n_found > 8 * self.n_q * self.sh.kk + 65536:
            self._compact()

    def _survivors(self):
        """Stored pairs still at or below their query's threshold."""
        qi, ri, low = (np.concatenate(parts) for parts in zip(*self.found))
        keep = low <= self.thr[qi]
        return qi[keep], ri[keep], low[keep]

    def _compact(self):
        qi, ri, low = self._survivors()
        if qi.size > 4 * self.n_q * self.sh.kk + 65536:
            # Masses of near-equal bounds: keep each query's kk exact best.
            d2 = _exact_sq(self.q_rows, self.sh.reference, qi, ri, self.scratch)
            pos = top_pairs(qi, ri, d2, self.n_q, self.sh.kk)
            pos = pos[pos >= 0]
            qi, ri, low = qi[pos], ri[pos], low[pos]
        self.found = [(qi, ri, low)]
        self.n_found = qi.size

    def run(self):
        """``(dist_sq, ind)`` of shape ``(n_q, kk)``, sorted by (distance, index)."""
        sh = self.sh
        for b, (start, stop) in enumerate(sh.blocks):
            self._scan_tile(b, start, stop)
        if not self.found:
            return np.full((self.n_q, sh.kk), np.inf), np.full((self.n_q, sh.kk), -1)
        qi, ri, _ = self._survivors()
        d2 = _exact_sq(self.q_rows, sh.reference, qi, ri, self.scratch)
        pos = top_pairs(qi, ri, d2, self.n_q, sh.kk)
        missing = pos < 0
        out_d = np.where(missing, np.inf, d2[pos])
        out_i = np.where(missing, -1, ri[pos])
        return out_d, out_i


def _dense_exact(query, reference, kk, memory_budget, exclude):
    """All exact distances, query block by block (``kk`` close to ``n_reference``)."""
    n_q, d = query.shape
    n_ref = reference.shape[0]
    q_rows = max(1, memory_budget // (32 * n_ref))
    dist_sq = np.empty((n_q, kk))
    ind = np.empty((n_q, kk), dtype=np.intp)
    ref_cols = [reference[:, j].astype(np.float64) for j in range(d)]
    for start in range(0, n_q, q_rows):
        stop = min(start + q_rows, n_q)
        block = np.zeros((stop - start, n_ref))
        for j in range(d):
            diff = np.subtract.outer(
                query[start:stop, j].astype(np.float64), ref_cols[j]
            )
            diff *= diff
            block += diff
        if exclude is not None:
            rows = np.flatnonzero(exclude[start:stop] >= 0)
            block[rows, exclude[start:stop][rows]] = np.inf
        # A stable sort keeps equal distances in index order.
        order = np.argsort(block, axis=1, kind="stable")[:, :kk]
        dist_sq[start:stop] = np.take_along_axis(block, order, axis=1)
        ind[start:stop] = order
    ind[np.isinf(dist_sq)] = -1
    return dist_sq, ind


def run_engine(
    query,
    reference,
    kk,
    memory_budget,
    exclude=None,
    n_workers=None,
    max_candidates=None,
):
    """Exact ``kk`` nearest reference rows of every query row.

    Parameters
    ----------
    query : ndarray of shape (n_query, n_features), float32 or float64
        C-contiguous, finite, at least one row.
    reference : ndarray of shape (n_reference, n_features), same dtype
        C-contiguous, finite.
    kk : int
        Neighbours per query, ``1 <= kk <= n_reference``.
    memory_budget : int
        Bytes for the working buffers.
    exclude : ndarray of shape (n_query,) of int, optional
        Reference row never returned for the matching query (``-1``: none).
    n_workers : int, optional
        Worker threads (default: :func:`plan_blocks` decides).
    max_candidates : int, optional
        Raise :class:`CandidateOverflow` once more than about this many pairs per
        query passed the filter (default: no limit).

    Returns
    -------
    dist_sq : ndarray of shape (n_query, kk), float64
        Exact squared euclidean distances, sorted along each row; ``inf`` where
        fewer than ``kk`` rows are allowed.
    ind : ndarray of shape (n_query, kk), intp
        Reference indices, equal distances ordered by index; ``-1`` where fewer
        than ``kk`` rows are allowed.
    """
    n_q = query.shape[0]
    if _DENSE_FACTOR * kk >= reference.shape[0]:
        return _dense_exact(query, reference, kk, memory_budget, exclude)
    q_rows, r_rows, n_workers = plan_blocks(
        n_q, reference.shape[0], kk, memory_budget, n_workers
    )
    shared = _Shared(query, reference, kk, r_rows, exclude, max_candidates)
    pair_bytes = 3 * 8 * query.shape[1]
    pair_slice = int(
        np.clip(memory_budget // (4 * n_workers * pair_bytes), 64, _PAIR_SLICE)
    )
    spans = [(s, min(s + q_rows, n_q)) for s in range(0, n_q, q_rows)]
    controller = _get_controller()
    n_slots = min(n_workers, len(spans)) if controller is not None else 1
    dist_sq = np.empty((n_q, kk))
    ind = np.empty((n_q, kk), dtype=np.intp)

    pending = iter(spans)
    pending_lock = threading.Lock()

    def run_slot(_):
        # A slot takes query blocks until none is left, reusing its buffers.
        scratch = _Scratch(shared, q_rows, pair_slice)
        while True:
            with pending_lock:
                span = next(pending, None)
            if span is None:
                return
            out = _Worker(shared, span[0], span[1], scratch).run()
            dist_sq[span[0] : span[1]], ind[span[0] : span[1]] = out

    if n_slots == 1:
        run_slot(0)
        return dist_sq, ind
    # One BLAS thread per worker: the workers are the parallelism.
    with _single_threaded_blas(controller), ThreadPoolExecutor(n_slots) as pool:
        list(pool.map(run_slot, range(n_slots)))
    return dist_sq, ind
