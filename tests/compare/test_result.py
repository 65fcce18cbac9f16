"""ComparisonResult: tidy scores, summary, confidence, out-of-fold data, refit, JSON."""

import json
import math
import sys

import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import make_classification
from sklearn.metrics import average_precision_score, matthews_corrcoef, roc_auc_score

from imbkit.compare import ComparisonResult, compare_strategies
from imbkit.exceptions import InvalidInputError, MissingExtraError
from imbkit.pipeline import Pipeline

NAMES = ["lr", "lr+balanced", "lr+rus", "rf"]


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=240, n_features=6, weights=[0.85], flip_y=0,
                               random_state=7)
    return X, y


@pytest.fixture(scope="module")
def result(data):
    X, y = data
    return compare_strategies(X, y, NAMES, progress=False)


def test_result_scores_are_tidy(result):
    scores = result.scores
    assert list(scores.columns) == ["strategy", "repeat", "fold", "metric", "value"]
    assert len(scores) == 4 * 10 * 11
    assert scores["strategy"].unique().tolist() == NAMES
    assert scores["metric"].unique().tolist() == [
        "pr_auc", "roc_auc", "mcc", "f1", "f_beta", "g_mean", "balanced_accuracy",
        "cohen_kappa", "precision", "recall", "specificity",
    ]
    assert scores.groupby(["strategy", "metric"]).size().eq(10).all()
    assert isinstance(result, ComparisonResult)


def test_result_scores_are_the_metrics_of_the_out_of_fold_predictions(result, data):
    _, y = data
    scores = result.scores.set_index(["strategy", "repeat", "fold", "metric"])["value"]
    for name in NAMES:
        oof = result.oof[name]
        assert oof["tested"].all()
        for repeat, fold, _, test in result.splits:
            score = oof["y_score"][repeat, test, 1]
            pred = oof["y_pred"][repeat, test]
            key = (name, repeat, fold)
            assert scores[(*key, "pr_auc")] == pytest.approx(average_precision_score(y[test], score))
            assert scores[(*key, "roc_auc")] == pytest.approx(roc_auc_score(y[test], score))
            assert scores[(*key, "mcc")] == pytest.approx(matthews_corrcoef(y[test], pred))


def test_result_summary_is_ranked_by_the_primary_metric(result):
    summary = result.summary()
    assert summary.index.name == "strategy"
    assert summary.index.tolist() == result.ranking
    assert summary.columns[0] == ("pr_auc", "mean")
    assert summary.columns[-1] == ("fit_time", "mean")
    assert summary[("pr_auc", "mean")].is_monotonic_decreasing
    assert summary[("pr_auc", "rank")].tolist() == [1, 2, 3, 4]
    scores = result.scores
    for name in NAMES:
        mcc = scores[(scores.strategy == name) & (scores.metric == "mcc")]["value"]
        assert summary.loc[name, ("mcc", "mean")] == pytest.approx(mcc.mean())
        assert summary.loc[name, ("mcc", "std")] == pytest.approx(mcc.std(ddof=1))
    best_mcc = summary[("mcc", "mean")].idxmax()
    assert summary.loc[best_mcc, ("mcc", "rank")] == 1


def test_result_confidence_is_the_corrected_ttest_by_hand(result):
    conf = result.confidence
    best, runner = result.ranking[:2]
    assert conf["recommended"] == result.recommended == best
    values = result.fold_scores()
    d = values[best] - values[runner]
    # 10 folds of 240 rows: 192 training and 48 test rows each
    t = d.mean() / math.sqrt((1 / 10 + 48 / 192) * d.var(ddof=1))
    p = 2 * stats.t.sf(abs(t), 9)
    assert conf["vs_runner_up"]["strategy"] == runner
    assert conf["vs_runner_up"]["mean_difference"] == pytest.approx(d.mean())
    assert conf["vs_runner_up"]["t_statistic"] == pytest.approx(t)
    assert conf["vs_runner_up"]["p_value"] == pytest.approx(p)
    assert conf["vs_runner_up"]["significant"] == (p < 0.05)
    assert conf["test"] == "corrected resampled t-test (Nadeau and Bengio, 2003)"
    assert conf["sentence"].startswith(f"{best} has the best mean PR-AUC: ")


def test_result_baseline_is_the_same_learner(data):
    X, y = data
    res = compare_strategies(X, y, ["rf", "lr", "lr+rus"], scoring="balanced_accuracy",
                             n_repeats=1, progress=False)
    # rf ranks above lr, yet lr is the baseline of lr+rus
    assert res.ranking == ["lr+rus", "rf", "lr"]
    assert res.confidence["vs_baseline"]["strategy"] == "lr"
    assert "Against the baseline lr the gain of 0.081" in res.confidence["sentence"]
    # without a baseline of its learner, the best baseline
    other = compare_strategies(X, y, ["rf", "lr+rus"], scoring="balanced_accuracy",
                               n_repeats=1, progress=False)
    assert other.confidence["vs_baseline"]["strategy"] == "rf"


def test_result_oof_shapes(result):
    oof = result.oof["rf"]
    assert oof["y_pred"].shape == (2, 240) and oof["y_score"].shape == (2, 240, 2)
    assert np.allclose(oof["y_score"].sum(axis=2), 1.0)
    assert result.classes.tolist() == [0, 1]
    assert result.timings.shape == (40, 5)


def test_result_best_estimator_refits_on_all_rows(result, data):
    X, _ = data
    model = result.best_estimator()
    assert isinstance(model, Pipeline)
    assert model.predict(X).shape == (240,)
    rf = result.best_estimator("rf")
    assert rf[-1].n_features_in_ == 6 and rf[-1].random_state == 0
    with pytest.raises(InvalidInputError, match=r"'hgb' is not among the strategies compared; "
                       r"choose one of \['lr', 'lr\+balanced', 'lr\+rus', 'rf'\]"):
        result.best_estimator("hgb")
    with pytest.raises(InvalidInputError, match="Unknown metric 'auc'"):
        result.fold_scores("auc")


def test_result_to_dict_is_json(result):
    out = result.to_dict()
    text = json.dumps(out, allow_nan=False)
    back = json.loads(text)
    assert back["recommended"] == result.recommended
    assert back["ranking"] == result.ranking
    assert back["primary_metric"] == "pr_auc" and back["greater_is_better"] is True
    assert len(back["scores"]) == 440
    assert back["summary"][result.recommended]["pr_auc"]["rank"] == 1
    assert back["n_folds"] == 10 and back["n_repeats"] == 2 and back["n_samples"] == 240
    assert [s["name"] for s in back["strategies"]] == NAMES
    assert "oof" not in back
    with_oof = json.loads(json.dumps(result.to_dict(include_oof=True), allow_nan=False))
    assert len(with_oof["oof"]["lr"]["y_score"][0]) == 240


def test_result_tables_need_pandas(result, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r'pip install "imbkit\[report\]"'):
        _ = result.scores
    with pytest.raises(MissingExtraError, match="to_dict"):
        result.summary()
    json.dumps(result.to_dict(), allow_nan=False)
