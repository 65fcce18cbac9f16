"""Print the README's Performance table from the JSON files in benchmarks/results/."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def rows(name):
    path = RESULTS / name
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    out = []
    for key, row in data["timings"].items():
        out.append(
            f"| {key} | {row['imblearn_median_s']:.3f} | {row['imbkit_median_s']:.3f} "
            f"| **{row['ratio']:.2f}** | {row['target_ratio']} | "
            f"{'yes' if row['same_output'] else 'NO'} |"
        )
    return out


def main():
    print("| sampler / dtype | imbalanced-learn (s) | imbkit (s) | ratio | target | same output |")
    print("|---|---|---|---|---|---|")
    for line in rows("oversampling.json") + rows("undersampling.json"):
        print(line)


if __name__ == "__main__":
    main()
