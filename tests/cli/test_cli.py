"""The ``imbkit`` command: compare, resample, datasets; messages and exit codes."""

import hashlib
import io
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from imbkit.cli import main
from imbkit.cli._compare import parse_cost
from imbkit.cli._console import progress_bar
from imbkit.cli._data import _umask, write_atomic
from imbkit.cli._resample import parse_params, resolve_sampler
from imbkit.datasets import load_yeast_me2
from imbkit.exceptions import InvalidInputError

FAST = ["--strategies", "lr", "lr+rus", "--folds", "3", "--repeats", "1", "--quiet"]


@pytest.fixture
def table(tmp_path):
    """yeast_me2 with the target in the middle, a text column and a missing value."""
    frame = load_yeast_me2(as_frame=True).frame.iloc[::2].reset_index(drop=True)
    frame.insert(2, "label", np.where(frame.pop("target") == 1, "ME2", "other"))
    frame["colour"] = np.where(frame["mcg"] > 0.5, "red", "blue")
    frame["erl"] = frame["erl"].astype("float32")
    frame.loc[3, "gvh"] = np.nan
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path, frame


def _run(capsys, *argv):
    code = main(list(map(str, argv)))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- general


def test_python_dash_m_help_runs():
    result = subprocess.run([sys.executable, "-m", "imbkit", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: imbkit [-h] COMMAND")
    for command in ("compare", "resample", "datasets"):
        assert command in result.stdout


def test_main_without_command_prints_help(capsys):
    code, out, _ = _run(capsys)
    assert code == 0 and out.startswith("usage: imbkit")


def test_main_usage_error_exits_2(capsys):
    code, _, err = _run(capsys, "compare", "--folds", "many")
    assert code == 2
    assert "argument --folds: invalid int value: 'many'" in err


def test_datasets_command_lists_the_bundled_dataset(capsys):
    code, out, _ = _run(capsys, "datasets")
    assert code == 0
    assert out.startswith("yeast_me2: 1484 rows, 8 features, 51 minority, imbalance ratio 28.1\n")
    assert "keel:NAME" in out


# ---------------------------------------------------------------- compare


def test_compare_default_dataset_prints_leaderboard_and_advice(capsys):
    code, out, err = _run(capsys, "compare", *FAST)
    assert code == 0, err
    assert out.startswith("yeast_me2: 1484 rows, 8 features, classes {0: 1433, 1: 51}; "
                          "3 folds x 1 repeats\n")
    assert "Leaderboard" in out and "lr+rus" in out
    assert "\nUse lr" in out or "\nUse lr+rus" in out


def test_compare_no_track_record_recommends_the_best_mean(capsys, tmp_path):
    js = tmp_path / "plain.json"
    code, _, err = _run(capsys, "compare", *FAST, "--no-track-record", "--json", js)
    assert code == 0, err
    data = json.loads(js.read_text())
    assert data["recommended"] == data["ranking"][0] == data["selection"]["best_mean"]
    assert data["selection"]["track_record"] == {}


def test_compare_csv_notes_encoding_and_imputation_and_writes_outputs(capsys, table, tmp_path):
    path, _ = table
    before = _digest(path)
    report, js = tmp_path / "out.html", tmp_path / "out.json"
    code, out, err = _run(capsys, "compare", path, "--target", "label", *FAST,
                          "--report", report, "--json", js)
    assert code == 0, err
    assert "Note: 1 non-numeric column(s) ('colour') are one-hot encoded" in out
    assert "Note: 1 missing value(s) in 1 numeric column(s) ('gvh') are imputed" in out
    assert f"Wrote {js}\nWrote {report}\n" in out
    data = json.loads(js.read_text())
    assert data["dataset"] == str(path)
    assert data["classes"] == ["ME2", "other"] and data["pos_label"] == "ME2"
    assert sorted(data["ranking"]) == ["lr", "lr+rus"]
    assert '<table id="leaderboard">' in report.read_text()
    assert _digest(path) == before  # the input is never modified
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "out.html", "out.json"]


def test_compare_existing_output_needs_force(capsys, tmp_path):
    js = tmp_path / "out.json"
    js.write_text("old")
    code, out, err = _run(capsys, "compare", *FAST, "--json", js)
    assert code == 1 and out == ""
    assert err == (f"imbkit compare: error: {js} already exists; pass --force to overwrite "
                   "it, or choose another name.\n")
    assert js.read_text() == "old"
    code, _, err = _run(capsys, "compare", *FAST, "--json", js, "--force")
    assert code == 0, err
    assert json.loads(js.read_text())["n_folds"] == 3


def _csv(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize("content, fragment", [
    (None, "no such file; check the path."),
    ("", "is empty: it has no header and no rows."),
    ("a,b,y\n", "has a header but no rows; it needs data rows."),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02\xd0\xd1", "cannot be read as CSV ('utf-8' codec can't decode"),
])
def test_compare_unusable_file_one_line_error(capsys, tmp_path, content, fragment):
    path = tmp_path / "d.csv" if content is None else _csv(tmp_path, content)
    code, out, err = _run(capsys, "compare", path, "--target", "y", "--quiet")
    assert code == 1 and out == ""
    assert err.startswith(f"imbkit compare: error: {path}")
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_compare_unknown_target_suggests_a_column(capsys, table):
    path, _ = table
    code, _, err = _run(capsys, "compare", path, "--target", "labels", "--quiet")
    assert code == 1
    assert f"error: {path} has no column 'labels'. Did you mean 'label'?" in err


def test_compare_missing_target_option_lists_columns(capsys, table):
    path, _ = table
    code, _, err = _run(capsys, "compare", path, "--quiet")
    assert code == 1
    assert f"Name the class column of {path} with --target COLUMN (columns: mcg, gvh" in err


def test_compare_single_class_target(capsys, tmp_path):
    path = _csv(tmp_path, "a,y\n" + "".join(f"{i},1\n" for i in range(20)))
    code, _, err = _run(capsys, "compare", path, "--target", "y", "--quiet")
    assert code == 1
    assert "error: y has only one class (1); comparing strategies needs rows of at least" in err


def test_compare_minority_smaller_than_folds(capsys, tmp_path):
    rows = "".join(f"{i},{int(i < 3)}\n" for i in range(40))
    path = _csv(tmp_path, "a,y\n" + rows)
    code, _, err = _run(capsys, "compare", path, "--target", "y", "--quiet")
    assert code == 1
    assert "The smallest class (1) has 3 rows, fewer than the 5 folds" in err
    assert "Use cv=3 or fewer folds" in err


def test_compare_missing_target_values(capsys, tmp_path):
    path = _csv(tmp_path, "a,y\n1,0\n2,\n3,1\n")
    code, _, err = _run(capsys, "compare", path, "--target", "y", "--quiet")
    assert code == 1
    assert "The target column 'y' has 1 missing value(s); drop or fill those rows" in err


def test_compare_refuses_to_write_over_the_input(capsys, tmp_path):
    path = _csv(tmp_path, "a,y\n1,0\n", name="d.json")
    code, _, err = _run(capsys, "compare", path, "--target", "y", "--json", path, "--force")
    assert code == 1
    assert "is the input file; write the output to another file" in err
    assert path.read_text() == "a,y\n1,0\n"


def test_compare_output_folder_must_exist(capsys, tmp_path):
    code, _, err = _run(capsys, "compare", *FAST, "--report", tmp_path / "no" / "r.html")
    assert code == 1
    assert f"The folder of {tmp_path / 'no' / 'r.html'} does not exist" in err


@pytest.mark.parametrize("argv, fragment", [
    (["--strategies", "lr,nope"], "Unknown strategy 'nope'; valid names are"),
    (["--strategies", "fast", "lr"], "--strategies mixes the set 'fast' with strategy names"),
    (["--metric", "accuracy"], "Unknown scoring 'accuracy'; use one of"),
    (["--cost", "FN=ten"], "--cost 'FN=ten': 'ten' is not a number"),
    (["--pos-label", "7"], "--pos-label '7' is not a class of the target ([0, 1])"),
    (["--dataset", "nope"], "Unknown dataset 'nope'. Valid names: abalone_19, ecoli_imu, yeast_me2."),
    (["--target", "class"], "The dataset 'yeast_me2' has its classes in column 'target'"),
])
def test_compare_bad_options(capsys, argv, fragment):
    code, out, err = _run(capsys, "compare", "--quiet", "--folds", "3", "--repeats", "1", *argv)
    assert code == 1 and "Leaderboard" not in out
    assert fragment in err and err.count("\n") == 1


def test_compare_with_cost_ranks_by_expected_cost(capsys, tmp_path):
    js = tmp_path / "c.json"
    code, out, err = _run(capsys, "compare", "--strategies", "lr", "lr+cost", "--folds", "3",
                          "--repeats", "1", "--quiet", "--cost", "FN=10,FP=1", "--json", js)
    assert code == 0, err
    assert "Exp. cost" in out
    data = json.loads(js.read_text())
    assert data["primary_metric"] == "expected_cost"
    assert data["cost_matrix"] == [[0.0, 1.0], [10.0, 0.0]]


def test_compare_without_rich_prints_a_plain_table_and_the_install_hint(capsys, monkeypatch):
    for name in ("rich", "rich.console", "rich.table", "rich.progress"):
        monkeypatch.setitem(sys.modules, name, None)
    code, out, _ = _run(capsys, "compare", *FAST)
    assert code == 0
    assert "\nrank  strategy" in out
    assert out.rstrip().endswith('For a terminal table and an HTML report: '
                                 'pip install "imbkit[report]"')


def test_compare_report_without_matplotlib_fails_before_the_work(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, out, err = _run(capsys, "compare", *FAST, "--report", tmp_path / "r.html")
    assert code == 1 and out == ""
    assert err == ("imbkit compare: error: --report draws its plots with matplotlib, which "
                   'is not installed: pip install "imbkit[report]".\n')


def test_parse_cost_values_and_errors():
    assert parse_cost("fn=10, FP=0.5,TN=-1") == {"FN": 10.0, "FP": 0.5, "TN": -1.0}
    assert parse_cost(None) is None
    with pytest.raises(InvalidInputError, match="'FX=1' is not KEY=NUMBER"):
        parse_cost("FX=1")
    with pytest.raises(InvalidInputError, match="--cost is empty"):
        parse_cost(" , ")


def test_progress_bar_draws_on_a_terminal_and_is_off_otherwise():
    pytest.importorskip("rich")
    out = io.StringIO()
    with progress_bar(True, file=out, force_terminal=True) as update:
        assert callable(update)
        update(3, 10, "lr (repeat 1, fold 3)")
    assert "3/10" in out.getvalue()
    with progress_bar(True, file=io.StringIO()) as update:  # not a terminal
        assert update is None
    with progress_bar(False, file=out, force_terminal=True) as update:
        assert update is None


# ---------------------------------------------------------------- resample


def test_resample_parquet_keeps_names_order_and_dtypes(capsys, table, tmp_path):
    pytest.importorskip("pyarrow")
    _, frame = table
    frame = frame.drop(columns=["colour"]).fillna(0.5)
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    frame.to_parquet(source, index=False)
    code, out, err = _run(capsys, "resample", source, "--target", "label", "--method", "smote",
                          "--param", "k_neighbors=3", "-o", target)
    assert code == 0, err
    assert out == (f"SMOTE on {source}: 742 rows {{ME2: 24, other: 718}} -> 1436 rows "
                   f"{{ME2: 718, other: 718}}; wrote {target}\n")
    result = pd.read_parquet(target)
    assert list(result.columns) == list(frame.columns)
    assert result.dtypes.to_dict() == frame.dtypes.to_dict()
    assert result["label"].value_counts().to_dict() == {"ME2": 718, "other": 718}
    pd.testing.assert_frame_equal(result.iloc[:742], frame)  # originals first, unchanged


def test_resample_csv_under_sampler_with_seed(capsys, table, tmp_path):
    path, frame = table
    target = tmp_path / "out.csv.gz"
    code, _, err = _run(capsys, "resample", path, "--target", "label", "--method",
                        "RandomUnderSampler", "--seed", "3", "-o", target)
    assert code == 0, err
    result = pd.read_csv(target)
    assert list(result.columns) == list(frame.columns)
    assert result["label"].value_counts().to_dict() == {"ME2": 24, "other": 24}
    again = tmp_path / "again.csv.gz"
    main(["resample", str(path), "--target", "label", "--method", "RandomUnderSampler",
          "--param", "random_state=3", "-o", str(again)])
    pd.testing.assert_frame_equal(pd.read_csv(again), result)


@pytest.mark.parametrize("argv, fragment", [
    (["--method", "smot"], "Unknown sampler 'smot'. Did you mean 'SMOTE'? Choose one of: ADASYN"),
    (["--method", "SMOTE", "--param", "k=3"],
     ("SMOTE has no parameter k; its parameters are: k_neighbors, random_state, "
      "sampling_strategy.")),
    (["--method", "SMOTE", "--param", "k_neighbors=abc"],
     "The 'k_neighbors' parameter of SMOTE must be an int"),
    (["--method", "SMOTE", "--param", "k_neighbors"], "--param 'k_neighbors' is not NAME=VALUE"),
    (["--method", "SMOTE"], "or use SMOTENC (mixed numeric and categorical columns)"),
])
def test_resample_errors(capsys, table, tmp_path, argv, fragment):
    path, _ = table
    code, out, err = _run(capsys, "resample", path, "--target", "label", *argv,
                          "-o", tmp_path / "out.csv")
    assert code == 1 and out == ""
    assert fragment in err and err.count("\n") == 1
    assert not (tmp_path / "out.csv").exists()


def test_resample_existing_output_and_unknown_format(capsys, table, tmp_path):
    path, _ = table
    before = _digest(path)
    code, _, err = _run(capsys, "resample", path, "--target", "label", "--method",
                        "RandomOverSampler", "-o", path, "--force")
    assert code == 1 and f"{path} is the input file; write the output to another file" in err
    assert _digest(path) == before
    other = tmp_path / "exists.csv"
    other.write_text("x")
    code, _, err = _run(capsys, "resample", path, "--target", "label", "--method",
                        "RandomOverSampler", "-o", other)
    assert code == 1 and f"{other} already exists; pass --force" in err
    assert other.read_text() == "x"
    code, _, err = _run(capsys, "resample", path, "--target", "label", "--method",
                        "RandomOverSampler", "-o", tmp_path / "out.xlsx")
    assert code == 1
    assert "unknown table format '.xlsx'; name the file .csv (optionally .csv.gz) or .parquet" in err


def test_parse_params_and_resolve_sampler():
    assert parse_params(["sampling_strategy={0: 5}", "k_neighbors=2"]) == {
        "sampling_strategy": {0: 5}, "k_neighbors": 2}
    with pytest.raises(InvalidInputError, match="--param k_neighbors is given twice"):
        parse_params(["k_neighbors=2", "k_neighbors=3"])
    assert resolve_sampler("smoteenn").__name__ == "SMOTEENN"
    with pytest.raises(InvalidInputError, match="Unknown sampler 'BaseSampler'"):
        resolve_sampler("BaseSampler")


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old")

    def fail(tmp):
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, fail)
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    path.chmod(0o640)
    write_atomic(path, lambda tmp: tmp.write_text("new"))
    assert path.read_text() == "new"
    assert path.stat().st_mode & 0o777 == 0o640  # an overwritten file keeps its mode
    fresh = write_atomic(tmp_path / "fresh.csv", lambda tmp: tmp.write_text("x"))
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.csv", "out.csv"]
