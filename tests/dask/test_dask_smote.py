"""imbkit.dask.SMOTE: the in-memory SMOTE's output, gathering only the grown classes."""

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")
from imblearn.over_sampling import SMOTE as RefSMOTE
from sklearn.datasets import make_classification

from imbkit.dask import SMOTE
from imbkit.exceptions import InvalidInputError, NotEnoughSamplesError
from imbkit.over_sampling import SMOTE as MemorySMOTE


def _data(n_classes=2, dtype=np.float64):
    weights = [0.9, 0.1] if n_classes == 2 else [0.75, 0.15, 0.1]
    X, y = make_classification(n_samples=400, n_features=5, n_informative=3,
                               n_classes=n_classes, weights=weights, random_state=0)
    return X.astype(dtype), y


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("strategy", ["auto", "minority"])
def test_dask_smote_equals_in_memory_smote(n_classes, strategy):
    X, y = _data(n_classes)
    Xd = da.from_array(X, chunks=((120, 80, 150, 50), 5))
    yd = da.from_array(y, chunks=((120, 80, 150, 50),))
    sampler = SMOTE(sampling_strategy=strategy, random_state=3)
    X_res, y_res = sampler.fit_resample(Xd, yd)
    X_ref, y_ref = MemorySMOTE(sampling_strategy=strategy, random_state=3).fit_resample(X, y)
    X_res, y_res = X_res.compute(), y_res.compute()
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    X_imb, _ = RefSMOTE(sampling_strategy=strategy, random_state=3).fit_resample(X, y)
    np.testing.assert_allclose(X_res, X_imb, rtol=1e-12)


def test_dask_smote_dict_growing_every_class_and_float32():
    X, y = _data(3, np.float32)
    strategy = {0: 320, 1: 200, 2: 150}
    Xd, yd = da.from_array(X, chunks=(100, 2)), da.from_array(y, chunks=100)
    X_res, y_res = SMOTE(sampling_strategy=strategy, random_state=0).fit_resample(Xd, yd)
    X_ref, y_ref = MemorySMOTE(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
    assert X_res.dtype == np.float32 and not np.isnan(X_res.shape[0])
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)


def test_dask_smote_numpy_labels_and_attributes():
    X, y = _data()
    sampler = SMOTE(random_state=0)
    _, y_res = sampler.fit_resample(da.from_array(X, chunks=(64, 5)), y)
    counts = np.bincount(y)
    assert dict(sampler.sampling_strategy_) == {1: counts[0] - counts[1]}
    assert sampler.class_counts_ == {0: counts[0], 1: counts[1]}
    assert np.bincount(y_res.compute()).tolist() == [counts[0], counts[0]]
    # nothing to grow: the input comes back
    same_X, same_y = SMOTE(sampling_strategy={1: counts[1]}).fit_resample(
        da.from_array(X, chunks=64), y)
    np.testing.assert_array_equal(same_X.compute(), X)
    np.testing.assert_array_equal(same_y.compute(), y)


def test_dask_smote_bad_input():
    X, y = _data()
    Xd = da.from_array(X, chunks=64)
    with pytest.raises(InvalidInputError, match="imbkit.over_sampling.SMOTE"):
        SMOTE().fit_resample(X, y)
    frame = dd.from_pandas(pd.DataFrame(X), npartitions=2)
    with pytest.raises(InvalidInputError, match="to_dask_array"):
        SMOTE().fit_resample(frame, dd.from_pandas(pd.Series(y), npartitions=2))
    few = np.r_[np.zeros(396, int), np.ones(4, int)]
    with pytest.raises(NotEnoughSamplesError):
        SMOTE(k_neighbors=5).fit_resample(Xd, few)
