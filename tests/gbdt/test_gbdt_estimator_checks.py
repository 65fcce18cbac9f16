"""scikit-learn's estimator checks over the focal-loss boosting classifiers."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

pytest.importorskip("lightgbm")
pytest.importorskip("xgboost")

from imbkit.gbdt import FocalLGBMClassifier, FocalXGBClassifier

ESTIMATORS = [
    FocalLGBMClassifier(n_estimators=5, n_jobs=1, random_state=0),
    FocalXGBClassifier(n_estimators=5, n_jobs=1, random_state=0),
]
# {estimator class name: {check name: reason}}: every check passes (the two
# array-API checks skip themselves without SCIPY_ARRAY_API), so none is listed.
EXPECTED_FAILED = {}


def _expected_failed(estimator):
    return EXPECTED_FAILED.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed)
def test_focal_classifiers_pass_sklearn_checks(estimator, check):
    check(estimator)
