"""What the balanced ensembles share: the member that resamples, seeds and input checks.

Every ensemble of this package trains its members on resampled rows. The
bagging ensembles hand scikit-learn's :class:`~sklearn.ensemble.BaggingClassifier`
a :class:`_ResampledClassifier` as the estimator to clone, so a member first
resamples the bag it receives and then fits its classifier; the forest and the
boosting build their members with :func:`_seed_random_states` the way
imbalanced-learn does, so the same ``random_state`` gives the same members.
"""

from __future__ import annotations

from contextlib import contextmanager
from numbers import Real

import numpy as np
from joblib import effective_n_jobs
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import Bunch, column_or_1d, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed

from ..exceptions import (
    EmptyInputError,
    ImbkitError,
    InvalidInputError,
    LengthMismatchError,
    NonFiniteInputError,
    TargetError,
)
from ..utils._checks import check_X
from ..utils._compat import Interval, StrOptions
from ..utils._validation import check_sampling_strategy

__all__ = [
    "MAX_INT",
    "SAMPLING_STRATEGY_CONSTRAINT",
    "check_ensemble_X",
    "check_ensemble_target",
    "check_ensemble_weights",
    "encode_sampling_strategy",
    "non_finite_errors",
    "ordered_parallel_reduce",
    "refuse_non_finite",
]

MAX_INT = np.iinfo(np.int32).max

SAMPLING_STRATEGY_CONSTRAINT = [
    Interval(Real, 0, 1, closed="right"),
    StrOptions({"auto", "majority", "not minority", "not majority", "all"}),
    dict,
    callable,
]

_NUMERIC_HINT = (
    "Encode categorical columns as numbers first, e.g. with "
    "sklearn.preprocessing.OrdinalEncoder."
)
_NAN_HINT = (
    "Impute the missing values first (e.g. sklearn.impute.SimpleImputer) or use a "
    "base estimator that handles NaN, such as DecisionTreeClassifier."
)


def _classifier_has(attr):
    return lambda self: hasattr(self.classifier, attr)


class _ResampledClassifier(ClassifierMixin, BaseEstimator):
    """One ensemble member: resample the rows it is given, then fit a classifier.

    ``fit`` fits ``sampler`` and ``classifier`` in place (as a pipeline fits
    its steps), so a fitted member exposes ``sampler.sample_indices_``.
    Prediction goes to the classifier alone: samplers act in ``fit`` only.
    ``fit`` deliberately takes no ``sample_weight``, so that scikit-learn's
    bagging selects each bag's rows by indexing, as it does for
    imbalanced-learn's pipeline.

    Parameters
    ----------
    sampler : sampler object
        Has ``fit_resample``.
    classifier : classifier object
        Fitted on the resampled rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from imbkit.under_sampling import RandomUnderSampler
    >>> from imbkit.ensemble._common import _ResampledClassifier
    >>> X, y = np.arange(12.0).reshape(6, 2), np.array([0, 0, 0, 0, 1, 1])
    >>> member = _ResampledClassifier(
    ...     sampler=RandomUnderSampler(random_state=0),
    ...     classifier=DecisionTreeClassifier(random_state=0),
    ... ).fit(X, y)
    >>> len(member.sampler.sample_indices_), member.classes_.tolist()
    (4, [0, 1])
    """

    def __init__(self, sampler, classifier):
        self.sampler = sampler
        self.classifier = classifier

    def fit(self, X, y):
        """Resample ``(X, y)`` with ``sampler``, then fit ``classifier`` on the result.

        Returns
        -------
        self : object
        """
        X_res, y_res = self.sampler.fit_resample(X, y)
        self.classifier.fit(X_res, y_res)
        return self

    @property
    def classes_(self):
        """The classes of the fitted classifier."""
        return self.classifier.classes_

    @property
    def named_steps(self):
        """The two steps by name, as a pipeline exposes them."""
        return Bunch(sampler=self.sampler, classifier=self.classifier)

    @property
    def steps(self):
        """``[("sampler", sampler), ("classifier", classifier)]``."""
        return [("sampler", self.sampler), ("classifier", self.classifier)]

    def __getitem__(self, index):
        """A step by position (``member[-1]`` is the classifier) or by name."""
        if isinstance(index, str):
            return self.named_steps[index]
        return self.steps[index][1]

    def predict(self, X):
        """Predict with the fitted classifier."""
        return self.classifier.predict(X)

    @available_if(_classifier_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the fitted classifier."""
        return self.classifier.predict_proba(X)

    @available_if(_classifier_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Class log-probabilities of the fitted classifier."""
        return self.classifier.predict_log_proba(X)

    @available_if(_classifier_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the fitted classifier."""
        return self.classifier.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        sampler_tags = _tags_or_none(self.sampler)
        classifier_tags = _tags_or_none(self.classifier)
        for name in ("allow_nan", "sparse", "string"):
            value = all(
                getattr(t.input_tags, name) for t in (sampler_tags, classifier_tags)
                if t is not None
            )
            setattr(tags.input_tags, name, value)
        return tags


def _tags_or_none(estimator):
    try:
        return get_tags(estimator)
    except (AttributeError, TypeError):  # an object outside scikit-learn's conventions: assume defaults
        return None


def _seed_random_states(estimator, rng):
    """Give every ``random_state`` parameter of ``estimator`` a seed drawn from ``rng``.

    Nested parameters (``step__random_state``) included, one draw each in
    sorted-name order: the order scikit-learn's ensembles use, so members get
    the same seeds as imbalanced-learn's. Returns the estimator.
    """
    names = sorted(
        key for key in estimator.get_params(deep=True)
        if key == "random_state" or key.endswith("__random_state")
    )
    if names:
        estimator.set_params(**{name: rng.randint(MAX_INT) for name in names})
    return estimator


def _count_random_states(estimator):
    """How many seeds :func:`_seed_random_states` draws for ``estimator``."""
    return sum(
        key == "random_state" or key.endswith("__random_state")
        for key in estimator.get_params(deep=True)
    )


def _plain(value):
    """A Python scalar for messages, so ``np.int64(1)`` reads ``1``."""
    return value.item() if isinstance(value, np.generic) else value


def check_ensemble_target(y, name):
    """Return ``(y_1d, classes)`` for a binary or multi-class target.

    A column vector is accepted with a ``DataConversionWarning`` (as in
    scikit-learn); anything else that is not one label per row is refused.

    Examples
    --------
    >>> from imbkit.ensemble._common import check_ensemble_target
    >>> y, classes = check_ensemble_target(["b", "a", "b"], "Model")
    >>> classes.tolist()
    ['a', 'b']
    """
    if y is None:
        raise TargetError(
            f"{name} requires y to be passed, but the target y is None. Pass the "
            "class of every row as y."
        )
    try:
        y_type = type_of_target(y, input_name="y")
    except ValueError as exc:
        raise TargetError(f"{exc} Pass one class label per row as y.") from exc
    if y_type not in ("binary", "multiclass"):
        raise TargetError(
            f"Unknown label type: {y_type}. {name} is a classifier of one label "
            "per row (ints or strings): bin a continuous target first, and fit one "
            "classifier per column of a multi-label or multi-output target."
        )
    y = column_or_1d(y, warn=True)
    classes = np.unique(y)
    if classes.size == 0:
        raise EmptyInputError(
            f"y is empty; {name} needs at least one labelled row per class."
        )
    if classes.size < 2:
        raise TargetError(
            f"y has only one class ({_plain(classes[0])!r}); {name} balances classes and "
            "needs at least 2. Check that the target column is the right one and "
            "that the rows were not filtered to a single class."
        )
    return y, classes


def check_ensemble_X(X, name, *, allow_nan, dtype=None, accept_sparse=("csr", "csc")):
    """Convert ``X`` for fitting, raising imbkit's errors for unusable data.

    NaN is refused unless ``allow_nan`` (the members handle it); infinity
    always is.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.ensemble._common import check_ensemble_X
    >>> check_ensemble_X([[1.0, np.nan]], "Model", allow_nan=True).shape
    (1, 2)
    """
    X_checked = check_X(
        X, accept_sparse=accept_sparse, dtype=dtype, ensure_all_finite=False,
        non_numeric_hint=_NUMERIC_HINT,
    )
    refuse_non_finite(X_checked, name, allow_nan=allow_nan)
    return X_checked


def refuse_non_finite(X, name, *, allow_nan):
    """Raise ``NonFiniteInputError`` for infinity, and for NaN unless ``allow_nan``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.ensemble._common import refuse_non_finite
    >>> refuse_non_finite(np.array([[1.0, np.nan]]), "Model", allow_nan=True)
    >>> refuse_non_finite(np.array([[1.0, np.inf]]), "Model", allow_nan=True)
    Traceback (most recent call last):
    ...
    imbkit.exceptions.NonFiniteInputError: X contains infinity (1 entries); Model needs finite values or NaN. Replace infinite values, e.g. clip them to a large finite number or set them to NaN and impute.
    """
    data = X.data if sparse.issparse(X) else X
    if data.dtype.kind not in "fc" or data.size == 0:
        return
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(data.sum()):  # one pass, no temporary: the usual case
            return
    n_inf = int(np.isinf(data).sum())
    n_nan = int(np.isnan(data).sum())
    if n_inf:
        raise NonFiniteInputError(
            f"X contains infinity ({n_inf} entries); {name} needs finite values or "
            "NaN. Replace infinite values, e.g. clip them to a large finite number "
            "or set them to NaN and impute."
        )
    if n_nan and not allow_nan:
        raise NonFiniteInputError(
            f"X contains NaN ({n_nan} entries) and {name} with this base estimator "
            f"cannot handle missing values. {_NAN_HINT}"
        )


@contextmanager
def non_finite_errors(name):
    """Re-raise scikit-learn's NaN / infinity ``ValueError`` as ``NonFiniteInputError``.

    Used around prediction, where the members validate ``X`` themselves.

    Examples
    --------
    >>> from imbkit.ensemble._common import non_finite_errors
    >>> with non_finite_errors("Model"):
    ...     raise ValueError("Input X contains NaN.")
    Traceback (most recent call last):
    ...
    imbkit.exceptions.NonFiniteInputError: Input X contains NaN. Model cannot predict from these values: Impute the missing values first (e.g. sklearn.impute.SimpleImputer) or use a base estimator that handles NaN, such as DecisionTreeClassifier.
    """
    try:
        yield
    except ValueError as exc:
        message = str(exc)
        if isinstance(exc, ImbkitError) or (
            "contains NaN" not in message and "contains infinity" not in message
        ):
            raise
        raise NonFiniteInputError(
            f"{message.rstrip()} {name} cannot predict from these values: {_NAN_HINT}"
        ) from exc


def check_ensemble_weights(sample_weight, n_samples):
    """Return ``sample_weight`` as a new float64 array, or None; never modifies it.

    Examples
    --------
    >>> from imbkit.ensemble._common import check_ensemble_weights
    >>> check_ensemble_weights([1, 2], 2).tolist()
    [1.0, 2.0]
    """
    if sample_weight is None:
        return None
    try:
        weight = np.array(sample_weight, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"sample_weight must be numbers, one per row: {exc}") from exc
    if weight.ndim == 0:
        weight = np.full(n_samples, weight.item())
    if weight.ndim != 1:
        raise InvalidInputError(
            f"sample_weight must be 1-D, one weight per row; got shape {weight.shape}. "
            "Flatten a column with np.ravel."
        )
    if weight.shape[0] != n_samples:
        raise LengthMismatchError(
            f"sample_weight has {weight.shape[0]} values but X has {n_samples} rows; "
            "give one weight per row."
        )
    if not np.isfinite(weight).all():
        raise NonFiniteInputError(
            "sample_weight contains NaN or infinity; give a finite weight per row."
        )
    if (weight < 0).any():
        raise InvalidInputError(
            f"sample_weight has negative values (the smallest is {weight.min():.6g}); "
            "weights must be non-negative."
        )
    if not weight.sum() > 0:
        raise InvalidInputError(
            "sample_weight is zero for every row; give at least one row a positive "
            "weight."
        )
    return weight


def encode_sampling_strategy(sampling_strategy, y, classes, sampling_type):
    """Re-key a dict ``sampling_strategy`` by class index, as the members see ``y``.

    The ensembles train their members on ``y`` encoded as indices into
    ``classes``. The dict is validated against ``y`` (unknown classes,
    impossible counts) and its counts are kept as given; other forms are
    returned unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.ensemble._common import encode_sampling_strategy
    >>> y = np.array(["a", "a", "a", "b", "b"])
    >>> encode_sampling_strategy({"a": 2}, y, np.unique(y), "under-sampling")
    {0: 2}
    """
    if not isinstance(sampling_strategy, dict) or sampling_type == "bypass":
        return sampling_strategy
    checked = check_sampling_strategy(sampling_strategy, y, sampling_type)
    return {
        int(np.searchsorted(classes, klass)): sampling_strategy[klass]
        for klass in checked
    }


def ordered_parallel_reduce(function, items, reduce, initial, *, n_jobs=None, verbose=0):
    """Fold ``function(item)`` over ``items`` into ``initial``, in item order.

    The calls run in threads, a few per worker at a time (so only a few
    results are held at once), but ``reduce(total, result)`` always combines
    them in the order of ``items``: floating-point sums are the same for any
    ``n_jobs``. (scikit-learn's ensembles sum per job and then across jobs,
    so their last bits depend on ``n_jobs``; with one job the order is this
    one.)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.ensemble._common import ordered_parallel_reduce
    >>> ordered_parallel_reduce(np.square, [1.0, 2.0, 3.0], np.add, 0.0, n_jobs=2)
    np.float64(14.0)
    """
    n_workers = effective_n_jobs(n_jobs)
    chunk = 4 * n_workers
    total = initial
    with Parallel(n_jobs=n_workers, verbose=verbose, prefer="threads") as parallel:
        for start in range(0, len(items), chunk):
            results = parallel(delayed(function)(item) for item in items[start:start + chunk])
            for result in results:
                total = reduce(total, result)
    return total
