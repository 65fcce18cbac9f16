"""SMOTEENN and SMOTETomek: oracle equality with imbalanced-learn and their own rules."""

import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn import combine as peer
from imblearn import over_sampling as peer_over
from imblearn import under_sampling as peer_under
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.utils._param_validation import InvalidParameterError

from imbkit.combine import SMOTEENN, SMOTETomek
from imbkit.datasets import load_yeast_me2
from imbkit.exceptions import NonFiniteInputError, SamplingStrategyError
from imbkit.over_sampling import SMOTE
from imbkit.under_sampling._edited import EditedNearestNeighbours
from imbkit.under_sampling._tomek import TomekLinks

PAIRS = [(SMOTEENN, peer.SMOTEENN), (SMOTETomek, peer.SMOTETomek)]
IDS = ["SMOTEENN", "SMOTETomek"]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the oracle's FutureWarnings are not ours
        yield


def _data(kind, seed, dtype=np.float64):
    if kind == "binary":
        X, y = make_classification(n_samples=600, n_features=5, n_informative=3,
                                   weights=[0.85], flip_y=0.05, random_state=seed)
    elif kind == "multiclass":
        X, y = make_classification(n_samples=900, n_features=6, n_informative=4,
                                   n_classes=3, weights=[0.7, 0.2], flip_y=0.05,
                                   random_state=seed)
    elif kind == "low-dim":  # two features: many Tomek links after SMOTE
        X, y = make_classification(n_samples=800, n_features=2, n_informative=2,
                                   n_redundant=0, weights=[0.9], flip_y=0.05,
                                   random_state=seed)
    elif kind == "ties":  # integer grid: tied distances and duplicate rows
        rng = np.random.RandomState(seed)
        X = rng.randint(0, 3, size=(400, 3)).astype(float)
        y = (rng.uniform(size=400) < 0.2).astype(int)
    else:  # the bundled real dataset (has duplicate rows)
        X, y = load_yeast_me2(return_X_y=True)
    return X.astype(dtype), y


def _assert_same(ours, ref, X, y, X_fit=None):
    X_ref, y_ref = ref.fit_resample(X, y)
    X_res, y_res = ours.fit_resample(X if X_fit is None else X_fit, y)
    if sparse.issparse(X_res):
        X_res = X_res.toarray()
    assert X_res.dtype == X.dtype
    assert np.array_equal(X_res, X_ref)
    assert np.array_equal(y_res, y_ref)
    return X_res, y_res


CASES = [(k, s, d) for k in ("binary", "multiclass", "low-dim", "ties", "real")
         for s in (0, 7) for d in (np.float64, np.float32)]


@pytest.mark.parametrize("ours, ref", PAIRS, ids=IDS)
@pytest.mark.parametrize("kind, seed, dtype", CASES)
def test_combine_matches_imblearn(ours, ref, kind, seed, dtype):
    X, y = _data(kind, seed, dtype)
    _assert_same(ours(random_state=seed), ref(random_state=seed), X, y)


@pytest.mark.parametrize("ours, ref", PAIRS, ids=IDS)
@pytest.mark.parametrize("strategy", ["minority", "all", 0.6, {1: 500, 2: 400}])
def test_combine_sampling_strategy_and_random_state_instance_match_imblearn(
        ours, ref, strategy):
    X, y = _data("multiclass", 3)
    if isinstance(strategy, float):
        X, y = X[y < 2], y[y < 2]
    sampler = ours(sampling_strategy=strategy, random_state=np.random.RandomState(5))
    _assert_same(sampler, ref(sampling_strategy=strategy,
                              random_state=np.random.RandomState(5)), X, y)
    # imblearn stores the raw parameter, documented as a dict; imbkit the dict
    assert sampler.sampling_strategy_ == sampler.smote_.sampling_strategy_
    assert isinstance(sampler.sampling_strategy_, dict)


def test_smoteenn_smote_and_enn_parameters_match_imblearn():
    X, y = _data("multiclass", 2)
    ours = SMOTEENN(random_state=9, smote=SMOTE(k_neighbors=3, random_state=4),
                    enn=EditedNearestNeighbours(n_neighbors=5, kind_sel="mode"))
    ref = peer.SMOTEENN(random_state=9,
                        smote=peer_over.SMOTE(k_neighbors=3, random_state=4),
                        enn=peer_under.EditedNearestNeighbours(n_neighbors=5,
                                                                kind_sel="mode"))
    _assert_same(ours, ref, X, y)
    assert ours.smote_.random_state == 4  # the given SMOTE keeps its own seed
    assert ours.enn_.kind_sel == "mode" and ours.enn_.n_neighbors == 5


def test_smotetomek_smote_and_tomek_parameters_match_imblearn():
    X, y = _data("low-dim", 2)
    ours = SMOTETomek(smote=SMOTE(sampling_strategy=0.5, random_state=1),
                      tomek=TomekLinks(sampling_strategy="majority"))
    ref = peer.SMOTETomek(smote=peer_over.SMOTE(sampling_strategy=0.5, random_state=1),
                          tomek=peer_under.TomekLinks(sampling_strategy="majority"))
    _assert_same(ours, ref, X, y)
    assert ours.tomek_.sampling_strategy == "majority"


@pytest.mark.parametrize("ours, ref", PAIRS, ids=IDS)
def test_combine_default_steps_get_random_state_and_n_jobs(ours, ref):
    X, y = _data("binary", 4)
    sampler = ours(random_state=3, n_jobs=2, sampling_strategy=0.7)
    sampler.fit_resample(X, y)
    assert sampler.smote_.random_state == 3
    assert sampler.smote_.sampling_strategy == 0.7
    cleaner = sampler.enn_ if ours is SMOTEENN else sampler.tomek_
    assert cleaner.sampling_strategy == "all" and cleaner.n_jobs == 2
    _assert_same(ours(random_state=3, n_jobs=2), ref(random_state=3, n_jobs=2), X, y)


@pytest.mark.parametrize("ours, ref", PAIRS, ids=IDS)
def test_combine_given_steps_are_cloned_and_their_random_state_kept(ours, ref):
    X, y = _data("binary", 5)
    rng = np.random.RandomState(2)
    state = rng.get_state()[1].copy()
    smote = SMOTE(random_state=rng)
    sampler = ours(smote=smote, random_state=123)
    first = sampler.fit_resample(X, y)
    assert sampler.smote_ is not smote and not hasattr(smote, "sampling_strategy_")
    assert np.array_equal(rng.get_state()[1], state)  # the caller's generator untouched
    second = sampler.fit_resample(X, y)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    _assert_same(ours(smote=SMOTE(random_state=np.random.RandomState(2))),
                 ref(smote=peer_over.SMOTE(random_state=np.random.RandomState(2))), X, y)


@pytest.mark.parametrize("ours, ref", PAIRS, ids=IDS)
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_combine_sparse_matches_imblearn_and_keeps_format(ours, ref, fmt):
    X, y = _data("binary", 1)
    X = np.where(np.abs(X) < 0.8, 0.0, X)
    Xs = sparse.csr_matrix(X).asformat(fmt)
    X_ref, y_ref = ref(random_state=0).fit_resample(Xs, y)
    X_res, y_res = ours(random_state=0).fit_resample(Xs, y)
    assert sparse.issparse(X_res) and X_res.format == X_ref.format
    assert np.array_equal(X_res.toarray(), X_ref.toarray())
    assert np.array_equal(y_res, y_ref)


@pytest.mark.parametrize("ours, ref", PAIRS, ids=IDS)
def test_combine_pandas_and_string_labels_match_imblearn(ours, ref):
    X, y = _data("multiclass", 8)
    df = pd.DataFrame(X, columns=[f"c{i}" for i in range(X.shape[1])])
    X_ref, y_ref = ref(random_state=0).fit_resample(df, pd.Series(y, name="t"))
    X_res, y_res = ours(random_state=0).fit_resample(df, pd.Series(y, name="t"))
    pd.testing.assert_frame_equal(X_res, X_ref)
    pd.testing.assert_series_equal(y_res, y_ref)
    names = np.array(["ant", "bee", "cat"])  # sorted as the integer labels
    _, y_str = ours(random_state=0).fit_resample(X, names[y])
    assert np.array_equal(y_str, names[y_ref.to_numpy()])


# ------------------------------------------------------------------ own rules


def _knn_brute(X, k):
    d = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    return np.argsort(d, axis=1, kind="stable")[:, :k]


def test_smoteenn_is_smote_then_enn_rule_by_brute_force():
    X, y = _data("low-dim", 0)
    sampler = SMOTEENN(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    X_sm, y_sm = SMOTE(random_state=0).fit_resample(X, y)
    # default ENN: every class cleaned, a sample stays when its 3 neighbours agree
    agree = (y_sm[_knn_brute(X_sm, 3)] == y_sm[:, None]).all(axis=1)
    # ENN's output is grouped by class, rows ascending within a class
    kept = np.concatenate([np.flatnonzero(agree & (y_sm == c)) for c in (0, 1)])
    assert np.array_equal(sampler.enn_.sample_indices_, kept)
    assert np.array_equal(X_res, X_sm[kept]) and np.array_equal(y_res, y_sm[kept])


def test_smotetomek_is_smote_then_removal_of_tomek_links_by_brute_force():
    X, y = _data("low-dim", 1)
    sampler = SMOTETomek(random_state=1)
    X_res, y_res = sampler.fit_resample(X, y)
    X_sm, y_sm = SMOTE(random_state=1).fit_resample(X, y)
    nn = _knn_brute(X_sm, 1)[:, 0]
    linked = (nn[nn] == np.arange(len(y_sm))) & (y_sm[nn] != y_sm)
    assert linked.sum() > 0
    assert np.array_equal(sampler.tomek_.sample_indices_, np.flatnonzero(~linked))
    assert np.array_equal(X_res, X_sm[~linked]) and np.array_equal(y_res, y_sm[~linked])


# --------------------------------------------------------------------- errors


@pytest.mark.parametrize("ours", [SMOTEENN, SMOTETomek], ids=IDS)
def test_combine_errors_are_clear(ours):
    X, y = _data("binary", 0)
    name = "enn" if ours is SMOTEENN else "tomek"
    with pytest.raises(InvalidParameterError, match="'smote' parameter"):
        ours(smote=peer_over.SMOTE()).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        ours(**{name: SMOTE()}).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter"):
        ours(n_jobs="2").fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match="cannot shrink class 0"):
        ours(sampling_strategy={0: 10, 1: 600}).fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match=r"class\(es\) \[5\]"):
        ours(sampling_strategy={5: 700}).fit_resample(X, y)
    X_nan = X.copy()
    X_nan[3, 2] = np.nan
    with pytest.raises(NonFiniteInputError, match=r"row 3, column 2"):
        ours().fit_resample(X_nan, y)
    assert clone(ours(random_state=4)).random_state == 4
