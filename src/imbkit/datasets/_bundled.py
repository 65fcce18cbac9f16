"""Small real imbalanced datasets shipped inside the package.

Each dataset is a gzip CSV in ``imbkit/datasets/data`` (header row, numeric feature
columns, then a ``target`` column with 1 for the minority class). Reading needs only
NumPy; ``as_frame=True`` needs pandas (the ``datasets`` extra). Sources, citations
and licences are in ``imbkit/datasets/data/README.md``.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from sklearn.utils import Bunch

from imbkit.exceptions import InvalidInputError, MissingExtraError

__all__ = ["list_datasets", "load_dataset", "load_yeast_me2"]


@dataclass(frozen=True)
class _DatasetInfo:
    name: str
    filename: str
    n_samples: int
    n_features: int
    n_minority: int
    target_names: tuple[str, str]
    descr: str


_YEAST_ME2_DESCR = """\
Yeast ME2 (binary, imbalanced)
------------------------------

Protein localisation sites in yeast cells (UCI "Yeast", Nakai & Horton, 1996),
recast as a binary task: localisation site ME2 (membrane protein, uncleaved
signal) against all nine other sites. This is the binary version known as
"yeast4" in the KEEL imbalanced collection and "yeast_me2" in the Zenodo
benchmark of imbalanced-learn, with the rows in the UCI file order.

:Number of instances: 1484 (51 minority, 1433 majority)
:Imbalance ratio: 28.1 (majority / minority)
:Number of features: 8, all numeric scores in [0, 1]
:Features:
    - mcg: McGeoch's signal sequence recognition score
    - gvh: von Heijne's signal sequence recognition score
    - alm: ALOM membrane-spanning region score
    - mit: mitochondrial N-terminal amino-acid discriminant score
    - erl: presence of the "HDEL" ER-retention signal (0.5 or 1.0)
    - pox: peroxisomal C-terminal targeting signal score
    - vac: vacuolar/extracellular amino-acid discriminant score
    - nuc: nuclear localisation signal discriminant score
:Target: 1 = ME2 (minority), 0 = any other localisation site
:Missing values: none
:Source: UCI Machine Learning Repository, https://doi.org/10.24432/C5KG68
:Licence: Creative Commons Attribution 4.0 International (CC BY 4.0)

Reference: P. Horton and K. Nakai, "A Probabilistic Classification System for
Predicting the Cellular Localization Sites of Proteins", Proceedings of the
Fourth International Conference on Intelligent Systems for Molecular Biology
(ISMB), 1996, pp. 109-115.
"""

_DATASETS: dict[str, _DatasetInfo] = {
    "yeast_me2": _DatasetInfo(
        name="yeast_me2",
        filename="yeast_me2.csv.gz",
        n_samples=1484,
        n_features=8,
        n_minority=51,
        target_names=("other", "ME2"),
        descr=_YEAST_ME2_DESCR,
    ),
}


def _read_csv_gz(filename: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Read a bundled gzip CSV into (feature names, float64 data, int64 target)."""
    raw = resources.files("imbkit.datasets").joinpath("data", filename).read_bytes()
    with io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(raw)), encoding="ascii") as fh:
        header = fh.readline().strip().split(",")
        table = np.loadtxt(fh, delimiter=",", dtype=np.float64, ndmin=2)
    if header[-1] != "target" or table.shape[1] != len(header):
        raise RuntimeError(f"Bundled file {filename!r} is malformed; reinstall imbkit.")
    return header[:-1], table[:, :-1].copy(), table[:, -1].astype(np.int64)


def _load(info: _DatasetInfo, *, as_frame: bool, return_X_y: bool):
    feature_names, data, target = _read_csv_gz(info.filename)
    frame = None
    if as_frame:
        try:
            import pandas as pd
        except ImportError as exc:
            raise MissingExtraError(
                'as_frame=True needs pandas; install it with: pip install "imbkit[datasets]"'
            ) from exc
        frame = pd.DataFrame(data, columns=feature_names)
        frame["target"] = target
        data, target = frame[feature_names], frame["target"]
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        feature_names=feature_names,
        target_names=np.array(info.target_names),
        DESCR=info.descr,
    )


def load_yeast_me2(*, as_frame: bool = False, return_X_y: bool = False):
    """Load the Yeast ME2 dataset: 1484 proteins, 51 of them in the minority class.

    Binary version of the UCI Yeast protein localisation data: class 1 is the ME2
    site, class 0 every other site (imbalance ratio 28.1). Eight numeric features.
    Licence: CC BY 4.0; see ``DESCR`` for the source and citation.

    Parameters
    ----------
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame, ``target`` a Series named
        ``"target"`` and ``frame`` a DataFrame holding both. Needs pandas
        (``pip install "imbkit[datasets]"``).
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes ``data`` (float64, shape (1484, 8)),
        ``target`` (int64, shape (1484,), 1 = ME2), ``frame`` (None unless
        ``as_frame``), ``feature_names``, ``target_names`` (``["other", "ME2"]``)
        and ``DESCR``.
    (data, target) : tuple
        Returned when ``return_X_y`` is True.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.datasets import load_yeast_me2
    >>> X, y = load_yeast_me2(return_X_y=True)
    >>> X.shape, np.bincount(y).tolist()
    ((1484, 8), [1433, 51])
    """
    return _load(_DATASETS["yeast_me2"], as_frame=as_frame, return_X_y=return_X_y)


_LOADERS = {"yeast_me2": load_yeast_me2}


def list_datasets() -> list[dict[str, Any]]:
    """Describe the bundled datasets.

    Returns
    -------
    datasets : list of dict
        One dict per dataset, sorted by name, with keys ``name``, ``n_samples``,
        ``n_features``, ``n_minority`` and ``imbalance_ratio`` (majority count over
        minority count).

    Examples
    --------
    >>> from imbkit.datasets import list_datasets
    >>> [(d["name"], d["n_samples"], d["n_minority"]) for d in list_datasets()]
    [('yeast_me2', 1484, 51)]
    """
    return [
        {
            "name": info.name,
            "n_samples": info.n_samples,
            "n_features": info.n_features,
            "n_minority": info.n_minority,
            "imbalance_ratio": (info.n_samples - info.n_minority) / info.n_minority,
        }
        for _, info in sorted(_DATASETS.items())
    ]


def load_dataset(name: str, **kwargs: Any):
    """Load a bundled dataset by name.

    Parameters
    ----------
    name : str
        One of the names returned by :func:`list_datasets`.
    **kwargs : dict
        Passed to the dataset's loader (``as_frame``, ``return_X_y``).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        What the loader returns.

    Raises
    ------
    InvalidInputError
        (a ``ValueError``) If ``name`` is not a bundled dataset; the message
        lists the valid names.

    Examples
    --------
    >>> from imbkit.datasets import load_dataset
    >>> load_dataset("yeast_me2").data.shape
    (1484, 8)
    """
    try:
        loader = _LOADERS[name]
    except (KeyError, TypeError):
        raise InvalidInputError(
            f"Unknown dataset {name!r}. Valid names: {', '.join(sorted(_LOADERS))}."
        ) from None
    return loader(**kwargs)
