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
