"""Prior correction: the formula (Saerens; Dal Pozzolo), the wrapper, Brier scores, errors."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from imbkit.base import FunctionSampler
from imbkit.decision import PriorCorrectedClassifier, correct_priors
from imbkit.exceptions import InvalidInputError, NonFiniteInputError
from imbkit.over_sampling import SMOTE
from imbkit.under_sampling import RandomUnderSampler


def test_correct_priors_values_and_normalisation():
    proba = np.array([[0.5, 0.5], [0.2, 0.8], [1.0, 0.0]])
    got = correct_priors(proba, [0.5, 0.5], [0.9, 0.1])
    expected = np.array([[0.9, 0.1], [0.18 / 0.26, 0.08 / 0.26], [1.0, 0.0]])
    np.testing.assert_allclose(got, expected, rtol=1e-15)
    # counts work as priors: only proportions matter
    np.testing.assert_allclose(correct_priors(proba, [50, 50], [900, 100]), expected)


def test_correct_priors_equals_dal_pozzolo_undersampling_formula():
    rng = np.random.RandomState(0)
    p_s = rng.uniform(size=50)
    n_pos, n_neg = 30, 970
    beta = n_pos / n_neg  # share of the majority kept to balance the classes
    expected = beta * p_s / (beta * p_s - p_s + 1)
    got = correct_priors(np.column_stack([1 - p_s, p_s]), [0.5, 0.5], [n_neg, n_pos])
    np.testing.assert_allclose(got[:, 1], expected, rtol=1e-12)


def test_correct_priors_multiclass_identity_and_dtype():
    proba = np.array([[0.2, 0.3, 0.5]], dtype=np.float32)
    same = correct_priors(proba, [1, 2, 3], [2, 4, 6])
    assert same.dtype == np.float32
    np.testing.assert_allclose(same, proba, rtol=1e-6)
    assert correct_priors([[1, 0]], [1, 1], [1, 1]).dtype == np.float64


@pytest.mark.parametrize(
    "proba, train, true, error, message",
    [
        ([0.5, 0.5], [1, 1], [1, 1], InvalidInputError, r"proba must be 2-D"),
        ([[0.5, 0.5]], [1, 1, 1], [1, 1], InvalidInputError,
         r"train_priors must have one entry per class \(2\), got shape \(3,\)"),
        ([[0.5, 0.5]], [1, 1], [1, 0], InvalidInputError,
         r"true_priors must be > 0 for every class, got \[1.0, 0.0\]"),
        ([[0.5, 0.5]], [1, np.nan], [1, 1], NonFiniteInputError,
         "train_priors contains NaN or infinity"),
    ],
)
def test_correct_priors_errors(proba, train, true, error, message):
    with pytest.raises(error, match=message):
        correct_priors(proba, train, true)


def _imbalanced(seed=0, n=3000):
    X, y = make_classification(
        n_samples=n, n_features=8, n_informative=4, weights=[0.95], flip_y=0.02,
        class_sep=0.8, random_state=seed,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=seed)


def test_prior_corrected_classifier_attributes_and_proba():
    X_tr, _, y_tr, _ = _imbalanced()
    clf = PriorCorrectedClassifier(LogisticRegression(), RandomUnderSampler(random_state=0))
    clf.fit(X_tr, y_tr)
    assert clf.classes_.tolist() == [0, 1]
    assert clf.train_priors_.tolist() == [0.5, 0.5]
    np.testing.assert_allclose(clf.true_priors_, np.bincount(y_tr) / y_tr.size)
    assert clf.n_features_in_ == 8
    raw = clf.estimator_.predict_proba(X_tr[:20])
    np.testing.assert_allclose(
        clf.predict_proba(X_tr[:20]), correct_priors(raw, [0.5, 0.5], clf.true_priors_)
    )
    assert np.array_equal(clf.predict(X_tr[:20]), clf.predict_proba(X_tr[:20]).argmax(1))
    np.testing.assert_allclose(
        clf.predict_log_proba(X_tr[:5]), np.log(clf.predict_proba(X_tr[:5]))
    )
    assert clf.sampler_ is not clf.sampler and not hasattr(clf.sampler, "sampling_strategy_")


@pytest.mark.parametrize(
    "sampler",
    [RandomUnderSampler(random_state=0), SMOTE(random_state=0)],
    ids=["under", "smote"],
)
def test_prior_corrected_classifier_lowers_brier_score(sampler):
    X_tr, X_te, y_tr, y_te = _imbalanced(seed=1)
    clf = PriorCorrectedClassifier(LogisticRegression(max_iter=1000), sampler)
    clf.fit(X_tr, y_tr)
    uncorrected = brier_score_loss(y_te, clf.estimator_.predict_proba(X_te)[:, 1])
    corrected = brier_score_loss(y_te, clf.predict_proba(X_te)[:, 1])
    assert corrected < 0.5 * uncorrected


def test_prior_corrected_classifier_true_priors_dict_and_array():
    X_tr, X_te, y_tr, _ = _imbalanced()
    sampler = RandomUnderSampler(random_state=0)
    by_dict = PriorCorrectedClassifier(
        LogisticRegression(), sampler, true_priors={0: 0.99, 1: 0.01}
    ).fit(X_tr, y_tr)
    by_array = PriorCorrectedClassifier(
        LogisticRegression(), sampler, true_priors=[99, 1]
    ).fit(X_tr, y_tr)
    np.testing.assert_allclose(by_dict.true_priors_, [0.99, 0.01])
    np.testing.assert_allclose(by_dict.predict_proba(X_te), by_array.predict_proba(X_te))


def test_prior_corrected_classifier_strings_and_pandas():
    X_tr, X_te, y_tr, _ = _imbalanced()
    columns = [f"f{i}" for i in range(8)]
    X_df = pd.DataFrame(X_tr, columns=columns)
    y_str = np.where(y_tr == 1, "rare", "common")
    clf = PriorCorrectedClassifier(LogisticRegression(), RandomUnderSampler(random_state=0))
    clf.fit(X_df, pd.Series(y_str))
    assert clf.classes_.tolist() == ["common", "rare"]
    assert clf.feature_names_in_.tolist() == columns
    assert set(clf.predict(pd.DataFrame(X_te, columns=columns))) <= {"common", "rare"}
    assert clone(clf).get_params()["true_priors"] is None


def test_prior_corrected_classifier_errors():
    X_tr, _, y_tr, _ = _imbalanced(n=400)
    with pytest.raises(InvalidInputError, match="needs class probabilities, but SVC has no"):
        PriorCorrectedClassifier(SVC(), RandomUnderSampler()).fit(X_tr, y_tr)
    with pytest.raises(ValueError, match="'sampler' parameter of PriorCorrectedClassifier"):
        PriorCorrectedClassifier(LogisticRegression(), LogisticRegression()).fit(X_tr, y_tr)
    with pytest.raises(InvalidInputError, match=r"missing \[1\], unknown \[2\]"):
        PriorCorrectedClassifier(
            LogisticRegression(), RandomUnderSampler(), true_priors={0: 0.5, 2: 0.5}
        ).fit(X_tr, y_tr)
    drop_minority = FunctionSampler(func=lambda X, y: (X[y == 0], y[y == 0]))
    with pytest.raises(InvalidInputError, match=r"removed every sample of class\(es\) \[1\]"):
        PriorCorrectedClassifier(LogisticRegression(), drop_minority).fit(X_tr, y_tr)
