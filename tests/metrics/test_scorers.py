"""Named scorers: values, opt-in idempotent registration, GridSearchCV and cross_validate."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    fbeta_score,
    make_scorer,
    matthews_corrcoef,
)
from sklearn.metrics import get_scorer_names as sklearn_scorer_names
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate

from imbkit.exceptions import ImbalanceWarning, InvalidInputError
from imbkit.metrics import (
    geometric_mean_score,
    get_scorer,
    get_scorer_names,
    register_scorers,
    sensitivity_score,
    specificity_score,
)
from imbkit.metrics._scorers import _taken_by_sklearn, _unregister_scorers
from imbkit.utils._compat import _SCORERS, InvalidParameterError

NAMES = [
    "f2", "geometric_mean", "index_balanced_accuracy", "mcc", "pr_auc", "sensitivity",
    "specificity",
]


@pytest.fixture
def clean_registry():
    """scikit-learn as found: no imbkit name before the test, none after."""
    _unregister_scorers()
    yield
    _unregister_scorers()


@pytest.fixture(scope="module")
def binary_data():
    X, y = make_classification(n_samples=240, n_features=6, weights=[0.85], random_state=0)
    return X, y, LogisticRegression().fit(X, y)


def _by_hand(name, model, X, y):
    pred = model.predict(X)
    if name == "index_balanced_accuracy":
        tpr, tnr = sensitivity_score(y, pred), specificity_score(y, pred)
        return (1 + 0.1 * (tpr - tnr)) * tpr * tnr
    return {
        "geometric_mean": lambda: geometric_mean_score(y, pred),
        "sensitivity": lambda: sensitivity_score(y, pred),
        "specificity": lambda: specificity_score(y, pred),
        "f2": lambda: fbeta_score(y, pred, beta=2),
        "pr_auc": lambda: average_precision_score(y, model.decision_function(X)),
        "mcc": lambda: matthews_corrcoef(y, pred),
    }[name]()


def test_get_scorer_names_lists_imbkit_scorers():
    assert get_scorer_names() == NAMES
    assert not set(NAMES) & _taken_by_sklearn()  # no scikit-learn name shadowed


@pytest.mark.parametrize("name", NAMES)
def test_get_scorer_values_equal_manual_computation(binary_data, name):
    X, y, model = binary_data
    assert get_scorer(name)(model, X, y) == pytest.approx(_by_hand(name, model, X, y), rel=1e-12)


def test_get_scorer_index_balanced_accuracy_multiclass_uses_macro_dominance():
    X, y = make_classification(n_samples=150, n_features=6, n_informative=4, n_classes=3,
                               weights=[0.6, 0.3], random_state=1)
    model = LogisticRegression().fit(X, y)
    pred = model.predict(X)
    recalls = sensitivity_score(y, pred, average=None)
    dominance = recalls.mean() - specificity_score(y, pred, average="macro")
    expected = (1 + 0.1 * dominance) * np.prod(recalls) ** (2 / 3)
    assert get_scorer("index_balanced_accuracy")(model, X, y) == pytest.approx(expected)


def test_get_scorer_returns_fresh_picklable_copies(binary_data):
    X, y, model = binary_data
    first, second = get_scorer("geometric_mean"), get_scorer("geometric_mean")
    assert first is not second
    restored = pickle.loads(pickle.dumps(get_scorer("index_balanced_accuracy")))
    assert restored(model, X, y) == get_scorer("index_balanced_accuracy")(model, X, y)


def test_get_scorer_passes_scikit_learn_names_and_callables(binary_data):
    X, y, model = binary_data
    assert get_scorer("accuracy")(model, X, y) == accuracy_score(y, model.predict(X))
    assert get_scorer(len) is len


def test_get_scorer_unknown_name_lists_the_names():
    with pytest.raises(InvalidInputError, match=r"'g_mean' is not a known scorer. imbkit's "
                       r"are \['f2', 'geometric_mean'"):
        get_scorer("g_mean")


def test_register_scorers_is_opt_in(clean_registry, binary_data):
    X, y, _ = binary_data
    assert "geometric_mean" not in sklearn_scorer_names()
    with pytest.raises(InvalidParameterError, match="scoring"):
        cross_validate(LogisticRegression(), X, y, scoring="geometric_mean")


def test_register_scorers_is_idempotent(clean_registry):
    assert register_scorers() == NAMES
    first = {name: _SCORERS[name] for name in NAMES}
    assert register_scorers() == NAMES
    assert all(_SCORERS[name] is first[name] for name in NAMES)
    names = sklearn_scorer_names()
    assert [name for name in names if name in NAMES] == NAMES


def test_register_scorers_never_shadows_scikit_learn(clean_registry, monkeypatch, binary_data):
    X, y, model = binary_data
    theirs = make_scorer(accuracy_score)
    monkeypatch.setitem(_SCORERS, "mcc", theirs)
    with pytest.warns(ImbalanceWarning, match=r"already defines the scorers \['mcc'\]"):
        registered = register_scorers()
    assert registered == [name for name in NAMES if name != "mcc"]
    assert _SCORERS["mcc"] is theirs
    assert get_scorer("mcc")(model, X, y) == accuracy_score(y, model.predict(X))


def test_grid_search_with_registered_name_equals_scorer_object(clean_registry, binary_data):
    X, y, _ = binary_data
    register_scorers()
    grid = {"C": [0.001, 0.01, 0.1, 1.0, 10.0]}
    by_name = GridSearchCV(LogisticRegression(), grid, scoring="geometric_mean").fit(X, y)
    by_object = GridSearchCV(
        LogisticRegression(), grid, scoring=get_scorer("geometric_mean")
    ).fit(X, y)
    assert by_name.best_params_ == by_object.best_params_
    np.testing.assert_array_equal(
        by_name.cv_results_["mean_test_score"], by_object.cv_results_["mean_test_score"]
    )
    assert len(set(by_name.cv_results_["mean_test_score"])) > 1  # the grid was not flat


def test_cross_validate_scores_equal_manual_computation(clean_registry, binary_data):
    X, y, _ = binary_data
    register_scorers()
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    result = cross_validate(LogisticRegression(), X, y, cv=cv, scoring=NAMES)
    for fold, (train, test) in enumerate(cv.split(X, y)):
        model = LogisticRegression().fit(X[train], y[train])
        for name in NAMES:
            expected = _by_hand(name, model, X[test], y[test])
            assert result[f"test_{name}"][fold] == pytest.approx(expected, rel=1e-12), name
