"""Focal objectives inside lightgbm.train / xgboost.train, and the lazy imports."""

import importlib
import pickle
import sys

import numpy as np
import pytest
from sklearn.datasets import make_classification

lgb = pytest.importorskip("lightgbm")

from imbkit.exceptions import MissingExtraError
from imbkit.gbdt import (
    binary_focal_grad_hess,
    focal_init_score,
    lgb_focal_objective,
    multiclass_focal_grad_hess,
    xgb_focal_objective,
)

INSTALL = 'pip install "imbkit[gbdt]"'


@pytest.fixture(scope="module")
def binary_data():
    X, y = make_classification(n_samples=600, n_features=8, weights=[0.9], random_state=0)
    weight = np.random.RandomState(0).uniform(0.5, 2.0, y.size)
    return X, y, weight


def _lgb_pair(X, y, weight, rounds=30):
    base = {"num_leaves": 15, "learning_rate": 0.1, "verbosity": -1, "num_threads": 1}
    ref = lgb.train({**base, "objective": "binary"}, lgb.Dataset(X, y, weight=weight),
                    num_boost_round=rounds)
    init = focal_init_score(y, gamma=0.0, sample_weight=weight)
    train = lgb.Dataset(X, y, weight=weight, init_score=np.full(y.size, init))
    ours = lgb.train({**base, "objective": lgb_focal_objective(gamma=0.0)}, train,
                     num_boost_round=rounds)
    return ref.predict(X, raw_score=True), ours.predict(X, raw_score=True) + init


@pytest.mark.parametrize("weighted", [False, True])
def test_lgb_focal_objective_gamma_zero_equals_builtin_binary(binary_data, weighted):
    X, y, weight = binary_data
    ref, ours = _lgb_pair(X, y, weight if weighted else None)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-6)


@pytest.mark.parametrize("weighted", [False, True])
def test_xgb_focal_objective_gamma_zero_equals_builtin_binary(binary_data, weighted):
    xgb = pytest.importorskip("xgboost")
    X, y, weight = binary_data
    weight = weight if weighted else None
    share = np.average(y, weights=weight)
    base = {"tree_method": "hist", "max_depth": 4, "eta": 0.3, "nthread": 1}
    ref = xgb.train({**base, "objective": "binary:logistic", "base_score": share},
                    xgb.DMatrix(X, y, weight=weight), num_boost_round=30)
    init = focal_init_score(y, gamma=0.0, sample_weight=weight)
    assert init == pytest.approx(np.log(share / (1 - share)), abs=1e-12)
    train = xgb.DMatrix(X, y, weight=weight, base_margin=np.full(y.size, init))
    ours = xgb.train({**base, "base_score": 0.0}, train, num_boost_round=30,
                     obj=xgb_focal_objective(gamma=0.0))
    margin = ours.predict(xgb.DMatrix(X), output_margin=True) + init
    # XGBoost predicts in float32: 1e-6 is its resolution on probabilities
    np.testing.assert_allclose(1 / (1 + np.exp(-margin)), ref.predict(xgb.DMatrix(X)),
                               rtol=0, atol=1e-6)


def test_lgb_focal_objective_applies_dataset_weights(binary_data):
    X, y, weight = binary_data
    margin = np.linspace(-2, 2, y.size)
    objective = lgb_focal_objective(gamma=2.0, alpha=0.25)
    grad, hess = objective(margin, lgb.Dataset(X, y, weight=weight))
    expected = binary_focal_grad_hess(y, margin, gamma=2.0, alpha=0.25, sample_weight=weight)
    np.testing.assert_array_equal(grad, expected[0])
    np.testing.assert_array_equal(hess, expected[1])


def test_lgb_focal_objective_multiclass_shapes_and_values():
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4,
                               weights=[0.7, 0.2], random_state=0)
    objective = lgb_focal_objective(gamma=1.0, alpha=[1.0, 2.0, 3.0])
    margins = np.random.RandomState(0).randn(y.size, 3)
    grad, hess = objective(margins, lgb.Dataset(X, y, params={"verbosity": -1}).construct())
    expected = multiclass_focal_grad_hess(y, margins, gamma=1.0, alpha=[1.0, 2.0, 3.0])
    np.testing.assert_array_equal(grad, expected[0])
    np.testing.assert_array_equal(hess, expected[1])
    init = focal_init_score(y, 3, gamma=1.0, alpha=[1.0, 2.0, 3.0])
    train = lgb.Dataset(X, y, init_score=np.tile(init, (y.size, 1)))
    booster = lgb.train({"objective": objective, "num_class": 3, "verbosity": -1,
                         "num_threads": 1}, train, num_boost_round=20)
    raw = booster.predict(X, raw_score=True) + init
    assert raw.shape == (300, 3)
    assert np.mean(raw.argmax(axis=1) == y) > 0.9


def test_focal_objective_pickles_and_repr():
    objective = xgb_focal_objective(gamma=1.5, alpha=0.3, hessian_floor=1e-6)
    clone = pickle.loads(pickle.dumps(objective))
    assert repr(clone) == "FocalObjective(gamma=1.5, alpha=0.3, hessian_floor=1e-06)"


def test_focal_objective_rejects_bad_alpha_at_creation():
    with pytest.raises(ValueError, match="finite non-negative class weights"):
        lgb_focal_objective(alpha=[1.0, -2.0])


def _reimport_gbdt(monkeypatch, missing):
    """Import a fresh imbkit.gbdt as if the ``missing`` libraries were not installed."""
    import imbkit
    import imbkit.gbdt

    monkeypatch.setattr(imbkit, "gbdt", imbkit.gbdt)  # restored after the test
    for name in list(sys.modules):
        if name == "imbkit.gbdt" or name.startswith("imbkit.gbdt."):
            monkeypatch.delitem(sys.modules, name)
    for name in missing:
        monkeypatch.setitem(sys.modules, name, None)  # makes `import name` fail
    return importlib.import_module("imbkit.gbdt")


def test_gbdt_import_without_either_library_names_the_extra(monkeypatch):
    with pytest.raises(MissingExtraError, match=r'needs LightGBM or XGBoost.*imbkit\[gbdt\]'):
        _reimport_gbdt(monkeypatch, ["lightgbm", "xgboost"])


def test_gbdt_lightgbm_only_install_runs_lightgbm_parts(monkeypatch, binary_data):
    X, y, _ = binary_data
    gbdt = _reimport_gbdt(monkeypatch, ["xgboost"])
    clf = gbdt.FocalLGBMClassifier(n_estimators=3, n_jobs=1).fit(X, y)
    assert clf.predict(X).shape == (600,)
    with pytest.raises(MissingExtraError, match=r"needs XGBoost.*" + INSTALL.replace("[", r"\[")
                       .replace("]", r"\]")):
        gbdt.FocalXGBClassifier(n_estimators=3).fit(X, y)


def test_gbdt_xgboost_only_install_runs_xgboost_parts(monkeypatch, binary_data):
    pytest.importorskip("xgboost")
    X, y, _ = binary_data
    gbdt = _reimport_gbdt(monkeypatch, ["lightgbm"])
    clf = gbdt.FocalXGBClassifier(n_estimators=3, n_jobs=1).fit(X, y)
    assert clf.predict(X).shape == (600,)
    with pytest.raises(MissingExtraError, match="needs LightGBM, which is not installed"):
        gbdt.FocalLGBMClassifier(n_estimators=3).fit(X, y)
