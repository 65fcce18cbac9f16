"""imbkit: learning from class-imbalanced data.

A drop-in, exact and faster alternative to imbalanced-learn: the same module
paths (``imbkit.over_sampling``, ``imbkit.datasets``, ...), class names,
parameters and defaults.

Examples
--------
>>> from imbkit.over_sampling import SMOTE
>>> from imbkit.datasets import make_imbalance
"""

from importlib import import_module

__version__ = "0.1.0"

__all__ = [
    "FunctionSampler",
    "__version__",
    "base",
    "combine",
    "compare",
    "datasets",
    "decision",
    "ensemble",
    "exceptions",
    "metrics",
    "neighbors",
    "over_sampling",
    "pipeline",
    "under_sampling",
    "utils",
]

# the extras' packages load on first access too, but stay out of __all__: a star
# import must not fail for want of an optional dependency
_SUBMODULES = set(__all__) - {"FunctionSampler", "__version__"} | {"torch", "gbdt", "dask"}


def __getattr__(name):
    if name == "FunctionSampler":
        from .base import FunctionSampler

        return FunctionSampler
    if name in _SUBMODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'imbkit' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
