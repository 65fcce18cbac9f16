"""The named strategy sets on the bundled yeast_me2 data (1,484 rows, 51 minority)."""

import pytest

from imbkit.compare import PRESETS, compare_strategies
from imbkit.datasets import load_yeast_me2


@pytest.fixture(scope="module")
def yeast():
    return load_yeast_me2(return_X_y=True)


def test_fast_set_on_yeast(yeast):
    X, y = yeast
    result = compare_strategies(X, y, "fast", n_repeats=1, progress=False)
    assert result.strategies == ["lr", "lr+balanced", "lr+threshold", "lr+rus", "lr+smote"]
    assert result.notes == []
    assert result.pos_label == 1
    assert result.scores["value"].notna().all()
    assert result.confidence["vs_runner_up"] is not None


@pytest.mark.slow
def test_default_set_on_yeast(yeast):
    X, y = yeast
    result = compare_strategies(X, y, progress=False)
    expected = [n for n in PRESETS["default"] if not n.endswith("+cost")]
    assert result.strategies == expected
    assert result.notes == []
    assert len(result.scores) == len(expected) * 10 * 11
    summary = result.summary()
    assert summary[("roc_auc", "mean")].min() > 0.8


@pytest.mark.slow
def test_default_set_with_cost_on_yeast(yeast):
    X, y = yeast
    result = compare_strategies(X, y, cost={"FN": 20, "FP": 1}, n_repeats=1, progress=False)
    assert result.strategies == list(PRESETS["default"])
    assert result.primary_metric == "expected_cost"
    assert result.summary()[("expected_cost", "mean")].is_monotonic_increasing
