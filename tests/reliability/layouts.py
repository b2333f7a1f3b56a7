"""Small data sets in every CSV-based layout (tables plus images, or an HDF5 file), written
fresh for each case so that a broken table or file never leaks into the next one."""

from __future__ import annotations

import io
import itertools

import h5py
import numpy as np
import pandas as pd
from PIL import Image

from engine.datasets.columns import ISIC2024_COLUMNS

ROWS = 4
IDS = [f"ISIC_{n:07d}" for n in range(1, ROWS + 1)]
_folders = itertools.count()


def jpeg(seed: int, side: int = 16) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, (side, side, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG")
    return buffer.getvalue()


def ham_table() -> pd.DataFrame:
    return pd.DataFrame({
        "lesion_id": [f"HAM_{n:07d}" for n in range(ROWS)], "image_id": IDS,
        "dx": ["mel", "nv", "bkl", "bcc"], "dx_type": "histo", "age": ["55", "40", "", "70"],
        "sex": ["male", "female", "unknown", "male"],
        "localization": ["back", "face", "lower extremity", "trunk"]})


def isic2020_table() -> pd.DataFrame:
    return pd.DataFrame({
        "image_name": IDS, "patient_id": ["IP_1", "IP_1", "IP_2", "IP_3"],
        "sex": ["male", "female", "", "male"], "age_approx": ["45.0", "50.0", "", "70.0"],
        "anatom_site_general_challenge": ["torso", "head/neck", "", "lower extremity"],
        "diagnosis": ["nevus", "melanoma", "unknown", "seborrheic keratosis"],
        "benign_malignant": ["benign", "malignant", "benign", "benign"],
        "target": ["0", "1", "0", "0"]})


def isic2019_table() -> pd.DataFrame:
    table = pd.DataFrame({"image": IDS})
    for column in ("MEL", "NV", "BCC", "AK", "BKL", "DF", "VASC", "SCC", "UNK"):
        table[column] = "0.0"
    for row, column in enumerate(("MEL", "NV", "BCC", "SCC")):
        table.loc[row, column] = "1.0"
    return table


def isic2024_table() -> pd.DataFrame:
    table = pd.DataFrame({column: [""] * ROWS for column in ISIC2024_COLUMNS})
    table["isic_id"] = IDS
    table["target"] = ["0", "1", "0", "1"]
    table["patient_id"] = ["IP_1", "IP_1", "IP_2", "IP_3"]
    table["age_approx"] = ["60.0", "60.0", "", "35.0"]
    table["sex"] = ["male", "male", "", "female"]
    table["anatom_site_general"] = ["posterior torso", "head/neck", "", "lower extremity"]
    table["iddx_full"] = ["Benign", "Malignant::Malignant melanocytic proliferations "
                          "(Melanoma)::Melanoma Invasive", "Benign", "Malignant"]
    return table


LAYOUTS = {
    # format: (table, file the table is written to, how images are stored)
    "ham10000": (ham_table, "HAM10000_metadata.csv", "files"),
    "isic2020": (isic2020_table, "train.csv", "files"),
    "isic2019": (isic2019_table, "ISIC_2019_Training_GroundTruth.csv", "files"),
    "isic2024": (isic2024_table, "train-metadata.csv", "hdf5"),
}


def layout(root, fmt: str, *, table: pd.DataFrame | None = None, raw: bytes | None = None):
    """A fresh folder of `fmt` with the (changed) table or raw CSV bytes, and its images."""
    folder = root / f"{fmt}-{next(_folders)}"
    folder.mkdir()
    make_table, name, storage = LAYOUTS[fmt]
    if raw is None:
        raw = (make_table() if table is None else table).to_csv(index=False).encode("utf-8")
    (folder / name).write_bytes(raw)
    if storage == "hdf5":
        with h5py.File(folder / "train-image.hdf5", "w") as file:
            for seed, key in enumerate(IDS):
                file.create_dataset(key, data=np.bytes_(jpeg(seed)))
    else:
        for seed, key in enumerate(IDS):
            (folder / f"{key}.jpg").write_bytes(jpeg(seed))
    return folder
