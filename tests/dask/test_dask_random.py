"""imbkit.dask: exact, lazy random resampling of Dask arrays and DataFrames."""

import subprocess
import sys
import textwrap
from collections import Counter

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")
import dask
from imblearn.over_sampling import RandomOverSampler as RefOver
from imblearn.under_sampling import RandomUnderSampler as RefUnder
from sklearn.utils._param_validation import InvalidParameterError

from imbkit.dask import RandomOverSampler, RandomUnderSampler
from imbkit.dask._random import _block_positions, allot_draws
from imbkit.exceptions import (
    InvalidInputError,
    LengthMismatchError,
    SamplingStrategyError,
    TargetError,
)


def _data(n=300, weights=(0.8, 0.15, 0.05), seed=0):
    rng = np.random.default_rng(seed)
    y = rng.choice(len(weights), size=n, p=weights)
    X = np.column_stack([np.arange(n, dtype=float), rng.normal(size=n)])
    return X, y


def _dask(X, y, chunks=(70, 50, 100, 80)):
    return da.from_array(X, chunks=(chunks, 2)), da.from_array(y, chunks=(chunks,))


@pytest.mark.parametrize("strategy", ["auto", "majority", "not minority", {0: 40, 1: 20}])
def test_under_sampler_counts_equal_imblearn_and_rows_are_real(strategy):
    X, y = _data()
    Xd, yd = _dask(X, y)
    sampler = RandomUnderSampler(sampling_strategy=strategy, random_state=0)
    X_res, y_res = sampler.fit_resample(Xd, yd)
    ref = RefUnder(sampling_strategy=strategy, random_state=0)
    _, y_ref = ref.fit_resample(X, y)
    assert dict(sampler.sampling_strategy_) == dict(ref.sampling_strategy_)
    X_res, y_res, idx = dask.compute(X_res, y_res, sampler.sample_indices_)
    assert Counter(y_res.tolist()) == Counter(y_ref.tolist())
    assert X_res.shape == (y_ref.size, 2)
    assert np.unique(idx).size == idx.size  # without replacement
    np.testing.assert_array_equal(X_res, X[idx])
    np.testing.assert_array_equal(y_res, y[idx])
    # classes the strategy does not name keep every row
    for klass in set(np.unique(y)) - set(sampler.sampling_strategy_):
        assert (y_res == klass).sum() == (y == klass).sum()


@pytest.mark.parametrize("strategy", ["auto", "minority", {1: 100, 2: 60}])
def test_over_sampler_keeps_every_row_once_and_adds_exact_counts(strategy):
    X, y = _data()
    Xd, yd = _dask(X, y)
    sampler = RandomOverSampler(sampling_strategy=strategy, random_state=1)
    X_res, y_res = sampler.fit_resample(Xd, yd)
    ref = RefOver(sampling_strategy=strategy, random_state=0)
    _, y_ref = ref.fit_resample(X, y)
    assert dict(sampler.sampling_strategy_) == dict(ref.sampling_strategy_)
    X_res, y_res, idx = dask.compute(X_res, y_res, sampler.sample_indices_)
    assert Counter(y_res.tolist()) == Counter(y_ref.tolist())
    np.testing.assert_array_equal(X_res, X[idx])
    np.testing.assert_array_equal(y_res, y[idx])
    counts = np.bincount(idx, minlength=y.size)
    assert counts.min() >= 1  # every original row is there
    added = Counter(y[idx].tolist()) - Counter(y.tolist())
    assert dict(added) == {k: v for k, v in sampler.sampling_strategy_.items() if v}
    # known chunk sizes: one output chunk per input chunk
    assert len(X_res) == sum(sampler.fit_resample(Xd, yd)[0].chunks[0])


def test_under_sampler_with_replacement_counts():
    X, y = _data()
    Xd, yd = _dask(X, y)
    sampler = RandomUnderSampler(replacement=True, random_state=0)
    y_res = sampler.fit_resample(Xd, yd)[1].compute()
    assert np.bincount(y_res).tolist() == [np.bincount(y).min()] * 3


def test_allotment_and_block_draws_are_uniform_over_the_class():
    # 10 rows of class 0 in blocks of 3 and 7, keep 2: each row is drawn with
    # probability 2 / 10 = 0.2, whichever block it is in
    blocks = [np.array([0, 1, 0, 0]), np.array([0, 0, 1, 0, 0, 0, 0, 0])]
    counts = np.array([3, 7])
    hits = [np.zeros(4), np.zeros(8)]
    n_trials = 4000
    rng = np.random.default_rng(0)
    for trial in range(n_trials):
        share = allot_draws(counts, 2, replace=False, rng=rng)
        for b, block in enumerate(blocks):
            plan = [(0, int(share[b]), "without")] if share[b] else []
            hits[b][_block_positions(block, plan, trial, False)] += 1
    freq = np.concatenate(hits) / n_trials
    zero_rows = np.concatenate([blk == 0 for blk in blocks])
    assert np.all(np.abs(freq[zero_rows] - 0.2) < 0.03)
    assert np.all(freq[~zero_rows] == 0)


def test_allot_draws_never_exceeds_block_counts_without_replacement():
    rng = np.random.default_rng(3)
    counts = np.array([0, 1, 5, 2])
    for n in range(9):
        share = allot_draws(counts, n, replace=False, rng=rng)
        assert share.sum() == n and np.all(share <= counts)
    assert allot_draws(counts, 0, replace=True, rng=rng).tolist() == [0, 0, 0, 0]


def test_same_seed_same_output_other_seed_differs():
    X, y = _data()
    Xd, yd = _dask(X, y)
    a = RandomUnderSampler(random_state=5).fit_resample(Xd, yd)[0].compute()
    b = RandomUnderSampler(random_state=5).fit_resample(Xd, yd)[0].compute()
    c = RandomUnderSampler(random_state=6).fit_resample(Xd, yd)[0].compute()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_fit_resample_reads_labels_only_and_stays_lazy():
    X, y = _data(n=100)
    loads = Counter()

    def block(i):
        loads[i] += 1
        return X[25 * i: 25 * (i + 1)]

    Xd = da.concatenate([da.from_delayed(dask.delayed(block)(i), shape=(25, 2), dtype=float)
                         for i in range(4)])
    X_res, _ = RandomOverSampler(random_state=0).fit_resample(Xd, y)
    assert sum(loads.values()) == 0  # the features are not read to plan the draw
    counts = np.bincount(y)
    assert not np.isnan(X_res.shape[0]) and X_res.shape[0] == counts.max() * counts.size
    X_res.compute()
    assert dict(loads) == {0: 1, 1: 1, 2: 1, 3: 1}


def test_column_chunks_are_merged_and_numpy_y_is_rechunked():
    X, y = _data()
    Xd = da.from_array(X, chunks=(60, 1))
    X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(Xd, y)
    assert X_res.numblocks[1] == 1 and X_res.compute().shape[1] == 2
    assert np.bincount(y_res.compute()).tolist() == [np.bincount(y).min()] * 3


def test_dataframe_in_dataframe_out_with_index_and_dtypes():
    X, y = _data()
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1].astype(np.float32),
                          "label": np.array(["no", "maybe", "yes"])[y]},
                         index=pd.RangeIndex(1000, 1000 + y.size))
    ddf = dd.from_pandas(frame, npartitions=4)
    features, target = ddf[["a", "b"]], ddf["label"]
    sampler = RandomUnderSampler(sampling_strategy={"no": 50}, random_state=0)
    X_res, y_res = sampler.fit_resample(features, target)
    assert isinstance(X_res, dd.DataFrame) and isinstance(y_res, dd.Series)
    X_res, y_res = dask.compute(X_res, y_res)
    assert list(X_res.columns) == ["a", "b"] and X_res["b"].dtype == np.float32
    assert y_res.value_counts().to_dict() == {"no": 50, "maybe": (y == 1).sum(),
                                              "yes": (y == 2).sum()}
    # index labels are those of the input rows, aligned between X and y
    assert X_res.index.equals(y_res.index) and X_res.index.is_unique
    pd.testing.assert_frame_equal(X_res, frame.loc[X_res.index, ["a", "b"]])
    assert sampler.class_counts_ == {"maybe": (y == 1).sum(), "no": (y == 0).sum(),
                                     "yes": (y == 2).sum()}


def test_bad_input_gets_clear_errors():
    X, y = _data()
    Xd, yd = _dask(X, y)
    with pytest.raises(InvalidInputError, match="imbkit.under_sampling.RandomUnderSampler"):
        RandomUnderSampler().fit_resample(X, y)
    with pytest.raises(LengthMismatchError, match="X has 300 rows but y has 299 labels"):
        RandomUnderSampler().fit_resample(Xd, y[:-1])
    with pytest.raises(TargetError, match="at least 2 classes"):
        RandomUnderSampler().fit_resample(Xd, np.zeros(300, int))
    with pytest.raises(TargetError, match="missing labels"):
        RandomUnderSampler().fit_resample(Xd, np.where(y == 2, np.nan, y))
    with pytest.raises(TargetError, match="missing labels"):
        RandomUnderSampler().fit_resample(Xd, np.where(y == 2, None, y.astype(str)))
    with pytest.raises(TargetError, match="looks continuous"):
        RandomUnderSampler().fit_resample(Xd, np.linspace(0, 1, 300))
    with pytest.raises(SamplingStrategyError):
        RandomUnderSampler(sampling_strategy={7: 3}).fit_resample(Xd, yd)
    with pytest.raises(InvalidInputError, match="compute_chunk_sizes"):
        RandomUnderSampler().fit_resample(Xd[Xd[:, 0] > 10], yd[Xd[:, 0] > 10])
    with pytest.raises(InvalidInputError, match="must be 2-D"):
        RandomUnderSampler().fit_resample(Xd[:, 0], yd)
    with pytest.raises(InvalidParameterError):
        RandomUnderSampler(replacement="yes").fit_resample(Xd, yd)
    ddf = dd.from_pandas(pd.DataFrame(X, columns=["a", "b"]), npartitions=3)
    with pytest.raises(InvalidInputError, match="must be a dask Series"):
        RandomUnderSampler().fit_resample(ddf, yd)
    with pytest.raises(LengthMismatchError, match="3 partitions but y has 2"):
        RandomUnderSampler().fit_resample(ddf, dd.from_pandas(pd.Series(y), npartitions=2))
    with pytest.raises(InvalidInputError, match="X is a dask array but y is a dask"):
        RandomUnderSampler().fit_resample(Xd, dd.from_pandas(pd.Series(y), npartitions=4))


def test_fit_sets_the_strategy_without_resampling():
    X, y = _data()
    sampler = RandomOverSampler().fit(*_dask(X, y))
    counts = np.bincount(y)
    assert dict(sampler.sampling_strategy_) == {1: counts[0] - counts[1],
                                                 2: counts[0] - counts[2]}
    assert not hasattr(sampler, "sample_indices_")


_WITHOUT_DASK = textwrap.dedent(
    """
    import sys

    class NoDask:
        def find_spec(self, name, path=None, target=None):
            if name == "dask" or name.startswith("dask."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    sys.meta_path.insert(0, NoDask())
    from imbkit import over_sampling, under_sampling, ensemble, compare
    from imbkit.exceptions import MissingExtraError
    assert "dask" not in sys.modules
    try:
        import imbkit.dask
    except MissingExtraError as exc:
        print("MissingExtraError:", exc)
    """
)


def test_import_without_dask_names_the_extra():
    result = subprocess.run([sys.executable, "-c", _WITHOUT_DASK], check=False,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("MissingExtraError: imbkit.dask needs Dask")
    assert 'pip install "imbkit[dask]"' in result.stdout
