"""A small comparison shared by the report tests (computed once per session)."""

import pytest
from sklearn.datasets import make_classification

from imbkit.compare import compare_strategies

STRATEGIES = ["lr", "lr+balanced", "lr+threshold", "lr+rus", "lr+smote"]


@pytest.fixture(scope="session")
def small_comparison():
    X, y = make_classification(n_samples=300, weights=[0.9], flip_y=0.02, random_state=0)
    result = compare_strategies(X, y, STRATEGIES, cv=3, n_repeats=2, progress=False)
    return result, X, y
