"""Over-samplers: add minority samples, by copying rows or synthesising new ones.

Class names, parameters, defaults and fitted attributes are imbalanced-learn
0.14's, and for the same ``random_state`` the output is the same.
"""

from ._random import RandomOverSampler
from ._smote import SMOTE
from .base import BaseOverSampler

__all__ = ["BaseOverSampler", "RandomOverSampler", "SMOTE"]
