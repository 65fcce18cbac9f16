"""compare_strategies: folds, determinism, costs, bad input, notes, failures, progress."""

import logging

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import KFold, StratifiedKFold

from imbkit.compare import Strategy, compare_strategies
from imbkit.decision import expected_cost
from imbkit.exceptions import InvalidInputError, LengthMismatchError, TargetError


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(n_samples=200, n_features=5, weights=[0.85], flip_y=0,
                               random_state=3)
    return X, y


class Broken(ClassifierMixin, BaseEstimator):
    def __init__(self, fail_from=0):
        self.fail_from = fail_from

    def fit(self, X, y):
        if len(y) > self.fail_from:
            raise ValueError("boom")
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _broken(random_state, context):
    return Broken()


def _unbuildable(random_state, context):
    raise RuntimeError("no estimator today")


def _prior(random_state, context):
    return DummyClassifier(strategy="prior")


def test_compare_strategies_default_folds_are_repeated_stratified(binary):
    X, y = binary
    result = compare_strategies(X, y, ["lr"], progress=False)
    assert [(r, f) for r, f, _, _ in result.splits] == [(r, f) for r in (0, 1) for f in range(5)]
    for _, _, train, test in result.splits:
        assert len(test) == 40 and np.bincount(y[test]).tolist() == [34, 6]
        assert np.intersect1d(train, test).size == 0 and len(train) + len(test) == 200
    for repeat in (0, 1):
        tests = [s[3] for s in result.splits if s[0] == repeat]
        assert np.array_equal(np.sort(np.concatenate(tests)), np.arange(200))
    assert result.random_state == 0
    assert result.scores.shape == (10 * 11, 5)
    assert result.pos_label == 1 and result.primary_metric == "pr_auc"


def test_compare_strategies_same_results_for_any_n_jobs(binary):
    X, y = binary
    names = ["lr+smote", "lr+threshold", "rf"]
    one = compare_strategies(X, y, names, cv=3, n_repeats=1, n_jobs=1, progress=False)
    two = compare_strategies(X, y, names, cv=3, n_repeats=1, n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(one.scores, two.scores)
    for name in names:
        assert np.array_equal(one.oof[name]["y_score"], two.oof[name]["y_score"])
    other = compare_strategies(X, y, ["rf"], cv=3, n_repeats=1, random_state=1,
                               progress=False)
    assert not np.array_equal(other.fold_scores()["rf"], one.fold_scores()["rf"])


def test_compare_strategies_cost_makes_expected_cost_primary(binary):
    X, y = binary
    result = compare_strategies(X, y, "fast", cost={"FN": 10, "FP": 1}, n_repeats=1,
                                return_estimators=True, progress=False)
    assert result.primary_metric == "expected_cost" and result.greater_is_better is False
    assert result.cost_matrix.tolist() == [[0.0, 1.0], [10.0, 0.0]]
    assert result.strategies == ["lr", "lr+balanced", "lr+threshold", "lr+rus", "lr+smote",
                                 "lr+cost"]
    assert result.estimators[("lr+threshold", 0, 0)].objective == "cost"
    costs = result.fold_scores("expected_cost")
    for name in result.strategies:
        oof = result.oof[name]["y_pred"][0]
        by_hand = [expected_cost(y[test], oof[test], [[0, 1], [10, 0]])
                   for _, _, _, test in result.splits]
        assert np.allclose(costs[name], by_hand)
    means = result.summary()[("expected_cost", "mean")]
    assert means.is_monotonic_increasing
    assert result.recommended == means.index[0]


def test_compare_strategies_cost_pos_label_and_matrix(binary):
    X, y = binary
    labels = np.where(y == 1, "fraud", "ok")
    result = compare_strategies(X, labels, ["lr", "lr+cost"], cost={"FN": 5, "FP": 1, "TN": 0.5},
                                n_repeats=1, progress=False)
    # classes sorted: fraud (the rarer, positive) then ok
    assert result.pos_label == "fraud"
    assert result.cost_matrix.tolist() == [[0.0, 5.0], [1.0, 0.5]]
    matrix = compare_strategies(X, y, ["lr"], cost=[[0, 1], [10, 0]], n_repeats=1,
                                progress=False)
    assert matrix.cost_matrix.tolist() == [[0.0, 1.0], [10.0, 0.0]]


def test_compare_strategies_multiclass(binary):
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4,
                               weights=[0.7, 0.2, 0.1], random_state=0)
    result = compare_strategies(X, y, ["lr", "lr+smote", "lr+threshold"], n_repeats=1,
                                cost=[[0, 1, 1], [5, 0, 1], [10, 5, 0]], progress=False)
    assert result.pos_label is None
    assert result.oof["lr"]["y_score"].shape == (1, 300, 3)
    assert set(result.scores["metric"]) >= {"pr_auc", "mcc", "expected_cost"}
    assert result.scores["value"].notna().all()


def test_compare_strategies_pos_label_not_second_class_tunes_mcc():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(30, dtype=int), np.ones(120, dtype=int)]
    X = rng.normal(size=(150, 3)) + y[:, None]
    result = compare_strategies(X, y, ["lr", "lr+threshold"], n_repeats=1,
                                return_estimators=True, progress=False)
    assert result.pos_label == 0
    assert result.estimators[("lr+threshold", 0, 0)].objective == "mcc"
    assert result.notes == [
        ("Threshold moving tunes the threshold on the score of 1, but the class of interest "
        "is 0: it tunes MCC (symmetric in the two classes) instead of F-scores.")
    ]
    explicit = compare_strategies(X, y, ["lr"], pos_label=1, n_repeats=1, progress=False)
    assert explicit.pos_label == 1 and explicit.notes == []


@pytest.mark.parametrize("scoring, objective", [
    ("f_beta", ("fbeta", 2.0)), ("g_mean", ("gmean", 1.0)), ("balanced_accuracy", ("youden", 1.0)),
    ("roc_auc", ("f1", 1.0)),
])
def test_compare_strategies_threshold_objective_follows_scoring(binary, scoring, objective):
    X, y = binary
    result = compare_strategies(X, y, ["lr+threshold"], scoring=scoring, cv=3, n_repeats=1,
                                return_estimators=True, progress=False)
    tuner = result.estimators[("lr+threshold", 0, 0)]
    assert (tuner.objective, tuner.beta) == objective
    assert result.primary_metric == scoring


def test_compare_strategies_one_class_is_an_error():
    with pytest.raises(TargetError, match=r"y has only one class \(0\); comparing strategies "
                       "needs rows of at least two classes"):
        compare_strategies(np.eye(10), np.zeros(10, dtype=int))


def test_compare_strategies_minority_smaller_than_folds_is_an_error():
    y = np.r_[np.zeros(40, dtype=int), np.ones(3, dtype=int)]
    with pytest.raises(TargetError, match=r"The smallest class \(1\) has 3 rows, fewer than "
                       r"the 5 folds: every test fold needs a row of each class\. Use cv=3"):
        compare_strategies(np.random.default_rng(0).normal(size=(43, 2)), y)


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
@pytest.mark.parametrize("y, error, message", [
    (np.linspace(0, 1, 20), TargetError, "y is a continuous target; compare_strategies needs"),
    (np.r_[np.zeros(10), np.ones(9), np.nan], TargetError, "contains NaN"),
    (np.r_[np.zeros(10), np.ones(9)], LengthMismatchError, "X has 20 rows but y has 19"),
    (None, TargetError, "y is None"),
])
def test_compare_strategies_bad_targets(y, error, message):
    with pytest.raises(error, match=message):
        compare_strategies(np.random.default_rng(0).normal(size=(20, 2)), y)


@pytest.mark.parametrize("kwargs, message", [
    ({"scoring": "accuracy"}, r"Unknown scoring 'accuracy'; use one of \['pr_auc'"),
    ({"scoring": "expected_cost"}, "scoring='expected_cost' needs costs"),
    ({"cost": {"FN": 1, "XX": 2}}, r"cost has unknown keys \['XX'\]"),
    ({"cost": {"FN": "a"}}, r"cost\['FN'\] must be a number"),
    ({"cost": [[0, 1, 1], [1, 0, 1], [1, 1, 0]]}, r"cost must have shape \(2, 2\)"),
    ({"pos_label": 7}, r"pos_label=7 is not a class of y \(\[0, 1\]\)"),
    ({"progress": "yes"}, "progress must be True, False or a callable"),
    ({"time_budget": -1}, "time_budget must be a number of seconds > 0"),
    ({"on_error": "ignore"}, "on_error must be 'skip' or 'raise'"),
    ({"n_repeats": 0}, "n_repeats must be an int >= 1"),
    ({"n_jobs": 0}, "n_jobs must be None or a non-zero int"),
    ({"cv": 1}, "cv must be at least 2 folds; got 1"),
    ({"random_state": "seed"}, "random_state must be an int"),
    ({"return_estimators": "yes"}, "return_estimators must be True or False"),
    ({"strategies": ["lr", "nope"]}, r"Unknown strategy 'nope'; valid names are"),
])
def test_compare_strategies_bad_options(binary, kwargs, message):
    X, y = binary
    kwargs = {"strategies": ["lr"], **kwargs}
    with pytest.raises(InvalidInputError, match=message):
        compare_strategies(X, y, **kwargs)


def test_compare_strategies_multiclass_refuses_dict_cost_and_pos_label():
    X, y = make_classification(n_samples=90, n_classes=3, n_informative=3, random_state=0)
    with pytest.raises(InvalidInputError, match="cost given as a dict needs a binary target; "
                       "y has 3 classes"):
        compare_strategies(X, y, ["lr"], cost={"FN": 1, "FP": 1})
    with pytest.raises(InvalidInputError, match="pos_label applies to binary targets"):
        compare_strategies(X, y, ["lr"], pos_label=1)


def test_compare_strategies_custom_cv_missing_a_class_is_an_error(binary):
    X, y = binary
    order = np.argsort(y, kind="stable")
    with pytest.raises(TargetError, match=r"The test part of split 0 has no row of class "
                       r"\[1\]; use stratified folds"):
        compare_strategies(X[order], y[order], ["lr"], cv=KFold(3))


def test_compare_strategies_custom_splitter_and_iterable(binary):
    X, y = binary
    cv = StratifiedKFold(4, shuffle=True, random_state=0)
    result = compare_strategies(X, y, ["lr"], cv=cv, progress=False)
    assert [(r, f) for r, f, _, _ in result.splits] == [(0, f) for f in range(4)]
    splits = list(cv.split(X, y)) * 2
    twice = compare_strategies(X, y, ["lr"], cv=splits, progress=False)
    assert [(r, f) for r, f, _, _ in twice.splits] == [(r, f) for r in (0, 1) for f in range(4)]
    assert twice.oof["lr"]["tested"].all()


def test_compare_strategies_notes_one_hot_and_imputation(binary):
    X, y = binary
    rng = np.random.default_rng(0)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    df["colour"] = rng.choice(["red", "green", "blue"], size=200)
    df["shop"] = rng.choice(["a", "b"], size=200)
    df.loc[[3, 50, 90], "f1"] = np.nan
    df.loc[[7], "f4"] = np.nan
    df.loc[[11], "colour"] = None
    before = df.copy()
    result = compare_strategies(df, y, ["lr", "lr+smote"], n_repeats=1, progress=False)
    assert result.notes == [
        ("2 non-numeric column(s) ('colour', 'shop') are one-hot encoded inside each training "
        "fold; categories unseen in training are ignored and a missing value is a category "
        "of its own."),
        ("4 missing value(s) in 2 numeric column(s) ('f1', 'f4') are imputed with the median "
        "of each training fold, inside the pipeline."),
    ]
    pd.testing.assert_frame_equal(df, before)
    assert result.strategies == ["lr", "lr+smote"]
    model = result.best_estimator("lr")
    assert model.predict(df.iloc[:3]).shape == (3,)


def test_compare_strategies_small_class_note():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(60, dtype=int), np.ones(6, dtype=int)]
    X = rng.normal(size=(66, 3)) + 2 * y[:, None]
    result = compare_strategies(X, y, ["lr+smote", "lr+threshold"], cv=3, n_repeats=1,
                                return_estimators=True, progress=False)
    assert result.notes == [
        ("The smallest class has only 4 rows in a training part: neighbour-based samplers "
        "use 3 neighbour(s) and threshold moving 4 inner folds.")
    ]
    assert result.estimators[("lr+smote", 0, 0)].named_steps["smote"].k_neighbors == 3


def test_compare_strategies_failing_strategy_is_left_out_with_a_note(binary):
    X, y = binary
    strategies = ["lr", Strategy("broken", _broken), Strategy("unbuildable", _unbuildable)]
    result = compare_strategies(X, y, strategies, n_repeats=1, progress=False)
    assert result.strategies == ["lr"]
    assert result.notes == [
        "Strategy broken skipped: it failed on 5 of 5 folds (ValueError: boom).",
        ("Strategy unbuildable skipped: building its estimator failed (RuntimeError: no "
        "estimator today)."),
    ]
    with pytest.raises(ValueError, match="boom"):
        compare_strategies(X, y, strategies[:2], n_repeats=1, on_error="raise")
    with pytest.raises(RuntimeError, match="no estimator today"):
        compare_strategies(X, y, strategies[::2], n_repeats=1, on_error="raise")
    with pytest.raises(InvalidInputError, match="No strategy could be evaluated on every "
                       r"fold: Strategy broken skipped"):
        compare_strategies(X, y, [Strategy("broken", _broken)], n_repeats=1)


def test_compare_strategies_time_budget_skips_the_rest(binary):
    X, y = binary
    result = compare_strategies(X, y, ["lr", "lr+balanced", "lr+rus"], n_repeats=1,
                                time_budget=1e-9, progress=False)
    assert result.strategies == ["lr"]
    assert result.notes == [
        ("The time budget of 1e-09 s ran out after 1 of 3 strategies; skipped: lr+balanced, "
        "lr+rus.")
    ]


def test_compare_strategies_progress_callback_and_no_output(binary, capsys, caplog):
    X, y = binary
    calls = []
    compare_strategies(X, y, ["lr", Strategy("prior", _prior, family="baseline")], cv=2,
                       n_repeats=1, progress=lambda *args: calls.append(args))
    assert calls == [(1, 4, "lr (repeat 1, fold 1)"), (2, 4, "lr (repeat 1, fold 2)"),
                     (3, 4, "prior (repeat 1, fold 1)"), (4, 4, "prior (repeat 1, fold 2)")]
    with caplog.at_level(logging.INFO, logger="imbkit.compare"):
        compare_strategies(X, y, ["lr"], cv=2, n_repeats=1, progress=True)
    assert [r.getMessage() for r in caplog.records] == [
        "[1/2] lr (repeat 1, fold 1)", "[2/2] lr (repeat 1, fold 2)",
    ]
    compare_strategies(X, y, ["lr"], cv=2, n_repeats=1, progress=False)
    assert capsys.readouterr() == ("", "")
