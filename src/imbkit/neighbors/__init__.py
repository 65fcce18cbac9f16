"""Pure neighbour kernels: ndarray in, ndarray out, no estimators.

:func:`kneighbors` is the exact k-nearest-neighbour engine (chunked float32 filter,
exact float64 refinement) whose results equal scikit-learn's brute force;
:func:`kneighbors_sklearn` is that scikit-learn call, the oracle and fallback.
"""

from ._knn import TieError, kneighbors, kneighbors_sklearn

__all__ = ["TieError", "kneighbors", "kneighbors_sklearn"]
