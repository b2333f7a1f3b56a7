"""Untrusted image bytes: truncated, mislabelled, CMYK, 16-bit, greyscale, palette, bombs,
zero size and random damage. Each is decoded to RGB uint8 or refused with a message naming the
image; never a crash. Through the decoder, the TensorFlow gate and the folder reader."""

from __future__ import annotations

import numpy as np
import pytest
from csv_cases import byte_damage, damage
from hypothesis import given
from hypothesis import strategies as st
from image_cases import BAD, GOOD
from tally import check, fuzz

from engine.datasets import BadInputError, open_dataset
from engine.datasets.images import checked_for_tensorflow, decode_image


@pytest.mark.parametrize("name", list(GOOD))
def test_every_common_mode_becomes_rgb_uint8(tally, name):
    for target, action in (("decode_image", lambda: decode_image(GOOD[name], source=name)),
                           ("tensorflow gate", lambda: decode_image(
                               checked_for_tensorflow(GOOD[name], source=name), source=name))):
        pixels, message = check(tally, f"image {target}", BadInputError, action)
        assert message is None, f"{name} was refused: {message}"
        assert pixels.dtype == np.uint8 and pixels.shape == (18, 24, 3)


@pytest.mark.parametrize("name", list(BAD))
def test_broken_images_are_refused_naming_the_image(tally, name):
    source = f"upload/{name.replace(' ', '_')}.jpg"
    for target, action in (("decode_image", lambda: decode_image(BAD[name], source=source)),
                           ("tensorflow gate",
                            lambda: checked_for_tensorflow(BAD[name], source=source))):
        _, message = check(tally, f"image {target}", BadInputError, action)
        assert message is not None, f"{name} was accepted by {target}"
        assert source in message


def test_bombs_are_refused_before_any_pixel_is_decoded(tally):
    """The refusal comes from the header: no 2.5-gigapixel buffer is ever allocated."""
    for name in ("png bomb header", "png just over the pixel limit", "jpeg bomb header"):
        _, message = check(tally, "image decode_image", BadInputError,
                           lambda name=name: decode_image(BAD[name], source=name))
        assert f"image {name} is too large" in message and "pixels" in message


def test_folder_reader_skips_and_counts_every_bad_file(tmp_path, tally):
    root = tmp_path / "by-class"
    for folder in ("mel", "nv"):
        (root / folder).mkdir(parents=True)
    for index, data in enumerate(GOOD.values()):
        suffix = ".png" if index % 2 else ".jpg"  # wrong extensions on purpose
        (root / ("mel" if index % 2 else "nv") / f"good_{index}{suffix}").write_bytes(data)
    for index, data in enumerate(BAD.values()):
        (root / "mel" / f"bad_{index}.jpg").write_bytes(data)
    (root / "melanoma").mkdir()
    (root / "melanoma" / "misfiled.jpg").write_bytes(GOOD["rgb jpeg"])

    reader = open_dataset(root, format="folder", skip_bad=True)
    records = list(reader)
    assert len(records) == len(GOOD)
    assert all(record.image.dtype == np.uint8 for record in records)
    assert reader.report.total_skipped == len(BAD) + 1  # + the unknown class folder
    tally.event("folder reader with bad files", files=len(GOOD) + len(BAD) + 1,
                read=len(records), skipped=reader.report.total_skipped)
    with pytest.raises(BadInputError, match="misfiled.jpg"):
        open_dataset(root, format="folder")


@fuzz(150)
@given(base=st.sampled_from(sorted(GOOD)), edits=byte_damage())
def test_damaged_image_bytes_decode_or_are_refused(tally, base, edits):
    data = damage(GOOD[base], edits)
    pixels, message = check(tally, "image decode_image (damaged bytes)", BadInputError,
                            lambda: decode_image(data, source="fuzzed.jpg"))
    if message is None:
        assert pixels.dtype == np.uint8 and pixels.ndim == 3 and pixels.shape[2] == 3
    else:
        assert "fuzzed.jpg" in message
    gated, message = check(tally, "image tensorflow gate (damaged bytes)", BadInputError,
                           lambda: checked_for_tensorflow(data, source="fuzzed.jpg"))
    if message is None:
        check(tally, "image decode after the gate (damaged bytes)", BadInputError,
              lambda: decode_image(gated, source="fuzzed.jpg"))
