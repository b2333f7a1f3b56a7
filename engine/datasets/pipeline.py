"""A reader + a ConditionEncoder -> tf.data.Dataset of (image, condition, label) batches.

Images come out float32 in [-1, 1], `size` x `size` x 3. Square images are made by one of:

- ``resize="crop"`` (default): the largest centred square is cut out, then resized. Nothing
  is distorted and no border is invented; a little of the long side's margin is lost, which for
  dermoscopy (lesion centred) is background skin.
- ``resize="pad"``: the whole image is resized to fit and padded with black (-1) bars.

Resizing averages areas when shrinking more than twofold (no aliasing on 600x450 HAM10000
images) and is bilinear otherwise (fast on ~130 px ISIC 2024 crops).

Decoding (``decode=``):

- ``"tensorflow"`` (fast): a Python generator streams the encoded bytes in chunks (from files or
  the HDF5 file) after the cheap checks of `images.checked_for_tensorflow` (format, pixel limit,
  end marker, mode); `tf.io.decode_image` decodes in parallel inside `map`. A file that passes
  those checks but whose compressed data is corrupt is dropped by the decoder when the reader
  was opened with ``skip_bad=True`` (TensorFlow logs it; it is not in `reader.report`), and
  otherwise stops iteration with TensorFlow's "Invalid JPEG data" error.
- ``"pillow"`` (robust): every image is fully decoded by `images.decode_image`, so every bad
  image is named, and counted in `reader.report` when ``skip_bad=True``. About half as fast.

Conditions are computed once for the whole table with the encoder; columns the encoder needs
but the data set lacks (HAM10000 has no diameter or skin type) are treated as missing, which the
encoder marks with its missing flags. Labels: ``label="dx"`` gives the index in
`engine.vocabulary.DIAGNOSES` (-1 when the row has no code); ``label="malignant"`` gives 1/0
from `target` where present, else from the code (-1 when neither is known).

``shuffle=True`` reads the rows in a new random order on each pass (the same orders for the
same `seed`); ``repeat=True`` makes the stream endless. ``balanced=True`` samples every
diagnosis equally often (one endless, shuffled stream per class, mixed with
`sample_from_datasets`), for GAN training on very imbalanced sets; the result never ends, so
take a number of steps from it. Rows with label -1 are left out of balanced sampling.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import tensorflow as tf

from engine.conditioning import ConditionEncoder
from engine.datasets.base import DatasetReader
from engine.datasets.errors import BadInputError
from engine.datasets.images import checked_for_tensorflow, decode_image
from engine.vocabulary import DIAGNOSES, MALIGNANT

RESIZE_MODES = ("crop", "pad")
DECODERS = ("tensorflow", "pillow")
LABELS = ("dx", "malignant")
CHUNK = 256


@dataclass(frozen=True)
class PipelineConfig:
    """How images are shaped and batched; see the module docstring for each choice."""

    size: int = 128
    batch_size: int = 64
    resize: str = "crop"
    decode: str = "tensorflow"
    label: str = "dx"
    balanced: bool = False
    shuffle: bool = False
    repeat: bool = False
    drop_remainder: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        if not 8 <= self.size <= 2048:
            raise ValueError(f"size {self.size} must be from 8 to 2048 pixels")
        if self.batch_size < 1:
            raise ValueError(f"batch_size {self.batch_size} must be at least 1")
        for name, value, allowed in (("resize", self.resize, RESIZE_MODES),
                                     ("decode", self.decode, DECODERS),
                                     ("label", self.label, LABELS)):
            if value not in allowed:
                raise ValueError(f"{name} {value!r} must be one of {', '.join(allowed)}")


def labels_for(metadata: pd.DataFrame, *, label: str) -> np.ndarray:
    """int32 label per row: dx index, or malignant 1/0; -1 where unknown."""
    dx = metadata["dx"]
    if label == "dx":
        index = {code: i for i, code in enumerate(DIAGNOSES)}
        return np.array([index.get(v, -1) for v in dx], dtype=np.int32)
    from_dx = np.array([-1 if not isinstance(v, str) else int(v in MALIGNANT) for v in dx])
    if "target" in metadata:
        target = pd.to_numeric(metadata["target"], errors="coerce").to_numpy()
        from_dx = np.where(np.isnan(target), from_dx, target)
    return from_dx.astype(np.int32)


def conditions_for(metadata: pd.DataFrame, *, encoder: ConditionEncoder) -> np.ndarray:
    """The encoded condition of every row; missing encoder columns count as missing values."""
    table = metadata.copy()
    for column in encoder.columns:
        if column not in table:
            table[column] = np.nan
    return encoder.transform(table[list(encoder.columns)])


def make_dataset(reader: DatasetReader, *, encoder: ConditionEncoder,
                 config: PipelineConfig = PipelineConfig(),
                 positions: Sequence[int] | None = None) -> tf.data.Dataset:
    """Batches of (image float32 [-1, 1], condition float32, label int32).

    `positions` (row numbers of `reader.metadata()`, e.g. one split of `split_by_group`)
    restricts the rows used.
    """
    metadata = reader.metadata()
    conditions = tf.constant(conditions_for(metadata, encoder=encoder), dtype=tf.float32)
    labels_array = labels_for(metadata, label=config.label)
    labels = tf.constant(labels_array, dtype=tf.int32)
    chosen = np.arange(len(metadata)) if positions is None else np.asarray(positions, dtype=int)
    if len(chosen) and (chosen.min() < 0 or chosen.max() >= len(metadata)):
        raise ValueError(f"positions must be row numbers from 0 to {len(metadata) - 1}")
    if config.balanced:
        streams = [_stream(reader, chosen[labels_array[chosen] == value], config, endless=True,
                           shuffle=True, seed=config.seed + int(value))
                   for value in np.unique(labels_array[chosen]) if value >= 0]
        if not streams:
            raise ValueError("balanced sampling needs rows with a known label; none were found")
        dataset = tf.data.Dataset.sample_from_datasets(
            streams, weights=[1.0 / len(streams)] * len(streams), seed=config.seed)
    else:
        dataset = _stream(reader, chosen, config, endless=config.repeat,
                          shuffle=config.shuffle, seed=config.seed)

    def square(image, position):
        if config.decode == "tensorflow":
            # decode_jpeg also decodes the PNGs that checked_for_tensorflow lets through
            image = tf.io.decode_jpeg(image, channels=3)
        return _square(image, size=config.size, resize=config.resize), position

    def scale_and_condition(images, batch_positions):
        """Per batch, not per image: one op each for the whole batch."""
        return (images / 127.5 - 1.0, tf.gather(conditions, batch_positions),
                tf.gather(labels, batch_positions))

    dataset = dataset.map(square, num_parallel_calls=tf.data.AUTOTUNE)
    if config.decode == "tensorflow" and reader.skip_bad:
        dataset = dataset.ignore_errors()
    dataset = dataset.batch(config.batch_size, drop_remainder=config.drop_remainder)
    return dataset.map(scale_and_condition).prefetch(tf.data.AUTOTUNE)


def _square(image: tf.Tensor, *, size: int, resize: str) -> tf.Tensor:
    image = tf.ensure_shape(image, [None, None, 3])
    shape = tf.shape(image)
    if resize == "pad":
        scale = tf.minimum(size / shape[0], size / shape[1])
        inner = tf.cast(tf.round(tf.cast(shape[:2], tf.float64) * scale), tf.int32)
        inner = tf.clip_by_value(inner, 1, size)
        fitted = _resize(image, inner, shrink=tf.reduce_max(shape[:2]) > 2 * size)
        return tf.image.pad_to_bounding_box(fitted, (size - inner[0]) // 2,
                                            (size - inner[1]) // 2, size, size)
    side = tf.minimum(shape[0], shape[1])
    top, left = (shape[0] - side) // 2, (shape[1] - side) // 2
    crop = image[top:top + side, left:left + side]
    return _resize(crop, tf.constant([size, size]), shrink=side > 2 * size)


def _resize(image: tf.Tensor, target: tf.Tensor, *, shrink: tf.Tensor) -> tf.Tensor:
    """Area averaging when shrinking more than twofold (no aliasing), else bilinear (fast:
    antialiased bilinear costs three times as much and changes nothing at these scales)."""
    return tf.cond(shrink,
                   lambda: tf.image.resize(image, target, method="area"),
                   lambda: tf.image.resize(image, target, method="bilinear"))


def _stream(reader: DatasetReader, positions: np.ndarray, config: PipelineConfig, *,
            endless: bool, shuffle: bool, seed: int) -> tf.data.Dataset:
    """Encoded bytes (tensorflow decoding, in chunks) or decoded arrays (pillow), with the row
    position, read in order or shuffled anew on each pass (reproducibly for `seed`)."""
    def orders() -> Iterator[np.ndarray]:
        rng = np.random.default_rng(seed)
        while True:
            yield rng.permutation(positions) if shuffle else positions
            if not endless:
                return

    def encoded_chunks():
        for order in orders():
            chunk, where = [], []
            for position, source, data in reader.iter_encoded(order):
                try:
                    chunk.append(checked_for_tensorflow(data, source=source))
                except BadInputError as error:
                    reader.handle_bad(error, key=source)
                    continue
                where.append(position)
                if len(chunk) == CHUNK:
                    yield np.array(chunk, dtype=object), np.array(where, dtype=np.int32)
                    chunk, where = [], []
            if chunk:
                yield np.array(chunk, dtype=object), np.array(where, dtype=np.int32)

    def decoded():
        for order in orders():
            for position, source, data in reader.iter_encoded(order):
                try:
                    yield decode_image(data, source=source), np.int32(position)
                except BadInputError as error:
                    reader.handle_bad(error, key=source)

    if config.decode == "tensorflow":
        return tf.data.Dataset.from_generator(encoded_chunks, output_signature=(
            tf.TensorSpec([None], tf.string), tf.TensorSpec([None], tf.int32))).unbatch()
    return tf.data.Dataset.from_generator(decoded, output_signature=(
        tf.TensorSpec([None, None, 3], tf.uint8), tf.TensorSpec([], tf.int32)))
