"""Under-samplers and cleaning methods: remove samples, at random or by a rule.

Class names, parameters, defaults and fitted attributes are imbalanced-learn
0.14's; deterministic methods select the same rows, random ones give the same
output for the same ``random_state``.

Examples
--------
>>> from imbkit.under_sampling import RandomUnderSampler, NearMiss, TomekLinks
"""

from ._cluster_centroids import ClusterCentroids
from ._condensed import CondensedNearestNeighbour
from ._edited import AllKNN, EditedNearestNeighbours, RepeatedEditedNearestNeighbours
from ._instance_hardness import InstanceHardnessThreshold
from ._ncr import NeighbourhoodCleaningRule
from ._nearmiss import NearMiss
from ._one_sided import OneSidedSelection
from ._random import RandomUnderSampler
from ._tomek import TomekLinks
from .base import BaseCleaningSampler, BaseUnderSampler

__all__ = [
    "AllKNN",
    "BaseCleaningSampler",
    "BaseUnderSampler",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "InstanceHardnessThreshold",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "TomekLinks",
]
