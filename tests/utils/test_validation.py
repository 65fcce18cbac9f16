"""check_sampling_strategy, check_target_type, check_neighbors_object and check_X/check_y.

imbalanced-learn 0.14 is the oracle for the meaning of every strategy form.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
from imblearn.utils import check_neighbors_object as imb_check_neighbors_object
from imblearn.utils import check_sampling_strategy as imb_check_sampling_strategy
from imblearn.utils import check_target_type as imb_check_target_type
from scipy import sparse
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from imbkit.exceptions import (
    EmptyInputError,
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    NonNumericDataError,
    NotEnoughSamplesError,
    SamplingStrategyError,
    TargetError,
)
from imbkit.utils import (
    check_neighbors_object,
    check_sampling_strategy,
    check_target_type,
    check_X,
    check_y,
)
from imbkit.utils._checks import check_lengths
from imbkit.utils._validation import check_class_size

TARGETS = {
    "binary": np.repeat([0, 1], [40, 100]),
    "multiclass": np.repeat([0, 1, 2], [30, 50, 80]),
    "tied_majority": np.repeat([0, 1, 2], [20, 50, 50]),
    "tied_minority": np.repeat([0, 1, 2], [30, 30, 80]),
    "strings": np.repeat(["a", "b", "c"], [10, 25, 40]),
    "unsorted_negative": np.random.RandomState(0).permutation(
        np.repeat([-5, 3, 9, 11], [12, 7, 30, 20])
    ),
}
SAMPLING_TYPES = ("over-sampling", "under-sampling", "clean-sampling")
STRATEGIES = [
    "auto", "minority", "majority", "not minority", "not majority", "all", "bogus",
    0.5, 0.8, 1.0, 0.1, 1.5, 0.0, -0.2,
    {0: 60}, {0: 10}, {1: 60}, {1: 10}, {0: 35, 1: 120}, {7: 3}, {0: -1},
    [0], [1, 2], [7],
    lambda y: {0: 45},
]


def _outcome(func, strategy, y, sampling_type):
    try:
        result = func(strategy, y, sampling_type)
    except ValueError:  # imbkit's errors are ValueError subclasses
        return "ValueError"
    return list(result.items())


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("sampling_type", SAMPLING_TYPES)
@pytest.mark.parametrize("strategy", STRATEGIES, ids=repr)
def test_check_sampling_strategy_matches_imblearn(target, sampling_type, strategy):
    y = TARGETS[target]
    expected = _outcome(imb_check_sampling_strategy, strategy, y, sampling_type)
    assert _outcome(check_sampling_strategy, strategy, y, sampling_type) == expected


def test_check_sampling_strategy_returns_sorted_ordereddict():
    y = np.repeat([2, 0, 1], [10, 20, 30])
    result = check_sampling_strategy("auto", y, "over-sampling")
    assert isinstance(result, OrderedDict)
    assert list(result.items()) == [(0, 10), (2, 20)]


def test_check_sampling_strategy_callable_receives_kwargs():
    y = TARGETS["binary"]

    def strategy(y, extra):
        return {0: 40 + extra}

    result = check_sampling_strategy(strategy, y, "over-sampling", extra=5)
    assert result == imb_check_sampling_strategy(strategy, y, "over-sampling", extra=5)
    assert dict(result) == {0: 5}


@pytest.mark.parametrize("sampling_type", ["bypass", "ensemble"])
def test_check_sampling_strategy_passes_through_for_bypass_and_ensemble(sampling_type):
    strategy = {"anything": 1}
    assert check_sampling_strategy(strategy, TARGETS["binary"], sampling_type) is strategy


@pytest.mark.parametrize("strategy, kind", [(True, "bool"), (None, "NoneType"), ((0, 1), "tuple")])
def test_check_sampling_strategy_refuses_other_types_unlike_imblearn(strategy, kind):
    # imbalanced-learn reads True as the float 1.0 and returns None for None or a
    # tuple; all three are mistakes, reported here instead of failing later
    with pytest.raises(SamplingStrategyError, match=f"got {kind}"):
        check_sampling_strategy(strategy, TARGETS["binary"], "over-sampling")


def test_check_sampling_strategy_unknown_sampling_type():
    with pytest.raises(ValueError, match="sampling_type must be one of"):
        check_sampling_strategy("auto", TARGETS["binary"], "sideways")


@pytest.mark.parametrize("y", [np.zeros(5), np.array([])], ids=["one-class", "empty"])
def test_check_sampling_strategy_one_class(y):
    with pytest.raises(TargetError, match=r"needs at least 2 classes .* got \d class"):
        check_sampling_strategy("auto", y, "over-sampling")


@pytest.mark.parametrize(
    "strategy, sampling_type, message",
    [
        ("bogus", "over-sampling", r"Unknown sampling_strategy 'bogus'; the strings"),
        ("majority", "over-sampling", r"'majority' cannot be used with an over-sampler"),
        ("minority", "under-sampling", r"'minority' cannot be used with an under-sampler"),
        ({7: 3}, "over-sampling", r"class\(es\) \[7\] which are not present in y; "
                                  r"the classes in y are \[0, 1, 2\]\."),
        ([7], "clean-sampling", r"class\(es\) \[7\] which are not present"),
        ({0: -1}, "under-sampling", r"negative number of samples: \{0: -1\}"),
        ({0: 10}, "over-sampling", r"cannot shrink class 0: it has 30 samples .* "
                                   r"asks for 10\. Ask for at least 30"),
        ({2: 90}, "under-sampling", r"cannot grow class 2: it has 80 samples .* "
                                    r"Ask for at most 80"),
        ({0: 10}, "clean-sampling", r"not supported by cleaning methods: give the list"),
        ([0], "over-sampling", r"only accepted by cleaning methods"),
        (0.5, "over-sampling", r"only defined for binary targets; y has 3 classes"),
        (1.5, "over-sampling", r"must be in \(0, 1\]; got 1\.5"),
        (lambda y: [0], "over-sampling", r"must return a dict .* returned list"),
        (None, "over-sampling", r"float, a string, a dict, a list or a callable; got NoneType"),
    ],
)
def test_check_sampling_strategy_error_messages(strategy, sampling_type, message):
    with pytest.raises(SamplingStrategyError, match=message):
        check_sampling_strategy(strategy, TARGETS["multiclass"], sampling_type)


@pytest.mark.parametrize(
    "ratio, sampling_type, message",
    [
        (0.2, "over-sampling", r"would need removing minority samples .* Increase the ratio"),
        (0.2, "under-sampling", r"would need adding majority samples .* Increase the ratio"),
        (0.5, "clean-sampling", r"Cleaning methods do not accept a float"),
    ],
)
def test_check_sampling_strategy_float_errors(ratio, sampling_type, message):
    with pytest.raises(SamplingStrategyError, match=message):
        check_sampling_strategy(ratio, TARGETS["binary"], sampling_type)


# ------------------------------------------------------------------ check_target_type


@pytest.mark.parametrize(
    "y",
    [
        np.array([0, 1, 1, 0]),
        np.array(["a", "b", "c", "a"]),
        [[0], [1], [1]],
        np.array([0.5, 1.5, 0.5]),
        np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]]),
        np.array([[0, 1], [1, 0], [0, 1]]),
    ],
    ids=["binary", "strings", "column", "continuous", "one-hot", "binary-one-hot"],
)
def test_check_target_type_matches_imblearn(y):
    ours, ours_ova = check_target_type(y, indicate_one_vs_all=True)
    theirs, theirs_ova = imb_check_target_type(y, indicate_one_vs_all=True)
    np.testing.assert_array_equal(ours, theirs)
    assert ours_ova == theirs_ova
    np.testing.assert_array_equal(check_target_type(y), theirs)


def test_check_target_type_refuses_multilabel():
    y = np.array([[1, 1], [1, 0], [0, 1]])
    with pytest.raises(ValueError):
        imb_check_target_type(y)
    with pytest.raises(TargetError, match=r"multi-label target .* one-hot encoding"):
        check_target_type(y)


# ------------------------------------------------------------------ check_neighbors_object


@pytest.mark.parametrize("n_neighbors, additional", [(3, 0), (3, 1), (np.int64(5), 1)])
def test_check_neighbors_object_int_matches_imblearn(n_neighbors, additional):
    ours = check_neighbors_object("k_neighbors", n_neighbors, additional)
    theirs = imb_check_neighbors_object("k_neighbors", n_neighbors, additional)
    assert type(ours) is NearestNeighbors
    assert ours.get_params() == theirs.get_params()
    assert type(ours.n_neighbors) is int


def test_check_neighbors_object_clones_the_estimator():
    estimator = KNeighborsClassifier(n_neighbors=2)
    result = check_neighbors_object("n_neighbors", estimator, additional_neighbor=1)
    assert result is not estimator
    assert result.get_params() == estimator.get_params()


@pytest.mark.parametrize("bad", ["a", True, 2.5, None])
def test_check_neighbors_object_refuses_other_types(bad):
    with pytest.raises(TypeError, match=r"k_neighbors must be an int or an object with a "
                                        r"`kneighbors` method"):
        check_neighbors_object("k_neighbors", bad)


def test_check_class_size_message():
    check_class_size(6, 6, 1)
    message = r"Class 1 has 3 sample\(s\), but k_neighbors=5 .* at most 2"
    with pytest.raises(NotEnoughSamplesError, match=message):
        check_class_size(3, 6, np.int64(1))


# ------------------------------------------------------------------ check_X / check_y


def test_check_y_none_says_y_is_required():
    with pytest.raises(TargetError, match="requires y to be passed"):
        check_y(None)


def test_check_y_continuous_target():
    with pytest.raises(TargetError, match="bin it first"):
        check_y(np.linspace(0, 1, 10))


def test_check_y_one_hot():
    y, one_hot = check_y(np.eye(3, dtype=int)[[0, 2, 1]])
    np.testing.assert_array_equal(y, [0, 2, 1])
    assert one_hot


@pytest.mark.parametrize(
    "X, error, message",
    [
        (np.arange(3.0), InvalidInputError, "Reshape it"),
        ([1.0, 2.0], InvalidInputError, "Reshape it"),
        (np.empty((0, 2)), EmptyInputError, "at least one row and one column"),
        (np.empty((2, 0)), EmptyInputError, "at least one row and one column"),
        (np.array([[1.0, np.nan]]), NonFiniteInputError, r"1 entries, the first at row 0, "
                                                         r"column 1\)\. Impute or drop"),
        (np.array([[np.inf, 1.0]]), NonFiniteInputError, "SimpleImputer"),
        (sparse.csr_matrix(np.array([[0.0, np.nan]])), NonFiniteInputError, "Impute"),
        (np.array([["a", 1]], dtype=object), NonNumericDataError, "SMOTENC"),
    ],
    ids=["1d", "1d-list", "no-rows", "no-columns", "nan", "inf", "sparse-nan", "strings"],
)
def test_check_X_errors(X, error, message):
    with pytest.raises(error, match=message):
        check_X(X)


def test_check_X_non_numeric_is_type_and_value_error():
    with pytest.raises(TypeError):
        check_X(np.array([["a"]], dtype=object))
    with pytest.raises(ValueError):
        check_X(np.array([["a"]], dtype=object))


def test_check_X_keeps_float32_sparse_and_allows_nan_on_request():
    X = np.array([[1.0, np.nan]], dtype=np.float32)
    assert check_X(X, ensure_all_finite=False).dtype == np.float32
    X_sparse = sparse.csc_matrix(np.eye(2, dtype=np.float32))
    out = check_X(X_sparse)
    assert out.format == "csc" and out.dtype == np.float32
    message = r"does not accept sparse matrices; pass a dense array \(X\.toarray\(\)\)"
    with pytest.raises(InvalidInputError, match=message):
        check_X(X_sparse, accept_sparse=False)
    assert check_X(np.array([["a"]], dtype=object), dtype=None).dtype == object


def test_check_lengths():
    check_lengths(np.zeros((3, 1)), [0, 1, 0])
    with pytest.raises(LengthMismatchError, match="X has 3 rows but y has 2 labels"):
        check_lengths(np.zeros((3, 1)), [0, 1])
