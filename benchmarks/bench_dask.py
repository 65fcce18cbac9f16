"""imbkit.dask against resampling in memory: peak memory and time (the dask extra).

Workload: ``n`` rows x 30 float32 features drawn by ``dask.array`` in chunks of
1,000,000 rows, labels with a 1% minority (int8), under-sampled to balance
(``RandomUnderSampler``, 2% of the rows kept). Arms, each in a fresh process
(so its peak resident memory is its own), run alternately ``--repeats`` times:

- ``imbkit.dask``: ``fit_resample`` on the lazy arrays, then ``compute()`` of
  the (small) result; the input is generated chunk by chunk and never held
  whole.
- ``imbkit in memory`` / ``imbalanced-learn in memory``: the arrays are
  computed into numpy first (what one does without Dask), then
  ``imbkit.under_sampling.RandomUnderSampler`` or imbalanced-learn's.

Reported: median wall time (data generation included in every arm) and peak
RSS above the process's RSS after its imports, per arm, and the ratios.
Same class counts in every arm are checked. From the repository root::

    .venv/bin/python benchmarks/bench_dask.py            # 20,000,000 rows
    .venv/bin/python benchmarks/bench_dask.py --rows 2000000 --repeats 1   # smoke
    .venv/bin/python benchmarks/bench_dask.py --sampler smote --rows 10000000 \
        --minority 0.005

writes ``benchmarks/results/dask.json`` (``dask_smote.json`` for ``--sampler
smote``). ``--sampler smote`` runs ``SMOTE(sampling_strategy=0.1,
random_state=0)`` (the minority grown to a tenth of the majority; the arms
check equal outputs through the column sums of the result, which the Dask arm
streams instead of holding the output).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
CHUNK = 1_000_000
N_FEATURES = 30
ARMS = ("imbkit.dask", "imbkit in memory", "imbalanced-learn in memory")


def _rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sampler(arm, kind):
    import importlib

    module = {"imbkit.dask": "imbkit.dask", "imbkit in memory": "imbkit",
              "imbalanced-learn in memory": "imblearn"}[arm]
    package = "over_sampling" if kind == "smote" else "under_sampling"
    path = module if arm == "imbkit.dask" else f"{module}.{package}"
    found = importlib.import_module(path)
    if kind == "smote":
        return found.SMOTE(sampling_strategy=0.1, random_state=0)
    return found.RandomUnderSampler(random_state=0)


def run_arm(arm, n_rows, kind="rus", minority=0.01):
    """One arm in this process: ``{"seconds", "peak_mb_above_start", "counts"}``."""
    import dask
    import dask.array as da
    import numpy as np

    dask.config.set(scheduler="threads")
    sampler = _sampler(arm, kind)
    start_rss = _rss_mb()
    start = time.perf_counter()
    X = da.random.default_rng(0).standard_normal((n_rows, N_FEATURES), chunks=(CHUNK, -1),
                                                 dtype=np.float32)
    y = (da.random.default_rng(1).random(n_rows, chunks=CHUNK) < minority).astype(np.int8)
    if arm != "imbkit.dask":
        X, y = dask.compute(X, y)
    X_res, y_res = sampler.fit_resample(X, y)
    if arm == "imbkit.dask" and kind == "smote":
        # stream the (large) output through a reduction instead of holding it
        sums, y_res = dask.compute(X_res.sum(axis=0, dtype=np.float64), y_res)
        shape = [int(X_res.shape[0]), int(X_res.shape[1])]
    elif arm == "imbkit.dask":
        X_res, y_res = dask.compute(X_res, y_res)
        sums, shape = X_res.sum(axis=0, dtype=np.float64), list(X_res.shape)
    else:
        sums, shape = X_res.sum(axis=0, dtype=np.float64), list(X_res.shape)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb_above_start": _peak_mb() - start_rss,
            "counts": np.bincount(y_res).tolist(), "shape": shape,
            "column_sums_head": [round(float(v), 3) for v in sums[:3]]}


def _in_subprocess(arm, args):
    out = subprocess.run([sys.executable, __file__, "--arm", arm, "--rows", str(args.rows),
                          "--sampler", args.sampler, "--minority", str(args.minority)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sampler", choices=("rus", "smote"), default="rus")
    parser.add_argument("--minority", type=float, default=0.01)
    parser.add_argument("--arm", choices=ARMS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.arm:
        print(json.dumps(run_arm(args.arm, args.rows, args.sampler, args.minority)))
        return
    args.out = args.out or RESULTS / ("dask.json" if args.sampler == "rus"
                                      else "dask_smote.json")
    runs = {arm: [] for arm in ARMS}
    for _ in range(args.repeats):
        for arm in ARMS:
            runs[arm].append(_in_subprocess(arm, args))
            print(arm, runs[arm][-1], file=sys.stderr, flush=True)
    counts = {arm: r[0]["counts"] for arm, r in runs.items()}
    sums = {arm: r[0]["column_sums_head"] for arm, r in runs.items()}
    summary = {arm: {"median_seconds": statistics.median(r["seconds"] for r in rs),
                     "median_peak_mb": statistics.median(r["peak_mb_above_start"] for r in rs)}
               for arm, rs in runs.items()}
    base = summary["imbkit.dask"]
    ratios = {arm: {"memory_ratio": s["median_peak_mb"] / base["median_peak_mb"],
                    "time_ratio": s["median_seconds"] / base["median_seconds"]}
              for arm, s in summary.items() if arm != "imbkit.dask"}
    import dask
    import numpy

    out = {
        "benchmark": "imbkit.dask RandomUnderSampler against resampling in memory",
        "command": " ".join([Path(sys.executable).name, "benchmarks/bench_dask.py",
                             *(argv if argv is not None else sys.argv[1:])]),
        "workload": {"rows": args.rows, "features": N_FEATURES, "dtype": "float32",
                     "input_gb": args.rows * N_FEATURES * 4 / 1e9, "chunk_rows": CHUNK,
                     "minority_share": args.minority,
                     "sampler": "RandomUnderSampler(random_state=0)" if args.sampler == "rus"
                     else "SMOTE(sampling_strategy=0.1, random_state=0)"},
        "same_class_counts": len({json.dumps(c) for c in counts.values()}) == 1,
        "column_sums_head": sums,
        "class_counts": counts,
        "summary": summary,
        "ratios_vs_dask": ratios,
        "runs": runs,
        "versions": {"dask": dask.__version__, "numpy": numpy.__version__,
                     "python": platform.python_version()},
        "machine": {"cpu_count": os.cpu_count(), "loadavg_1min": os.getloadavg()[0]},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({"summary": summary, "ratios": ratios,
                      "same_class_counts": out["same_class_counts"]}, indent=1))


if __name__ == "__main__":
    main()
