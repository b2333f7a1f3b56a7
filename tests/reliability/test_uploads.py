"""A user's own photo in the Studio: real JPEG/PNG bytes in every common mode become a square
RGB image at the Studio's size; oversized, truncated, mislabelled, bomb, empty and non-image
files are refused with a ValueError naming the file and what is wrong, worded in Japanese and
Indonesian too; damaged bytes and odd names never crash. Every case is counted for
docs/RELIABILITY.md."""

from __future__ import annotations

import io
import tomllib

import numpy as np
import pytest
from csv_cases import byte_damage, damage
from hypothesis import given
from hypothesis import strategies as st
from image_cases import BAD, GOOD, encoded
from PIL import Image
from tally import check, fuzz

from engine.datasets.errors import BadInputError
from engine.quiz_items import decode_png
from engine.refusals import Refusal
from engine.services import studio
from engine.services.runtime import REPOSITORY_ROOT
from engine.services.uploads import MAX_UPLOAD_BYTES, MEGABYTE

TARGET = "studio upload"
SIDE = studio.STUDIO_SIZE


def upload(tally, data: bytes, name: str, *, target: str = TARGET, **limits):
    """(pixels, None) for an accepted photo, (None, message) for a refused one."""
    shown, message = check(tally, target, ValueError,
                           lambda: studio.uploaded(data=data, name=name, **limits))
    return (None, message) if shown is None else (decode_png(shown.png), None)


def encoded_array(pixels: np.ndarray, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def noise_png(width: int, height: int) -> bytes:
    """An incompressible PNG of about width x height x 3 bytes."""
    pixels = np.random.default_rng(1).integers(0, 256, (height, width, 3), dtype=np.uint8)
    return encoded_array(pixels, "PNG", compress_level=0)


def cut(data: bytes, share: float) -> bytes:
    return data[:int(len(data) * share)]


PHOTO_JPEG = encoded("RGB", "JPEG", size=(300, 200))
PHOTO_PNG = encoded("RGB", "PNG", size=(300, 200))
ACCEPTED = {name: data for name, data in GOOD.items() if "jpeg" in name or "png" in name}
REFUSED = {  # file name, bytes, what the message says
    "text named .jpg": ("notes.jpg", BAD["text named .jpg"], "is not a readable"),
    "html named .png": ("page.png", BAD["html named .jpg"], "is not a readable"),
    "random bytes": ("noise.jpg", BAD["random bytes"], "is not a readable"),
    "gif named .png": ("anim.png", BAD["gif (not accepted)"], "is not a readable"),
    "jpeg cut in its header": ("half.jpg", BAD["truncated jpeg"], "Truncated File Read"),
    "jpeg cut in its pixels": ("cut.jpg", cut(PHOTO_JPEG, 0.7), "is truncated or corrupt"),
    "png cut in its pixels": ("cut.png", cut(PHOTO_PNG, 0.7), "is truncated or corrupt"),
    "header-only png": ("head.png", BAD["header only png"], "is not a readable"),
    "png named .jpg": ("photo.jpg", GOOD["rgb png"], "a PNG image, but its name ends in .jpg"),
    "jpeg named .png": ("photo.png", GOOD["rgb jpeg"], "a JPEG image, but its name ends in .png"),
    "bmp named .png": ("photo.png", GOOD["bmp"], "a BMP image, but its name ends in .png"),
    "webp named .jpeg": ("photo.jpeg", GOOD["webp"], "a WEBP image, but its name ends in .jpeg"),
    "png bomb header": ("bomb.png", BAD["png bomb header"], "is too large"),
    "png over the pixel limit": ("big.png", BAD["png just over the pixel limit"], "is too large"),
    "jpeg bomb header": ("bomb.jpg", BAD["jpeg bomb header"], "is too large"),
    "zero bytes": ("empty.jpg", BAD["zero bytes"], "is empty (0 bytes)"),
    "zero width": ("flat.png", BAD["zero-size png"], "is not a readable JPEG/PNG"),
    "gif name": ("photo.gif", GOOD["rgb png"], "is not named as a JPEG or PNG file"),
    "tiff name": ("scan.tiff", GOOD["tiff"], "is not named as a JPEG or PNG file"),
    "no extension": ("photo", GOOD["rgb jpeg"], "is not named as a JPEG or PNG file"),
}


@pytest.mark.parametrize("kind", sorted(ACCEPTED))
def test_every_jpeg_and_png_mode_becomes_a_square_rgb_image(tally, kind):
    """CMYK, greyscale, palette, alpha and 16-bit are converted, not refused."""
    name = "photo.png" if "png" in kind else "photo.jpg"
    pixels, message = upload(tally, ACCEPTED[kind], name)
    assert message is None, f"{kind} was refused: {message}"
    assert pixels.dtype == np.uint8 and pixels.shape == (SIDE, SIDE, 3)


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_bad_files_are_refused_naming_the_file_and_the_fault(tally, kind):
    name, data, fault = REFUSED[kind]
    _, message = upload(tally, data, name)
    assert message is not None, f"{kind} was accepted"
    assert message.startswith(f"image {name} ") and fault in message, message


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_a_refused_photo_is_worded_in_each_language_naming_the_file(kind):
    name, data, _ = REFUSED[kind]
    with pytest.raises(Refusal) as caught:
        studio.uploaded(data=data, name=name)
    refusal = caught.value
    assert isinstance(refusal, BadInputError) and refusal.category != "bad input"
    for language in ("ja", "id"):
        worded = refusal.message(language)
        assert worded != str(refusal) and name in worded and "{" not in worded


def test_the_byte_limit_is_written_with_each_language_s_number_marks():
    with pytest.raises(Refusal) as caught:
        studio.uploaded(data=noise_png(2100, 2100), name="huge.png")
    assert "10.0 MB（10,485,760 バイト）" in caught.value.message("ja")
    assert "10,0 MB (10.485.760 byte)" in caught.value.message("id")


def test_over_the_byte_limit_says_the_size_and_the_limit(tally):
    data = noise_png(2100, 2100)  # about 13 MB of real PNG
    _, message = upload(tally, data, "huge.png")
    assert message == (f"image huge.png is {len(data) / MEGABYTE:.1f} MB ({len(data):,} bytes), "
                       "over the upload limit of 10.0 MB (10,485,760 bytes)")
    small = GOOD["rgb jpeg"]
    assert upload(tally, small, "a.jpg", max_bytes=len(small))[1] is None
    assert "over the upload limit" in upload(tally, small, "a.jpg", max_bytes=len(small) - 1)[1]


def test_the_centre_square_is_kept_and_the_extension_case_is_ignored(tally):
    stripes = np.zeros((60, 180, 3), np.uint8)
    stripes[:, :60, 0] = stripes[:, 60:120, 1] = stripes[:, 120:, 2] = 255
    pixels, message = upload(tally, encoded_array(stripes, "JPEG", quality=95), "WIDE.JPG")
    assert message is None
    red, green, blue = pixels.reshape(-1, 3).mean(axis=0)
    assert green > 200 and red < 30 and blue < 30


def test_a_phone_photo_stored_sideways_is_turned_upright(tally):
    halves = np.zeros((120, 160, 3), np.uint8)
    halves[:, :80, 0] = 255  # red left half as stored
    halves[:, 80:, 2] = 255
    exif = Image.Exif()
    exif[0x0112] = 6  # EXIF orientation: turn 90 degrees clockwise to view
    photo = encoded_array(halves, "JPEG", quality=95, exif=exif)
    pixels, message = upload(tally, photo, "phone.jpg")
    assert message is None
    top, bottom = pixels[: SIDE // 3].reshape(-1, 3), pixels[-SIDE // 3:].reshape(-1, 3)
    assert top.mean(axis=0)[0] > 200 and top.mean(axis=0)[2] < 50  # the red half is on top
    assert bottom.mean(axis=0)[2] > 200 and bottom.mean(axis=0)[0] < 50


def test_a_sixteen_bit_png_keeps_its_range(tally):
    pixels, _ = upload(tally, encoded("I;16", "PNG", size=(64, 64)), "scan.png")
    assert pixels.max() > 200 and pixels.min() < 50  # scaled from 16 bits, not clipped


def test_the_uploaded_photo_degrades_like_a_generated_one(tally):
    shown = studio.uploaded(data=encoded("RGB", "JPEG", size=(300, 200)), name="mole.jpg")
    steps = studio.manual_steps(strengths={"gaussian_blur": 0.5, "hair": 0.5, "jpeg": 0.5})
    degraded = studio.apply(png=shown.png, steps=steps, seed=3)
    description = studio.description(steps=steps)
    assert shown.source == "upload"
    assert decode_png(degraded).shape == (SIDE, SIDE, 3) and description


def test_streamlit_caps_uploads_at_the_engine_limit():
    config = tomllib.loads((REPOSITORY_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * MEGABYTE == MAX_UPLOAD_BYTES


def read_or_refused(tally, data: bytes, name: str, target: str, **limits) -> None:
    pixels, message = upload(tally, data, name, target=target, **limits)
    if message is None:
        assert pixels.dtype == np.uint8 and pixels.shape == (SIDE, SIDE, 3)
    else:
        assert message.startswith(f"image {name} ")


@fuzz(200)
@given(base=st.sampled_from(sorted(ACCEPTED)), edits=byte_damage())
def test_damaged_photos_are_read_or_refused(tally, base, edits):
    name = "photo.png" if "png" in base else "photo.jpg"
    read_or_refused(tally, damage(ACCEPTED[base], edits), name, f"{TARGET} (damaged bytes)")


@fuzz(100)
@given(base=st.sampled_from(sorted({**GOOD, **BAD})),
       name=st.tuples(st.text(max_size=12), st.sampled_from(
           (".jpg", ".jpeg", ".png", ".JPG", ".Png", ".gif", ".jpg.exe", ""))).map("".join),
       max_bytes=st.one_of(st.just(MAX_UPLOAD_BYTES), st.integers(0, 4096)))
def test_any_file_under_any_name_and_limit_is_read_or_refused(tally, base, name, max_bytes):
    read_or_refused(tally, {**GOOD, **BAD}[base], name, f"{TARGET} (any file, name, limit)",
                    max_bytes=max_bytes)
