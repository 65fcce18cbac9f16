"""Compare ways of handling class imbalance on your own data, and pick one.

:func:`compare_strategies` cross-validates named strategies (a plain model,
class weights, threshold moving, resampling, imbalance-aware ensembles,
cost-sensitive decisions) on the same repeated stratified folds, fitting
every step on training rows only, and returns a :class:`ComparisonResult`:
per-fold scores, a summary, the recommended strategy and how sure that
recommendation is (the corrected resampled t-test against the runner-up and
the baseline). Strategies live in a registry: :func:`list_strategies`,
:func:`get_strategy`, :func:`register_strategy`.

The result tables are pandas DataFrames (``pip install "imbkit[report]"``);
nothing here prints.

Examples
--------
>>> from imbkit.compare import list_strategies
>>> "lr+smote" in list_strategies("resampling")
True
"""

from . import _strategies  # noqa: F401 - registers the built-in strategies
from ._context import FeatureInfo, StrategyContext
from ._registry import (
    FAMILIES,
    PRESETS,
    Strategy,
    get_strategy,
    list_strategies,
    register_strategy,
    unregister_strategy,
)
from ._result import ComparisonResult
from ._runner import compare_strategies
from ._scoring import METRICS
from ._selection import load_track_record
from ._stats import corrected_resampled_ttest

__all__ = [
    "FAMILIES",
    "METRICS",
    "PRESETS",
    "ComparisonResult",
    "FeatureInfo",
    "Strategy",
    "StrategyContext",
    "compare_strategies",
    "corrected_resampled_ttest",
    "get_strategy",
    "list_strategies",
    "load_track_record",
    "register_strategy",
    "unregister_strategy",
]
