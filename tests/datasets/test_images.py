"""Safe decoding: every mode becomes RGB uint8; bad bytes raise naming the source."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from engine.datasets.errors import BadInputError
from engine.datasets.images import checked_for_tensorflow, decode_image, image_size

from .conftest import jpeg_bytes


def encoded(image: Image.Image, format: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format)
    return buffer.getvalue()


@pytest.mark.parametrize(("mode", "format"), [
    ("RGB", "JPEG"), ("L", "JPEG"), ("CMYK", "JPEG"), ("LA", "PNG"), ("P", "PNG"),
    ("RGBA", "PNG"), ("I;16", "PNG"), ("1", "PNG"), ("RGB", "BMP"),
])
def test_any_mode_becomes_rgb_uint8(mode, format):
    image = Image.new(mode, (7, 5))
    decoded = decode_image(encoded(image, format), source="x")
    assert decoded.dtype == np.uint8
    assert decoded.shape == (5, 7, 3)


def test_sixteen_bit_grey_is_scaled_not_clipped():
    values = np.array([[0, 32768, 65535]], dtype=np.uint16)
    decoded = decode_image(encoded(Image.fromarray(values), "PNG"), source="x")
    assert decoded[0, :, 0].tolist() == [0, 128, 255]


def test_truncated_jpeg_names_the_source():
    data = jpeg_bytes(64, 64)
    with pytest.raises(BadInputError, match="lesion.jpg is truncated") as caught:
        decode_image(data[: len(data) // 2], source="lesion.jpg")
    assert caught.value.category == "corrupt image"
    with pytest.raises(BadInputError, match="lesion.jpg is truncated"):
        checked_for_tensorflow(data[: len(data) // 2], source="lesion.jpg")


def test_corrupt_and_empty_bytes_are_refused():
    with pytest.raises(BadInputError, match="a.jpg is not a readable"):
        decode_image(b"definitely not an image", source="a.jpg")
    with pytest.raises(BadInputError, match="b.jpg is empty"):
        decode_image(b"", source="b.jpg")
    data = bytearray(jpeg_bytes(64, 64))
    data[len(data) // 2: len(data) // 2 + 64] = b"\xff\xa5" * 32  # an invalid marker
    with pytest.raises(BadInputError, match="c.jpg is truncated or corrupt"):
        decode_image(bytes(data), source="c.jpg")


def test_pixel_limit_is_honoured_before_decoding(monkeypatch):
    data = jpeg_bytes(100, 100)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)
    for check in (decode_image, checked_for_tensorflow, image_size):
        with pytest.raises(BadInputError, match="big.jpg is too large") as caught:
            check(data, source="big.jpg")
        assert caught.value.category == "image too large"


def test_real_decompression_bomb_is_refused():
    bomb = encoded(Image.new("1", (20000, 10000)), "PNG")  # 200 Mpixel, a few kB
    assert len(bomb) < 100_000
    with pytest.raises(BadInputError, match="bomb.png is too large"):
        decode_image(bomb, source="bomb.png")


def test_tensorflow_gate_passes_plain_jpeg_and_reencodes_others():
    data = jpeg_bytes(30, 20)
    assert checked_for_tensorflow(data, source="x") is data
    cmyk = encoded(Image.new("CMYK", (9, 4), (0, 255, 0, 0)), "JPEG")
    converted = checked_for_tensorflow(cmyk, source="x")
    assert converted.startswith(b"\x89PNG")
    assert decode_image(converted, source="x").shape == (4, 9, 3)
