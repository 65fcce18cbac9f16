"""Time imbkit's over-samplers against imbalanced-learn's, in one process, on one workload.

Workload (from the foundation issue): ``make_classification(n_samples=200_000,
n_features=30, n_informative=10, weights=[0.99], flip_y=0.01, random_state=0)``,
float64 and float32. For each sampler: one warm-up run of each library, then
``--repeats`` rounds alternating imbalanced-learn and imbkit; medians and the
ratio imbalanced-learn / imbkit are reported and written to
``benchmarks/results/oversampling.json``. Outputs are compared too, so a
speed-up can never come from a different answer.

A second part measures SMOTE's peak memory on 2,000,000 rows in a child
process (tracemalloc counts NumPy's allocations), against the bytes of input
plus output.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_oversampling.py``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import numpy as np

from _harness import compare, header, report, workload, write

# name -> (constructor kwargs, target ratio from the issue)
CASES = {
    "RandomOverSampler": ({}, 1.0),
    "SMOTE": ({}, 1.5),
    "BorderlineSMOTE": ({}, 1.5),
    "SVMSMOTE": ({}, 1.0),
    "ADASYN": ({}, 1.5),
    "KMeansSMOTE": ({"cluster_balance_threshold": 0.0}, 1.2),
}


def bench_case(name, kwargs, X, y, repeats, warmup=True):
    import imblearn.over_sampling as peer

    import imbkit.over_sampling as ours

    return compare(
        lambda: getattr(peer, name)(random_state=0, **kwargs),
        lambda: getattr(ours, name)(random_state=0, **kwargs),
        X, y, repeats, warmup=warmup,
    )


_MEMORY_CHILD = r"""
import json, sys, tracemalloc
import numpy as np
from sklearn.datasets import make_classification
from imbkit.over_sampling import SMOTE
n = int(sys.argv[1])
X, y = make_classification(n_samples=n, n_features=30, n_informative=10,
                           weights=[0.99], flip_y=0.01, random_state=0)
SMOTE(random_state=0).fit_resample(X[:5000], y[:5000])  # import-time allocations out
tracemalloc.start()
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
_, new_peak = tracemalloc.get_traced_memory()
in_bytes = X.nbytes + y.nbytes
io_bytes = in_bytes + X_res.nbytes + y_res.nbytes
# the input was allocated before tracing started: the process peak is input + new peak
peak = in_bytes + new_peak
print(json.dumps({"n_samples": n, "peak_bytes": peak, "input_plus_output_bytes": io_bytes,
                  "peak_over_io": peak / io_bytes, "target": 1.5}))
"""


def bench_memory(n_samples):
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(n_samples)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="sampler names to run")
    parser.add_argument("--memory-rows", type=int, default=2_000_000)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-warmup", action="store_true",
                        help="no separate warm-up round (for runs of minutes: SVMSMOTE)")
    parser.add_argument("--dtypes", nargs="*", default=["float64", "float32"])
    args = parser.parse_args(argv)

    results = header(args.repeats)
    for dtype in map(np.dtype, args.dtypes):
        X, y = workload(dtype)
        for name in args.only or list(CASES):
            kwargs, target = CASES[name]
            row = bench_case(name, kwargs, X, y, args.repeats, warmup=not args.no_warmup)
            row["target_ratio"] = target
            row["meets_target"] = row["ratio"] >= target
            key = f"{name}/{np.dtype(dtype).name}"
            results["timings"][key] = row
            report(key, row)
    if not args.no_memory:
        results["smote_memory"] = bench_memory(args.memory_rows)
        print("SMOTE memory:", results["smote_memory"])
    write(results, "oversampling.json", partial=bool(args.only) or args.no_memory)


if __name__ == "__main__":
    main()
