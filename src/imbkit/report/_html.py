"""One self-contained HTML page: plots embedded as PNG data URIs, no script, no link."""

from __future__ import annotations

import html

import numpy as np

from . import _facts, _plots
from ._tables import METRIC_NAMES, leaderboard_rows
from ._text import recommendation_paragraph

__all__ = ["render_html"]

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 72em; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.8em;
     border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.6em 0; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; text-align: right;
         white-space: nowrap; }
.table-wrap { overflow-x: auto; } figure.inline { display: inline-block; vertical-align: top; }
th { background: #f4f4f4; } td.name, th.name { text-align: left; }
tr.recommended td { font-weight: bold; background: #eef6ee; }
.advice { background: #f6f8fc; border-left: 4px solid #4c72b0; padding: 0.6em 1em; }
.meta { color: #555; } figure { margin: 0.8em 0; } img { max-width: 100%; }
figcaption { color: #555; font-size: 0.85em; }
"""


def _e(value):
    return html.escape(str(value), quote=True)


def _cells(tag, values):
    # the strategy (second) column is text: left-aligned
    return "".join(f'<{tag} class="name">{_e(v)}</{tag}>' if j == 1 else f"<{tag}>{_e(v)}</{tag}>"
                   for j, v in enumerate(values))


def _table(header, rows, *, table_id=None, highlight=None):
    attr = f' id="{_e(table_id)}"' if table_id else ""
    body = "".join(
        f'<tr{" class=recommended" if highlight is not None and row[1] == highlight else ""}>'
        f"{_cells('td', row)}</tr>"
        for row in rows
    )
    return (f"<div class=\"table-wrap\"><table{attr}><thead><tr>{_cells('th', header)}"
            f"</tr></thead><tbody>{body}</tbody></table></div>")


def _figure(src, alt, caption="", *, inline=False):
    text = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    css = ' class="inline"' if inline else ""
    return f'<figure{css}><img src="{src}" alt="{_e(alt)}">{text}</figure>'


def _dataset_section(result, y, dataset):
    counts = _facts.class_counts(y, result.classes)
    largest, smallest = max(counts.values()), min(counts.values())
    ratio = largest / smallest if smallest else float("inf")
    rows = [["", str(c), str(n), f"{n / sum(counts.values()):.1%}"] for c, n in counts.items()]
    return (
        f"<h2>Data</h2><p class=\"meta\">{_e(dataset)}: {sum(counts.values())} rows, "
        f"{len(counts)} classes, imbalance ratio {ratio:.1f} (largest class over smallest)."
        "</p>"
        + _table(["", "class", "rows", "share"], rows)
        + _figure(_plots.class_distribution_png(list(counts), list(counts.values())),
                  "Bar chart of the number of rows in each class")
    )


def _leaderboard_section(result, facts):
    header, rows = leaderboard_rows(facts, result.metrics)
    primary = METRIC_NAMES.get(result.primary_metric, result.primary_metric)
    return (
        f"<h2>Leaderboard</h2><p class=\"meta\">Ranked by {_e(primary)}"
        f"{'' if result.greater_is_better else ' (lower is better)'}; each cell is the mean "
        f"± standard deviation over {len(result.splits)} test folds "
        f"({facts['n_repeats']} repeat(s) of {len(result.splits) // facts['n_repeats']}-fold "
        "stratified cross-validation); every step was fitted on training rows only.</p>"
        + _table(header, rows, table_id="leaderboard", highlight=result.recommended)
        + _figure(_plots.fold_scores_png(
            {n: result.fold_scores()[n] for n in result.ranking}, primary),
            f"Box plot of {primary} per fold for each strategy")
    )


def _curves_section(result, y):
    positive = _facts.positive_class(result, y)
    names = _facts.curve_strategies(result)
    curves = _facts.oof_curves(result, y, names, positive)
    if any(np.unique(truth).size < 2 for _, truth, _ in curves):
        return ""
    pooled = "rows of every repeat pooled" if curves and len(curves[0][1]) > len(y) else ""
    return (
        "<h2>Precision-recall and ROC curves</h2>"
        f"<p class=\"meta\">Out-of-fold scores of class {_e(positive)} (one vs the rest), "
        f"for the top strategies and the baseline; {pooled or 'each row scored once'}.</p>"
        + _figure(_plots.curves_png(curves, positive),
                  "Precision-recall and ROC curves of the top strategies and the baseline")
    )


def _confusion_section(result, y):
    names, families = _facts.confusion_strategies(result)
    figures = []
    for name in names:
        at = ("the tuned threshold" if families.get(name) == "threshold"
              else "its own decision rule")
        title = f"{name}, at {at}"
        matrix = _facts.oof_confusion(result, y, name)
        figures.append(_figure(_plots.confusion_matrix_png(matrix, result.classes.tolist(),
                                                           title),
                               f"Confusion matrix of {name}", inline=True))
    return (
        "<h2>Confusion matrices</h2><p class=\"meta\">Out-of-fold decisions of the first "
        "repeat (each row predicted once, by a model that did not see it); rows: true "
        "class, columns: predicted class. Threshold moving decides at the threshold tuned "
        "by inner cross-validation on each training part.</p>" + "".join(figures)
    )


def _resampling_section(result, X, y):
    counts = _facts.resampling_counts(result, X, y)
    if len(counts) < 2:
        return ""
    labels = result.classes.tolist()
    rows = [["", name, *(str(c[k]) for k in labels), str(sum(c.values()))]
            for name, c in counts.items()]
    return (
        "<h2>Class counts before and after resampling</h2><p class=\"meta\">Each "
        "resampler applied once to all rows (in cross-validation it acts on training "
        "parts only).</p>"
        + _table(["", "data", *(f"class {k}" for k in labels), "total"], rows)
        + _figure(_plots.resampling_counts_png(counts, labels),
                  "Bar chart of rows per class before and after each resampler")
    )


def render_html(result, X, y, *, dataset="your data", title=None):
    """Render a comparison as one self-contained HTML page.

    The page holds the class distribution, the leaderboard with spreads
    (mean ± sd, and a box plot of the per-fold primary metric), out-of-fold
    PR and ROC curves of the top strategies and the baseline, confusion
    matrices of the recommended strategy and of the best threshold-moving
    one (at its tuned threshold), class counts before and after each
    resampler, the notes of the run and a plain-language recommendation.
    Plots are PNG images embedded in the page; it loads nothing else and
    runs no script, so it works offline.

    Parameters
    ----------
    result : ComparisonResult
        What :func:`~imbkit.compare.compare_strategies` returned.
    X, y
        The data it ran on (used for the class counts, the curves and to
        resample once for the counts after resampling).
    dataset : str, default="your data"
        How the page names the data.
    title : str, default=None
        The page title; default ``"imbkit comparison: <dataset>"``.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    MissingExtraError
        If matplotlib is not installed (``pip install "imbkit[report]"``).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.compare import compare_strategies
    >>> from imbkit.report import render_html
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> result = compare_strategies(X, y, ["lr", "lr+rus"], cv=3, n_repeats=1)
    >>> page = render_html(result, X, y, dataset="demo")
    >>> page.startswith("<!DOCTYPE html>"), 'id="leaderboard"' in page
    (True, True)
    """
    facts = result.to_dict()
    title = title or f"imbkit comparison: {dataset}"
    notes = "".join(f"<li>{_e(n)}</li>" for n in result.notes)
    body = (
        f"<h1>{_e(title)}</h1>"
        f"<h2>What to use</h2><p class=\"advice\" id=\"advice\">"
        f"{_e(recommendation_paragraph(facts))}</p>"
        + _dataset_section(result, y, dataset)
        + _leaderboard_section(result, facts)
        + _curves_section(result, y)
        + _confusion_section(result, y)
        + _resampling_section(result, X, y)
        + (f"<h2>Notes</h2><ul>{notes}</ul>" if notes else "")
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # an empty icon: no request for /favicon.ico, so no console error offline
        '<link rel="icon" href="data:,">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )
