"""The SMOTE family: SMOTE and its filtered, clustered and categorical variants."""

from ._categorical import SMOTEN, SMOTENC
from .base import SMOTE, BaseSMOTE
from .cluster import KMeansSMOTE
from .filter import SVMSMOTE, BorderlineSMOTE

__all__ = [
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "BaseSMOTE",
    "BorderlineSMOTE",
    "KMeansSMOTE",
]
