"""What the four imbalanced-learn ensembles share: the scikit-learn battery, n_jobs,
pandas input and imbkit's errors for bad input."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from imbkit.ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
)
from imbkit.ensemble._common import (
    _count_random_states,
    _ResampledClassifier,
    _seed_random_states,
    check_ensemble_target,
    check_ensemble_weights,
    encode_sampling_strategy,
)
from imbkit.exceptions import (
    EmptyInputError,
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    SamplingStrategyError,
    TargetError,
)
from imbkit.under_sampling import RandomUnderSampler

BATTERY = [
    BalancedBaggingClassifier(n_estimators=3, random_state=0),
    EasyEnsembleClassifier(
        n_estimators=2, estimator=AdaBoostClassifier(n_estimators=5), random_state=0
    ),
    EasyEnsembleClassifier(
        n_estimators=2, estimator=DecisionTreeClassifier(random_state=0), random_state=0
    ),
    BalancedRandomForestClassifier(n_estimators=5, random_state=0),
    RUSBoostClassifier(n_estimators=5, random_state=0),
]

_WEIGHTS_NOT_REPEATS = (
    "{} draws rows at random ({}), so a row of weight 2 and two copies of a row "
    "are drawn differently: weights and repetitions cannot give equal models"
)
EXPECTED_FAILED_CHECKS = {
    "BalancedBaggingClassifier": _WEIGHTS_NOT_REPEATS.format(
        "BalancedBaggingClassifier", "sample_weight are the bagging's drawing "
        "probabilities, then the sampler balances the bag uniformly"
    ),
    "BalancedRandomForestClassifier": _WEIGHTS_NOT_REPEATS.format(
        "BalancedRandomForestClassifier", "the balancing sampler draws rows "
        "uniformly, whatever their weight"
    ),
    "RUSBoostClassifier": _WEIGHTS_NOT_REPEATS.format(
        "RUSBoostClassifier", "every round under-samples rows uniformly, whatever "
        "their boosting weight"
    ),
}


def _expected_failed_checks(estimator):
    reason = EXPECTED_FAILED_CHECKS.get(type(estimator).__name__)
    if reason is None:
        return {}
    return dict.fromkeys(
        [
            "check_sample_weight_equivalence_on_dense_data",
            "check_sample_weight_equivalence_on_sparse_data",
        ],
        reason,
    )


@parametrize_with_checks(BATTERY, expected_failed_checks=_expected_failed_checks)
def test_ensembles_pass_sklearn_battery(estimator, check):
    with warnings.catch_warnings():
        # the battery's tiny data make bootstrap-size warnings expected
        warnings.simplefilter("ignore", UserWarning)
        check(estimator)


def test_expected_failures_have_reasons_and_only_sample_weight_equivalence():
    for estimator in BATTERY:
        failures = _expected_failed_checks(estimator)
        assert set(failures) <= {
            "check_sample_weight_equivalence_on_dense_data",
            "check_sample_weight_equivalence_on_sparse_data",
        }
        assert all(len(reason) > 60 for reason in failures.values())


def _data(n_classes=2, seed=0, n_samples=300):
    weights = [0.8] if n_classes == 2 else [0.6, 0.3]
    return make_classification(
        n_samples=n_samples, n_features=6, n_informative=4, n_classes=n_classes,
        weights=weights, random_state=seed,
    )


PARALLEL = [
    BalancedBaggingClassifier(n_estimators=6, random_state=3),
    EasyEnsembleClassifier(
        n_estimators=4, estimator=AdaBoostClassifier(n_estimators=5), random_state=3
    ),
    BalancedRandomForestClassifier(n_estimators=8, random_state=3),
    BalancedRandomForestClassifier(n_estimators=8, bootstrap=True, random_state=3),
]


@pytest.mark.parametrize("estimator", PARALLEL, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_ensembles_same_predictions_for_any_n_jobs(estimator, n_classes):
    X, y = _data(n_classes)
    one = estimator.set_params(n_jobs=1).fit(X, y).predict_proba(X)
    two = estimator.set_params(n_jobs=2).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(one, two)


FOUR = [
    BalancedBaggingClassifier(n_estimators=3, random_state=0),
    EasyEnsembleClassifier(
        n_estimators=2, estimator=AdaBoostClassifier(n_estimators=5), random_state=0
    ),
    BalancedRandomForestClassifier(n_estimators=5, random_state=0),
    RUSBoostClassifier(n_estimators=5, random_state=0),
]


@pytest.mark.parametrize("estimator", FOUR, ids=lambda e: type(e).__name__)
def test_ensembles_dataframe_input_same_as_array(estimator):
    X, y = _data(3)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    labels = pd.Series(np.array(["a", "b", "c"])[y], name="target")
    fitted = estimator.fit(frame, labels)
    assert fitted.feature_names_in_.tolist() == list(frame.columns)
    assert fitted.classes_.tolist() == ["a", "b", "c"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no feature-name warning on a frame
        proba_frame = fitted.predict_proba(frame)
    proba_array = estimator.fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(proba_frame, proba_array)
    assert not hasattr(estimator, "feature_names_in_")


@pytest.mark.parametrize("estimator", FOUR, ids=lambda e: type(e).__name__)
def test_ensembles_predict_refuses_wrong_feature_names(estimator):
    X, y = _data()
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    estimator.fit(frame, y)
    with pytest.raises(ValueError, match="Feature names unseen at fit time"):
        estimator.predict(frame.rename(columns={"f0": "other"}))


@pytest.mark.parametrize("estimator", FOUR, ids=lambda e: type(e).__name__)
def test_ensembles_do_not_modify_inputs(estimator):
    X, y = _data()
    X_before, y_before = X.copy(), y.copy()
    weight = np.linspace(0.5, 1.5, y.size)
    weight_before = weight.copy()
    if "sample_weight" in estimator.fit.__code__.co_varnames:
        estimator.fit(X, y, sample_weight=weight)
    else:
        estimator.fit(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(weight, weight_before)


@pytest.mark.parametrize("estimator", FOUR, ids=lambda e: type(e).__name__)
def test_ensembles_refuse_one_class(estimator):
    X, _ = _data()
    with pytest.raises(TargetError, match=r"y has only one class \(1\); .* needs at least 2"):
        estimator.fit(X, np.ones(X.shape[0], dtype=int))


@pytest.mark.parametrize("estimator", FOUR, ids=lambda e: type(e).__name__)
def test_ensembles_refuse_mismatched_lengths(estimator):
    X, y = _data()
    with pytest.raises(LengthMismatchError, match="X has 300 rows but y has 299 labels"):
        estimator.fit(X, y[:-1])


@pytest.mark.parametrize("estimator", FOUR, ids=lambda e: type(e).__name__)
def test_ensembles_refuse_empty_input(estimator):
    with pytest.raises(EmptyInputError, match=r"Found array with 0 sample\(s\)"):
        estimator.fit(np.empty((0, 3)), np.empty(0))
    with pytest.raises(EmptyInputError, match=r"Found array with 0 feature\(s\)"):
        estimator.fit(np.empty((10, 0)), np.arange(10) % 2)


@pytest.mark.parametrize("estimator", FOUR, ids=lambda e: type(e).__name__)
def test_ensembles_refuse_missing_or_continuous_target(estimator):
    X, _ = _data()
    with pytest.raises(TargetError, match="requires y to be passed, but the target y is None"):
        estimator.fit(X, None)
    with pytest.raises(TargetError, match="Unknown label type: continuous"):
        estimator.fit(X, np.linspace(0, 1, X.shape[0]))
    with pytest.raises(TargetError, match="Unknown label type: multilabel-indicator"):
        estimator.fit(X, np.eye(3, dtype=int)[np.arange(X.shape[0]) % 3])


@pytest.mark.parametrize("estimator", FOUR, ids=lambda e: type(e).__name__)
def test_ensembles_refuse_infinity(estimator):
    X, y = _data()
    X[4, 2] = np.inf
    with pytest.raises(NonFiniteInputError, match=r"X contains infinity \(1 entries\)"):
        estimator.fit(X, y)


@pytest.mark.parametrize(
    "estimator",
    [
        EasyEnsembleClassifier(n_estimators=2, random_state=0),
        RUSBoostClassifier(n_estimators=3, random_state=0),
        BalancedBaggingClassifier(
            n_estimators=2, estimator=AdaBoostClassifier(n_estimators=2), random_state=0
        ),
    ],
    ids=lambda e: type(e).__name__,
)
def test_ensembles_refuse_nan_their_members_cannot_handle(estimator):
    X, y = _data()
    X[[3, 7], 1] = np.nan
    with pytest.raises(
        NonFiniteInputError,
        match=r"X contains NaN \(2 entries\) and .* cannot handle missing values. "
        "Impute the missing values first",
    ):
        estimator.fit(X, y)


@pytest.mark.parametrize(
    "estimator",
    [
        EasyEnsembleClassifier(n_estimators=2, random_state=0),
        RUSBoostClassifier(n_estimators=3, random_state=0),
    ],
    ids=lambda e: type(e).__name__,
)
def test_ensembles_predict_refuses_nan_with_imbkit_error(estimator):
    X, y = _data()
    estimator.fit(X, y)
    X[0, 0] = np.nan
    with pytest.raises(NonFiniteInputError, match="Input X contains NaN"):
        estimator.predict(X)
    with pytest.raises(NonFiniteInputError, match="cannot predict from these values"):
        estimator.predict_proba(X)


@pytest.mark.parametrize(
    "estimator",
    [
        BalancedBaggingClassifier(n_estimators=3, random_state=0),
        BalancedRandomForestClassifier(n_estimators=5, random_state=0),
    ],
    ids=lambda e: type(e).__name__,
)
def test_ensembles_with_trees_accept_nan(estimator):
    X, y = _data()
    X[::7, 2] = np.nan
    proba = estimator.fit(X, y).predict_proba(X)
    assert proba.shape == (300, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_ensembles_invalid_parameter_names_the_parameter():
    X, y = _data()
    with pytest.raises(ValueError, match="The 'sampling_strategy' parameter of "
                       "BalancedBaggingClassifier must be"):
        BalancedBaggingClassifier(sampling_strategy="minority").fit(X, y)
    with pytest.raises(ValueError, match="The 'sampler' parameter of "
                       "BalancedBaggingClassifier must be"):
        BalancedBaggingClassifier(sampler=DecisionTreeClassifier()).fit(X, y)


def test_check_ensemble_target_warns_for_column_vector():
    with pytest.warns(UserWarning, match="A column-vector y was passed"):
        y, classes = check_ensemble_target(np.array([[0], [1], [1]]), "Model")
    assert y.tolist() == [0, 1, 1]
    assert classes.tolist() == [0, 1]


def test_check_ensemble_weights_errors():
    assert check_ensemble_weights(None, 3) is None
    assert check_ensemble_weights(2.0, 3).tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(LengthMismatchError, match="sample_weight has 2 values but X has 3 rows"):
        check_ensemble_weights([1, 2], 3)
    with pytest.raises(InvalidInputError, match="sample_weight must be 1-D"):
        check_ensemble_weights(np.ones((3, 1)), 3)
    with pytest.raises(InvalidInputError, match=r"negative values \(the smallest is -1\)"):
        check_ensemble_weights([1, -1, 1], 3)
    with pytest.raises(InvalidInputError, match="sample_weight is zero for every row"):
        check_ensemble_weights([0, 0, 0], 3)
    with pytest.raises(NonFiniteInputError, match="sample_weight contains NaN"):
        check_ensemble_weights([1, np.nan, 1], 3)


def test_encode_sampling_strategy_keys_by_class_index():
    y = np.array(["x", "x", "x", "y", "y", "z", "z", "z", "z"])
    classes = np.unique(y)
    assert encode_sampling_strategy({"z": 2, "x": 1}, y, classes, "under-sampling") == {
        0: 1, 2: 2,
    }
    # over-sampling keeps the wanted counts (not the counts to add)
    assert encode_sampling_strategy({"y": 5}, y, classes, "over-sampling") == {1: 5}
    assert encode_sampling_strategy("auto", y, classes, "under-sampling") == "auto"
    with pytest.raises(SamplingStrategyError, match="not present in y"):
        encode_sampling_strategy({"w": 1}, y, classes, "under-sampling")


def test_seed_random_states_draws_in_sorted_name_order():
    member = _ResampledClassifier(
        sampler=RandomUnderSampler(),
        classifier=AdaBoostClassifier(estimator=DecisionTreeClassifier()),
    )
    _seed_random_states(member, np.random.RandomState(0))
    expected = np.random.RandomState(0).randint(np.iinfo(np.int32).max, size=3)
    # classifier__estimator__random_state < classifier__random_state < sampler__...
    assert member.classifier.estimator.random_state == expected[0]
    assert member.classifier.random_state == expected[1]
    assert member.sampler.random_state == expected[2]
    assert _count_random_states(member) == 3


def test_resampled_classifier_exposes_steps_and_delegates():
    X, y = _data()
    member = _ResampledClassifier(
        sampler=RandomUnderSampler(random_state=0),
        classifier=DecisionTreeClassifier(random_state=0),
    ).fit(X, y)
    kept = member.sampler.sample_indices_
    assert np.bincount(y[kept]).tolist() == [61, 61]
    assert member[-1] is member.classifier
    assert member["sampler"] is member.sampler
    assert [name for name, _ in member.steps] == ["sampler", "classifier"]
    tree = DecisionTreeClassifier(random_state=0).fit(X[kept], y[kept])
    np.testing.assert_array_equal(member.predict_proba(X), tree.predict_proba(X))
    assert not hasattr(member, "decision_function")
