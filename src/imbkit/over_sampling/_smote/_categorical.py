"""SMOTE for categorical data: SMOTENC (mixed columns) and SMOTEN (only categories).

Both draw their random numbers in imbalanced-learn 0.14's order: the same
``random_state`` gives the same rows. SMOTENC searches neighbours with the exact
engine and votes with a sparse count, not a dense ``n_new x k x n_columns``
array; SMOTEN sums Value Difference Metric tables in row blocks, not ``n x n``.
"""

from __future__ import annotations

import math
import sys
import warnings
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder
from sklearn.utils import check_array, check_random_state
from sklearn.utils.sparsefuncs import mean_variance_axis
from sklearn.utils.validation import validate_data

from ...exceptions import (
    DenseConversionWarning,
    EmptyInputError,
    ImbalanceWarning,
    InvalidInputError,
    NonFiniteInputError,
    NonNumericDataError,
)
from ...metrics.pairwise import (
    ValueDifferenceMetric,
    value_difference_distances,
    value_difference_kneighbors,
    value_difference_tables,
)
from ...neighbors import neighbour_indices
from ...neighbors._interpolate import interpolate_into
from ...utils._checks import check_lengths, check_X, check_y
from ...utils._compat import HasMethods, StrOptions
from ...utils._containers import is_pandas_dataframe
from .base import SMOTE

__all__ = ["SMOTEN", "SMOTENC"]

_BLOCK_BYTES = 1 << 25  # SMOTEN's temporary vote counts
_ENCODER_CONSTRAINT = [HasMethods(["fit_transform", "inverse_transform"]), None]


def _column_label(X, position):
    return repr(X.columns[position]) if is_pandas_dataframe(X) else str(position)


def _take_columns(X, columns):
    return X.iloc[:, columns] if is_pandas_dataframe(X) else X[:, columns]


def _key_kind(items):
    kinds = {
        "bool" if isinstance(item, (bool, np.bool_))
        else "int" if isinstance(item, Integral)
        else "str" if isinstance(item, str)
        else "other"
        for item in items
    }
    return kinds.pop() if len(kinds) == 1 else "other"


def _named_positions(X, names):
    if not is_pandas_dataframe(X):
        raise InvalidInputError(
            "categorical_features gives column names, which needs a pandas DataFrame, "
            f"but X is a {type(X).__name__}. Give column indices or a boolean mask."
        )
    where = {name: position for position, name in reversed(list(enumerate(X.columns)))}
    unknown = [name for name in names if name not in where]
    if unknown:
        raise InvalidInputError(
            f"categorical_features names {unknown}, which are not columns of X "
            f"({list(X.columns)})."
        )
    return np.array([where[name] for name in names], dtype=np.int64)


def _categorical_positions(X, categorical_features):
    """Positions (int64) of the categorical columns, in the order given."""
    n_features = X.shape[1]
    if isinstance(categorical_features, str) and categorical_features == "auto":
        if not is_pandas_dataframe(X):
            raise InvalidInputError(
                "categorical_features='auto' selects the columns of 'category' dtype of "
                f"a pandas DataFrame, but X is a {type(X).__name__}. Give the categorical "
                "columns as indices or as a boolean mask."
            )
        category = sys.modules["pandas"].CategoricalDtype
        return np.flatnonzero([isinstance(dtype, category) for dtype in X.dtypes]).astype(np.int64)
    key = categorical_features
    items = np.asarray(key).tolist() if hasattr(key, "dtype") else list(key)
    kind = _key_kind(items) if items else "int"
    if kind == "bool":
        if len(items) != n_features:
            raise InvalidInputError(
                f"categorical_features is a boolean mask of length {len(items)}, but X "
                f"has {n_features} features; give one True/False per column."
            )
        return np.flatnonzero(items).astype(np.int64)
    if kind == "str":
        positions = _named_positions(X, items)
    elif kind == "int":
        positions = np.array(items, dtype=np.int64)
        outside = positions[(positions < -n_features) | (positions >= n_features)]
        if outside.size:
            raise InvalidInputError(
                f"categorical_features holds the index {int(outside[0])}, but X has "
                f"{n_features} features: use indices from 0 to {n_features - 1} (or from "
                f"-{n_features} to -1, counting from the end)."
            )
        positions[positions < 0] += n_features
    else:
        raise InvalidInputError(
            "categorical_features must be 'auto', a list of column indices, a list of "
            f"column names or a boolean mask; got {key!r}."
        )
    if np.unique(positions).size != positions.size:
        raise InvalidInputError(
            f"categorical_features lists some columns more than once ({items}); list "
            "each categorical column once."
        )
    return positions


def _is_numeric(block):
    try:
        check_array(block, accept_sparse=["csr", "csc"], ensure_all_finite=False)
    except (TypeError, ValueError):
        return False
    return True


def _continuous_block(X, columns):
    """The continuous columns as a numeric array (or sparse matrix), checked finite."""
    block = _take_columns(X, columns)
    try:
        block = check_array(block, accept_sparse=["csr", "csc"], ensure_all_finite=False)
    except (TypeError, ValueError) as exc:
        labels = [_column_label(X, c) for c in columns if not _is_numeric(_take_columns(X, [c]))]
        raise NonNumericDataError(
            f"Continuous column(s) {', '.join(labels)} of X are not numeric ({exc}). "
            "List every non-numeric column in categorical_features (or, with "
            "categorical_features='auto', give it the pandas 'category' dtype)."
        ) from exc
    dense = block.toarray() if sparse.issparse(block) else block
    if dense.dtype.kind in "fc" and not np.isfinite(dense).all():
        column = int(np.flatnonzero(~np.isfinite(dense).all(axis=0))[0])
        raise NonFiniteInputError(
            f"Column {_column_label(X, columns[column])} of X is continuous and holds NaN "
            "or infinity. Impute or drop them first (e.g. sklearn.impute.SimpleImputer); "
            "missing values are allowed in categorical columns, as a category."
        )
    return block


def _vote_categories(indicator, neighbours, sizes, weight, random_state):
    """Per feature, the position of a most frequent category among each row's neighbours.

    ``indicator`` is the class's one-hot encoding, ``neighbours`` (n_new x k) the
    voting rows. As in imbalanced-learn 0.14, scores are sums of ``weight``
    compared with ``isclose``, and ties are broken by shuffling the (sample, tied
    category) pairs with one ``permutation`` per feature, first pair kept.
    """
    n_new, k = neighbours.shape
    starts, shape = np.arange(0, n_new * k + 1, k), (n_new, indicator.shape[0])
    votes = sparse.csr_matrix((np.ones(n_new * k, np.int64), neighbours.ravel(), starts), shape)
    ones = np.ones(indicator.nnz, dtype=np.int64)
    indicator = sparse.csr_matrix((ones, indicator.indices, indicator.indptr), indicator.shape)
    counts = (votes @ indicator).tocsc()
    # the reference adds k weighted one-hot rows one after the other, zeros
    # included: a category seen c times scores the c-th partial sum of weights
    score = np.zeros(k + 1, dtype=np.asarray(weight).dtype)
    np.cumsum(np.full(k, weight, dtype=score.dtype), out=score[1:])
    chosen = np.empty((n_new, len(sizes)), dtype=np.intp)
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    for feature in range(len(sizes)):
        col_scores = score[counts[:, offsets[feature] : offsets[feature + 1]].toarray()]
        is_max = np.isclose(col_scores, col_scores.max(axis=1, keepdims=True))
        pairs = random_state.permutation(np.argwhere(is_max))
        rows, first = np.unique(pairs[:, 0], return_index=True)
        chosen[rows, feature] = pairs[first, 1]
    return chosen


class SMOTENC(SMOTE):
    """SMOTE for data with continuous and categorical features (SMOTE-NC).

    The continuous features of a new sample lie on the segment between a
    sample of the class and one of its ``k_neighbors`` nearest neighbours of
    the same class, as in SMOTE. Neighbours are searched on the continuous
    features and a one-hot encoding of the categorical ones, whose entries are
    the median standard deviation of the continuous features divided by
    sqrt(2) (two different categories then add that median to the squared
    distance). Each categorical feature of the new sample takes the category
    most frequent among the neighbours of its base sample, ties broken at
    random. Same output as imbalanced-learn 0.14 for the same ``random_state``.

    Parameters
    ----------
    categorical_features : "auto" or array-like
        The categorical columns: indices (negative ones count from the end),
        names (DataFrame only), a boolean mask, or ``"auto"`` for the
        ``category`` dtype columns of a pandas DataFrame.
    categorical_encoder : estimator, default=None
        One-hot encoder with one column per category; ``None`` means
        ``OneHotEncoder(handle_unknown="ignore", dtype=<continuous dtype>)``.
    sampling_strategy : float, str, dict or callable, default='auto'
        See :class:`~imbkit.over_sampling.base.BaseOverSampler`.
    random_state : int, RandomState instance or None, default=None
    k_neighbors : int or object, default=5
        Number of same-class neighbours, or an object with ``kneighbors``
        asked for ``n_neighbors`` neighbours, the first being the sample.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples added per class.
    nn_k_ : estimator object
        The neighbours estimator built from ``k_neighbors``.
    categorical_encoder_ : estimator
        The fitted one-hot encoder.
    categorical_features_ : ndarray of int
        Positions of the categorical columns, in the order given.
    continuous_features_ : ndarray of int
        Positions of the continuous columns.
    median_std_ : dict
        Per over-sampled class, the median standard deviation of its
        continuous features.
    n_features_ : int
        Number of features of X.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Notes
    -----
    Continuous columns keep their dtype. As in imbalanced-learn, integer
    continuous columns make the encoding integer: the one-hot value is
    truncated, and where it truncates to 0 categories play no part and are
    drawn at random (an ``ImbalanceWarning`` says so; cast the continuous
    columns to float to avoid it). Unlike imbalanced-learn, a column listed
    twice in ``categorical_features`` is an error, not a wrongly shaped result,
    and a CSC matrix comes back as CSC (imbalanced-learn returns CSR).

    Examples
    --------
    >>> from collections import Counter
    >>> import numpy as np
    >>> from imbkit.over_sampling import SMOTENC
    >>> rng = np.random.RandomState(0)
    >>> X = np.column_stack([rng.normal(size=100), rng.randint(0, 3, 100)])
    >>> y = np.array([0] * 80 + [1] * 20)
    >>> X_res, y_res = SMOTENC(categorical_features=[1], random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 80), (np.int64(1), 80)]
    """

    _required_parameters = ["categorical_features"]
    _parameter_constraints: dict = {
        **SMOTE._parameter_constraints,
        "categorical_features": ["array-like", StrOptions({"auto"})],
        "categorical_encoder": _ENCODER_CONSTRAINT,
    }
    _x_dtype = None
    _allow_nan = False  # NaN is accepted in categorical columns only

    def __init__(
        self,
        categorical_features,
        *,
        categorical_encoder=None,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
    ):
        super().__init__(
            sampling_strategy=sampling_strategy, random_state=random_state, k_neighbors=k_neighbors
        )
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder

    def _check_X_y(self, X, y):
        # a DataFrame stays one: its dtypes and names select the categorical columns
        y, binarize_y = check_y(y)
        if not is_pandas_dataframe(X):
            X = check_X(X, accept_sparse=("csr", "csc"), dtype=None, ensure_all_finite=False)
        elif 0 in X.shape:
            raise EmptyInputError(
                f"X has shape {X.shape}; resampling needs at least one row and one column."
            )
        check_lengths(X, y)
        validate_data(self, X=X, reset=True, skip_check_array=True)
        return X, y, binarize_y

    def _validate_estimator(self):
        super()._validate_estimator()
        n_categorical = self.categorical_features_.size
        if n_categorical == self.n_features_in_:
            raise InvalidInputError(
                f"All {n_categorical} features of X are categorical, but SMOTENC needs "
                "continuous features to interpolate. Use SMOTEN for data made only of "
                "categorical features."
            )
        if n_categorical == 0:
            auto = ", which selects columns of pandas 'category' dtype" * isinstance(
                self.categorical_features, str
            )
            raise InvalidInputError(
                f"No feature of X is categorical (categorical_features="
                f"{self.categorical_features!r}{auto}). Use SMOTE for purely numeric data, "
                "or give the categorical columns in categorical_features."
            )

    def _encode(self, X, dtype):
        """Fit the encoder; return the one-hot matrix (csr, entries set to 1)."""
        categorical = _take_columns(X, self.categorical_features_)
        if sparse.issparse(categorical):
            categorical = categorical.toarray()
        encoder = self.categorical_encoder
        default = OneHotEncoder(handle_unknown="ignore", dtype=dtype)
        self.categorical_encoder_ = default if encoder is None else clone(encoder)
        encoded = self.categorical_encoder_.fit_transform(categorical)
        one_hot = sparse.csr_matrix(encoded, dtype=dtype)
        n_categories = sum(cats.size for cats in self.categorical_encoder_.categories_)
        if one_hot.shape[1] != n_categories:
            raise InvalidInputError(
                f"categorical_encoder produced {one_hot.shape[1]} columns for {n_categories} "
                "categories; SMOTENC needs one column per category, so encoders that drop "
                "or merge categories are not supported: use OneHotEncoder()."
            )
        one_hot.data[:] = 1
        return one_hot

    def _fit_resample(self, X, y):
        self.n_features_ = X.shape[1]
        self.categorical_features_ = _categorical_positions(X, self.categorical_features)
        self.continuous_features_ = np.setdiff1d(
            np.arange(self.n_features_), self.categorical_features_
        )
        self._validate_estimator()
        continuous = _continuous_block(X, self.continuous_features_)
        one_hot = self._encode(X, continuous.dtype)
        self.median_std_ = {}
        new_continuous, new_chosen, new_y = [], [], []
        for klass, n_new in self.sampling_strategy_.items():
            if n_new == 0:
                continue
            rows = np.flatnonzero(y == klass)
            self._check_class_size(rows.size, klass)
            block, chosen = self._generate(continuous[rows], one_hot[rows], klass, n_new)
            new_continuous.append(block)
            new_chosen.append(chosen)
            new_y.append(np.full(n_new, klass, dtype=y.dtype))
        decoded = self._decode(one_hot, new_chosen)
        y_out = np.concatenate([y, *new_y])
        cont, cat = self.continuous_features_, self.categorical_features_
        if sparse.issparse(X):
            stacked = sparse.vstack([continuous, *new_continuous], format="csr")
            stacked = sparse.hstack((stacked, decoded), format="csr")
            return stacked[:, np.argsort(np.concatenate((cont, cat)))].asformat(X.format), y_out
        if sparse.issparse(continuous):  # a DataFrame of sparse columns
            continuous = continuous.toarray()
        dtype = np.result_type(continuous.dtype, decoded.dtype)
        out = np.empty((y_out.size, self.n_features_), dtype=dtype)
        out[: continuous.shape[0], cont] = continuous
        if new_continuous:
            out[continuous.shape[0] :, cont] = np.vstack(new_continuous)
        out[:, cat] = decoded
        return out, y_out

    def _decode(self, one_hot, new_chosen):
        """Categories of the original rows (one-hot) then of the new ones (positions)."""
        categories = self.categorical_encoder_.categories_
        offsets = np.concatenate(([0], np.cumsum([cats.size for cats in categories])))
        n_features = len(categories)
        if (
            self.categorical_encoder is None
            and np.all(np.diff(one_hot.indptr) == n_features)
            and one_hot.has_sorted_indices
        ):
            # OneHotEncoder.inverse_transform, without its per-row sparse argmax:
            # each feature's category is at its row's single stored entry
            positions = one_hot.indices.reshape(-1, n_features) - offsets[:-1]
            positions = np.vstack([positions, *new_chosen])
            decoded = np.empty(positions.shape, np.result_type(*[c.dtype for c in categories]))
            for feature, feature_categories in enumerate(categories):
                decoded[:, feature] = feature_categories[positions[:, feature]]
            return decoded
        new = np.vstack([np.empty((0, n_features), np.intp), *new_chosen]) + offsets[:-1]
        starts, shape = np.arange(0, new.size + 1, n_features), (new.shape[0], offsets[-1])
        ones = np.ones(new.size, one_hot.dtype)
        both = sparse.vstack([one_hot, sparse.csr_matrix((ones, new.ravel(), starts), shape)])
        return self.categorical_encoder_.inverse_transform(both)

    def _generate(self, continuous, one_hot, klass, n_new):
        """Continuous values and category positions of ``n_new`` samples of a class."""
        dtype = continuous.dtype
        continuous_csr = sparse.csr_matrix(continuous)
        dense = continuous.toarray() if sparse.issparse(continuous) else continuous
        median_std = np.median(np.sqrt(mean_variance_axis(continuous_csr, axis=0)[1]))
        self.median_std_[klass] = median_std
        weight = np.asarray(median_std / np.sqrt(2)).astype(dtype)[()]
        if dtype.kind in "iub" and weight == 0 and median_std != 0:
            message = (
                "The continuous columns of X are integers, so the one-hot value median_std "
                f"/ sqrt(2) = {median_std / np.sqrt(2):.3g} of class {klass!r} truncates to 0 "
                "(as in imbalanced-learn): categories play no part in the neighbour search "
                "and are drawn at random. Cast the continuous columns to float to avoid this."
            )
            warnings.warn(message, ImbalanceWarning, stacklevel=4)
        encoded = np.empty((dense.shape[0], dense.shape[1] + one_hot.shape[1]), dtype=dtype)
        encoded[:, : dense.shape[1]] = dense
        encoded[:, dense.shape[1] :] = one_hot.toarray() * weight

        def make_sparse():
            scaled = one_hot.copy()
            scaled.data[:] = weight
            return sparse.hstack((continuous_csr, scaled), format="csr", dtype=dtype)

        def sparse_pair():
            sparse_encoded = make_sparse()
            return sparse_encoded, sparse_encoded

        # the reference searches the sparse encoding: on ties, so do we
        neighbours = neighbour_indices(
            self.nn_k_, self.k_neighbors, encoded, encoded, estimator_data=sparse_pair
        )
        del encoded
        neighbours = neighbours[:, 1:]
        picks, steps = self._draw(neighbours.size, n_new)
        base, column = np.divmod(picks, neighbours.shape[1])
        block = np.empty((n_new, dense.shape[1]), dtype=dtype)
        interpolate_into(block, dense, base, dense, neighbours[base, column], steps)
        # with a zero median the reference votes with the unscaled one-hot values
        vote_weight = np.ones((), dtype=dtype)[()] if math.isclose(median_std, 0) else weight
        sizes = [cats.size for cats in self.categorical_encoder_.categories_]
        random_state = check_random_state(self.random_state)
        chosen = _vote_categories(one_hot, neighbours[base], sizes, vote_weight, random_state)
        return block, chosen


def _mode_codes(codes, neighbourhoods, n_categories):
    """Per feature, the most frequent code of each neighbourhood; ties to the smallest."""
    n_new, width = neighbourhoods.shape
    out = np.empty((n_new, codes.shape[1]), dtype=np.intp)
    for feature, n_cat in enumerate(n_categories):
        step = max(1, _BLOCK_BYTES // (8 * max(n_cat, width)))
        for start in range(0, n_new, step):
            stop = min(n_new, start + step)
            values = codes[neighbourhoods[start:stop], feature]
            values += np.arange(stop - start)[:, None] * n_cat
            counts = np.bincount(values.ravel(), minlength=(stop - start) * n_cat)
            out[start:stop, feature] = counts.reshape(stop - start, n_cat).argmax(axis=1)
    return out


class SMOTEN(SMOTE):
    """SMOTE for data made only of categorical features (SMOTE-N).

    Neighbours of the same class are found with the Value Difference Metric
    (:class:`~imbkit.metrics.ValueDifferenceMetric`). A new sample starts from
    a randomly drawn sample of the class: each feature takes the category most
    frequent among that sample and its ``k_neighbors`` neighbours (the smallest
    encoded category on ties). Same output as imbalanced-learn 0.14 for the same
    ``random_state``; with an int ``k_neighbors`` the class's ``n x n``
    distance matrix is never formed.

    Parameters
    ----------
    categorical_encoder : estimator, default=None
        Ordinal encoder (integer codes from 0); ``None`` means
        ``OrdinalEncoder(dtype=np.int32)``.
    sampling_strategy : float, str, dict or callable, default='auto'
        See :class:`~imbkit.over_sampling.base.BaseOverSampler`.
    random_state : int, RandomState instance or None, default=None
    k_neighbors : int or object, default=5
        Number of neighbours, or an object with ``kneighbors`` accepting
        ``metric="precomputed"``, fitted on the class's distance matrix.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples added per class.
    nn_k_ : estimator object
        The neighbours estimator built from ``k_neighbors``, metric precomputed.
    categorical_encoder_ : estimator
        The fitted ordinal encoder.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Notes
    -----
    A sparse X is densified (with a warning, as in imbalanced-learn).

    Examples
    --------
    >>> from collections import Counter
    >>> import numpy as np
    >>> from imbkit.over_sampling import SMOTEN
    >>> X = np.array(["A"] * 10 + ["B"] * 20 + ["C"] * 30, dtype=object).reshape(-1, 1)
    >>> y = np.array([0] * 20 + [1] * 40)
    >>> X_res, y_res = SMOTEN(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 40), (np.int64(1), 40)]
    """

    _parameter_constraints: dict = {
        **SMOTE._parameter_constraints,
        "categorical_encoder": _ENCODER_CONSTRAINT,
    }
    _x_dtype = None

    def __init__(
        self,
        categorical_encoder=None,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
    ):
        super().__init__(
            sampling_strategy=sampling_strategy, random_state=random_state, k_neighbors=k_neighbors
        )
        self.categorical_encoder = categorical_encoder

    def _check_X_y(self, X, y):
        X, y, binarize_y = super()._check_X_y(X, y)
        # in an object array, NaN is the only value unequal to itself
        missing = np.argwhere(X != X) if X.dtype == object else ()
        if len(missing):
            raise NonFiniteInputError(
                f"X holds missing values (NaN), the first at row {missing[0][0]}, column "
                f"{missing[0][1]}. SMOTEN needs a category in every cell: impute them or "
                "make them a category of their own, such as 'missing'."
            )
        return X, y, binarize_y

    def _validate_estimator(self):
        super()._validate_estimator()
        self.nn_k_.set_params(metric="precomputed")

    def _fit_resample(self, X, y):
        sparse_format = X.format if sparse.issparse(X) else None
        if sparse_format is not None:
            message = "SMOTEN converts a sparse X to a dense array; pass a dense one instead."
            warnings.warn(message, DenseConversionWarning, stacklevel=3)
            X = X.toarray()
        self._validate_estimator()
        encoder = self.categorical_encoder
        default = OrdinalEncoder(dtype=np.int32)
        self.categorical_encoder_ = default if encoder is None else clone(encoder)
        encoded = self.categorical_encoder_.fit_transform(X)
        n_categories = [len(cats) for cats in self.categorical_encoder_.categories_]
        vdm = ValueDifferenceMetric(n_categories=n_categories).fit(encoded, y)
        tables = value_difference_tables(vdm.proba_per_class_, vdm.k, vdm.r)
        codes = np.asarray(encoded).astype(np.intp)
        blocks, y_blocks = [X], [y]
        for klass, n_new in self.sampling_strategy_.items():
            if n_new == 0:
                continue
            rows = np.flatnonzero(y == klass)
            self._check_class_size(rows.size, klass)
            class_codes = codes[rows]
            neighbours = self._class_neighbours(tables, class_codes)
            picks = check_random_state(self.random_state).choice(rows.size, size=n_new)
            new_codes = _mode_codes(class_codes, neighbours[picks], n_categories)
            new_codes = new_codes.astype(encoded.dtype)
            blocks.append(self.categorical_encoder_.inverse_transform(new_codes))
            y_blocks.append(np.full(n_new, klass, dtype=y.dtype))
        X_out, y_out = np.vstack(blocks), np.concatenate(y_blocks)
        if sparse_format is not None:
            return sparse.csr_matrix(X_out).asformat(sparse_format), y_out
        return X_out, y_out

    def _class_neighbours(self, tables, class_codes):
        if isinstance(self.k_neighbors, Integral):
            return value_difference_kneighbors(tables, class_codes, self.nn_k_.n_neighbors)
        dist = value_difference_distances(tables, class_codes, class_codes)
        self.nn_k_.fit(dist)
        return self.nn_k_.kneighbors(dist, return_distance=False)
