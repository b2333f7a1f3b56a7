"""Image bytes for the reliability tests: every common mode and format that must decode, and
broken files that must be refused (truncated, bombs, zero size, not an image, unknown format)."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image


def encoded(mode: str, fmt: str, *, size=(24, 18), seed: int = 0, **options) -> bytes:
    rng = np.random.default_rng(seed)
    if mode == "I;16":
        image = Image.fromarray(rng.integers(0, 65535, size[::-1], dtype=np.uint16))
    else:
        image = Image.fromarray(rng.integers(0, 255, (*size[::-1], 3), dtype=np.uint8))
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_with_header(width: int, height: int) -> bytes:
    """A PNG whose header declares `width` x `height` and whose data is one tiny row: a
    decompression bomb as far as a header reader can tell."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 8)) + chunk(b"IEND", b""))


def bomb_jpeg() -> bytes:
    """A real JPEG whose frame header is rewritten to claim 60000 x 60000 pixels."""
    data = bytearray(encoded("RGB", "JPEG"))
    at = data.index(b"\xff\xc0")
    data[at + 5:at + 9] = struct.pack(">HH", 60000, 60000)
    return bytes(data)


GOOD = {
    "rgb jpeg": encoded("RGB", "JPEG"),
    "cmyk jpeg": encoded("CMYK", "JPEG"),
    "greyscale jpeg": encoded("L", "JPEG"),
    "progressive jpeg": encoded("RGB", "JPEG", progressive=True),
    "rgb png": encoded("RGB", "PNG"),
    "rgba png": encoded("RGBA", "PNG"),
    "greyscale png": encoded("L", "PNG"),
    "greyscale+alpha png": encoded("LA", "PNG"),
    "palette png": encoded("P", "PNG"),
    "16-bit png": encoded("I;16", "PNG"),
    "bmp": encoded("RGB", "BMP"),
    "tiff": encoded("RGB", "TIFF"),
    "16-bit tiff": encoded("I;16", "TIFF"),
    "webp": encoded("RGB", "WEBP"),
}
BAD = {
    "zero bytes": b"",
    "truncated jpeg": GOOD["rgb jpeg"][: len(GOOD["rgb jpeg"]) // 2],
    "truncated png": GOOD["rgb png"][: len(GOOD["rgb png"]) // 2],
    "header only png": GOOD["rgb png"][:33],
    "zero-size png": png_with_header(0, 10),
    "png bomb header": png_with_header(50_000, 50_000),
    "png just over the pixel limit": png_with_header(15_000, 15_000),
    "jpeg bomb header": bomb_jpeg(),
    "gif (not accepted)": encoded("P", "GIF"),
    "text named .jpg": b"lesion_id,image_id\nHAM_1,ISIC_1\n",
    "html named .jpg": b"<script>window.__lesionlab_xss=1</script>",
    "random bytes": bytes(np.random.default_rng(5).integers(0, 256, 4096, dtype=np.uint8)),
}
