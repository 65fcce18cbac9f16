"""Exact random resampling of Dask collections (needs the ``dask`` extra).

:class:`RandomUnderSampler` and :class:`RandomOverSampler` take a Dask array
or DataFrame too large for one machine's memory and return a lazy one with
exactly the class counts the ``sampling_strategy`` asks for, reading the
labels once and never gathering the features:

1. one pass over ``y`` counts each class in each chunk (partition);
2. the rows each chunk gives are allotted on the client, by the
   multivariate hypergeometric distribution (draws without replacement) or
   the multinomial one (with replacement), which is what drawing uniformly
   from the whole class would give;
3. each chunk then draws its share of its own rows, lazily, with a seed of
   its own: the output has known chunk sizes and is computed chunk by chunk.

The same ``random_state`` and the same chunks give the same output.

:class:`SMOTE` needs only the rows of the classes it grows (its neighbours are
of the same class): it gathers those, runs :class:`imbkit.over_sampling.SMOTE`
on them and appends the new rows to the lazy input, which gives exactly the
in-memory output. Importing
this package without Dask raises :class:`~imbkit.exceptions.MissingExtraError`;
the rest of imbkit never imports dask.
"""

from ..exceptions import MissingExtraError

_INSTALL_HINT = (
    'imbkit.dask needs Dask, which is not installed: pip install "imbkit[dask]" '
    '(or pip install "dask[array,dataframe]").'
)

try:
    import dask as _dask  # noqa: F401
    import dask.array as _da  # noqa: F401
except ImportError as _exc:  # pragma: no cover - exercised in a subprocess test
    raise MissingExtraError(_INSTALL_HINT) from _exc

from ._random import RandomOverSampler, RandomUnderSampler
from ._smote import SMOTE

__all__ = ["SMOTE", "RandomOverSampler", "RandomUnderSampler"]
