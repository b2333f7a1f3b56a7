"""Reading JPEG bytes from an ISIC-2024-layout HDF5 file without trusting its structure.

The layout is one scalar dataset of encoded-image bytes per `isic_id` at the file's root. A
key that is an external link, a soft link, a virtual dataset, a dataset stored in external raw
files, or anything but a scalar of bytes is refused: such entries could make the reader open
other files on this machine or read far more than one image.
"""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np

from engine.datasets.errors import BadInputError


def open_hdf5(path: Path) -> h5py.File:
    try:
        return h5py.File(path, "r")
    except FileNotFoundError:
        raise BadInputError(f"HDF5 file {path} does not exist", category="missing file"
                            ) from None
    except OSError as error:
        raise BadInputError(f"{path} is not a readable HDF5 file: {error}",
                            category="bad HDF5") from None


def read_image_bytes(file: h5py.File, key: str) -> bytes:
    """The bytes stored under `key`, after checking the entry is a plain scalar dataset.

    Uses h5py's low-level API: the high-level objects cost several times more per image,
    which matters at thousands of images per second.
    """
    name = key.encode()
    try:
        link_type = file.id.links.get_info(name).type
    except KeyError:
        raise BadInputError(f"{_source(file, key)}: no such entry in the HDF5 file",
                            category="missing image") from None
    if link_type == h5py.h5l.TYPE_EXTERNAL:
        link = file.get(key, getlink=True)
        raise BadInputError(
            f"{_source(file, key)} is an external link to {link.filename}:{link.path}; "
            "external links are refused", category="unsafe HDF5 entry")
    if link_type != h5py.h5l.TYPE_HARD:
        raise BadInputError(f"{_source(file, key)} is a soft or user-defined link; only "
                            "datasets stored under their own key are accepted",
                            category="unsafe HDF5 entry")
    try:
        dataset = h5py.h5d.open(file.id, name)
    except (KeyError, ValueError, TypeError, OSError):
        raise BadInputError(f"{_source(file, key)} is a group, not a dataset of image bytes",
                            category="unsafe HDF5 entry") from None
    plist = dataset.get_create_plist()
    if plist.get_layout() == h5py.h5d.VIRTUAL:
        raise BadInputError(f"{_source(file, key)} is a virtual dataset; virtual datasets "
                            "are refused", category="unsafe HDF5 entry")
    if plist.get_external_count() > 0:
        raise BadInputError(f"{_source(file, key)} keeps its data in external files; refused",
                            category="unsafe HDF5 entry")
    if dataset.get_space().get_simple_extent_type() != h5py.h5s.SCALAR:
        raise BadInputError(f"{_source(file, key)} is not a scalar; expected one value of "
                            "encoded image bytes", category="unsafe HDF5 entry")
    kind = dataset.get_type()
    fixed = kind.get_class() == h5py.h5t.OPAQUE or (
        kind.get_class() == h5py.h5t.STRING and not kind.is_variable_str())
    if fixed:
        buffer = np.empty(kind.get_size(), dtype=np.uint8)
        dataset.read(h5py.h5s.ALL, h5py.h5s.ALL, buffer, mtype=kind)
        return buffer.tobytes()
    return _variable_length_bytes(file, key)


def _variable_length_bytes(file: h5py.File, key: str) -> bytes:
    """Variable-length strings or uint8 sequences, through the high-level API."""
    dataset = file[key]
    source = _source(file, key)
    if h5py.check_vlen_dtype(dataset.dtype) not in (bytes, str, np.dtype("uint8")):
        raise BadInputError(f"{source} holds {dataset.dtype}, not encoded image bytes",
                            category="unsafe HDF5 entry")
    value = dataset[()]
    if isinstance(value, np.ndarray):
        return value.tobytes()
    return value.encode() if isinstance(value, str) else bytes(value)


def _source(file: h5py.File, key: str) -> str:
    """How messages name an entry (built only when there is something to say)."""
    return f"{file.filename}[{key!r}]"


def root_keys(file: h5py.File) -> set[str]:
    return set(file.keys())
