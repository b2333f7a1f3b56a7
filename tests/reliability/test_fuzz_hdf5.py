"""ISIC-2024-layout HDF5 files that try to make the reader open other files or read something
other than image bytes: external links, soft links, virtual datasets, external raw storage,
groups, arrays, numbers, and payloads that are not JPEG. Each entry is refused naming its key
(or skipped and counted); good entries beside them still read."""

from __future__ import annotations

import h5py
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from layouts import isic2024_table, jpeg
from tally import check, fuzz

from engine.datasets import BadInputError, open_dataset
from engine.datasets.hdf5 import open_hdf5, read_image_bytes


def unsafe_entries(file: h5py.File, folder) -> dict[str, str]:
    """Write one entry of each unsafe kind; key -> the word its refusal must contain."""
    outside = folder / "elsewhere.hdf5"
    with h5py.File(outside, "w") as other:
        other.create_dataset("secret", data=np.bytes_(jpeg(9)))
    (folder / "raw.bin").write_bytes(jpeg(8))
    file["EXTERNAL_LINK"] = h5py.ExternalLink(str(outside), "/secret")
    file.create_dataset("TARGET", data=np.bytes_(jpeg(7)))
    file["SOFT_LINK"] = h5py.SoftLink("/TARGET")
    layout = h5py.VirtualLayout(shape=(4,), dtype="u1")
    layout[:] = h5py.VirtualSource(str(outside), "secret", shape=(4,))
    file.create_virtual_dataset("VIRTUAL", layout)
    file.create_dataset("EXTERNAL_RAW", shape=(len(jpeg(8)),), dtype="u1",
                        external=[(str(folder / "raw.bin"), 0, len(jpeg(8)))])
    file.create_group("GROUP")
    file.create_dataset("ARRAY", data=np.frombuffer(jpeg(6), dtype=np.uint8))
    file.create_dataset("NUMBER", data=np.int64(42))
    file.create_dataset("HTML", data=np.bytes_(b"<script>window.__lesionlab_xss=1</script>"))
    file.create_dataset("TEXT_CSV", data=np.bytes_(b"isic_id,target\nISIC_1,0\n"))
    return {"EXTERNAL_LINK": "external link", "SOFT_LINK": "soft", "VIRTUAL": "virtual",
            "EXTERNAL_RAW": "external files", "GROUP": "group", "ARRAY": "not a scalar",
            "NUMBER": "not encoded image bytes", "HTML": "not a readable",
            "TEXT_CSV": "not a readable"}


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "train-image.hdf5"
    with h5py.File(path, "w") as file:
        expected = unsafe_entries(file, tmp_path)
        file.create_dataset("GOOD", data=np.bytes_(jpeg(1)))
    return path, expected


def test_each_unsafe_entry_is_refused_naming_its_key(hostile, tally):
    from engine.datasets.images import decode_image

    path, expected = hostile
    with open_hdf5(path) as file:
        for key, word in expected.items():
            def read(key=key):
                return decode_image(read_image_bytes(file, key), source=f"{path}[{key!r}]")
            _, message = check(tally, "hdf5 entry", BadInputError, read)
            assert message is not None, f"{key} was read"
            assert key in message and word in message, message
        pixels, message = check(tally, "hdf5 entry", BadInputError,
                                lambda: decode_image(read_image_bytes(file, "GOOD"),
                                                     source="GOOD"))
        assert message is None and pixels.shape == (16, 16, 3)


def test_the_reader_skips_unsafe_entries_and_keeps_the_good_ones(hostile, tally):
    path, expected = hostile
    keys = [*expected, "GOOD"]
    table = pd.concat([isic2024_table()] * 3, ignore_index=True).iloc[:len(keys)]
    table["isic_id"] = keys
    table.to_csv(path.parent / "train-metadata.csv", index=False)
    reader = open_dataset(path.parent, format="isic2024", skip_bad=True)
    records = list(reader)
    assert [record.key for record in records] == ["GOOD"]
    assert reader.report.total_skipped == len(expected)
    tally.event("isic2024 reader with unsafe HDF5 entries", entries=len(keys),
                read=len(records), skipped=reader.report.total_skipped)
    strict = open_dataset(path.parent, format="isic2024")
    with pytest.raises(BadInputError, match="EXTERNAL_LINK"):
        list(strict)


def test_a_file_that_is_not_hdf5_is_refused_naming_it(tmp_path, tally):
    path = tmp_path / "train-image.hdf5"
    path.write_bytes(jpeg(3))
    _, message = check(tally, "hdf5 file", BadInputError, lambda: open_hdf5(path))
    assert str(path) in message and "not a readable HDF5 file" in message


@fuzz(40)
@given(payload=st.one_of(st.binary(max_size=2048),
                         st.builds(lambda cut: jpeg(4)[:cut], st.integers(0, 600))))
def test_stored_payloads_that_are_not_jpeg_are_refused_or_decoded(tmp_path_factory, tally,
                                                                  payload):
    from engine.datasets.images import decode_image

    path = tmp_path_factory.mktemp("payload") / "train-image.hdf5"
    with h5py.File(path, "w") as file:
        file.create_dataset("ISIC_0000001", data=np.void(payload) if payload else np.bytes_(b""))
    with open_hdf5(path) as file:
        pixels, message = check(
            tally, "hdf5 payload", BadInputError,
            lambda: decode_image(read_image_bytes(file, "ISIC_0000001"),
                                 source=f"{path}['ISIC_0000001']"))
    if message is None:
        assert pixels.dtype == np.uint8 and pixels.shape[2] == 3
    else:
        assert "ISIC_0000001" in message
