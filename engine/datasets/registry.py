"""`open_dataset`: one entry point for every supported layout."""

from __future__ import annotations

from pathlib import Path

from engine.datasets.base import DatasetReader
from engine.datasets.folder import FolderReader
from engine.datasets.ham10000 import Ham10000Reader
from engine.datasets.isic2024 import Isic2024Reader
from engine.datasets.isic_challenge import Isic2019Reader, Isic2020Reader

READERS: dict[str, type[DatasetReader]] = {
    "ham10000": Ham10000Reader,
    "isic2024": Isic2024Reader,
    "isic2019": Isic2019Reader,
    "isic2020": Isic2020Reader,
    "folder": FolderReader,
}
FORMATS: tuple[str, ...] = tuple(READERS)


def open_dataset(path: str | Path, *, format: str, skip_bad: bool = False,
                 **options) -> DatasetReader:
    """Open the data set at `path` in `format` (ham10000, isic2024, isic2019, isic2020,
    folder). `options` go to the reader (e.g. image_roots, metadata, hdf5, ground_truth)."""
    if format not in READERS:
        raise ValueError(f"unknown data set format {format!r}; expected one of "
                         f"{', '.join(FORMATS)}")
    return READERS[format](path, skip_bad=skip_bad, **options)
