"""The ``imbkit`` command: the default job and the dataset listing."""

import subprocess
import sys

from imbkit.cli import main


def test_default_job_resamples_the_bundled_dataset_with_every_over_sampler(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "dataset yeast_me2: 1484 rows, 8 features, classes {0: 1433, 1: 51}" in out
    for name in ("RandomOverSampler", "SMOTE", "BorderlineSMOTE-1", "BorderlineSMOTE-2",
                 "SVMSMOTE", "ADASYN", "KMeansSMOTE", "SMOTENC", "SMOTEN"):
        assert f"\n{name}" in out
    assert out.count("{0: 1433, 1: 1433}") == 8  # ADASYN and KMeansSMOTE round per share


def test_datasets_command_lists_the_bundled_dataset(capsys):
    assert main(["datasets"]) == 0
    assert capsys.readouterr().out.startswith(
        "yeast_me2: 1484 rows, 8 features, 51 minority, imbalance ratio 28.1"
    )


def test_python_dash_m_runs():
    result = subprocess.run([sys.executable, "-m", "imbkit", "datasets"],
                            capture_output=True, text=True, check=True)
    assert "yeast_me2" in result.stdout
