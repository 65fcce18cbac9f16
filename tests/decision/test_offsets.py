"""tune_class_offsets: exact objective at the result, coordinate-wise optimality, errors."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    matthews_corrcoef,
    precision_score,
)
from sklearn.model_selection import cross_val_predict

from imbkit.decision import tune_class_offsets
from imbkit.decision._objectives import (
    check_objective_options,
    multiclass_objective_scores,
)
from imbkit.exceptions import ImbalanceWarning, InvalidInputError, LengthMismatchError


def _oof_log_proba(seed=0, n_classes=3, n=600):
    X, y = make_classification(
        n_samples=n, n_features=6, n_informative=4, n_classes=n_classes,
        weights=[0.75, 0.2], class_sep=0.6, random_state=seed,
    )
    proba = cross_val_predict(LogisticRegression(), X, y, cv=3, method="predict_proba")
    return y, np.log(proba)


def _objective(y, z, offsets, objective, **kwargs):
    pred = np.argmax(z + offsets, axis=1)
    cm = confusion_matrix(y, pred, labels=np.arange(z.shape[1]))[None]
    options = check_objective_options(objective, n_classes=z.shape[1], **kwargs)
    return multiclass_objective_scores(cm, options)[0]


@pytest.mark.parametrize("objective", ["f1", "gmean", "mcc", "youden"])
def test_tune_class_offsets_score_is_exact_and_beats_argmax(objective):
    y, z = _oof_log_proba()
    offsets, score = tune_class_offsets(y, z, objective=objective)
    assert score == pytest.approx(_objective(y, z, offsets, objective), abs=1e-12)
    assert score > _objective(y, z, np.zeros(3), objective)
    assert offsets.sum() == pytest.approx(0.0, abs=1e-12)


def test_tune_class_offsets_macro_f1_and_mcc_match_sklearn():
    y, z = _oof_log_proba(seed=1)
    offsets, score = tune_class_offsets(y, z, objective="f1")
    pred = np.argmax(z + offsets, axis=1)
    assert score == pytest.approx(f1_score(y, pred, average="macro"), abs=1e-12)
    offsets, score = tune_class_offsets(y, z, objective="mcc")
    assert score == pytest.approx(matthews_corrcoef(y, np.argmax(z + offsets, 1)), abs=1e-12)


@pytest.mark.parametrize("objective", ["f1", "gmean"])
def test_tune_class_offsets_no_single_coordinate_move_improves(objective):
    y, z = _oof_log_proba(seed=2)
    offsets, score = tune_class_offsets(
        y, z, objective=objective, max_candidates=10_000, max_rounds=100
    )
    grid = np.linspace(-6, 6, 601)
    for k in range(3):
        for value in grid:
            moved = offsets.copy()
            moved[k] = value
            assert _objective(y, z, moved, objective) <= score + 1e-12


def test_tune_class_offsets_is_deterministic_and_respects_labels():
    y, z = _oof_log_proba(seed=3)
    first = tune_class_offsets(y, z, objective="gmean")
    second = tune_class_offsets(y, z, objective="gmean")
    assert np.array_equal(first[0], second[0]) and first[1] == second[1]
    names = np.array(["a", "b", "c"])[y]
    by_name = tune_class_offsets(names, z, objective="gmean", labels=["a", "b", "c"])
    assert np.array_equal(by_name[0], first[0])


def test_tune_class_offsets_cost_objective_lowers_cost():
    y, z = _oof_log_proba(seed=4)
    costs = np.array([[0, 1, 1], [8, 0, 1], [8, 1, 0]])
    offsets, score = tune_class_offsets(y, z, objective="cost", cost_matrix=costs)
    before = costs[y, z.argmax(axis=1)].mean()
    after = costs[y, np.argmax(z + offsets, axis=1)].mean()
    assert score == pytest.approx(-after, abs=1e-12)
    assert after < before


def test_tune_class_offsets_few_candidates_still_improve():
    y, z = _oof_log_proba(seed=5)
    offsets, score = tune_class_offsets(y, z, objective="gmean", max_candidates=3)
    assert score == pytest.approx(_objective(y, z, offsets, "gmean"), abs=1e-12)
    assert score > _objective(y, z, np.zeros(3), "gmean")


def test_tune_class_offsets_constrained_and_infeasible():
    y, z = _oof_log_proba(seed=6)
    offsets, score = tune_class_offsets(
        y, z, objective="precision_at_recall", min_recall=0.5
    )
    pred = np.argmax(z + offsets, axis=1)
    assert balanced_accuracy_score(y, z.argmax(axis=1)) < 0.4  # argmax is infeasible
    assert balanced_accuracy_score(y, pred) >= 0.5
    assert score == pytest.approx(precision_score(y, pred, average="macro"), abs=1e-12)
    with pytest.warns(ImbalanceWarning, match=r"No decision reaches min_precision=1 .*highest precision"):
        _, score = tune_class_offsets(
            y, z, objective="recall_at_precision", min_precision=1.0
        )
    assert -1 < score < 0


def test_tune_class_offsets_errors():
    y, z = _oof_log_proba()
    with pytest.raises(LengthMismatchError, match="y_true has 600 labels but scores has 10"):
        tune_class_offsets(y, z[:10])
    with pytest.raises(InvalidInputError, match=r"scores must be 2-D .* got shape \(600,\)"):
        tune_class_offsets(y, z[:, 0])
    with pytest.raises(InvalidInputError, match="scores has 3 columns but there are 2 classes"):
        tune_class_offsets(y, z, labels=[0, 1])
    bad = z.copy()
    bad[0, 0] = -np.inf
    with pytest.raises(InvalidInputError, match="scores contain NaN or infinity"):
        tune_class_offsets(y, bad)
    with pytest.raises(InvalidInputError, match="Unknown objective 'auc'"):
        tune_class_offsets(y, z, objective="auc")
