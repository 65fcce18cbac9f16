"""Ensembles that balance the data each member learns from.

Class names, parameters, defaults and fitted attributes are imbalanced-learn
0.14's, built on scikit-learn's bagging, forest and boosting; with the same
``random_state`` they give the same predictions.

Examples
--------
>>> from imbkit.ensemble import BalancedBaggingClassifier, BalancedRandomForestClassifier
>>> from imbkit.ensemble import EasyEnsembleClassifier, RUSBoostClassifier
"""

from ._bagging import BalancedBaggingClassifier
from ._easy_ensemble import EasyEnsembleClassifier
from ._forest import BalancedRandomForestClassifier
from ._self_paced import SelfPacedEnsembleClassifier
from ._smote_bagging import SMOTEBaggingClassifier
from ._smote_boost import SMOTEBoostClassifier
from ._weight_boosting import RUSBoostClassifier

__all__ = [
    "BalancedBaggingClassifier",
    "BalancedRandomForestClassifier",
    "EasyEnsembleClassifier",
    "RUSBoostClassifier",
    "SMOTEBaggingClassifier",
    "SMOTEBoostClassifier",
    "SelfPacedEnsembleClassifier",
]
