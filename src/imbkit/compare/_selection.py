"""Which strategy to recommend: the best mean, unless the folds cannot tell it apart
from a strategy with a better track record.

Cross-validation on a few hundred rows with a few dozen minority rows is noisy:
the strategy of best mean score is often best by luck, and on unseen rows it
does worse than a strategy that is good on most data. The rule here is the
"one standard error" rule of Breiman et al. (1984) with a prior from past
data instead of simplicity:

1. ``candidates``: the strategies whose mean primary score is within ``k``
   corrected standard errors of the best mean (the paired fold differences,
   with the variance correction of Nadeau and Bengio, 2003, that accounts for
   the overlap of the training parts);
2. among them, the one with the best track record (lowest mean rank on a
   benchmark of many datasets); strategies without a record count as worse
   than any with one, and ties go to the higher mean.

``track_record.json`` (beside this module) holds the mean rank of each built-in
strategy of the ``"default"`` preset per metric, measured by
``benchmarks/bench_compare.py --write-track-record`` on the 70 KEEL/UCI
datasets of the development benchmark.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

import numpy as np

from ..exceptions import InvalidInputError

__all__ = ["load_track_record", "resolve_track_record", "select_recommended"]

STANDARD_ERRORS = 1.0


@lru_cache(maxsize=1)
def _builtin():
    text = resources.files(__package__).joinpath("track_record.json").read_text("utf-8")
    return json.loads(text)


def load_track_record(metric=None):
    """The built-in track record: mean ranks of the ``"default"`` strategies.

    Parameters
    ----------
    metric : str, default=None
        A metric name of :data:`~imbkit.compare.METRICS`; ``None`` returns the
        whole record (``source``, ``n_datasets``, ``metrics``).

    Returns
    -------
    dict
        ``{strategy: mean rank}`` (1 is best) for ``metric``, empty when the
        metric has no record (``expected_cost``: costs are the user's own).

    Examples
    --------
    >>> from imbkit.compare import load_track_record
    >>> record = load_track_record("pr_auc")
    >>> all(rank >= 1 for rank in record.values())
    True
    """
    record = _builtin()
    if metric is None:
        return json.loads(json.dumps(record))
    return dict(record["metrics"].get(metric, {}))


def resolve_track_record(track_record, metric):
    """``{strategy: mean rank}`` from compare's ``track_record`` option."""
    if track_record is None:
        return {}
    if isinstance(track_record, str):
        if track_record != "builtin":
            raise InvalidInputError(
                f'track_record must be "builtin", None or a dict of mean ranks; got '
                f"{track_record!r}."
            )
        return load_track_record(metric)
    if isinstance(track_record, dict):
        bad = {k: v for k, v in track_record.items()
               if not isinstance(v, (int, float)) or not math.isfinite(v)}
        if bad:
            raise InvalidInputError(
                f"track_record values must be finite numbers (mean ranks, lower is "
                f"better); got {bad}."
            )
        return {str(k): float(v) for k, v in track_record.items()}
    raise InvalidInputError(
        f'track_record must be "builtin", None or a dict {{strategy: mean rank}}; got '
        f"{type(track_record).__name__}."
    )


def _within(best, other, k, ratio):
    """Whether ``other``'s fold scores are within ``k`` corrected standard errors of
    ``best``'s (both oriented so that higher is better)."""
    keep = np.isfinite(best) & np.isfinite(other)
    if keep.sum() < 2:
        return False
    diff = best[keep] - other[keep]
    gap = float(diff.mean())
    if gap <= 0.0:
        return True
    se = math.sqrt((1.0 / diff.size + ratio) * float(diff.var(ddof=1)))
    return gap <= k * se


def select_recommended(values, ranking, track_record, *, greater_is_better=True,
                       n_train=1.0, n_test=0.0, k=STANDARD_ERRORS):
    """The recommended strategy and why.

    Parameters
    ----------
    values : dict
        ``{strategy: fold scores}`` of the primary metric, over the same folds.
    ranking : list of str
        Strategies best first by mean score.
    track_record : dict
        ``{strategy: mean rank}``, lower is better; may be empty.
    greater_is_better : bool, default=True
    n_train, n_test : float
        Mean rows of a training and a test part (the variance correction).
    k : float, default=1.0
        Standard errors that still count as "cannot tell apart".

    Returns
    -------
    recommended : str
    selection : dict
        ``rule``, ``best_mean`` (the top of ``ranking``), ``candidates`` (in
        ranking order) and ``track_record`` (the ranks of the candidates that
        have one).

    Examples
    --------
    >>> import numpy as np
    >>> values = {"a": np.array([0.80, 0.70, 0.90]), "b": np.array([0.78, 0.71, 0.86]),
    ...           "c": np.array([0.5, 0.4, 0.6])}
    >>> pick, why = select_recommended(values, ["a", "b", "c"], {"b": 2.0, "c": 1.0},
    ...                                n_train=80, n_test=20)
    >>> pick, why["candidates"]
    ('b', ['a', 'b'])
    """
    best = ranking[0]
    sign = 1.0 if greater_is_better else -1.0
    ratio = n_test / n_train if n_train > 0 else 0.0
    top = sign * np.asarray(values[best], dtype=np.float64)
    candidates = [name for name in ranking if name == best or _within(
        top, sign * np.asarray(values[name], dtype=np.float64), k, ratio)]
    known = [name for name in candidates if name in track_record]
    pick = min(known, key=lambda n: (track_record[n], candidates.index(n))) if known else best
    rule = (f"the best mean, or the strategy with the best track record among those "
            f"within {k:g} corrected standard error(s) of it")
    return pick, {
        "rule": rule, "best_mean": best, "candidates": candidates,
        "track_record": {n: track_record[n] for n in known}, "standard_errors": k,
    }
