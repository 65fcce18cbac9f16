"""``imbkit compare``: rank ways of handling the imbalance of a table, and report."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path

import numpy as np

from ..exceptions import InvalidInputError, MissingExtraError
from ._console import REPORT_EXTRA, progress_bar, rich_available
from ._data import check_output, load_input, write_atomic

__all__ = ["add_compare_parser", "parse_cost", "run_compare"]

_PRESETS = ("default", "fast", "all")


def add_compare_parser(sub):
    p = sub.add_parser(
        "compare", help="rank ways of handling class imbalance on a table",
        description="Cross-validate ways of handling class imbalance (class weights, "
                    "threshold moving, resampling, ensembles, costs) on a CSV or Parquet "
                    "table, print a leaderboard and the recommended strategy, and "
                    "optionally write JSON and a self-contained HTML report. Without a "
                    "data file it runs on the bundled yeast_me2 dataset.",
    )
    p.add_argument("data", nargs="?", help="a .csv or .parquet file with a header row")
    p.add_argument("--dataset", metavar="NAME",
                   help="a bundled dataset (see `imbkit datasets`), or keel:NAME")
    p.add_argument("--target", metavar="COLUMN", help="the column holding the classes")
    p.add_argument("--metric", metavar="NAME",
                   help="primary metric: pr_auc (default), roc_auc, mcc, f1, f_beta, "
                        "g_mean, balanced_accuracy, ...; expected_cost with --cost")
    p.add_argument("--cost", metavar="FN=10,FP=1",
                   help="costs of errors for a binary target (FN, FP, optionally TP, TN)")
    p.add_argument("--pos-label", metavar="CLASS",
                   help="the class of interest (binary); default the rarer class")
    p.add_argument("--strategies", nargs="+", metavar="NAME", default=["default"],
                   help="a set (default, fast, all) or strategy names, space or comma "
                        "separated")
    p.add_argument("--folds", type=int, default=5, help="stratified folds (default 5)")
    p.add_argument("--repeats", type=int, default=2, help="repeats of the folds (default 2)")
    p.add_argument("--n-jobs", type=int, default=None, metavar="N",
                   help="parallel fits (-1: all cores); results do not depend on it")
    p.add_argument("--time-budget", type=float, default=None, metavar="S",
                   help="seconds; strategies not started by then are skipped")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--no-track-record", action="store_true",
                   help="recommend the best mean score, even where a strategy with a "
                        "better record on the benchmark datasets is within one standard "
                        "error of it")
    p.add_argument("--json", metavar="OUT.json", help="write the results as JSON")
    p.add_argument("--report", metavar="OUT.html", help="write a self-contained HTML report")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=run_compare)
    return p


def parse_cost(text):
    """``"FN=10,FP=1"`` -> ``{"FN": 10.0, "FP": 1.0}``.

    Examples
    --------
    >>> from imbkit.cli._compare import parse_cost
    >>> parse_cost("fn=10, FP=0.5")
    {'FN': 10.0, 'FP': 0.5}
    """
    if text is None:
        return None
    cost = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        key = key.strip().upper()
        if not sep or key not in ("FN", "FP", "TP", "TN"):
            raise InvalidInputError(
                f"--cost {text!r}: {item!r} is not KEY=NUMBER with KEY one of FN, FP, TP, "
                "TN; e.g. --cost FN=10,FP=1."
            )
        try:
            cost[key] = float(value)
        except ValueError:
            raise InvalidInputError(
                f"--cost {text!r}: {value.strip()!r} is not a number; e.g. --cost FN=10,FP=1."
            ) from None
    if not cost:
        raise InvalidInputError("--cost is empty; e.g. --cost FN=10,FP=1.")
    return cost


def _strategies(values):
    names = [n for v in values for n in re.split(r"[,\s]+", v) if n]
    if len(names) == 1 and names[0] in _PRESETS:
        return names[0]
    from ..compare import get_strategy

    for name in names:
        if name in _PRESETS:
            raise InvalidInputError(
                f"--strategies mixes the set {name!r} with strategy names; give one set, "
                "or a list of names."
            )
        get_strategy(name)  # fails early, with the valid names, on a typo
    return names


def _pos_label(value, y):
    if value is None:
        return None
    classes = np.unique(np.asarray(y)).tolist()
    for c in classes:
        if str(c) == value:
            return c
    raise InvalidInputError(f"--pos-label {value!r} is not a class of the target ({classes}).")


def _class_text(y):
    values, counts = np.unique(np.asarray(y), return_counts=True)
    return ", ".join(f"{v}: {c}" for v, c in zip(values.tolist(), counts.tolist()))


def _check_report_extra(args):
    if args.report is None:
        return
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingExtraError(
            f"--report draws its plots with matplotlib, which is not installed: {REPORT_EXTRA}."
        ) from None


def _write_outputs(args, result, X, y, label, out):
    from ..report import render_html

    if args.json is not None:
        data = {"dataset": label, **result.to_dict()}
        text = json.dumps(data, indent=2, allow_nan=False)
        write_atomic(args.json, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
        print(f"Wrote {args.json}", file=out)
    if args.report is not None:
        page = render_html(result, X, y, dataset=label)
        write_atomic(args.report, lambda tmp: tmp.write_text(page, encoding="utf-8"))
        print(f"Wrote {args.report}", file=out)


def run_compare(args, out=None):
    """Run ``imbkit compare``; returns the exit code."""
    from ..compare import compare_strategies
    from ..report import print_leaderboard, recommendation_paragraph

    out = sys.stdout if out is None else out
    _check_report_extra(args)
    strategies = _strategies(args.strategies)
    cost = parse_cost(args.cost)
    source = None if args.data is None else Path(args.data)
    for path in (args.json, args.report):
        check_output(path, force=args.force, inputs=[source])
    if args.json is not None and args.report is not None and args.json == args.report:
        raise InvalidInputError("--json and --report name the same file; give two names.")
    X, y, label, _ = load_input(args.data, args.dataset, args.target)
    pos_label = _pos_label(args.pos_label, y)
    print(f"{label}: {X.shape[0]} rows, {X.shape[1]} features, classes {{{_class_text(y)}}}; "
          f"{args.folds} folds x {args.repeats} repeats", file=out)
    with progress_bar(not args.quiet) as progress:
        result = compare_strategies(
            X, np.asarray(y), strategies, cv=args.folds, n_repeats=args.repeats,
            scoring=args.metric, cost=cost, pos_label=pos_label,
            n_jobs=args.n_jobs, random_state=args.seed, progress=progress or False,
            time_budget=args.time_budget,
            track_record=None if args.no_track_record else "builtin",
        )
    for note in result.notes:
        print(f"Note: {note}", file=out)
    print_leaderboard(result, file=out)
    print("\n" + textwrap.fill(recommendation_paragraph(result), width=100) + "\n", file=out)
    _write_outputs(args, result, X, np.asarray(y), label, out)
    if args.report is None and not rich_available():
        print(f"For a terminal table and an HTML report: {REPORT_EXTRA}", file=out)
    return 0
