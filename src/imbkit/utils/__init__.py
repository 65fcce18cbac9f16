"""Validation helpers, container adapters and the sampler contract battery.

``check_sampling_strategy``, ``check_neighbors_object`` and ``check_target_type``
keep imbalanced-learn's names and meaning. The contract battery lives in
:mod:`imbkit.utils.estimator_checks` (imported on demand: it needs pytest).
"""

from ._checks import check_X, check_y
from ._containers import ContainerAdapter
from ._validation import (
    check_neighbors_object,
    check_sampling_strategy,
    check_target_type,
)

__all__ = [
    "ContainerAdapter",
    "check_X",
    "check_neighbors_object",
    "check_sampling_strategy",
    "check_target_type",
    "check_y",
]
