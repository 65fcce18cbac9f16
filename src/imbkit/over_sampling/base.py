"""Base class of the over-samplers and the text of their shared parameters."""

from __future__ import annotations

import numbers
from collections.abc import Mapping

from ..base import BaseSampler
from ..utils._compat import Interval, StrOptions

__all__ = ["BaseOverSampler"]


class BaseOverSampler(BaseSampler):
    """Base class of over-samplers: ``sampling_strategy_`` holds samples to *add*.

    ``sampling_strategy`` accepts a float in (0, 1] (binary targets: the
    wanted minority / majority ratio after resampling), one of ``'minority'``,
    ``'not minority'``, ``'not majority'``, ``'all'``, ``'auto'`` (=
    ``'not majority'``), a dict ``{class: n_samples_wanted}`` or a callable
    ``f(y) -> dict``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.over_sampling.base import BaseOverSampler
    >>> class Duplicate(BaseOverSampler):
    ...     # adds copies of the first row of each class
    ...     def __init__(self, *, sampling_strategy="auto", random_state=None):
    ...         super().__init__(sampling_strategy=sampling_strategy)
    ...         self.random_state = random_state
    ...     def _fit_resample(self, X, y):
    ...         rows = [np.repeat(np.flatnonzero(y == k)[:1], n)
    ...                 for k, n in self.sampling_strategy_.items()]
    ...         idx = np.concatenate([np.arange(len(y)), *rows])
    ...         return X[idx], y[idx]
    >>> X, y = np.arange(8.0).reshape(4, 2), np.array([0, 0, 0, 1])
    >>> Duplicate().fit_resample(X, y)[1]
    array([0, 0, 0, 1, 1, 1])
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: dict = {
        "sampling_strategy": [
            Interval(numbers.Real, 0, 1, closed="right"),
            StrOptions({"auto", "minority", "not minority", "not majority", "all"}),
            Mapping,
            callable,
        ],
        "random_state": ["random_state"],
    }
