"""Writers that save images and rows in a layout the readers (and other tools) understand.

Usage::

    from engine.datasets.writers import open_writer

    with open_writer(out_dir, format="isic2024", columns=("dx", "skin_type")) as writer:
        writer.add("SYN_0000001", image_uint8, {"dx": "mel", "age": 55, "sex": "female",
                                                "site": "back", "diameter_mm": 7.5})

Formats:

- ``isic2024``: ``train-image.hdf5`` (one scalar dataset of JPEG bytes per ``isic_id``) and
  ``train-metadata.csv`` with the 55 ISIC 2024 columns (those that do not apply left empty)
  followed by the extra columns. Row keys map as: ``age`` -> ``age_approx``, ``sex`` ->
  ``sex``, ``site`` -> ``anatom_site_general`` (its ISIC group; ``site`` itself is kept too),
  ``diameter_mm`` -> ``clin_size_long_diam_mm``, ``dx`` -> ``target`` (1 if malignant) unless
  ``target`` is given; keys that are ISIC column names are written as they are.
- ``ham10000``: ``HAM10000_metadata.csv`` (``lesion_id,image_id,dx,dx_type,age,sex,
  localization`` then the extra columns) and ``images/<image_id>.jpg``. ``site`` ->
  ``localization``; ``lesion_id`` defaults to the image id.

Any other row key becomes an extra column: `columns` fixes the order of extra columns, and
keys not listed follow in the order first seen. Images are RGB uint8 (height, width, 3) saved as
JPEG (quality 95). Everything is written into a sibling folder ``<out_dir>.partial-<pid>`` and
moved into place with one rename only when the ``with`` block ends without an error, so an
interrupted run never leaves a folder that looks complete. An existing non-empty `out_dir` is
refused unless ``overwrite=True``. A write that fails (full disk, file size limit) raises one
`OSError` naming the file and the cause, and the partial folder is removed.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from engine.datasets.columns import HAM10000_COLUMNS, ISIC2024_COLUMNS
from engine.datasets.images import DEFAULT_JPEG_QUALITY, encode_jpeg, validated_image
from engine.vocabulary import MALIGNANT, UNKNOWN, isic_site_group

ISIC2024_IMAGE_FILE = "train-image.hdf5"
ISIC2024_METADATA_FILE = "train-metadata.csv"
HAM10000_METADATA_FILE = "HAM10000_metadata.csv"
HAM10000_IMAGE_FOLDER = "images"
SPACE_ERRORS = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
SAFE_IMAGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


class DatasetWriter:
    """Common part: the partial folder, the rows, the final rename. Use `open_writer`."""

    base_columns: tuple[str, ...] = ()
    metadata_file = ""

    def __init__(self, out_dir: Path, *, columns: Sequence[str] = (), overwrite: bool = False,
                 quality: int = DEFAULT_JPEG_QUALITY) -> None:
        self.out_dir = Path(out_dir)
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise ValueError(f"output {self.out_dir} exists and is not a folder")
        if self.out_dir.is_dir() and any(self.out_dir.iterdir()) and not overwrite:
            raise ValueError(f"output folder {self.out_dir} is not empty; choose another "
                             "folder or pass overwrite=True")
        if not 1 <= quality <= 100:
            raise ValueError(f"JPEG quality {quality} must be from 1 to 100")
        self.quality = quality
        self.partial_dir = self.out_dir.with_name(f"{self.out_dir.name}.partial-{os.getpid()}")
        self.extra_columns = [c for c in columns if c not in self.base_columns]
        self.rows: list[dict] = []
        self.ids: set[str] = set()
        self.closed = False
        self.failed = False
        if self.partial_dir.exists():
            shutil.rmtree(self.partial_dir)
        self.partial_dir.mkdir(parents=True)
        try:
            self._open_storage()
        except OSError as error:
            shutil.rmtree(self.partial_dir, ignore_errors=True)
            raise self._write_error(error, f"could not create {self._storage_path()}") from error

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None and not self.failed:
            self.close()
        else:
            self.abort()

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, image_id: str, image: np.ndarray, row: Mapping | None = None) -> None:
        """Store one image under `image_id` with its tabular row."""
        if self.closed:
            raise ValueError("this writer is closed; open a new one")
        if self.failed:
            raise ValueError("an earlier write failed; this writer can only be aborted")
        image_id = str(image_id)
        if not SAFE_IMAGE_ID.match(image_id):
            raise ValueError(f"image id {image_id!r} must be 1-128 letters, digits, '_', '-' "
                             "or '.', starting with a letter or digit")
        if image_id in self.ids:
            raise ValueError(f"image id {image_id!r} was added twice")
        image = validated_image(image, name=image_id)
        jpeg = encode_jpeg(image, quality=self.quality)
        try:
            self._store(image_id, jpeg)
        except OSError as error:
            self.failed = True
            raise self._write_error(
                error, f"could not write image {image_id} into {self._storage_path()}") from error
        table_row = self._table_row(image_id, dict(row or {}))
        for key in table_row:
            if key not in self.base_columns and key not in self.extra_columns:
                self.extra_columns.append(key)
        self.ids.add(image_id)
        self.rows.append(table_row)

    def close(self) -> Path:
        """Write the table, then move the finished folder into place; returns `out_dir`.
        If that fails (or an earlier write did), everything is dropped and `OSError` raised."""
        if self.closed:
            return self.out_dir
        if self.failed:
            self.abort()
            raise OSError(errno.EIO, f"an earlier write failed; nothing was written to "
                          f"{self.out_dir}")
        table = pd.DataFrame(self.rows, columns=[*self.base_columns, *self.extra_columns])
        writing = f"could not finish {self._storage_path()}"
        try:
            self._close_storage()
            writing = f"could not write {self.partial_dir / self.metadata_file}"
            # CRLF rows (RFC 4180) make pandas quote a value holding a lone CR, which a
            # reader would otherwise take for the end of the row.
            table.to_csv(self.partial_dir / self.metadata_file, index=False,
                         lineterminator="\r\n")
        except OSError as error:
            self.failed = True
            self.abort()
            raise self._write_error(error, writing) from error
        self.closed = True
        previous = None
        if self.out_dir.is_dir():
            previous = self.out_dir.with_name(f"{self.out_dir.name}.old-{os.getpid()}")
            os.replace(self.out_dir, previous)
        os.replace(self.partial_dir, self.out_dir)
        if previous is not None:
            shutil.rmtree(previous)
        return self.out_dir

    def abort(self) -> None:
        """Drop everything written so far; `out_dir` is left as it was."""
        if self.closed:
            return
        self.closed = True
        try:
            self._close_storage()
        except OSError:
            pass  # the folder goes anyway; the error that brought us here is the one to report
        shutil.rmtree(self.partial_dir, ignore_errors=True)

    def _write_error(self, error: OSError, what: str) -> OSError:
        """One line: what failed, the cause (the system's words for its errno) and that nothing
        was written to `out_dir`."""
        cause = os.strerror(error.errno) if error.errno else str(error).splitlines()[0]
        if error.errno in SPACE_ERRORS:
            cause += " (is the disk full?)"
        return OSError(error.errno or errno.EIO,
                       f"{what}: {cause}; nothing was written to {self.out_dir}")

    def _storage_path(self) -> Path:
        """Where images are written: named in error messages."""
        return self.partial_dir

    def _open_storage(self) -> None:
        raise NotImplementedError

    def _store(self, image_id: str, jpeg: bytes) -> None:
        raise NotImplementedError

    def _close_storage(self) -> None:
        """Close what `_open_storage` opened (also after a failed write); may raise OSError."""
        raise NotImplementedError

    def _table_row(self, image_id: str, row: dict) -> dict:
        raise NotImplementedError


class Isic2024Writer(DatasetWriter):
    """ISIC 2024 layout: train-image.hdf5 + train-metadata.csv (55 columns + extras).

    HDF5's data sieve buffer is turned off. With it on (the default) each small dataset's
    bytes wait in it until the dataset is closed, which h5py does when the `Dataset` object is
    garbage-collected: a write failing on a full disk then fails inside h5py's deallocation,
    where it can only be printed ("Exception ignored"), and HDF5 keeps the half-closed dataset
    in its table, so the next flush or close of the file reads freed memory (SIGSEGV). Without
    the buffer `create_dataset` writes the bytes itself, so a failure is an `OSError` at the
    image that did not fit, and closing the file afterwards is safe. Writes stay streamed:
    memory does not grow with the data set, as it would with an in-memory file copied at the
    end. A failure of the metadata write at close comes as `RuntimeError` and is turned into
    an `OSError`; HDF5 then keeps the file open until the process ends (the folder is gone).
    """

    base_columns = ISIC2024_COLUMNS
    metadata_file = ISIC2024_METADATA_FILE

    def _storage_path(self) -> Path:
        return self.partial_dir / ISIC2024_IMAGE_FILE

    def _open_storage(self) -> None:
        access = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
        access.set_fclose_degree(h5py.h5f.CLOSE_STRONG)  # as h5py.File does
        access.set_sieve_buf_size(0)
        with _hdf5_errors():
            self.hdf5 = h5py.File(h5py.h5f.create(
                os.fsencode(self._storage_path()), h5py.h5f.ACC_TRUNC, fapl=access))

    def _store(self, image_id: str, jpeg: bytes) -> None:
        with _hdf5_errors():
            self.hdf5.create_dataset(image_id, data=np.bytes_(jpeg))

    def _close_storage(self) -> None:
        hdf5 = getattr(self, "hdf5", None)
        if hdf5 is not None and hdf5.id.valid:
            with _hdf5_errors():
                hdf5.close()

    def _table_row(self, image_id: str, row: dict) -> dict:
        out = {"isic_id": image_id}
        if "age" in row:
            out["age_approx"] = _missing_as_none(row.pop("age"))
        if "sex" in row:
            sex = _missing_as_none(row.pop("sex"))
            out["sex"] = None if sex == UNKNOWN else sex
        if "site" in row and not _is_missing(row["site"]):
            group = isic_site_group(str(row["site"]))
            out["anatom_site_general"] = None if group == UNKNOWN else group
        if "diameter_mm" in row:
            out["clin_size_long_diam_mm"] = _missing_as_none(row.pop("diameter_mm"))
        dx = row.get("dx")
        if "target" not in row and not _is_missing(dx):
            out["target"] = int(str(dx) in MALIGNANT)
            out["iddx_1"] = out["iddx_full"] = "Malignant" if out["target"] else "Benign"
        out.update(row)
        return out


class Ham10000Writer(DatasetWriter):
    """HAM10000 layout: HAM10000_metadata.csv + images/<image_id>.jpg."""

    base_columns = HAM10000_COLUMNS
    metadata_file = HAM10000_METADATA_FILE

    def _open_storage(self) -> None:
        (self.partial_dir / HAM10000_IMAGE_FOLDER).mkdir()

    def _store(self, image_id: str, jpeg: bytes) -> None:
        (self.partial_dir / HAM10000_IMAGE_FOLDER / f"{image_id}.jpg").write_bytes(jpeg)

    def _close_storage(self) -> None:
        """Images are written file by file; nothing stays open."""

    def _table_row(self, image_id: str, row: dict) -> dict:
        out = {"image_id": image_id, "lesion_id": row.pop("lesion_id", image_id)}
        if "site" in row:
            out["localization"] = row.pop("site")
        out.update(row)
        return out


WRITERS: dict[str, type[DatasetWriter]] = {"isic2024": Isic2024Writer,
                                           "ham10000": Ham10000Writer}


def open_writer(out_dir: str | Path, *, format: str, columns: Sequence[str] = (),
                overwrite: bool = False, quality: int = DEFAULT_JPEG_QUALITY) -> DatasetWriter:
    """A writer for `format` (isic2024 or ham10000); use it as a context manager."""
    if format not in WRITERS:
        raise ValueError(f"unknown output format {format!r}; expected one of "
                         f"{', '.join(WRITERS)}")
    return WRITERS[format](Path(out_dir), columns=columns, overwrite=overwrite,
                           quality=quality)


@contextlib.contextmanager
def _hdf5_errors():
    """HDF5 failures as `OSError` with the errno the system gave (h5py raises some write
    failures as RuntimeError, with the errno only in the message)."""
    try:
        yield
    except (OSError, RuntimeError) as error:
        code = getattr(error, "errno", None)
        found = re.search(r"errno = (\d+)", str(error))
        if not code and found:
            code = int(found.group(1))
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise (OSError(code, message) if code else OSError(message)) from error


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _missing_as_none(value):
    return None if _is_missing(value) else value
