"""The report's figures, drawn with matplotlib and returned as PNG data URIs.

Figures are built with :class:`matplotlib.figure.Figure` directly, never
through ``pyplot``, so no global backend or figure registry is touched.
"""

from __future__ import annotations

import base64
import io

import numpy as np

from ..exceptions import MissingExtraError

__all__ = [
    "class_distribution_png",
    "confusion_matrix_png",
    "curves_png",
    "fold_scores_png",
    "resampling_counts_png",
]

_INSTALL = 'pip install "imbkit[report]"'


def _figure(width, height):
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise MissingExtraError(
            f"The HTML report draws its plots with matplotlib, which is not installed: "
            f"{_INSTALL}."
        ) from exc
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def class_distribution_png(labels, counts):
    """Bar chart of the rows per class (``labels``, ``counts`` in the same order)."""
    fig = _figure(5.0, 3.0)
    ax = fig.add_subplot()
    bars = ax.bar([str(c) for c in labels], counts, color="#4c72b0")
    ax.bar_label(bars, labels=[str(int(c)) for c in counts])
    ax.set_xlabel("class")
    ax.set_ylabel("rows")
    ax.set_title("Class distribution")
    ax.margins(y=0.15)
    return _png(fig)


def fold_scores_png(fold_scores, metric_name):
    """Box plot of each strategy's per-fold scores (``{strategy: array}``, best first)."""
    names = list(fold_scores)
    fig = _figure(7.0, 0.6 + 0.35 * len(names))
    ax = fig.add_subplot()
    values = [np.asarray(fold_scores[n], dtype=float) for n in names][::-1]
    data, positions = [v[np.isfinite(v)] for v in values], np.arange(1, len(names) + 1)
    try:
        ax.boxplot(data, positions=positions, orientation="horizontal")
    except TypeError:  # matplotlib < 3.10
        ax.boxplot(data, positions=positions, vert=False)
    ax.set_yticks(positions, names[::-1])
    for i, v in enumerate(values, start=1):
        ax.plot(v, np.full(v.shape, i), "o", ms=3, alpha=0.5, color="#4c72b0")
    ax.set_xlabel(f"{metric_name} per fold")
    ax.set_title(f"Spread of {metric_name} over the folds (best at the top)")
    return _png(fig)


def curves_png(curves, positive):
    """PR and ROC curves side by side.

    ``curves`` is a list of ``(label, y_true, score)``: binary truth (1 for
    ``positive``) and the score of ``positive``, pooled out-of-fold rows.
    """
    from sklearn.metrics import precision_recall_curve, roc_curve

    fig = _figure(10.0, 4.2)
    pr_ax, roc_ax = fig.subplots(1, 2)
    for label, y_true, score in curves:
        precision, recall, _ = precision_recall_curve(y_true, score)
        pr_ax.plot(recall, precision, drawstyle="steps-post", label=label)
        fpr, tpr, _ = roc_curve(y_true, score)
        roc_ax.plot(fpr, tpr, label=label)
    prevalence = float(np.mean(curves[0][1])) if curves else 0.0
    pr_ax.axhline(prevalence, color="grey", ls=":", lw=1, label=f"chance ({prevalence:.3f})")
    roc_ax.plot([0, 1], [0, 1], color="grey", ls=":", lw=1, label="chance")
    pr_ax.set(xlabel=f"recall of class {positive}", ylabel="precision",
              title="Precision-recall (out-of-fold)", xlim=(0, 1), ylim=(0, 1.02))
    roc_ax.set(xlabel="false positive rate", ylabel="true positive rate",
               title="ROC (out-of-fold)", xlim=(0, 1), ylim=(0, 1.02))
    pr_ax.legend(fontsize=7, loc="upper right")
    roc_ax.legend(fontsize=7, loc="lower right")
    return _png(fig)


def confusion_matrix_png(matrix, labels, title):
    """Annotated confusion matrix (rows: true class, columns: predicted class)."""
    matrix = np.asarray(matrix)
    fig = _figure(3.6 + 0.4 * len(labels), 3.2 + 0.4 * len(labels))
    ax = fig.add_subplot()
    ax.imshow(matrix, cmap="Blues")
    threshold = matrix.max() / 2 if matrix.size else 0
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, str(int(value)), ha="center", va="center",
                color="white" if value > threshold else "black")
    ticks = range(len(labels))
    ax.set_xticks(ticks, [str(c) for c in labels])
    ax.set_yticks(ticks, [str(c) for c in labels])
    ax.set(xlabel="predicted class", ylabel="true class")
    ax.set_title(title, fontsize=9)
    return _png(fig)


def resampling_counts_png(counts, labels):
    """Grouped bars: rows per class before resampling and after each resampler.

    ``counts`` is ``{name: {class: rows}}``, its first entry the original data.
    """
    names = list(counts)
    fig = _figure(max(5.0, 1.2 + 1.1 * len(names)), 3.4)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(labels))
    x = np.arange(len(names))
    for k, label in enumerate(labels):
        heights = [counts[n].get(label, 0) for n in names]
        bars = ax.bar(x + k * width, heights, width, label=f"class {label}")
        ax.bar_label(bars, fontsize=7)
    ax.set_xticks(x + width * (len(labels) - 1) / 2, names, rotation=20, ha="right")
    ax.set_ylabel("rows")
    ax.set_title("Rows per class before and after resampling (all rows)")
    ax.legend(fontsize=8)
    ax.margins(y=0.15)
    return _png(fig)
