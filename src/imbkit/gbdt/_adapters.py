"""Focal objectives in the calling conventions of LightGBM and XGBoost, lazy imports.

LightGBM (>= 4) takes a callable as ``params["objective"]`` of ``lightgbm.train``,
called as ``objective(preds, train_set)``; XGBoost takes ``obj=`` in
``xgboost.train``, called as ``obj(predt, dtrain)``. Both pass raw margins (1-D
for binary, ``(n_samples, n_classes)`` for multi-class) and expect the gradient
and hessian in the same shape. Neither library applies the sample weights of the
dataset to a custom objective's output, so the objectives here do.

Neither library starts a custom objective from a sensible constant: pass
:func:`~imbkit.gbdt.focal_init_score` as the dataset's ``init_score``
(LightGBM) or ``base_margin`` (XGBoost), and add it back to raw predictions.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import MissingExtraError
from ._focal import (
    DEFAULT_HESSIAN_FLOOR,
    binary_focal_grad_hess,
    check_alpha,
    multiclass_focal_grad_hess,
)

__all__ = [
    "FocalObjective",
    "import_lightgbm",
    "import_xgboost",
    "lgb_focal_objective",
    "xgb_focal_objective",
]

_INSTALL = 'pip install "imbkit[gbdt]"'


def import_lightgbm():
    """Import LightGBM (>= 4), or raise ``MissingExtraError`` saying how to install it."""
    try:
        import lightgbm
    except ImportError as exc:
        raise MissingExtraError(
            f"This needs LightGBM, which is not installed; install it with: {_INSTALL}"
        ) from exc
    major = int(lightgbm.__version__.split(".")[0])
    if major < 4:
        raise MissingExtraError(
            f"This needs LightGBM >= 4 (callable objectives in params), found "
            f"{lightgbm.__version__}; upgrade it with: {_INSTALL}"
        )
    return lightgbm


def import_xgboost():
    """Import XGBoost (>= 2), or raise ``MissingExtraError`` saying how to install it."""
    try:
        import xgboost
    except ImportError as exc:
        raise MissingExtraError(
            f"This needs XGBoost, which is not installed; install it with: {_INSTALL}"
        ) from exc
    major = int(xgboost.__version__.split(".")[0])
    if major < 2:
        raise MissingExtraError(
            f"This needs XGBoost >= 2 (multi-class margins as 2-D arrays), found "
            f"{xgboost.__version__}; upgrade it with: {_INSTALL}"
        )
    return xgboost


class FocalObjective:
    """A picklable focal objective ``(margins, dataset) -> (grad, hess)``.

    Made by :func:`lgb_focal_objective` and :func:`xgb_focal_objective`; the
    dataset (a ``lightgbm.Dataset`` or an ``xgboost.DMatrix``) provides the
    class codes as labels and, optionally, sample weights.

    Parameters
    ----------
    gamma : float
        Focusing parameter; 0 gives the log-loss.
    alpha : None, float or array-like
        Class weights, see :func:`~imbkit.gbdt.check_alpha`.
    hessian_floor : float
        Lower bound of the hessian before weighting.

    Examples
    --------
    >>> from imbkit.gbdt import lgb_focal_objective
    >>> lgb_focal_objective(gamma=1.0)
    FocalObjective(gamma=1.0, alpha=None, hessian_floor=1e-16)
    """

    def __init__(self, gamma, alpha, hessian_floor):
        self.gamma = gamma
        self.alpha = alpha
        self.hessian_floor = hessian_floor

    def __repr__(self):
        return (
            f"FocalObjective(gamma={self.gamma!r}, alpha={self.alpha!r}, "
            f"hessian_floor={self.hessian_floor!r})"
        )

    def __call__(self, margins, dataset):
        labels = np.asarray(dataset.get_label())
        weight = dataset.get_weight()
        weight = None if weight is None or np.size(weight) == 0 else np.asarray(weight)
        margins = np.asarray(margins, dtype=float)
        options = {"gamma": self.gamma, "alpha": self.alpha, "sample_weight": weight,
                   "hessian_floor": self.hessian_floor}
        if margins.ndim == 2 and margins.shape[1] > 1:
            return multiclass_focal_grad_hess(labels, margins, **options)
        grad, hess = binary_focal_grad_hess(labels, margins.ravel(), **options)
        return grad.reshape(margins.shape), hess.reshape(margins.shape)


def _make(gamma, alpha, hessian_floor):
    if alpha is not None and not np.isscalar(alpha):
        check_alpha(alpha, np.size(alpha))  # fail now, not at the first iteration
    return FocalObjective(gamma, alpha, hessian_floor)


def lgb_focal_objective(gamma=2.0, alpha=None, hessian_floor=DEFAULT_HESSIAN_FLOOR):
    """Focal objective for ``lightgbm.train``: ``params["objective"] = lgb_focal_objective()``.

    Binary when the booster has one output per sample, softmax multi-class when
    ``params["num_class"] > 1``. Set the dataset's ``init_score`` to
    :func:`~imbkit.gbdt.focal_init_score` (LightGBM does not boost a custom
    objective from the average) and add it to ``Booster.predict(X, raw_score=True)``.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter; 0 gives the log-loss.
    alpha : None, float or array-like of shape (n_classes,), default=None
        Class weights, see :func:`~imbkit.gbdt.check_alpha`.
    hessian_floor : float, default=1e-16
        Lower bound of the hessian before weighting.

    Returns
    -------
    FocalObjective

    Examples
    --------
    >>> import lightgbm as lgb
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.gbdt import focal_init_score, lgb_focal_objective
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> init = focal_init_score(y, gamma=2.0)
    >>> train = lgb.Dataset(X, label=y, init_score=[init] * len(y))
    >>> params = {"objective": lgb_focal_objective(gamma=2.0), "verbose": -1}
    >>> booster = lgb.train(params, train, num_boost_round=10)
    >>> booster.predict(X[:3], raw_score=True).shape
    (3,)
    """
    return _make(gamma, alpha, hessian_floor)


def xgb_focal_objective(gamma=2.0, alpha=None, hessian_floor=DEFAULT_HESSIAN_FLOOR):
    """Focal objective for ``xgboost.train(..., obj=xgb_focal_objective())``.

    Binary for one output per sample, softmax multi-class with
    ``params["num_class"] > 1``. Give the ``DMatrix`` a ``base_margin`` from
    :func:`~imbkit.gbdt.focal_init_score` and set ``base_score=0`` so that raw
    predictions (``output_margin=True``) do not add XGBoost's default intercept.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter; 0 gives the log-loss.
    alpha : None, float or array-like of shape (n_classes,), default=None
        Class weights, see :func:`~imbkit.gbdt.check_alpha`.
    hessian_floor : float, default=1e-16
        Lower bound of the hessian before weighting.

    Returns
    -------
    FocalObjective

    Examples
    --------
    >>> import numpy as np
    >>> import xgboost as xgb
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.gbdt import focal_init_score, xgb_focal_objective
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> init = focal_init_score(y, gamma=2.0)
    >>> train = xgb.DMatrix(X, label=y, base_margin=np.full(len(y), init))
    >>> booster = xgb.train({"base_score": 0.0}, train, num_boost_round=10,
    ...                     obj=xgb_focal_objective(gamma=2.0))
    >>> booster.predict(xgb.DMatrix(X[:3]), output_margin=True).shape
    (3,)
    """
    return _make(gamma, alpha, hessian_floor)
