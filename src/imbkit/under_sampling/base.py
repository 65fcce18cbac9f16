"""Base classes of the under-samplers and the cleaning methods."""

from __future__ import annotations

import numbers
from collections.abc import Mapping

from ..base import BaseSampler
from ..utils._compat import Interval, StrOptions

__all__ = ["BaseCleaningSampler", "BaseUnderSampler"]

_STRATEGY_STRINGS = {"auto", "majority", "not minority", "not majority", "all"}


class BaseUnderSampler(BaseSampler):
    """Base class of under-samplers: ``sampling_strategy_`` holds samples to *keep*.

    ``sampling_strategy`` accepts a float in (0, 1] (binary targets: the
    wanted minority / majority ratio after resampling), one of ``'majority'``,
    ``'not minority'``, ``'not majority'``, ``'all'``, ``'auto'`` (=
    ``'not minority'``), a dict ``{class: n_samples_wanted}`` or a callable
    ``f(y) -> dict``.

    Examples
    --------
    >>> from imbkit.under_sampling.base import BaseUnderSampler
    >>> BaseUnderSampler._sampling_type
    'under-sampling'
    """

    _sampling_type = "under-sampling"
    _parameter_constraints: dict = {
        "sampling_strategy": [
            Interval(numbers.Real, 0, 1, closed="right"),
            StrOptions(_STRATEGY_STRINGS),
            Mapping,
            callable,
        ],
    }


class BaseCleaningSampler(BaseSampler):
    """Base class of cleaning methods: they remove samples by a rule, not to a count.

    ``sampling_strategy`` names the classes to clean: one of ``'majority'``,
    ``'not minority'``, ``'not majority'``, ``'all'``, ``'auto'`` (=
    ``'not minority'``), a list of classes, or a callable ``f(y) -> dict``
    whose keys are the classes.

    Examples
    --------
    >>> from imbkit.under_sampling.base import BaseCleaningSampler
    >>> BaseCleaningSampler._sampling_type
    'clean-sampling'
    """

    _sampling_type = "clean-sampling"
    _parameter_constraints: dict = {
        "sampling_strategy": [
            Interval(numbers.Real, 0, 1, closed="right"),
            StrOptions(_STRATEGY_STRINGS),
            list,
            callable,
        ],
    }
