"""A user's own photo, uploaded to the Studio: checked, decoded, brought to the Studio's size.

The bytes are untrusted, so they go through the decoder every data set uses
(engine.datasets.images: pixel limit read from the header, truncation, any mode to RGB). This
module adds only what an upload needs on top: a limit in bytes, and a name whose extension
matches the content, so a file is what it says it is. Nothing is stored; the caller keeps the
result in the user's session.
"""

from __future__ import annotations

from pathlib import PurePath

import numpy as np

from engine.datasets.errors import ImageRefusal
from engine.datasets.images import decode_image, image_format
from engine.evaluation.images import square_resize

MEGABYTE = 1024 * 1024  # as Streamlit counts server.maxUploadSize
MAX_UPLOAD_BYTES = 10 * MEGABYTE  # the default; .streamlit/config.toml says the same
FORMATS_BY_SUFFIX = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
UPLOAD_TYPES = tuple(suffix.removeprefix(".") for suffix in FORMATS_BY_SUFFIX)


def read_upload(data: bytes, *, name: str, size: int,
                max_bytes: int = MAX_UPLOAD_BYTES) -> np.ndarray:
    """RGB uint8 (size, size, 3): the centre square of the photo as it is meant to be seen
    (EXIF orientation applied), resized. Anything else is an `ImageRefusal` (a ValueError)
    naming the file and what is wrong with it."""
    suffix = PurePath(name).suffix.lower()
    expected = FORMATS_BY_SUFFIX.get(suffix)
    if expected is None:
        raise ImageRefusal("refusal.upload.extension", name=name, category="wrong extension")
    if len(data) > max_bytes:
        raise ImageRefusal("refusal.upload.too_large", name=name,
                           megabytes=len(data) / MEGABYTE, size=len(data),
                           limit_megabytes=max_bytes / MEGABYTE, limit=max_bytes,
                           category="file too large")
    found = image_format(data, source=name)
    if found != expected:
        raise ImageRefusal("refusal.upload.content", name=name, found=found, suffix=suffix,
                           category="wrong extension")
    return square_resize(decode_image(data, source=name, upright=True), size=size)
