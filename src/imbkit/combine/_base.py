"""What SMOTEENN and SMOTETomek share: SMOTE first, then a cleaning method."""

from __future__ import annotations

from sklearn.base import clone

from ..over_sampling import SMOTE
from ..over_sampling.base import BaseOverSampler

__all__ = ["SMOTEThenClean"]


class SMOTEThenClean(BaseOverSampler):
    """Over-sample with ``smote`` (or a default SMOTE), then clean the result.

    Subclasses name the cleaner parameter in ``_cleaner_param`` (its fitted
    copy is stored as ``<name>_``) and build the default cleaner in
    ``_default_cleaner``.
    """

    _cleaner_param = ""

    def _default_cleaner(self):
        raise NotImplementedError

    def _validate_estimator(self):
        if self.smote is None:
            self.smote_ = SMOTE(
                sampling_strategy=self.sampling_strategy, random_state=self.random_state
            )
        else:
            self.smote_ = clone(self.smote)
        given = getattr(self, self._cleaner_param)
        cleaner = self._default_cleaner() if given is None else clone(given)
        setattr(self, f"{self._cleaner_param}_", cleaner)
        return cleaner

    def _fit_resample(self, X, y):
        cleaner = self._validate_estimator()
        X_res, y_res = self.smote_.fit_resample(X, y)
        self.sampling_strategy_ = self.smote_.sampling_strategy_
        return cleaner.fit_resample(X_res, y_res)
