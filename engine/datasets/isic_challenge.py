"""ISIC 2019 and ISIC 2020 challenge layouts: CSV tables and a folder of JPEGs.

ISIC 2019: a one-hot ground truth (`image,MEL,NV,BCC,AK,BKL,DF,VASC,SCC,UNK`) and, optionally,
a metadata table (`image,age_approx,anatom_site_general,lesion_id,sex`); groups: lesion_id
(the image id when missing). SCC and UNK rows are excluded and counted (engine.datasets.labels).
ISIC 2020: `train.csv` (`image_name,patient_id,sex,age_approx,anatom_site_general_challenge,
diagnosis,benign_malignant,target`); groups: patient_id. Images are found by id anywhere below
the image roots (default: the folder holding the tables).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from engine.datasets.base import DatasetReader, attach_image_paths
from engine.datasets.columns import (
    ISIC2019_CLASSES,
    ISIC2019_METADATA_REQUIRED,
    ISIC2020_REQUIRED,
    read_csv,
)
from engine.datasets.errors import BadInputError
from engine.datasets.labels import ISIC2019_TO_DX, dx_from_isic2020


def _find_table(folder: Path, pattern: str, *, what: str, required: bool = True) -> Path | None:
    matches = sorted(folder.glob(pattern))
    if len(matches) > 1:
        raise BadInputError(f"{folder}: several {what} files ({', '.join(m.name for m in matches)}"
                            f"); name one explicitly", category="missing file")
    if not matches and required:
        raise BadInputError(f"{folder}: no {what} file matching {pattern}",
                            category="missing file")
    return matches[0] if matches else None


class Isic2019Reader(DatasetReader):
    """`path`: the folder with the ground-truth (and metadata) CSV and the images."""

    format = "isic2019"

    def __init__(self, path: str | Path, *, ground_truth: str | Path | None = None,
                 metadata: str | Path | None = None,
                 image_roots: list[str | Path] | None = None, skip_bad: bool = False) -> None:
        super().__init__(skip_bad=skip_bad)
        folder = Path(path)
        truth_path = Path(ground_truth) if ground_truth else _find_table(
            folder, "*GroundTruth*.csv", what="ground truth")
        metadata_path = Path(metadata) if metadata else _find_table(
            folder, "*Metadata*.csv", what="metadata", required=False)
        where = str(truth_path)
        truth = read_csv(truth_path, required=("image", *ISIC2019_CLASSES[:7]))
        classes = [c for c in ISIC2019_CLASSES if c in truth]
        scores = truth[classes].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        hot = scores >= 0.5
        table = truth[["image"]].copy()
        table["_line"] = range(2, len(truth) + 2)
        table["key"] = truth["image"].str.strip()
        invalid = (hot.sum(axis=1) != 1) | np.isnan(scores).any(axis=1)
        table["_class"] = [classes[i] for i in hot.argmax(axis=1)]
        table = self._reject_rows(
            table, invalid, [f"expected exactly one of {', '.join(classes)} set to 1, found "
                             f"{int(n)}" for n in hot.sum(axis=1)[invalid]],
            where=where, category="unknown diagnosis")
        outside = table["_class"].map(ISIC2019_TO_DX).isna().to_numpy()
        for key, code in zip(table["key"][outside], table["_class"][outside], strict=True):
            self.report.exclude(f"ISIC 2019 class {code} (no HAM10000 code)", key=key)
        table = table[~outside].reset_index(drop=True)
        table["dx"] = table["_class"].map(ISIC2019_TO_DX)
        if metadata_path is not None:
            extra = read_csv(metadata_path, required=ISIC2019_METADATA_REQUIRED)
            extra["image"] = extra["image"].str.strip()
            table = table.merge(extra.drop_duplicates("image"), how="left", left_on="key",
                                right_on="image", suffixes=("", "_metadata"))
        for column in ("age_approx", "sex", "anatom_site_general", "lesion_id"):
            if column not in table:
                table[column] = None
        table["age"] = table["age_approx"]
        table["site"] = table["anatom_site_general"]
        table["group"] = table["lesion_id"].fillna(table["key"])
        roots = [Path(r) for r in image_roots] if image_roots else [folder]
        table = attach_image_paths(self, table, roots, where=where)
        self._finish_table(table, where=where, column_names={
            "age": "age_approx", "site": "anatom_site_general"})


class Isic2020Reader(DatasetReader):
    """`path`: train.csv, or the folder holding it; images below `image_roots` (default: the
    folder of the table)."""

    format = "isic2020"

    def __init__(self, path: str | Path, *, image_roots: list[str | Path] | None = None,
                 skip_bad: bool = False) -> None:
        super().__init__(skip_bad=skip_bad)
        path = Path(path)
        metadata = path / "train.csv" if path.is_dir() else path
        where = str(metadata)
        raw = read_csv(metadata, required=ISIC2020_REQUIRED)
        table = raw.copy()
        table["_line"] = range(2, len(raw) + 2)
        table["key"] = raw["image_name"].str.strip()
        table["group"] = raw["patient_id"].fillna(table["key"])
        table["age"] = raw["age_approx"]
        table["site"] = raw["anatom_site_general_challenge"]
        target = pd.to_numeric(raw["target"], errors="coerce")
        table["target"] = target
        bad_target = ~target.isin([0, 1]).to_numpy()
        table = self._reject_rows(
            table, bad_target,
            [f"column 'target': {v!r} is not 0 or 1" for v in raw["target"][bad_target]],
            where=where, category="bad row")
        table = self._set_dx(table, table["diagnosis"], dx_from_isic2020, where=where,
                             column="diagnosis")
        roots = [Path(r) for r in image_roots] if image_roots else [metadata.parent]
        table = attach_image_paths(self, table, roots, where=where)
        self._finish_table(table, where=where, column_names={
            "age": "age_approx", "site": "anatom_site_general_challenge"})
