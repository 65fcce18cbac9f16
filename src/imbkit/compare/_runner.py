"""The cross-validation runner: every strategy on the same folds, fitted on training rows only."""

from __future__ import annotations

import logging
import numbers
import time
from dataclasses import replace

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed
from threadpoolctl import threadpool_limits

from ..exceptions import InvalidInputError, TargetError
from ..utils._checks import check_lengths
from ..utils._compat import _safe_indexing
from ._context import StrategyContext, inspect_features
from ._registry import resolve_strategies
from ._result import ComparisonResult, FoldRecord
from ._scoring import fold_metrics, resolve_cost, resolve_primary
from ._selection import resolve_track_record

__all__ = ["compare_strategies"]

logger = logging.getLogger("imbkit.compare")

# threshold-moving objective for a primary metric; the others tune F1
_THRESHOLD_OBJECTIVES = {
    "f1": {"objective": "f1"},
    "f_beta": {"objective": "fbeta", "beta": 2.0},
    "g_mean": {"objective": "gmean"},
    "mcc": {"objective": "mcc"},
    "balanced_accuracy": {"objective": "youden"},
}


def _check_target(y):
    """``(y, classes)``: ``y`` as a 1-D array of at least two classes."""
    if y is None:
        raise TargetError("y is None; pass the class of every row as y.")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    try:
        kind = type_of_target(y, input_name="y")
        classes = np.unique(y)
    except (TypeError, ValueError) as exc:
        raise TargetError(f"{exc} Pass one class label per row as y.") from exc
    if kind not in ("binary", "multiclass"):
        raise TargetError(
            f"y is a {kind} target; compare_strategies needs one class label per row "
            "(binary or multi-class). Bin a continuous target into classes first."
        )
    if classes.size < 2:
        raise TargetError(
            f"y has only one class ({classes.tolist()[0]!r}); comparing strategies "
            "needs rows of at least two classes."
        )
    return y, classes


def _positive_class(y, classes, pos_label):
    """The class of interest: ``pos_label`` or the rarest class (binary only)."""
    if classes.size > 2:
        if pos_label is not None:
            raise InvalidInputError(
                f"pos_label applies to binary targets; y has {classes.size} classes. "
                "Leave pos_label=None (metrics are macro averages)."
            )
        return None
    if pos_label is None:
        counts = [(y == c).sum() for c in classes]
        return classes[0] if counts[0] < counts[1] else classes[1]
    if pos_label not in classes.tolist():
        raise InvalidInputError(
            f"pos_label={pos_label!r} is not a class of y ({classes.tolist()})."
        )
    return classes[classes.tolist().index(pos_label)]


def _splitter(cv, n_repeats, seed, y, classes):
    counts = {c: int((y == c).sum()) for c in classes.tolist()}
    if cv is None or isinstance(cv, numbers.Integral):
        n_splits = 5 if cv is None else int(cv)
        if n_splits < 2 or isinstance(cv, bool):
            raise InvalidInputError(f"cv must be at least 2 folds; got {cv!r}.")
        smallest = min(counts, key=counts.get)
        if counts[smallest] < n_splits:
            raise TargetError(
                f"The smallest class ({smallest!r}) has {counts[smallest]} rows, fewer "
                f"than the {n_splits} folds: every test fold needs a row of each "
                f"class. Use cv={max(2, counts[smallest])} or fewer folds, or collect "
                "more rows of that class."
            )
        return RepeatedStratifiedKFold(
            n_splits=n_splits, n_repeats=n_repeats, random_state=seed
        )
    return cv


def _make_splits(cv, n_repeats, seed, X, y, classes):
    """``[(repeat, fold, train, test)]``; a repeat ends where a test row would recur."""
    splitter = _splitter(cv, n_repeats, seed, y, classes)
    raw = splitter.split(X, y) if hasattr(splitter, "split") else splitter
    splits, seen, repeat, fold = [], np.zeros(y.shape[0], dtype=bool), 0, 0
    for train, test in raw:
        train, test = np.asarray(train), np.asarray(test)
        if seen[test].any():
            seen[:], repeat, fold = False, repeat + 1, 0
        seen[test] = True
        for part, rows in (("training", train), ("test", test)):
            absent = np.setdiff1d(classes, y[rows])
            if absent.size:
                raise TargetError(
                    f"The {part} part of split {len(splits)} has no row of class "
                    f"{absent.tolist()}; use stratified folds (the default cv) or fewer "
                    "folds, so that every part holds every class."
                )
        splits.append((repeat, fold, train, test))
        fold += 1
    if len(splits) < 2:
        raise InvalidInputError(
            f"cv gave {len(splits)} split(s); comparing strategies needs at least 2."
        )
    return splits


def _threshold_options(primary, cost_matrix, classes, pos_label):
    """What threshold moving tunes, and a note when it cannot tune the primary metric."""
    if cost_matrix is not None:
        return {"objective": "cost", "cost_matrix": cost_matrix}, None
    options = _THRESHOLD_OBJECTIVES.get(primary, {"objective": "f1"})
    asymmetric = options["objective"] in ("f1", "fbeta")
    if classes.size == 2 and asymmetric and pos_label != classes[1]:
        return {"objective": "mcc"}, (
            f"Threshold moving tunes the threshold on the score of {classes.tolist()[1]!r}, "
            f"but the class of interest is {classes.tolist()[0]!r}: it tunes MCC (symmetric "
            "in the two classes) instead of F-scores."
        )
    return dict(options), None


def _progress_hook(progress):
    if callable(progress):
        return progress
    if progress is True:
        return lambda done, total, label: logger.info("[%d/%d] %s", done, total, label)
    if progress in (False, None):
        return None
    raise InvalidInputError(
        f"progress must be True, False or a callable on_progress(done, total, label); "
        f"got {progress!r}."
    )


def _scores(estimator, X):
    """One column per class: probabilities, or decision values when there are none."""
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(X), dtype=np.float64)
    values = np.asarray(estimator.decision_function(X), dtype=np.float64)
    return np.column_stack([-values, values]) if values.ndim == 1 else values


def _run_fold(estimator, X, y, test, train, scoring, keep_estimator, catch):
    """Fit on ``train``, score on ``test``; a FoldRecord (with the error, if caught)."""
    try:
        # one thread per fit: parallelism comes from n_jobs, and small fits that
        # spin up BLAS/OpenMP threads on a busy machine run many times slower
        with threadpool_limits(limits=1):
            start = time.perf_counter()
            estimator.fit(_safe_indexing(X, train), y[train])
            fit_time = time.perf_counter() - start
            X_test = _safe_indexing(X, test)
            y_pred = np.asarray(estimator.predict(X_test))
            y_score = _scores(estimator, X_test)
            score_time = time.perf_counter() - start - fit_time
        metrics = fold_metrics(y[test], y_pred, y_score, **scoring)
    except Exception as exc:
        if not catch:
            raise
        return FoldRecord(error=f"{type(exc).__name__}: {exc}")
    return FoldRecord(
        metrics=metrics, y_pred=y_pred, y_score=y_score, fit_time=fit_time,
        score_time=score_time, estimator=estimator if keep_estimator else None,
    )


def _seed(random_state):
    """One integer seed for the folds and for every strategy, whatever ``n_jobs``."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state)
    try:
        return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    except ValueError as exc:
        raise InvalidInputError(
            f"random_state must be an int, a numpy RandomState or None; got {random_state!r}."
        ) from exc


def _check_options(n_repeats, time_budget, on_error, n_jobs, return_estimators):
    if not isinstance(n_repeats, numbers.Integral) or isinstance(n_repeats, bool) or n_repeats < 1:
        raise InvalidInputError(f"n_repeats must be an int >= 1; got {n_repeats!r}.")
    if time_budget is not None and (
        not isinstance(time_budget, numbers.Real) or isinstance(time_budget, bool)
        or not time_budget > 0
    ):
        raise InvalidInputError(
            f"time_budget must be a number of seconds > 0, or None; got {time_budget!r}."
        )
    if on_error not in ("skip", "raise"):
        raise InvalidInputError(f"on_error must be 'skip' or 'raise'; got {on_error!r}.")
    if n_jobs is not None and (not isinstance(n_jobs, numbers.Integral) or n_jobs == 0):
        raise InvalidInputError(f"n_jobs must be None or a non-zero int; got {n_jobs!r}.")
    if not isinstance(return_estimators, bool):
        raise InvalidInputError(
            f"return_estimators must be True or False; got {return_estimators!r}."
        )


def _smallest_class(y, classes):
    return int(min((y == c).sum() for c in classes))


def _names(names, limit=5):
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _data_notes(context):
    """Say what the preprocessing does to these data, and what small classes change."""
    info, notes = context.features, []
    if info.categorical:
        names = [info.names[j] for j in info.categorical]
        notes.append(
            f"{len(names)} non-numeric column(s) ({_names(names)}) are one-hot encoded "
            "inside each training fold; categories unseen in training are ignored and "
            "a missing value is a category of its own."
        )
    numeric_missing = {info.names[j]: info.missing[info.names[j]] for j in info.numeric
                       if info.names[j] in info.missing}
    if numeric_missing:
        notes.append(
            f"{sum(numeric_missing.values())} missing value(s) in {len(numeric_missing)} "
            f"numeric column(s) ({_names(list(numeric_missing))}) are imputed with the "
            "median of each training fold, inside the pipeline."
        )
    if context.min_class_count < 6:
        notes.append(
            f"The smallest class has only {context.min_class_count} rows in a training "
            f"part: neighbour-based samplers use {context.k_neighbors()} neighbour(s) "
            f"and threshold moving {context.inner_cv()} inner folds."
        )
    return notes


def _build(strategy, seed, context, catch):
    """The strategy's unfitted estimator, or ``(None, note)`` when building fails."""
    try:
        return clone(strategy.factory(seed, context)), None
    except Exception as exc:
        if not catch:
            raise
        return None, (
            f"Strategy {strategy.name} skipped: building its estimator failed "
            f"({type(exc).__name__}: {exc})."
        )


def _batches(strategies, budget):
    """Strategies fitted together: all at once, or one by one to watch a time budget."""
    return [strategies] if budget is None else [[s] for s in strategies]


def _collect(batch, built, splits, results, on_progress, counter):
    """``{strategy: folds or note}`` from the ordered results of a batch's fits."""
    outcome = {}
    for strategy in batch:
        if strategy.name not in built:
            continue
        folds = []
        for repeat, fold, _, _ in splits:
            folds.append(next(results))
            counter[0] += 1
            if on_progress is not None:
                on_progress(counter[0], counter[1],
                            f"{strategy.name} (repeat {repeat + 1}, fold {fold + 1})")
        errors = [r.error for r in folds if r.error is not None]
        outcome[strategy.name] = folds if not errors else (
            f"Strategy {strategy.name} skipped: it failed on {len(errors)} of "
            f"{len(folds)} folds ({errors[0]})."
        )
    return outcome


def _evaluate(strategies, X, y, splits, context, seed, scoring, options):
    """``({strategy: [FoldRecord per split]}, notes)``; failing strategies are left out."""
    n_jobs, on_progress, budget, catch, keep = options
    records, notes, started = {}, [], 0
    counter, start = [0, len(strategies) * len(splits)], time.perf_counter()
    with Parallel(n_jobs=n_jobs, return_as="generator") as parallel:
        for batch in _batches(strategies, budget):
            if started and budget is not None and time.perf_counter() - start >= budget:
                notes.append(
                    f"The time budget of {budget:g} s ran out after {started} of "
                    f"{len(strategies)} strategies; skipped: "
                    f"{', '.join(s.name for s in strategies[started:])}."
                )
                break
            started += len(batch)
            built, outcome = {}, {}
            for strategy in batch:
                estimator, note = _build(strategy, seed, context, catch)
                if estimator is None:
                    outcome[strategy.name] = note
                    counter[0] += len(splits)
                else:
                    built[strategy.name] = estimator
            tasks = (
                delayed(_run_fold)(clone(estimator), X, y, test, train, scoring, keep, catch)
                for estimator in built.values() for _, _, train, test in splits
            )
            results = iter(parallel(tasks))
            outcome.update(_collect(batch, built, splits, results, on_progress, counter))
            for strategy in batch:
                value = outcome[strategy.name]
                if isinstance(value, str):
                    notes.append(value)
                else:
                    records[strategy.name] = value
    return records, notes


def compare_strategies(
    X, y, strategies="default", *, cv=None, n_repeats=2, scoring=None, cost=None,
    pos_label=None, n_jobs=None, random_state=0, progress=True, time_budget=None,
    on_error="skip", return_estimators=False, track_record="builtin",
):
    """Cross-validate ways of handling class imbalance on ``X, y`` and recommend one.

    Every strategy is fitted on the training part of each fold only: its
    preprocessing (imputation, one-hot encoding, scaling), its resampling and
    its threshold tuning never see the test rows, which are only predicted.
    Threshold metrics are taken at each strategy's own decision (``predict``:
    0.5 for most, the tuned threshold for threshold moving, the minimum
    expected cost for cost-sensitive strategies); PR-AUC and ROC-AUC from its
    scores (``predict_proba``).

    Parameters
    ----------
    X : array-like or pandas DataFrame of shape (n_samples, n_features)
        Non-numeric columns are one-hot encoded and missing values imputed,
        inside the pipelines; ``notes`` says so.
    y : array-like of shape (n_samples,)
        Class labels, two classes or more.
    strategies : "default", "fast", "all", str or list, default="default"
        A named set (``"fast"``: logistic regression only; ``"default"``: a
        broad set that runs in seconds on a few thousand rows; ``"all"``:
        every registered strategy), one name, or a list of names and
        :class:`Strategy` objects. See :func:`list_strategies`.
    cv : int, cross-validation splitter or iterable, default=None
        ``None``: 5 stratified folds; an int: that many stratified folds;
        each repeated ``n_repeats`` times with shuffling. A splitter or an
        iterable of ``(train, test)`` index arrays is used as given.
    n_repeats : int, default=2
        Repeats of the stratified k-fold (when ``cv`` is None or an int).
    scoring : str, default=None
        The primary metric ranking the strategies: ``"pr_auc"`` (the
        default without costs), ``"roc_auc"``, ``"mcc"``, ``"f1"``,
        ``"f_beta"`` (F2), ``"g_mean"``, ``"balanced_accuracy"``,
        ``"cohen_kappa"``, ``"precision"``, ``"recall"``, ``"specificity"`` or
        ``"expected_cost"`` (the default with costs; lower is better).
        Threshold-moving strategies tune the primary metric when it is a
        threshold metric, F1 otherwise, and the expected cost with costs.
    cost : dict or array-like, default=None
        ``{"FN": 10, "FP": 1}`` (optionally ``"TP"``, ``"TN"``) for a binary
        target, or a cost matrix ``cost[i][j]``: the cost of predicting
        class ``j`` for a row of class ``i``, classes sorted. Adds the
        ``expected_cost`` metric and the cost-sensitive strategies.
    pos_label : label, default=None
        Binary targets: the class of interest; default the rarer class.
    n_jobs : int, default=None
        (strategy, fold) fits run in parallel with joblib (strategy by
        strategy when there is a ``time_budget``); the results do not depend
        on it. Each fit uses one BLAS/OpenMP thread.
    random_state : int, RandomState or None, default=0
        Seeds the folds and every strategy.
    progress : bool or callable, default=True
        A callable is called as ``progress(done, total, label)`` after each
        fit; ``True`` logs the same to the ``"imbkit.compare"`` logger at
        INFO level (silent unless logging is configured); ``False`` does
        nothing. The function itself never prints.
    time_budget : float, default=None
        Seconds; once spent, the strategies not yet started are skipped
        (with a note; the first strategy always runs), so results then
        depend on the machine's speed.
    on_error : {"skip", "raise"}, default="skip"
        A strategy failing on any fold is left out with a note, or the error
        is raised.
    return_estimators : bool, default=False
        Keep every fitted (strategy, fold) estimator in ``estimators``.
    track_record : "builtin", None or dict, default="builtin"
        Breaks near-ties in the recommendation. The strategy of best mean
        primary score is recommended unless another one is within one
        corrected standard error of it and has a better track record: mean
        rank on a benchmark of many datasets, lower is better. ``"builtin"``:
        the ranks of the ``"default"`` strategies measured on 70 KEEL/UCI
        datasets (:func:`load_track_record`); a dict ``{strategy: mean
        rank}``: your own; ``None``: always the best mean. Small data make
        the best mean partly luck; the record steers near-ties towards
        strategies that do well on most data (``benchmarks/bench_compare.py``
        measures the rule with nested cross-validation).

    Returns
    -------
    ComparisonResult

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.compare import compare_strategies
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> result = compare_strategies(X, y, ["lr", "lr+balanced", "lr+rus"], cv=3, n_repeats=1)
    >>> result.strategies
    ['lr', 'lr+balanced', 'lr+rus']
    >>> result.recommended in result.strategies, result.confidence["level"] in ("high", "moderate", "low")
    (True, True)
    """
    _check_options(n_repeats, time_budget, on_error, n_jobs, return_estimators)
    on_progress = _progress_hook(progress)
    X, info = inspect_features(X)
    y, classes = _check_target(y)
    check_lengths(X, y)
    positive = _positive_class(y, classes, pos_label)
    cost_matrix = resolve_cost(cost, classes, positive)
    primary = resolve_primary(scoring, cost_matrix is not None)
    resolve_track_record(track_record, primary)
    chosen, skipped = resolve_strategies(strategies, cost_matrix is not None)
    seed = _seed(random_state)
    splits = _make_splits(cv, n_repeats, seed, X, y, classes)
    threshold, threshold_note = _threshold_options(primary, cost_matrix, classes, positive)
    smallest = min(_smallest_class(y[train], classes) for _, _, train, _ in splits)
    context = StrategyContext(info, classes, positive, smallest, cost_matrix, threshold)
    if threshold_note and any(s.family == "threshold" for s in chosen):
        skipped = [threshold_note, *skipped]
    notes = _data_notes(context) + skipped
    scoring_kw = {"labels": classes, "pos_label": positive, "cost_matrix": cost_matrix}
    options = (n_jobs, on_progress, time_budget, on_error == "skip", return_estimators)
    records, run_notes = _evaluate(chosen, X, y, splits, context, seed, scoring_kw, options)
    notes += run_notes
    if not records:
        raise InvalidInputError(
            "No strategy could be evaluated on every fold: " + " ".join(run_notes)
        )
    return ComparisonResult(
        strategies=chosen, records=records, splits=splits, primary=primary,
        labels=(classes, positive), cost_matrix=cost_matrix, notes=notes, data=(X, y),
        refit_context=replace(context, min_class_count=_smallest_class(y, classes)),
        random_state=seed, track_record=track_record,
    )
