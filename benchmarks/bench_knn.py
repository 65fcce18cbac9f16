"""Speed of :func:`imbkit.neighbors.kneighbors` against scikit-learn's brute kNN.

Workload: reference = X of ``make_classification(n_samples=200_000, n_features=30,
n_informative=10, weights=[0.99], flip_y=0.01, random_state=0)``, query = its
minority rows; plus the small case query = reference = minority rows. Each case is
timed alternately (engine, scikit-learn, 50 ms apart) after a warm-up; the median
of the repeats (five times as many for the small case) and the ratio
sklearn / imbkit are printed, and written as JSON with ``--out``.

Run: ``PYTHONPATH=src python benchmarks/bench_knn.py [--repeats 5] [--out FILE]``
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import numpy as np
from sklearn.datasets import make_classification

from imbkit.neighbors import kneighbors, kneighbors_sklearn

PAUSE = 0.05


def _time(fn, pause=0.0):
    # The pause lets the other library's idle threads stop spinning first
    # (libgomp and OpenBLAS workers busy-wait for a few ms after a call, which
    # otherwise slows whichever call comes next).
    time.sleep(pause)
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench_case(name, query, reference, k, repeats):
    engine = lambda: kneighbors(query, reference, k)
    oracle = lambda: kneighbors_sklearn(query, reference, k)
    _, (_, i_e) = _time(engine)
    _, (_, i_s) = _time(oracle)
    same = bool(np.array_equal(i_e, i_s))
    t_e, t_s = [], []
    for _ in range(repeats):
        t_e.append(_time(engine, PAUSE)[0])
        t_s.append(_time(oracle, PAUSE)[0])
    row = {
        "case": name,
        "n_query": int(query.shape[0]),
        "n_reference": int(reference.shape[0]),
        "n_neighbors": k,
        "dtype": str(query.dtype),
        "imbkit_s": float(np.median(t_e)),
        "sklearn_s": float(np.median(t_s)),
        "same_indices": same,
    }
    row["ratio"] = row["sklearn_s"] / row["imbkit_s"]
    print(
        f"{name:<7} {row['dtype']:<8} k={k:<3} imbkit {row['imbkit_s']:.4f}s  "
        f"sklearn {row['sklearn_s']:.4f}s  ratio {row['ratio']:.2f}  equal={same}"
    )
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", help="write the results as JSON to this file")
    args = parser.parse_args(argv)

    X, y = make_classification(
        n_samples=200_000,
        n_features=30,
        n_informative=10,
        weights=[0.99],
        flip_y=0.01,
        random_state=0,
    )
    rows = []
    for dtype in (np.float64, np.float32):
        ref = X.astype(dtype)
        minority = ref[y == 1]
        for k in (6, 11):
            rows.append(bench_case("large", minority, ref, k, args.repeats))
        # A ~10 ms call: more repeats for a stable median.
        rows.append(bench_case("small", minority, minority, 6, 5 * args.repeats))
    if args.out:
        meta = {"machine": platform.processor() or platform.machine(), "results": rows}
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(meta, fh, indent=2)


if __name__ == "__main__":
    main()
