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

_ECOLI_IMU_DESCR = """\
Ecoli imU (binary, imbalanced)
------------------------------

Protein localisation sites in E. coli (UCI "Ecoli", Nakai, 1996), recast as
a binary task: inner membrane proteins with an uncleavable signal sequence
(imU) against the seven other sites. The same rows form the KEEL imbalanced
dataset "ecoli3" (in another order); here they are in the UCI file order.

:Number of instances: 336 (35 minority, 301 majority)
:Imbalance ratio: 8.6 (majority / minority)
:Number of features: 7, all numeric scores in [0, 1]
:Features:
    - mcg: McGeoch's signal sequence recognition score
    - gvh: von Heijne's signal sequence recognition score
    - lip: von Heijne's signal peptidase II consensus sequence (0.48 or 1.0)
    - chg: charge on the N-terminus of predicted lipoproteins (0.5 or 1.0)
    - aac: discriminant score of the amino-acid content of outer membrane
      and periplasmic proteins
    - alm1: ALOM membrane-spanning region score
    - alm2: ALOM score after excluding putative cleavable signal regions
:Target: 1 = imU (minority), 0 = any other localisation site
:Missing values: none
:Source: UCI Machine Learning Repository, https://doi.org/10.24432/C5388M
:Licence: Creative Commons Attribution 4.0 International (CC BY 4.0)

Reference: P. Horton and K. Nakai, "A Probabilistic Classification System for
Predicting the Cellular Localization Sites of Proteins", Proceedings of the
Fourth International Conference on Intelligent Systems for Molecular Biology
(ISMB), 1996, pp. 109-115.
"""

_ABALONE_19_DESCR = """\
Abalone 19 (binary, highly imbalanced)
--------------------------------------

Physical measurements of blacklip abalone from Tasmania (UCI "Abalone", Nash
et al., 1994), recast as a binary task: abalone with exactly 19 shell rings
(about 20.5 years old) against all the others. The ring count that defines
the target is not among the features. The same task is "abalone19" in the
KEEL imbalanced collection (which holds 3 rows fewer).

:Number of instances: 4177 (32 minority, 4145 majority)
:Imbalance ratio: 129.5 (majority / minority)
:Number of features: 10, all numeric
:Features:
    - sex_m, sex_f, sex_i: the nominal attribute Sex (male, female, infant),
      one-hot encoded (exactly one of the three is 1)
    - length: longest shell measurement
    - diameter: perpendicular to the length
    - height: with meat in the shell
    - whole_weight: whole abalone
    - shucked_weight: weight of the meat
    - viscera_weight: gut weight after bleeding
    - shell_weight: after drying
    The seven measurements are the UCI values: millimetres and grams divided
    by 200.
:Target: 1 = 19 rings (minority), 0 = any other ring count
:Missing values: none
:Source: UCI Machine Learning Repository, https://doi.org/10.24432/C55C7W
:Licence: Creative Commons Attribution 4.0 International (CC BY 4.0)

Reference: W. J. Nash, T. L. Sellers, S. R. Talbot, A. J. Cawthorn and
W. B. Ford, "The Population Biology of Abalone (Haliotis species) in
Tasmania. I. Blacklip Abalone (H. rubra) from the North Coast and Islands of
Bass Strait", Sea Fisheries Division, Technical Report No. 48, 1994.
"""

# yeast_me2 first: it is the default dataset (imbalance ratio >= 20, a quick run);
# the others follow by name.
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
    "abalone_19": _DatasetInfo(
        name="abalone_19",
        filename="abalone_19.csv.gz",
        n_samples=4177,
        n_features=10,
        n_minority=32,
        target_names=("other", "19 rings"),
        descr=_ABALONE_19_DESCR,
    ),
    "ecoli_imu": _DatasetInfo(
        name="ecoli_imu",
        filename="ecoli_imu.csv.gz",
        n_samples=336,
        n_features=7,
        n_minority=35,
        target_names=("other", "imU"),
        descr=_ECOLI_IMU_DESCR,
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


def package_dataset(data, target, feature_names, *, as_frame, return_X_y, **fields):
    """``(data, target)`` or a Bunch, as arrays or (``as_frame``) pandas objects.

    Shared by the bundled datasets and :func:`fetch_keel`; ``fields`` (e.g.
    ``target_names``, ``DESCR``) go into the Bunch."""
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
    return Bunch(data=data, target=target, frame=frame, feature_names=feature_names,
                 **fields)


def _load(info: _DatasetInfo, *, as_frame: bool, return_X_y: bool):
    feature_names, data, target = _read_csv_gz(info.filename)
    return package_dataset(
        data, target, feature_names, as_frame=as_frame, return_X_y=return_X_y,
        target_names=np.array(info.target_names), DESCR=info.descr,
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


def list_datasets() -> list[dict[str, Any]]:
    """Describe the bundled datasets.

    Sources, licences (all CC BY 4.0) and citations are in each dataset's
    ``DESCR`` and in ``imbkit/datasets/data/README.md``.

    Returns
    -------
    datasets : list of dict
        One dict per dataset, the default one (``yeast_me2``) first and the
        others by name, with keys ``name``, ``n_samples``, ``n_features``,
        ``n_minority`` and ``imbalance_ratio`` (majority count over minority
        count).

    Examples
    --------
    >>> from imbkit.datasets import list_datasets
    >>> for d in list_datasets():
    ...     print(d["name"], d["n_samples"], d["n_minority"], round(d["imbalance_ratio"], 1))
    yeast_me2 1484 51 28.1
    abalone_19 4177 32 129.5
    ecoli_imu 336 35 8.6
    """
    return [
        {
            "name": info.name,
            "n_samples": info.n_samples,
            "n_features": info.n_features,
            "n_minority": info.n_minority,
            "imbalance_ratio": (info.n_samples - info.n_minority) / info.n_minority,
        }
        for info in _DATASETS.values()
    ]


def load_dataset(name: str, *, as_frame: bool = False, return_X_y: bool = False):
    """Load a bundled dataset by name.

    Every dataset has numeric features only and a target with 1 for the
    minority class and 0 otherwise.

    Parameters
    ----------
    name : str
        One of the names returned by :func:`list_datasets`: ``"yeast_me2"``
        (see :func:`load_yeast_me2`), ``"abalone_19"`` (UCI Abalone, 19 rings
        against the rest; Sex one-hot encoded) or ``"ecoli_imu"`` (UCI Ecoli,
        localisation site imU against the rest).
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame, ``target`` a Series named
        ``"target"`` and ``frame`` a DataFrame holding both. Needs pandas
        (``pip install "imbkit[datasets]"``).
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Attributes ``data`` (float64), ``target`` (int64, 1 = minority),
        ``frame`` (None unless ``as_frame``), ``feature_names``,
        ``target_names`` and ``DESCR`` (content, source, licence, citation).
    (data, target) : tuple
        Returned when ``return_X_y`` is True.

    Raises
    ------
    InvalidInputError
        (a ``ValueError``) If ``name`` is not a bundled dataset; the message
        lists the valid names.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.datasets import load_dataset
    >>> load_dataset("yeast_me2").data.shape
    (1484, 8)
    >>> X, y = load_dataset("ecoli_imu", return_X_y=True)
    >>> X.shape, np.bincount(y).tolist()
    ((336, 7), [301, 35])
    """
    try:
        info = _DATASETS[name]
    except (KeyError, TypeError):
        raise InvalidInputError(
            f"Unknown dataset {name!r}. Valid names: {', '.join(sorted(_DATASETS))}."
        ) from None
    return _load(info, as_frame=as_frame, return_X_y=return_X_y)
