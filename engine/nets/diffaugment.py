"""DiffAugment (Zhao et al. 2020): differentiable augmentations applied to every image the
discriminator sees, real and generated, so it cannot memorise a small training set.

All randomness is stateless: a (2,) int seed tensor decides every draw, so a training step is
reproducible and a resumed run sees exactly the augmentations an uninterrupted one would.
"""

from __future__ import annotations

import tensorflow as tf

POLICIES = ("color", "translation", "cutout")
TRANSLATION_RATIO = 0.125
CUTOUT_RATIO = 0.5


def parse_policy(policy: str) -> tuple[str, ...]:
    """'color,translation,cutout' -> a tuple of names; '' means no augmentation."""
    names = tuple(name.strip() for name in policy.split(",") if name.strip())
    unknown = [name for name in names if name not in POLICIES]
    if unknown:
        raise ValueError(
            f"unknown DiffAugment policy {', '.join(unknown)}; choose from {', '.join(POLICIES)}"
        )
    return names


def diff_augment(images, *, policy: tuple[str, ...], seed):
    """Augment a batch of images in [-1, 1]; `seed` is a stateless (2,) int seed."""
    functions = {"color": _color, "translation": _translation, "cutout": _cutout}
    for index, name in enumerate(policy):
        images = functions[name](images, tf.random.experimental.stateless_fold_in(seed, index))
    return images


def _uniform(seed, index, shape, dtype):
    return tf.random.stateless_uniform(
        shape, seed=tf.random.experimental.stateless_fold_in(seed, index), dtype=dtype)


def _color(images, seed):
    batch = tf.shape(images)[0]
    shape = tf.stack([batch, 1, 1, 1])
    dtype = images.dtype
    images = images + (_uniform(seed, 0, shape, dtype) - 0.5)
    mean = tf.reduce_mean(images, axis=3, keepdims=True)
    images = (images - mean) * (_uniform(seed, 1, shape, dtype) * 2.0) + mean
    mean = tf.reduce_mean(images, axis=[1, 2, 3], keepdims=True)
    return (images - mean) * (_uniform(seed, 2, shape, dtype) + 0.5) + mean


def _translation(images, seed):
    batch, height, width = tf.shape(images)[0], images.shape[1], images.shape[2]
    pad = int(height * TRANSLATION_RATIO + 0.5)
    shifts = tf.random.stateless_uniform(
        tf.stack([2, batch]), seed=seed, minval=-pad, maxval=pad + 1, dtype=tf.int32)
    padded = tf.pad(images, [[0, 0], [pad, pad], [pad, pad], [0, 0]])
    rows = tf.range(height)[None, :] + pad - shifts[0][:, None]
    columns = tf.range(width)[None, :] + pad - shifts[1][:, None]
    shifted = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(shifted, columns, axis=2, batch_dims=1)


def _cutout(images, seed):
    batch, height, width = tf.shape(images)[0], images.shape[1], images.shape[2]
    cut_h, cut_w = int(height * CUTOUT_RATIO + 0.5), int(width * CUTOUT_RATIO + 0.5)
    centres_y = tf.random.stateless_uniform(
        tf.stack([batch]), seed=seed, maxval=height + (1 - cut_h % 2), dtype=tf.int32)
    centres_x = tf.random.stateless_uniform(
        tf.stack([batch]), seed=tf.random.experimental.stateless_fold_in(seed, 1),
        maxval=width + (1 - cut_w % 2), dtype=tf.int32)
    rows = tf.range(height)[None, :] - (centres_y[:, None] - cut_h // 2)
    columns = tf.range(width)[None, :] - (centres_x[:, None] - cut_w // 2)
    inside_rows = (rows >= 0) & (rows < cut_h)
    inside_columns = (columns >= 0) & (columns < cut_w)
    inside = inside_rows[:, :, None] & inside_columns[:, None, :]
    keep = tf.cast(tf.logical_not(inside), images.dtype)[..., None]
    return images * keep
