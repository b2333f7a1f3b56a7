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

from engine.datasets.errors import BadInputError
from engine.datasets.images import decode_image, image_format
from engine.evaluation.images import square_resize

MEGABYTE = 1024 * 1024  # as Streamlit counts server.maxUploadSize
MAX_UPLOAD_BYTES = 10 * MEGABYTE  # the default; .streamlit/config.toml says the same
FORMATS_BY_SUFFIX = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
UPLOAD_TYPES = tuple(suffix.removeprefix(".") for suffix in FORMATS_BY_SUFFIX)


def read_upload(data: bytes, *, name: str, size: int,
                max_bytes: int = MAX_UPLOAD_BYTES) -> np.ndarray:
    """RGB uint8 (size, size, 3): the centre square of the photo as it is meant to be seen
    (EXIF orientation applied), resized. Anything else is a `BadInputError` (a ValueError)
    naming the file and what is wrong with it."""
    suffix = PurePath(name).suffix.lower()
    expected = FORMATS_BY_SUFFIX.get(suffix)
    if expected is None:
        raise BadInputError(f"image {name} is not named as a JPEG or PNG file "
                            f"(.jpg, .jpeg or .png)", category="wrong extension")
    if len(data) > max_bytes:
        raise BadInputError(
            f"image {name} is {_megabytes(len(data))} ({len(data):,} bytes), over the upload "
            f"limit of {_megabytes(max_bytes)} ({max_bytes:,} bytes)", category="file too large")
    found = image_format(data, source=name)
    if found != expected:
        raise BadInputError(f"image {name} is a {found} image, but its name ends in {suffix}",
                            category="wrong extension")
    return square_resize(decode_image(data, source=name, upright=True), size=size)


def _megabytes(count: int) -> str:
    return f"{count / MEGABYTE:.1f} MB"
