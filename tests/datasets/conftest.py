"""Fixtures for the data set tests: real HAM10000 images, and ISIC-layout files written here."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from engine.datasets.columns import ISIC2024_COLUMNS

HAM_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ham10000"


def jpeg_bytes(width: int, height: int, *, seed: int = 0, quality: int = 90) -> bytes:
    rng = np.random.default_rng(seed)
    pixels = np.clip(rng.normal(150, 30, (height, width, 3)), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def ham_metadata() -> pd.DataFrame:
    return pd.read_csv(HAM_FIXTURES / "HAM10000_metadata.csv", dtype=str)


@pytest.fixture
def ham_official(tmp_path) -> Path:
    """HAM10000 as published: the table and two flat image folders."""
    root = tmp_path / "ham_official"
    images = sorted((HAM_FIXTURES / "images").glob("*.jpg"))
    for index, image in enumerate(images):
        part = root / f"HAM10000_images_part_{1 + index % 2}"
        part.mkdir(parents=True, exist_ok=True)
        shutil.copy(image, part / image.name)
    shutil.copy(HAM_FIXTURES / "HAM10000_metadata.csv", root / "HAM10000_metadata.csv")
    return root


@pytest.fixture
def ham_by_class(tmp_path) -> Path:
    """The same images in one folder per diagnosis; the table beside them."""
    root = tmp_path / "ham_by_class"
    for row in ham_metadata().itertuples():
        folder = root / "images" / row.dx
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(HAM_FIXTURES / "images" / f"{row.image_id}.jpg", folder)
    shutil.copy(HAM_FIXTURES / "HAM10000_metadata.csv", root / "HAM10000_metadata.csv")
    return root


ISIC2024_ROWS = [
    # isic_id, target, patient_id, age, sex, site, diameter, iddx_full
    ("ISIC_0000001", 0, "IP_001", "60.0", "male", "posterior torso", "3.1", "Benign"),
    ("ISIC_0000002", 1, "IP_001", "60.0", "male", "head/neck", "7.2",
     "Malignant::Malignant melanocytic proliferations (Melanoma)::Melanoma Invasive"),
    ("ISIC_0000003", 1, "IP_002", "", "", "upper extremity", "",
     "Malignant::Malignant adnexal epithelial proliferations - Follicular::"
     "Basal cell carcinoma::Basal cell carcinoma, Nodular"),
    ("ISIC_0000004", 0, "IP_003", "45.0", "female", "", "2.5",
     "Benign::Benign melanocytic proliferations::Nevus"),
    ("ISIC_0000005", 0, "IP_004", "30.0", "female", "lower extremity", "4.0", ""),
    ("ISIC_0000006", 1, "IP_004", "30.0", "female", "anterior torso", "5.5",
     "Malignant::Malignant epidermal proliferations::Squamous cell carcinoma, Invasive"),
]


def write_isic2024(folder: Path, *, rows=ISIC2024_ROWS, sizes=None) -> Path:
    """An ISIC 2024 layout with all 55 columns, JPEGs of varied sizes, missing values."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = sizes or [61 + 29 * i for i in range(len(rows))]
    table = pd.DataFrame(columns=ISIC2024_COLUMNS, index=range(len(rows)), dtype=object)
    with h5py.File(folder / "train-image.hdf5", "w") as file:
        for index, (isic_id, target, patient, age, sex, site, diameter, iddx) in enumerate(rows):
            side = sizes[index]
            file.create_dataset(isic_id, data=np.bytes_(jpeg_bytes(side, side, seed=index)))
            table.loc[index, ["isic_id", "target", "patient_id", "age_approx", "sex",
                              "anatom_site_general", "clin_size_long_diam_mm", "iddx_full"]] = [
                isic_id, target, patient, age, sex, site, diameter, iddx]
            table.loc[index, "iddx_1"] = iddx.split("::")[0]
            table.loc[index, "image_type"] = "TBP tile: close-up"
            table.loc[index, "tbp_lv_A"] = 20.5 + index
    table.to_csv(folder / "train-metadata.csv", index=False)
    return folder


@pytest.fixture
def isic2024_dir(tmp_path) -> Path:
    return write_isic2024(tmp_path / "isic2024")
