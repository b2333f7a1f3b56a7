"""ISIC 2019, ISIC 2020 and folder-per-class readers."""

from __future__ import annotations

import pandas as pd
import pytest

from engine.datasets import BadInputError, open_dataset

from .conftest import jpeg_bytes

ONE_HOT = ["MEL", "NV", "BCC", "AK", "BKL", "DF", "VASC", "SCC", "UNK"]


def write_images(folder, names, size=40):
    folder.mkdir(parents=True, exist_ok=True)
    for index, name in enumerate(names):
        (folder / f"{name}.jpg").write_bytes(jpeg_bytes(size + index, size, seed=index))


@pytest.fixture
def isic2019_dir(tmp_path):
    root = tmp_path / "isic2019"
    classes = ["MEL", "NV", "AK", "SCC", "UNK", "VASC"]
    names = [f"ISIC_00000{i:02d}" for i in range(len(classes))]
    truth = pd.DataFrame(0.0, index=range(len(names)), columns=ONE_HOT)
    for row, code in enumerate(classes):
        truth.loc[row, code] = 1.0
    truth.insert(0, "image", names)
    write_images(root / "ISIC_2019_Training_Input", names)
    truth.to_csv(root / "ISIC_2019_Training_GroundTruth.csv", index=False)
    pd.DataFrame({
        "image": names, "age_approx": [55, "", 40, 70, 30, 20],
        "anatom_site_general": ["anterior torso", "head/neck", "", "palms/soles",
                                "lower extremity", "oral/genital"],
        "lesion_id": ["BCN_1", "BCN_1", "", "BCN_3", "BCN_4", "BCN_5"],
        "sex": ["male", "female", "", "male", "female", "male"],
    }).to_csv(root / "ISIC_2019_Training_Metadata.csv", index=False)
    return root


def test_isic2019_maps_classes_and_excludes_scc_and_unk(isic2019_dir):
    reader = open_dataset(isic2019_dir, format="isic2019")
    table = reader.metadata().set_index("key")
    assert table["dx"].to_dict() == {"ISIC_0000000": "mel", "ISIC_0000001": "nv",
                                     "ISIC_0000002": "akiec", "ISIC_0000005": "vasc"}
    assert table.loc["ISIC_0000002", "group"] == "ISIC_0000002"  # no lesion_id: own group
    assert table.loc["ISIC_0000001", "group"] == "BCN_1"
    assert table.loc["ISIC_0000005", "site"] == "oral/genital"
    assert reader.report.total_excluded == 2 and reader.report.total_skipped == 0
    assert [r.image.shape for r in reader][0] == (40, 40, 3)


def test_isic2019_row_without_one_class_is_named(isic2019_dir):
    path = isic2019_dir / "ISIC_2019_Training_GroundTruth.csv"
    truth = pd.read_csv(path)
    truth.loc[1, "MEL"] = 1.0
    truth.to_csv(path, index=False)
    with pytest.raises(BadInputError, match=r"GroundTruth.csv, line 3 \(ISIC_0000001\): "
                                            r"expected exactly one"):
        open_dataset(isic2019_dir, format="isic2019")
    assert len(open_dataset(isic2019_dir, format="isic2019", skip_bad=True)) == 3


@pytest.fixture
def isic2020_dir(tmp_path):
    root = tmp_path / "isic2020"
    names = ["ISIC_2637011", "ISIC_0015719", "ISIC_0052212", "ISIC_0068279"]
    write_images(root / "jpeg" / "train", names)
    pd.DataFrame({
        "image_name": names, "patient_id": ["IP_7279968", "IP_3075186", "IP_7279968", ""],
        "sex": ["male", "female", "male", ""], "age_approx": [45, 45, "", 45],
        "anatom_site_general_challenge": ["head/neck", "upper extremity", "torso", ""],
        "diagnosis": ["unknown", "nevus", "melanoma", "lentigo NOS"],
        "benign_malignant": ["benign", "benign", "malignant", "benign"],
        "target": [0, 0, 1, 0],
    }).to_csv(root / "train.csv", index=False)
    return root


def test_isic2020_reads_labels_groups_and_sites(isic2020_dir):
    reader = open_dataset(isic2020_dir, format="isic2020")
    table = reader.metadata().set_index("key")
    assert table["dx"].to_dict() == {"ISIC_2637011": None, "ISIC_0015719": "nv",
                                     "ISIC_0052212": "mel", "ISIC_0068279": "bkl"}
    assert table["group"].tolist() == ["IP_7279968", "IP_3075186", "IP_7279968",
                                       "ISIC_0068279"]
    assert table.loc["ISIC_0052212", "site"] == "trunk"
    assert table["target"].tolist() == [0, 0, 1, 0]
    assert len(list(reader)) == 4


def test_isic2020_unknown_diagnosis_is_named(isic2020_dir):
    path = isic2020_dir / "train.csv"
    table = pd.read_csv(path, dtype=str)
    table.loc[3, "diagnosis"] = "wart"
    table.to_csv(path, index=False)
    with pytest.raises(BadInputError, match=r"line 5 \(ISIC_0068279\): column 'diagnosis': "
                                            r"unknown ISIC 2020 diagnosis 'wart'"):
        open_dataset(isic2020_dir, format="isic2020")


def test_folder_per_class(tmp_path):
    write_images(tmp_path / "mel", ["a", "b"])
    write_images(tmp_path / "nv" / "nested", ["c"])
    (tmp_path / "nv" / "notes.txt").write_text("not an image")
    reader = open_dataset(tmp_path, format="folder")
    assert reader.metadata()[["key", "dx", "sex"]].values.tolist() == [
        ["a", "mel", "unknown"], ["b", "mel", "unknown"], ["c", "nv", "unknown"]]
    assert sorted(r.dx for r in reader) == ["mel", "mel", "nv"]


def test_folder_with_unknown_class_name(tmp_path):
    write_images(tmp_path / "mel", ["a"])
    write_images(tmp_path / "melanoma", ["b"])
    with pytest.raises(BadInputError, match=r"b.jpg: class folder 'melanoma': unknown "
                                            r"diagnosis"):
        open_dataset(tmp_path, format="folder")
    reader = open_dataset(tmp_path, format="folder", skip_bad=True)
    assert len(reader) == 1 and reader.report.skipped == {"unknown diagnosis": 1}


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown data set format 'isic2018'"):
        open_dataset(tmp_path, format="isic2018")
