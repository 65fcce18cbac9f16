"""The contract battery accepts a correct sampler and catches broken ones."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.utils import check_random_state

from imbkit.base import BaseSampler
from imbkit.exceptions import TargetError
from imbkit.utils import estimator_checks
from imbkit.utils._sampler_checks import _assert_raises
from imbkit.utils.estimator_checks import check_estimator, parametrize_with_checks


class CopyOverSampler(BaseSampler):
    """A minimal, correct random over-sampler written against the public base."""

    _sampling_type = "over-sampling"
    _parameter_constraints: dict = {
        "sampling_strategy": "no_validation",
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state

    def _draw(self, y):
        rng = check_random_state(self.random_state)
        return np.concatenate([np.arange(len(y))] + [
            rng.choice(np.flatnonzero(y == klass), size=n)
            for klass, n in self.sampling_strategy_.items()
        ]).astype(np.int64)

    def _fit_resample(self, X, y):
        self.sample_indices_ = self._draw(y)
        return X[self.sample_indices_], y[self.sample_indices_]


class OneShort(CopyOverSampler):
    def _fit_resample(self, X, y):
        X_res, y_res = super()._fit_resample(X, y)
        self.sample_indices_ = self.sample_indices_[:-1]
        return X_res[:-1], y_res[:-1]


class Reversed(CopyOverSampler):
    def _fit_resample(self, X, y):
        self.sample_indices_ = self._draw(y)[::-1]
        return X[self.sample_indices_], y[self.sample_indices_]


class Mutating(CopyOverSampler):
    def _fit_resample(self, X, y):
        X[0, 0] = 0  # writes into the caller's array
        return super()._fit_resample(X, y)


class Unseeded(CopyOverSampler):
    def _fit_resample(self, X, y):
        X_res, y_res = super()._fit_resample(X, y)
        X_res[len(y):] += np.random.default_rng().normal(size=X_res[len(y):].shape)
        return X_res, y_res


class Upcasting(CopyOverSampler):
    def _fit_resample(self, X, y):
        X_res, y_res = super()._fit_resample(X, y)
        return X_res.astype(np.float64), y_res.astype(np.int64)


class WrongIndices(CopyOverSampler):
    def _fit_resample(self, X, y):
        X_res, y_res = super()._fit_resample(X, y)
        self.sample_indices_ = np.roll(self.sample_indices_, 1)
        return X_res, y_res


class Inventing(CopyOverSampler):
    """An 'under-sampler' that returns rows which are not in X."""

    _sampling_type = "under-sampling"

    def _fit_resample(self, X, y):
        keep = np.concatenate([np.flatnonzero(y == klass)[:n]
                               for klass, n in self.sampling_strategy_.items()]
                              + [np.flatnonzero(~np.isin(y, list(self.sampling_strategy_)))])
        return X[keep] + 1, y[keep]


def _failed(sampler):
    results = check_estimator(sampler, on_fail=None, on_skip=None)
    return {r["check_name"] for r in results if r["status"] == "failed"}


def test_a_correct_sampler_passes_everything():
    results = check_estimator(CopyOverSampler(random_state=0), on_skip=None)
    assert {r["status"] for r in results} <= {"passed", "skipped"}
    names = {r["check_name"] for r in results}
    assert {"check_samplers_fit_resample", "check_samplers_original_rows",
            "check_estimators_pickle"} <= names


@pytest.mark.filterwarnings("ignore::scipy.sparse.SparseEfficiencyWarning")
@pytest.mark.parametrize(
    "sampler, caught",
    [
        (OneShort, {"check_samplers_fit_resample", "check_samplers_sampling_strategy"}),
        (Reversed, {"check_samplers_original_rows", "check_samplers_sample_indices"}),
        (Mutating, {"check_samplers_no_mutation"}),
        (Unseeded, {"check_samplers_random_state"}),
        (Upcasting, {"check_samplers_preserve_dtype"}),
        (WrongIndices, {"check_samplers_sample_indices"}),
        (Inventing, {"check_samplers_original_rows"}),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_broken_samplers_are_caught(sampler, caught):
    assert caught <= _failed(sampler(random_state=0))


def test_expected_failures_become_xfail_and_raise_is_the_default():
    reason = "drops the last sample on purpose, to test the battery"
    results = check_estimator(
        OneShort(random_state=0), on_skip=None, on_fail=None,
        expected_failed_checks={"check_samplers_fit_resample": reason},
    )
    by_name = {r["check_name"]: r for r in results}
    assert by_name["check_samplers_fit_resample"]["status"] == "xfail"
    assert by_name["check_samplers_fit_resample"]["expected_to_fail_reason"] == reason
    with pytest.raises(AssertionError, match=r"class 0: 99 samples after resampling, expected 100 "
                                              r"from sampling_strategy_=\{0: 60\}"):
        check_estimator(OneShort(random_state=0), on_skip=None)


def test_check_estimator_argument_errors():
    with pytest.raises(TypeError, match="instance"):
        check_estimator(CopyOverSampler)
    with pytest.raises(ValueError, match="callback"):
        check_estimator(CopyOverSampler(), callback=print)


def test_check_estimator_callback_sees_every_result():
    seen = []
    results = check_estimator(
        CopyOverSampler(random_state=0), on_fail=None, on_skip=None,
        callback=lambda **result: seen.append(result["check_name"]),
    )
    assert seen == [r["check_name"] for r in results]


def test_parametrize_with_checks_ids_and_xfail_marks():
    decorator = parametrize_with_checks(
        [CopyOverSampler(random_state=0)],
        expected_failed_checks=lambda est: {"check_samplers_list": "a reason, for the test"},
        xfail_strict=True,
    )
    argnames, params = decorator.mark.args
    assert argnames == "estimator, check"
    id_of = decorator.mark.kwargs["ids"]
    ids = [id_of(value) for p in params if isinstance(p, tuple) for value in p]
    assert "check_samplers_fit_resample" in ids
    assert "CopyOverSampler(random_state=0)" in ids
    marked = [p for p in params if hasattr(p, "marks") and p.marks]
    assert len(marked) == 1
    assert marked[0].values[1].func is estimator_checks.check_samplers_list
    assert marked[0].marks[0].kwargs == {"reason": "a reason, for the test", "strict": True}
    with pytest.raises(TypeError, match="instances"):
        parametrize_with_checks([CopyOverSampler])


def test_checks_follow_the_tags():
    class Dense(CopyOverSampler):
        _accept_sparse = False

    names = {check.__name__ for check in estimator_checks._yield_sampler_checks(Dense())}
    assert "check_samplers_sparse_refused" in names and "check_samplers_sparse" not in names
    assert "check_samplers_non_finite_refused" in names
    assert "check_samplers_non_numeric_refused" in names


def test_assert_raises_demands_type_and_a_fix():
    def bad(message, error=TargetError):
        raise error(message)

    _assert_raises(TargetError, "Do this", bad, "Something is wrong. Do this instead.")
    with pytest.raises(AssertionError, match="bare message"):
        _assert_raises(TargetError, "x", bad, "bad")
    with pytest.raises(AssertionError, match="should tell the user what to do"):
        _assert_raises(TargetError, "Do this", bad, "Something is wrong, that is all.")
    with pytest.raises(AssertionError, match="expected TargetError, got IndexError"):
        _assert_raises(TargetError, "x", bad, "index 3 is out of bounds", IndexError)
    with pytest.raises(AssertionError, match="nothing was raised"):
        _assert_raises(TargetError, "x", lambda: None)
