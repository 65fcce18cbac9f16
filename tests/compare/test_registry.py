"""The strategy registry: names, sets, user strategies, costs and missing extras."""

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier

from imbkit.compare import (
    PRESETS,
    Strategy,
    StrategyContext,
    get_strategy,
    list_strategies,
    register_strategy,
    unregister_strategy,
)
from imbkit.compare._context import FeatureInfo
from imbkit.compare._registry import resolve_strategies
from imbkit.decision import CostSensitiveClassifier, ThresholdMovingClassifierCV
from imbkit.ensemble import BalancedRandomForestClassifier
from imbkit.exceptions import InvalidInputError
from imbkit.over_sampling import SMOTE
from imbkit.pipeline import Pipeline

ISSUE_STRATEGIES = [
    "lr", "lr+balanced", "lr+threshold", "lr+rus", "lr+ros", "lr+smote",
    "lr+borderline_smote", "lr+adasyn", "lr+smote_enn", "lr+smote_tomek", "lr+tomek",
    "hgb", "hgb+smote", "rf", "brf", "easy_ensemble", "rusboost", "balanced_bagging",
    "smote_bagging", "lr+cost", "lgbm+focal",
]


def _context(min_class_count=40, cost_matrix=None):
    info = FeatureInfo(("a", "b"), (0, 1), ())
    return StrategyContext(info, np.array([0, 1]), 1, min_class_count, cost_matrix,
                           {"objective": "f1"})


def _dummy(random_state, context):
    return DummyClassifier(strategy="prior")


def test_registry_holds_every_strategy_the_issue_names():
    names = list_strategies()
    assert [n for n in ISSUE_STRATEGIES if n not in names] == []
    assert list_strategies("baseline") == ["lr", "hgb", "rf"]
    assert list_strategies("ensemble") == [
        "brf", "easy_ensemble", "rusboost", "balanced_bagging", "smote_bagging",
    ]
    assert len(list_strategies("resampling")) == 24  # 8 samplers x 3 learners


def test_presets_name_registered_strategies_and_fast_is_logistic_only():
    registered = set(list_strategies())
    for names in PRESETS.values():
        assert set(names) <= registered
    assert {get_strategy(n).learner for n in PRESETS["fast"]} == {"lr"}


def test_get_strategy_unknown_name_lists_the_valid_ones():
    with pytest.raises(InvalidInputError, match=r"Unknown strategy 'lr\+smoet'; valid names "
                       r"are \[.*'lr\+smote'.*\] \(or a set: \['all', 'fast', 'default'\]\)"):
        get_strategy("lr+smoet")


def test_builtin_factories_build_the_documented_estimators():
    ctx = _context(cost_matrix=np.array([[0.0, 1.0], [5.0, 0.0]]))
    lr = get_strategy("lr").factory(0, ctx)
    assert [name for name, _ in lr.steps] == ["standardscaler", "logisticregression"]
    assert isinstance(lr, Pipeline)
    smote = get_strategy("hgb+smote").factory(3, ctx)
    assert [name for name, _ in smote.steps] == ["smote", "histgradientboostingclassifier"]
    assert smote.named_steps["smote"].random_state == 3
    assert smote.named_steps["histgradientboostingclassifier"].random_state == 3
    assert get_strategy("rf+balanced").factory(0, ctx)[-1].class_weight == "balanced"
    threshold = get_strategy("lr+threshold").factory(0, ctx)
    assert isinstance(threshold, ThresholdMovingClassifierCV)
    assert (threshold.objective, threshold.cv) == ("f1", 5)
    cost = get_strategy("lr+cost").factory(0, ctx)
    assert isinstance(cost, CostSensitiveClassifier)
    assert cost.cost_matrix.tolist() == [[0.0, 1.0], [5.0, 0.0]]
    assert isinstance(get_strategy("brf").factory(0, ctx)[-1], BalancedRandomForestClassifier)


def test_builtin_factories_shrink_neighbours_and_inner_folds_for_small_classes():
    ctx = _context(min_class_count=3)
    sampler = get_strategy("lr+smote").factory(0, ctx).named_steps["smote"]
    assert isinstance(sampler, SMOTE) and sampler.k_neighbors == 2
    assert get_strategy("lr+threshold").factory(0, ctx).cv == 3
    assert get_strategy("smote_bagging").factory(0, ctx)[-1].k_neighbors == 2


def test_register_strategy_and_unregister():
    strategy = register_strategy("test_dummy", _dummy, family="baseline", learner="dummy",
                                 description="prior")
    try:
        assert get_strategy("test_dummy") is strategy
        assert "test_dummy" in list_strategies("baseline")
        with pytest.raises(InvalidInputError, match="'test_dummy' is already registered; "
                           "pass replace=True"):
            register_strategy("test_dummy", _dummy)
        replaced = register_strategy("test_dummy", _dummy, replace=True)
        assert get_strategy("test_dummy").family == "custom" and replaced.family == "custom"
    finally:
        unregister_strategy("test_dummy")
    assert "test_dummy" not in list_strategies()
    with pytest.raises(InvalidInputError, match="No strategy named 'test_dummy' is registered"):
        unregister_strategy("test_dummy")


def test_strategy_validates_its_fields():
    with pytest.raises(InvalidInputError, match="must be callable as factory"):
        Strategy("x", "not callable")
    with pytest.raises(InvalidInputError, match="Unknown family 'magic' for strategy 'x'"):
        Strategy("x", _dummy, family="magic")
    with pytest.raises(InvalidInputError, match="non-empty string; got ''"):
        Strategy("", _dummy)
    with pytest.raises(InvalidInputError, match="Unknown family 'nope'"):
        list_strategies("nope")


def test_resolve_strategies_sets_lists_and_objects():
    fast, notes = resolve_strategies("fast", has_cost=False)
    assert [s.name for s in fast] == ["lr", "lr+balanced", "lr+threshold", "lr+rus", "lr+smote"]
    assert notes == []
    fast_cost, _ = resolve_strategies("fast", has_cost=True)
    assert [s.name for s in fast_cost][-1] == "lr+cost"
    custom = Strategy("mine", _dummy)
    chosen, _ = resolve_strategies(["lr", custom], has_cost=False)
    assert [s.name for s in chosen] == ["lr", "mine"]
    assert [s.name for s in resolve_strategies("rf", has_cost=False)[0]] == ["rf"]


def test_resolve_strategies_refusals():
    with pytest.raises(InvalidInputError, match=r"strategies lists \['lr'\] more than once"):
        resolve_strategies(["lr", "lr"], has_cost=False)
    with pytest.raises(InvalidInputError, match="strategies is empty"):
        resolve_strategies([], has_cost=False)
    with pytest.raises(InvalidInputError, match="got int"):
        resolve_strategies(3, has_cost=False)
    with pytest.raises(InvalidInputError, match=r"Strategy 'lr\+cost' makes cost-sensitive "
                       "decisions and needs costs"):
        resolve_strategies(["lr", "lr+cost"], has_cost=False)
    names = [s.name for s in resolve_strategies("all", has_cost=False)[0]]
    assert "lr+cost" not in names and "lr+threshold" in names


def test_resolve_strategies_skips_missing_modules_with_a_note():
    needy = Strategy("needy", _dummy, requires=("imbkit_no_such_module",),
                     install='pip install "imbkit[gbdt]"')
    chosen, notes = resolve_strategies(["lr", needy], has_cost=False)
    assert [s.name for s in chosen] == ["lr"]
    assert notes == [
        ("Strategy needy skipped: it needs imbkit_no_such_module, which cannot be imported "
        'here (pip install "imbkit[gbdt]").')
    ]
    with pytest.raises(InvalidInputError, match=r"None of the strategies requested can run "
                       r"here \(\['needy'\]\)"):
        resolve_strategies([needy], has_cost=False)


def test_focal_strategy_is_skipped_with_a_note_when_its_extra_is_missing():
    focal = get_strategy("lgbm+focal")
    assert focal.requires == ("lightgbm", "imbkit.gbdt")
    if not focal.missing_modules():
        pytest.skip("lightgbm and imbkit.gbdt are installed here")
    chosen, notes = resolve_strategies(["lr", "lgbm+focal"], has_cost=False)
    assert [s.name for s in chosen] == ["lr"]
    assert len(notes) == 1 and notes[0].startswith("Strategy lgbm+focal skipped: it needs ")
    assert notes[0].endswith('(pip install "imbkit[gbdt]").')
