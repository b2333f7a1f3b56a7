"""ISIC 2024 reader: 55 real columns, variable-size JPEGs, missing values, unsafe HDF5."""

from __future__ import annotations

import h5py
import numpy as np
import pandas as pd
import pytest

from engine.datasets import BadInputError, open_dataset
from engine.datasets.columns import ISIC2024_COLUMNS

from .conftest import jpeg_bytes


def test_reads_images_rows_and_labels(isic2024_dir):
    reader = open_dataset(isic2024_dir, format="isic2024")
    assert len(ISIC2024_COLUMNS) == 55
    records = {r.key: r for r in reader}
    assert [records[k].image.shape[0] for k in sorted(records)] == [61, 90, 119, 148, 177, 206]
    labels = {k: (r.dx, r.row["target"]) for k, r in records.items()}
    assert labels == {
        "ISIC_0000001": (None, 0), "ISIC_0000002": ("mel", 1), "ISIC_0000003": ("bcc", 1),
        "ISIC_0000004": ("nv", 0), "ISIC_0000005": (None, 0), "ISIC_0000006": (None, 1)}
    third = records["ISIC_0000003"].row
    assert third["age"] is None and third["sex"] == "unknown" and third["diameter_mm"] is None
    assert records["ISIC_0000004"].row["site"] == "unknown"
    assert records["ISIC_0000001"].row["site"] == "back"
    assert records["ISIC_0000001"].row["tbp_lv_A"] == "20.5"
    assert records["ISIC_0000002"].group == "IP_001"


def test_dx_column_takes_precedence_over_iddx(isic2024_dir):
    path = isic2024_dir / "train-metadata.csv"
    table = pd.read_csv(path, dtype=str)
    table["dx"] = ["bkl", "", "", "", "df", ""]
    table.to_csv(path, index=False)
    dx = open_dataset(isic2024_dir, format="isic2024").metadata().set_index("key")["dx"]
    assert dx.to_dict() == {"ISIC_0000001": "bkl", "ISIC_0000002": "mel",
                            "ISIC_0000003": "bcc", "ISIC_0000004": "nv",
                            "ISIC_0000005": "df", "ISIC_0000006": None}


def test_unknown_dx_code_and_bad_target_name_the_row(isic2024_dir):
    path = isic2024_dir / "train-metadata.csv"
    table = pd.read_csv(path, dtype=str)
    table["dx"] = ["", "", "", "", "SCC", ""]
    table.loc[0, "target"] = "yes"
    table.to_csv(path, index=False)
    with pytest.raises(BadInputError, match=r"line 2 \(ISIC_0000001\): column 'target'"):
        open_dataset(isic2024_dir, format="isic2024")
    reader = open_dataset(isic2024_dir, format="isic2024", skip_bad=True)
    assert len(reader) == 4
    assert reader.report.skipped == {"bad row": 1, "unknown diagnosis": 1}
    assert any("line 6 (ISIC_0000005): column 'dx'" in m for _, m in reader.report.examples)


def test_renamed_column_is_named(isic2024_dir):
    path = isic2024_dir / "train-metadata.csv"
    pd.read_csv(path, dtype=str).rename(columns={"patient_id": "patient"}).to_csv(
        path, index=False)
    with pytest.raises(BadInputError, match=r"train-metadata.csv: missing column\(s\) "
                                            r"'patient_id' \(found 'patient'"):
        open_dataset(isic2024_dir, format="isic2024")


def test_row_without_image_in_hdf5(isic2024_dir):
    with h5py.File(isic2024_dir / "train-image.hdf5", "a") as file:
        del file["ISIC_0000004"]
    with pytest.raises(BadInputError, match=r"line 5 \(ISIC_0000004\): no image "
                                            r"'ISIC_0000004'"):
        open_dataset(isic2024_dir, format="isic2024")
    assert len(open_dataset(isic2024_dir, format="isic2024", skip_bad=True)) == 5


def replace_entry(folder, key, make):
    with h5py.File(folder / "train-image.hdf5", "a") as file:
        del file[key]
        make(file, key)


def external_link(file, key):
    with h5py.File(file.filename.replace("train-image", "other"), "w") as other:
        other.create_dataset("x", data=np.bytes_(jpeg_bytes(10, 10)))
    file[key] = h5py.ExternalLink("other.hdf5", "x")


def soft_link(file, key):
    file[key] = h5py.SoftLink("/ISIC_0000001")


def virtual_dataset(file, key):
    layout = h5py.VirtualLayout(shape=(4,), dtype="uint8")
    layout[:] = h5py.VirtualSource("elsewhere.h5", "data", shape=(4,))
    file.create_virtual_dataset(key, layout)


def array_of_numbers(file, key):
    file.create_dataset(key, data=np.arange(12.0))


def scalar_number(file, key):
    file.create_dataset(key, data=3.5)


def group(file, key):
    file.create_group(key)


@pytest.mark.parametrize(("make", "message"), [
    (external_link, "is an external link to other.hdf5:x"),
    (soft_link, "is a soft or user-defined link"),
    (virtual_dataset, "is a virtual dataset"),
    (array_of_numbers, "is not a scalar"),
    (scalar_number, "not encoded image bytes"),
    (group, "is a group"),
])
def test_unsafe_hdf5_entries_are_refused(isic2024_dir, make, message):
    replace_entry(isic2024_dir, "ISIC_0000002", make)
    with pytest.raises(BadInputError, match=message) as caught:
        list(open_dataset(isic2024_dir, format="isic2024"))
    assert "ISIC_0000002" in str(caught.value)
    reader = open_dataset(isic2024_dir, format="isic2024", skip_bad=True)
    assert len(list(reader)) == 5
    assert reader.report.skipped == {"unsafe HDF5 entry": 1}


def test_corrupt_jpeg_in_hdf5_is_named(isic2024_dir):
    half = jpeg_bytes(80, 80)[:1000]
    replace_entry(isic2024_dir, "ISIC_0000003",
                  lambda file, key: file.create_dataset(key, data=np.bytes_(half)))
    with pytest.raises(BadInputError, match=r"train-image.hdf5\['ISIC_0000003'\] is "
                                            r"truncated"):
        list(open_dataset(isic2024_dir, format="isic2024"))


def test_not_an_hdf5_file(isic2024_dir):
    (isic2024_dir / "train-image.hdf5").write_bytes(b"plain text")
    with pytest.raises(BadInputError, match="is not a readable HDF5 file"):
        open_dataset(isic2024_dir, format="isic2024")
