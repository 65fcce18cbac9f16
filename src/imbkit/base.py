"""The sampler contract: ``fit_resample`` validates, resamples and restores containers.

Subclasses write only ``_fit_resample(X, y)`` on validated ndarrays / sparse
matrices; the public ``fit_resample`` here checks the parameters, ``X`` and
``y``, resolves ``sampling_strategy`` into ``sampling_strategy_`` and hands the
result back in the caller's containers (pandas, polars, lists).
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin
from sklearn.utils.validation import validate_data

from .utils._checks import check_lengths, check_X, check_y
from .utils._compat import validate_parameter_constraints
from .utils._containers import ContainerAdapter, is_pandas_dataframe
from .utils._validation import check_sampling_strategy

__all__ = ["BaseSampler", "FunctionSampler", "SamplerMixin", "is_sampler"]


class SamplerMixin(metaclass=ABCMeta):
    """Mixin giving ``fit`` and ``fit_resample`` to every sampler."""

    _estimator_type = "sampler"
    _sampling_type = "bypass"

    def _validate_params(self):
        validate_parameter_constraints(
            self._parameter_constraints,
            self.get_params(deep=False),
            caller_name=self.__class__.__name__,
        )

    def fit(self, X, y):
        """Check the inputs and compute ``sampling_strategy_``; prefer ``fit_resample``.

        Returns
        -------
        self : object
        """
        self._validate_params()
        X, y, _ = self._check_X_y(X, y)
        self.sampling_strategy_ = check_sampling_strategy(
            self.sampling_strategy, y, self._sampling_type
        )
        return self

    def fit_resample(self, X, y, **params):
        """Resample the dataset.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            The data; never modified.
        y : array-like of shape (n_samples,)
            The class of each row; never modified.
        **params : dict
            Extra arguments for the sampler's algorithm.

        Returns
        -------
        X_resampled : same container as X, shape (n_samples_new, n_features)
        y_resampled : same container as y, shape (n_samples_new,)
        """
        self._validate_params()
        adapter = ContainerAdapter(X, y)
        y_in = y
        X, y, binarize_y = self._check_X_y(X, y)
        self.sampling_strategy_ = check_sampling_strategy(
            self.sampling_strategy, y, self._sampling_type
        )
        output = self._fit_resample(X, y, **params)
        y_out = _one_hot_like(output[1], y_in) if binarize_y else output[1]
        X_out, y_out = adapter.restore(output[0], y_out)
        return (X_out, y_out) if len(output) == 2 else (X_out, y_out, *output[2:])

    @abstractmethod
    def _fit_resample(self, X, y):
        """Resample validated ``X`` (ndarray or sparse) and 1-D ``y``."""


class BaseSampler(SamplerMixin, OneToOneFeatureMixin, BaseEstimator):
    """Base class for samplers, including user-defined ones.

    A subclass sets ``_sampling_type`` (``'over-sampling'``,
    ``'under-sampling'``, ``'clean-sampling'`` or ``'bypass'``), declares
    ``_parameter_constraints`` and implements ``_fit_resample(X, y)``; it
    receives validated arrays and ``self.sampling_strategy_``, the number of
    samples to add (over-sampling) or keep (under-sampling) per class.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.base import BaseSampler
    >>> class KeepFirst(BaseSampler):
    ...     _sampling_type = "bypass"
    ...     _parameter_constraints = {"sampling_strategy": "no_validation"}
    ...     def _fit_resample(self, X, y):
    ...         return X[:2], y[:2]
    >>> KeepFirst().fit_resample(np.eye(3), np.array([0, 1, 1]))[1]
    array([0, 1])
    """

    _parameter_constraints: dict = {"sampling_strategy": "no_validation"}
    # what _check_X_y accepts; subclasses override these class attributes
    _accept_sparse = ("csr", "csc")
    _x_dtype = "numeric"
    _allow_nan = False

    def __init__(self, sampling_strategy="auto"):
        self.sampling_strategy = sampling_strategy

    def _check_X_y(self, X, y):
        y, binarize_y = check_y(y)
        X_checked = check_X(
            X,
            accept_sparse=self._accept_sparse,
            dtype=self._x_dtype,
            ensure_all_finite=not self._allow_nan,
        )
        check_lengths(X_checked, y)
        # records n_features_in_ and feature_names_in_ from the caller's container
        validate_data(
            self, X=X if is_pandas_dataframe(X) else X_checked, reset=True,
            skip_check_array=True,
        )
        return X_checked, y, binarize_y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.sparse = bool(self._accept_sparse)
        tags.input_tags.allow_nan = self._allow_nan
        tags.input_tags.string = self._x_dtype is None
        return tags


def _one_hot_like(labels, y_in):
    """Re-encode column indices ``labels`` as one-hot rows with ``y_in``'s columns.

    imbalanced-learn rebuilds the encoding from the classes present, so a binary
    one-hot ``y`` (two columns) came back as one column, and an all-zero column
    was dropped; the input's width and dtype are kept here instead.
    """
    y_in = np.asarray(y_in)
    dtype = y_in.dtype if y_in.dtype.kind in "biuf" else np.int64
    return np.eye(y_in.shape[1], dtype=dtype)[np.asarray(labels)]


def _identity(X, y):
    return X, y


def is_sampler(estimator):
    """Return True if ``estimator`` is a sampler (has ``fit_resample``).

    Examples
    --------
    >>> from imbkit.base import is_sampler
    >>> from imbkit.over_sampling import SMOTE
    >>> is_sampler(SMOTE())
    True
    """
    return getattr(estimator, "_estimator_type", None) == "sampler" or hasattr(
        estimator, "fit_resample"
    )


class FunctionSampler(BaseSampler):
    """A sampler made from any function ``func(X, y, **kw_args) -> (X, y)``.

    Parameters
    ----------
    func : callable, default=None
        The resampling function; ``None`` returns the data unchanged.
    accept_sparse : bool, default=True
        Whether sparse matrices are passed through validation.
    kw_args : dict, default=None
        Keyword arguments for ``func``.
    validate : bool, default=True
        Validate ``X``/``y`` and restore containers. With ``False``, ``func``
        receives exactly what the caller passed and its output is returned
        as is, so any data type can be used.

    Attributes
    ----------
    sampling_strategy_ : str
    n_features_in_ : int
        Only when ``validate=True``.
    feature_names_in_ : ndarray of str
        Only when ``validate=True`` and X has string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit import FunctionSampler
    >>> X, y = np.arange(10).reshape(5, 2), np.array([0, 0, 1, 1, 1])
    >>> sampler = FunctionSampler(func=lambda X, y: (X[y == 1], y[y == 1]))
    >>> sampler.fit_resample(X, y)[1]
    array([1, 1, 1])
    """

    _sampling_type = "bypass"
    _parameter_constraints: dict = {
        "func": [callable, None],
        "accept_sparse": ["boolean"],
        "kw_args": [dict, None],
        "validate": ["boolean"],
    }
    _x_dtype = None
    _allow_nan = True

    def __init__(self, *, func=None, accept_sparse=True, kw_args=None, validate=True):
        super().__init__()
        self.func = func
        self.accept_sparse = accept_sparse
        self.kw_args = kw_args
        self.validate = validate

    @property
    def _accept_sparse(self):
        return ("csr", "csc") if self.accept_sparse else False

    def fit(self, X, y):
        """Validate the inputs (when ``validate=True``); returns ``self``."""
        self._validate_params()
        if self.validate:
            X, y, _ = self._check_X_y(X, y)
        self.sampling_strategy_ = check_sampling_strategy(
            self.sampling_strategy, y, self._sampling_type
        )
        return self

    def fit_resample(self, X, y):
        """Apply ``func`` to ``(X, y)`` and return its output."""
        if self.validate:
            return super().fit_resample(X, y)
        self._validate_params()
        self.sampling_strategy_ = check_sampling_strategy(
            self.sampling_strategy, y, self._sampling_type
        )
        return self._fit_resample(X, y)

    def _fit_resample(self, X, y):
        func = _identity if self.func is None else self.func
        return func(X, y, **(self.kw_args or {}))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = bool(self.accept_sparse)
        return tags
