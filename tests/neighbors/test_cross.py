"""The two-sided nearest-distance bounds of imbkit.neighbors._cross."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from imbkit.neighbors._cross import cross_min_sq_lower


def _pair(seed, d, n_a, n_b, offset, scale, dtype, duplicates):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n_a, d)) * scale + offset
    B = rng.normal(size=(n_b, d)) * scale + offset + 0.3 * scale
    if duplicates:
        m = min(n_a, n_b) // 2
        B[:m] = A[:m]
    return A.astype(dtype), B.astype(dtype)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("offset,scale", [(0.0, 1.0), (1e4, 1.0), (-3.0, 1e-3), (0.0, 1e5)])
def test_cross_min_sq_lower_bounds_both_sides(seed, dtype, offset, scale):
    rng = np.random.default_rng(100 + seed)
    d, n_a, n_b = (int(v) for v in rng.integers([1, 1, 1], [40, 3000, 2500]))
    A, B = _pair(seed, d, n_a, n_b, offset, scale, dtype, duplicates=seed % 2 == 0)
    exact = cdist(A.astype(np.float64), B.astype(np.float64), "sqeuclidean")
    lower_a, lower_b = cross_min_sq_lower(A, B)
    assert lower_a.shape == (n_a,) and lower_b.shape == (n_b,)
    assert np.all(lower_a <= exact.min(axis=1))
    assert np.all(lower_b <= exact.min(axis=0))
    if offset == 0.0 and dtype == np.float64:  # tight: within float32 rounding
        np.testing.assert_allclose(lower_a, exact.min(axis=1), rtol=1e-3, atol=1e-6 * scale**2)
        np.testing.assert_allclose(lower_b, exact.min(axis=0), rtol=1e-3, atol=1e-6 * scale**2)


def test_cross_min_sq_lower_threads_agree():
    A, B = _pair(7, 12, 5000, 3000, 0.0, 1.0, np.float64, duplicates=True)
    one = cross_min_sq_lower(A, B, n_workers=1)
    two = cross_min_sq_lower(A, B, n_workers=2)
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])
