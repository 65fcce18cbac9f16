"""Decisions for imbalanced problems: threshold moving, costs, prior correction.

A classifier's probabilities are only half of a decision; the other half is
the rule that turns them into a class. This package tunes or derives that rule:

- threshold moving: :class:`ThresholdMovingClassifierCV` tunes the threshold
  (binary) or per-class offsets (multi-class) for F1, F-beta, G-mean, Youden's
  J, MCC, minimum expected cost, or a precision/recall target;
  :func:`best_threshold` and :func:`tune_class_offsets` do the same on given
  scores;
- cost-sensitive decisions: :class:`CostSensitiveClassifier` predicts the
  class of minimum expected cost; :func:`expected_cost` and :func:`cost_score`
  measure it; :func:`cost_matrix_to_class_weight` moves costs into training;
- prior correction: :class:`PriorCorrectedClassifier` and
  :func:`correct_priors` undo the class shift of resampling in the
  probabilities;
- :func:`balanced_class_weight`, the usual inverse-frequency weights.

Cost matrices are indexed ``[true class, predicted class]``, as scikit-learn's
``confusion_matrix``.

Examples
--------
>>> from imbkit.decision import best_threshold
>>> best_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], objective="f1")
(0.35, 0.8)
"""

from ._cost import CostSensitiveClassifier
from ._cost_metrics import (
    bayes_minimum_risk,
    check_cost_matrix,
    conditional_risk,
    cost_score,
    expected_cost,
)
from ._objectives import OBJECTIVES
from ._offsets import tune_class_offsets
from ._prior import PriorCorrectedClassifier, correct_priors
from ._threshold import ThresholdMovingClassifierCV, best_threshold
from ._weights import balanced_class_weight, cost_matrix_to_class_weight

__all__ = [
    "OBJECTIVES",
    "CostSensitiveClassifier",
    "PriorCorrectedClassifier",
    "ThresholdMovingClassifierCV",
    "balanced_class_weight",
    "bayes_minimum_risk",
    "best_threshold",
    "check_cost_matrix",
    "conditional_risk",
    "correct_priors",
    "cost_matrix_to_class_weight",
    "cost_score",
    "expected_cost",
    "tune_class_offsets",
]
