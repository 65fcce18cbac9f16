"""Shared benchmark harness: imbkit against its peer, same process, same data.

Each case runs one warm-up of both libraries (also used to check that the
outputs agree), then ``repeats`` rounds alternating peer and imbkit; the
medians and the ratio peer / imbkit are reported. Results are written as JSON
under ``benchmarks/results/``; a run limited to some cases (``--only``) updates
those rows of an existing file and keeps the others.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
from sklearn.datasets import make_classification

RESULTS = Path(__file__).resolve().parent / "results"

WORKLOAD = (
    "make_classification(n_samples={n}, n_features=30, n_informative=10, "
    "weights=[0.99], flip_y=0.01, random_state=0)"
)


def workload(dtype=np.float64, n_samples=200_000):
    """The issue's imbalanced workload: 30 features, 1% minority."""
    X, y = make_classification(
        n_samples=n_samples, n_features=30, n_informative=10, weights=[0.99],
        flip_y=0.01, random_state=0,
    )
    return X.astype(dtype), y


def resample(sampler, X, y):
    return sampler.fit_resample(X, y)


def timed(sampler, X, y, call=resample):
    start = time.perf_counter()
    out = call(sampler, X, y)
    return time.perf_counter() - start, out


def same_output(ref, ours):
    """True when both (X, y) outputs hold the same rows (to float rounding)."""
    (Xp, yp), (Xo, yo) = ref, ours
    if hasattr(Xp, "toarray"):
        Xp, Xo = Xp.toarray(), Xo.toarray()
    return bool(np.array_equal(yp, yo) and Xp.shape == Xo.shape and np.allclose(Xp, Xo))


def compare(make_peer, make_ours, X, y, repeats, warmup=True, call=resample,
            same=same_output):
    """Time ``make_peer()`` and ``make_ours()`` alternately on ``(X, y)``.

    ``call(obj, X, y)`` is what is timed (default: ``fit_resample``) and ``same``
    compares the two outputs. With ``warmup=False`` (peers that take minutes),
    the first timed round also provides the outputs that are compared.
    """
    t_peer, t_ours = [], []
    load_start = os.getloadavg()[0]
    if warmup:
        _, ref = timed(make_peer(), X, y, call)
        _, ours = timed(make_ours(), X, y, call)
    for i in range(repeats):
        t, out_peer = timed(make_peer(), X, y, call)
        t_peer.append(t)
        t, out_ours = timed(make_ours(), X, y, call)
        t_ours.append(t)
        if not warmup and i == 0:
            ref, ours = out_peer, out_ours
    med_peer, med_ours = statistics.median(t_peer), statistics.median(t_ours)
    return {
        "imblearn_median_s": med_peer,
        "imbkit_median_s": med_ours,
        "ratio": med_peer / med_ours,
        "repeats": repeats,
        "warmup": warmup,
        "same_output": same(ref, ours),
        "n_output_rows": int(ours[0].shape[0]),
        # the machine is shared: the 1-minute load average around the run says how
        # busy it was (2 cores; a load near 1 is this benchmark alone)
        "load_avg_1min": [round(load_start, 2), round(os.getloadavg()[0], 2)],
    }


def header(repeats):
    import imblearn
    import sklearn

    import imbkit

    return {
        "workload": WORKLOAD.format(n="200_000"),
        "repeats": repeats,
        "versions": {
            "imbkit": imbkit.__version__, "imblearn": imblearn.__version__,
            "sklearn": sklearn.__version__, "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform()},
        "timings": {},
    }


def write(results, name, partial):
    """Write ``results`` to ``benchmarks/results/<name>``; a partial run merges rows."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    if partial and path.exists():
        previous = json.loads(path.read_text())
        previous["timings"].update(results["timings"])
        for key, value in previous.items():
            results.setdefault(key, value)
        results["timings"] = previous["timings"]
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {path}")


def report(name, row):
    print(
        f"{name:28s} imblearn {row['imblearn_median_s']:9.4f}s  imbkit "
        f"{row['imbkit_median_s']:8.4f}s  ratio {row['ratio']:7.2f} (target "
        f"{row.get('target_ratio')})  same output: {row['same_output']}",
        flush=True,
    )
