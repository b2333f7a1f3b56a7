"""A data set on disk -> `TrainingData` (uint8 images at the training size, encoded profile
conditions, diagnosis labels), decoded once and held in memory so batches can follow a fixed,
resumable index stream.

The condition is the patient profile (dx, age, sex, site, skin type, diameter): the encoder is
fitted with `engine.conditioning` on the profile columns the data set has. ISIC layouts record
the diameter as `clin_size_long_diam_mm`; HAM10000 has neither diameter nor skin type, so those
columns are left out of the encoder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from engine.conditioning import (
    PROFILE_CATEGORICAL,
    PROFILE_NUMERIC,
    PROFILE_VOCABULARIES,
    ConditionEncoder,
)
from engine.training import TrainingData
from engine.vocabulary import DIAGNOSES

# Profile field -> metadata columns that may hold it, first match wins.
PROFILE_COLUMNS = {"age": ("age",), "diameter_mm": ("diameter_mm", "clin_size_long_diam_mm"),
                   "skin_type": ("skin_type",), "dx": ("dx",), "sex": ("sex",),
                   "site": ("site",)}


def profile_table(metadata: pd.DataFrame) -> pd.DataFrame:
    """The profile columns of a reader's metadata table; absent ones are all missing."""
    table = pd.DataFrame(index=metadata.index)
    for field, candidates in PROFILE_COLUMNS.items():
        present = [name for name in candidates if name in metadata]
        values = metadata[present[0]] if present else pd.Series(np.nan, index=metadata.index)
        table[field] = pd.to_numeric(values, errors="coerce") if field in PROFILE_NUMERIC \
            else values
    return table


def fit_profile_encoder(table: pd.DataFrame) -> ConditionEncoder:
    """The profile encoder, with the numeric columns that hold at least one value."""
    numeric = [name for name in PROFILE_NUMERIC if table[name].notna().any()]
    return ConditionEncoder.fit(table, numeric=numeric, categorical=PROFILE_CATEGORICAL,
                                vocabularies=PROFILE_VOCABULARIES)


def square_resize(image: np.ndarray, *, size: int) -> np.ndarray:
    """Centre square crop, then an antialiased resize to size x size."""
    height, width = image.shape[:2]
    if (height, width) == (size, size):
        return image
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = Image.fromarray(image[top:top + side, left:left + side])
    return np.asarray(square.resize((size, size), Image.Resampling.LANCZOS))


def load_training_data(path: str | Path, *, format: str, size: int,
                       limit: int | None = None, progress: bool = True,
                       encoder: ConditionEncoder | None = None) -> TrainingData:
    """Decode the data set at `path` (any `engine.datasets` format) for training at `size`.

    Bad images are skipped and counted; rows without a known diagnosis are left out. The
    condition encoder is fitted on the data unless one is given (a model being fine-tuned).
    """
    from rich.progress import track

    from engine.datasets import BadInputError, open_dataset
    from engine.datasets.images import decode_image

    reader = open_dataset(path, format=format, skip_bad=True)
    metadata = reader.metadata()
    known = metadata["dx"].isin(DIAGNOSES).to_numpy()
    positions = np.flatnonzero(known)[:limit]
    if len(positions) == 0:
        raise ValueError(f"{path}: no row has a diagnosis in {', '.join(DIAGNOSES)}; a "
                         "generative model needs the diagnosis to condition on")
    images, kept = [], []
    stream = reader.iter_encoded(positions)
    if progress:
        stream = track(stream, total=len(positions), description="decoding")
    for position, source, encoded in stream:
        try:
            image = decode_image(encoded, source=source)
        except BadInputError as error:
            reader.handle_bad(error, key=source)
            continue
        images.append(square_resize(image, size=size))
        kept.append(position)
    table = profile_table(metadata.iloc[kept].reset_index(drop=True))
    encoder = encoder or fit_profile_encoder(table)
    labels = np.array([DIAGNOSES.index(dx) for dx in table["dx"]], dtype=np.int32)
    skipped = len(positions) - len(kept)
    source = f"{Path(path).name} ({format}, {len(kept):,} images" + (
        f", {skipped} unreadable skipped)" if skipped else ")")
    return TrainingData(images=np.stack(images), conditions=encoder.transform(table),
                        labels=labels, class_names=DIAGNOSES, encoder=encoder, source=source)
