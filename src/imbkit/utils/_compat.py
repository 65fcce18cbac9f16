"""Every private scikit-learn import of imbkit lives here and nowhere else.

Keeping them in one module means a scikit-learn upgrade that moves one of them
breaks in one visible place.
"""

from __future__ import annotations

from sklearn.metrics._scorer import _SCORERS
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils._user_interface import _print_elapsed_time

__all__ = [
    "_SCORERS",
    "HasMethods",
    "Hidden",
    "Interval",
    "InvalidParameterError",
    "StrOptions",
    "_print_elapsed_time",
    "_safe_indexing",
    "validate_parameter_constraints",
]
