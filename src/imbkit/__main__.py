"""``python -m imbkit``: the command-line entry point (see :mod:`imbkit.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
