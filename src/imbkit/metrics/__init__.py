"""Metrics for imbalanced data.

Examples
--------
>>> from imbkit.metrics import ValueDifferenceMetric
"""

from .pairwise import ValueDifferenceMetric

__all__ = ["ValueDifferenceMetric"]
