"""The ``imbkit`` command.

Until the ``compare`` command lands, running ``imbkit`` (or ``python -m imbkit``)
with no arguments resamples the bundled default dataset with every
over-sampler and prints the class counts before and after, and the time taken.
``imbkit datasets`` lists the bundled datasets.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import numpy as np

__all__ = ["main"]

DEFAULT_DATASET = "yeast_me2"


def _oversamplers(X):
    """Every over-sampler with the settings used on the demo dataset."""
    from ..over_sampling import (
        ADASYN,
        SMOTE,
        SMOTEN,
        SMOTENC,
        SVMSMOTE,
        BorderlineSMOTE,
        KMeansSMOTE,
        RandomOverSampler,
    )

    # 'erl' takes two values on this dataset: a natural categorical column for SMOTENC
    return [
        ("RandomOverSampler", RandomOverSampler(random_state=0), X),
        ("RandomOverSampler(shrinkage=1)", RandomOverSampler(shrinkage=1.0, random_state=0), X),
        ("SMOTE", SMOTE(random_state=0), X),
        ("BorderlineSMOTE-1", BorderlineSMOTE(random_state=0), X),
        ("BorderlineSMOTE-2", BorderlineSMOTE(kind="borderline-2", random_state=0), X),
        ("SVMSMOTE", SVMSMOTE(random_state=0), X),
        ("ADASYN", ADASYN(random_state=0), X),
        ("KMeansSMOTE", KMeansSMOTE(cluster_balance_threshold=0.0, random_state=0), X),
        ("SMOTENC(erl categorical)", SMOTENC(categorical_features=[4], random_state=0), X),
        # SMOTEN needs categorical data: each feature binned into quartiles
        ("SMOTEN(quartile bins)", SMOTEN(random_state=0), _quartiles(X)),
    ]


def _quartiles(X):
    edges = np.quantile(X, [0.25, 0.5, 0.75], axis=0)
    return np.stack([np.searchsorted(edges[:, j], X[:, j]) for j in range(X.shape[1])], axis=1)


def _counts(y):
    return ", ".join(f"{k}: {v}" for k, v in sorted(Counter(y.tolist()).items()))


def run_oversampling_demo(dataset=DEFAULT_DATASET, out=print):
    """Resample a bundled dataset with every over-sampler; print counts and timings."""
    from ..datasets import load_dataset

    data = load_dataset(dataset)
    X, y = data.data, data.target
    out(f"dataset {dataset}: {X.shape[0]} rows, {X.shape[1]} features, classes {{{_counts(y)}}}")
    out(f"{'method':32s} {'classes after':28s} {'seconds':>8s}")
    for name, sampler, X_in in _oversamplers(X):
        start = time.perf_counter()
        _, y_res = sampler.fit_resample(X_in, y)
        elapsed = time.perf_counter() - start
        out(f"{name:32s} {'{' + _counts(y_res) + '}':28s} {elapsed:8.4f}")
    return 0


def _list_datasets(out=print):
    from ..datasets import list_datasets

    for info in list_datasets():
        out(
            f"{info['name']}: {info['n_samples']} rows, {info['n_features']} features, "
            f"{info['n_minority']} minority, imbalance ratio {info['imbalance_ratio']:.1f}"
        )
    return 0


def main(argv=None):
    """Run the ``imbkit`` command; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="imbkit", description="Learning from class-imbalanced data."
    )
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("oversample", help="resample a bundled dataset with every over-sampler")
    demo.add_argument("--dataset", default=DEFAULT_DATASET)
    sub.add_parser("datasets", help="list the bundled datasets")
    args = parser.parse_args(argv)
    if args.command == "datasets":
        return _list_datasets()
    return run_oversampling_demo(getattr(args, "dataset", DEFAULT_DATASET))
