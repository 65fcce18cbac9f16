"""The dependency direction of GUIDE.md, checked with import-linter's contracts.

The contracts live in pyproject.toml ([tool.importlinter]); this test fails
when any of them is broken, e.g. when src/ imports imbalanced-learn.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(lint).exists():
        pytest.fail("lint-imports is missing: install the dev extra (pip install -e '.[dev]')")
    result = subprocess.run(
        [lint, str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout
