"""SMOTE interpolation kernels: new points on segments between samples and neighbours.

``x_new = x + step * (x_neighbour - x)``, computed with exactly the floating-point
operations of the reference implementation (difference in the data's dtype,
step in float64, result cast back) so results match it bit for bit, but written
straight into a preallocated output block, chunk by chunk, with no full-size
temporaries.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["interpolate", "interpolate_into"]

# bytes of one float64 chunk: keeps the few chunk-sized temporaries in cache
_CHUNK_BYTES = 256 * 1024


def interpolate_into(out, base, base_rows, neighbours, neighbour_rows, steps, diff_scale=None):
    """Write ``base[base_rows] + steps * (neighbours[neighbour_rows] - base[base_rows])``.

    Parameters
    ----------
    out : ndarray of shape (n_new, n_features)
        Destination, dtype of ``base``.
    base, neighbours : ndarray of shape (n, n_features)
        Dense data the segment ends are taken from.
    base_rows, neighbour_rows : ndarray of int, shape (n_new,)
    steps : ndarray of float64, shape (n_new,)
        Position along each segment.
    diff_scale : ndarray of float64, shape (n_new,), default=None
        Factor applied to each difference (in the data's dtype) before the
        step, as Borderline-SMOTE-2 does for neighbours of another class.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.neighbors import interpolate_into
    >>> X = np.array([[0.0, 0.0], [2.0, 4.0]])
    >>> out = np.empty((1, 2))
    >>> interpolate_into(out, X, np.array([0]), X, np.array([1]), np.array([0.5]))
    >>> out
    array([[1., 2.]])
    """
    n_new, n_features = len(base_rows), base.shape[1]
    chunk = max(1, min(n_new, _CHUNK_BYTES // (8 * max(n_features, 1))))
    origin = np.empty((chunk, n_features), dtype=base.dtype)
    diff = np.empty((chunk, n_features), dtype=base.dtype)
    # float32 (or integer) data: the product and the sum are float64, then cast
    wide = None if base.dtype == np.float64 else np.empty((chunk, n_features))
    for start in range(0, n_new, chunk):
        stop = min(start + chunk, n_new)
        m = stop - start
        o, d = origin[:m], diff[:m]
        np.take(base, base_rows[start:stop], axis=0, out=o)
        np.take(neighbours, neighbour_rows[start:stop], axis=0, out=d)
        np.subtract(d, o, out=d)
        if diff_scale is not None:
            np.multiply(d, diff_scale[start:stop, None], out=d, casting="unsafe")
        step = steps[start:stop, None]
        if wide is None:
            np.multiply(d, step, out=d)
            np.add(d, o, out=out[start:stop])
        else:
            w = wide[:m]
            np.multiply(d, step, out=w)
            np.add(w, o, out=w)
            np.copyto(out[start:stop], w, casting="unsafe")
    return None


def interpolate(base, base_rows, neighbours, neighbour_rows, steps, diff_scale=None):
    """Return new samples on segments (dense or sparse ``base``); see ``interpolate_into``.

    Sparse matrices follow the reference's sparse arithmetic and return the
    matrix format of ``base``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> from imbkit.neighbors import interpolate
    >>> X = sparse.csr_matrix(np.array([[0.0, 0.0], [2.0, 4.0]]))
    >>> interpolate(X, np.array([0]), X, np.array([1]), np.array([0.25])).toarray()
    array([[0.5, 1. ]])
    """
    if sparse.issparse(base):
        diffs = neighbours[neighbour_rows] - base[base_rows]
        if diff_scale is not None:
            diffs = sparse.csr_matrix(diffs.multiply(diff_scale[:, None]), dtype=base.dtype)
        step_matrix = type(base)(steps[:, None])
        return (base[base_rows] + step_matrix.multiply(diffs)).astype(base.dtype)
    out = np.empty((len(base_rows), base.shape[1]), dtype=base.dtype)
    interpolate_into(out, base, base_rows, neighbours, neighbour_rows, steps, diff_scale)
    return out
