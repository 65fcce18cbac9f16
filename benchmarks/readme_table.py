"""Print the README's Performance table from the JSON files in benchmarks/results/."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

# rows whose output differs from imbalanced-learn's on purpose (see the docstrings)
BY_DESIGN = {"CondensedNearestNeighbour", "OneSidedSelection"}


def _same(key, row):
    if row["same_output"]:
        return "yes"
    return "no, by design (1)" if key in BY_DESIGN else "NO"


def rows(name, suffix=""):
    path = RESULTS / name
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    out = []
    for key, row in data["timings"].items():
        out.append(
            f"| {key}{suffix} | {row['imblearn_median_s']:.3f} | {row['imbkit_median_s']:.3f} "
            f"| **{row['ratio']:.2f}** | {row['target_ratio']} | "
            f"{_same(key, row)} |"
        )
    return out


def main():
    print("| sampler / dtype | imbalanced-learn (s) | imbkit (s) | ratio | target | same output |")
    print("|---|---|---|---|---|---|")
    lines = rows("oversampling.json") + rows("undersampling.json")
    lines += rows("ensembles_speed.json", suffix=" (fit + predict_proba)")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
