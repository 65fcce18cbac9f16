"""Sampler contract checks on results: counts, original rows, determinism, no mutation.

Also the battery's data and the helpers the other check modules share. Public
through :mod:`imbkit.utils.estimator_checks`.
"""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from unittest import SkipTest

import numpy as np
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.base import clone

from ._validation import check_sampling_strategy

# ------------------------------------------------------------------ data


def _make_data(kind="multiclass", labels=None, seed=0, dtype=np.float64):
    """Overlapping Gaussian classes, shuffled; column 0 is categorical (0, 1, 2).

    ``kind='multiclass'`` gives classes 0, 1, 2 with 30, 50, 80 rows;
    ``kind='binary'`` classes 0, 1 with 40, 100 rows. ``labels`` renames them.
    """
    sizes = (40, 100) if kind == "binary" else (30, 50, 80)
    rng = np.random.RandomState(seed)
    y = np.repeat(np.arange(len(sizes)), sizes)
    rng.shuffle(y)
    X = rng.normal(size=(y.size, 4)) + 0.8 * y[:, None]
    X[:, 0] = (rng.randint(0, 3, size=y.size) + y) % 3
    if labels is not None:
        y = np.asarray(labels)[y]
    return X.astype(dtype), y


def _halfway_up(y):
    """Callable strategy: grow every class half-way to the majority count."""
    stats = Counter(y.tolist())
    top = max(stats.values())
    return {c: (n + top) // 2 for c, n in stats.items()}


def _halfway_down(y):
    """Callable strategy: shrink every class half-way to the minority count."""
    stats = Counter(y.tolist())
    low = min(stats.values())
    return {c: (n + low) // 2 for c, n in stats.items()}


# every strategy form each sampling type accepts, on the binary (40/100) and
# the 3-class (30/50/80) data of _make_data
_STRATEGIES = {
    ("over-sampling", "binary"): ["auto", "minority", "all", 0.8, 1.0, {0: 70}, _halfway_up],
    ("over-sampling", "multiclass"): [
        "auto", "minority", "not minority", "not majority", "all",
        {0: 80, 1: 60}, {1: 55}, _halfway_up,
    ],
    ("under-sampling", "binary"): ["auto", "majority", 0.8, 0.5, {1: 60}, _halfway_down],
    ("under-sampling", "multiclass"): [
        "auto", "majority", "not minority", "not majority", "all",
        {2: 30, 1: 40}, {2: 60}, _halfway_down,
    ],
    ("clean-sampling", "binary"): ["auto", "majority", [1]],
    ("clean-sampling", "multiclass"): [
        "auto", "majority", "not minority", "not majority", "all", [2], [1, 2],
    ],
}

# ------------------------------------------------------------------ helpers


def _sampling_type(sampler):
    return getattr(sampler, "_sampling_type", "bypass")


def _seeded(sampler, seed=0):
    """A clone with an int ``random_state`` (kept if it already is one)."""
    sampler = clone(sampler)
    params = sampler.get_params(deep=False)
    if "random_state" in params and not isinstance(params["random_state"], (int, np.integer)):
        sampler.set_params(random_state=seed)
    return sampler


def _import_or_skip(module):
    try:
        return __import__(module)
    except ImportError as exc:
        raise SkipTest(f"{module} is not installed") from exc


def _dense(X):
    return X.toarray() if sparse.issparse(X) else np.asarray(X)


def _assert_same_output(first, second, what):
    assert len(first) == len(second), f"{what}: different numbers of outputs"
    for a, b in zip(first, second):
        assert sparse.issparse(a) == sparse.issparse(b), f"{what}: sparse vs dense"
        assert_array_equal(_dense(a), _dense(b), err_msg=what)


def _plain(mapping):
    """``{np.int64(0): np.int64(5)}`` as ``{0: 5}``, for messages."""
    return {getattr(k, "item", lambda: k)(): getattr(v, "item", lambda: v)()
            for k, v in dict(mapping).items()}


def _assert_counts(sampler, y, y_res):
    """Class counts of ``y_res`` are those ``sampler.sampling_strategy_`` promises."""
    kind, strategy = _sampling_type(sampler), sampler.sampling_strategy_
    before, after = Counter(np.asarray(y).tolist()), Counter(np.asarray(y_res).tolist())
    assert set(after) <= set(before), f"new classes appeared: {set(after) - set(before)}"
    for klass, n in before.items():
        if kind == "over-sampling":
            expected = n + strategy.get(klass, 0)
        elif kind == "under-sampling":
            expected = strategy.get(klass, n)
        elif kind == "clean-sampling" and klass in strategy:
            assert after[klass] <= n, f"a cleaner grew class {klass!r}"
            continue
        elif kind == "clean-sampling":
            expected = n
        else:  # 'bypass' and others promise nothing about counts
            continue
        assert after[klass] == expected, (
            f"class {klass!r}: {after[klass]} samples after resampling, expected "
            f"{expected} from sampling_strategy_={_plain(strategy)} ({kind})"
        )


def _row_keys(X, y):
    X = np.ascontiguousarray(_dense(X))
    labels = np.asarray(y).tolist()
    if X.dtype == object:  # the bytes of an object row are pointers, not values
        return [(tuple(row), label) for row, label in zip(X.tolist(), labels)]
    return [(row.tobytes(), label) for row, label in zip(X, labels)]


def _rows_subset(X_res, y_res, X, y):
    """Whether every (row, label) of the output is a (row, label) of the input."""
    known = set(_row_keys(X, y))
    return all(key in known for key in _row_keys(X_res, y_res))


def _assert_raises(exc_type, fix, func, *args, **kwargs):
    """``func`` raises ``exc_type`` with a message matching ``fix`` (how to fix it)."""
    types = exc_type if isinstance(exc_type, tuple) else (exc_type,)
    expected = " or ".join(t.__name__ for t in types)
    try:
        func(*args, **kwargs)
    except exc_type as exc:
        message = str(exc)
        assert len(message) > 20, f"{type(exc).__name__} with a bare message: {message!r}"
        assert re.search(fix, message), (
            f"the message {message!r} should tell the user what to do (match {fix!r})"
        )
        return exc
    except Exception as exc:  # noqa: BLE001 -- reported as the wrong error
        raise AssertionError(
            f"expected {expected}, got {type(exc).__name__}: {exc}"
        ) from exc
    raise AssertionError(f"expected {expected}, nothing was raised")


# ------------------------------------------------------------------ checks: results


def check_samplers_fit(name, sampler_orig):
    """``fit`` returns self and sets the same ``sampling_strategy_`` as ``fit_resample``."""
    X, y = _make_data()
    sampler = clone(sampler_orig)
    assert sampler.fit(X, y) is sampler, f"{name}.fit must return self"
    fitted = sampler.sampling_strategy_
    sampler.fit_resample(X, y)
    assert sampler.sampling_strategy_ == fitted, "fit and fit_resample disagree"
    assert sampler.n_features_in_ == X.shape[1]


def check_samplers_fit_resample(name, sampler_orig):
    """Default strategy: exact counts on binary, 3-class, string and negative labels."""
    cases = [
        _make_data("binary"),
        _make_data("multiclass"),
        _make_data("multiclass", labels=np.array(["low", "mid", "top"], dtype=object)),
        _make_data("binary", labels=np.array([-1, 7])),
    ]
    for X, y in cases:
        sampler = clone(sampler_orig)
        X_res, y_res = sampler.fit_resample(X, y)
        assert X_res.shape[0] == len(y_res) and X_res.shape[1] == X.shape[1]
        assert np.asarray(y_res).dtype == y.dtype, "the dtype of y changed"
        _assert_counts(sampler, y, y_res)


def check_samplers_sampling_strategy(name, sampler_orig):
    """Every strategy form gives ``sampling_strategy_`` as documented and exact counts."""
    kind = _sampling_type(sampler_orig)
    for data in ("binary", "multiclass"):
        X, y = _make_data(data)
        for strategy in _STRATEGIES[(kind, data)]:
            sampler = clone(sampler_orig).set_params(sampling_strategy=strategy)
            X_res, y_res = sampler.fit_resample(X, y)
            assert dict(sampler.sampling_strategy_) == dict(
                check_sampling_strategy(strategy, y, kind)
            ), f"sampling_strategy_ for {strategy!r} on {data} data"
            _assert_counts(sampler, y, y_res)


def check_samplers_original_rows(name, sampler_orig):
    """Over-samplers: originals on top, in order. Others: output rows come from X."""
    X, y = _make_data()
    X_res, y_res = clone(sampler_orig).fit_resample(X, y)
    if _sampling_type(sampler_orig) == "over-sampling":
        assert_array_equal(X_res[: len(y)], X, err_msg="original rows changed or moved")
        assert_array_equal(y_res[: len(y)], y, err_msg="original labels changed or moved")
    else:
        assert _rows_subset(X_res, y_res, X, y), (
            "an under-sampler/cleaner returned a row (with its label) not in the input"
        )


def check_samplers_random_state(name, sampler_orig):
    """The same int ``random_state`` gives identical output, refitted or cloned."""
    X, y = _make_data()
    sampler = _seeded(sampler_orig, seed=3)
    first = sampler.fit_resample(X, y)
    _assert_same_output(first, sampler.fit_resample(X, y), "refit with the same seed")
    _assert_same_output(first, clone(sampler).fit_resample(X, y), "clone, same seed")
    if "n_jobs" in sampler.get_params(deep=False):
        parallel = clone(sampler).set_params(n_jobs=2).fit_resample(X, y)
        _assert_same_output(first, parallel, "n_jobs=2 vs the default")


def check_samplers_no_mutation(name, sampler_orig):
    """Read-only inputs work; X, y (numpy, pandas) and the parameters stay untouched."""
    kind = _sampling_type(sampler_orig)
    X, y = _make_data()
    sampler = clone(sampler_orig)
    strategy = {"over-sampling": {0: 80}, "under-sampling": {2: 30}}.get(kind, [2])
    if kind != "bypass":
        sampler.set_params(sampling_strategy=strategy)
    params = sampler.get_params(deep=False)
    snapshot = {k: deepcopy(v) for k, v in params.items() if isinstance(v, (dict, list))}
    X_copy, y_copy = X.copy(), y.copy()
    X.setflags(write=False)
    y.setflags(write=False)
    sampler.fit_resample(X, y)
    assert_array_equal(X, X_copy, err_msg="X was modified")
    assert_array_equal(y, y_copy, err_msg="y was modified")
    after = sampler.get_params(deep=False)
    assert all(after[k] is v for k, v in params.items()), "a parameter was replaced"
    assert all(after[k] == v for k, v in snapshot.items()), "a parameter was modified"
    pd = _import_or_skip("pandas")
    frame, series = pd.DataFrame(X_copy.copy()), pd.Series(y_copy.copy(), name="t")
    frame_copy, series_copy = frame.copy(deep=True), series.copy(deep=True)
    clone(sampler).fit_resample(frame, series)
    pd.testing.assert_frame_equal(frame, frame_copy)
    pd.testing.assert_series_equal(series, series_copy)
