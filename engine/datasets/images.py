"""Safe image decoding, in one place, for every reader and the tf.data pipeline.

Untrusted image bytes go through Pillow restricted to common formats, with
`PIL.Image.MAX_IMAGE_PIXELS` honoured (read at call time, so a caller may lower it): an image
over the limit is refused before its pixels are decoded. A truncated or corrupt file is found by
decoding it fully (`load()`); any mode (CMYK, L, LA, P, I;16, RGBA ...) becomes RGB uint8.
Every failure is a `BadInputError` naming the source; what a decoded upload can meet (empty,
unreadable, oversized, truncated) is an `ImageRefusal`, worded in the uploader's language too.

`checked_for_tensorflow` is the cheap gate of the fast pipeline: it reads only the header and
the end marker, and hands TensorFlow nothing but complete 8-bit JPEG or PNG; anything else is
decoded here and re-encoded losslessly as PNG.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from engine.datasets.errors import BadInputError, ImageRefusal

ACCEPTED_FORMATS = ("JPEG", "PNG", "BMP", "TIFF", "WEBP")
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})
TENSORFLOW_READY = {"JPEG": frozenset({"RGB", "L"}), "PNG": frozenset({"RGB", "RGBA", "L"})}
JPEG_END = b"\xff\xd9"
JPEG_PLAIN_FRAMES = frozenset({0xC0, 0xC1, 0xC2})  # baseline, extended, progressive
JPEG_OTHER_FRAMES = frozenset({0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
PNG_END = b"IEND\xaeB`\x82"
DEFAULT_JPEG_QUALITY = 95


def read_file_bytes(path: Path, *, source: str | None = None) -> bytes:
    """The bytes of an image file, or a `BadInputError` naming it."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"image file {source or path} does not exist",
                            category="missing image") from None
    except OSError as error:
        raise BadInputError(f"image file {source or path} cannot be read: {error.strerror}",
                            category="unreadable image") from None


def _open(data: bytes, source: str) -> Image.Image:
    """Open the header only, refusing empty, unknown, zero-size and oversized images."""
    if not data:
        raise ImageRefusal("refusal.image.empty", source=source, category="corrupt image")
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        raise _bomb(source) from None
    except UnidentifiedImageError:
        # Pillow's "cannot identify image file <_io.BytesIO object at 0x...>" adds nothing
        raise ImageRefusal("refusal.image.unreadable", source=source,
                           formats="/".join(ACCEPTED_FORMATS), category="corrupt image") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageRefusal("refusal.image.unreadable_because", source=source,
                           formats="/".join(ACCEPTED_FORMATS), detail=str(error),
                           category="corrupt image") from None
    width, height = image.size
    if width == 0 or height == 0:
        raise ImageRefusal("refusal.image.zero_size", source=source, width=width, height=height,
                           category="corrupt image")
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > limit:
        raise ImageRefusal("refusal.image.pixels", source=source, width=width, height=height,
                           pixels=width * height, limit=limit, category="image too large")
    return image


def _bomb(source: str) -> ImageRefusal:
    """Pillow's refusal of a header declaring over twice `MAX_IMAGE_PIXELS`, worded by us."""
    limit = Image.MAX_IMAGE_PIXELS
    return ImageRefusal("refusal.image.bomb", source=source, pixels=2 * limit, limit=limit,
                        category="image too large")


def image_size(data: bytes, *, source: str) -> tuple[int, int]:
    """(width, height) from the header, without decoding the pixels."""
    return _open(data, source).size


def image_format(data: bytes, *, source: str) -> str:
    """The format the content says it is ("JPEG", "PNG", ...), from the header, whatever the
    file is called; refuses what `decode_image` would refuse before decoding."""
    return _open(data, source).format


def decode_image(data: bytes, *, source: str, upright: bool = False) -> np.ndarray:
    """Decode fully and return RGB uint8 of shape (height, width, 3).

    `upright` turns the pixels as the EXIF orientation says (phone photos are often stored
    sideways); data set images are taken as stored, as their readers always have.
    """
    image = _open(data, source)
    try:
        image.load()
        if upright:
            image = ImageOps.exif_transpose(image)
        return _to_rgb_array(image)
    except Image.DecompressionBombError:
        raise _bomb(source) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageRefusal("refusal.image.truncated", source=source, detail=str(error),
                           category="corrupt image") from None


def _to_rgb_array(image: Image.Image) -> np.ndarray:
    if image.mode.startswith("I") or image.mode == "F":
        values = np.asarray(image, dtype=np.float64)
        top = values.max(initial=0.0)
        scale = 255.0 / (65535.0 if 255 < top <= 65535 else max(top, 255.0))
        grey = np.clip(np.rint(values * scale), 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def checked_for_tensorflow(data: bytes, *, source: str) -> bytes:
    """Bytes TensorFlow can decode: complete 8-bit JPEG/PNG as they are, else lossless PNG.

    Checks the header (format, size limit) and the end marker, which catches missing,
    truncated, oversized and non-image files without decoding the pixels. Plain JPEGs (the
    common case) are checked by `_jpeg_frame`, which reads a few header bytes; everything
    else goes through Pillow.
    """
    frame = _jpeg_frame(data)
    if frame is not None:
        width, height = frame
        limit = Image.MAX_IMAGE_PIXELS
        if limit is None or width * height <= limit:
            if not data.rstrip(b"\x00").endswith(JPEG_END):
                raise BadInputError(f"image {source} is truncated (no end-of-image marker)",
                                    category="corrupt image")
            return data
    image = _open(data, source)
    ready_modes = TENSORFLOW_READY.get(image.format or "", frozenset())
    if image.mode in ready_modes and not getattr(image, "is_animated", False):
        end_marker = JPEG_END if image.format == "JPEG" else PNG_END
        if not data.rstrip(b"\x00").endswith(end_marker):
            raise BadInputError(f"image {source} is truncated (no end-of-image marker)",
                                category="corrupt image")
        return data
    return encode_png(decode_image(data, source=source))


def _jpeg_frame(data: bytes) -> tuple[int, int] | None:
    """(width, height) of an 8-bit baseline/extended/progressive JPEG with 1 or 3 components,
    read from its frame header; None for anything else (which then goes through Pillow)."""
    if not data.startswith(b"\xff\xd8"):
        return None
    position, end = 2, len(data)
    while position + 4 <= end and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in JPEG_PLAIN_FRAMES:
            if position + 10 > end:
                return None
            precision = data[position + 4]
            height = int.from_bytes(data[position + 5:position + 7], "big")
            width = int.from_bytes(data[position + 7:position + 9], "big")
            components = data[position + 9]
            if precision != 8 or components not in (1, 3) or width == 0 or height == 0:
                return None
            return width, height
        if marker in JPEG_OTHER_FRAMES or marker in (0xD9, 0xDA):
            return None
        position += 2 + int.from_bytes(data[position + 2:position + 4], "big")
    return None


def validated_image(image: np.ndarray, *, name: str) -> np.ndarray:
    """An image array as RGB uint8 (height, width, 3), or a ValueError naming it."""
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise ValueError(f"image {name} must be uint8, got {array.dtype}")
    if array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f"image {name} must have shape (height, width, 3), got {array.shape}")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"image {name} has zero size {array.shape}")
    return array


def encode_jpeg(image: np.ndarray, *, quality: int = DEFAULT_JPEG_QUALITY) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def encode_png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
