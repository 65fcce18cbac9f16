"""Class weights for training-time imbalance and cost sensitivity.

Both helpers return a ``{class: weight}`` dict that any scikit-learn estimator
with a ``class_weight`` parameter accepts.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..exceptions import ImbalanceWarning, InvalidInputError
from ._cost_metrics import check_cost_matrix
from ._meta import check_classification_y

__all__ = ["balanced_class_weight", "cost_matrix_to_class_weight"]


def balanced_class_weight(y):
    """Weights that give every class the same total weight.

    ``weight[c] = n_samples / (n_classes * n_samples_c)``, the same values as
    ``sklearn.utils.class_weight.compute_class_weight("balanced", ...)``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels (a one-hot encoded target is read as class indices).

    Returns
    -------
    dict
        ``{class: weight}``, classes sorted.

    Examples
    --------
    >>> from imbkit.decision import balanced_class_weight
    >>> balanced_class_weight([0, 0, 0, 1])
    {0: 0.6666666666666666, 1: 2.0}
    """
    y = check_classification_y(y)
    classes, counts = np.unique(y, return_counts=True)
    weights = y.shape[0] / (classes.size * counts)
    return dict(zip(classes.tolist(), weights.tolist()))


def cost_matrix_to_class_weight(cost_matrix, classes=None):
    """Class weights that carry a cost matrix into training.

    The weight of class ``i`` is its total excess cost of misclassification,
    ``w_i = sum_j (C[i, j] - C[i, i])``, rescaled to average 1 over the
    classes. For two classes this is exactly Elkan's (2001) rebalancing: with
    ``w_0 = C[0, 1] - C[0, 0]`` and ``w_1 = C[1, 0] - C[1, 1]``, a model trained
    with these weights and thresholded at 0.5 makes the Bayes-minimum-risk
    decision of the unweighted model, whose threshold on ``p(class 1)`` is
    ``w_0 / (w_0 + w_1)``. For more classes no set of weights reproduces an
    arbitrary cost matrix exactly (Zhou & Liu, 2010); the row totals are the
    usual approximation. For exact decisions from probabilities use
    :class:`CostSensitiveClassifier` instead (and not both: weighting and a
    cost-sensitive decision together count the costs twice).

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes)
        ``cost_matrix[i, j]``: cost of predicting class ``j`` for class ``i``.
    classes : array-like of shape (n_classes,), default=None
        The class of each row; ``None`` means ``0, 1, ..., n_classes - 1``.

    Returns
    -------
    dict
        ``{class: weight}``.

    References
    ----------
    C. Elkan, "The foundations of cost-sensitive learning", IJCAI 2001.
    Z.-H. Zhou and X.-Y. Liu, "On multi-class cost-sensitive learning",
    Computational Intelligence 26(3), 2010.

    Examples
    --------
    >>> from imbkit.decision import cost_matrix_to_class_weight
    >>> cost_matrix_to_class_weight([[0, 1], [9, 0]], classes=["ok", "fraud"])
    {'ok': 0.2, 'fraud': 1.8}
    """
    costs = check_cost_matrix(cost_matrix)
    excess = costs - np.diagonal(costs)[:, None]
    if (excess < 0).any():
        i, j = np.argwhere(excess < 0)[0]
        raise InvalidInputError(
            f"cost_matrix[{i}, {j}] = {costs[i, j]:g} is below the cost of the correct "
            f"decision cost_matrix[{i}, {i}] = {costs[i, i]:g}: misclassifying would be "
            "cheaper than classifying correctly, which no class weight can express."
        )
    weights = excess.sum(axis=1)
    if not weights.any():
        raise InvalidInputError(
            "cost_matrix has no misclassification cost (every error costs the same "
            "as the correct decision), so it implies no class weights."
        )
    if not weights.all():
        warnings.warn(
            f"Classes at rows {np.flatnonzero(weights == 0).tolist()} have no "
            "misclassification cost and get weight 0: the model will ignore them.",
            ImbalanceWarning,
            stacklevel=2,
        )
    weights = weights * (weights.size / weights.sum())
    classes = np.arange(weights.size) if classes is None else np.asarray(classes)
    if classes.shape != (weights.size,):
        raise InvalidInputError(
            f"classes has shape {classes.shape} but cost_matrix has {weights.size} "
            "rows; give one class label per row."
        )
    return dict(zip(classes.tolist(), weights.tolist()))
