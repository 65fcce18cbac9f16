"""Focal-loss objectives for LightGBM and XGBoost, and classifiers that use them.

Needs the ``gbdt`` extra (``pip install "imbkit[gbdt]"``): importing this package
with neither LightGBM nor XGBoost installed raises
:class:`~imbkit.exceptions.MissingExtraError`. The two libraries are imported
only when used, so a LightGBM-only install runs the LightGBM parts.

- The maths (NumPy only): :func:`binary_focal_loss`,
  :func:`binary_focal_grad_hess`, :func:`multiclass_focal_loss`,
  :func:`multiclass_focal_grad_hess`, :func:`focal_init_score`; the formulas
  are in the docstring of :mod:`imbkit.gbdt._focal`.
- Objectives for the libraries' own training functions:
  :func:`lgb_focal_objective` (``params["objective"]`` of ``lightgbm.train``)
  and :func:`xgb_focal_objective` (``obj=`` of ``xgboost.train``).
- scikit-learn classifiers: :class:`FocalLGBMClassifier`,
  :class:`FocalXGBClassifier`.

Examples
--------
>>> from sklearn.datasets import make_classification
>>> from imbkit.gbdt import FocalLGBMClassifier
>>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
>>> clf = FocalLGBMClassifier(gamma=2.0, n_estimators=20, random_state=0).fit(X, y)
>>> clf.predict_proba(X[:2]).shape
(2, 2)
"""

from importlib.util import find_spec

from ..exceptions import MissingExtraError

if find_spec("lightgbm") is None and find_spec("xgboost") is None:
    raise MissingExtraError(
        "imbkit.gbdt needs LightGBM or XGBoost, and neither is installed; install "
        'them with: pip install "imbkit[gbdt]"'
    )

from ._adapters import lgb_focal_objective, xgb_focal_objective
from ._classifiers import FocalLGBMClassifier, FocalXGBClassifier
from ._focal import (
    binary_focal_grad_hess,
    binary_focal_loss,
    check_alpha,
    focal_init_score,
    multiclass_focal_grad_hess,
    multiclass_focal_loss,
)

__all__ = [
    "FocalLGBMClassifier",
    "FocalXGBClassifier",
    "binary_focal_grad_hess",
    "binary_focal_loss",
    "check_alpha",
    "focal_init_score",
    "lgb_focal_objective",
    "multiclass_focal_grad_hess",
    "multiclass_focal_loss",
    "xgb_focal_objective",
]
