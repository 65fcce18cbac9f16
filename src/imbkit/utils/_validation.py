"""Validation of targets, sampling strategies and neighbour estimators.

The public helpers here keep imbalanced-learn 0.14's names, signatures and
meaning, so code that calls them keeps working after switching the import.
"""

from __future__ import annotations

from collections import OrderedDict
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import column_or_1d
from sklearn.utils.multiclass import type_of_target

from ..exceptions import NotEnoughSamplesError, SamplingStrategyError, TargetError

__all__ = [
    "SAMPLING_KIND",
    "check_neighbors_object",
    "check_sampling_strategy",
    "check_target_type",
]

SAMPLING_KIND = ("over-sampling", "under-sampling", "clean-sampling", "ensemble", "bypass")
TARGET_KIND = ("binary", "multiclass", "multilabel-indicator")
_STRATEGY_STRINGS = ("minority", "majority", "not minority", "not majority", "all", "auto")


def check_target_type(y, indicate_one_vs_all=False, *, y_type=None):
    """Check that ``y`` is a binary or multi-class target and return it 1-D.

    A one-hot (one-vs-all) encoded target is accepted and turned into class
    indices; a true multi-label target (several ones in a row) is refused.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
        The target.
    indicate_one_vs_all : bool, default=False
        Also return whether ``y`` was one-hot encoded.
    y_type : str, default=None
        ``type_of_target(y)`` when the caller has computed it already.

    Returns
    -------
    y : ndarray of shape (n_samples,)
    is_one_vs_all : bool
        Only when ``indicate_one_vs_all=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.utils import check_target_type
    >>> check_target_type(np.array([[0, 1], [1, 0], [0, 1]]))
    array([1, 0, 1])
    """
    type_y = type_of_target(y) if y_type is None else y_type
    if type_y == "multilabel-indicator":
        y = np.asarray(y)
        if np.any(y.sum(axis=1) > 1):
            raise TargetError(
                "y is a multi-label target (some rows have several classes); imbkit "
                "resamples binary and multi-class targets only. Pass one label per "
                "row, or a one-hot encoding with exactly one 1 per row."
            )
        y = y.argmax(axis=1)
    else:
        y = column_or_1d(y)
    return (y, type_y == "multilabel-indicator") if indicate_one_vs_all else y


def _plain(value):
    """Python scalar for messages, so ``np.int64(1)`` reads ``1``."""
    return value.item() if isinstance(value, np.generic) else value


def _class_counts(y):
    classes, counts = np.unique(y, return_counts=True)
    return dict(zip(classes.tolist() if classes.dtype == object else classes, counts))


def _majority(stats):
    return max(stats, key=stats.get)


def _minority(stats):
    return min(stats, key=stats.get)


def _strategy_from_string(name, stats, sampling_type):
    """Turn a string strategy into ``{class: n_samples}`` (see ``check_sampling_strategy``)."""
    n_max, n_min = max(stats.values()), min(stats.values())
    over = sampling_type == "over-sampling"
    if name == "auto":
        name = "not majority" if over else "not minority"
    if over and name == "majority":
        raise SamplingStrategyError(
            "sampling_strategy='majority' cannot be used with an over-sampler: the "
            "majority class is already the largest. Use 'not majority' or 'minority'."
        )
    if not over and name == "minority":
        raise SamplingStrategyError(
            "sampling_strategy='minority' cannot be used with an under-sampler or a "
            "cleaning method. Use 'majority' or 'not minority'."
        )
    if name == "all":
        keep = list(stats)
    elif name == "minority":
        keep = [_minority(stats)]
    elif name == "majority":
        keep = [_majority(stats)]
    elif name == "not minority":
        keep = [c for c in stats if c != _minority(stats)]
    else:  # "not majority"
        keep = [c for c in stats if c != _majority(stats)]
    if over:
        return {c: n_max - stats[c] for c in keep}
    return {c: n_min for c in keep}


def _check_known_classes(requested, stats):
    unknown = set(requested) - set(stats)
    if unknown:
        raise SamplingStrategyError(
            f"sampling_strategy names the class(es) "
            f"{sorted(map(_plain, unknown), key=str)} which are not present in y; "
            f"the classes in y are {sorted(map(_plain, stats), key=str)}."
        )


def _strategy_from_dict(strategy, stats, sampling_type):
    _check_known_classes(strategy, stats)
    negative = {_plain(c): _plain(n) for c, n in strategy.items() if n < 0}
    if negative:
        raise SamplingStrategyError(
            f"sampling_strategy asks for a negative number of samples: {negative}. "
            "Give the desired number of samples of each class (>= 0)."
        )
    if sampling_type == "clean-sampling":
        raise SamplingStrategyError(
            "A dict sampling_strategy is not supported by cleaning methods: give "
            "the list of classes to clean instead, e.g. sampling_strategy=[0, 1]."
        )
    result = {}
    for klass, n_samples in strategy.items():
        if sampling_type == "over-sampling":
            if n_samples < stats[klass]:
                raise SamplingStrategyError(
                    f"An over-sampler cannot shrink class {_plain(klass)!r}: it has "
                    f"{stats[klass]} samples and sampling_strategy asks for "
                    f"{n_samples}. Ask for at least {stats[klass]}, or use an "
                    "under-sampler to remove samples."
                )
            result[klass] = n_samples - stats[klass]
        else:
            if n_samples > stats[klass]:
                raise SamplingStrategyError(
                    f"An under-sampler cannot grow class {_plain(klass)!r}: it has "
                    f"{stats[klass]} samples and sampling_strategy asks for "
                    f"{n_samples}. Ask for at most {stats[klass]}, or use an "
                    "over-sampler to add samples."
                )
            result[klass] = n_samples
    return result


def _strategy_from_list(strategy, stats, sampling_type):
    if sampling_type != "clean-sampling":
        raise SamplingStrategyError(
            "A list sampling_strategy is only accepted by cleaning methods; for "
            "over- and under-samplers give a dict {class: n_samples} or a string."
        )
    _check_known_classes(strategy, stats)
    n_min = min(stats.values())
    return {klass: n_min for klass in strategy}


def _strategy_from_float(ratio, stats, sampling_type):
    if len(stats) != 2:
        raise SamplingStrategyError(
            "A float sampling_strategy is only defined for binary targets; y has "
            f"{len(stats)} classes. Give a dict {{class: n_samples}} instead."
        )
    n_max, n_min = max(stats.values()), min(stats.values())
    if sampling_type == "over-sampling":
        majority = _majority(stats)
        result = {
            c: int(n_max * ratio - n) for c, n in stats.items() if c != majority
        }
        if any(n <= 0 for n in result.values()):
            raise SamplingStrategyError(
                f"sampling_strategy={ratio} would need removing minority samples "
                f"(the minority already makes up {n_min / n_max:.3g} of the majority). "
                "Increase the ratio, or use an under-sampler."
            )
        return result
    if sampling_type == "under-sampling":
        minority = _minority(stats)
        result = {c: int(n_min / ratio) for c in stats if c != minority}
        if any(n > stats[c] for c, n in result.items()):
            raise SamplingStrategyError(
                f"sampling_strategy={ratio} would need adding majority samples "
                f"(the minority already makes up {n_min / n_max:.3g} of the majority). "
                "Increase the ratio, or use an over-sampler."
            )
        return result
    raise SamplingStrategyError(
        "Cleaning methods do not accept a float sampling_strategy: give a string "
        "or the list of classes to clean."
    )


def check_sampling_strategy(sampling_strategy, y, sampling_type, **kwargs):
    """Validate ``sampling_strategy`` and turn it into ``{class: n_samples}``.

    The meaning is imbalanced-learn 0.14's, form by form:

    - ``float`` (binary ``y`` only): over-sampling targets
      ``n_minority_after = ratio * n_majority``; under-sampling targets
      ``n_majority_after = n_minority / ratio``.
    - ``str``: ``'minority'``, ``'majority'``, ``'not minority'``,
      ``'not majority'``, ``'all'``, ``'auto'`` (``'not majority'`` for
      over-samplers, ``'not minority'`` otherwise); over-samplers equalise to
      the majority count, under-samplers to the minority count.
    - ``dict``: desired number of samples per class (not for cleaners).
    - ``list``: classes to clean (cleaners only).
    - callable: ``f(y, **kwargs) -> dict``, read as a dict.

    Parameters
    ----------
    sampling_strategy : float, str, dict, list or callable
    y : ndarray of shape (n_samples,)
    sampling_type : {'over-sampling', 'under-sampling', 'clean-sampling', \
'ensemble', 'bypass'}
    **kwargs : dict
        Passed to a callable ``sampling_strategy``.

    Returns
    -------
    OrderedDict
        Sorted by class. For over-samplers the values are the numbers of
        samples to *add*; for under-samplers and cleaners, the numbers to keep.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.utils import check_sampling_strategy
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> dict(check_sampling_strategy("auto", y, "over-sampling"))
    {np.int64(1): np.int64(80)}
    >>> dict(check_sampling_strategy(0.5, y, "over-sampling"))
    {np.int64(1): 35}
    """
    return sampling_strategy_from_counts(
        sampling_strategy, _class_counts(y), sampling_type, y=y, **kwargs
    )


def sampling_strategy_from_counts(sampling_strategy, stats, sampling_type, *, y=None,
                                  **kwargs):
    """:func:`check_sampling_strategy` from the class counts ``{class: n}`` alone.

    For data too large to hold ``y`` in memory (:mod:`imbkit.dask`); a callable
    ``sampling_strategy`` is called as ``f(y, **kwargs)`` with the ``y`` given.

    Examples
    --------
    >>> from imbkit.utils._validation import sampling_strategy_from_counts
    >>> dict(sampling_strategy_from_counts("auto", {0: 90, 1: 10}, "under-sampling"))
    {0: 10}
    """
    if sampling_type not in SAMPLING_KIND:
        raise ValueError(
            f"sampling_type must be one of {SAMPLING_KIND}; got {sampling_type!r}."
        )
    n_classes = len(stats)
    if n_classes <= 1:
        raise TargetError(
            f"y needs at least 2 classes to resample, got {n_classes} class. "
            "Check that the target column is the right one and that the data was "
            "not filtered to a single class."
        )
    if sampling_type in ("ensemble", "bypass"):
        return sampling_strategy
    if isinstance(sampling_strategy, str):
        if sampling_strategy not in _STRATEGY_STRINGS:
            raise SamplingStrategyError(
                f"Unknown sampling_strategy {sampling_strategy!r}; the strings "
                f"understood are {_STRATEGY_STRINGS}."
            )
        result = _strategy_from_string(sampling_strategy, stats, sampling_type)
    elif isinstance(sampling_strategy, dict):
        result = _strategy_from_dict(sampling_strategy, stats, sampling_type)
    elif isinstance(sampling_strategy, list):
        result = _strategy_from_list(sampling_strategy, stats, sampling_type)
    elif isinstance(sampling_strategy, Real) and not isinstance(sampling_strategy, bool):
        if not 0 < sampling_strategy <= 1:
            raise SamplingStrategyError(
                "A float sampling_strategy must be in (0, 1]; got "
                f"{sampling_strategy}."
            )
        result = _strategy_from_float(sampling_strategy, stats, sampling_type)
    elif callable(sampling_strategy):
        asked = sampling_strategy(y, **kwargs)
        if not isinstance(asked, dict):
            raise SamplingStrategyError(
                "A callable sampling_strategy must return a dict {class: n_samples}; "
                f"it returned {type(asked).__name__}."
            )
        result = _strategy_from_dict(asked, stats, sampling_type)
    else:
        raise SamplingStrategyError(
            "sampling_strategy must be a float, a string, a dict, a list or a "
            f"callable; got {type(sampling_strategy).__name__}."
        )
    return OrderedDict(sorted(result.items()))


def check_neighbors_object(nn_name, nn_object, additional_neighbor=0):
    """Return a fresh k-NN estimator from an int or a neighbours object.

    Parameters
    ----------
    nn_name : str
        Name of the parameter, used in error messages.
    nn_object : int or estimator with ``kneighbors``
        An int gives ``NearestNeighbors(n_neighbors=nn_object + additional_neighbor)``;
        an object is cloned.
    additional_neighbor : int, default=0
        Extra neighbours to ask for (e.g. 1 when the query point is in the
        reference set and comes back as its own neighbour).

    Returns
    -------
    estimator

    Examples
    --------
    >>> from imbkit.utils import check_neighbors_object
    >>> check_neighbors_object("k_neighbors", 5, additional_neighbor=1)
    NearestNeighbors(n_neighbors=6)
    """
    if isinstance(nn_object, Integral) and not isinstance(nn_object, bool):
        return NearestNeighbors(n_neighbors=int(nn_object) + additional_neighbor)
    if not hasattr(nn_object, "kneighbors"):
        raise TypeError(
            f"{nn_name} must be an int or an object with a `kneighbors` method (for "
            f"example sklearn.neighbors.NearestNeighbors); got {nn_object!r}."
        )
    return clone(nn_object)


def check_class_size(n_class_samples, n_neighbors, klass, param="k_neighbors"):
    """Raise a clear error when a class is too small for ``n_neighbors`` neighbours.

    ``n_neighbors`` counts the sample itself (``k_neighbors + 1``).
    """
    if n_class_samples < n_neighbors:
        raise NotEnoughSamplesError(
            f"Class {_plain(klass)!r} has {n_class_samples} sample(s), but {param}="
            f"{n_neighbors - 1} needs at least {n_neighbors} samples of the class "
            f"(the sample and its {n_neighbors - 1} neighbours). Lower {param} to at "
            f"most {n_class_samples - 1}, or use RandomOverSampler for this class."
        )
