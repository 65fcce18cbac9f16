"""Time imbkit's ensembles against imbalanced-learn's: fit + predict_proba.

Same harness and workload as the sampler benchmarks (``make_classification(
n_samples=200_000, n_features=30, n_informative=10, weights=[0.99],
flip_y=0.01, random_state=0)``, float64), default parameters, ``random_state=0``
and the same ``n_jobs`` for both. Each case times ``fit(X, y)`` followed by
``predict_proba(X)``; a warm-up of both, then ``--repeats`` alternating rounds;
medians and the ratio imbalanced-learn / imbkit go to
``benchmarks/results/ensembles_speed.json``. The probabilities are compared
too (imbkit's equal imbalanced-learn's for the same ``random_state``).

Run: ``.venv/bin/python benchmarks/bench_ensembles.py [--only NAME ...] [--n-jobs N]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _harness import compare, header, report, workload, write

# name -> target ratio (issue 5: no slower than imbalanced-learn)
CASES = {
    "BalancedRandomForestClassifier": 1.0,
    "EasyEnsembleClassifier": 1.0,
    "BalancedBaggingClassifier": 1.0,
    "RUSBoostClassifier": 1.0,
}


def fit_proba(model, X, y):
    return (model.fit(X, y).predict_proba(X),)


def same_proba(ref, ours):
    return bool(ref[0].shape == ours[0].shape and np.allclose(ref[0], ours[0]))


def _factory(package, name, n_jobs):
    cls = getattr(__import__(f"{package}.ensemble", fromlist=[name]), name)
    kwargs = {"random_state": 0}
    if "n_jobs" in cls().get_params():
        kwargs["n_jobs"] = n_jobs
    return lambda: cls(**kwargs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--only", nargs="*", help="case names to run")
    args = parser.parse_args(argv)

    results = header(args.repeats)
    results["call"] = "fit(X, y).predict_proba(X)"
    results["n_jobs"] = args.n_jobs
    X, y = workload()
    for name in args.only or list(CASES):
        row = compare(_factory("imblearn", name, args.n_jobs),
                      _factory("imbkit", name, args.n_jobs),
                      X, y, args.repeats, call=fit_proba, same=same_proba)
        row.update(target_ratio=CASES[name], meets_target=row["ratio"] >= CASES[name])
        results["timings"][name] = row
        report(name, row)
    write(results, "ensembles_speed.json", partial=bool(args.only))


if __name__ == "__main__":
    main()
