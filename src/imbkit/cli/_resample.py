"""``imbkit resample``: resample a table with one sampler and write it back."""

from __future__ import annotations

import ast
import difflib
import inspect
import sys
from pathlib import Path

import numpy as np

from ..exceptions import InvalidInputError
from ._data import check_output, load_input, write_table

__all__ = ["add_resample_parser", "parse_params", "resolve_sampler", "run_resample"]


def add_resample_parser(sub):
    p = sub.add_parser(
        "resample", help="resample a table with one sampler and write it",
        description="Resample a CSV or Parquet table with one imbkit sampler (e.g. SMOTE, "
                    "RandomUnderSampler) and write the result as CSV or Parquet, with the "
                    "column names, order and dtypes of the input.",
    )
    p.add_argument("data", nargs="?", help="a .csv or .parquet file with a header row")
    p.add_argument("--dataset", metavar="NAME", help="a bundled dataset instead of a file")
    p.add_argument("--target", metavar="COLUMN", help="the column holding the classes")
    p.add_argument("--method", required=True, metavar="SAMPLER",
                   help="a sampler class of imbkit.over_sampling, under_sampling or combine")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a sampler parameter, e.g. k_neighbors=3 (repeatable)")
    p.add_argument("--seed", type=int, default=0,
                   help="random_state of the sampler, unless given with --param (default 0)")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the output file: .csv (optionally .csv.gz) or .parquet")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(handler=run_resample)
    return p


def _samplers():
    from .. import combine, over_sampling, under_sampling

    found = {}
    for module in (over_sampling, under_sampling, combine):
        for name in module.__all__:
            cls = getattr(module, name)
            if inspect.isclass(cls) and hasattr(cls, "fit_resample") and not name.startswith(
                    "Base"):
                found[name] = cls
    return found


def resolve_sampler(name):
    """The sampler class called ``name`` (case-insensitive).

    Examples
    --------
    >>> from imbkit.cli._resample import resolve_sampler
    >>> resolve_sampler("smote").__name__
    'SMOTE'
    """
    samplers = _samplers()
    by_lower = {n.lower(): cls for n, cls in samplers.items()}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    names = {n.lower(): n for n in samplers}
    hint = f" Did you mean {names[close[0]]!r}?" if close else ""
    raise InvalidInputError(
        f"Unknown sampler {name!r}.{hint} Choose one of: {', '.join(sorted(samplers))}."
    )


def _value(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # a bare word: a string option such as auto or minority


def parse_params(items):
    """``["k_neighbors=3", "sampling_strategy=auto"]`` -> ``{"k_neighbors": 3, ...}``.

    Values are Python literals (numbers, ``None``, ``True``, dicts) or, failing
    that, strings.

    Examples
    --------
    >>> from imbkit.cli._resample import parse_params
    >>> parse_params(["k_neighbors=3", "sampling_strategy=minority", "shrinkage=None"])
    {'k_neighbors': 3, 'sampling_strategy': 'minority', 'shrinkage': None}
    """
    params = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise InvalidInputError(
                f"--param {item!r} is not NAME=VALUE; e.g. --param k_neighbors=3."
            )
        if name in params:
            raise InvalidInputError(f"--param {name} is given twice; give it once.")
        params[name] = _value(value.strip())
    return params


def _build(cls, params, seed):
    valid = cls().get_params(deep=False)
    unknown = sorted(set(params) - set(valid))
    if unknown:
        raise InvalidInputError(
            f"{cls.__name__} has no parameter {', '.join(unknown)}; its parameters are: "
            f"{', '.join(sorted(valid))}."
        )
    if "random_state" in valid and "random_state" not in params:
        params = {**params, "random_state": seed}
    return cls(**params)


def _counts(y):
    values, counts = np.unique(np.asarray(y), return_counts=True)
    return "{" + ", ".join(f"{v}: {c}" for v, c in zip(values.tolist(), counts.tolist())) + "}"


def run_resample(args, out=None):
    """Run ``imbkit resample``; returns the exit code."""
    import pandas as pd

    out = sys.stdout if out is None else out
    cls = resolve_sampler(args.method)
    sampler = _build(cls, parse_params(args.param), args.seed)
    source = None if args.data is None else Path(args.data)
    output = check_output(args.output, force=args.force, inputs=[source])
    data = load_input(args.data, args.dataset, args.target)
    X_res, y_res = sampler.fit_resample(data.X, data.y)
    # the samplers hand back a DataFrame and a Series of the input's names and dtypes
    frame = pd.concat([X_res.reset_index(drop=True), y_res.reset_index(drop=True)], axis=1)
    write_table(frame[data.columns], output)
    print(f"{cls.__name__} on {data.label}: {len(data.y)} rows {_counts(data.y)} -> "
          f"{len(frame)} rows {_counts(y_res)}; wrote {output}", file=out)
    return 0
