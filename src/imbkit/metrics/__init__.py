"""Metrics for imbalanced data: per-class scores, summaries, scorers, distances.

Examples
--------
>>> from imbkit.metrics import geometric_mean_score, imbalanced_summary
>>> geometric_mean_score([0, 0, 1, 1], [0, 1, 1, 1])
0.7071067811865476
"""

from ._classification import (
    geometric_mean_score,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    sensitivity_score,
    sensitivity_specificity_support,
    specificity_score,
)
from ._scorers import get_scorer, get_scorer_names, register_scorers
from ._summary import classification_report_imbalanced, imbalanced_summary
from .pairwise import ValueDifferenceMetric

__all__ = [
    "ValueDifferenceMetric",
    "classification_report_imbalanced",
    "geometric_mean_score",
    "get_scorer",
    "get_scorer_names",
    "imbalanced_summary",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "register_scorers",
    "sensitivity_score",
    "sensitivity_specificity_support",
    "specificity_score",
]
