"""SamplerMixin / BaseSampler / FunctionSampler: the public sampler contract."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
import pytest
from imblearn import FunctionSampler as ImbFunctionSampler
from scipy import sparse
from sklearn.base import clone
from sklearn.utils import get_tags

from imbkit import FunctionSampler
from imbkit.base import BaseSampler, is_sampler
from imbkit.exceptions import (
    InvalidInputError,
    NonFiniteInputError,
    SamplingStrategyError,
    TargetError,
)
from imbkit.utils._compat import Interval

X = np.arange(24, dtype=np.float64).reshape(12, 2)
Y = np.array([0] * 8 + [1] * 4)


class KeepFirstUnderSampler(BaseSampler):
    """Keeps the first ``sampling_strategy_[c]`` rows of each class, in order."""

    _sampling_type = "under-sampling"
    _parameter_constraints: dict = {
        "sampling_strategy": "no_validation",
        "offset": [Interval(numbers.Integral, 0, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", offset=0):
        super().__init__(sampling_strategy=sampling_strategy)
        self.offset = offset

    def _fit_resample(self, X, y, extra=None):
        keep = np.sort(np.concatenate([
            np.flatnonzero(y == klass)[self.offset: self.offset + n]
            for klass, n in self.sampling_strategy_.items()
        ] + [np.flatnonzero(~np.isin(y, list(self.sampling_strategy_)))]))
        self.sample_indices_ = keep
        if extra is not None:
            return X[keep], y[keep], extra
        return X[keep], y[keep]


# ------------------------------------------------------------------ BaseSampler subclasses


def test_subclass_resamples_with_its_strategy():
    sampler = KeepFirstUnderSampler()
    X_res, y_res = sampler.fit_resample(X, Y)
    assert dict(sampler.sampling_strategy_) == {0: 4}
    np.testing.assert_array_equal(sampler.sample_indices_, [0, 1, 2, 3, 8, 9, 10, 11])
    np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
    np.testing.assert_array_equal(y_res, [0] * 4 + [1] * 4)
    assert sampler.n_features_in_ == 2


def test_subclass_passes_fit_resample_params_and_extra_outputs():
    X_res, y_res, extra = KeepFirstUnderSampler().fit_resample(X, Y, extra="kept")
    assert extra == "kept" and len(X_res) == len(y_res) == 8


def test_subclass_params_are_validated_at_fit():
    sampler = KeepFirstUnderSampler(offset=-1)  # __init__ only stores
    assert sampler.offset == -1
    with pytest.raises(ValueError, match="The 'offset' parameter of KeepFirstUnderSampler"):
        sampler.fit_resample(X, Y)


def test_subclass_fit_returns_self_and_strategy():
    sampler = KeepFirstUnderSampler(sampling_strategy={0: 2})
    assert sampler.fit(X, Y) is sampler
    assert dict(sampler.sampling_strategy_) == {0: 2}
    assert not hasattr(sampler, "sample_indices_")


def test_subclass_strategy_errors():
    with pytest.raises(SamplingStrategyError, match="cannot grow class 1"):
        KeepFirstUnderSampler(sampling_strategy={1: 9}).fit_resample(X, Y)


def test_subclass_clone_get_params_and_tags():
    sampler = KeepFirstUnderSampler(sampling_strategy={0: 2}, offset=1)
    assert clone(sampler).get_params() == {"sampling_strategy": {0: 2}, "offset": 1}
    tags = get_tags(sampler)
    assert tags.target_tags.required
    assert tags.input_tags.sparse and not tags.input_tags.allow_nan
    assert not tags.input_tags.string
    assert is_sampler(sampler) and sampler._estimator_type == "sampler"


def test_subclass_restores_pandas_and_feature_names():
    frame = pd.DataFrame(X, columns=["a", "b"])
    sampler = KeepFirstUnderSampler()
    X_res, y_res = sampler.fit_resample(frame, pd.Series(Y, name="t"))
    assert X_res.columns.tolist() == ["a", "b"] and y_res.name == "t"
    np.testing.assert_array_equal(sampler.feature_names_in_, ["a", "b"])
    np.testing.assert_array_equal(sampler.get_feature_names_out(), ["a", "b"])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_one_hot_target_keeps_its_width(n_classes):
    # imbalanced-learn returns a single column for a binary one-hot target
    y = np.array([0] * 8 + [1] * 2 + [n_classes - 1] * 2)
    one_hot = np.eye(n_classes, dtype=np.int64)[y]
    _, y_res = KeepFirstUnderSampler().fit_resample(X, one_hot)
    assert y_res.shape[1] == n_classes and y_res.dtype == np.int64
    assert (y_res.sum(axis=1) == 1).all()


def test_one_hot_target_keeps_a_class_absent_after_encoding():
    one_hot = np.zeros((12, 3), dtype=np.float64)
    one_hot[np.arange(12), np.where(Y == 0, 0, 2)] = 1  # column 1 never used
    _, y_res = KeepFirstUnderSampler().fit_resample(X, one_hot)
    assert y_res.shape == (8, 3) and y_res.dtype == np.float64
    np.testing.assert_array_equal(y_res[:, 1], 0)


def test_mixin_requires_fit_resample_implementation():
    class Incomplete(BaseSampler):
        pass

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()


def test_is_sampler():
    assert is_sampler(FunctionSampler())
    assert not is_sampler(object())


# ------------------------------------------------------------------ FunctionSampler


def _first_six(X, y):
    return X[:6], y[:6]


def _every(X, y, step):
    return X[::step], y[::step]


def test_function_sampler_identity_by_default():
    X_res, y_res = FunctionSampler().fit_resample(X, Y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, Y)


@pytest.mark.parametrize("validate", [True, False])
def test_function_sampler_matches_imblearn(validate):
    for kwargs in ({"func": _first_six}, {"func": _every, "kw_args": {"step": 3}}):
        ours = FunctionSampler(validate=validate, **kwargs).fit_resample(X, Y)
        theirs = ImbFunctionSampler(validate=validate, **kwargs).fit_resample(X, Y)
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a, b)


def test_function_sampler_kw_args():
    X_res, y_res = FunctionSampler(func=_every, kw_args={"step": 4}).fit_resample(X, Y)
    np.testing.assert_array_equal(y_res, Y[::4])


def test_function_sampler_validate_true_checks_and_restores():
    frame = pd.DataFrame(X, columns=["a", "b"])
    sampler = FunctionSampler(func=_first_six)
    X_res, y_res = sampler.fit_resample(frame, Y.tolist())
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, list)
    assert sampler.n_features_in_ == 2 and sampler.sampling_strategy_ == "auto"
    with pytest.raises(TargetError, match="at least 2 classes"):
        sampler.fit_resample(X, np.zeros(12))
    with pytest.raises(InvalidInputError, match="Reshape"):
        sampler.fit_resample(X[:, 0], Y)


def test_function_sampler_validate_false_passes_anything_through():
    seen = {}

    def record(X, y):
        seen["X"], seen["y"] = X, y
        return "whatever", y

    data = {"not": "an array"}
    sampler = FunctionSampler(func=record, validate=False)
    X_res, y_res = sampler.fit_resample(data, Y)
    assert seen["X"] is data and seen["y"] is Y and X_res == "whatever"
    assert not hasattr(sampler, "n_features_in_")
    assert sampler.fit(data, Y) is sampler


def test_function_sampler_allows_nan_and_strings():
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    X_res, _ = FunctionSampler().fit_resample(X_nan, Y)
    assert np.isnan(X_res[0, 0])
    X_str = np.array([["a"], ["b"]] * 6, dtype=object)
    assert FunctionSampler().fit_resample(X_str, Y)[0].dtype == object


def test_function_sampler_accept_sparse():
    X_sparse = sparse.csr_matrix(X)
    X_res, _ = FunctionSampler(func=_first_six).fit_resample(X_sparse, Y)
    assert sparse.issparse(X_res) and X_res.shape == (6, 2)
    assert get_tags(FunctionSampler()).input_tags.sparse
    refusing = FunctionSampler(accept_sparse=False)
    assert not get_tags(refusing).input_tags.sparse
    with pytest.raises(InvalidInputError, match="dense"):
        refusing.fit_resample(X_sparse, Y)
    with pytest.raises(InvalidInputError, match="dense"):
        refusing.fit(X_sparse, Y)


def test_function_sampler_fit_validates():
    sampler = FunctionSampler()
    assert sampler.fit(X, Y) is sampler
    assert sampler.n_features_in_ == 2


@pytest.mark.parametrize(
    "params", [{"func": 3}, {"kw_args": [1]}, {"validate": "yes"}, {"accept_sparse": None}]
)
def test_function_sampler_parameter_validation(params):
    name = next(iter(params))
    with pytest.raises(ValueError, match=f"The '{name}' parameter of FunctionSampler must be"):
        FunctionSampler(**params).fit_resample(X, Y)


def test_base_sampler_refuses_nan_by_default():
    X_nan = X.copy()
    X_nan[3, 1] = np.inf
    with pytest.raises(NonFiniteInputError, match="row 3, column 1"):
        KeepFirstUnderSampler().fit_resample(X_nan, Y)
