"""The leaderboard: rows of a comparison, as plain text or as a rich table."""

from __future__ import annotations

import math

__all__ = ["METRIC_NAMES", "format_leaderboard", "leaderboard_rows", "print_leaderboard"]

#: Display names of the metrics of :mod:`imbkit.compare`.
METRIC_NAMES = {
    "pr_auc": "PR-AUC", "roc_auc": "ROC-AUC", "mcc": "MCC", "f1": "F1", "f_beta": "F2",
    "g_mean": "G-mean", "balanced_accuracy": "Bal. acc.", "cohen_kappa": "Kappa",
    "precision": "Precision", "recall": "Recall", "specificity": "Specificity",
    "expected_cost": "Exp. cost",
}
# metrics shown in the terminal after the primary one (the HTML report shows all)
_TERMINAL_EXTRA = ("pr_auc", "roc_auc", "mcc", "recall")


def _mean_std(cell):
    mean, std = cell.get("mean"), cell.get("std")
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "n/a"
    if std is None or (isinstance(std, float) and math.isnan(std)):
        return f"{mean:.3f}"
    return f"{mean:.3f} ± {std:.3f}"


def _columns(facts, metrics):
    primary = facts["primary_metric"]
    if metrics is None:
        extra = [m for m in _TERMINAL_EXTRA if m != primary]
        if facts.get("cost_matrix") is not None and primary != "expected_cost":
            extra = ["expected_cost", *extra]
        metrics = [primary, *extra[:3]]
    return list(metrics)


def leaderboard_rows(result, metrics=None):
    """The leaderboard of a comparison as a header and rows of strings, best first.

    Parameters
    ----------
    result : ComparisonResult or dict
        What :func:`~imbkit.compare.compare_strategies` returned, or its
        ``to_dict()``.
    metrics : list of str, default=None
        Metrics to show; default: the primary metric and three others.

    Returns
    -------
    header : list of str
        ``["rank", "strategy", <metric names>..., "fit s"]``.
    rows : list of list of str
        One row per strategy in ranking order: the primary-metric rank, the
        name, ``"mean ± sd"`` over folds for each metric, mean fit seconds.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.compare import compare_strategies
    >>> from imbkit.report import leaderboard_rows
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> result = compare_strategies(X, y, ["lr", "lr+balanced"], cv=3, n_repeats=1)
    >>> header, rows = leaderboard_rows(result, metrics=["pr_auc"])
    >>> header
    ['rank', 'strategy', 'PR-AUC', 'fit s']
    >>> [row[1] for row in rows] == result.ranking
    True
    """
    facts = result if isinstance(result, dict) else result.to_dict()
    metrics = _columns(facts, metrics)
    primary = facts["primary_metric"]
    header = ["rank", "strategy", *(METRIC_NAMES.get(m, m) for m in metrics), "fit s"]
    rows = []
    for name in facts["ranking"]:
        cells = facts["summary"][name]
        rank = cells[primary]["rank"]
        fit = cells.get("fit_time")
        rows.append([
            "-" if rank is None else str(rank), name,
            *(_mean_std(cells[m]) for m in metrics),
            "n/a" if fit is None else f"{fit:.3f}",
        ])
    return header, rows


def format_leaderboard(result, metrics=None):
    """The leaderboard as an aligned plain-text table (no extra needed).

    Parameters are those of :func:`leaderboard_rows`.

    Returns
    -------
    str
        A header line, a rule, and one line per strategy, best first.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.compare import compare_strategies
    >>> from imbkit.report import format_leaderboard
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> result = compare_strategies(X, y, ["lr"], cv=3, n_repeats=1)
    >>> print(format_leaderboard(result, metrics=["roc_auc"]).splitlines()[0])
    rank  strategy  ROC-AUC        fit s
    """
    header, rows = leaderboard_rows(result, metrics)
    widths = [max(len(r[j]) for r in [header, *rows]) for j in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def print_leaderboard(result, metrics=None, *, file=None, use_rich=None):
    """Print the leaderboard: a rich table when ``rich`` is installed, else plain text.

    Parameters
    ----------
    result, metrics
        As in :func:`leaderboard_rows`.
    file : file-like, default=None
        Where to write; default ``sys.stdout``.
    use_rich : bool, default=None
        Force (True) or refuse (False) the rich table; default: rich when
        it can be imported.

    Returns
    -------
    bool
        Whether the rich table was used.

    Examples
    --------
    >>> import io
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.compare import compare_strategies
    >>> from imbkit.report import print_leaderboard
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> result = compare_strategies(X, y, ["lr"], cv=3, n_repeats=1)
    >>> out = io.StringIO()
    >>> print_leaderboard(result, file=out, use_rich=False)
    False
    >>> out.getvalue().startswith("rank  strategy")
    True
    """
    import sys

    file = sys.stdout if file is None else file
    if use_rich is not False:
        try:
            from rich.console import Console
            from rich.table import Table
        except ImportError:
            if use_rich:
                raise
        else:
            facts = result if isinstance(result, dict) else result.to_dict()
            header, rows = leaderboard_rows(facts, metrics)
            metric = METRIC_NAMES.get(facts["primary_metric"], facts["primary_metric"])
            table = Table(title=f"Leaderboard: ranked by {metric}, mean ± sd over "
                                f"{facts['n_folds']} folds")
            for j, name in enumerate(header):
                table.add_column(name, justify="left" if j == 1 else "right",
                                 no_wrap=True)
            for row in rows:
                table.add_row(*row, style="bold" if row[1] == facts["recommended"] else None)
            # a file or pipe has no width: wide enough that no cell wraps
            width = None if getattr(file, "isatty", lambda: False)() else 160
            Console(file=file, width=width, highlight=False).print(table)
            return True
    print(format_leaderboard(result, metrics), file=file)
    return False
