"""Paired comparison of two strategies over the same cross-validation folds.

The folds of a (repeated) k-fold overlap in their training rows, so the fold
scores are correlated and the plain paired t-test is far too confident. The
corrected resampled t-test of Nadeau and Bengio (2003) inflates the variance
of the mean difference by the ratio of test to training rows; Bouckaert and
Frank (2004) showed it keeps its nominal level for repeated k-fold.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from ..exceptions import InvalidInputError, LengthMismatchError

__all__ = ["corrected_resampled_ttest", "paired_confidence"]


def corrected_resampled_ttest(scores_a, scores_b, *, n_train, n_test):
    """Corrected resampled t-test of the mean paired difference ``a - b``.

    With ``d_j = a_j - b_j`` on the ``J`` folds, mean ``d`` and sample
    variance ``s2`` (``ddof=1``), the statistic is
    ``t = d / sqrt((1 / J + n_test / n_train) * s2)`` with ``J - 1`` degrees
    of freedom, and the p-value is two-sided.

    Parameters
    ----------
    scores_a, scores_b : array-like of shape (n_folds,)
        Scores of two strategies on the same folds, in the same order.
    n_train, n_test : float
        Rows in a training and in a test part (their mean over the folds when
        they differ slightly).

    Returns
    -------
    result : dict
        ``mean_difference``, ``t_statistic``, ``p_value``, ``df`` (plain
        floats, ``df`` an int). Equal scores on every fold give ``t = 0`` and
        ``p = 1``; a constant non-zero difference gives an infinite ``t`` and
        ``p = 0``.

    References
    ----------
    C. Nadeau and Y. Bengio, "Inference for the Generalization Error",
    Machine Learning 52, 239-281, 2003.

    Examples
    --------
    >>> from imbkit.compare import corrected_resampled_ttest
    >>> res = corrected_resampled_ttest([0.8, 0.7, 0.9, 0.8], [0.7, 0.7, 0.8, 0.6],
    ...                                 n_train=75, n_test=25)
    >>> round(res["mean_difference"], 3), round(res["t_statistic"], 3), res["df"]
    (0.1, 1.604, 3)
    >>> round(res["p_value"], 3)
    0.207
    """
    a = np.asarray(scores_a, dtype=np.float64).reshape(-1)
    b = np.asarray(scores_b, dtype=np.float64).reshape(-1)
    if a.shape != b.shape:
        raise LengthMismatchError(
            f"scores_a has {a.size} folds but scores_b has {b.size}; pass the scores "
            "of both strategies on the same folds."
        )
    if a.size < 2:
        raise InvalidInputError(
            f"The test needs scores on at least 2 folds; got {a.size}. Use more "
            "folds or repeats."
        )
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise InvalidInputError(
            "scores contain NaN or infinity; drop the folds where a score is "
            "undefined from both strategies before testing."
        )
    if not (n_train > 0 and n_test > 0):
        raise InvalidInputError(
            f"n_train and n_test must be > 0; got n_train={n_train}, n_test={n_test}."
        )
    diff = a - b
    n_folds = diff.size
    mean = float(diff.mean())
    var = float(diff.var(ddof=1))
    df = n_folds - 1
    # rounding noise would turn an exact tie into a huge t
    if var <= 1e-24 * max(1.0, mean * mean):
        t_stat = 0.0 if mean == 0.0 else math.copysign(math.inf, mean)
        p_value = 1.0 if mean == 0.0 else 0.0
    else:
        t_stat = mean / math.sqrt((1.0 / n_folds + n_test / n_train) * var)
        p_value = float(2.0 * stats.t.sf(abs(t_stat), df))
    return {"mean_difference": mean, "t_statistic": t_stat, "p_value": p_value, "df": df}


ALPHA = 0.05
_TEST_NAME = "corrected resampled t-test (Nadeau and Bengio, 2003)"
_DISPLAY = {
    "pr_auc": "PR-AUC", "roc_auc": "ROC-AUC", "mcc": "MCC", "f1": "F1", "f_beta": "F2",
    "g_mean": "G-mean", "balanced_accuracy": "balanced accuracy",
    "cohen_kappa": "Cohen's kappa", "expected_cost": "expected cost",
}


def _p_text(p):
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _paired(values, best, other, n_train, n_test):
    a, b = values[best], values[other]
    keep = np.isfinite(a) & np.isfinite(b)
    out = {"strategy": other, "mean_difference": None, "t_statistic": None,
           "p_value": None, "df": None, "significant": False}
    if keep.sum() >= 2:
        out.update(corrected_resampled_ttest(a[keep], b[keep], n_train=n_train, n_test=n_test))
        out["significant"] = bool(out["p_value"] < ALPHA)
    return out


def _errors(k):
    return "one corrected standard error" if k == 1 else f"{k:g} corrected standard errors"


def _opening(values, best, metric, greater, selection):
    name = _DISPLAY.get(metric, metric)
    v = values[best][np.isfinite(values[best])]
    spread = f", sd {np.std(v, ddof=1):.3f}" if v.size > 1 else ""
    lower = "" if greater else " (lower is better)"
    top = None if selection is None else selection["best_mean"]
    if top is None or top == best:
        return f"{best} has the best mean {name}: {np.mean(v):.3f}{spread} over {v.size} folds{lower}."
    w = values[top][np.isfinite(values[top])]
    ranks = selection["track_record"]
    return (
        f"{best} is recommended although {top} has the better mean {name} "
        f"({np.mean(w):.3f} against {np.mean(v):.3f}{spread} over {v.size} folds{lower}): "
        f"the gap is within {_errors(selection['standard_errors'])}, "
        f"too small for these folds to tell them apart, and {best} has the better track "
        f"record on the benchmark datasets (mean rank {ranks[best]:.1f}"
        + (f" against {ranks[top]:.1f})." if top in ranks else "; none recorded for "
           f"{top}).")
    )


def _sentence(values, best, vs_runner, vs_baseline, metric, greater, best_is_baseline,
              selection=None):
    text = _opening(values, best, metric, greater, selection)
    if (vs_runner is not None and vs_runner["p_value"] is not None
            and selection is not None and vs_runner["strategy"] == selection["best_mean"]
            and selection["best_mean"] != best):
        gap, p = abs(vs_runner["mean_difference"]), _p_text(vs_runner["p_value"])
        text += f" The difference of {gap:.3f} is not significant either ({_TEST_NAME}, {p})."
    elif vs_runner is not None and vs_runner["p_value"] is not None:
        other = vs_runner["strategy"]
        gap, p = abs(vs_runner["mean_difference"]), _p_text(vs_runner["p_value"])
        if vs_runner["significant"]:
            text += (f" It beats the runner-up {other} by {gap:.3f}, a significant "
                     f"difference ({_TEST_NAME}, {p}).")
        else:
            text += (f" The runner-up {other} is {gap:.3f} behind, not a significant "
                     f"difference ({_TEST_NAME}, {p}): treat them as equally good.")
    moved = selection is not None and selection["best_mean"] != best
    if best_is_baseline and moved:
        text += " It is itself a baseline: no imbalance treatment was clearly better here."
    elif best_is_baseline:
        text += " It is itself a baseline: no imbalance treatment did better on average."
    elif vs_baseline is None or vs_baseline["p_value"] is None:
        text += " No baseline strategy was compared, so the gain over doing nothing is unknown."
    else:
        other = vs_baseline["strategy"]
        gap, p = abs(vs_baseline["mean_difference"]), _p_text(vs_baseline["p_value"])
        if vs_baseline["significant"]:
            text += f" Against the baseline {other} it gains {gap:.3f} ({p}): handling the imbalance pays off."
        else:
            text += (f" Against the baseline {other} the gain of {gap:.3f} is not significant "
                     f"({p}): the imbalance treatment may not be needed.")
    return text


def paired_confidence(values, ranking, *, baseline, metric, greater_is_better, n_train,
                      n_test, recommended_is_baseline=False, selection=None):
    """How sure the recommendation is: the best strategy against runner-up and baseline.

    Parameters
    ----------
    values : dict
        ``{strategy: fold scores}``, every array over the same folds.
    ranking : list of str
        Strategies, best first; the first is the recommendation.
    baseline : str or None
        The baseline to compare with (``None``: none).
    metric : str
    greater_is_better : bool
    n_train, n_test : float
        Mean rows of a training and of a test part.
    recommended_is_baseline : bool, default=False
    selection : dict, default=None
        How the recommendation was chosen (``select_recommended``); when its
        ``best_mean`` is another strategy, the sentence says why.

    Returns
    -------
    dict
        See :attr:`ComparisonResult.confidence`.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.compare._stats import paired_confidence
    >>> values = {"a": np.array([0.9, 0.8, 0.9]), "b": np.array([0.5, 0.4, 0.6])}
    >>> conf = paired_confidence(values, ["a", "b"], baseline="b", metric="f1",
    ...                          greater_is_better=True, n_train=80, n_test=20)
    >>> conf["level"], conf["vs_baseline"]["significant"]
    ('high', True)
    """
    best = ranking[0]
    vs_runner = _paired(values, best, ranking[1], n_train, n_test) if len(ranking) > 1 else None
    vs_baseline = None
    if baseline is not None and not recommended_is_baseline:
        vs_baseline = _paired(values, best, baseline, n_train, n_test)
    if vs_runner is not None and vs_runner["significant"]:
        level = "high"
    elif vs_baseline is not None and vs_baseline["significant"]:
        level = "moderate"
    else:
        level = "low"
    return {
        "metric": metric,
        "greater_is_better": greater_is_better,
        "recommended": best,
        "test": _TEST_NAME,
        "alpha": ALPHA,
        "n_folds": len(values[best]),
        "vs_runner_up": vs_runner,
        "vs_baseline": vs_baseline,
        "level": level,
        "sentence": _sentence(values, best, vs_runner, vs_baseline, metric,
                              greater_is_better, recommended_is_baseline, selection),
    }
