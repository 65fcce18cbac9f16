"""Root pytest configuration: skip the doctests of extras whose dependency is missing.

``--doctest-modules`` imports every module under src/imbkit; an extra's package
raises MissingExtraError on import when its dependency is absent, which would be
a collection error rather than a skip.
"""

import importlib.util


def _installed(name):
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    # A bare folder of that name on sys.path is a namespace package, not the library.
    return spec is not None and spec.origin not in (None, "namespace")


collect_ignore = []
if not _installed("torch"):
    collect_ignore.append("src/imbkit/torch")
if not _installed("dask"):
    collect_ignore.append("src/imbkit/dask")
