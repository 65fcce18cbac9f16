"""The outcome of :func:`~imbkit.compare.compare_strategies`: scores, ranking, confidence."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..exceptions import InvalidInputError, MissingExtraError
from ._scoring import COST_METRIC, METRICS, greater_is_better
from ._selection import resolve_track_record, select_recommended
from ._stats import paired_confidence

__all__ = ["ComparisonResult", "FoldRecord"]


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingExtraError(
            'The result tables of imbkit.compare are pandas DataFrames: pip install '
            '"imbkit[report]" (or pip install pandas). ComparisonResult.to_dict() '
            "works without pandas."
        ) from exc
    return pd


def _plain(value):
    """``value`` with numpy types as Python ones and NaN/infinity as None (valid JSON)."""
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass
class FoldRecord:
    """What one (strategy, fold) produced, or the error that stopped it."""

    metrics: dict = field(default_factory=dict)
    y_pred: np.ndarray | None = None
    y_score: np.ndarray | None = None
    fit_time: float = float("nan")
    score_time: float = float("nan")
    estimator: object = None
    error: str | None = None


class ComparisonResult:
    """Scores of every strategy on every fold, their ranking, and how sure it is.

    Built by :func:`~imbkit.compare.compare_strategies`; not meant to be
    created directly.

    Attributes
    ----------
    strategies : list of str
        The strategies evaluated on every fold, in the order run.
    ranking : list of str
        The same, best first by the primary metric.
    primary_metric : str
        The metric the ranking uses; ``greater_is_better`` says its direction
        (``"expected_cost"`` is the one where lower is better).
    recommended : str
        The strategy of best mean primary metric, unless the folds cannot
        tell it apart (within one corrected standard error) from a strategy
        with a better track record on the benchmark datasets: then that one
        (see ``selection`` and ``compare_strategies(track_record=...)``).
    selection : dict
        How ``recommended`` was chosen: ``rule``, ``best_mean``,
        ``candidates`` (within one standard error of the best mean) and the
        ``track_record`` ranks of those that have one.
    confidence : dict
        The corrected resampled t-test (Nadeau and Bengio, 2003) of the
        recommended strategy against the runner-up (the best-mean strategy
        when that is another) and against the baseline
        (``vs_runner_up``, ``vs_baseline``: ``strategy``, ``mean_difference``
        (recommended minus other), ``t_statistic``, ``p_value``, ``df``,
        ``significant``; ``None`` when there is no such strategy), a ``level``
        (``"high"``: better than the runner-up, ``"moderate"``: better than
        the baseline only, ``"low"``: neither) and a plain ``sentence``.
    notes : list of str
        What was done to the data, and what was skipped or failed.
    oof : dict
        ``{strategy: {"y_pred", "y_score", "tested"}}``: out-of-fold
        predictions of shape (n_repeats, n_samples), scores of shape
        (n_repeats, n_samples, n_classes) in the order of ``classes``, and
        which rows were tested in each repeat.
    splits : list of (repeat, fold, train, test)
        The folds, as row positions.
    classes : ndarray
    pos_label : object or None
        The class of interest (binary problems).
    cost_matrix : ndarray or None
    random_state : int
        The seed every strategy was built with.
    estimators : dict or None
        ``{(strategy, repeat, fold): fitted estimator}`` when
        ``return_estimators=True``.

    Examples
    --------
    >>> import json
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.compare import compare_strategies
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> result = compare_strategies(X, y, ["lr", "lr+balanced"], cv=3, n_repeats=1)
    >>> result.scores.columns.tolist()
    ['strategy', 'repeat', 'fold', 'metric', 'value']
    >>> result.summary().index.tolist() == result.ranking
    True
    >>> result.fold_scores("mcc")["lr"].shape
    (3,)
    >>> result.best_estimator().predict(X[:2]).shape
    (2,)
    >>> json.loads(json.dumps(result.to_dict()))["recommended"] == result.recommended
    True
    """

    def __init__(self, *, strategies, records, splits, primary, labels, cost_matrix,
                 notes, data, refit_context, random_state, track_record="builtin"):
        self._strategies = {s.name: s for s in strategies if s.name in records}
        self._records = records
        self._data = data
        self._refit_context = refit_context
        self.strategies = list(self._strategies)
        self.splits = splits
        self.primary_metric = primary
        self.greater_is_better = greater_is_better(primary)
        self.classes, self.pos_label = labels
        self.cost_matrix = cost_matrix
        self.notes = list(notes)
        self.random_state = random_state
        self.metrics = [primary] + [m for m in (*METRICS, COST_METRIC)
                                    if m != primary and (cost_matrix is not None or m != COST_METRIC)]
        self.ranking = self._rank(primary)
        self.recommended, self.selection = select_recommended(
            self.fold_scores(), self.ranking, resolve_track_record(track_record, primary),
            greater_is_better=self.greater_is_better, **self._part_sizes(),
        )
        self.confidence = self._confidence()
        self.oof = self._out_of_fold()
        self.estimators = None
        if any(r.estimator is not None for f in records.values() for r in f):
            self.estimators = {
                (name, repeat, fold): record.estimator
                for name, folds in records.items()
                for (repeat, fold, _, _), record in zip(splits, folds)
            }

    def __repr__(self):
        return (
            f"<ComparisonResult: {len(self.strategies)} strategies x {len(self.splits)} "
            f"folds, recommended {self.recommended!r} by {self.primary_metric}>"
        )

    def fold_scores(self, metric=None):
        """``{strategy: ndarray of shape (n_folds,)}`` of ``metric`` (default: primary)."""
        metric = self.primary_metric if metric is None else metric
        if metric not in self.metrics:
            raise InvalidInputError(f"Unknown metric {metric!r}; use one of {self.metrics}.")
        return {
            name: np.array([r.metrics[metric] for r in self._records[name]])
            for name in self.strategies
        }

    def _means(self, metric):
        return {n: float(np.nanmean(v)) if np.isfinite(v).any() else np.nan
                for n, v in self.fold_scores(metric).items()}

    def _rank(self, metric):
        """Strategies best first by mean ``metric``; undefined means last, ties in run order."""
        sign = 1.0 if greater_is_better(metric) else -1.0
        means = self._means(metric)
        return sorted(self.strategies, key=lambda n: (
            np.isnan(means[n]), 0.0 if np.isnan(means[n]) else -sign * means[n]
        ))

    def _baseline(self):
        """The baseline of the recommended strategy's learner, else the best baseline."""
        strategy = self._strategies[self.recommended]
        if strategy.family == "baseline":
            return None
        baselines = [n for n in self.ranking if self._strategies[n].family == "baseline"]
        same = [n for n in baselines if self._strategies[n].learner == strategy.learner]
        return (same or baselines or [None])[0]

    def _part_sizes(self):
        return {"n_train": float(np.mean([len(s[2]) for s in self.splits])),
                "n_test": float(np.mean([len(s[3]) for s in self.splits]))}

    def _confidence(self):
        # the recommendation first, then the best mean when that is another strategy
        order = [self.recommended] + [n for n in self.ranking if n != self.recommended]
        return paired_confidence(
            self.fold_scores(), order, baseline=self._baseline(),
            metric=self.primary_metric, greater_is_better=self.greater_is_better,
            recommended_is_baseline=self._strategies[self.recommended].family == "baseline",
            selection=self.selection, **self._part_sizes(),
        )

    def _out_of_fold(self):
        n_repeats = max(s[0] for s in self.splits) + 1
        n_samples = self._data[1].shape[0]
        oof = {}
        for name, folds in self._records.items():
            y_pred = np.empty((n_repeats, n_samples), dtype=self.classes.dtype)
            y_pred[:] = self.classes[0]
            y_score = np.full((n_repeats, n_samples, self.classes.size), np.nan)
            tested = np.zeros((n_repeats, n_samples), dtype=bool)
            for (repeat, _, _, test), record in zip(self.splits, folds):
                y_pred[repeat, test] = record.y_pred
                y_score[repeat, test] = record.y_score
                tested[repeat, test] = True
            oof[name] = {"y_pred": y_pred, "y_score": y_score, "tested": tested}
        return oof

    def _summary_records(self):
        """``{strategy: {metric: {"mean", "std", "rank"}, "fit_time": mean}}``, ranked."""
        table = {name: {} for name in self.ranking}
        for metric in self.metrics:
            values, means = self.fold_scores(metric), self._means(metric)
            sign = 1.0 if greater_is_better(metric) else -1.0
            for name in self.ranking:
                v = values[name][np.isfinite(values[name])]
                # equal means share the best rank
                rank = 1 + sum(sign * (m - means[name]) > 0 for m in means.values()
                               if not np.isnan(m))
                table[name][metric] = {
                    "mean": means[name],
                    "std": float(np.std(v, ddof=1)) if v.size > 1 else np.nan,
                    "rank": int(rank) if not np.isnan(means[name]) else None,
                }
        for name in self.ranking:
            table[name]["fit_time"] = float(np.mean([r.fit_time for r in self._records[name]]))
        return table

    def summary(self):
        """Mean, standard deviation and rank of every metric, best strategy first.

        Returns
        -------
        pandas.DataFrame
            Index: strategy, sorted by the primary metric. Columns: a
            ``(metric, statistic)`` MultiIndex, the primary metric first, with
            statistics ``mean``, ``std`` (over folds) and ``rank`` (1 is best;
            for ``expected_cost`` lower is better), then ``("fit_time", "mean")``
            in seconds per fold.
        """
        pd = _pandas()
        table = self._summary_records()
        columns = [(m, s) for m in self.metrics for s in ("mean", "std", "rank")]
        rows = [[table[n][m][s] for m, s in columns] + [table[n]["fit_time"]]
                for n in self.ranking]
        frame = pd.DataFrame(
            rows, index=pd.Index(self.ranking, name="strategy"),
            columns=pd.MultiIndex.from_tuples(columns + [("fit_time", "mean")],
                                              names=["metric", "statistic"]),
        )
        ranks = [c for c in frame.columns if c[1] == "rank"]
        frame[ranks] = frame[ranks].astype("Int64")
        return frame

    def _score_rows(self):
        for name in self.strategies:
            for (repeat, fold, _, _), record in zip(self.splits, self._records[name]):
                for metric in self.metrics:
                    yield name, repeat, fold, metric, record.metrics[metric]

    @property
    def scores(self):
        """Tidy per-fold scores: a DataFrame with columns strategy, repeat, fold, metric, value."""
        pd = _pandas()
        return pd.DataFrame(
            list(self._score_rows()), columns=["strategy", "repeat", "fold", "metric", "value"]
        )

    @property
    def timings(self):
        """Seconds spent fitting and scoring: columns strategy, repeat, fold, fit_time, score_time."""
        pd = _pandas()
        rows = [
            (name, repeat, fold, record.fit_time, record.score_time)
            for name in self.strategies
            for (repeat, fold, _, _), record in zip(self.splits, self._records[name])
        ]
        return pd.DataFrame(rows, columns=["strategy", "repeat", "fold", "fit_time", "score_time"])

    def best_estimator(self, strategy=None):
        """The recommended (or named) strategy refitted on all the data.

        Parameters
        ----------
        strategy : str, default=None
            A strategy of ``strategies``; ``None`` means ``recommended``.

        Returns
        -------
        estimator
            A new estimator, fitted on every row of ``X`` and ``y``.
        """
        name = self.recommended if strategy is None else strategy
        if name not in self._strategies:
            raise InvalidInputError(
                f"{name!r} is not among the strategies compared; choose one of "
                f"{self.strategies}."
            )
        X, y = self._data
        return self._strategies[name].factory(self.random_state, self._refit_context).fit(X, y)

    def to_dict(self, *, include_oof=False):
        """Everything but the data and the models, as JSON-serialisable Python objects.

        NaN and infinite values become ``None``. ``include_oof=True`` adds the
        out-of-fold predictions and scores (large for large data).
        """
        out = {
            "primary_metric": self.primary_metric,
            "greater_is_better": self.greater_is_better,
            "recommended": self.recommended,
            "selection": self.selection,
            "ranking": self.ranking,
            "confidence": self.confidence,
            "strategies": [
                {"name": s.name, "family": s.family, "learner": s.learner,
                 "description": s.description}
                for s in self._strategies.values()
            ],
            "summary": self._summary_records(),
            "scores": [dict(zip(("strategy", "repeat", "fold", "metric", "value"), row))
                       for row in self._score_rows()],
            "notes": self.notes,
            "classes": self.classes,
            "pos_label": self.pos_label,
            "cost_matrix": self.cost_matrix,
            "n_samples": int(self._data[1].shape[0]),
            "n_folds": len(self.splits),
            "n_repeats": max(s[0] for s in self.splits) + 1,
            "random_state": self.random_state,
        }
        if include_oof:
            out["oof"] = {
                name: {key: np.where(v["tested"], v["y_pred"], None) if key == "y_pred"
                       else value for key, value in v.items()}
                for name, v in self.oof.items()
            }
        return _plain(out)
