"""SMOTENC and SMOTEN: the reference's output, the methods' own rules, errors."""

import inspect
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.stats import mode
from sklearn.exceptions import DataConversionWarning
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from imbkit.exceptions import (
    ImbalanceWarning,
    InvalidInputError,
    NonFiniteInputError,
    NonNumericDataError,
    NotEnoughSamplesError,
)
from imbkit.metrics import ValueDifferenceMetric
from imbkit.neighbors import TieError
from imbkit.neighbors import _search as smote_base
from imbkit.over_sampling import SMOTEN, SMOTENC
from imbkit.over_sampling._smote import _categorical

reference = pytest.importorskip("imblearn.over_sampling")

SEEDS = [0, 42]


def _state(form, seed):
    return np.random.RandomState(seed) if form == "instance" else seed


def _mixed(n_classes=2, dtype=np.float64, decimals=None, seed=0):
    """Three continuous columns between two integer-coded categorical ones."""
    rng = np.random.RandomState(seed)
    sizes = {2: [140, 60], 3: [120, 50, 30]}[n_classes]
    y = np.repeat(np.arange(n_classes), sizes)
    continuous = rng.normal(size=(y.size, 3)) + y[:, None]
    if decimals is not None:
        continuous = np.round(continuous, decimals)
    first = (rng.randint(0, 4, y.size) + y) % 4
    last = rng.randint(0, 3, y.size)
    X = np.column_stack([first, continuous, last]).astype(dtype)
    return X, y


def _frame(seed=0):
    rng = np.random.RandomState(seed)
    y = np.repeat([0, 1], [120, 40])
    colours = np.array(["red", "green", "blue"])[rng.randint(0, 3, y.size)]
    frame = pd.DataFrame(
        {
            "colour": pd.Categorical(colours),
            "height": rng.normal(170, 10, y.size),
            "age": rng.randint(18, 80, y.size),
            "city": np.array(["Oslo", "Lima", "Pune", "Kyiv"])[rng.randint(0, 4, y.size)],
            "score": rng.rand(y.size).astype(np.float32),
        }
    )
    return frame, pd.Series(y, name="target")


def _codes(n_classes=2, seed=0):
    rng = np.random.RandomState(seed)
    sizes = {2: [150, 50], 3: [130, 50, 30]}[n_classes]
    y = np.repeat(np.arange(n_classes), sizes)
    X = np.column_stack(
        [(rng.randint(0, 4, y.size) + y) % 4, rng.randint(0, 3, y.size), rng.randint(0, 2, y.size)]
    )
    return X, y


def _assert_same(ours, theirs):
    if isinstance(theirs[0], pd.DataFrame):
        pd.testing.assert_frame_equal(ours[0], theirs[0])
        pd.testing.assert_series_equal(ours[1], theirs[1])
        return
    X_ours, X_theirs = ours[0], theirs[0]
    assert type(X_ours) is type(X_theirs)
    if sparse.issparse(X_theirs):
        X_ours, X_theirs = X_ours.toarray(), X_theirs.toarray()
    assert X_ours.dtype == X_theirs.dtype
    if X_theirs.dtype == object:
        pd.testing.assert_frame_equal(pd.DataFrame(X_ours), pd.DataFrame(X_theirs))
    else:
        assert np.array_equal(X_ours, X_theirs)
    assert ours[1].dtype == theirs[1].dtype and np.array_equal(ours[1], theirs[1])


def _both(ours_cls, theirs_cls, X, y, form, seed, **params):
    ours = ours_cls(random_state=_state(form, seed), **params)
    theirs = theirs_cls(random_state=_state(form, seed), **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ours.fit_resample(X, y), theirs.fit_resample(X, y)
    _assert_same(*result)
    return ours, theirs


# --- SMOTENC: the reference's output ----------------------------------------------

NC_DATA = {
    "binary": lambda: _mixed(),
    "three_class": lambda: _mixed(n_classes=3),
    "float32": lambda: _mixed(dtype=np.float32),
    "ties": lambda: _mixed(decimals=0),
    "integer": lambda: _mixed(decimals=0, dtype=np.int64),
}


@pytest.mark.parametrize("data", NC_DATA)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("form", ["int", "instance"])
def test_smotenc_matches_reference(data, seed, form):
    X, y = NC_DATA[data]()
    ours, theirs = _both(
        SMOTENC, reference.SMOTENC, X, y, form, seed, categorical_features=[4, 0]
    )
    assert ours.median_std_ == theirs.median_std_
    assert np.array_equal(ours.categorical_features_, [4, 0])
    assert np.array_equal(ours.continuous_features_, theirs.continuous_features_)
    assert ours.n_features_ == ours.n_features_in_ == 5
    assert ours.sampling_strategy_ == theirs.sampling_strategy_
    assert ours.nn_k_.n_neighbors == 6
    assert ours.categorical_encoder_.dtype == theirs.categorical_encoder_.dtype


def test_smotenc_tied_distances_use_the_reference_order(monkeypatch):
    raised = []
    engine = smote_base.kneighbors

    def counting(*args, **kwargs):
        try:
            return engine(*args, **kwargs)
        except TieError:
            raised.append(True)
            raise

    monkeypatch.setattr(smote_base, "kneighbors", counting)
    X, y = _mixed(decimals=0)
    _both(SMOTENC, reference.SMOTENC, X, y, "int", 0, categorical_features=[0, 4])
    assert raised  # the sparse fallback decided the order


@pytest.mark.parametrize(
    "categorical_features", [[0, 4], [-1, 0], [True, False, False, False, True]]
)
def test_smotenc_column_forms_match_reference(categorical_features):
    X, y = _mixed()
    ours, theirs = _both(
        SMOTENC, reference.SMOTENC, X, y, "int", 1, categorical_features=categorical_features
    )
    assert np.array_equal(ours.categorical_features_, theirs.categorical_features_)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("categorical_features", ["auto", ["city", "colour"]])
def test_smotenc_dataframe_matches_reference(seed, categorical_features):
    X, y = _frame()
    if categorical_features == "auto":
        X = X.astype({"city": "category"})
    ours, _ = _both(
        SMOTENC, reference.SMOTENC, X, y, "int", seed, categorical_features=categorical_features
    )
    assert list(ours.feature_names_in_) == list(X.columns)


def test_smotenc_string_column_dtype_kept():
    X, y = _frame()
    X = X.astype({"city": "string"})
    _both(SMOTENC, reference.SMOTENC, X, y, "int", 0, categorical_features=["colour", "city"])
    X_res, _ = SMOTENC(categorical_features=["colour", "city"], random_state=0).fit_resample(X, y)
    assert X_res.dtypes.equals(X.dtypes)
    assert set(X_res["city"]) <= set(X["city"])


@pytest.mark.parametrize(
    "params",
    [
        {"k_neighbors": NearestNeighbors(n_neighbors=4)},
        {"categorical_encoder": OneHotEncoder(handle_unknown="ignore", sparse_output=False)},
        {"sampling_strategy": {1: 100, 2: 40}},
    ],
    ids=["estimator", "encoder", "dict"],
)
def test_smotenc_parameters_match_reference(params):
    X, y = _mixed(n_classes=3)
    _both(SMOTENC, reference.SMOTENC, X, y, "int", 3, categorical_features=[0, 4], **params)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_smotenc_sparse_matches_reference_in_the_input_format(fmt):
    X, y = _mixed()
    X = sparse.csr_matrix(X).asformat(fmt)
    ours = SMOTENC(categorical_features=[0, 4], random_state=0).fit_resample(X, y)
    theirs = reference.SMOTENC(categorical_features=[0, 4], random_state=0).fit_resample(X, y)
    assert ours[0].format == fmt  # the reference always returns CSR
    _assert_same((ours[0].tocsr(), ours[1]), theirs)


def test_smotenc_frame_of_sparse_columns_matches_reference():
    X, y = _mixed()
    X = pd.DataFrame(X, columns=list("abcde")).astype(pd.SparseDtype(np.float64, 0.0))
    _both(SMOTENC, reference.SMOTENC, X, pd.Series(y), "int", 0, categorical_features=[0, 4])


def test_smotenc_object_array_with_missing_category_matches_reference():
    X, y = _mixed()
    X = X.astype(object)
    X[:, 0] = np.array(["a", "b", "c", "d"])[X[:, 0].astype(int)]
    X[::7, 4] = np.nan  # a missing categorical value is a category of its own
    _both(SMOTENC, reference.SMOTENC, X, y, "instance", 0, categorical_features=[0, 4])


def test_smotenc_zero_median_std_matches_reference():
    X, y = _mixed()
    X[y == 1, 1:4] = 0.0
    X[np.flatnonzero(y == 1)[::9], 1] = 1.0
    ours, theirs = _both(SMOTENC, reference.SMOTENC, X, y, "int", 0, categorical_features=[0, 4])
    assert ours.median_std_ == {1: 0.0}


def test_smotenc_integer_truncation_warns():
    X, y = _mixed(decimals=0, dtype=np.int64)
    X[:, 1:4] //= 4  # median std below sqrt(2): the one-hot value truncates to 0
    with pytest.warns(ImbalanceWarning, match="truncates to 0"):
        SMOTENC(categorical_features=[0, 4], random_state=0).fit_resample(X, y)


# --- SMOTENC: the method's own rule -----------------------------------------------


def test_smotenc_new_samples_follow_the_rule():
    X, y = _mixed(seed=3)
    k = 5
    sampler = SMOTENC(categorical_features=[0, 4], random_state=0, k_neighbors=k)
    X_res, y_res = sampler.fit_resample(X, y)
    members = X[y == 1]
    continuous, categorical = members[:, 1:4], members[:, [0, 4]].astype(int)
    std = np.median(continuous.std(axis=0))
    assert sampler.median_std_[1] == pytest.approx(std, rel=1e-12)
    one_hot = np.hstack([np.eye(4)[categorical[:, 0]], np.eye(3)[categorical[:, 1]]])
    encoded = np.hstack([continuous, one_hot * std / np.sqrt(2)])
    neighbours = NearestNeighbors(n_neighbors=k + 1).fit(encoded).kneighbors(encoded)[1][:, 1:]
    new = X_res[X.shape[0]:]
    assert np.array_equal(y_res[X.shape[0]:], np.ones(len(new)))
    for sample in new:
        explained = False
        for base in range(len(members)):
            for other in neighbours[base]:
                direction = continuous[other] - continuous[base]
                step = (sample[1:4] - continuous[base]) @ direction / (direction @ direction)
                on_segment = 0 <= step <= 1 and np.allclose(
                    continuous[base] + step * direction, sample[1:4], atol=1e-12
                )
                votes = categorical[neighbours[base]]
                modal = all(
                    np.sum(votes[:, f] == sample[c]) == np.bincount(votes[:, f]).max()
                    for f, c in enumerate([0, 4])
                )
                explained |= on_segment and modal
        assert explained


# --- SMOTEN: the reference's output -----------------------------------------------

N_DATA = {
    "binary": lambda: _codes(),
    "three_class": lambda: _codes(n_classes=3),
    "strings": lambda: (np.array(list("wxyz"), dtype=object)[_codes()[0]], _codes()[1]),
    "floats": lambda: (_codes()[0].astype(float), _codes()[1]),
}


@pytest.mark.parametrize("data", N_DATA)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("form", ["int", "instance"])
def test_smoten_matches_reference(data, seed, form):
    X, y = N_DATA[data]()
    ours, theirs = _both(SMOTEN, reference.SMOTEN, X, y, form, seed)
    assert ours.nn_k_.get_params() == theirs.nn_k_.get_params()
    assert ours.sampling_strategy_ == theirs.sampling_strategy_


@pytest.mark.parametrize(
    "params",
    [
        {"k_neighbors": NearestNeighbors(n_neighbors=3)},
        {"k_neighbors": 1},
        {"categorical_encoder": OrdinalEncoder()},
        {"sampling_strategy": "all"},
    ],
    ids=["estimator", "k1", "float-encoder", "all"],
)
def test_smoten_parameters_match_reference(params):
    X, y = _codes(n_classes=3)
    _both(SMOTEN, reference.SMOTEN, X, y, "int", 5, **params)


def test_smoten_dataframe_matches_reference():
    X, y = _frame()
    X = X[["colour", "city", "age"]]
    ours, _ = _both(SMOTEN, reference.SMOTEN, X, y, "int", 0)
    assert list(ours.feature_names_in_) == ["colour", "city", "age"]


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_smoten_sparse_matches_reference_and_warns(fmt):
    X, y = _codes()
    X = sparse.csr_matrix(X).asformat(fmt)
    _both(SMOTEN, reference.SMOTEN, X, y, "int", 0)
    with pytest.warns(ImbalanceWarning, match="dense") as record:
        SMOTEN(random_state=0).fit_resample(X, y)
    assert issubclass(record[0].category, DataConversionWarning)


# --- SMOTEN: the method's own rule ------------------------------------------------


def test_smoten_new_samples_are_neighbourhood_modes():
    X, y = _codes(seed=4)
    X_res, y_res = SMOTEN(random_state=0, k_neighbors=4).fit_resample(X, y)
    encoded = OrdinalEncoder().fit_transform(X).astype(int)
    members = encoded[y == 1]
    dist = ValueDifferenceMetric().fit(encoded, y).pairwise(members)
    neighbourhoods = NearestNeighbors(n_neighbors=5, metric="precomputed").fit(dist).kneighbors(
        dist, return_distance=False
    )
    modes = {tuple(row) for row in mode(members[neighbourhoods], axis=1).mode}
    new = X_res[X.shape[0]:]
    assert np.array_equal(y_res[X.shape[0]:], np.ones(len(new)))
    assert {tuple(row) for row in new} <= modes


# --- errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "categorical_features, error, message",
    [
        ([0, 1, 2, 3, 4], InvalidInputError, "All 5 features .* Use SMOTEN"),
        ([], InvalidInputError, "No feature of X is categorical .* Use SMOTE for"),
        ([0, 5], InvalidInputError, "index 5, but X has 5 features"),
        ([0, -6], InvalidInputError, "index -6"),
        (["a"], InvalidInputError, "names, which needs a pandas DataFrame"),
        ("auto", InvalidInputError, "'auto' selects .* but X is a ndarray"),
        ([0, 0], InvalidInputError, "more than once"),
        ([True, False], InvalidInputError, "boolean mask of length 2, but X has 5"),
        ([0.5], InvalidInputError, "must be 'auto', a list of column indices"),
    ],
)
def test_smotenc_bad_categorical_features_raise(categorical_features, error, message):
    X, y = _mixed()
    with pytest.raises(error, match=message):
        SMOTENC(categorical_features=categorical_features).fit_resample(X, y)


def test_smotenc_errors_on_frames():
    X, y = _frame()
    with pytest.raises(InvalidInputError, match=r"\['zip'\], which are not columns"):
        SMOTENC(categorical_features=["zip", "city"]).fit_resample(X, y)
    with pytest.raises(NonNumericDataError, match="column\\(s\\) 'city' of X are not numeric"):
        SMOTENC(categorical_features=["colour"]).fit_resample(X, y)
    with pytest.raises(InvalidInputError, match="pandas 'category' dtype"):
        SMOTENC(categorical_features="auto").fit_resample(X.astype({"colour": str}), y)


def test_smotenc_missing_continuous_value_raises():
    X, y = _mixed()
    X[5, 2] = np.nan
    with pytest.raises(NonFiniteInputError, match="Column 2 of X is continuous .* Impute or drop"):
        SMOTENC(categorical_features=[0, 4]).fit_resample(X, y)


def test_smotenc_class_too_small_raises():
    X, y = _mixed()
    with pytest.raises(NotEnoughSamplesError, match="Class 1 has 60 sample.*k_neighbors=60"):
        SMOTENC(categorical_features=[0, 4], k_neighbors=60).fit_resample(X, y)


def test_smotenc_encoder_dropping_columns_raises():
    X, y = _mixed()
    with pytest.raises(InvalidInputError, match="one column per category"):
        SMOTENC(
            categorical_features=[0, 4], categorical_encoder=OneHotEncoder(drop="first")
        ).fit_resample(X, y)


def test_smoten_missing_value_raises():
    X, y = _codes()
    X = np.array(list("wxyz"), dtype=object)[X]
    X[3, 1] = np.nan
    with pytest.raises(NonFiniteInputError, match="row 3, column 1. SMOTEN needs a category"):
        SMOTEN().fit_resample(X, y)


def test_smoten_class_too_small_raises():
    X, y = _codes()
    with pytest.raises(NotEnoughSamplesError, match="Class 1 has 50 sample"):
        SMOTEN(k_neighbors=50).fit_resample(X, y)


# --- the public surface -----------------------------------------------------------


@pytest.mark.parametrize("name", ["SMOTENC", "SMOTEN"])
def test_signature_and_constraints_match_reference(name):
    ours, theirs = getattr(_categorical, name), getattr(reference, name)
    assert inspect.signature(ours.__init__) == inspect.signature(theirs.__init__)
    assert ours._parameter_constraints.keys() == theirs._parameter_constraints.keys()


def test_inputs_are_not_modified_and_fit_works():
    X, y = _mixed()
    X_copy, y_copy = X.copy(), y.copy()
    SMOTENC(categorical_features=[0, 4], random_state=0).fit_resample(X, y)
    SMOTEN(random_state=0).fit_resample(X[:, [0, 4]], y)
    assert np.array_equal(X, X_copy) and np.array_equal(y, y_copy)
    sampler = SMOTENC(categorical_features=[0, 4]).fit(X, y)
    assert sampler.sampling_strategy_ == {1: 80}
