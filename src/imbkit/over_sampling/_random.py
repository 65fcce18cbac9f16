"""Random over-sampling, with an optional smoothed bootstrap (``shrinkage``)."""

from __future__ import annotations

import numbers

import numpy as np
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils.sparsefuncs import mean_variance_axis

from ..exceptions import SamplingStrategyError
from ..utils._checks import check_X
from ..utils._compat import Interval
from .base import BaseOverSampler

__all__ = ["RandomOverSampler"]


class RandomOverSampler(BaseOverSampler):
    """Over-sample by drawing rows of the classes to grow at random, with replacement.

    With ``shrinkage`` set, each drawn row is perturbed by Gaussian noise (a
    smoothed bootstrap): the noise of class ``c`` on feature ``j`` has standard
    deviation ``shrinkage[c] * h * std_j(c)`` with the normal-reference
    bandwidth ``h = (4 / ((n_features + 2) * n_samples)) ** (1 / (n_features + 4))``.
    Same results as imbalanced-learn 0.14 for the same ``random_state``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        See :class:`~imbkit.over_sampling.base.BaseOverSampler`.
    random_state : int, RandomState instance or None, default=None
    shrinkage : float or dict, default=None
        ``None`` gives a plain bootstrap; a float applies to every class
        resampled, a dict gives one factor per class (all >= 0).

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples added per class.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Index in ``X`` of each output row (originals first, then the draws).
    shrinkage_ : dict or None
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Notes
    -----
    Strings, mixed columns and NaN are accepted when ``shrinkage`` is None:
    rows are only copied. With ``shrinkage``, float32 data stays float32
    (imbalanced-learn 0.14 returns float64 there; the values agree to float32
    rounding).

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.over_sampling import RandomOverSampler
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 898)]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "shrinkage": [Interval(numbers.Real, 0, None, closed="left"), dict, None],
    }
    _x_dtype = None
    _allow_nan = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, shrinkage=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.shrinkage = shrinkage

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # a plain bootstrap only copies rows; shrinkage adds noise, so needs numbers
        tags.input_tags.string = self.shrinkage is None
        tags.input_tags.allow_nan = self.shrinkage is None
        return tags

    def _resolve_shrinkage(self):
        if self.shrinkage is None:
            return None
        if isinstance(self.shrinkage, numbers.Real):
            return {klass: self.shrinkage for klass in self.sampling_strategy_}
        shrinkage = dict(self.shrinkage)
        missing = self.sampling_strategy_.keys() - shrinkage.keys()
        if missing:
            raise SamplingStrategyError(
                "shrinkage must give a factor for every class being resampled; "
                f"missing: {sorted(missing, key=str)}."
            )
        negative = {k: v for k, v in shrinkage.items() if v < 0}
        if negative:
            raise SamplingStrategyError(
                f"shrinkage factors must be >= 0; got {negative}."
            )
        return shrinkage

    def _fit_resample(self, X, y):
        random_state = check_random_state(self.random_state)
        self.shrinkage_ = self._resolve_shrinkage()
        if self.shrinkage_ is not None:
            X = check_X(
                X,
                dtype="numeric",
                non_numeric_hint="shrinkage adds Gaussian noise, which needs numeric "
                "columns: encode them first or use shrinkage=None.",
            )
        draws = []
        for klass, n_samples in self.sampling_strategy_.items():
            class_indices = np.flatnonzero(y == klass)
            draws.append(random_state.choice(class_indices, size=n_samples, replace=True))
            if self.shrinkage_ is not None:
                draws[-1] = (draws[-1], self._noise(X, class_indices, klass, n_samples,
                                                    random_state))
        return self._assemble(X, y, draws)

    def _noise(self, X, class_indices, klass, n_samples, random_state):
        n_rows, n_features = X.shape
        bandwidth = (4 / ((n_features + 2) * n_rows)) ** (1 / (n_features + 4))
        if sparse.issparse(X):
            _, variance = mean_variance_axis(X[class_indices, :], axis=0)
            scale = np.sqrt(variance)
        else:
            scale = np.std(X[class_indices, :], axis=0)
        # a diagonal matrix product keeps imbalanced-learn's floating-point results
        smoothing = np.diagflat(self.shrinkage_[klass] * bandwidth * scale)
        return random_state.randn(n_samples, n_features).dot(smoothing)

    def _assemble(self, X, y, draws):
        shrunk = self.shrinkage_ is not None
        indices = [d[0] if shrunk else d for d in draws]
        self.sample_indices_ = np.concatenate(
            [np.arange(X.shape[0])] + indices
        ).astype(np.int64, copy=False)
        y_res = y[self.sample_indices_]
        if sparse.issparse(X):
            blocks = [X] + [
                sparse.csr_matrix(noise + X[idx, :], dtype=X.dtype) if shrunk else X[idx]
                for idx, noise in (draws if shrunk else [(d, None) for d in draws])
            ]
            return sparse.vstack(blocks, format=X.format), y_res
        if not shrunk:
            return X[self.sample_indices_], y_res
        # float32 stays float32 (imbalanced-learn up-casts it to float64 here);
        # integer data becomes float64, as noise makes it non-integer
        out_dtype = X.dtype if X.dtype.kind == "f" else np.float64
        new_rows = [(noise + X[idx, :]).astype(out_dtype, copy=False) for idx, noise in draws]
        return np.vstack([X.astype(out_dtype, copy=False)] + new_rows), y_res
