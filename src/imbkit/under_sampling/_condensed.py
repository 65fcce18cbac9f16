"""CondensedNearestNeighbour: Hart's condensing rule, one pass, exact and fast.

The store of each condensed class holds every minority sample and grows by the
samples its k-nearest-neighbour vote misclassifies. The minority part never
changes, so each candidate's verdict reduces to "are enough kept samples of its
class closer than its ``rank``-th nearest minority sample?": the minority
distances come once from imbkit's exact engine, and the growing part is tested in
blocks by :func:`imbkit.neighbors._store.grow_store` instead of refitting a
classifier after every addition.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.utils import check_random_state

from ..exceptions import NotEnoughSamplesError
from ..neighbors import kneighbors
from ..neighbors._store import grow_store, squared_norms
from ..utils._compat import HasMethods, Interval
from ..utils._validation import _plain
from .base import BaseCleaningSampler

__all__ = ["CondensedNearestNeighbour", "vote_rule"]

_EPS = np.finfo(np.float64).eps


class _NeighbourVote(ClassifierMixin, BaseEstimator):
    """Majority vote (ties: the smallest class) over any object's ``kneighbors``."""

    def __init__(self, neighbours=None):
        self.neighbours = neighbours

    def fit(self, X, y):
        self.classes_, self._codes = np.unique(y, return_inverse=True)
        self.neighbours_ = clone(self.neighbours).fit(X)
        return self

    def predict(self, X):
        ind = self.neighbours_.kneighbors(X, return_distance=False)
        n_classes = self.classes_.size
        votes = self._codes[ind] + n_classes * np.arange(ind.shape[0])[:, None]
        counts = np.bincount(votes.ravel(), minlength=ind.shape[0] * n_classes)
        return self.classes_[counts.reshape(-1, n_classes).argmax(axis=1)]


def build_classifier(n_neighbors, n_jobs):
    """The k-NN classifier of CNN / OSS, and whether imbkit's exact path applies.

    ``None`` and ints give ``KNeighborsClassifier`` (1-NN for ``None``); a
    ``KNeighborsClassifier`` is cloned; a ``NearestNeighbors`` gives the
    ``KNeighborsClassifier`` with its neighbour search parameters; another
    object with ``predict`` is cloned, and one without votes over its
    ``kneighbors``. The fast path applies to uniform-weight euclidean k-NN.
    """
    if n_neighbors is None:
        estimator = KNeighborsClassifier(n_neighbors=1, n_jobs=n_jobs)
    elif isinstance(n_neighbors, numbers.Integral):
        estimator = KNeighborsClassifier(n_neighbors=int(n_neighbors), n_jobs=n_jobs)
    elif isinstance(n_neighbors, KNeighborsClassifier):
        estimator = clone(n_neighbors)
    elif isinstance(n_neighbors, NearestNeighbors):
        params = n_neighbors.get_params()
        params.pop("radius")
        estimator = KNeighborsClassifier(**params)
    elif hasattr(n_neighbors, "predict"):
        estimator = clone(n_neighbors)
    else:
        estimator = _NeighbourVote(n_neighbors)
    return estimator, _is_euclidean_vote(estimator)


def _is_euclidean_vote(estimator):
    if type(estimator) is not KNeighborsClassifier or estimator.weights != "uniform":
        return False
    params = estimator.metric_params or {}
    if estimator.metric in ("euclidean", "l2"):
        return not params
    p = params.get("p", estimator.p)
    return estimator.metric == "minkowski" and p == 2 and set(params) <= {"p"}


def vote_rule(n_neighbors, code, other_code):
    """``(need, rank)``: the vote of ``n_neighbors`` is ``code`` exactly when
    ``need`` samples of ``code`` are closer than the ``rank``-th nearest other one.

    With two classes in the store, ties of the vote go to the smaller class code
    (scikit-learn's ``argmax`` over sorted classes).

    Examples
    --------
    >>> from imbkit.under_sampling._condensed import vote_rule
    >>> vote_rule(1, 0, 1), vote_rule(4, 0, 1), vote_rule(4, 1, 0)
    ((1, 1), (2, 3), (3, 2))
    """
    k = int(n_neighbors)
    need = k // 2 + 1 if (k % 2 or code > other_code) else k // 2
    return need, k - need + 1


def minority_radius(X_cand, X_other, rank):
    """Squared distance of each candidate to its ``rank``-th nearest other row, and
    the tie tolerance on squared distances (as :func:`imbkit.neighbors._knn.tie_rows`).
    """
    q_norms = squared_norms(X_cand)
    d = X_cand.shape[1]
    rtol = max(1e-12, 16.0 * (d + 4) * _EPS)
    o_max = float(squared_norms(X_other).max())
    tol = rtol * (q_norms + o_max + float(q_norms.max(initial=0.0)))
    if rank > X_other.shape[0]:
        return np.full(X_cand.shape[0], np.inf), tol
    # ties among the other rows do not change the rank-th distance
    ind = kneighbors(X_cand, X_other, rank, on_tie="ignore")[1][:, rank - 1]
    diff = np.subtract(X_cand, X_other[ind], dtype=np.float64)
    return np.einsum("ij,ij->i", diff, diff), tol


def class_codes(y):
    """Sorted classes, the code of each row, and the minority code.

    The minority is the least frequent class, the first to appear in ``y``
    among equally frequent ones (the reference's ``min`` over a ``Counter``).
    """
    classes, first, codes, counts = np.unique(
        y, return_index=True, return_inverse=True, return_counts=True
    )
    appearance = np.argsort(first, kind="stable")
    return classes, codes.reshape(-1), appearance[np.argmin(counts[appearance])]


def draw_seeds(random_state, rows, n_seeds):
    """Seed positions drawn as the reference draws them, and the distinct seed rows.

    A position drawn twice gives one seed (the reference kept it twice).
    """
    draw = random_state.randint(low=0, high=rows.size, size=n_seeds)
    _, first = np.unique(draw, return_index=True)
    return draw, rows[draw[np.sort(first)]]


def check_store_size(estimator, store_size, klass, n_seeds):
    k = getattr(estimator, "n_neighbors", None)
    if isinstance(k, numbers.Integral) and store_size < k:
        raise NotEnoughSamplesError(
            f"n_neighbors={k} needs at least {k} samples in the initial store of "
            f"class {_plain(klass)!r}, which holds the minority samples and "
            f"{n_seeds} seed(s): {store_size} in all. Lower n_neighbors to at "
            f"most {store_size}, or raise n_seeds_S."
        )


def _take(X, rows):
    out = X[rows]
    return out.asformat(X.format) if sparse.issparse(out) else out


class SeededStoreSampler(BaseCleaningSampler):
    """Parameters shared by CondensedNearestNeighbour and OneSidedSelection.

    Both start a store from the minority class plus ``n_seeds_S`` random seeds
    of each cleaned class and classify the rest with ``n_neighbors`` neighbours.
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "n_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
            None,
        ],
        "n_seeds_S": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None,
                 n_neighbors=None, n_seeds_S=1, n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs


class CondensedNearestNeighbour(SeededStoreSampler):
    """Under-sample with the condensed nearest neighbour rule (Hart, 1968).

    Each class named by ``sampling_strategy`` is condensed against the minority
    class: a store starts with every minority sample and ``n_seeds_S`` samples
    of the class drawn at random; then the other samples of the class are
    visited once, in the order of ``X``, and each one that a k-nearest-neighbour
    vote on the current store misclassifies is added to it. The samples of the
    class kept are the seeds and the added samples; classes not named are kept
    whole.

    Faster than imbalanced-learn by orders of magnitude, with the same
    decisions: a candidate's vote only depends on how many kept samples of its
    class lie closer than its ``rank``-th nearest minority sample, so the
    minority distances are computed once with imbkit's exact engine and the
    kept samples are tested in blocks, one matrix product each, with additions
    inside a block handled in order. Distances are exact (float64 refinement
    near a decision); where two are tied within scikit-learn's rounding, the
    candidate is asked of the classifier itself, fitted on the same store.

    Differences from imbalanced-learn 0.14, which are bugs there:

    - Its loop skips a candidate when its *position* in the class equals the
      *row index* in ``X`` of a seed or added sample, and tests the seeds
      again (adding a misclassified seed a second time). imbkit follows the
      published single pass: the seeds are the store and are not tested,
      every other sample is. Both select the same rows when those positions
      never collide with a misclassified sample, e.g. when the condensed class
      comes first in ``X``.
    - A seed drawn twice (``n_seeds_S > 1``) is kept once, not duplicated.
    - A ``NearestNeighbors`` (or another object with ``kneighbors``) given as
      ``n_neighbors`` is used for the vote; imbalanced-learn fails on it.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to condense; see
        :class:`~imbkit.under_sampling.base.BaseCleaningSampler`.
    random_state : int, RandomState instance or None, default=None
        Draws the seeds.
    n_neighbors : int, estimator or None, default=None
        ``None``: the 1-NN rule; an int: the k-NN vote; a
        ``KNeighborsClassifier`` is cloned and used; a ``NearestNeighbors``
        gives the vote of its ``n_neighbors`` with its metric; another object
        with ``kneighbors`` gives the majority vote of its neighbours.
    n_seeds_S : int, default=1
        Samples of the class drawn (with replacement) to start the store.
    n_jobs : int, default=None
        Jobs of the k-NN classifiers built from ``None`` or an int.

    Attributes
    ----------
    sampling_strategy_ : dict
        Keys: the classes condensed.
    estimators_ : list of estimators
        One per condensed class, fitted on its final store.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Kept rows: per class in sorted order, the seeds then the added rows
        (or every row of a class not condensed).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    References
    ----------
    P. Hart, "The condensed nearest neighbor rule", IEEE Transactions on
    Information Theory, 14(3), pp. 515-516, 1968.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling._condensed import CondensedNearestNeighbour
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = CondensedNearestNeighbour(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 145), (np.int64(1), 102)]
    """

    def _fit_resample(self, X, y):
        estimator, fast = build_classifier(self.n_neighbors, self.n_jobs)
        fast = fast and not sparse.issparse(X)
        random_state = check_random_state(self.random_state)
        classes, codes, minority = class_codes(y)
        minority_rows = np.flatnonzero(codes == minority)
        kept, self.estimators_ = [], []
        for code, klass in enumerate(classes):
            rows = np.flatnonzero(codes == code)
            if klass not in self.sampling_strategy_:
                kept.append(rows)
                continue
            draw, seeds = draw_seeds(random_state, rows, self.n_seeds_S)
            store = np.concatenate([minority_rows, seeds])
            check_store_size(estimator, store.size, klass, self.n_seeds_S)
            added = np.empty(0, dtype=np.intp)
            if code != minority:  # a store of one class misclassifies nothing
                candidates = np.delete(rows, draw)
                args = (estimator, X, y, store, candidates)
                if fast:
                    need, rank = vote_rule(estimator.n_neighbors, code, minority)
                    added = _condense_fast(*args, minority_rows, seeds, need, rank)
                else:
                    added = _condense_with(*args)
                store = np.concatenate([store, added])
            self.estimators_.append(clone(estimator).fit(X[store], y[store]))
            kept.append(np.concatenate([seeds, added]))
        self.sample_indices_ = np.concatenate(kept).astype(np.intp, copy=False)
        return _take(X, self.sample_indices_), y[self.sample_indices_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if hasattr(tags, "sampler_tags"):
            tags.sampler_tags.sample_indices = True
        return tags


class _StoreOracle:
    """Asks the classifier, fitted on the current store, about tied candidates."""

    def __init__(self, estimator, X, y, store, candidates):
        self.estimator, self.X, self.y = estimator, X, y
        self.store, self.candidates = store, candidates
        self.model, self.n_added = None, -1

    def __call__(self, p, added):
        if self.model is None or self.n_added != added.size:
            rows = np.concatenate([self.store, self.candidates[added]])
            self.model = clone(self.estimator).fit(self.X[rows], self.y[rows])
            self.n_added = added.size
        row = self.candidates[p]
        return bool(self.model.predict(self.X[row : row + 1])[0] == self.y[row])


def _condense_fast(estimator, X, y, store, candidates, minority_rows, seeds, need, rank):
    """Rows added by the pass, for a uniform euclidean k-NN vote on dense X."""
    X_cand = X[candidates]
    radius_sq, tol = minority_radius(X_cand, X[minority_rows], rank)
    oracle = _StoreOracle(estimator, X, y, store, candidates)
    added = grow_store(X_cand, radius_sq, tol, X[seeds], need=need, resolve=oracle)
    return candidates[added]


def _condense_with(estimator, X, y, store, candidates):
    """Rows added by the pass, asking ``estimator`` (any classifier, any X).

    Candidates are predicted in blocks that grow while none is misclassified;
    after an addition the classifier is refitted and the pass resumes right
    after the added sample.
    """
    rows = list(store)
    model = clone(estimator).fit(X[store], y[store])
    added, start, step = [], 0, 16
    while start < candidates.size:
        block = candidates[start : start + step]
        wrong = np.flatnonzero(model.predict(X[block]) != y[block])
        if wrong.size == 0:
            start, step = start + block.size, min(2 * step, 4096)
            continue
        added.append(block[wrong[0]])
        rows.append(block[wrong[0]])
        model = clone(estimator).fit(X[rows], y[rows])
        start, step = start + wrong[0] + 1, 16
    return np.asarray(added, dtype=np.intp)
