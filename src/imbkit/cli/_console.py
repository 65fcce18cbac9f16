"""Terminal output of the command: the progress bar, and one-line messages."""

from __future__ import annotations

import contextlib
import sys

__all__ = ["REPORT_EXTRA", "progress_bar", "rich_available"]

REPORT_EXTRA = 'pip install "imbkit[report]"'


def rich_available():
    """Whether ``rich`` can be imported (the ``report`` extra)."""
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def progress_bar(enabled, *, file=None, force_terminal=None):
    """Yield a ``progress(done, total, label)`` callback drawing a rich bar, or None.

    The bar is drawn on ``file`` (default ``sys.stderr``) when ``enabled``,
    ``rich`` is installed and the file is a terminal (or ``force_terminal``);
    it disappears when the work ends.
    """
    file = sys.stderr if file is None else file
    terminal = force_terminal if force_terminal is not None else file.isatty()
    if not (enabled and terminal and rich_available()):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(file=file, force_terminal=force_terminal)
    columns = (TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("cross-validating", total=None)

        def update(done, total, label):
            progress.update(task, completed=done, total=total, description=label[:40])

        yield update
