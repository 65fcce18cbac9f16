"""imbkit.report: the leaderboard, the advice paragraph, the facts and the HTML page."""

import base64
import io
import re
import sys

import numpy as np
import pytest

from imbkit.exceptions import MissingExtraError
from imbkit.report import (
    _facts,
    format_leaderboard,
    leaderboard_rows,
    print_leaderboard,
    recommendation_paragraph,
    render_html,
    resampling_counts,
)


def test_leaderboard_rows_header_order_and_cells(small_comparison):
    result, _, _ = small_comparison
    header, rows = leaderboard_rows(result)
    assert header == ["rank", "strategy", "PR-AUC", "ROC-AUC", "MCC", "Recall", "fit s"]
    assert [row[1] for row in rows] == result.ranking
    summary = result.summary()
    best = result.ranking[0]
    mean, std = summary.loc[best, ("pr_auc", "mean")], summary.loc[best, ("pr_auc", "std")]
    assert rows[0][0] == "1"
    assert rows[0][2] == f"{mean:.3f} ± {std:.3f}"


def test_leaderboard_rows_put_expected_cost_first_with_costs():
    facts = {
        "primary_metric": "mcc", "cost_matrix": [[0, 1], [10, 0]], "ranking": ["a"],
        "summary": {"a": {m: {"mean": 0.5, "std": float("nan"), "rank": 1}
                          for m in ("mcc", "expected_cost", "pr_auc", "roc_auc")}
                    | {"fit_time": 0.25}},
    }
    header, rows = leaderboard_rows(facts)
    assert header == ["rank", "strategy", "MCC", "Exp. cost", "PR-AUC", "ROC-AUC", "fit s"]
    assert rows == [["1", "a", "0.500", "0.500", "0.500", "0.500", "0.250"]]


def test_format_leaderboard_aligns_columns(small_comparison):
    result, _, _ = small_comparison
    lines = format_leaderboard(result, metrics=["pr_auc"]).splitlines()
    assert len(lines) == 2 + len(result.ranking)
    assert lines[0].split() == ["rank", "strategy", "PR-AUC", "fit", "s"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split()[1] == result.recommended


def test_print_leaderboard_rich_table_and_plain_fallback(small_comparison, monkeypatch):
    pytest.importorskip("rich")
    result, _, _ = small_comparison
    out = io.StringIO()
    assert print_leaderboard(result, file=out) is True
    text = out.getvalue()
    assert "Leaderboard: ranked by PR-AUC, mean ± sd over 6 folds" in text
    assert all(name in text for name in result.ranking)
    monkeypatch.setitem(sys.modules, "rich", None)
    monkeypatch.setitem(sys.modules, "rich.console", None)
    out = io.StringIO()
    assert print_leaderboard(result, file=out) is False
    assert out.getvalue() == format_leaderboard(result) + "\n"
    with pytest.raises(ImportError):
        print_leaderboard(result, file=io.StringIO(), use_rich=True)


def _facts_dict(recall_best=0.1):
    def cells(recall, f1):
        return {"recall": {"mean": recall}, "f1": {"mean": f1}, "pr_auc": {"mean": 0.4}}

    return {
        "primary_metric": "pr_auc", "recommended": "lr", "pos_label": 1,
        "ranking": ["lr", "lr+threshold"],
        "strategies": [{"name": "lr", "family": "baseline", "description": "plain"},
                       {"name": "lr+threshold", "family": "threshold", "description": "t"}],
        "summary": {"lr": cells(recall_best, 0.2), "lr+threshold": cells(0.55, 0.41)},
        "confidence": {"sentence": "lr is best.", "level": "low"},
    }


def test_recommendation_paragraph_warns_about_low_recall_and_names_threshold():
    text = recommendation_paragraph(_facts_dict(recall_best=0.1))
    assert text.startswith("Use lr (plain). lr is best. The differences between the top")
    assert "at its own decision threshold lr finds only 10% of the minority class" in text
    assert "lr+threshold finds 55% of it with an F1 of 0.41" in text


def test_recommendation_paragraph_no_decision_advice_when_recall_is_high():
    text = recommendation_paragraph(_facts_dict(recall_best=0.8))
    assert "decision threshold" not in text
    assert text.endswith("add rows or repeats (--repeats) to separate them.")


def test_resampling_counts_exact(small_comparison):
    result, X, y = small_comparison
    counts = resampling_counts(result, X, y)
    assert counts["original"] == {0: 269, 1: 31}
    assert counts["lr+rus"] == {0: 31, 1: 31}
    assert counts["lr+smote"] == {0: 269, 1: 269}
    assert list(counts)[1:] == [n for n in result.ranking if n in ("lr+rus", "lr+smote")]


def test_oof_confusion_counts_every_row_once(small_comparison):
    result, _, y = small_comparison
    matrix = _facts.oof_confusion(result, y, "lr")
    assert matrix.shape == (2, 2)
    assert matrix.sum() == 300
    assert matrix.sum(axis=1).tolist() == [269, 31]


def test_curve_strategies_are_the_top_three_and_the_baseline(small_comparison):
    result, _, y = small_comparison
    names = _facts.curve_strategies(result)
    assert names[:3] == result.ranking[:3]
    assert "lr" in names and len(names) == (3 if "lr" in result.ranking[:3] else 4)
    curves = _facts.oof_curves(result, y, names, _facts.positive_class(result, y))
    assert [len(truth) for _, truth, _ in curves] == [600] * len(names)  # 2 repeats pooled
    assert all(truth.sum() == 62 for _, truth, _ in curves)


def _images(page):
    return re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"', page)


def test_render_html_is_self_contained_with_every_section(small_comparison):
    result, X, y = small_comparison
    page = render_html(result, X, y, dataset="demo data")
    assert page.startswith("<!DOCTYPE html>")
    for heading in ("What to use", "Data", "Leaderboard", "Precision-recall and ROC curves",
                    "Confusion matrices", "Class counts before and after resampling"):
        assert f"<h2>{heading}</h2>" in page
    assert page.count('<table id="leaderboard">') == 1
    assert page.count("<tr") - page.count("<thead>") >= len(result.ranking)
    images = _images(page)
    # classes, spread, curves, 2 confusion matrices (recommended + threshold), resampling
    expected = 6 if result.recommended != "lr+threshold" else 5
    assert len(images) == page.count("<img") == expected
    for data, _ in images:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "<title>imbkit comparison: demo data</title>" in page


def test_render_html_escapes_names(small_comparison):
    result, X, y = small_comparison
    page = render_html(result, X, y, dataset="<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page


def test_render_html_without_matplotlib_names_the_extra(small_comparison, monkeypatch):
    result, X, y = small_comparison
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingExtraError, match=r'pip install "imbkit\[report\]"'):
        render_html(result, X, y)


def test_render_html_multiclass_draws_curves_of_the_rarest_class():
    from sklearn.datasets import make_classification

    from imbkit.compare import compare_strategies

    X, y = make_classification(n_samples=240, n_classes=3, n_informative=4,
                               weights=[0.6, 0.3, 0.1], random_state=1)
    result = compare_strategies(X, y, ["lr", "lr+rus"], cv=3, n_repeats=1, progress=False)
    page = render_html(result, X, y)
    rarest = int(np.argmin(np.bincount(y)))
    assert f"Out-of-fold scores of class {rarest} (one vs the rest)" in page
    assert len(_images(page)) == 5  # classes, spread, curves, 1 confusion, resampling
