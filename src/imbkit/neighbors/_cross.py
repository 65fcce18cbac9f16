"""Lower bounds of the distance from each row of two sets to the nearest row of the other.

One float32 product of the two sets answers both directions: the row minima of
the product bound each row of ``A`` and its column minima each row of ``B``.
Callers that need the nearest row of another class for every sample of two
classes (edited nearest neighbours on a balanced, two-class dataset) pay for the
product once instead of twice, and skip the exact float64 refinement a k-NN
search ends with: a certificate only needs a value that is never above the true
distance.

Why the values are lower bounds: rows are centred on a common mean and scaled by
a power of two so that no component exceeds 1 (exact in float64 up to rounding),
then rounded to float32 (``a``, ``b``). With ``u = 2**-24``, ``n_a = ||a||^2`` and
``n_b = ||b||^2``, the float32 product of ``[a, 1, n_a']`` and ``[-2 b, n_b', 1]``
(a dot product of length ``d + 2``; ``n_a' <= n_a (1 - 2 c)``, ``n_b'`` alike,
``c = (4 d + 32) u``) is at most ``||a - b||^2 - 2 c (n_a + n_b)`` plus its
rounding error, at most ``(4 d + 10) u (n_a + n_b)`` (``gamma_{d+2}`` times the sum
of the terms' magnitudes, at most ``2 (n_a + n_b)``, and the roundings of the
norms). Rounding the rows to float32 moves ``||a - b||^2`` from the squared
distance of the scaled rows by at most ``4 u (n_a + n_b)`` (to first order). So
the product is at most the scaled squared distance, with ``(4 d + 50) u (n_a + n_b)``
to spare for higher-order terms. Underflow of tiny products and the float64
rounding of the centring are covered by an absolute slack.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ._engine import _get_controller, _single_threaded_blas, default_workers

__all__ = ["cross_min_sq_lower"]

_U32 = 2.0**-24
_ABS_SLACK = 2.0**-100
# A tile is _TILE_ROWS rows of A by _TILE_COLS rows of B (8 MB of float32: the
# product and both minima stay in the shared cache).
_TILE_ROWS = 2048
_TILE_COLS = 1024


def _operands(A, B):
    """The float32 operands ``[a, 1, n_a']`` and ``[-2 b, n_b', 1]`` and the scale."""
    mu = np.mean(B, axis=0, dtype=np.float64)
    centred = [np.subtract(rows, mu, dtype=np.float64) for rows in (A, B)]
    span = max(float(np.max(np.abs(c), initial=0.0)) for c in centred)
    scale = 1.0 if span == 0.0 else 2.0 ** -np.ceil(np.log2(span))
    d = A.shape[1]
    shrink = 1.0 - 2.0 * (4 * d + 32) * _U32
    ops = []
    for rows, factor, norm_col, one_col in ((centred[0], 1.0, d + 1, d),
                                            (centred[1], -2.0, d, d + 1)):
        op = np.empty((rows.shape[0], d + 2), dtype=np.float32)
        rows *= scale  # exact: a power of two
        op[:, :d] = rows
        exact = op[:, :d].astype(np.float64)
        norms = (np.einsum("ij,ij->i", exact, exact) * shrink).astype(np.float32)
        # rounding to float32 may have gone up: step down once, never above
        op[:, norm_col] = np.nextafter(norms, np.float32(-np.inf))
        op[:, one_col] = 1.0
        if factor != 1.0:
            op[:, :d] *= np.float32(factor)  # exact: a power of two
        ops.append(op)
    # float64 rounding of the centring, relative to the largest magnitude involved
    big = max(float(np.max(np.abs(A), initial=0.0)), float(np.max(np.abs(B), initial=0.0)),
              float(np.max(np.abs(mu), initial=0.0)))
    e = 2.0**-50 * big * scale * np.sqrt(d)
    slack = 8.0 * e * np.sqrt(d) + 4.0 * e * e + _ABS_SLACK
    return ops[0], ops[1], scale, slack


def cross_min_sq_lower(A, B, *, n_workers=None):
    """Lower bounds of each row's squared distance to the nearest row of the other set.

    Parameters
    ----------
    A : ndarray of shape (n_a, n_features)
    B : ndarray of shape (n_b, n_features)
        Finite, float32 or float64, at least one row each.
    n_workers : int, optional
        Threads (default: the CPUs BLAS may use).

    Returns
    -------
    lower_a : ndarray of shape (n_a,), float64
        ``lower_a[i] <= min_j ||A[i] - B[j]||^2``, within a few float32 ulps of
        the data's scale.
    lower_b : ndarray of shape (n_b,), float64
        ``lower_b[j] <= min_i ||A[i] - B[j]||^2``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors._cross import cross_min_sq_lower
    >>> A = np.array([[0.0, 0.0], [4.0, 0.0]])
    >>> B = np.array([[1.0, 0.0], [0.0, 3.0], [9.0, 0.0]])
    >>> la, lb = cross_min_sq_lower(A, B)
    >>> bool(np.all(la <= [1, 9])), bool(np.all(lb <= [1, 9, 25]))
    (True, True)
    >>> np.round(la, 3), np.round(lb, 3)
    (array([1., 9.]), array([ 1.,  9., 25.]))
    """
    a_op, b_op, scale, slack = _operands(A, B)
    n_a, n_b = a_op.shape[0], b_op.shape[0]
    row_min = np.full(n_a, np.inf, dtype=np.float32)
    col_min = np.full(n_b, np.inf, dtype=np.float32)
    spans = [(s, min(s + _TILE_ROWS, n_a)) for s in range(0, n_a, _TILE_ROWS)]
    lock = threading.Lock()
    pending = iter(spans)

    def run_slot(_):
        local = np.full(n_b, np.inf, dtype=np.float32)
        tile = np.empty((_TILE_ROWS, _TILE_COLS), dtype=np.float32)
        part = np.empty(max(_TILE_ROWS, _TILE_COLS), dtype=np.float32)
        while True:
            with lock:
                span = next(pending, None)
            if span is None:
                break
            q = a_op[span[0]:span[1]]
            rows = row_min[span[0]:span[1]]
            for c0 in range(0, n_b, _TILE_COLS):
                c1 = min(c0 + _TILE_COLS, n_b)
                t = tile[: q.shape[0], : c1 - c0]
                np.matmul(q, b_op[c0:c1].T, out=t)
                np.minimum.reduce(t, axis=1, out=part[: q.shape[0]])
                np.minimum(rows, part[: q.shape[0]], out=rows)
                np.minimum.reduce(t, axis=0, out=part[: c1 - c0])
                np.minimum(local[c0:c1], part[: c1 - c0], out=local[c0:c1])
        with lock:
            np.minimum(col_min, local, out=col_min)

    workers = n_workers or default_workers()
    controller = _get_controller()
    n_slots = min(workers, len(spans)) if controller is not None else 1
    if controller is None:  # pragma: no cover - threadpoolctl ships with scikit-learn
        run_slot(0)
    else:
        # single-threaded BLAS whatever the number of workers: the same products,
        # so the same bounds, for any n_workers
        with _single_threaded_blas(controller), ThreadPoolExecutor(n_slots) as pool:
            list(pool.map(run_slot, range(n_slots)))
    inv = 1.0 / (scale * scale)  # a power of two: exact
    lower_a = np.maximum(row_min.astype(np.float64) - slack, 0.0) * inv
    lower_b = np.maximum(col_min.astype(np.float64) - slack, 0.0) * inv
    return lower_a, lower_b
