"""Loading a data set into memory as square uint8 images of one size, with its labels.

Dermoscopy images are wider than high (HAM10000: 600x450); the centre square holds the lesion,
so images are centre-cropped to a square and resized with area interpolation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from engine.vocabulary import DIAGNOSES, SKIN_TYPES

DIAMETER_COLUMNS = ("diameter_mm", "clin_size_long_diam_mm")


@dataclass(frozen=True)
class LoadedImages:
    """Images (N, size, size, 3) uint8 with their metadata rows (key, group, dx, ...)."""

    images: np.ndarray
    table: pd.DataFrame
    skipped: int

    @property
    def labels(self) -> np.ndarray:
        """Diagnosis index per image (-1 where the diagnosis is unknown)."""
        return np.array([DIAGNOSES.index(dx) if dx in DIAGNOSES else -1
                         for dx in self.table["dx"]], dtype=np.int64)

    @property
    def skin_types(self) -> np.ndarray | None:
        """Fitzpatrick type per image (0 where unknown); None when the data set has no such
        column (real HAM10000 and ISIC metadata do not record it; phantom data sets do)."""
        if "skin_type" not in self.table:
            return None
        types = pd.to_numeric(self.table["skin_type"], errors="coerce")
        return types.where(types.isin(SKIN_TYPES), 0).fillna(0).to_numpy(np.int64)

    @property
    def diameter_mm(self) -> np.ndarray:
        """Recorded lesion diameter in mm (NaN where the data set does not record one)."""
        for column in DIAMETER_COLUMNS:
            if column in self.table:
                return pd.to_numeric(self.table[column], errors="coerce").to_numpy(np.float64)
        return np.full(len(self.table), np.nan)


def square_resize(image: np.ndarray, *, size: int) -> np.ndarray:
    """Centre-crop `image` to a square and resize it to size x size (area interpolation)."""
    import cv2

    height, width = image.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = image[top:top + side, left:left + side]
    if side == size:
        return np.ascontiguousarray(square)
    interpolation = cv2.INTER_AREA if side > size else cv2.INTER_CUBIC
    return cv2.resize(square, (size, size), interpolation=interpolation)


def load_images(
    path: str | Path,
    *,
    format: str,
    size: int,
    limit: int | None = None,
    seed: int = 0,
    labelled_only: bool = True,
    progress=None,
) -> LoadedImages:
    """Read up to `limit` images (a seeded random choice) of the data set at `path`.

    Unreadable images are skipped and counted. `progress`, if given, is called with the number
    of images read so far and the total.
    """
    from engine.datasets import BadInputError, open_dataset
    from engine.datasets.images import decode_image

    reader = open_dataset(path, format=format, skip_bad=True)
    table = reader.metadata()
    positions = np.arange(len(table))
    if labelled_only:
        positions = positions[table["dx"].isin(DIAGNOSES).to_numpy()]
    if limit is not None and limit < len(positions):
        positions = np.sort(np.random.default_rng(seed).choice(positions, limit, replace=False))
    if len(positions) == 0:
        raise ValueError(f"{path}: no {'labelled ' if labelled_only else ''}images found "
                         f"in {format} format")
    images, kept = [], []
    for position, source, data in reader.iter_encoded(positions.tolist()):
        try:
            images.append(square_resize(decode_image(data, source=source), size=size))
        except BadInputError as error:
            reader.report.skip(error, key=source)
            continue
        kept.append(position)
        if progress is not None:
            progress(len(kept), len(positions))
    if not kept:
        raise ValueError(f"{path}: none of the {len(positions)} images could be read")
    return LoadedImages(
        images=np.stack(images),
        table=table.iloc[kept].reset_index(drop=True),
        skipped=len(positions) - len(kept),
    )
