"""Datasets: a bundled real imbalanced dataset and :func:`make_imbalance`.

Examples
--------
>>> from imbkit.datasets import list_datasets, load_dataset
>>> [d["name"] for d in list_datasets()]
['yeast_me2']
>>> X, y = load_dataset("yeast_me2", return_X_y=True)
>>> X.shape
(1484, 8)
"""

from imbkit.datasets._bundled import list_datasets, load_dataset, load_yeast_me2
from imbkit.datasets._imbalance import make_imbalance

__all__ = ["list_datasets", "load_dataset", "load_yeast_me2", "make_imbalance"]
