"""Combinations of over- and under-sampling: SMOTE followed by a cleaning method.

Class names, parameters, defaults and fitted attributes are imbalanced-learn
0.14's, and for the same ``random_state`` the output is the same.

Examples
--------
>>> from imbkit.combine import SMOTEENN, SMOTETomek
"""

from ._smote_enn import SMOTEENN
from ._smote_tomek import SMOTETomek

__all__ = ["SMOTEENN", "SMOTETomek"]
