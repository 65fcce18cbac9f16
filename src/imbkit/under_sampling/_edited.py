"""Edited nearest neighbours (ENN) and its repeated forms, RENN and AllKNN.

The verdicts equal imbalanced-learn 0.14's; :class:`EditCache` settles most
samples of a large class without a neighbour search and keeps what it learnt
valid across the passes of RENN and AllKNN.
"""

from __future__ import annotations

import numbers
from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.base import clone

from ..exceptions import NotEnoughSamplesError
from ..neighbors._cleaning import (
    NeighbourTable,
    WitnessIndex,
    edit_verdicts,
    judge_neighbours,
    nearest_sq,
    neighbour_table,
    tie_rtol,
)
from ..neighbors._cross import cross_min_sq_lower
from ..utils._compat import HasMethods, Interval, StrOptions
from ..utils._validation import check_neighbors_object, check_sampling_strategy
from ._tomek import _as_float
from .base import BaseCleaningSampler

__all__ = ["AllKNN", "EditCache", "EditedNearestNeighbours",
           "RepeatedEditedNearestNeighbours", "edited_keep_mask"]

_TREES = ("kd_tree", "ball_tree")
# Smaller classes are listed directly (certifying costs a search of the other
# classes, about what listing costs); so is data this narrow (a k-d tree lists
# every sample faster than certifying).
_CERTIFY_MIN = 2048
_LIST_ALL_FEATURES = 4


def _set_n_jobs(estimator, n_jobs):
    # imbalanced-learn sets n_jobs unconditionally, which fails on estimators
    # without that parameter; those simply keep theirs
    if "n_jobs" in estimator.get_params(deep=False):
        estimator.set_params(n_jobs=n_jobs)
    return estimator


class _IndexTags:  # the samplers expose sample_indices_
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if hasattr(tags, "sampler_tags"):
            tags.sampler_tags.sample_indices = True
        return tags


def _check_size(n_with_self, n_samples):
    if n_with_self is not None and n_with_self > n_samples:
        k = n_with_self - 1
        raise NotEnoughSamplesError(
            f"n_neighbors={k} needs at least {n_with_self} samples (each sample and "
            f"its {k} neighbours), but the data have {n_samples}. Lower n_neighbors "
            f"to at most {n_samples - 1}."
        )


class EditCache:
    """ENN passes over subsets of one dataset, with what decides each verdict kept.

    A sample is settled by a *certificate* (``max_neighbors`` witnesses of its
    class closer than every sample of another class, see
    :func:`~imbkit.neighbors._cleaning.same_class_witnesses`) or by its exact
    *neighbour list* (``max_neighbors + 3`` columns). Both stay valid while
    samples are removed, as long as none of the rows they name is: removal never
    brings rows closer, and only lengthens the distance to the nearest sample of
    another class. Verdicts that depend on the order of tied distances, and all
    verdicts when ``max_neighbors`` is ``None`` (a neighbours object from the
    user) or ``X`` is sparse, come from the reference's estimator.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    max_neighbors : int or None
        Largest ``k`` asked for (``None``: ask the estimator).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neighbors import NearestNeighbors
    >>> from imbkit.under_sampling._edited import EditCache
    >>> X = np.array([[0.0], [1.1], [2.3], [3.6], [5.0]])
    >>> cache = EditCache(X, np.array([0, 0, 1, 1, 1]), 1)
    >>> cache.edit(np.arange(5), [0, 1], NearestNeighbors(n_neighbors=2), 1, "all")
    array([0, 1, 3, 4])
    """

    def __init__(self, X, y, max_neighbors):
        self.X_in = X
        self.classes, codes = np.unique(y, return_inverse=True)
        self.codes = codes.reshape(-1).astype(np.intp)
        self.labels = np.append(self.codes, -1)  # index -1: the padding
        self.fast = max_neighbors is not None and not sparse.issparse(X)
        if not self.fast:
            return
        self.X = X = _as_float(X)
        n, self.k_max = X.shape[0], int(max_neighbors)
        self.width = self.k_max + 3
        self.norms = np.einsum("ij,ij->i", X, X, dtype=np.float64)
        # bounds the tie tolerance of a query and any two rows
        self.cert_tol = tie_rtol(X.shape[1]) * (self.norms + 2.0 * self.norms.max())
        self.certified = np.zeros(n, dtype=bool)
        self.witness = np.zeros((n, self.k_max), dtype=np.intp)
        self.listed = np.zeros(n, dtype=bool)
        self.ind = np.full((n, self.width), -1, dtype=np.intp)
        self.tied = np.zeros((n, self.width - 1), dtype=bool)
        self.closed = np.zeros(n, dtype=bool)
        self._indexes = {}

    def edit(self, order, classes, estimator, n_neighbors, kind_sel, *, fitted=False):
        """The reference ENN's ``sample_indices_`` on ``X[order]`` (positions in ``order``).

        ``estimator`` (the reference's) is fitted on ``X[order]`` (unless
        ``fitted``) only when some verdict needs it."""
        codes = self.codes[order]
        wanted = list(classes)
        cleaned = np.array([c in wanted for c in self.classes.tolist()], dtype=bool)
        keep = np.ones(order.size, dtype=bool)
        judged = np.flatnonzero(cleaned[codes])
        if self.fast:
            _check_size(n_neighbors + 1, order.size)
            keep[judged], ambiguous = self._verdicts(
                np.sort(order), order[judged], n_neighbors, kind_sel
            )
            judged = judged[ambiguous]
        else:
            _check_size(getattr(estimator, "n_neighbors", None), order.size)
        if judged.size:
            keep[judged] = self._ask(order, judged, estimator, kind_sel, fitted)
        kept = np.flatnonzero(keep)
        # grouped by class (ascending), rows ascending within a class
        return kept[np.argsort(codes[kept], kind="stable")]

    def _ask(self, order, positions, estimator, kind_sel, fitted):
        """The estimator's verdicts on ``positions`` of ``X[order]``.

        A tree answers each query row on its own, so only these rows are asked;
        brute force may order ties differently in another batch, so it gets the
        reference's (all samples of the class)."""
        same = order.size == self.codes.size and np.array_equal(order, np.arange(order.size))
        X_cur = self.X_in if same else self.X_in[order]
        if not fitted:
            estimator.fit(X_cur)
        per_row = getattr(estimator, "_fit_method", None) in _TREES
        codes = self.codes[order]
        out = np.empty(positions.size, dtype=bool)
        for c in np.unique(codes[positions]):
            mine = np.flatnonzero(codes[positions] == c)
            wanted = positions[mine]
            batch = wanted if per_row else np.flatnonzero(codes == c)
            ind = estimator.kneighbors(X_cur[batch], return_distance=False)
            ind = ind[np.searchsorted(batch, wanted), 1:]
            out[mine] = judge_neighbours(codes[ind], codes[wanted], kind_sel, self.classes.size)
        return out

    def _valid(self, rows, removed):  # no row named by the certificate / list removed
        return (self.certified[rows] & ~removed[self.witness[rows]].any(axis=1),
                self.listed[rows] & ~removed[self.ind[rows]].any(axis=1))

    def _verdicts(self, alive, rows, n_neighbors, kind_sel):
        """``(keep, ambiguous)`` for ``rows`` in the data of the ``alive`` rows."""
        removed = np.ones(self.codes.size + 1, dtype=bool)
        removed[alive] = False
        removed[-1] = False  # the padding index
        cert, listed = self._valid(rows, removed)
        if not (cert | listed).all():
            self._settle(alive, rows[~cert & ~listed])
            cert, listed = self._valid(rows, removed)
        keep = np.ones(rows.size, dtype=bool)
        ambiguous = np.zeros(rows.size, dtype=bool)
        by_list = np.flatnonzero(~cert)
        r = rows[by_list]
        keep[by_list], ambiguous[by_list] = edit_verdicts(
            NeighbourTable(self.ind[r], self.tied[r], self.closed[r]),
            self.labels, self.codes[r], n_neighbors, kind_sel, self.classes.size,
        )
        return keep, ambiguous

    def _settle(self, alive, need):
        """Certify or list the rows of ``need`` against the ``alive`` rows."""
        alive_codes = self.codes[alive]
        lower = self._pair_bounds(alive, alive_codes, need)
        for c in np.unique(self.codes[need]):
            todo = need[self.codes[need] == c]
            members = alive[alive_codes == c]
            # certifying costs a search of the other classes: worth it for large
            # classes that make most of the data (or when that search is already
            # paid for), on data too wide for a tree
            large = 2 * members.size >= alive.size and members.size < alive.size
            if (todo.size >= _CERTIFY_MIN and (large or lower is not None)
                    and self.X.shape[1] > _LIST_ALL_FEATURES):
                todo = self._certify(todo, members, alive[alive_codes != c], lower)
            if todo.size:
                self._list(alive, todo)

    def _pair_bounds(self, alive, alive_codes, need):
        """Nearest-other-class bounds of every alive row, when two classes both need them.

        One product of the two classes bounds both sides
        (:func:`~imbkit.neighbors._cross.cross_min_sq_lower`), half of what one
        search per class costs; ``None`` when this does not apply."""
        present = np.unique(alive_codes)
        if present.size != 2 or self.X.shape[1] <= _LIST_ALL_FEATURES:
            return None
        need_codes = self.codes[need]
        if min(np.count_nonzero(need_codes == c) for c in present) < _CERTIFY_MIN:
            return None
        first, second = (alive[alive_codes == c] for c in present)
        lower = np.full(self.codes.size, np.nan)
        lower[first], lower[second] = cross_min_sq_lower(self.X[first], self.X[second])
        return lower

    def _certify(self, todo, members, others, lower=None):
        X = self.X
        nearest = (nearest_sq(X[todo], X[others], 1)[0][:, 0] if lower is None
                   else lower[todo])
        target = nearest - self.cert_tol[todo]
        code = self.codes[todo[0]]
        if code not in self._indexes:  # built once per class, reused by each pass
            rows = np.flatnonzero(self.codes == code)
            self._indexes[code] = rows, WitnessIndex(X[rows])
        rows, index = self._indexes[code]
        bound, wit = index.search(np.searchsorted(rows, todo), self.k_max, target,
                                  members=np.searchsorted(rows, members))
        ok = bound < target
        self.certified[todo[ok]] = True
        self.witness[todo[ok]] = rows[wit[ok]]
        return todo[~ok]

    def _list(self, alive, todo):
        X = self.X
        table = neighbour_table(
            X[todo], X if alive.size == X.shape[0] else X[alive], self.width,
            query_norms=self.norms[todo], reference_norms=self.norms[alive],
        )
        width = table.ind.shape[1]
        self.ind[todo] = -1
        self.ind[todo, :width] = alive[table.ind]
        self.tied[todo] = False
        self.tied[todo, : width - 1] = table.tied
        self.closed[todo] = table.closed
        self.listed[todo] = True


def edited_keep_mask(X, y, classes=None, n_neighbors=3, kind_sel="all", *, n_jobs=None):
    """Which samples one edited-nearest-neighbour pass keeps.

    A sample of a class in ``classes`` is removed when, among its
    ``n_neighbors`` nearest neighbours (columns ``1..k`` of
    ``NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X_class)``, as in
    imbalanced-learn), one has another class (``kind_sel='all'``) or its class
    is not the most frequent (``'mode'``). The verdicts equal
    imbalanced-learn 0.14's, including where distances tie.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite. Sparse input is handed to scikit-learn.
    y : array-like of shape (n_samples,)
    classes : iterable, default=None
        Classes to clean (``None``: all).
    n_neighbors : int, default=3
    kind_sel : {"all", "mode"}, default="all"
    n_jobs : int, default=None
        Given to scikit-learn's ``NearestNeighbors`` where it is called.

    Returns
    -------
    ndarray of bool, shape (n_samples,)
        ``True`` for kept samples (all samples of the other classes).

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.under_sampling._edited import edited_keep_mask
    >>> X = np.array([[0.0], [1.1], [2.3], [3.6], [5.0]])
    >>> edited_keep_mask(X, np.array([0, 0, 1, 1, 1]), n_neighbors=1)
    array([ True,  True, False,  True,  True])
    """
    X = X if sparse.issparse(X) else np.asarray(X)
    y, k = np.asarray(y), int(n_neighbors)
    cache = EditCache(X, y, k)
    estimator = _set_n_jobs(check_neighbors_object("n_neighbors", k, 1), n_jobs)
    classes = cache.classes.tolist() if classes is None else classes
    keep = np.zeros(y.shape[0], dtype=bool)
    keep[cache.edit(np.arange(y.shape[0]), classes, estimator, k, kind_sel)] = True
    return keep


_ENN_CONSTRAINTS: dict = {
    **BaseCleaningSampler._parameter_constraints,
    "n_neighbors": [
        Interval(numbers.Integral, 1, None, closed="left"),
        HasMethods(["kneighbors", "kneighbors_graph"]),
    ],
    "kind_sel": [StrOptions({"all", "mode"})],
    "n_jobs": [numbers.Integral, None],
}


class EditedNearestNeighbours(_IndexTags, BaseCleaningSampler):
    """Remove the samples whose nearest neighbours disagree with their class.

    Edited nearest neighbours (Wilson, 1972): a sample of a class named by
    ``sampling_strategy`` is removed when any (``kind_sel='all'``) or most
    (``'mode'``) of its ``n_neighbors`` nearest neighbours belong to another
    class, which clears noise and the border between classes.

    Selects exactly the rows of imbalanced-learn 0.14. A sample of a large class
    is kept without a neighbour search when ``n_neighbors`` samples of its class,
    found in a few k-means cells, are closer than the nearest sample of another
    class; the others get their exact neighbours from imbkit's engine (a k-d
    tree for up to 8 features). Where tied distances make a verdict depend on
    scikit-learn's internal order, scikit-learn is asked, as the reference does.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to clean; see :class:`~imbkit.under_sampling.base.BaseCleaningSampler`.
    n_neighbors : int or object, default=3
        Neighbours examined, or an estimator with ``kneighbors`` whose
        ``n_neighbors`` counts the sample itself (pass 4 neighbours to examine
        3); an estimator is always called, as in the reference.
    kind_sel : {'all', 'mode'}, default='all'
        ``'all'``: keep a sample when all its neighbours share its class;
        ``'mode'``: when its class is their most frequent one (the smallest
        class wins ties, as ``scipy.stats.mode``). imbalanced-learn fails on
        string labels with ``'mode'``; imbkit compares them in sorted order.
    n_jobs : int, default=None
        Passed to the neighbours estimator where it has this parameter.

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned (keys).
    nn_ : estimator object
        The neighbours estimator built from ``n_neighbors``, fitted on ``X``.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Rows of ``X`` kept, grouped by class (ascending), ascending within a
        class, as in the reference.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Raises
    ------
    NotEnoughSamplesError
        With fewer than ``n_neighbors + 1`` samples.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling import EditedNearestNeighbours
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> X_res, y_res = EditedNearestNeighbours().fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 745), (np.int64(1), 123)]
    """

    _parameter_constraints: dict = _ENN_CONSTRAINTS

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _validate_estimator(self):
        self.nn_ = check_neighbors_object("n_neighbors", self.n_neighbors, additional_neighbor=1)
        _set_n_jobs(self.nn_, self.n_jobs)

    def _fit_resample(self, X, y):
        self._validate_estimator()
        fast = isinstance(self.n_neighbors, numbers.Integral)
        k = self.nn_.n_neighbors - 1 if fast else None
        cache = EditCache(X, y, k)
        _check_size(getattr(self.nn_, "n_neighbors", None), X.shape[0])
        self.nn_.fit(X)
        self.sample_indices_ = cache.edit(
            np.arange(X.shape[0]), self.sampling_strategy_.keys(), self.nn_, k,
            self.kind_sel, fitted=True,
        )
        return X[self.sample_indices_], y[self.sample_indices_]


def _minority_class(y):
    counts = Counter(y)  # ties: the class seen first, as the reference
    return counts, min(counts, key=counts.get)


def _stop_reasons(y_kept, counts, minority):
    """(a class other than the minority fell below it, a class disappeared)."""
    after = Counter(y_kept)
    fell = any(n < counts[minority] for c, n in after.items() if c != minority)
    return fell, len(after) < len(counts)


class _RepeatedBase(_IndexTags, BaseCleaningSampler):
    """Shared parts of RENN and AllKNN: the inner ENN and its passes."""

    def _validate_estimator(self):
        self.nn_ = check_neighbors_object("n_neighbors", self.n_neighbors, additional_neighbor=1)
        self.enn_ = EditedNearestNeighbours(
            sampling_strategy=self.sampling_strategy, n_neighbors=self.nn_,
            kind_sel=self.kind_sel, n_jobs=self.n_jobs,
        )

    def _pass(self, cache, order, y, n_neighbors, estimator, fast):
        """One ENN pass on ``X[order]``: its ``sampling_strategy_`` and kept positions."""
        strategy = check_sampling_strategy(self.sampling_strategy, y[order], "clean-sampling")
        estimator = _set_n_jobs(clone(estimator), self.n_jobs)
        k = n_neighbors if fast else None
        return strategy, cache.edit(order, strategy.keys(), estimator, k, self.kind_sel)

    def _record(self, strategy, kept, X):
        self.enn_.sampling_strategy_, self.enn_.sample_indices_ = strategy, kept
        self.enn_.n_features_in_ = X.shape[1]


class RepeatedEditedNearestNeighbours(_RepeatedBase):
    """Apply edited nearest neighbours again and again until it stops removing.

    Repeated ENN (Tomek, 1976): :class:`EditedNearestNeighbours` passes, each
    on the output of the previous one, stop after ``max_iter`` passes, or when
    a pass removes nothing, or when a cleaned class falls below the size the
    minority class had, or when a class disappears (imbalanced-learn 0.14's
    criteria; ``sampling_strategy`` is resolved again on each pass's input).

    Selects exactly the rows of imbalanced-learn 0.14. The passes share one
    :class:`EditCache`: after the first, only the samples that lost a neighbour
    or a witness to a removal are examined again.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
    n_neighbors : int or object, default=3
    kind_sel : {'all', 'mode'}, default='all'
    n_jobs : int, default=None
        As in :class:`EditedNearestNeighbours`.
    max_iter : int, default=100
        Most passes run.

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned on the first pass (keys).
    nn_ : estimator object
        The neighbours estimator built from ``n_neighbors`` (not fitted).
    enn_ : EditedNearestNeighbours
        The inner sampler, with the last pass's ``sampling_strategy_`` and
        ``sample_indices_`` (no ``nn_``).
    sample_indices_ : ndarray of shape (n_new_samples,)
        Rows of ``X`` kept, in the order of the output.
    n_iter_ : int
        Passes run.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Notes
    -----
    When the first pass removes nothing, imbalanced-learn 0.14 applies that
    pass's row order twice to ``sample_indices_``, which then no longer
    matches the rows returned (unless ``y`` is sorted by class); here
    ``sample_indices_`` always indexes the rows returned.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling import RepeatedEditedNearestNeighbours
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> renn = RepeatedEditedNearestNeighbours()
    >>> X_res, y_res = renn.fit_resample(X, y)
    >>> sorted(Counter(y_res).items()), renn.n_iter_
    ([(np.int64(0), 704), (np.int64(1), 123)], 5)
    """

    _parameter_constraints: dict = {
        **_ENN_CONSTRAINTS, "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, max_iter=100,
                 kind_sel="all", n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs
        self.max_iter = max_iter

    def _fit_resample(self, X, y):
        self._validate_estimator()
        fast = isinstance(self.n_neighbors, numbers.Integral)
        k = self.nn_.n_neighbors - 1 if fast else None
        cache = EditCache(X, y, k)
        counts, minority = _minority_class(y)
        order = np.arange(X.shape[0])
        for n_iter in range(self.max_iter):
            strategy, kept = self._pass(cache, order, y, k, self.nn_, fast)
            converged = kept.size == order.size
            order = order[kept]
            fell, vanished = _stop_reasons(y[order], counts, minority)
            if converged or fell or vanished:
                break
        self.n_iter_ = n_iter + 1
        self._record(strategy, kept, X)
        self.sample_indices_ = order
        return X[order], y[order]


class AllKNN(_RepeatedBase):
    """Edited nearest neighbours with 1, 2, ... up to ``n_neighbors`` neighbours.

    AllKNN (Tomek, 1976): :class:`EditedNearestNeighbours` passes with a
    growing neighbourhood, each on the output of the previous one, stopping
    early when a cleaned class falls below the size the minority class had
    (unless ``allow_minority``) or when a class disappears (imbalanced-learn
    0.14's criteria; ``sampling_strategy`` is resolved again on each pass's
    input).

    Selects exactly the rows of imbalanced-learn 0.14. The passes share one
    :class:`EditCache`, made for the largest neighbourhood: after the first,
    only the samples that lost a neighbour or a witness to a removal are
    examined again.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
    kind_sel : {'all', 'mode'}, default='all'
    n_jobs : int, default=None
        As in :class:`EditedNearestNeighbours`.
    n_neighbors : int or object, default=3
        Largest neighbourhood examined, or an estimator whose ``n_neighbors``
        minus one gives it (as in the reference, only that number is used: the
        passes use ``NearestNeighbors``).
    allow_minority : bool, default=False
        Do not stop when a cleaned class falls below the minority's size.

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned on the first pass (keys).
    nn_ : estimator object
        The neighbours estimator built from ``n_neighbors`` (not fitted).
    enn_ : EditedNearestNeighbours
        The inner sampler, with the last pass's ``n_neighbors``,
        ``sampling_strategy_`` and ``sample_indices_`` (no ``nn_``).
    sample_indices_ : ndarray of shape (n_new_samples,)
        Rows of ``X`` kept, in the order of the output.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling import AllKNN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> X_res, y_res = AllKNN().fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 723), (np.int64(1), 123)]
    """

    _parameter_constraints: dict = {**_ENN_CONSTRAINTS, "allow_minority": ["boolean"]}

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all",
                 allow_minority=False, n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.n_jobs = n_jobs

    def _validate_estimator(self):
        super()._validate_estimator()
        largest = getattr(self.nn_, "n_neighbors", None)
        if not isinstance(largest, numbers.Integral):
            raise TypeError(
                "AllKNN reads the number of neighbours from n_neighbors.n_neighbors; "
                f"{type(self.nn_).__name__} has no integer n_neighbors. Pass an int."
            )
        return int(largest) - 1

    def _fit_resample(self, X, y):
        largest = self._validate_estimator()
        cache = EditCache(X, y, max(largest, 1))
        counts, minority = _minority_class(y)
        order = np.arange(X.shape[0])
        for size in range(1, largest + 1):
            self.enn_.n_neighbors = size
            estimator = check_neighbors_object("n_neighbors", size, additional_neighbor=1)
            strategy, kept = self._pass(cache, order, y, size, estimator, True)
            order = order[kept]
            self._record(strategy, kept, X)
            fell, vanished = _stop_reasons(y[order], counts, minority)
            if (fell and not self.allow_minority) or vanished:
                break
        self.sample_indices_ = order
        return X[order], y[order]
