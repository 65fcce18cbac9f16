"""The recommendation rule: best mean, or a better track record within one standard error."""

import math

import numpy as np
import pytest
from sklearn.datasets import make_classification

from imbkit.compare import PRESETS, compare_strategies, get_strategy, load_track_record
from imbkit.compare._selection import resolve_track_record, select_recommended
from imbkit.exceptions import InvalidInputError


def _se(a, b, ratio):
    d = np.asarray(a) - np.asarray(b)
    return math.sqrt((1 / d.size + ratio) * d.var(ddof=1))


def test_select_recommended_prefers_track_record_within_one_se():
    values = {"a": np.array([0.80, 0.70, 0.90, 0.75]),
              "b": np.array([0.78, 0.72, 0.85, 0.74]),
              "c": np.array([0.50, 0.45, 0.55, 0.52])}
    gap = np.mean(values["a"] - values["b"])
    assert 0 < gap <= _se(values["a"], values["b"], 0.25)
    pick, why = select_recommended(values, ["a", "b", "c"], {"b": 2.0, "c": 1.0, "a": 3.0},
                                   n_train=80, n_test=20)
    assert pick == "b"
    assert why["best_mean"] == "a" and why["candidates"] == ["a", "b"]
    assert why["track_record"] == {"a": 3.0, "b": 2.0}
    assert why["standard_errors"] == 1.0


def test_select_recommended_keeps_best_when_gap_exceeds_k_se():
    values = {"a": np.array([0.80, 0.70, 0.90, 0.75]),
              "b": np.array([0.78, 0.72, 0.85, 0.74])}
    gap = np.mean(values["a"] - values["b"])
    se = _se(values["a"], values["b"], 0.25)
    k = 0.9 * gap / se
    pick, why = select_recommended(values, ["a", "b"], {"b": 1.0}, n_train=80, n_test=20, k=k)
    assert pick == "a" and why["candidates"] == ["a"] and why["track_record"] == {}
    # just wide enough: b is in
    pick, _ = select_recommended(values, ["a", "b"], {"b": 1.0}, n_train=80, n_test=20,
                                 k=1.1 * gap / se)
    assert pick == "b"


def test_select_recommended_without_record_is_best_mean():
    values = {"a": np.array([0.8, 0.7, 0.9]), "b": np.array([0.79, 0.71, 0.88])}
    assert select_recommended(values, ["a", "b"], {}, n_train=80, n_test=20)[0] == "a"
    # a record for strategies outside the candidates changes nothing
    assert select_recommended(values, ["a", "b"], {"z": 1.0}, n_train=80, n_test=20)[0] == "a"


def test_select_recommended_lower_is_better_and_nan_folds():
    # expected cost: lower is better; b is worse by a constant, clearly outside
    values = {"a": np.array([1.0, 2.0, 3.0]), "b": np.array([2.0, 3.0, 4.0])}
    pick, why = select_recommended(values, ["a", "b"], {"b": 1.0}, greater_is_better=False,
                                   n_train=80, n_test=20)
    assert pick == "a" and why["candidates"] == ["a"]
    # equal means with noise: b is a candidate and wins on record
    values = {"a": np.array([1.0, 2.0, 3.0]), "b": np.array([1.5, 1.5, 3.0])}
    assert select_recommended(values, ["a", "b"], {"b": 1.0, "a": 2.0},
                              greater_is_better=False, n_train=80, n_test=20)[0] == "b"
    # fewer than two finite paired folds: never a candidate
    values = {"a": np.array([0.8, 0.7, 0.9]), "b": np.array([0.8, np.nan, np.nan])}
    assert select_recommended(values, ["a", "b"], {"b": 1.0}, n_train=80, n_test=20)[0] == "a"


def test_resolve_track_record_forms_and_errors():
    assert resolve_track_record(None, "pr_auc") == {}
    assert resolve_track_record({"lr": 2}, "pr_auc") == {"lr": 2.0}
    assert resolve_track_record("builtin", "pr_auc") == load_track_record("pr_auc")
    with pytest.raises(InvalidInputError, match='track_record must be "builtin", None or a dict'):
        resolve_track_record("best", "pr_auc")
    with pytest.raises(InvalidInputError, match="must be finite numbers"):
        resolve_track_record({"lr": float("nan")}, "pr_auc")
    with pytest.raises(InvalidInputError, match="got list"):
        resolve_track_record(["lr"], "pr_auc")


def test_load_track_record_covers_the_default_preset():
    record = load_track_record()
    assert record["n_datasets"] == 70 and len(record["datasets"]) == 70
    expected = {n for n in PRESETS["default"] if not get_strategy(n).requires_cost}
    for metric in ("pr_auc", "roc_auc", "mcc", "f1", "g_mean", "balanced_accuracy"):
        ranks = load_track_record(metric)
        assert set(ranks) == expected
        # mean ranks of n strategies average (n + 1) / 2
        assert np.mean(list(ranks.values())) == pytest.approx((len(ranks) + 1) / 2, abs=1e-3)
    assert load_track_record("expected_cost") == {}
    # a copy: callers cannot change the shipped record
    load_track_record("pr_auc")["lr"] = -1.0
    assert load_track_record("pr_auc")["lr"] >= 1.0


@pytest.fixture(scope="module")
def close_call():
    X, y = make_classification(n_samples=300, n_features=6, weights=[0.85], flip_y=0.05,
                               random_state=3)
    return X, y


def test_compare_strategies_track_record_none_recommends_best_mean(close_call):
    X, y = close_call
    result = compare_strategies(X, y, ["lr", "lr+balanced", "lr+rus"], cv=3, n_repeats=2,
                                progress=False, track_record=None)
    assert result.recommended == result.ranking[0]
    assert result.selection["best_mean"] == result.ranking[0]
    assert result.confidence["sentence"].startswith(f"{result.ranking[0]} has the best mean")


def test_compare_strategies_own_track_record_breaks_a_near_tie(close_call):
    X, y = close_call
    names = ["lr", "lr+balanced", "lr+rus"]
    plain = compare_strategies(X, y, names, cv=3, n_repeats=2, progress=False,
                               track_record=None)
    best = plain.ranking[0]
    assert len(plain.selection["candidates"]) >= 2
    second = plain.selection["candidates"][1]
    result = compare_strategies(X, y, names, cv=3, n_repeats=2, progress=False,
                                track_record={second: 1.0, best: 2.0})
    assert result.ranking == plain.ranking
    assert result.recommended == second
    conf = result.confidence
    assert conf["recommended"] == second
    assert conf["vs_runner_up"]["strategy"] == best
    assert conf["vs_runner_up"]["mean_difference"] < 0
    assert conf["sentence"].startswith(
        f"{second} is recommended although {best} has the better mean PR-AUC")
    assert "mean rank 1.0 against 2.0" in conf["sentence"]
    assert result.to_dict()["selection"]["candidates"] == result.selection["candidates"]
    assert result.best_estimator()[-1].get_params() == \
        result.best_estimator(second)[-1].get_params()


def test_compare_strategies_rejects_bad_track_record(close_call):
    X, y = close_call
    with pytest.raises(InvalidInputError, match='track_record must be "builtin"'):
        compare_strategies(X, y, ["lr"], cv=3, n_repeats=1, progress=False,
                           track_record="yes")


def test_paired_confidence_sentence_for_a_baseline_chosen_by_record():
    from imbkit.compare._stats import paired_confidence

    values = {"lr": np.array([0.70, 0.80, 0.75]), "rf": np.array([0.69, 0.78, 0.76])}
    selection = {"best_mean": "lr", "candidates": ["lr", "rf"],
                 "track_record": {"rf": 4.1, "lr": 5.5}, "standard_errors": 1.0}
    conf = paired_confidence(values, ["rf", "lr"], baseline=None, metric="pr_auc",
                             greater_is_better=True, n_train=80, n_test=20,
                             recommended_is_baseline=True, selection=selection)
    assert conf["sentence"].startswith(
        "rf is recommended although lr has the better mean PR-AUC (0.750 against 0.743")
    assert "within one corrected standard error" in conf["sentence"]
    assert "(mean rank 4.1 against 5.5)" in conf["sentence"]
    assert conf["sentence"].endswith("no imbalance treatment was clearly better here.")
    assert conf["level"] == "low"
