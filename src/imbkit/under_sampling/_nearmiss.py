"""NearMiss 1, 2 and 3: keep the samples closest to (or farthest from) the minority.

Each version ranks the samples of a class by the sum of their distances to a few
minority samples. Only these sums matter, not which neighbours give them:

- :func:`extreme_sq_distances` finds each row's ``k`` nearest or farthest squared
  distances blockwise: a float32 GEMM against the whole (small) minority with a
  proven rounding margin, a threshold from column-group extremes, exact float64
  values for the few pairs passing it. NearMiss-2 costs what NearMiss-1 costs.
- :func:`rank_like_reference` orders the sums as imbalanced-learn does. Each sum
  has an interval provably holding scikit-learn's value; where intervals overlap
  in the selected prefix, :func:`reference_sums` recomputes scikit-learn's values
  for those rows with the reference's own call, so ties are broken as it does.
"""

from __future__ import annotations

import numbers
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse
from sklearn import get_config

from ..exceptions import ImbalanceWarning, NotEnoughSamplesError
from ..neighbors import neighbour_indices
from ..neighbors._engine import _get_controller, _single_threaded_blas, default_workers
from ..utils._compat import HasMethods, Interval
from ..utils._validation import _plain, check_neighbors_object
from .base import BaseUnderSampler

__all__ = [
    "NearMiss",
    "extreme_sq_distances",
    "rank_like_reference",
    "reference_sums",
    "sum_intervals",
]

_U32 = 2.0**-24
_EPS = float(np.finfo(np.float64).eps)
# Absolute slack for float32 underflow of tiny products (data are scaled to ~1).
_ABS_SLACK = 2.0**-100
# Column-group extremes used for the first threshold of each row.
_GROUPS = 32
# Bytes of the float32 block of distance bounds per worker (stays in cache).
_BLOCK_BYTES = 1 << 20
# Distances held at once by NearMiss (8 MiB of float64): bounds the memory when
# n_neighbors is large (NearMiss-2 may average over the whole minority class).
_CHUNK_VALUES = 1 << 20
# Level of group maxima compared with the thresholds (1/8 of the columns).
_MASK_LEVEL = 3


def _prepare(query, reference):
    """Common float dtype, centring and power-of-two scale (as the engine does)."""
    both32 = query.dtype == np.float32 and reference.dtype == np.float32
    dtype = np.float32 if both32 else np.float64
    query = np.ascontiguousarray(query, dtype=dtype)
    reference = np.ascontiguousarray(reference, dtype=dtype)
    mu = reference.mean(axis=0, dtype=np.float64)
    span = max(np.abs(reference).max(), np.abs(query).max()) + np.abs(mu).max()
    scale = 2.0 ** -int(np.frexp(span)[1]) if span > 0 else 1.0
    return query, reference, mu, scale


def _exact_block(q_rows, reference):
    """All exact squared distances of a block of queries, one feature at a time."""
    block = np.zeros((q_rows.shape[0], reference.shape[0]))
    for j in range(reference.shape[1]):
        diff = np.subtract.outer(
            q_rows[:, j].astype(np.float64), reference[:, j].astype(np.float64)
        )
        diff *= diff
        block += diff
    return block


def _pair_sq(q_rows, reference, qi, ri, step=4096):
    """Exact float64 squared distances of the pairs ``(q_rows[qi], reference[ri])``."""
    out = np.empty(qi.size)
    for s in range(0, qi.size, step):
        diff = np.subtract(q_rows[qi[s : s + step]], reference[ri[s : s + step]],
                           dtype=np.float64)
        np.einsum("ij,ij->i", diff, diff, out=out[s : s + step])
    return out


def _group_levels(bound, k):
    """Column-group maxima of ``bound``, halving the width until about ``_GROUPS``.

    Level ``l + 1`` column ``c`` is the maximum of level ``l`` columns ``c`` and
    ``c + h``, ``h`` the width of level ``l + 1``; an odd last column of level
    ``l`` is left out. Group maxima are
    values of distinct entries, so the ``k``-th largest of a level is at most the
    ``k``-th largest entry of the row.
    """
    levels = [bound]
    while levels[-1].shape[1] >= 2 * max(_GROUPS, 2 * k):
        g = levels[-1]
        half = g.shape[1] // 2
        levels.append(np.maximum(g[:, :half], g[:, half : 2 * half]))
    return levels


def _expand_candidates(levels, thr):
    """Entries ``(row, column)`` of ``levels[0]`` at or above ``thr[row]``.

    The comparison runs on a coarse level (a few times narrower); hits are then
    followed down to their children, plus the odd columns each halving left out.
    """
    top = min(len(levels) - 1, _MASK_LEVEL)
    width = levels[top].shape[1]
    flat = np.flatnonzero(levels[top] >= thr[:, None])
    qi = flat // width
    ci = flat - qi * width
    n_rows = thr.size
    for level in range(top - 1, -1, -1):
        lv = levels[level]
        w, half = lv.shape[1], levels[level + 1].shape[1]
        parts_q, parts_c = [qi, qi], [ci, ci + half]
        if w % 2:  # the column this halving left out
            parts_q.append(np.arange(n_rows))
            parts_c.append(np.full(n_rows, w - 1))
        qi, ci = np.concatenate(parts_q), np.concatenate(parts_c)
        keep = lv.ravel().take(qi * w + ci) >= thr[qi]
        qi, ci = qi[keep], ci[keep]
    order = np.argsort(qi, kind="stable")
    return qi[order], ci[order]


def _keep_extremes(pad, k, largest):
    """The ``k`` smallest or largest entries of each row of ``pad``, ascending."""
    width = pad.shape[1]
    if largest:
        part = np.partition(pad, width - k, axis=1)[:, width - k :] if width > k else pad
    else:
        part = np.partition(pad, k - 1, axis=1)[:, :k] if width > k else pad
    return np.sort(part, axis=1)


class _Blocks:
    """Operands shared by the workers of one :func:`extreme_sq_distances` call."""

    def __init__(self, query, reference, k, largest):
        self.query, self.reference, mu, self.scale = _prepare(query, reference)
        self.mu, self.k, self.largest = mu, k, largest
        d = reference.shape[1]
        rc = (self.reference - mu) * self.scale
        rn = np.einsum("ij,ij->i", rc, rc)
        sign = 1.0 if largest else -1.0
        # The GEMM gives sign * (||b||^2 - 2 a.b), i.e. sign * (distance^2 - ||a||^2):
        # its k largest are the k farthest (sign=1) or nearest (sign=-1) rows.
        self.r_op = np.empty((rc.shape[0], d + 1), dtype=np.float32)
        self.r_op[:, :d] = -2.0 * sign * rc
        self.r_op[:, d] = sign * rn
        # |GEMM - exact| <= C u (||a||^2 + ||b||^2) / 2 with C = 4 d + 24 (the
        # engine's bound, see imbkit.neighbors._engine).
        self.c_u = (4.0 * d + 24.0) * _U32
        self.rn_max = float(rn.max())

    def run(self, start, stop, out):
        q_rows = self.query[start:stop]
        if self.k * 4 >= self.reference.shape[0] or self.reference.shape[0] < 2 * _GROUPS:
            out[start:stop] = _keep_extremes(
                _exact_block(q_rows, self.reference), self.k, self.largest
            )
            return
        qc = np.subtract(q_rows, self.mu, dtype=np.float64)
        qc *= self.scale
        d = qc.shape[1]
        q_op = np.empty((qc.shape[0], d + 1), dtype=np.float32)
        q_op[:, :d] = qc
        q_op[:, d] = 1.0
        bound = np.matmul(q_op, self.r_op.T)
        levels = _group_levels(bound, self.k)
        top = levels[-1]
        kth = np.partition(top, top.shape[1] - self.k, axis=1)[:, top.shape[1] - self.k]
        qn = np.einsum("ij,ij->i", qc, qc)
        # kth is at most the row's k-th largest bound, so at least k reference rows
        # have an exact value >= kth - E (E = c_u (qn + rn_max) / 2 bounds the
        # rounding); each of the k extreme rows then has a bound >= kth - 2 E.
        # The threshold keeps twice that margin.
        margin = self.c_u * (qn + self.rn_max) + _ABS_SLACK
        thr = (kth.astype(np.float64) - 2.0 * margin).astype(np.float32)
        thr = np.nextafter(thr, np.float32(-np.inf))  # never round up
        qi, ri = _expand_candidates(levels, thr)
        d2 = _pair_sq(q_rows, self.reference, qi, ri)
        counts = np.bincount(qi, minlength=q_rows.shape[0])
        slot = np.arange(qi.size) - (np.cumsum(counts) - counts)[qi]
        pad = np.full((q_rows.shape[0], int(counts.max())),
                      -np.inf if self.largest else np.inf)
        pad[qi, slot] = d2
        out[start:stop] = _keep_extremes(pad, self.k, self.largest)


def extreme_sq_distances(query, reference, k, *, largest, n_workers=None):
    """Squared euclidean distances from each query row to its ``k`` nearest or farthest
    reference rows, in increasing order.

    Values only: which rows realise them is not returned, so ties need no rule.
    Each value is the exact float64 ``sum((q - r) ** 2)`` of the pair, computed for
    the few pairs that pass a float32 GEMM filter with a proven rounding margin.

    Parameters
    ----------
    query : ndarray of shape (n_query, n_features)
    reference : ndarray of shape (n_reference, n_features)
        Finite values; float32 stays float32 when both are (exact values are still
        float64).
    k : int
        Distances per row, ``1 <= k <= n_reference``.
    largest : bool
        ``True`` for the ``k`` farthest rows, ``False`` for the ``k`` nearest.
    n_workers : int, optional
        Worker threads; default: the CPUs available, capped by the BLAS setting.

    Returns
    -------
    ndarray of shape (n_query, k), float64

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.under_sampling._nearmiss import extreme_sq_distances
    >>> R = np.array([[0.0], [1.0], [3.0]])
    >>> extreme_sq_distances(np.array([[0.5]]), R, 2, largest=True)
    array([[0.25, 6.25]])
    """
    n_q = query.shape[0]
    out = np.empty((n_q, k))
    if n_q == 0:
        return out
    blocks = _Blocks(query, reference, k, largest)
    rows = int(np.clip(_BLOCK_BYTES // (4 * reference.shape[0]), 8, 1024))
    spans = [(s, min(s + rows, n_q)) for s in range(0, n_q, rows)]
    controller = _get_controller()
    if n_workers is None:
        n_workers = default_workers() if n_q * reference.shape[0] > 1 << 21 else 1
    n_workers = min(n_workers, len(spans)) if controller is not None else 1
    if n_workers <= 1:
        for start, stop in spans:
            blocks.run(start, stop, out)
        return out
    pending, lock = iter(spans), threading.Lock()

    def work(_):
        while True:
            with lock:
                span = next(pending, None)
            if span is None:
                return
            blocks.run(span[0], span[1], out)

    with _single_threaded_blas(controller), ThreadPoolExecutor(n_workers) as pool:
        list(pool.map(work, range(n_workers)))
    return out


def sum_intervals(sq, query, reference):
    """Our sums of distances and intervals holding scikit-learn's sums of the same.

    ``sq`` holds, per query row, the exact squared distances to its extreme
    reference rows. scikit-learn computes a squared distance as ``||q||^2 - 2 q.r
    + ||r||^2`` (float64 GEMM; the k-d tree is more accurate), which errs by at most
    ``(2 d + 8) eps (||q||^2 + ||r||^2)``; ``delta`` below is several times that
    (never below ``1e-12 (||q||^2 + max ||r||^2)``). Square root and increasing in
    the squared value, the interval ends are increasing functions of each entry,
    so the order statistics scikit-learn sums lie between those of the ends.

    Parameters
    ----------
    sq : ndarray of shape (n_query, k)
        From :func:`extreme_sq_distances`.
    query, reference : ndarray
        The data ``sq`` was computed from.

    Returns
    -------
    sums, low, high : ndarray of shape (n_query,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.under_sampling._nearmiss import sum_intervals
    >>> sums, low, high = sum_intervals(np.array([[1.0, 4.0]]), np.ones((1, 2)),
    ...                                 np.zeros((2, 2)))
    >>> sums, bool(low[0] < 3.0 < high[0])
    (array([3.]), True)
    """
    d = query.shape[1]
    tol = max(1e-12, 16.0 * (d + 4) * _EPS)
    qn = np.einsum("ij,ij->i", query, query, dtype=np.float64)
    rn_max = float(np.einsum("ij,ij->i", reference, reference, dtype=np.float64).max())
    delta = (tol * (qn + rn_max))[:, None]
    k = sq.shape[1]
    fudge = 4.0 * (k + 2) * _EPS  # square roots and the k-term sums, both sides
    sums = np.sqrt(sq).sum(axis=1)
    low = np.sqrt(np.maximum(sq - delta, 0.0)).sum(axis=1) * (1.0 - fudge)
    high = np.sqrt(sq + delta).sum(axis=1) * (1.0 + fudge)
    return sums, low, high


def reference_sums(nn, query, n_neighbors, width, rows=None):
    """scikit-learn's sums ``dist[:, -width:].sum(axis=1)`` of ``nn.kneighbors(query)``.

    With ``rows`` given, only the query chunks holding those rows are computed;
    chunks follow scikit-learn's own ``pairwise_dist_chunk_size``, so each row is
    computed by the very same BLAS calls as in one call on all of ``query`` and the
    values are bitwise those of the reference implementation.

    Parameters
    ----------
    nn : fitted KNeighborsMixin
        The reference's estimator (fitted on the minority class).
    query : ndarray or sparse matrix
        The rows the reference queries, in its order.
    n_neighbors : int
        ``n_neighbors`` of the reference's ``kneighbors`` call.
    width : int
        Number of last (largest) distances summed.
    rows : array-like of int, optional
        Positions wanted (default: all, in one call).

    Returns
    -------
    ndarray of float64, one sum per position

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neighbors import NearestNeighbors
    >>> from imbkit.under_sampling._nearmiss import reference_sums
    >>> nn = NearestNeighbors(n_neighbors=1).fit(np.array([[0.0], [3.0]]))
    >>> reference_sums(nn, np.array([[1.0], [2.0]]), 2, 2)
    array([3., 3.])
    """
    if rows is None or not get_config().get("enable_cython_pairwise_dist", True):
        # (scikit-learn's other brute-force path chunks by memory: call it whole)
        dist = nn.kneighbors(query, n_neighbors=n_neighbors)[0]
        sums = np.sum(dist[:, -width:], axis=1)
        return sums if rows is None else sums[rows]
    n_q = query.shape[0]
    chunk = min(n_q, int(get_config().get("pairwise_dist_chunk_size", 256)))
    out = np.full(n_q, np.nan)
    for c in np.unique(np.asarray(rows) // chunk):
        start, stop = c * chunk, min(n_q, (c + 1) * chunk)
        dist = nn.kneighbors(query[start:stop], n_neighbors=n_neighbors)[0]
        out[start:stop] = np.sum(dist[:, -width:], axis=1)
    return out[rows]


def rank_like_reference(sums, low, high, n_select, farthest, exact_sums):
    """Positions of the first ``n_select`` rows in the reference's stable sort.

    imbalanced-learn sorts positions with ``sorted(key=sums, reverse=farthest)``:
    stable in both directions, equal sums keep increasing positions. Where the
    intervals ``[low, high]`` of rows in the selected prefix overlap (a tie or
    near-tie), ``exact_sums(rows)`` supplies the reference's own sums for them.

    Parameters
    ----------
    sums, low, high : ndarray of shape (n,)
        Our sums and intervals holding the reference's sums.
    n_select : int
        Rows wanted.
    farthest : bool
        Rank the largest sums first.
    exact_sums : callable
        ``exact_sums(positions) -> ndarray``: the reference's sums there.

    Returns
    -------
    ndarray of int, the first ``min(n_select, n)`` positions in rank order

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.under_sampling._nearmiss import rank_like_reference
    >>> sums = np.array([2.0, 1.0, 2.0, 5.0])
    >>> rank_like_reference(sums, sums - 0.1, sums + 0.1, 3, False,
    ...                     lambda rows: np.array([2.0, 2.0]))
    array([1, 0, 2])
    """
    if farthest:
        sums, low, high = -sums, -high, -low
    order = np.argsort(sums, kind="stable")
    n = order.size
    n_select = min(n_select, n)
    if n_select == 0:
        return order[:0]
    low, high = low[order], high[order]
    # a cut before position p is clean when every interval before it lies below
    # every interval from p on: the reference's order agrees across clean cuts
    clean = np.maximum.accumulate(high)[:-1] < np.minimum.accumulate(low[::-1])[::-1][1:]
    starts = np.concatenate([[0], np.flatnonzero(clean) + 1])
    stops = np.append(starts[1:], n)
    tied = (starts < n_select) & (stops - starts > 1)
    if tied.any():
        spans = list(zip(starts[tied], stops[tied]))
        rows = np.concatenate([order[a:b] for a, b in spans])
        values = np.asarray(exact_sums(rows), dtype=np.float64)
        values = -values if farthest else values
        at = 0
        for a, b in spans:
            block, vals = order[a:b], values[at : at + b - a]
            order[a:b] = block[np.lexsort((block, vals))]
            at += b - a
    return order[:n_select]


def _first_minority(y):
    """The minority class as imbalanced-learn picks it: ``min`` over a ``Counter``,
    so among equally small classes the one seen first in ``y``."""
    classes, first, counts = np.unique(y, return_index=True, return_counts=True)
    in_order = np.argsort(first, kind="stable")
    pick = in_order[np.argmin(counts[in_order])]
    return classes[pick], int(counts[pick])


class NearMiss(BaseUnderSampler):
    """Under-sample by keeping the samples nearest to (or farthest from) the minority.

    For each class to reduce, every sample gets the sum of its distances to some
    minority samples, and the samples ranked first are kept (Mani and Zhang, 2003):

    - ``version=1``: smallest mean distance to its ``n_neighbors`` nearest
      minority samples;
    - ``version=2``: smallest mean distance to its ``n_neighbors`` *farthest*
      minority samples;
    - ``version=3``: first, the ``n_neighbors_ver3`` nearest samples of the class
      around each minority sample are short-listed; of those, the ones with the
      *largest* mean distance to their ``n_neighbors`` nearest minority samples
      are kept.

    Selects the same rows, in the same order, as imbalanced-learn 0.14 (its
    stable sort of scikit-learn's sums; rows whose rank rounding could decide
    are re-scored by scikit-learn, see :func:`rank_like_reference`).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Samples to keep per class; see
        :class:`~imbkit.under_sampling.base.BaseUnderSampler`.
    version : {1, 2, 3}, default=1
        The NearMiss rule.
    n_neighbors : int or estimator, default=3
        Minority samples averaged over, or a k-NN estimator with ``kneighbors``
        (then used for every distance, as in the reference).
    n_neighbors_ver3 : int or estimator, default=3
        Short-list size around each minority sample (``version=3`` only).
    n_jobs : int, default=None
        Passed to the k-NN estimators.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples kept per class.
    nn_ : estimator
        The k-NN estimator from ``n_neighbors``, fitted on the minority class.
    nn_ver3_ : estimator
        The k-NN estimator from ``n_neighbors_ver3`` (``version=3`` only), fitted
        on the last class reduced.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Row of ``X`` of each output sample.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Notes
    -----
    A user-supplied estimator, or sparse ``X``, is used exactly as the reference
    uses it (one ``kneighbors`` call per class). As in the reference,
    ``version=2`` with ``n_neighbors`` above the minority size averages over the
    whole minority class, while versions 1 and 3 raise
    :class:`~imbkit.exceptions.NotEnoughSamplesError`. ``version=3`` can keep
    fewer samples than asked (an :class:`~imbkit.exceptions.ImbalanceWarning`
    says so) when the short-list is smaller.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling._nearmiss import NearMiss
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = NearMiss(version=2).fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 102), (1, 102)]
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "version": [Interval(numbers.Integral, 1, 3, closed="both")],
        "n_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
        "n_neighbors_ver3": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", version=1, n_neighbors=3,
                 n_neighbors_ver3=3, n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.n_jobs = n_jobs

    def _validate_estimator(self):
        self.nn_ = check_neighbors_object("n_neighbors", self.n_neighbors)
        self.nn_.set_params(n_jobs=self.n_jobs)
        if self.version == 3:
            self.nn_ver3_ = check_neighbors_object("n_neighbors_ver3", self.n_neighbors_ver3)
            self.nn_ver3_.set_params(n_jobs=self.n_jobs)

    def _check_sizes(self, y, minority, n_minority):
        k = self.nn_.n_neighbors
        if self.version != 2 and k > n_minority:
            raise NotEnoughSamplesError(
                f"NearMiss-{self.version} uses the n_neighbors={k} nearest samples of "
                f"the minority class {_plain(minority)!r}, which has only {n_minority}. "
                f"Lower n_neighbors to at most {n_minority}."
            )
        if self.version == 3:
            k3 = self.nn_ver3_.n_neighbors
            for klass in self.sampling_strategy_:
                n_class = int(np.count_nonzero(y == klass))
                if k3 > n_class:
                    raise NotEnoughSamplesError(
                        f"NearMiss-3 short-lists the n_neighbors_ver3={k3} nearest "
                        f"samples of class {_plain(klass)!r} around each minority "
                        f"sample, but that class has only {n_class}. Lower "
                        f"n_neighbors_ver3 to at most {n_class}."
                    )

    def _fit_resample(self, X, y):
        self._validate_estimator()
        minority, n_minority = _first_minority(y)
        self._check_sizes(y, minority, n_minority)
        X_min = X[np.flatnonzero(y == minority)]
        self.nn_.fit(X_min)
        fast = isinstance(self.n_neighbors, numbers.Integral) and not sparse.issparse(X)
        kept = [np.empty(0, dtype=np.int64)]
        for klass in np.unique(y):
            rows = np.flatnonzero(y == klass)
            if klass in self.sampling_strategy_:
                n_keep = self.sampling_strategy_[klass]
                if self.version == 3:
                    rows = self._select_v3(X[rows], X_min, rows, n_keep, fast)
                else:
                    rows = rows[self._ranked(X[rows], X_min, n_keep, fast)]
            kept.append(rows)
        self.sample_indices_ = np.concatenate(kept).astype(np.int64, copy=False)
        return X[self.sample_indices_], y[self.sample_indices_]

    def _ranked(self, query, X_min, n_keep, fast, farthest=False):
        """Positions in ``query`` of the ``n_keep`` first rows of the reference's ranking."""
        k = self.nn_.n_neighbors
        # the reference's kneighbors call and the columns it sums
        n_asked = X_min.shape[0] if self.version == 2 else k
        width = min(k, n_asked)

        def exact(rows=None):
            return reference_sums(self.nn_, query, n_asked, width, rows)

        if not fast:
            sums = exact()
            return np.argsort(-sums if farthest else sums, kind="stable")[:n_keep]
        sums, low, high = np.empty((3, query.shape[0]))
        step = max(1, _CHUNK_VALUES // width)  # rows whose k distances are held at once
        for start in range(0, query.shape[0], step):
            part = query[start : start + step]
            sq = extreme_sq_distances(part, X_min, width, largest=self.version == 2)
            rows = slice(start, start + step)
            sums[rows], low[rows], high[rows] = sum_intervals(sq, part, X_min)
        return rank_like_reference(sums, low, high, n_keep, farthest, exact)

    def _select_v3(self, X_class, X_min, rows, n_keep, fast):
        self.nn_ver3_.fit(X_class)
        short = np.unique(neighbour_indices(self.nn_ver3_, self.n_neighbors_ver3,
                                            X_class, X_min).ravel())
        if short.size < n_keep:
            warnings.warn(
                f"NearMiss-3 short-listed only {short.size} samples of the class "
                f"(n_neighbors_ver3={self.nn_ver3_.n_neighbors} around each minority "
                f"sample), fewer than the {n_keep} asked; all of them are kept. "
                "Increase n_neighbors_ver3 to keep more.",
                ImbalanceWarning,
                stacklevel=4,
            )
        ranked = self._ranked(X_class[short], X_min, n_keep, fast, farthest=True)
        return rows[short[ranked]]
