"""The corrected resampled t-test against hand computations, and the confidence summary."""

import math

import numpy as np
import pytest
from scipy import stats

from imbkit.compare import corrected_resampled_ttest
from imbkit.compare._stats import paired_confidence
from imbkit.exceptions import InvalidInputError, LengthMismatchError

A = [0.8, 0.7, 0.9, 0.8]
B = [0.7, 0.7, 0.8, 0.6]


def test_corrected_resampled_ttest_matches_hand_computation():
    res = corrected_resampled_ttest(A, B, n_train=75, n_test=25)
    # d = [0.1, 0, 0.1, 0.2]: mean 0.1, sample variance 0.02 / 3
    t_hand = 0.1 / math.sqrt((1 / 4 + 25 / 75) * (0.02 / 3))
    assert res["mean_difference"] == pytest.approx(0.1)
    assert res["t_statistic"] == pytest.approx(t_hand)
    assert res["t_statistic"] == pytest.approx(1.6035674514745462)
    assert res["df"] == 3
    assert res["p_value"] == pytest.approx(2 * stats.t.sf(t_hand, 3))
    assert res["p_value"] == pytest.approx(0.2071428, abs=1e-6)


def test_corrected_resampled_ttest_is_less_confident_than_the_plain_paired_ttest():
    res = corrected_resampled_ttest(A, B, n_train=75, n_test=25)
    plain = stats.ttest_rel(A, B)
    assert plain.statistic == pytest.approx(0.1 / math.sqrt(0.02 / 3 / 4))
    assert res["p_value"] > plain.pvalue


def test_corrected_resampled_ttest_tends_to_paired_ttest_without_overlap_correction():
    res = corrected_resampled_ttest(A, B, n_train=1e15, n_test=1)
    plain = stats.ttest_rel(A, B)
    assert res["t_statistic"] == pytest.approx(plain.statistic)
    assert res["p_value"] == pytest.approx(plain.pvalue)


def test_corrected_resampled_ttest_sign_follows_the_order():
    res = corrected_resampled_ttest(B, A, n_train=75, n_test=25)
    assert res["mean_difference"] == pytest.approx(-0.1)
    assert res["t_statistic"] == pytest.approx(-1.6035674514745462)


def test_corrected_resampled_ttest_zero_variance():
    tie = corrected_resampled_ttest([0.5, 0.6], [0.5, 0.6], n_train=8, n_test=2)
    assert (tie["t_statistic"], tie["p_value"]) == (0.0, 1.0)
    shift = corrected_resampled_ttest([0.75, 0.5], [0.5, 0.25], n_train=8, n_test=2)
    assert (shift["t_statistic"], shift["p_value"]) == (math.inf, 0.0)


def test_corrected_resampled_ttest_bad_input():
    with pytest.raises(LengthMismatchError, match="scores_a has 2 folds but scores_b has 3"):
        corrected_resampled_ttest([1, 2], [1, 2, 3], n_train=8, n_test=2)
    with pytest.raises(InvalidInputError, match="at least 2 folds; got 1"):
        corrected_resampled_ttest([1], [2], n_train=8, n_test=2)
    with pytest.raises(InvalidInputError, match="scores contain NaN or infinity"):
        corrected_resampled_ttest([1, np.nan], [2, 3], n_train=8, n_test=2)
    with pytest.raises(InvalidInputError, match="n_train and n_test must be > 0"):
        corrected_resampled_ttest([1, 2], [2, 4], n_train=0, n_test=2)


def _values():
    return {
        "best": np.array([0.90, 0.80, 0.85, 0.90]),
        "close": np.array([0.89, 0.81, 0.84, 0.88]),
        "base": np.array([0.50, 0.40, 0.45, 0.55]),
    }


def test_paired_confidence_moderate_when_only_the_baseline_is_beaten():
    conf = paired_confidence(_values(), ["best", "close", "base"], baseline="base",
                             metric="pr_auc", greater_is_better=True, n_train=75, n_test=25)
    runner, base = conf["vs_runner_up"], conf["vs_baseline"]
    assert (runner["strategy"], base["strategy"]) == ("close", "base")
    assert runner["mean_difference"] == pytest.approx(0.0075)
    assert runner["significant"] is False
    assert base["mean_difference"] == pytest.approx(0.3875)
    expected = corrected_resampled_ttest(_values()["best"], _values()["base"],
                                         n_train=75, n_test=25)
    assert base["p_value"] == pytest.approx(expected["p_value"])
    assert base["significant"] is True
    assert conf["level"] == "moderate"
    assert conf["n_folds"] == 4
    assert conf["sentence"].startswith(
        "best has the best mean PR-AUC: 0.863, sd 0.048 over 4 folds. The runner-up close "
        "is 0.008 behind, not a significant difference"
    )
    assert "Against the baseline base it gains 0.387 (p < 0.001)" in conf["sentence"]


def test_paired_confidence_high_and_lower_is_better():
    values = {"a": np.array([1.0, 1.1, 0.9]), "b": np.array([3.0, 3.2, 2.9])}
    conf = paired_confidence(values, ["a", "b"], baseline="b", metric="expected_cost",
                             greater_is_better=False, n_train=80, n_test=20)
    assert conf["level"] == "high"
    assert conf["vs_runner_up"]["mean_difference"] == pytest.approx(-2.0333333)
    assert "(lower is better)" in conf["sentence"]
    assert "It beats the runner-up b by 2.033" in conf["sentence"]


def test_paired_confidence_recommended_baseline_and_single_strategy():
    conf = paired_confidence(_values(), ["base", "best"], baseline=None, metric="f1",
                             greater_is_better=True, n_train=75, n_test=25,
                             recommended_is_baseline=True)
    assert conf["vs_baseline"] is None
    assert conf["sentence"].endswith(
        "It is itself a baseline: no imbalance treatment did better on average."
    )
    alone = paired_confidence({"x": np.array([0.5, 0.6])}, ["x"], baseline=None,
                              metric="mcc", greater_is_better=True, n_train=8, n_test=2)
    assert (alone["vs_runner_up"], alone["vs_baseline"], alone["level"]) == (None, None, "low")
    assert "No baseline strategy was compared" in alone["sentence"]
