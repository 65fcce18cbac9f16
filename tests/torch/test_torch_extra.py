"""The torch extra: a clear error without PyTorch, and the example script."""

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_WITHOUT_TORCH = textwrap.dedent(
    """
    import sys

    class NoTorch:  # import torch now fails as if it were not installed
        def find_spec(self, name, path=None, target=None):
            if name == "torch" or name.startswith("torch."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    sys.meta_path.insert(0, NoTorch())
    import imbkit
    from imbkit import (base, combine, datasets, decision, ensemble, metrics,
                        over_sampling, pipeline, under_sampling)
    from imbkit.exceptions import MissingExtraError
    assert "torch" not in sys.modules
    try:
        import imbkit.torch
    except MissingExtraError as exc:
        print("MissingExtraError:", exc)
    """
)


def test_import_without_torch_names_the_extra_and_core_still_imports():
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_TORCH],
        check=False, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("MissingExtraError: imbkit.torch needs PyTorch")
    assert 'pip install "imbkit[torch]"' in result.stdout


def test_example_script_trains_and_reports_pr_auc():
    pytest.importorskip("torch.nn")
    import torch

    spec = importlib.util.spec_from_file_location(
        "mlp_imbalanced_example", ROOT / "examples" / "mlp_imbalanced.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    threads = torch.get_num_threads()
    try:
        results = module.main(["--quick", "--epochs", "1"])
    finally:
        torch.set_num_threads(threads)
    assert list(results) == [
        "cross-entropy",
        "focal (gamma=2)",
        "class-balanced CE (beta=0.999)",
        "CE + balanced batches",
    ]
    # 13 positives among 371 test samples: chance level is 0.035.
    assert all(0.035 < value <= 1.0 for value in results.values())
