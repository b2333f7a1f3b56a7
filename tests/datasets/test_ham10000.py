"""HAM10000 reader on real images: both layouts, and every kind of bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from engine.datasets import BadInputError, open_dataset

from .conftest import ham_metadata


@pytest.mark.parametrize("layout", ["ham_official", "ham_by_class"])
def test_reads_real_images_in_both_layouts(layout, request):
    root = request.getfixturevalue(layout)
    reader = open_dataset(root, format="ham10000")
    expected = ham_metadata().set_index("image_id")
    assert len(reader) == len(expected) == 14
    records = list(reader)
    assert {r.key for r in records} == set(expected.index)
    for record in records:
        truth = expected.loc[record.key]
        assert record.image.shape == (112, 150, 3) and record.image.dtype == "uint8"
        assert record.dx == truth["dx"] and record.group == truth["lesion_id"]
        assert record.row["age"] == float(truth["age"])
        assert record.row["sex"] == truth["sex"]
        assert record.row["site"] == truth["localization"]
        assert record.row["dx_type"] == truth["dx_type"]
        assert record.source.endswith(f"{record.key}.jpg")


def test_metadata_has_standard_columns_without_decoding(ham_official):
    for image in ham_official.rglob("*.jpg"):
        image.write_bytes(b"not decoded by metadata()")
    table = open_dataset(ham_official, format="ham10000").metadata()
    assert list(table.columns[:7]) == ["key", "group", "dx", "age", "sex", "site", "source"]
    assert sorted(table["dx"].unique()) == ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"]


def edit_table(root, *, row=None, column=None, value=None, rename=None):
    path = root / "HAM10000_metadata.csv"
    table = pd.read_csv(path, dtype=str)
    if row is not None:
        table.loc[row, column] = value
    table.rename(columns=rename or {}).to_csv(path, index=False)


def test_missing_image_names_the_row(ham_official):
    missing = next(ham_official.rglob("ISIC_0025317.jpg"))
    missing.unlink()
    with pytest.raises(BadInputError, match=r"line 11 \(ISIC_0025317\): image file "
                                            r"ISIC_0025317.jpg not found"):
        open_dataset(ham_official, format="ham10000")
    reader = open_dataset(ham_official, format="ham10000", skip_bad=True)
    assert len(reader) == 13
    assert reader.report.skipped["missing image"] == 1


def test_unknown_diagnosis_names_row_and_column(ham_official):
    edit_table(ham_official, row=2, column="dx", value="melanoma")
    with pytest.raises(BadInputError, match=r"line 4 \(ISIC_0027175\): column 'dx': unknown "
                                            r"diagnosis 'melanoma'"):
        open_dataset(ham_official, format="ham10000")
    reader = open_dataset(ham_official, format="ham10000", skip_bad=True)
    assert len(reader) == 13 and reader.report.skipped["unknown diagnosis"] == 1


def test_bad_site_names_the_original_column(ham_official):
    edit_table(ham_official, row=0, column="localization", value="elbow")
    with pytest.raises(BadInputError, match=r"line 2 .*column 'localization': unknown "
                                            r"anatomic site 'elbow'"):
        open_dataset(ham_official, format="ham10000")


@pytest.mark.parametrize(("rename", "message"), [
    ({"dx": "diagnosis"}, r"missing column\(s\) 'dx'"),
    ({"localization": "localisation"}, r"'localization' \(found 'localisation' — renamed\?\)"),
])
def test_missing_or_renamed_column_names_file_and_column(ham_official, rename, message):
    edit_table(ham_official, rename=rename)
    for skip_bad in (False, True):
        with pytest.raises(BadInputError, match=message) as caught:
            open_dataset(ham_official, format="ham10000", skip_bad=skip_bad)
        assert "HAM10000_metadata.csv" in str(caught.value)


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_corrupt_image_raises_or_is_skipped(ham_official, damage):
    target = next(ham_official.rglob("ISIC_0024354.jpg"))
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 3] if damage == "truncate" else b"GIF89a garbage")
    with pytest.raises(BadInputError, match="ISIC_0024354.jpg"):
        list(open_dataset(ham_official, format="ham10000"))
    reader = open_dataset(ham_official, format="ham10000", skip_bad=True)
    assert len(list(reader)) == 13
    assert len(list(reader)) == 13  # a second pass counts the same file once
    assert reader.report.skipped == {"corrupt image": 1}
    assert "ISIC_0024354.jpg" in reader.report.examples[0][1]


def test_missing_metadata_file_is_named(tmp_path):
    with pytest.raises(BadInputError, match="HAM10000_metadata.csv does not exist"):
        open_dataset(tmp_path, format="ham10000")
