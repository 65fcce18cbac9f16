"""Sensitivity, specificity, G-mean, IBA and macro MAE: the reference's values, fixes, errors."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    jaccard_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from imbkit.exceptions import (
    EmptyInputError,
    ImbalanceWarning,
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    TargetError,
)
from imbkit.metrics import (
    geometric_mean_score,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    sensitivity_score,
    sensitivity_specificity_support,
    specificity_score,
)

reference = pytest.importorskip("imblearn.metrics")

AVERAGES = [None, "binary", "micro", "macro", "weighted"]


def _random_case(seed, n_classes, n_samples, strings=False, weights=False):
    """Random labels; weights of 0.5 and 1.5 summing exactly to n_samples."""
    rng = np.random.RandomState(seed)
    y_true = rng.randint(0, n_classes, n_samples)
    y_pred = np.where(rng.rand(n_samples) < 0.6, y_true, rng.randint(0, n_classes, n_samples))
    if strings:
        names = np.array(["ant", "bee", "cat", "dog", "eel"])
        y_true, y_pred = names[y_true], names[y_pred]
    sample_weight = None
    if weights:
        sample_weight = rng.permutation(np.repeat([0.5, 1.5], n_samples // 2))
    return y_true, y_pred, sample_weight


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _assert_same(ours, theirs):
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    assert len(ours) == len(theirs)
    for mine, ref in zip(ours, theirs):
        if ref is None:
            assert mine is None
        else:
            np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-15)


# --- the reference's values -------------------------------------------------------

CASES = [
    # seed, n_classes, n_samples, strings, weights
    (0, 2, 40, False, False),
    (1, 2, 40, True, True),
    (2, 3, 60, False, True),
    (3, 5, 80, True, False),
    (4, 4, 10, False, False),  # some classes missing from y_true or y_pred
    (5, 2, 6, False, True),
]
# average="binary" only where the data hold two classes
CASE_AVERAGES = [(c, a) for c in CASES for a in AVERAGES if a != "binary" or c[1] == 2]


@pytest.mark.parametrize("case, average", CASE_AVERAGES)
@pytest.mark.parametrize(
    "func", ["sensitivity_specificity_support", "sensitivity_score", "specificity_score"]
)
def test_sensitivity_specificity_matches_reference(case, average, func):
    y_true, y_pred, weight = _random_case(*case)
    pos_label = np.unique(np.r_[y_true, y_pred])[-1]
    kwargs = {"average": average, "sample_weight": weight, "pos_label": pos_label}
    if average is None:
        kwargs["pos_label"] = 1
    ours = _quiet(globals()[func], y_true, y_pred, **kwargs)
    _assert_same(ours, _quiet(getattr(reference, func), y_true, y_pred, **kwargs))


@pytest.mark.parametrize("case", CASES[2:4])
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_sensitivity_specificity_matches_reference_with_labels(case, average):
    y_true, y_pred, weight = _random_case(*case)
    present = np.unique(np.r_[y_true, y_pred])
    for labels in (present[[2, 0]], present[::-1], present[1:]):
        kwargs = {"labels": labels, "average": average, "sample_weight": weight}
        ours = _quiet(sensitivity_specificity_support, y_true, y_pred, **kwargs)
        theirs = _quiet(reference.sensitivity_specificity_support, y_true, y_pred, **kwargs)
        _assert_same(ours, theirs)


@pytest.mark.parametrize("average", [None, "macro", "micro"])
def test_specificity_labels_absent_from_data(average):
    # the reference's own example: classes 0 and 4 appear nowhere
    kwargs = {"labels": [0, 1, 2, 3, 4], "average": average}
    ours = specificity_score([1, 3, 3, 2], [1, 1, 3, 2], **kwargs)
    _assert_same(ours, reference.specificity_score([1, 3, 3, 2], [1, 1, 3, 2], **kwargs))


@pytest.mark.parametrize(
    "case, average", CASE_AVERAGES + [(case, "multiclass") for case in CASES]
)
def test_geometric_mean_matches_reference(case, average):
    y_true, y_pred, weight = _random_case(*case)
    present = np.unique(np.r_[y_true, y_pred])
    kwargs = {"average": average, "sample_weight": weight, "pos_label": present[-1]}
    if average in (None, "multiclass"):
        kwargs["pos_label"] = 1
    ours = _quiet(geometric_mean_score, y_true, y_pred, **kwargs)
    _assert_same(ours, _quiet(reference.geometric_mean_score, y_true, y_pred, **kwargs))


@pytest.mark.parametrize("correction", [0.0, 0.001, 0.5])
@pytest.mark.parametrize("labels", [None, [2, 0, 3], [0, 1, 2, 3, 7]])
def test_geometric_mean_correction_and_labels_match_reference(correction, labels):
    y_true, y_pred, weight = _random_case(4, 4, 10, weights=True)
    kwargs = {"labels": labels, "correction": correction, "sample_weight": weight}
    ours = _quiet(geometric_mean_score, y_true, y_pred, **kwargs)
    _assert_same(ours, _quiet(reference.geometric_mean_score, y_true, y_pred, **kwargs))


def test_geometric_mean_multiclass_known_values():
    y_true, y_pred = [0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]
    assert geometric_mean_score(y_true, y_pred) == 0.0
    assert geometric_mean_score(y_true, y_pred, correction=0.001) == pytest.approx(
        (1.0 * 0.001 * 0.001) ** (1 / 3)
    )
    # two classes: the square root of sensitivity times specificity
    assert geometric_mean_score([0, 0, 1, 1], [0, 1, 1, 1]) == pytest.approx(np.sqrt(0.5))


def test_sensitivity_specificity_known_binary_values():
    y_true, y_pred = [0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 1, 0]
    sen, spe, sup = sensitivity_specificity_support(y_true, y_pred)
    np.testing.assert_allclose(sen, [3 / 4, 2 / 3])
    np.testing.assert_allclose(spe, [2 / 3, 3 / 4])
    np.testing.assert_array_equal(sup, [4, 3])
    assert sensitivity_score(y_true, y_pred) == pytest.approx(2 / 3)
    assert specificity_score(y_true, y_pred) == pytest.approx(3 / 4)
    assert specificity_score(y_true, y_pred, pos_label=0) == pytest.approx(2 / 3)


# --- deliberate differences from imbalanced-learn --------------------------------


def test_weighted_specificity_equals_repeated_rows():
    y_true, y_pred, _ = _random_case(7, 3, 30)
    weight = np.random.RandomState(7).randint(1, 4, 30)
    ours = sensitivity_specificity_support(y_true, y_pred, sample_weight=weight)
    repeated = sensitivity_specificity_support(
        np.repeat(y_true, weight), np.repeat(y_pred, weight)
    )
    _assert_same(ours, repeated)
    # the reference counts rows, not weights, for the true negatives
    _, theirs, _ = reference.sensitivity_specificity_support(
        y_true, y_pred, sample_weight=weight
    )
    assert not np.allclose(theirs, ours[1])


def test_weighted_specificity_has_no_rounding_residue():
    # weights summing to 4 - 4e-16: the reference finds 1.0 for class 3
    y_true, y_pred = [3, 3, 3, 3], [3, 0, 2, 1]
    weight = np.array([1.2, 1.2, 1.2, 0.4])
    with pytest.warns(UndefinedMetricWarning, match="Specificity is ill-defined"):
        spe = specificity_score(y_true, y_pred, average=None, sample_weight=weight)
    np.testing.assert_array_equal(spe, [0.7, 0.9, 0.7, 0.0])
    theirs = _quiet(reference.specificity_score, y_true, y_pred, average=None,
                    sample_weight=weight)
    assert theirs[3] == 1.0


def test_binary_without_positive_class_follows_scikit_learn():
    with pytest.warns(UndefinedMetricWarning, match="Sensitivity is ill-defined"):
        sen, spe, sup = sensitivity_specificity_support([0, 0, 0], [0, 0, 0], average="binary")
    assert (sen, spe, sup) == (0.0, 1.0, None)
    assert reference.sensitivity_specificity_support(
        [0, 0, 0], [0, 0, 0], average="binary"
    ) == (0.0, 0.0, 0)
    # every sample positive and predicted so: the reference's values
    with pytest.warns(UndefinedMetricWarning, match="Specificity is ill-defined"):
        assert specificity_score([1, 1], [1, 1]) == 0.0
    assert sensitivity_score([1, 1], [1, 1]) == 1.0


# --- zero_division and warnings -----------------------------------------------------


@pytest.mark.parametrize("zero_division, expected", [(0.0, 0.0), (1.0, 1.0), (1, 1.0)])
def test_zero_division_sets_undefined_values_silently(zero_division, expected):
    y_true, y_pred = [0, 0, 1, 1], [0, 2, 1, 1]  # class 2 has no true sample
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sen = sensitivity_score(y_true, y_pred, average=None, zero_division=zero_division)
    np.testing.assert_array_equal(sen, [0.5, 1.0, expected])


def test_zero_division_nan_propagates_to_the_average():
    sen = sensitivity_score([0, 0, 1, 1], [0, 2, 1, 1], average="macro", zero_division=np.nan)
    assert np.isnan(sen)


def test_zero_division_warn_message_names_the_metric():
    with pytest.warns(UndefinedMetricWarning, match="Sensitivity is ill-defined and being set "
                      "to 0.0 in labels with no true samples"):
        sensitivity_score([0, 0, 1, 1], [0, 2, 1, 1], average=None)


def test_zero_division_rejects_unknown_values():
    with pytest.raises(InvalidInputError, match=r"zero_division=2 is not supported; use 'warn'"):
        sensitivity_score([0, 1], [0, 1], zero_division=2)


def test_weighted_average_without_support_returns_zero_division():
    sen, spe, sup = sensitivity_specificity_support(
        [0, 0], [0, 1], labels=[5], average="weighted", zero_division=1.0
    )
    assert (sen, spe, sup) == (1.0, 1.0, None)


def test_pos_label_ignored_outside_binary_warns():
    with pytest.warns(ImbalanceWarning, match=r"You may use labels=\[pos_label\]"):
        sensitivity_specificity_support([1, 2, 1], [1, 2, 2], pos_label=2, average="macro")


# --- errors ---------------------------------------------------------------------------


def test_average_not_allowed_lists_the_options():
    with pytest.raises(InvalidInputError, match=r"average='mega' is not supported; use one of "
                       r"\[None, 'binary', 'micro', 'macro', 'weighted', 'samples'\]"):
        sensitivity_specificity_support([0, 1, 2], [1, 2, 0], average="mega")
    with pytest.raises(InvalidInputError, match="'multiclass'"):
        geometric_mean_score([0, 1], [0, 1], average="mega")


def test_average_samples_is_refused_for_single_label_targets():
    with pytest.raises(InvalidInputError, match="average='samples' averages over the labels"):
        specificity_score([0, 1, 1], [0, 1, 0], average="samples")


def test_binary_average_on_multiclass_target_fails():
    with pytest.raises(TargetError, match="Target is multiclass but average='binary'"):
        sensitivity_score([0, 1, 2], [0, 1, 2])


def test_pos_label_not_in_binary_data_fails():
    with pytest.raises(TargetError, match=r"pos_label=2 is not a valid label: the labels are "
                       r"\[0, 1\]"):
        sensitivity_score([0, 1, 1], [0, 1, 0], pos_label=2)


def test_length_mismatch_fails():
    with pytest.raises(LengthMismatchError, match="y_true has 3 samples but y_pred has 2"):
        specificity_score([0, 1, 1], [0, 1])


def test_multilabel_and_continuous_targets_fail():
    indicator = np.array([[1, 0], [0, 1], [1, 1]])
    with pytest.raises(TargetError, match="multilabel indicator matrix"):
        sensitivity_score(indicator, indicator)
    with pytest.raises(TargetError, match="y_pred holds continuous values, not class labels"):
        specificity_score([0, 1, 1], [0.2, 0.7, 0.9])


def test_mixed_label_types_fail():
    with pytest.raises(TargetError, match="Mix of label input types"):
        sensitivity_score([0, 1], ["a", "b"])


def test_empty_targets_fail():
    with pytest.raises(EmptyInputError, match="y_true and y_pred are empty"):
        geometric_mean_score([], [])


def test_sample_weight_checks():
    with pytest.raises(LengthMismatchError, match=r"sample_weight has shape \(2,\) but y_true "
                       "has 3 samples"):
        sensitivity_score([0, 1, 1], [0, 1, 0], sample_weight=[1, 2])
    with pytest.raises(NonFiniteInputError, match="sample_weight contains NaN"):
        sensitivity_score([0, 1, 1], [0, 1, 0], sample_weight=[1, np.nan, 1])


def test_labels_of_another_type_fail():
    with pytest.raises(InvalidInputError, match=r"cannot be compared with the classes"):
        sensitivity_score([0, 1, 2], [0, 1, 1], labels=[None, 1], average="macro")


def test_geometric_mean_negative_correction_fails():
    with pytest.raises(InvalidInputError, match="correction must be a number >= 0; got -0.1"):
        geometric_mean_score([0, 1], [0, 1], correction=-0.1)


# --- index balanced accuracy ------------------------------------------------------------


@pytest.mark.parametrize("alpha, squared", [(0.1, True), (0.5, False), (0.0, True)])
@pytest.mark.parametrize("average", [None, "macro", "weighted", "micro", "multiclass"])
def test_iba_of_geometric_mean_matches_reference(alpha, squared, average):
    y_true, y_pred, _ = _random_case(11, 3, 50)
    ours = make_index_balanced_accuracy(alpha=alpha, squared=squared)(geometric_mean_score)
    theirs = reference.make_index_balanced_accuracy(alpha=alpha, squared=squared)(
        reference.geometric_mean_score
    )
    _assert_same(_quiet(ours, y_true, y_pred, average=average),
                 _quiet(theirs, y_true, y_pred, average=average))


@pytest.mark.parametrize("score", [accuracy_score, jaccard_score, precision_score, recall_score])
def test_iba_of_scikit_learn_metrics_matches_reference(score):
    y_true, y_pred, _ = _random_case(12, 2, 50)
    ours = make_index_balanced_accuracy(alpha=0.5, squared=True)(score)(y_true, y_pred)
    theirs = reference.make_index_balanced_accuracy(alpha=0.5, squared=True)(score)(
        y_true, y_pred
    )
    assert ours == pytest.approx(theirs, rel=1e-12)


def test_iba_binary_value_by_hand():
    y_true, y_pred = [1, 0, 0, 1, 0, 1], [0, 0, 1, 1, 0, 1]
    iba = make_index_balanced_accuracy(alpha=0.1, squared=True)(geometric_mean_score)
    tpr, tnr = 2 / 3, 2 / 3
    assert iba(y_true, y_pred, average="binary") == pytest.approx(tpr * tnr)
    y_pred = [1, 0, 0, 1, 1, 1]  # tpr 1, tnr 2/3
    assert iba(y_true, y_pred, average="binary") == pytest.approx((1 + 0.1 / 3) * 2 / 3)


@pytest.mark.parametrize("score", [average_precision_score, roc_auc_score])
def test_iba_refuses_score_metrics(score):
    with pytest.raises(TypeError, match="takes scores or probabilities"):
        make_index_balanced_accuracy()(score)


def test_iba_parameter_checks():
    with pytest.raises(InvalidInputError, match="alpha must be a real number; got 'a'"):
        make_index_balanced_accuracy(alpha="a")
    with pytest.raises(InvalidInputError, match="squared must be True or False; got 1"):
        make_index_balanced_accuracy(squared=1)


def test_iba_keeps_the_wrapped_name():
    iba = make_index_balanced_accuracy()(geometric_mean_score)
    assert iba.__name__ == "geometric_mean_score"


# --- macro-averaged mean absolute error ---------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weighted", [False, True])
def test_macro_mae_matches_reference(seed, weighted):
    rng = np.random.RandomState(seed)
    y_true = rng.randint(0, 4, 40)
    y_pred = np.clip(y_true + rng.randint(-1, 2, 40), 0, 3)
    weight = rng.rand(40) if weighted else None
    ours = macro_averaged_mean_absolute_error(y_true, y_pred, sample_weight=weight)
    theirs = reference.macro_averaged_mean_absolute_error(y_true, y_pred, sample_weight=weight)
    assert ours == pytest.approx(theirs, rel=1e-12)


def test_macro_mae_prediction_outside_true_classes():
    # the reference fails here: class 3 is predicted but never true
    assert macro_averaged_mean_absolute_error([1, 1, 2], [1, 3, 2]) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        reference.macro_averaged_mean_absolute_error([1, 1, 2], [1, 3, 2])


def test_macro_mae_errors():
    with pytest.raises(TargetError, match="ordinal classes coded as numbers"):
        macro_averaged_mean_absolute_error(["a", "b"], ["a", "a"])
    with pytest.raises(InvalidInputError, match="class 2 have a total weight of 0"):
        macro_averaged_mean_absolute_error([1, 2], [1, 1], sample_weight=[1.0, 0.0])
