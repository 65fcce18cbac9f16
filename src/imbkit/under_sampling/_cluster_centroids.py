"""ClusterCentroids: replace each class to reduce by the centres of its clusters."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.neighbors import NearestNeighbors

from ..exceptions import InvalidInputError, ResamplingError, SamplingStrategyError
from ..neighbors import neighbour_indices
from ..utils._compat import HasMethods, StrOptions
from ..utils._validation import _plain
from .base import BaseUnderSampler

__all__ = ["ClusterCentroids"]


class ClusterCentroids(BaseUnderSampler):
    """Under-sample by clustering each class to reduce and keeping one sample per cluster.

    A class asked to keep ``n`` samples is clustered into ``n`` clusters; with
    ``voting='soft'`` the cluster centres become its new samples, with
    ``voting='hard'`` the original sample nearest to each centre does. Classes
    not reduced are kept whole. Same output as imbalanced-learn 0.14 for the
    same ``random_state``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Samples to keep per class; see
        :class:`~imbkit.under_sampling.base.BaseUnderSampler`.
    random_state : int, RandomState instance or None, default=None
        Passed as is to the default ``KMeans`` (which is refitted for every class,
        so a generator is advanced from class to class). Not used with a
        user-given ``estimator``.
    estimator : estimator, default=None
        A clustering estimator with an ``n_clusters`` parameter and a fitted
        ``cluster_centers_``; cloned. ``None`` gives ``KMeans(random_state=...)``.
    voting : {'auto', 'hard', 'soft'}, default='auto'
        ``'soft'``: the centres; ``'hard'``: the samples nearest to the centres
        (exact nearest neighbours, ties broken as scikit-learn does);
        ``'auto'``: ``'hard'`` for sparse ``X``, ``'soft'`` otherwise.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples kept per class.
    estimator_ : estimator
        The clustering estimator, fitted on the last class reduced.
    voting_ : str
        The voting used, ``'hard'`` or ``'soft'``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Notes
    -----
    The output holds new samples (soft voting), so there is no
    ``sample_indices_``. Sparse input gives sparse output.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.under_sampling._cluster_centroids import ClusterCentroids
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> X_res, y_res = ClusterCentroids(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 31), (1, 31)]
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict"]), None],
        "voting": [StrOptions({"auto", "hard", "soft"})],
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, estimator=None,
                 voting="auto"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.estimator = estimator
        self.voting = voting

    def _validate_estimator(self):
        if self.estimator is None:
            self.estimator_ = KMeans(random_state=self.random_state)
            return
        self.estimator_ = clone(self.estimator)
        if "n_clusters" not in self.estimator_.get_params():
            raise InvalidInputError(
                "estimator must be a clustering estimator with an `n_clusters` "
                f"parameter and a fitted `cluster_centers_`; got {self.estimator!r}. "
                "Use e.g. sklearn.cluster.KMeans or MiniBatchKMeans."
            )

    def _centroids(self, X_class, klass, n_samples):
        if n_samples < 1:
            raise SamplingStrategyError(
                f"ClusterCentroids cannot keep {n_samples} samples of class "
                f"{_plain(klass)!r}: clustering needs at least one cluster. Ask for "
                "at least 1 sample, or drop the class beforehand."
            )
        self.estimator_.set_params(n_clusters=n_samples)
        self.estimator_.fit(X_class)
        if not hasattr(self.estimator_, "cluster_centers_"):
            # a RuntimeError, as in the reference, and a ValueError
            raise ResamplingError(
                "estimator must expose a fitted `cluster_centers_` attribute after "
                f"fit; {type(self.estimator_).__name__} does not. Use e.g. "
                "sklearn.cluster.KMeans."
            )
        return self.estimator_.cluster_centers_

    def _new_samples(self, X_class, centroids):
        if self.voting_ == "hard":
            nearest = neighbour_indices(NearestNeighbors(n_neighbors=1), 1, X_class,
                                        centroids)
            # squeeze as the reference does: one centroid selects one row
            return X_class[np.squeeze(nearest)]
        if sparse.issparse(X_class):
            return sparse.csr_matrix(centroids, dtype=X_class.dtype)
        return centroids

    def _fit_resample(self, X, y):
        self._validate_estimator()
        if self.voting == "auto":
            self.voting_ = "hard" if sparse.issparse(X) else "soft"
        else:
            self.voting_ = self.voting
        X_parts, y_parts = [], []
        for klass in np.unique(y):
            rows = np.flatnonzero(y == klass)
            if klass in self.sampling_strategy_:
                n_samples = self.sampling_strategy_[klass]
                X_class = X[rows]
                centroids = self._centroids(X_class, klass, n_samples)
                X_parts.append(self._new_samples(X_class, centroids))
                y_parts.append(np.array([klass] * centroids.shape[0], dtype=y.dtype))
            else:
                X_parts.append(X[rows])
                y_parts.append(y[rows])
        X_res = sparse.vstack(X_parts) if sparse.issparse(X) else np.vstack(X_parts)
        return X_res, np.array(np.hstack(y_parts), dtype=y.dtype)
