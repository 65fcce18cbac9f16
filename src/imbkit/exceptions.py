"""Errors and warnings raised by imbkit.

Every error imbkit raises on bad input derives from :class:`ImbkitError` and from
the built-in type a scikit-learn user already catches (``ValueError`` or
``TypeError``), so ``except ValueError`` keeps working::

    ImbkitError
    ├── InvalidInputError (ValueError)        X / y unusable as given
    │   ├── EmptyInputError                   no rows or no columns
    │   ├── NonFiniteInputError               NaN or infinity in X
    │   ├── LengthMismatchError               X and y of different lengths
    │   └── TargetError                       y has one class, or is not a class label
    ├── SamplingStrategyError (ValueError)    sampling_strategy cannot be honoured
    ├── NotEnoughSamplesError (ValueError)    a class is too small for the neighbours asked
    ├── ResamplingError (RuntimeError, ValueError) the data leave nothing to sample from
    ├── AugmentationError (RuntimeError, ValueError) a transform failed or changed a shape
    ├── NonNumericDataError (TypeError, ValueError)     strings / objects where numbers are needed
    └── MissingExtraError (ImportError)       an optional extra is not installed

    ImbalanceWarning (UserWarning)            every warning imbkit emits
    └── DenseConversionWarning                sparse input made dense

Examples
--------
>>> from imbkit.exceptions import ImbkitError, SamplingStrategyError
>>> issubclass(SamplingStrategyError, ValueError)
True
"""

from __future__ import annotations

from sklearn.exceptions import DataConversionWarning

__all__ = [
    "ImbkitError",
    "InvalidInputError",
    "EmptyInputError",
    "NonFiniteInputError",
    "LengthMismatchError",
    "TargetError",
    "SamplingStrategyError",
    "NotEnoughSamplesError",
    "NonNumericDataError",
    "MissingExtraError",
    "ResamplingError",
    "AugmentationError",
    "DenseConversionWarning",
    "ImbalanceWarning",
]


class ImbkitError(Exception):
    """Base class of every error raised by imbkit."""


class InvalidInputError(ImbkitError, ValueError):
    """``X`` or ``y`` cannot be used as given."""


class EmptyInputError(InvalidInputError):
    """``X`` has no rows or no columns."""


class NonFiniteInputError(InvalidInputError):
    """``X`` contains NaN or infinity where the method needs finite numbers."""


class LengthMismatchError(InvalidInputError):
    """``X`` and ``y`` do not have the same number of rows."""


class TargetError(InvalidInputError):
    """``y`` is unusable: a single class, or not a classification target."""


class SamplingStrategyError(ImbkitError, ValueError):
    """``sampling_strategy`` names unknown classes or asks for impossible counts."""


class NotEnoughSamplesError(ImbkitError, ValueError):
    """A class has too few samples for the number of neighbours requested."""


class NonNumericDataError(ImbkitError, TypeError, ValueError):
    """Non-numeric data was given to a method that interpolates numbers.

    It is both a ``TypeError`` and a ``ValueError`` so that code written for
    scikit-learn (``TypeError``) or imbalanced-learn (``ValueError``) catches it.
    """


class ResamplingError(ImbkitError, RuntimeError, ValueError):
    """The data give the method nothing to generate new samples from.

    Raised, for instance, by ADASYN when no sample of a class has a neighbour
    of another class, or by KMeansSMOTE when no cluster is eligible. It is a
    ``RuntimeError`` (what imbalanced-learn raises in these cases) and a
    ``ValueError`` (imbkit's convention for unusable input).
    """


class AugmentationError(ImbkitError, RuntimeError, ValueError):
    """A transform failed on an item, or changed its shape, while building an epoch.

    Raised by :class:`imbkit.torch.OversampledDataset`; the message names the
    dataset index, its class and the epoch, and the transform's own exception
    is chained as ``__cause__``. A ``RuntimeError`` (it happens while loading
    data) and a ``ValueError`` (imbkit's convention for unusable input).
    """


class MissingExtraError(ImbkitError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""


class ImbalanceWarning(UserWarning):
    """Base class of every warning emitted by imbkit."""


class DenseConversionWarning(ImbalanceWarning, DataConversionWarning):
    """A sparse matrix was converted to a dense array (memory may grow)."""
