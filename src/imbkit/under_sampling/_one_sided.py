"""OneSidedSelection: one 1-NN pass against a small store, then Tomek links removal.

Kubat and Matwin's method keeps, of each class to clean, the samples that a
k-nearest-neighbour vote on "every minority sample plus a few seeds of the
class" misclassifies, then removes the cleaned classes' samples that are in a
Tomek link. The vote of a sample depends only on how many seeds lie closer than
its ``rank``-th nearest minority sample, so the pass costs one exact neighbour
search against the minority class instead of a classifier's prediction against
the store.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.utils import check_random_state

from ..neighbors._store import TIED, UNCOVERED, covered
from ._condensed import (
    SeededStoreSampler,
    _take,
    build_classifier,
    check_store_size,
    class_codes,
    draw_seeds,
    minority_radius,
    vote_rule,
)
from ._tomek import tomek_link_mask

__all__ = ["OneSidedSelection"]


def _misclassified(model, X, y, candidates, fast, rule):
    """Candidates the classifier ``model`` (fitted on the store) misclassifies."""
    if not fast:
        return candidates[model.predict(X[candidates]) != y[candidates]]
    need, rank, minority_rows, seeds = rule
    X_cand = X[candidates]
    radius_sq, tol = minority_radius(X_cand, X[minority_rows], rank)
    status = covered(X_cand, X[seeds], radius_sq, tol, need=need)
    tied = np.flatnonzero(status == TIED)
    if tied.size:  # only the classifier's own rounding decides these
        rows = candidates[tied]
        status[tied] = np.where(model.predict(X[rows]) != y[rows], UNCOVERED, 0)
    return candidates[status == UNCOVERED]


class OneSidedSelection(SeededStoreSampler):
    """Under-sample with one-sided selection (Kubat and Matwin, 1997).

    For each class named by ``sampling_strategy``: a store holds every minority
    sample and ``n_seeds_S`` samples of the class drawn at random; a
    k-nearest-neighbour classifier fitted on the store predicts all the other
    samples of the class at once (no store update, unlike
    :class:`~imbkit.under_sampling.CondensedNearestNeighbour`), and the
    misclassified ones are kept with the seeds. Classes not named are kept
    whole. Then the samples of the named classes that form a Tomek link (two
    samples of different classes, each the other's nearest neighbour) in the
    kept data are removed.

    Selects the same rows as imbalanced-learn 0.14 for the same
    ``random_state``: the vote of a sample depends only on how many seeds lie
    closer than its ``rank``-th nearest minority sample, found with imbkit's
    exact engine, and the Tomek step searches neighbours only where a link can
    be. Where two distances are tied within scikit-learn's rounding, the
    classifier itself is asked, as the reference does.

    Differences from imbalanced-learn 0.14, which are bugs there:

    - A seed drawn twice (``n_seeds_S > 1``) is kept once, not duplicated.
    - A ``NearestNeighbors`` (or another object with ``kneighbors``) given as
      ``n_neighbors`` is used for the vote; imbalanced-learn fails on it.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to clean; see
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
        Keys: the classes cleaned.
    estimators_ : list of estimators
        One per cleaned class, fitted on its store (minority and seeds).
    sample_indices_ : ndarray of shape (n_new_samples,)
        Kept rows: per class in sorted order, the seeds then the misclassified
        rows (or every row of a class not cleaned), less the Tomek links.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    References
    ----------
    M. Kubat and S. Matwin, "Addressing the curse of imbalanced training sets:
    one-sided selection", ICML, pp. 179-186, 1997.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling._one_sided import OneSidedSelection
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = OneSidedSelection(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 872), (np.int64(1), 102)]
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
            model = clone(estimator).fit(X[store], y[store])
            self.estimators_.append(model)
            wrong = np.empty(0, dtype=np.intp)
            if code != minority:  # a store of one class misclassifies nothing
                rule = None
                if fast:
                    rule = (*vote_rule(model.n_neighbors, code, minority),
                            minority_rows, seeds)
                wrong = _misclassified(model, X, y, np.delete(rows, draw), fast, rule)
            kept.append(np.concatenate([seeds, wrong]))
        selected = np.concatenate(kept).astype(np.intp, copy=False)
        links = tomek_link_mask(_take(X, selected), y[selected],
                                self.sampling_strategy_.keys(), n_jobs=self.n_jobs)
        self.sample_indices_ = selected[~links]
        return _take(X, self.sample_indices_), y[self.sample_indices_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if hasattr(tags, "sampler_tags"):
            tags.sampler_tags.sample_indices = True
        return tags

