"""Over-samplers: add minority samples, by copying rows or synthesising new ones.

Class names, parameters, defaults and fitted attributes are imbalanced-learn
0.14's, and for the same ``random_state`` the output is the same.

Examples
--------
>>> from imbkit.over_sampling import SMOTE, ADASYN, BorderlineSMOTE
"""

from ._adasyn import ADASYN
from ._random import RandomOverSampler
from ._smote import (
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
)
from .base import BaseOverSampler

__all__ = [
    "ADASYN",
    "BaseOverSampler",
    "BorderlineSMOTE",
    "KMeansSMOTE",
    "RandomOverSampler",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
]
