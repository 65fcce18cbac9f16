"""Every private scikit-learn import of imbkit lives here and nowhere else.

Keeping them in one module means a scikit-learn upgrade that moves one of them
breaks in one visible place.
"""

from __future__ import annotations

from sklearn.utils._param_validation import (  # noqa: F401
    HasMethods,
    Hidden,
    Interval,
    StrOptions,
    validate_parameter_constraints,
)

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "StrOptions",
    "validate_parameter_constraints",
]
