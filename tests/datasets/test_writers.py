"""Writers: round trip through the readers, atomic completion, no silent overwrite."""

from __future__ import annotations

import errno
import os

import numpy as np
import pandas as pd
import pytest

from engine.datasets import open_dataset, open_writer
from engine.datasets.columns import ISIC2024_COLUMNS


def images(count: int) -> list[np.ndarray]:
    """Smooth images of different sizes (JPEG keeps them close to the original)."""
    out = []
    for index in range(count):
        y, x = np.mgrid[0:50 + 7 * index, 0:60]
        out.append(np.stack([x * 3, y * 2, x + y + 40 * index], axis=2).astype(np.uint8))
    return out


ROWS = [
    {"dx": "mel", "age": 55, "sex": "female", "site": "face", "diameter_mm": 7.5,
     "skin_type": 2, "patient_id": "P1"},
    {"dx": "nv", "age": None, "sex": "unknown", "site": "unknown", "diameter_mm": 3.0,
     "skin_type": 4, "patient_id": "P2"},
    {"dx": "bcc", "age": 80, "sex": "male", "site": "back", "diameter_mm": 12.0,
     "skin_type": 1, "patient_id": "P1", "criteria": "arborizing vessels"},
]


@pytest.mark.parametrize("format", ["isic2024", "ham10000"])
def test_round_trip_through_the_reader(tmp_path, format):
    out = tmp_path / "synthetic"
    originals = images(3)
    with open_writer(out, format=format, columns=("dx", "skin_type")) as writer:
        for index, (image, row) in enumerate(zip(originals, ROWS, strict=True)):
            writer.add(f"SYN_{index:07d}", image, row)
    reader = open_dataset(out, format=format)
    records = list(reader)
    assert [r.key for r in records] == ["SYN_0000000", "SYN_0000001", "SYN_0000002"]
    for record, image, row in zip(records, originals, ROWS, strict=True):
        assert record.image.shape == image.shape
        assert np.abs(record.image.astype(int) - image).mean() < 6  # JPEG quality 95
        assert record.dx == row["dx"]
        assert record.row["sex"] == row["sex"] and record.row["site"] == row["site"]
        assert record.row["age"] == row["age"]
        assert str(record.row["skin_type"]) == str(row["skin_type"])
    assert records[2].row["criteria"] == "arborizing vessels"
    if format == "isic2024":
        table = pd.read_csv(out / "train-metadata.csv")
        assert list(table.columns[:55]) == list(ISIC2024_COLUMNS)
        assert table["anatom_site_general"].tolist()[::2] == ["head/neck", "posterior torso"]
        assert table["target"].tolist() == [1, 0, 1]
        assert [r.group for r in records] == ["P1", "P2", "P1"]
    else:
        assert (out / "images" / "SYN_0000000.jpg").is_file()


@pytest.mark.parametrize("format", ["isic2024", "ham10000"])
def test_values_holding_line_breaks_stay_in_their_row(tmp_path, format):
    out = tmp_path / "synthetic"
    comments = ["x\r=1+2", "two\nlines", "plain"]
    with open_writer(out, format=format) as writer:
        for index, (image, comment) in enumerate(zip(images(3), comments, strict=True)):
            writer.add(f"SYN_{index:07d}", image, {**ROWS[0], "comment": comment})
    records = list(open_dataset(out, format=format))
    assert [record.row["comment"] for record in records] == comments


def test_interrupted_writer_leaves_nothing_that_looks_complete(tmp_path):
    out = tmp_path / "synthetic"
    with pytest.raises(KeyboardInterrupt), open_writer(out, format="isic2024") as writer:
        writer.add("SYN_1", images(1)[0], ROWS[0])
        assert any(p.name.startswith("synthetic.partial-") for p in tmp_path.iterdir())
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_existing_output_is_kept_unless_overwrite(tmp_path):
    out = tmp_path / "synthetic"
    out.mkdir()
    (out / "keep.txt").write_text("earlier work")
    with pytest.raises(ValueError, match="is not empty"):
        open_writer(out, format="ham10000")
    with open_writer(out, format="ham10000", overwrite=True) as writer:
        writer.add("SYN_1", images(1)[0], ROWS[0])
    assert sorted(p.name for p in out.iterdir()) == ["HAM10000_metadata.csv", "images"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["synthetic"]


@pytest.mark.parametrize(("image_id", "image", "message"), [
    ("../escape", np.zeros((4, 4, 3), np.uint8), "image id '../escape'"),
    ("SYN_1", np.zeros((4, 4), np.uint8), r"shape \(height, width, 3\)"),
    ("SYN_1", np.zeros((4, 4, 3), np.float32), "must be uint8"),
])
def test_bad_items_are_refused(tmp_path, image_id, image, message):
    with open_writer(tmp_path / "out", format="isic2024") as writer, pytest.raises(
            ValueError, match=message):
        writer.add(image_id, image, {})


def test_duplicate_id_is_refused(tmp_path):
    with open_writer(tmp_path / "out", format="ham10000") as writer:
        writer.add("SYN_1", images(1)[0], ROWS[0])
        with pytest.raises(ValueError, match="added twice"):
            writer.add("SYN_1", images(1)[0], ROWS[0])


@pytest.mark.parametrize("format", ["isic2024", "ham10000"])
def test_a_full_disk_while_finishing_leaves_nothing(tmp_path, monkeypatch, format):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pd.DataFrame, "to_csv", full_disk)
    out = tmp_path / "synthetic"
    with pytest.raises(OSError, match=r"could not write .*metadata\.csv: No space left on "
                       r"device \(is the disk full\?\); nothing was written to ") as caught:
        with open_writer(out, format=format) as writer:
            writer.add("SYN_1", images(1)[0], ROWS[0])
    assert caught.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


def test_a_failed_image_write_ends_the_writer(tmp_path, monkeypatch):
    from engine.datasets import writers

    def full_disk(writer, image_id, jpeg):
        raise OSError(errno.ENOSPC, "Can't write data (multi-line HDF5 text\n...)")

    out = tmp_path / "synthetic"
    writer = open_writer(out, format="isic2024")
    monkeypatch.setattr(writers.Isic2024Writer, "_store", full_disk)
    with pytest.raises(OSError) as caught:
        writer.add("SYN_1", images(1)[0], ROWS[0])
    assert str(caught.value) == (
        f"[Errno {errno.ENOSPC}] could not write image SYN_1 into {writer.partial_dir}/"
        f"train-image.hdf5: No space left on device (is the disk full?); nothing was written "
        f"to {out}")
    monkeypatch.undo()
    with pytest.raises(ValueError, match="an earlier write failed"):
        writer.add("SYN_2", images(1)[0], ROWS[0])
    with pytest.raises(OSError, match="an earlier write failed"):
        writer.close()  # a caller that swallowed the error gets no complete-looking folder
    assert list(tmp_path.iterdir()) == []
