"""InstanceHardnessThreshold and NeighbourhoodCleaningRule: oracle equality and own rules."""

import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn import under_sampling as peer
from joblib import parallel_backend
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from imbkit.datasets import load_yeast_me2
from imbkit.exceptions import NotEnoughSamplesError, SamplingStrategyError
from imbkit.under_sampling._edited import EditedNearestNeighbours
from imbkit.under_sampling._instance_hardness import (
    InstanceHardnessThreshold,
    hardness_selection,
    seed_random_states,
)
from imbkit.under_sampling._ncr import (
    NeighbourhoodCleaningRule,
    misclassified_neighbourhood,
)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        # the oracle's own FutureWarnings and convergence warnings are not ours
        warnings.simplefilter("ignore")
        yield


def _data(kind, seed, n=600):
    if kind == "binary":
        X, y = make_classification(n_samples=n, n_features=5, n_informative=3,
                                   weights=[0.85], flip_y=0.05, random_state=seed)
    elif kind == "multiclass":
        X, y = make_classification(n_samples=n, n_features=6, n_informative=4,
                                   n_classes=3, weights=[0.6, 0.3], flip_y=0.05,
                                   random_state=seed)
    elif kind == "ties":  # integer grid: tied distances and duplicate rows
        rng = np.random.RandomState(seed)
        X = rng.randint(0, 4, size=(n, 3)).astype(float)
        y = (rng.uniform(size=n) < 0.25).astype(int)
    elif kind == "wide":  # > 15 features: scikit-learn's 'auto' picks brute force
        X, y = make_classification(n_samples=n, n_features=20, n_informative=6,
                                   n_classes=3, weights=[0.7, 0.2], flip_y=0.05,
                                   random_state=seed)
    else:  # the bundled real dataset (has duplicate rows)
        X, y = load_yeast_me2(return_X_y=True)
    return X, y


def _small_forest():
    return RandomForestClassifier(n_estimators=10)


# ---------------------------------------------------------------- IHT: oracle


@pytest.mark.parametrize("kind", ["real"])
def test_iht_default_matches_imblearn(kind):
    X, y = _data(kind, 1, n=400)
    ref = peer.InstanceHardnessThreshold(random_state=3)
    ours = InstanceHardnessThreshold(random_state=3)
    X_ref, y_ref = ref.fit_resample(X, y)
    X_res, y_res = ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert np.array_equal(X_res, X_ref)
    assert np.array_equal(y_res, y_ref)
    assert ours.estimator_.get_params() == ref.estimator_.get_params()


@pytest.mark.parametrize("kind, seed", [("multiclass", 0), ("multiclass", 5),
                                        ("ties", 1), ("binary", 2)])
@pytest.mark.parametrize("cv", [2, 3, 7])
@pytest.mark.parametrize("strategy", ["auto", "all", "majority", {0: 150, 1: 40}])
def test_iht_estimator_cv_and_strategy_match_imblearn(kind, seed, cv, strategy):
    X, y = _data(kind, seed, n=400)
    kw = {"estimator": _small_forest(), "cv": cv, "sampling_strategy": strategy}
    ref = peer.InstanceHardnessThreshold(random_state=seed, **kw).fit(X, y)
    ref.fit_resample(X, y)
    ours = InstanceHardnessThreshold(random_state=seed, **kw)
    ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert ours.estimator_.random_state == ref.estimator_.random_state


@pytest.mark.parametrize("estimator", [
    LogisticRegression(),
    make_pipeline(StandardScaler(), DecisionTreeClassifier(max_depth=3)),
])
def test_iht_random_state_instance_and_nested_seeds_match_imblearn(estimator):
    X, y = _data("binary", 2, n=400)
    ref = peer.InstanceHardnessThreshold(estimator=estimator,
                                         random_state=np.random.RandomState(4))
    ours = InstanceHardnessThreshold(estimator=estimator,
                                     random_state=np.random.RandomState(4))
    ref.fit_resample(X, y)
    ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert _seeds(ours.estimator_) == _seeds(ref.estimator_)


def _seeds(estimator):
    return {k: v for k, v in estimator.get_params().items() if k.endswith("random_state")}


def test_iht_default_forest_with_random_state_instance_and_n_jobs_matches_imblearn():
    X, y = _data("binary", 6, n=300)
    ref = peer.InstanceHardnessThreshold(random_state=np.random.RandomState(1))
    ref.fit_resample(X, y)
    for n_jobs in (None, 2):
        ours = InstanceHardnessThreshold(random_state=np.random.RandomState(1),
                                         n_jobs=n_jobs)
        with parallel_backend("threading"):  # no process start-up in the tests
            ours.fit_resample(X, y)
        assert np.array_equal(ours.sample_indices_, ref.sample_indices_)


def test_iht_float_strategy_and_sparse_and_pandas_match_imblearn():
    X, y = _data("binary", 4, n=400)
    kw = {"estimator": _small_forest(), "sampling_strategy": 0.5, "random_state": 0}
    ref = peer.InstanceHardnessThreshold(**kw)
    X_ref, y_ref = ref.fit_resample(X, y)
    for fmt in ("csr", "csc"):
        Xs = sparse.csr_matrix(X).asformat(fmt)
        X_res, y_res = InstanceHardnessThreshold(**kw).fit_resample(Xs, y)
        assert X_res.format == fmt
        assert np.array_equal(X_res.toarray(), X_ref)
        assert np.array_equal(y_res, y_ref)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    X_res, y_res = InstanceHardnessThreshold(**kw).fit_resample(df, pd.Series(y))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(df.columns)
    assert np.array_equal(X_res.to_numpy(), X_ref)
    assert np.array_equal(y_res.to_numpy(), y_ref)


# ------------------------------------------------------------ IHT: own rules


def test_iht_keeps_samples_above_the_class_percentile():
    X, y = _data("multiclass", 8, n=300)
    splits = list(StratifiedKFold(4, shuffle=True, random_state=2).split(X, y))
    est = LogisticRegression()
    proba = cross_val_predict(est, X, y, cv=splits, method="predict_proba")
    sampler = InstanceHardnessThreshold(estimator=est, cv=splits,
                                        sampling_strategy={0: 50, 1: 40})
    sampler.fit_resample(X, y)
    expected = []
    for klass, keep in ((0, 50), (1, 40), (2, None)):
        rows = np.flatnonzero(y == klass)
        if keep is not None:
            p = proba[rows, klass]
            rows = rows[p >= np.percentile(p, 100 * (1 - keep / rows.size))]
        expected.append(rows)
    assert np.array_equal(sampler.sample_indices_, np.concatenate(expected))
    assert np.bincount(y[sampler.sample_indices_]).tolist() == [50, 40, (y == 2).sum()]


def test_iht_hardness_selection_keeps_ties_at_the_threshold():
    proba = np.array([0.5, 0.5, 0.5, 0.9, 0.1, 0.3])
    y = np.array([0, 0, 0, 0, 1, 1])
    # keep 2 of 4 of class 0: threshold = median = 0.5, three samples tie at it
    assert hardness_selection(proba, y, {0: 2}).tolist() == [0, 1, 2, 3, 4, 5]
    assert hardness_selection(proba, y, {0: 1, 1: 1}).tolist() == [3, 5]


def test_iht_seed_random_states_sets_nested_parameters_in_sorted_order():
    est = seed_random_states(make_pipeline(PCA(2), DecisionTreeClassifier()), 0)
    rng = np.random.RandomState(0)
    first, second = rng.randint(2**31 - 1), rng.randint(2**31 - 1)
    assert est.get_params()["decisiontreeclassifier__random_state"] == first
    assert est.get_params()["pca__random_state"] == second


def test_iht_labels_not_0_to_k_fixed_unlike_imblearn():
    X, y = _data("binary", 3, n=300)
    kw = {"estimator": _small_forest(), "random_state": 1}
    ref = peer.InstanceHardnessThreshold(**kw)
    ref.fit_resample(X, y)
    for labels in (y + 1, np.where(y == 1, "b", "a")):
        with pytest.raises((IndexError, ValueError)):
            peer.InstanceHardnessThreshold(**kw).fit_resample(X, labels)
        ours = InstanceHardnessThreshold(**kw)
        _X_res, y_res = ours.fit_resample(X, labels)
        assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
        assert np.array_equal(y_res, labels[ref.sample_indices_])


def test_iht_cv_splitter_iterable_and_none_accepted_unlike_imblearn():
    X, y = _data("binary", 5, n=300)
    est = LogisticRegression()
    splitter = KFold(3, shuffle=True, random_state=0)
    with pytest.raises(ValueError, match="number of folds must be of Integral"):
        peer.InstanceHardnessThreshold(estimator=est, cv=splitter).fit_resample(X, y)
    a = InstanceHardnessThreshold(estimator=est, cv=splitter).fit(X, y)
    a.fit_resample(X, y)
    b = InstanceHardnessThreshold(estimator=est, cv=list(splitter.split(X, y)))
    b.fit_resample(X, y)
    assert np.array_equal(a.sample_indices_, b.sample_indices_)
    c = InstanceHardnessThreshold(estimator=est, cv=None, random_state=2)
    c.fit_resample(X, y)
    d = peer.InstanceHardnessThreshold(estimator=est, cv=5, random_state=2)
    d.fit_resample(X, y)
    assert np.array_equal(c.sample_indices_, d.sample_indices_)


# --------------------------------------------------------------- IHT: errors


def test_iht_errors_are_clear():
    X, y = _data("binary", 0, n=200)
    with pytest.raises(TypeError, match="estimator must be a classifier"):
        InstanceHardnessThreshold(estimator=_Regressor()).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'estimator' parameter"):
        InstanceHardnessThreshold(estimator=SVR()).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'cv' parameter"):
        InstanceHardnessThreshold(cv=1).fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match="cannot grow class 0"):
        InstanceHardnessThreshold(sampling_strategy={0: 500}).fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match=r"class\(es\) \[7\]"):
        InstanceHardnessThreshold(sampling_strategy={7: 5}).fit_resample(X, y)


class _Regressor(LogisticRegression):
    """Has fit and predict_proba but is not tagged a classifier."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = None
        return tags


# ---------------------------------------------------------------- NCR: oracle

NCR_PARAMS = [
    {},
    {"n_neighbors": 1},
    {"n_neighbors": 5},
    {"threshold_cleaning": 2.0},
    {"threshold_cleaning": 0.1},
    {"sampling_strategy": "all"},
    {"sampling_strategy": "majority"},
    {"sampling_strategy": "not majority"},
    {"n_neighbors": NearestNeighbors(n_neighbors=4)},
]


def _assert_ncr_equal(X, y, params, X_fit=None):
    ref = peer.NeighbourhoodCleaningRule(**params)
    ours = NeighbourhoodCleaningRule(**params)
    X_ref, y_ref = ref.fit_resample(X, y)
    X_res, y_res = ours.fit_resample(X if X_fit is None else X_fit, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert ours.classes_to_clean_ == ref.classes_to_clean_
    assert np.array_equal(y_res, y_ref)
    return X_res, X_ref


@pytest.mark.parametrize("kind, seed", [("binary", 0), ("binary", 1), ("multiclass", 0),
                                        ("multiclass", 1), ("ties", 0), ("ties", 1),
                                        ("wide", 0)])
@pytest.mark.parametrize("params", NCR_PARAMS, ids=range(len(NCR_PARAMS)))
def test_ncr_matches_imblearn(kind, seed, params):
    X, y = _data(kind, seed, n=400)
    X_res, X_ref = _assert_ncr_equal(X, y, params)
    assert np.array_equal(X_res, X_ref)


@pytest.mark.parametrize("params", NCR_PARAMS, ids=range(len(NCR_PARAMS)))
def test_ncr_matches_imblearn_on_real_data_with_duplicates(params):
    X, y = load_yeast_me2(return_X_y=True)
    _assert_ncr_equal(X, y, params)


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_ncr_matches_imblearn_on_float32_and_integer_data(dtype):
    for kind in ("binary", "ties"):
        X, y = _data(kind, 3, n=500)
        X = (X * 3).astype(dtype)
        X_res, X_ref = _assert_ncr_equal(X, y, {})
        assert X_res.dtype == dtype and np.array_equal(X_res, X_ref)


def test_ncr_large_enough_for_the_engine_matches_imblearn():
    # above the size where the exact engine, not scikit-learn, answers the A2 query
    X, y = make_classification(n_samples=6000, n_features=20, n_informative=8,
                               weights=[0.9], flip_y=0.03, random_state=0)
    _assert_ncr_equal(X, y, {})
    _assert_ncr_equal(X, y, {"n_neighbors": 7, "sampling_strategy": "all"})


def test_ncr_enn_and_classifier_parameters_match_imblearn():
    X, y = _data("multiclass", 4, n=500)
    ref = peer.NeighbourhoodCleaningRule(
        edited_nearest_neighbours=peer.EditedNearestNeighbours(kind_sel="all"),
        n_neighbors=KNeighborsClassifier(n_neighbors=4, weights="distance"),
    )
    ref.fit_resample(X, y)
    ours = NeighbourhoodCleaningRule(
        edited_nearest_neighbours=EditedNearestNeighbours(kind_sel="all"),
        n_neighbors=KNeighborsClassifier(n_neighbors=4, weights="distance"),
    )
    ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert isinstance(ours.edited_nearest_neighbours_, EditedNearestNeighbours)
    assert ours.nn_.weights == "distance"
    assert ours.nn_.n_samples_fit_ == X.shape[0]  # fitted, as in the reference


def test_ncr_labels_equal_counts_sparse_and_pandas_match_imblearn():
    X, y = _data("multiclass", 6, n=500)
    # string labels (imblearn's ENN fails on them: scipy's mode needs numbers),
    # sorted as the integer codes the oracle gets
    labels = np.array(["ant", "bee", "cat"])[y]
    ref = peer.NeighbourhoodCleaningRule(sampling_strategy="all").fit(X, y)
    ref.fit_resample(X, y)
    ours = NeighbourhoodCleaningRule(sampling_strategy="all")
    _, y_res = ours.fit_resample(X, labels)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)
    assert ours.classes_to_clean_ == ["ant", "bee", "cat"]
    assert np.array_equal(y_res, labels[ref.sample_indices_])
    # two classes of equal size: the minority is the one appearing first in y
    rng = np.random.RandomState(0)
    Xe = rng.normal(size=(300, 4))
    ye = np.array([1, 0, 2] * 100)
    ye[:60] = 2
    _assert_ncr_equal(Xe, ye, {"sampling_strategy": "all"})
    for fmt in ("csr", "csc"):
        Xs = sparse.csr_matrix(X).asformat(fmt)
        X_res, X_ref = _assert_ncr_equal(X, y, {}, X_fit=Xs)
        assert X_res.format == fmt and np.array_equal(X_res.toarray(), X_ref)
    df = pd.DataFrame(X, columns=[f"c{i}" for i in range(X.shape[1])])
    X_res, y_res = NeighbourhoodCleaningRule().fit_resample(df, pd.Series(y, name="t"))
    X_ref, y_ref = peer.NeighbourhoodCleaningRule().fit_resample(df, pd.Series(y, name="t"))
    pd.testing.assert_frame_equal(X_res, X_ref)
    pd.testing.assert_series_equal(y_res, y_ref)


# ------------------------------------------------------------- NCR: own rules


def _brute_ncr(X, y, k, clean, threshold):
    """Laurikkala's rule from its definition, with an all-pairs distance matrix."""
    d = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    order = np.argsort(d, axis=1, kind="stable")  # column 0: the sample itself
    classes, counts = np.unique(y, return_counts=True)

    def vote(neigh):
        return classes[np.argmax([(y[neigh] == c).sum() for c in classes])]

    removed = set()
    for i in range(len(y)):  # A1: ENN, kind_sel='mode', on the classes to clean
        if y[i] in clean and vote(order[i, 1:k + 1]) != y[i]:
            removed.add(i)
    minority = classes[np.argmin(counts)]
    big = {c for c, n in zip(classes, counts) if c in clean and n > threshold * counts.min()}
    for i in np.flatnonzero(y == minority):  # A2
        if vote(order[i, :k]) != y[i]:
            removed |= {j for j in order[i, 1:k + 1] if y[j] in big}
    return np.array(sorted(set(range(len(y))) - removed))


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("k, strategy, threshold", [
    (3, "auto", 0.5), (5, "all", 0.5), (2, "all", 3.0), (4, "majority", 0.5),
])
def test_ncr_removes_enn_and_minority_neighbourhood_by_brute_force(seed, k, strategy,
                                                                    threshold):
    X, y = _data("multiclass", seed, n=300)
    clean = {"auto": {0, 1}, "all": {0, 1, 2}, "majority": {0}}[strategy]
    ours = NeighbourhoodCleaningRule(n_neighbors=k, sampling_strategy=strategy,
                                     threshold_cleaning=threshold)
    ours.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, _brute_ncr(X, y, k, clean, threshold))


def test_ncr_misclassified_neighbourhood_rule_and_ties():
    X = np.array([[0.0], [1.1], [2.3], [3.6], [10.0], [11.2], [12.5]])
    codes = np.array([0, 0, 1, 0, 1, 1, 0])
    # row 2 votes with rows 2, 1, 3 -> class 0: misclassified, neighbours 1, 3, 0
    # rows 4, 5 vote class 1: kept; so only row 2's neighbourhood is returned
    assert misclassified_neighbourhood(X, codes, np.array([2, 4, 5]), 3).tolist() == [0, 1, 3]
    assert misclassified_neighbourhood(X, codes, np.array([], dtype=int), 3).size == 0
    with pytest.raises(ValueError, match="tied distances"):  # TieError: caller asks sklearn
        misclassified_neighbourhood(np.array([[0.0], [1.0], [-1.0], [5.0]]),
                                    np.array([0, 1, 1, 0]), np.array([0]), 1)


# --------------------------------------------------------------- NCR: errors


def test_ncr_errors_are_clear():
    X, y = _data("binary", 0, n=200)
    with pytest.raises(NotEnoughSamplesError, match="n_neighbors=3 needs at least 4 sam"):
        NeighbourhoodCleaningRule().fit_resample(X[:3], np.array([0, 1, 0]))
    with pytest.raises(TypeError, match="has no predict method"):
        NeighbourhoodCleaningRule(n_neighbors=_KNeighborsOnly()).fit_resample(X, y)
    with pytest.raises(ValueError, match="n_neighbors must be at least 2; got 1"):
        NeighbourhoodCleaningRule(n_neighbors=NearestNeighbors(n_neighbors=1)).fit_resample(X, y)
    with pytest.raises(TypeError, match="records the rows it keeps in sample_indices_"):
        NeighbourhoodCleaningRule(edited_nearest_neighbours=_NoIndices()).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'threshold_cleaning' parameter"):
        NeighbourhoodCleaningRule(threshold_cleaning=0).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'n_neighbors' parameter"):
        NeighbourhoodCleaningRule(n_neighbors=0).fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match=r"class\(es\) \[7\]"):
        NeighbourhoodCleaningRule(sampling_strategy=[0, 7]).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'sampling_strategy' parameter"):
        NeighbourhoodCleaningRule(sampling_strategy={0: 10}).fit_resample(X, y)


class _KNeighborsOnly:
    """A neighbour index with kneighbors but no predict (e.g. an ANN wrapper)."""

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self

    def kneighbors(self, X, n_neighbors=None, return_distance=True):
        raise AssertionError("not reached")

    def kneighbors_graph(self, X, n_neighbors=None):
        raise AssertionError("not reached")


class _NoIndices:
    """A sampler that does not record sample_indices_."""

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self

    def fit_resample(self, X, y):
        return X, y
