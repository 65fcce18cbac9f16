"""The plain-language advice: what to use and why."""

from __future__ import annotations

import math

from ._tables import METRIC_NAMES

__all__ = ["recommendation_paragraph"]

_THRESHOLD_FREE = ("pr_auc", "roc_auc")
_LEVEL_ADVICE = {
    "high": "The evidence is strong: it is significantly better than the runner-up.",
    "moderate": (
        "It is significantly better than doing nothing, but the top strategies are "
        "close: any of them is a reasonable choice, and the simplest is easiest to keep."
    ),
    "low": (
        "The differences between the top strategies are within the noise of these folds: "
        "prefer the simplest of them, or add rows or repeats (--repeats) to separate them."
    ),
}


def _mean(facts, name, metric):
    value = facts["summary"][name].get(metric, {}).get("mean")
    return None if value is None or math.isnan(value) else value


def _decision_advice(facts):
    """When the ranking is threshold-free, say what the decisions look like."""
    primary, best = facts["primary_metric"], facts["recommended"]
    if primary not in _THRESHOLD_FREE or facts.get("pos_label") is None:
        return ""
    recall = _mean(facts, best, "recall")
    if recall is None or recall >= 0.5:
        return ""
    text = (
        f" Note that {METRIC_NAMES[primary]} measures how well the scores "
        f"order the rows, not the decisions: at its own decision threshold {best} finds "
        f"only {recall:.0%} of the minority class."
    )
    families = {s["name"]: s["family"] for s in facts["strategies"]}
    tuned = [n for n in facts["ranking"] if families.get(n) in ("threshold", "cost")]
    if tuned:
        other = tuned[0]
        text += (
            f" To act on the scores, tune the threshold: {other} finds "
            f"{_mean(facts, other, 'recall') or 0:.0%} of it with an F1 of "
            f"{_mean(facts, other, 'f1') or 0:.2f}."
        )
    return text + (
        " Rank by a decision metric (--metric f1 or mcc), or give the costs of errors "
        "(--cost FN=10,FP=1), to choose for decisions instead."
    )


def recommendation_paragraph(result):
    """A plain-language paragraph: which strategy to use, why, and how sure that is.

    Parameters
    ----------
    result : ComparisonResult or dict
        What :func:`~imbkit.compare.compare_strategies` returned, or its
        ``to_dict()``.

    Returns
    -------
    str

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.compare import compare_strategies
    >>> from imbkit.report import recommendation_paragraph
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> result = compare_strategies(X, y, ["lr", "lr+balanced"], cv=3, n_repeats=1)
    >>> recommendation_paragraph(result).startswith(f"Use {result.recommended} (")
    True
    """
    facts = result if isinstance(result, dict) else result.to_dict()
    best = facts["recommended"]
    description = {s["name"]: s["description"] for s in facts["strategies"]}.get(best, "")
    confidence = facts["confidence"]
    text = f"Use {best} ({description or 'a registered strategy'}). {confidence['sentence']}"
    text += " " + _LEVEL_ADVICE.get(confidence["level"], "")
    return (text + _decision_advice(facts)).strip()
