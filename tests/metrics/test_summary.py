"""classification_report_imbalanced and imbalanced_summary: reference values, sklearn, errors."""

import json
import warnings

import numpy as np
import pytest
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    cohen_kappa_score,
    f1_score,
    fbeta_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    roc_auc_score,
)

from imbkit.exceptions import (
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    TargetError,
)
from imbkit.metrics import (
    classification_report_imbalanced,
    geometric_mean_score,
    imbalanced_summary,
    specificity_score,
)

reference = pytest.importorskip("imblearn.metrics")


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _binary_scores(seed=0, n=200):
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.12).astype(int)
    score = np.clip(0.35 * y + 0.65 * rng.rand(n), 0, 1)
    return y, score


def _multiclass_scores(seed=0, n=300):
    rng = np.random.RandomState(seed)
    y = rng.choice([0, 1, 2], n, p=[0.75, 0.17, 0.08])
    logits = rng.randn(n, 3) + 1.5 * np.eye(3)[y]
    return y, np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)


# --- classification_report_imbalanced ---------------------------------------------


@pytest.mark.parametrize(
    "y_true, y_pred, kwargs",
    [
        ([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], {"target_names": ["class 0", "class 1", "c2"]}),
        ([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], {"digits": 5}),
        (["blue", "red", "red", "green"], ["blue", "red", "blue", "red"], {}),
        ([0, 1, 1, 0, 1], [0, 1, 0, 0, 1], {"target_names": ["a very long class name", "b"]}),
        ([0, 1, 2, 3, 3], [0, 1, 1, 3, 2], {"labels": [3, 1], "zero_division": 1}),
        ([0, 0, 1, 1], [0, 0, 0, 0], {"alpha": 0.5, "zero_division": 0}),
    ],
)
def test_report_text_matches_reference(y_true, y_pred, kwargs):
    ours = _quiet(classification_report_imbalanced, y_true, y_pred, **kwargs)
    assert ours == _quiet(reference.classification_report_imbalanced, y_true, y_pred, **kwargs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_report_dict_matches_reference(seed):
    rng = np.random.RandomState(seed)
    y_true = rng.randint(0, 4, 40)
    y_pred = np.where(rng.rand(40) < 0.6, y_true, rng.randint(0, 4, 40))
    weight = rng.permutation(np.repeat([0.5, 1.5], 20))  # sums to 40 exactly
    ours = _quiet(classification_report_imbalanced, y_true, y_pred, sample_weight=weight,
                  output_dict=True)
    theirs = _quiet(reference.classification_report_imbalanced, y_true, y_pred,
                    sample_weight=weight, output_dict=True)
    assert list(ours) == list(theirs)
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert list(ours[key]) == list(value)
            np.testing.assert_allclose(list(ours[key].values()), list(value.values()),
                                       rtol=1e-12)
        else:
            assert ours[key] == pytest.approx(value, rel=1e-12)


def test_report_known_values():
    report = classification_report_imbalanced([0, 1, 2, 2, 2], [0, 0, 2, 2, 1],
                                              output_dict=True, zero_division=0)
    assert report["0"] == pytest.approx(
        {"pre": 0.5, "rec": 1.0, "spe": 0.75, "f1": 2 / 3, "geo": np.sqrt(0.75),
         "iba": (1 + 0.1 * 0.25) * 0.75, "sup": 1}
    )
    assert report["total_support"] == 5


def test_report_errors():
    with pytest.raises(InvalidInputError, match="target_names has 1 names for 2 labels"):
        classification_report_imbalanced([0, 1], [0, 1], target_names=["a"])
    with pytest.raises(InvalidInputError, match="digits must be an integer >= 0; got -1"):
        classification_report_imbalanced([0, 1], [0, 1], digits=-1)
    with pytest.raises(LengthMismatchError, match="y_true has 2 samples but y_pred has 1"):
        classification_report_imbalanced([0, 1], [0])


# --- imbalanced_summary: binary -------------------------------------------------------


def test_summary_binary_equals_scikit_learn():
    y, score = _binary_scores()
    pred = (score >= 0.5).astype(int)
    summary = imbalanced_summary(y, score)
    assert summary["precision"] == precision_score(y, pred)
    assert summary["recall"] == recall_score(y, pred)
    assert summary["specificity"] == recall_score(y, pred, pos_label=0)
    assert summary["f1"] == f1_score(y, pred)
    assert summary["f_beta"] == fbeta_score(y, pred, beta=2.0)
    assert summary["pr_auc"] == average_precision_score(y, score)
    assert summary["roc_auc"] == roc_auc_score(y, score)
    assert summary["mcc"] == matthews_corrcoef(y, pred)
    assert summary["balanced_accuracy"] == balanced_accuracy_score(y, pred)
    assert summary["cohen_kappa"] == cohen_kappa_score(y, pred)
    assert summary["g_mean"] == pytest.approx(
        np.sqrt(recall_score(y, pred) * recall_score(y, pred, pos_label=0)), rel=1e-12
    )
    n_pos = int(y.sum())
    assert summary["support"] == {0: 200 - n_pos, 1: n_pos}
    assert summary["imbalance_ratio"] == (200 - n_pos) / n_pos
    assert (summary["n_samples"], summary["labels"], summary["pos_label"]) == (200, [0, 1], 1)
    assert (summary["average"], summary["threshold"], summary["beta"]) == ("binary", 0.5, 2.0)


def test_summary_keys_are_stable_and_plain():
    y, score = _binary_scores()
    summary = imbalanced_summary(y, score)
    assert list(summary) == [
        "n_samples", "labels", "pos_label", "average", "threshold", "support",
        "imbalance_ratio", "precision", "recall", "specificity", "f1", "f_beta", "mcc",
        "balanced_accuracy", "cohen_kappa", "g_mean", "beta", "pr_auc", "roc_auc",
    ]
    json.dumps(summary)  # plain Python values only
    assert all(type(summary[key]) is float for key in ("precision", "roc_auc", "g_mean"))


def test_summary_binary_two_column_proba_equals_positive_column():
    y, score = _binary_scores(1)
    one = imbalanced_summary(y, score)
    two = imbalanced_summary(y, np.column_stack([1 - score, score]))
    assert one == two


def test_summary_binary_threshold_and_beta():
    y, score = _binary_scores(2)
    pred = (score >= 0.3).astype(int)
    summary = imbalanced_summary(y, score, threshold=0.3, beta=0.5)
    assert summary["threshold"] == 0.3
    assert summary["recall"] == recall_score(y, pred)
    assert summary["f_beta"] == fbeta_score(y, pred, beta=0.5)
    assert summary["beta"] == 0.5


def test_summary_binary_decision_function_and_string_labels():
    y, score = _binary_scores(3)
    names = np.array(["common", "rare"])
    decision = 4 * score - 2  # outside [0, 1]: a decision function, threshold 0
    summary = imbalanced_summary(names[y], decision, threshold=0.0)
    pred = names[(decision >= 0).astype(int)]
    assert summary["pos_label"] == "rare"
    assert summary["support"] == {"common": int((y == 0).sum()), "rare": int(y.sum())}
    assert summary["precision"] == precision_score(names[y], pred, pos_label="rare")
    assert summary["roc_auc"] == roc_auc_score(y, decision)


def test_summary_binary_pos_label_chooses_the_class():
    y, score = _binary_scores(4)
    summary = imbalanced_summary(y, np.column_stack([1 - score, score]), pos_label=0)
    pred = np.where(1 - score >= 0.5, 0, 1)
    assert summary["pos_label"] == 0
    assert summary["recall"] == recall_score(y, pred, pos_label=0)
    assert summary["roc_auc"] == pytest.approx(roc_auc_score(y == 0, 1 - score), rel=1e-12)


@pytest.mark.parametrize("average", ["macro", "weighted", "micro"])
def test_summary_binary_averaged_equals_scikit_learn(average):
    y, score = _binary_scores(5)
    pred = (score >= 0.5).astype(int)
    summary = imbalanced_summary(y, score, average=average)
    indicator = np.column_stack([1 - y, y])
    proba = np.column_stack([1 - score, score])
    assert summary["average"] == average
    assert summary["precision"] == precision_score(y, pred, average=average)
    assert summary["specificity"] == specificity_score(y, pred, average=average)
    assert summary["pr_auc"] == pytest.approx(
        average_precision_score(indicator, proba, average=average), rel=1e-12)
    assert summary["roc_auc"] == pytest.approx(
        roc_auc_score(indicator, proba, average=average), rel=1e-12)


def test_summary_sample_weight_reaches_every_metric():
    y, score = _binary_scores(6)
    weight = np.random.RandomState(6).rand(200)
    pred = (score >= 0.5).astype(int)
    summary = imbalanced_summary(y, score, sample_weight=weight)
    assert summary["precision"] == precision_score(y, pred, sample_weight=weight)
    assert summary["roc_auc"] == roc_auc_score(y, score, sample_weight=weight)
    assert summary["pr_auc"] == average_precision_score(y, score, sample_weight=weight)
    assert summary["mcc"] == matthews_corrcoef(y, pred, sample_weight=weight)
    assert summary["g_mean"] == geometric_mean_score(y, pred, sample_weight=weight)


def test_summary_predictions_only_gives_nan_ranking_metrics():
    y, score = _binary_scores(7)
    pred = (score >= 0.5).astype(int)
    summary = imbalanced_summary(y, y_pred=pred)
    assert np.isnan(summary["pr_auc"]) and np.isnan(summary["roc_auc"])
    assert summary["threshold"] is None
    assert summary["precision"] == precision_score(y, pred)


def test_summary_predictions_given_with_scores_are_used_as_they_are():
    y, score = _binary_scores(8)
    pred = (score >= 0.2).astype(int)
    summary = imbalanced_summary(y, score, y_pred=pred)
    assert summary["threshold"] is None
    assert summary["recall"] == recall_score(y, pred)
    assert summary["roc_auc"] == roc_auc_score(y, score)


def test_summary_one_class_in_data_with_labels():
    summary = _quiet(imbalanced_summary, [0, 0, 0], [0.1, 0.7, 0.2], labels=[0, 1])
    assert summary["support"] == {0: 3, 1: 0}
    assert summary["imbalance_ratio"] == 1.0
    assert summary["specificity"] == pytest.approx(2 / 3)
    assert np.isnan(summary["roc_auc"])


# --- imbalanced_summary: multi-class ----------------------------------------------------


@pytest.mark.parametrize("average", ["macro", "weighted", "micro"])
def test_summary_multiclass_equals_scikit_learn(average):
    y, proba = _multiclass_scores()
    pred = proba.argmax(axis=1)
    summary = imbalanced_summary(y, proba, average=average)
    assert summary["average"] == average
    assert summary["pos_label"] is None and summary["threshold"] is None
    assert summary["precision"] == precision_score(y, pred, average=average)
    assert summary["recall"] == recall_score(y, pred, average=average)
    assert summary["f_beta"] == fbeta_score(y, pred, beta=2.0, average=average)
    assert summary["specificity"] == specificity_score(y, pred, average=average)
    assert summary["roc_auc"] == pytest.approx(
        roc_auc_score(y, proba, multi_class="ovr", average=average), rel=1e-12)
    assert summary["pr_auc"] == pytest.approx(
        average_precision_score(y, proba, average=average), rel=1e-12)
    assert summary["g_mean"] == geometric_mean_score(y, pred)
    assert summary["mcc"] == matthews_corrcoef(y, pred)
    assert summary["balanced_accuracy"] == balanced_accuracy_score(y, pred)


def test_summary_multiclass_default_average_is_macro():
    y, proba = _multiclass_scores(1)
    summary = imbalanced_summary(y, proba)
    assert summary["average"] == "macro"
    counts = np.bincount(y)
    assert summary["support"] == {0: counts[0], 1: counts[1], 2: counts[2]}
    assert summary["imbalance_ratio"] == counts.max() / counts.min()


def test_summary_multiclass_labels_name_the_columns():
    y, proba = _multiclass_scores(2)
    names = np.array(["x", "y", "z"])
    order = [2, 0, 1]
    permuted = imbalanced_summary(names[y], proba[:, order], labels=names[order])
    plain = imbalanced_summary(y, proba)
    assert permuted["labels"] == ["z", "x", "y"]
    for key in ("precision", "recall", "roc_auc", "pr_auc", "mcc", "g_mean"):
        assert permuted[key] == pytest.approx(plain[key], rel=1e-12), key


# --- imbalanced_summary: errors ---------------------------------------------------------


def test_summary_needs_scores_or_predictions():
    with pytest.raises(InvalidInputError, match="Pass y_score .* or y_pred"):
        imbalanced_summary([0, 1])


def test_summary_length_mismatch():
    with pytest.raises(LengthMismatchError, match="y_true has 3 samples but y_score has 2"):
        imbalanced_summary([0, 1, 1], [0.1, 0.2])
    with pytest.raises(LengthMismatchError, match="y_true has 3 samples but y_pred has 2"):
        imbalanced_summary([0, 1, 1], y_pred=[0, 1])


@pytest.mark.parametrize(
    "y_true, y_score, message",
    [
        ([0, 1, 2], [0.1, 0.2, 0.3], (r"shape \(3,\) but there are 3 classes: expected "
         r"\(n_samples, 3\)")),
        ([0, 1, 1], np.ones((3, 3)), (r"shape \(3, 3\) but there are 2 classes: expected "
         r"\(n_samples,\) or \(n_samples, 2\)")),
        ([0, 1, 1], np.ones((3, 2, 1)), r"shape \(3, 2, 1\)"),
    ],
)
def test_summary_score_shape_errors(y_true, y_score, message):
    with pytest.raises(InvalidInputError, match=message):
        imbalanced_summary(y_true, y_score)


def test_summary_nan_scores_fail():
    with pytest.raises(NonFiniteInputError, match=r"y_score contains NaN or infinity \(1 "):
        imbalanced_summary([0, 1, 1], [0.1, np.nan, 0.3])


def test_summary_unknown_labels_fail():
    with pytest.raises(TargetError, match=r"y_true holds labels \[2\] that are not in "
                       r"labels=\[0, 1\]"):
        imbalanced_summary([0, 1, 2], np.ones((3, 2)), labels=[0, 1])
    with pytest.raises(TargetError, match=r"y_pred holds labels \[5\]"):
        imbalanced_summary([0, 1, 1], y_pred=[0, 1, 5], labels=[0, 1])


def test_summary_average_not_allowed_lists_the_options():
    with pytest.raises(InvalidInputError, match=r"average='samples' is not supported; use one "
                       r"of \['auto', 'binary', 'macro', 'weighted', 'micro'\]"):
        imbalanced_summary([0, 1], [0.2, 0.8], average="samples")
    y, proba = _multiclass_scores(3, 30)
    with pytest.raises(InvalidInputError, match="average='binary' needs two classes; there "
                       "are 3"):
        imbalanced_summary(y, proba, average="binary")


def test_summary_pos_label_errors():
    with pytest.raises(TargetError, match=r"pos_label=7 is not one of labels=\[0, 1\]"):
        imbalanced_summary([0, 1, 1], [0.2, 0.6, 0.9], pos_label=7)
    y, proba = _multiclass_scores(4, 30)
    with pytest.raises(InvalidInputError, match="pos_label applies to two classes; there are 3"):
        imbalanced_summary(y, proba, pos_label=1)


def test_summary_single_class_without_labels_fails():
    with pytest.raises(TargetError, match=r"Only one class \(\[1\]\) in y_true and y_pred"):
        imbalanced_summary([1, 1], [0.2, 0.9])


def test_summary_option_errors():
    with pytest.raises(InvalidInputError, match="beta must be a number > 0; got 0"):
        imbalanced_summary([0, 1], [0.2, 0.8], beta=0)
    with pytest.raises(InvalidInputError, match="threshold must be a finite number; got nan"):
        imbalanced_summary([0, 1], [0.2, 0.8], threshold=float("nan"))
    with pytest.raises(TargetError, match="y_true holds continuous values"):
        imbalanced_summary([0.5, 1.5], [0.2, 0.8])


def test_summary_leaves_the_inputs_untouched():
    y, proba = _multiclass_scores(5, 60)
    weight = np.linspace(0.5, 2.0, 60)
    copies = (y.copy(), proba.copy(), weight.copy())
    imbalanced_summary(y, proba, sample_weight=weight)
    for before, after in zip(copies, (y, proba, weight)):
        np.testing.assert_array_equal(before, after)
