"""Under-samplers and cleaning methods: remove samples, at random or by a rule.

Class names, parameters, defaults and fitted attributes are imbalanced-learn
0.14's; deterministic methods select the same rows, random ones give the same
output for the same ``random_state``.
"""

from .base import BaseCleaningSampler, BaseUnderSampler

__all__ = ["BaseCleaningSampler", "BaseUnderSampler"]
