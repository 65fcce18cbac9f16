"""FocalLGBMClassifier / FocalXGBClassifier: equivalence, containers, weights, errors."""

import pickle

import numpy as np
import pytest
from scipy.special import expit, softmax
from sklearn.datasets import make_classification

lgb = pytest.importorskip("lightgbm")

from imbkit.exceptions import (
    InvalidInputError,
    LengthMismatchError,
    TargetError,
)
from imbkit.gbdt import FocalLGBMClassifier, FocalXGBClassifier
from imbkit.utils._compat import InvalidParameterError


def _classifiers():
    out = [FocalLGBMClassifier]
    try:
        import xgboost  # noqa: F401
    except ImportError:
        return out
    return out + [FocalXGBClassifier]


CLASSIFIERS = _classifiers()


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=500, n_features=6, weights=[0.9], random_state=0)


@pytest.fixture(scope="module")
def data3():
    return make_classification(n_samples=450, n_features=6, n_informative=4, n_classes=3,
                               weights=[0.7, 0.2], random_state=0)


def test_focal_lgbm_classifier_gamma_zero_equals_builtin_lgbm(data):
    X, y = data
    params = {"n_estimators": 40, "num_leaves": 7, "learning_rate": 0.2, "n_jobs": 1}
    ref = lgb.LGBMClassifier(objective="binary", verbose=-1, **params).fit(X, y)
    ours = FocalLGBMClassifier(gamma=0.0, alpha=None, **params).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-6)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_focal_xgb_classifier_gamma_zero_equals_builtin_xgb(data):
    xgb = pytest.importorskip("xgboost")
    X, y = data
    params = {"n_estimators": 40, "max_depth": 3, "learning_rate": 0.3, "n_jobs": 1}
    ref = xgb.XGBClassifier(objective="binary:logistic", base_score=y.mean(), **params)
    ref.fit(X, y)
    ours = FocalXGBClassifier(gamma=0.0, alpha=None, **params).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-6)


def test_focal_lgbm_classifier_alpha_equals_class_sample_weights(data):
    # Not for XGBoost: its histogram cuts are weighted quantiles, so sample
    # weights also move the bins, which alpha does not.
    cls = FocalLGBMClassifier
    X, y = data
    with_alpha = cls(gamma=2.0, alpha=0.25, n_estimators=20, n_jobs=1).fit(X, y)
    weights = np.where(y == 1, 0.25, 0.75)
    with_weights = cls(gamma=2.0, n_estimators=20, n_jobs=1).fit(X, y, sample_weight=weights)
    assert with_alpha.init_score_ == with_weights.init_score_
    np.testing.assert_allclose(with_alpha.decision_function(X),
                               with_weights.decision_function(X), rtol=0, atol=1e-9)


@pytest.mark.parametrize("cls", CLASSIFIERS)
def test_focal_classifier_proba_is_link_of_margin(cls, data, data3):
    X, y = data
    clf = cls(n_estimators=15, n_jobs=1, random_state=0).fit(X, y)
    margin = clf.decision_function(X)
    assert margin.shape == (500,)
    np.testing.assert_allclose(clf.predict_proba(X), np.column_stack([expit(-margin),
                                                                     expit(margin)]))
    np.testing.assert_array_equal(clf.predict(X), (margin > 0).astype(int))
    X3, y3 = data3
    clf3 = cls(n_estimators=15, alpha=[1.0, 2.0, 4.0], n_jobs=1, random_state=0).fit(X3, y3)
    assert clf3.init_score_.shape == (3,) and clf3.n_classes_ == 3
    np.testing.assert_allclose(clf3.predict_proba(X3), softmax(clf3.decision_function(X3), 1))
    assert np.mean(clf3.predict(X3) == y3) > 0.9


@pytest.mark.parametrize("cls", CLASSIFIERS)
def test_focal_classifier_string_labels_and_pandas(cls, data):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    labels = np.where(y == 1, "rare", "common")
    on_frame = cls(n_estimators=15, n_jobs=1, random_state=0).fit(frame, pd.Series(labels))
    on_array = cls(n_estimators=15, n_jobs=1, random_state=0).fit(X, y)
    assert on_frame.classes_.tolist() == ["common", "rare"]
    assert on_frame.feature_names_in_.tolist() == ["f0", "f1", "f2", "f3", "f4", "f5"]
    np.testing.assert_array_equal(on_frame.predict(frame),
                                  np.where(on_array.predict(X) == 1, "rare", "common"))
    np.testing.assert_allclose(on_frame.predict_proba(frame), on_array.predict_proba(X))


@pytest.mark.parametrize("cls", CLASSIFIERS)
def test_focal_classifier_does_not_mutate_sample_weight_and_uses_it(cls, data):
    X, y = data
    weights = np.linspace(0.1, 2.0, y.size)
    before = weights.copy()
    weighted = cls(n_estimators=10, n_jobs=1).fit(X, y, sample_weight=weights)
    plain = cls(n_estimators=10, n_jobs=1).fit(X, y)
    np.testing.assert_array_equal(weights, before)
    assert not np.allclose(weighted.decision_function(X), plain.decision_function(X))


@pytest.mark.parametrize("cls", CLASSIFIERS)
def test_focal_classifier_random_state_fixes_subsampling(cls, data):
    X, y = data
    extra = {"subsample_freq": 1} if cls is FocalLGBMClassifier else {}
    make = lambda seed: cls(n_estimators=10, subsample=0.5, n_jobs=1,
                            random_state=seed, **extra).fit(X, y)
    np.testing.assert_array_equal(make(3).decision_function(X), make(3).decision_function(X))
    assert not np.array_equal(make(3).decision_function(X), make(4).decision_function(X))


@pytest.mark.parametrize("cls", CLASSIFIERS)
def test_focal_classifier_pickles(cls, data):
    X, y = data
    clf = cls(n_estimators=10, n_jobs=1).fit(X, y)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(X),
                                  clf.predict_proba(X))


@pytest.mark.parametrize("cls", CLASSIFIERS)
def test_focal_classifier_prints_nothing(cls, data, capfd):
    X, y = data
    cls(n_estimators=5, n_jobs=1).fit(X[:30], y[:30]).predict(X)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_focal_lgbm_classifier_without_usable_feature_predicts_init_score():
    X = np.ones((40, 2))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    clf = FocalLGBMClassifier(gamma=0.0, n_jobs=1).fit(X, y)
    assert clf.booster_ is None
    assert clf.init_score_ == pytest.approx(np.log(10 / 30), abs=1e-12)
    np.testing.assert_allclose(clf.predict_proba(X[:2]), [[0.75, 0.25], [0.75, 0.25]])


@pytest.mark.parametrize("cls", CLASSIFIERS)
def test_focal_classifier_errors(cls, data, data3):
    X, y = data
    with pytest.raises(TargetError, match=r"y has 1 class \(0\); a classifier needs at least"):
        cls().fit(X[:10], np.zeros(10, int))
    with pytest.raises(TargetError, match="Unknown label type: 'continuous'"):
        cls().fit(X, np.linspace(0, 1, y.size))
    with pytest.raises(InvalidInputError, match="only has a meaning for two classes"):
        cls(alpha=0.25).fit(*data3)
    with pytest.raises(InvalidInputError, match=r"booster_params may not set \['objective'\]"):
        cls(booster_params={"objective": "binary"}).fit(X, y)
    with pytest.raises(LengthMismatchError, match=r"sample_weight has shape \(3,\) but X has 500"):
        cls().fit(X, y, sample_weight=[1.0, 2.0, 3.0])
    with pytest.raises(InvalidInputError, match="sample_weight must be finite and non-negative"):
        cls().fit(X, y, sample_weight=-np.ones(y.size))
    with pytest.raises(InvalidParameterError, match="The 'gamma' parameter"):
        cls(gamma=-1.0).fit(X, y)


def test_focal_lgbm_classifier_in_imbkit_pipeline(data):
    from imbkit.pipeline import make_pipeline
    from imbkit.under_sampling import RandomUnderSampler

    X, y = data
    pipe = make_pipeline(RandomUnderSampler(random_state=0),
                         FocalLGBMClassifier(n_estimators=10, min_child_samples=5, n_jobs=1))
    pipe.fit(X, y)
    assert pipe.predict_proba(X).shape == (500, 2)
    # trained on the balanced sample: its constant starts from a 50/50 share
    assert pipe[-1].init_score_ == pytest.approx(0.0, abs=1e-12)


def test_focal_lgbm_classifier_runs_in_compare(data):
    pytest.importorskip("pandas")
    from imbkit.compare import compare_strategies

    X, y = data
    result = compare_strategies(X, y, ["lgbm+focal"], cv=2, n_repeats=1, progress=False,
                                on_error="raise")
    assert result.notes == []
    assert result.strategies == ["lgbm+focal"] and result.recommended == "lgbm+focal"
    scores = result.fold_scores("pr_auc")["lgbm+focal"]
    assert scores.shape == (2,) and np.all((scores > 0.5) & (scores <= 1.0))
