"""How much of the diagnosis do a phantom's recorded criteria carry?

A gradient-boosted classifier reads only what `lesionlab synth` records as drawn (colours,
structures, ABCD and 7-point figures, diameter, site pattern) plus the profile, learns the
diagnosis on one synthetic data set and is scored on another. Its balanced accuracy is what an
image classifier could reach if it saw every criterion in the pixels: the ceiling for the
auditor, and so for the conditional accuracy it can show (the evaluation issue asks for 0.90).

Usage: .venv/bin/python bench/criteria_ceiling.py --train DIR --test DIR
(both written by `lesionlab synth --format isic2024`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import balanced_accuracy_score, recall_score

from engine.datasets import BadInputError
from engine.datasets.columns import read_csv

LISTS = ("colours", "structures")
NUMBERS = ("tds", "seven_point_score", "asymmetry_axes", "border_segments", "diameter_mm",
           "age_approx", "skin_type")
CATEGORIES = ("sex", "anatom_site_general", "site_pattern")
GROUPS = {
    "all recorded criteria and the profile": lambda column: True,
    "colours and structures only": lambda column: column.startswith(LISTS),
    "everything but structures": lambda column: not column.startswith("structures"),
}


def criteria_table(folder: Path) -> tuple[pd.DataFrame, pd.Series]:
    """One row per image: a 0/1 column per listed colour and structure, the numeric figures and
    one-hot profile categories."""
    metadata = read_csv(folder / "train-metadata.csv",
                        required=("dx", *LISTS, *NUMBERS, *CATEGORIES))
    columns = {}
    for name in LISTS:
        listed = metadata[name].fillna("").str.split("; ").apply(set)
        for item in sorted(set().union(*listed) - {""}):
            columns[f"{name}: {item}"] = listed.apply(lambda items, i=item: i in items)
    for name in NUMBERS:
        columns[name] = pd.to_numeric(metadata[name], errors="coerce")
    for name in CATEGORIES:
        for value in metadata[name].dropna().unique():
            columns[f"{name}: {value}"] = metadata[name] == value
    return pd.DataFrame(columns).astype(float), metadata["dx"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--test", type=Path, required=True)
    arguments = parser.parse_args()
    try:
        train_x, train_y = criteria_table(arguments.train)
        test_x, test_y = criteria_table(arguments.test)
    except BadInputError as error:
        raise SystemExit(str(error)) from None
    informative = [c for c in train_x if train_x[c].nunique() > 1]
    test_x = test_x.reindex(columns=informative, fill_value=0.0)
    classes = sorted(train_y.unique())
    print(f"train {len(train_y)} images ({arguments.train.name}), test {len(test_y)} "
          f"({arguments.test.name})")
    print(f"{'what the classifier reads':<40}{'columns':>8}{'balanced acc.':>15}  per class "
          + " ".join(f"{dx:>5}" for dx in classes))
    for name, keep in GROUPS.items():
        chosen = [c for c in informative if keep(c)]
        model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05,
                                               class_weight="balanced", random_state=0)
        predicted = model.fit(train_x[chosen], train_y).predict(test_x[chosen])
        recall = recall_score(test_y, predicted, labels=classes, average=None)
        print(f"{name:<40}{len(chosen):>8}{balanced_accuracy_score(test_y, predicted):>15.3f}"
              f"            " + " ".join(f"{value:>5.2f}" for value in recall))


if __name__ == "__main__":
    main()
