"""Rendering of a comparison: the terminal leaderboard and a self-contained HTML report.

Everything here renders what :func:`imbkit.compare.compare_strategies` found;
nothing is decided here. The plain-text leaderboard needs nothing extra; the
rich table needs ``rich`` and the HTML report ``matplotlib``, both in the
``report`` extra (``pip install "imbkit[report]"``), imported only when used.

Examples
--------
>>> from sklearn.datasets import make_classification
>>> from imbkit.compare import compare_strategies
>>> from imbkit.report import format_leaderboard
>>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
>>> result = compare_strategies(X, y, ["lr", "lr+balanced"], cv=3, n_repeats=1)
>>> len(format_leaderboard(result).splitlines())
4
"""

from ._facts import resampling_counts
from ._html import render_html
from ._tables import (
    METRIC_NAMES,
    format_leaderboard,
    leaderboard_rows,
    print_leaderboard,
)
from ._text import recommendation_paragraph

__all__ = [
    "METRIC_NAMES",
    "format_leaderboard",
    "leaderboard_rows",
    "print_leaderboard",
    "recommendation_paragraph",
    "render_html",
    "resampling_counts",
]
