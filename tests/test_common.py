"""The full contract battery over every public sampler of imbkit.

Samplers are discovered from the ``__all__`` of the sampler packages, so a
sampler added later is tested without editing this file; only samplers whose
defaults cannot run on the battery's data need an entry in ``INIT_PARAMS``,
and only principled exceptions belong in ``EXPECTED_FAILED_CHECKS``.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

from imbkit.base import FunctionSampler, is_sampler
from imbkit.utils.estimator_checks import parametrize_with_checks

SAMPLER_PACKAGES = ("imbkit.over_sampling", "imbkit.under_sampling", "imbkit.combine")

# constructor arguments the defaults lack for the battery's data (4 features,
# column 0 categorical with values 0, 1, 2; classes of 30/50/80 or 40/100 rows)
INIT_PARAMS = {
    "SMOTENC": {"categorical_features": [0]},
}

# {class name: {check name: reason}}; keep it short, every entry needs a reason
_ROUNDED_SHARES = (
    "{} splits the samples to add into per-{} shares and rounds each share, as "
    "imbalanced-learn does, so the class count after resampling can differ from "
    "sampling_strategy_ by a few samples; exact counts would change its output"
)
EXPECTED_FAILED_CHECKS: dict[str, dict[str, str]] = {
    "ADASYN": dict.fromkeys(
        ["check_samplers_fit_resample", "check_samplers_sampling_strategy"],
        _ROUNDED_SHARES.format("ADASYN", "minority-sample"),
    ),
    "KMeansSMOTE": dict.fromkeys(
        ["check_samplers_fit_resample", "check_samplers_sampling_strategy"],
        _ROUNDED_SHARES.format("KMeansSMOTE", "cluster"),
    ),
    "ClusterCentroids": {
        "check_samplers_original_rows": (
            "ClusterCentroids replaces each under-sampled class by KMeans centroids "
            "(soft voting, the default for dense data): new rows are its purpose"
        ),
        **dict.fromkeys(
            ["check_samplers_sparse", "check_samplers_pandas_sparse"],
            "voting='auto' is hard for sparse and soft for dense input (as in "
            "imbalanced-learn), and KMeans clusters sparse and dense data differently, "
            "so sparse and dense outputs differ by design",
        ),
    },
    "InstanceHardnessThreshold": dict.fromkeys(
        ["check_samplers_fit_resample", "check_samplers_sampling_strategy"],
        "InstanceHardnessThreshold keeps the samples above a percentile of the "
        "cross-validated probability, as imbalanced-learn does: ties at the threshold "
        "keep a few more samples than sampling_strategy_ asks",
    ),
    **{
        name: {
            **dict.fromkeys(
                ["check_samplers_fit_resample", "check_samplers_sampling_strategy"],
                f"{name} over-samples with SMOTE to the strategy's counts, then "
                f"cleans with {cleaner}, which removes samples by a rule: the final "
                "counts are below the strategy's by design",
            ),
            "check_samplers_original_rows": (
                f"{cleaner} may remove original rows after SMOTE: that is the "
                "method"
            ),
        }
        for name, cleaner in (("SMOTEENN", "ENN"), ("SMOTETomek", "Tomek links"))
    },
    "SMOTENC": {
        "check_estimators_nan_inf": (
            "scikit-learn's check puts its NaN in column 0, which INIT_PARAMS declares "
            "categorical, and NaN is a valid category (as in imbalanced-learn); NaN in "
            "a continuous column is refused, see tests/over_sampling/test_categorical.py"
        ),
    },
}


def _package(name):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:  # the package is not written yet; anything else is a bug
            return None
        raise


def discover_samplers():
    """Every concrete public sampler class, from the packages' ``__all__``."""
    classes = {FunctionSampler}
    for package_name in SAMPLER_PACKAGES:
        package = _package(package_name)
        for name in getattr(package, "__all__", ()):
            obj = getattr(package, name)
            if (inspect.isclass(obj) and hasattr(obj, "fit_resample")
                    and not inspect.isabstract(obj) and not name.startswith("Base")):
                classes.add(obj)
    return sorted(classes, key=lambda cls: cls.__name__)


def make_instance(cls):
    """Default parameters, ``random_state=0`` where it exists, plus ``INIT_PARAMS``."""
    params = dict(INIT_PARAMS.get(cls.__name__, {}))
    if "random_state" in inspect.signature(cls).parameters:
        params.setdefault("random_state", 0)
    return cls(**params)


SAMPLERS = [make_instance(cls) for cls in discover_samplers()]


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


def test_discovery_finds_the_public_samplers():
    names = {type(sampler).__name__ for sampler in SAMPLERS}
    assert {"FunctionSampler", "RandomOverSampler", "SMOTE"} <= names
    assert not any(name.startswith("Base") for name in names)
    assert all(is_sampler(sampler) for sampler in SAMPLERS)


def test_overrides_name_existing_parameters():
    for sampler in SAMPLERS:
        for key in INIT_PARAMS.get(type(sampler).__name__, {}):
            assert key in sampler.get_params(deep=False)


def test_expected_failures_have_reasons():
    for checks in EXPECTED_FAILED_CHECKS.values():
        assert all(isinstance(reason, str) and len(reason) > 20 for reason in checks.values())


# the battery feeds samplers inputs they warn about on purpose (sparse to SMOTEN, ...)
@pytest.mark.filterwarnings("ignore::imbkit.exceptions.ImbalanceWarning")
@parametrize_with_checks(
    SAMPLERS, expected_failed_checks=_expected_failed_checks, xfail_strict=True
)
def test_sampler_contract(estimator, check):
    check(estimator)
