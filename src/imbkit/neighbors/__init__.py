"""Pure neighbour kernels: ndarray in, ndarray out, no estimators.

:func:`kneighbors` is the exact k-nearest-neighbour engine (chunked float32 filter,
exact float64 refinement) whose results equal scikit-learn's brute force;
:func:`kneighbors_sklearn` is that scikit-learn call, the oracle and fallback;
:func:`interpolate` / :func:`interpolate_into` write SMOTE's new points.
"""

from ._interpolate import interpolate, interpolate_into
from ._knn import TieError, kneighbors, kneighbors_sklearn
from ._search import neighbour_indices

__all__ = [
    "TieError",
    "interpolate",
    "interpolate_into",
    "kneighbors",
    "kneighbors_sklearn",
    "neighbour_indices",
]
