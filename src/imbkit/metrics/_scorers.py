"""Named scorers for model selection on imbalanced data.

:func:`get_scorer` turns a name into a scikit-learn scorer (an object called
as ``scorer(estimator, X, y)``), usable as ``scoring=`` anywhere in
scikit-learn. :func:`register_scorers` goes one step further, on request: it
adds imbkit's names to scikit-learn's own registry, so that the plain strings
work too (``GridSearchCV(..., scoring="geometric_mean")``).

Registration touches scikit-learn's private state: the scorer registry, and
the sets of accepted ``scoring`` strings that scikit-learn's parameter
validation built when each of its modules was imported. It is therefore
opt-in, done only by :func:`register_scorers`, never at import.
"""

from __future__ import annotations

import copy
import sys
import types
import warnings

from sklearn.metrics import (
    average_precision_score,
    fbeta_score,
    make_scorer,
    matthews_corrcoef,
)
from sklearn.metrics import get_scorer as _sklearn_get_scorer
from sklearn.utils.multiclass import unique_labels

from ..exceptions import ImbalanceWarning, InvalidInputError
from ..utils._compat import _SCORERS, StrOptions
from ._classification import (
    geometric_mean_score,
    make_index_balanced_accuracy,
    sensitivity_score,
    specificity_score,
)

__all__ = ["get_scorer", "get_scorer_names", "register_scorers"]


def _index_balanced_geometric_mean(y_true, y_pred, *, sample_weight=None):
    """IBA of the G-mean: of ``pos_label=1`` for two classes, macro for more."""
    two_classes = unique_labels(y_true, y_pred).shape[0] <= 2
    iba = make_index_balanced_accuracy(alpha=0.1, squared=True)(geometric_mean_score)
    average = "binary" if two_classes else "multiclass"
    return iba(y_true, y_pred, average=average, sample_weight=sample_weight)


# Binary scorers score the class 1, as scikit-learn's "recall" and "f1" do.
_IMBKIT_SCORERS = {
    "geometric_mean": make_scorer(geometric_mean_score),
    "sensitivity": make_scorer(sensitivity_score),
    "specificity": make_scorer(specificity_score),
    "index_balanced_accuracy": make_scorer(_index_balanced_geometric_mean),
    "f2": make_scorer(fbeta_score, beta=2),
    "pr_auc": make_scorer(
        average_precision_score, response_method=("decision_function", "predict_proba")
    ),
    "mcc": make_scorer(matthews_corrcoef),
}


def _taken_by_sklearn():
    """Names scikit-learn defines itself (not registered by imbkit)."""
    return {
        name
        for name, scorer in _SCORERS.items()
        if scorer is not _IMBKIT_SCORERS.get(name)
    }


def get_scorer_names():
    """Names of imbkit's scorers, sorted.

    ``"geometric_mean"`` (:func:`geometric_mean_score`, any number of
    classes), ``"sensitivity"`` and ``"specificity"`` (of class 1, binary),
    ``"index_balanced_accuracy"`` (of the geometric mean, ``alpha=0.1``,
    squared), ``"f2"`` (F-beta with ``beta=2``, binary), ``"pr_auc"`` (average
    precision of ``decision_function`` or ``predict_proba``) and ``"mcc"``
    (Matthews correlation coefficient).

    Returns
    -------
    list of str

    Examples
    --------
    >>> from imbkit.metrics import get_scorer_names
    >>> get_scorer_names()[:3]
    ['f2', 'geometric_mean', 'index_balanced_accuracy']
    """
    return sorted(_IMBKIT_SCORERS)


def get_scorer(scoring):
    """A fresh scorer for an imbkit or scikit-learn scorer name.

    A name scikit-learn defines itself always means scikit-learn's scorer:
    imbkit never shadows it. Callables are returned as they are.

    Parameters
    ----------
    scoring : str or callable
        One of :func:`get_scorer_names`, or of
        :func:`sklearn.metrics.get_scorer_names`.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y_true, sample_weight=None)``, greater is better.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbkit.metrics import get_scorer
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    >>> model = LogisticRegression().fit(X, y)
    >>> get_scorer("geometric_mean")(model, X, y)
    1.0
    """
    if (
        isinstance(scoring, str)
        and scoring in _IMBKIT_SCORERS
        and scoring not in _taken_by_sklearn()
    ):
        return copy.deepcopy(_IMBKIT_SCORERS[scoring])
    try:
        return _sklearn_get_scorer(scoring)
    except ValueError as exc:
        if not isinstance(scoring, str):
            raise
        raise InvalidInputError(
            f"{scoring!r} is not a known scorer. imbkit's are {get_scorer_names()}; "
            "scikit-learn's are listed by sklearn.metrics.get_scorer_names()."
        ) from exc


def _scoring_options():
    """The accepted-``scoring`` string sets of scikit-learn's loaded validators.

    scikit-learn builds ``StrOptions(set(get_scorer_names()))`` once, when a
    module is imported; modules imported after registration see the new
    names by themselves, the ones already loaded need them added.
    """
    found = {}
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("sklearn") or module is None:
            continue
        for obj in list(vars(module).values()):
            if isinstance(obj, type):  # estimators
                constraints = obj.__dict__.get("_parameter_constraints")
            elif isinstance(obj, types.FunctionType):  # functions under validate_params
                constraints = obj.__dict__.get("_skl_parameter_constraints")
            else:
                continue
            if not isinstance(constraints, dict):
                continue
            for option in constraints.get("scoring", ()):
                if isinstance(option, StrOptions) and "accuracy" in option.options:
                    found[id(option.options)] = option.options
    return list(found.values())


def register_scorers():
    """Make imbkit's scorer names usable as ``scoring="<name>"`` in scikit-learn.

    Adds the scorers of :func:`get_scorer_names` to scikit-learn's scorer
    registry, and their names to the ``scoring`` strings its parameter
    validation accepts. Opt-in (nothing is registered at import) and
    idempotent (calling it again changes nothing). A name scikit-learn already
    defines itself is skipped, with an :class:`~imbkit.exceptions.ImbalanceWarning`:
    scikit-learn's meaning is kept.

    Returns
    -------
    registered : list of str
        The imbkit names now usable as strings.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from imbkit.metrics import register_scorers
    >>> registered = register_scorers()
    >>> "geometric_mean" in registered
    True
    >>> X, y = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], [0, 0, 0, 1, 1, 1]
    >>> cross_val_score(LogisticRegression(), X, y, cv=3, scoring="geometric_mean")
    array([1., 1., 1.])
    """
    taken = _taken_by_sklearn()
    skipped = sorted(taken & set(_IMBKIT_SCORERS))
    if skipped:
        warnings.warn(
            f"scikit-learn already defines the scorers {skipped}; they keep "
            "scikit-learn's meaning. Use imbkit.metrics.get_scorer(name) objects for "
            "imbkit's.",
            ImbalanceWarning,
            stacklevel=2,
        )
    registered = [name for name in get_scorer_names() if name not in taken]
    for name in registered:
        _SCORERS[name] = _IMBKIT_SCORERS[name]
    for options in _scoring_options():
        options.update(registered)
    return registered


def _unregister_scorers():
    """Undo :func:`register_scorers` (for tests that must leave scikit-learn as found)."""
    ours = [name for name in _IMBKIT_SCORERS if _SCORERS.get(name) is _IMBKIT_SCORERS[name]]
    for name in ours:
        del _SCORERS[name]
    for options in _scoring_options():
        options.difference_update(ours)
