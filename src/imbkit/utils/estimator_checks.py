"""The sampler contract battery: scikit-learn's estimator checks plus imbkit's own.

``parametrize_with_checks`` and ``check_estimator`` mirror their scikit-learn
namesakes (same parameters, same ``expected_failed_checks`` mechanism) and add
the checks that make a sampler trustworthy:

- counts after resampling match ``sampling_strategy_`` exactly, for every form
  of ``sampling_strategy`` the sampler's ``_sampling_type`` accepts;
- over-samplers keep the original rows, unchanged and in order, at the top of
  the output; under-samplers and cleaners return a subset of the input rows;
- a fixed ``random_state`` gives identical output (also across ``n_jobs``);
- the caller's ``X``, ``y`` and parameters are never modified;
- containers round-trip (pandas, polars, lists, CSR/CSC), float32 stays float32;
- ``sample_indices_``, when present, points at the rows the output came from;
- degenerate input raises an :mod:`imbkit.exceptions` error whose message says
  how to fix it.

Which checks apply is read from the sampler's tags (``input_tags.sparse``,
``allow_nan``, ``string``) and its ``_sampling_type``; a check that cannot hold
for a principled reason is declared in ``expected_failed_checks`` with that
reason. The data always have 4 features, column 0 taking the values 0, 1, 2,
so samplers needing categorical columns are tested with
``categorical_features=[0]``.

Examples
--------
>>> from imbkit.over_sampling import RandomOverSampler
>>> from imbkit.utils.estimator_checks import check_estimator
>>> results = check_estimator(RandomOverSampler(random_state=0), on_skip=None)
>>> sorted({r["status"] for r in results} - {"skipped"})
['passed']
"""

from __future__ import annotations

import importlib.util
import re
import warnings
from functools import partial, wraps
from unittest import SkipTest

from sklearn.exceptions import EstimatorCheckFailedWarning, SkipTestWarning
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import (
    estimator_checks_generator as _sklearn_checks_generator,
)

from ._sampler_checks import (
    _sampling_type,
    check_samplers_fit,
    check_samplers_fit_resample,
    check_samplers_no_mutation,
    check_samplers_original_rows,
    check_samplers_random_state,
    check_samplers_sampling_strategy,
)
from ._sampler_io_checks import (
    check_samplers_1d_X,
    check_samplers_2d_target,
    check_samplers_empty_X,
    check_samplers_feature_names,
    check_samplers_impossible_strategy,
    check_samplers_length_mismatch,
    check_samplers_list,
    check_samplers_multiclass_ova,
    check_samplers_nan,
    check_samplers_non_finite_refused,
    check_samplers_non_numeric_refused,
    check_samplers_one_label,
    check_samplers_pandas,
    check_samplers_pandas_sparse,
    check_samplers_polars,
    check_samplers_preserve_dtype,
    check_samplers_sample_indices,
    check_samplers_sparse,
    check_samplers_sparse_refused,
    check_samplers_string,
    check_samplers_unknown_class_strategy,
)

__all__ = [
    "check_estimator",
    "estimator_checks_generator",
    "parametrize_with_checks",
    "check_samplers_1d_X",
    "check_samplers_2d_target",
    "check_samplers_empty_X",
    "check_samplers_feature_names",
    "check_samplers_fit",
    "check_samplers_fit_resample",
    "check_samplers_impossible_strategy",
    "check_samplers_length_mismatch",
    "check_samplers_list",
    "check_samplers_multiclass_ova",
    "check_samplers_nan",
    "check_samplers_no_mutation",
    "check_samplers_non_finite_refused",
    "check_samplers_non_numeric_refused",
    "check_samplers_one_label",
    "check_samplers_original_rows",
    "check_samplers_pandas",
    "check_samplers_pandas_sparse",
    "check_samplers_polars",
    "check_samplers_preserve_dtype",
    "check_samplers_random_state",
    "check_samplers_sample_indices",
    "check_samplers_sampling_strategy",
    "check_samplers_sparse",
    "check_samplers_sparse_refused",
    "check_samplers_string",
    "check_samplers_unknown_class_strategy",
]


# ------------------------------------------------------------------ generators


def _yield_sampler_checks(sampler):
    """The sampler checks that apply, chosen by tags and ``_sampling_type``."""
    tags = get_tags(sampler)
    kind = _sampling_type(sampler)
    yield check_samplers_fit
    yield check_samplers_fit_resample
    if kind in ("over-sampling", "under-sampling", "clean-sampling"):
        yield check_samplers_sampling_strategy
        yield check_samplers_original_rows
        yield check_samplers_unknown_class_strategy
    if kind in ("over-sampling", "under-sampling"):
        yield check_samplers_impossible_strategy
    yield check_samplers_random_state
    yield check_samplers_no_mutation
    yield check_samplers_pandas
    yield check_samplers_list
    if tags.input_tags.sparse:
        yield check_samplers_sparse
        yield check_samplers_pandas_sparse
    else:
        yield check_samplers_sparse_refused
    if importlib.util.find_spec("polars") is not None:
        yield check_samplers_polars
    yield check_samplers_preserve_dtype
    yield check_samplers_sample_indices
    yield check_samplers_multiclass_ova
    yield check_samplers_2d_target
    if hasattr(sampler, "get_feature_names_out"):
        yield check_samplers_feature_names
    yield check_samplers_string if tags.input_tags.string else check_samplers_non_numeric_refused
    yield check_samplers_nan if tags.input_tags.allow_nan else check_samplers_non_finite_refused
    yield check_samplers_one_label
    yield check_samplers_length_mismatch
    yield check_samplers_1d_X
    yield check_samplers_empty_X


def _check_name(check):
    return _check_name(check.func) if isinstance(check, partial) else check.__name__


def _mark(estimator, check, expected_failed_checks, mark, xfail_strict):
    reason = (expected_failed_checks or {}).get(_check_name(check))
    if reason is None or mark is None:
        return estimator, check
    if mark == "xfail":
        import pytest

        kwargs = {} if xfail_strict is None else {"strict": xfail_strict}
        return pytest.param(estimator, check, marks=pytest.mark.xfail(reason=reason, **kwargs))

    @wraps(check)
    def skipped(*args, **kwargs):
        raise SkipTest(f"Skipping {_check_name(check)}: {reason}")

    return estimator, skipped


def estimator_checks_generator(
    estimator, *, legacy=True, expected_failed_checks=None, mark=None, xfail_strict=None
):
    """Yield ``(estimator, check)`` pairs: scikit-learn's checks, then the sampler ones.

    Parameters are those of
    :func:`sklearn.utils.estimator_checks.estimator_checks_generator`;
    ``expected_failed_checks`` may name checks of either family.

    Examples
    --------
    >>> from imbkit.over_sampling import SMOTE
    >>> from imbkit.utils.estimator_checks import estimator_checks_generator
    >>> checks = list(estimator_checks_generator(SMOTE(), expected_failed_checks={}))
    >>> len(checks) > 50
    True
    """
    yield from _sklearn_checks_generator(
        estimator, legacy=legacy, expected_failed_checks=expected_failed_checks,
        mark=mark, xfail_strict=xfail_strict,
    )
    if not hasattr(estimator, "fit_resample"):
        return
    name = type(estimator).__name__
    for check in _yield_sampler_checks(estimator):
        yield _mark(estimator, partial(check, name), expected_failed_checks, mark, xfail_strict)


def _check_id(obj):
    if isinstance(obj, partial):
        if not obj.keywords:
            return _check_name(obj)
        return f"{_check_name(obj)}({','.join(f'{k}={v}' for k, v in obj.keywords.items())})"
    if callable(obj) and not hasattr(obj, "get_params"):
        return getattr(obj, "__name__", None)
    if hasattr(obj, "get_params"):
        return re.sub(r"\s", "", repr(obj))
    return None


def parametrize_with_checks(
    estimators, *, legacy=True, expected_failed_checks=None, xfail_strict=None
):
    """Pytest decorator running scikit-learn's and imbkit's checks on each estimator.

    Parameters
    ----------
    estimators : list of estimator instances
    legacy : bool, default=True
        Include scikit-learn's legacy checks.
    expected_failed_checks : callable, default=None
        ``f(estimator) -> {check_name: reason}``: those checks are marked xfail.
    xfail_strict : bool, default=None
        Fail when an expected failure passes (``None``: pytest's setting).

    Returns
    -------
    decorator : ``pytest.mark.parametrize("estimator, check", ...)``

    Examples
    --------
    >>> from imbkit.over_sampling import SMOTE
    >>> from imbkit.utils.estimator_checks import parametrize_with_checks
    >>> @parametrize_with_checks([SMOTE(random_state=0)])
    ... def test_sampler(estimator, check):
    ...     check(estimator)
    """
    import pytest

    if any(isinstance(est, type) for est in estimators):
        raise TypeError("parametrize_with_checks takes estimator instances, not classes.")
    params = []
    for estimator in estimators:
        expected = expected_failed_checks(estimator) if callable(expected_failed_checks) else None
        params.extend(estimator_checks_generator(
            estimator, legacy=legacy, expected_failed_checks=expected, mark="xfail",
            xfail_strict=xfail_strict,
        ))
    return pytest.mark.parametrize("estimator, check", params, ids=_check_id)


def check_estimator(
    estimator, *, legacy=True, expected_failed_checks=None, on_skip="warn",
    on_fail="raise", callback=None,
):
    """Run scikit-learn's checks and imbkit's sampler checks on ``estimator``.

    Parameters and return value are those of
    :func:`sklearn.utils.estimator_checks.check_estimator`: a list of dicts with
    ``check_name``, ``status`` (``'passed'``, ``'failed'``, ``'xfail'``,
    ``'skipped'``), ``exception`` and the expected-failure fields.

    Examples
    --------
    >>> from imbkit.over_sampling import RandomOverSampler
    >>> from imbkit.utils.estimator_checks import check_estimator
    >>> results = check_estimator(RandomOverSampler(random_state=0), on_skip=None)
    >>> sorted({r["status"] for r in results})
    ['passed', 'skipped']
    """
    if isinstance(estimator, type):
        raise TypeError("check_estimator takes an estimator instance, not a class.")
    if on_fail == "raise" and callback is not None:
        raise ValueError("callback cannot be provided together with on_fail='raise'")
    expected = expected_failed_checks or {}
    results = []
    for est, check in estimator_checks_generator(
        estimator, legacy=legacy, expected_failed_checks=expected
    ):
        check_name = _check_name(check)
        reason = expected.get(check_name)
        status, error = "passed", None
        try:
            check(est)
        except SkipTest as exc:
            status, error = "skipped", exc
            if on_skip == "warn":
                warnings.warn(f"Skipping {check_name}: {exc}", SkipTestWarning)
        except Exception as exc:
            if on_fail == "raise" and reason is None:
                raise
            status, error = ("xfail" if reason is not None else "failed"), exc
        result = {
            "estimator": est, "check_name": check_name, "exception": error,
            "status": status, "expected_to_fail": reason is not None,
            "expected_to_fail_reason": reason,
        }
        if status == "failed" and on_fail == "warn":
            warnings.warn(EstimatorCheckFailedWarning(**result))
        results.append(result)
        if callback is not None:
            callback(**result)
    return results
