"""The core never imports imbkit.compare (GUIDE.md: compare <- report <- cli)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "imbkit"
ALLOWED = {"compare", "report", "cli"}


def _imports_compare(path):
    tree = ast.parse(path.read_text())
    package = path.relative_to(SRC.parent).with_suffix("").parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        if any(n == "imbkit.compare" or n.startswith("imbkit.compare.") for n in names):
            return True
    return False


def test_core_does_not_import_compare():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.relative_to(SRC).parts[0] not in ALLOWED and _imports_compare(path)
    ]
    assert offenders == []


def test_import_scan_detects_relative_and_absolute_imports(monkeypatch):
    assert _imports_compare(SRC / "compare" / "_runner.py") is True  # its own package
    fake = SRC / "metrics" / "_probe_for_layering_test.py"
    cases = {
        "from ..compare import compare_strategies\n": True,
        "import imbkit.compare._runner\n": True,
        "from imbkit import compare\n": True,
        "from ..metrics import imbalanced_summary\n": False,
    }
    for source, expected in cases.items():
        monkeypatch.setattr(Path, "read_text", lambda self, s=source: s)
        assert _imports_compare(fake) is expected, source
