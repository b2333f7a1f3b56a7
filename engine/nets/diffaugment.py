"""DiffAugment (Zhao et al. 2020): differentiable augmentations applied to every image the
discriminator sees, real and generated, so it cannot memorise a small training set.

Written with `keras.ops` so the TensorFlow step and the JAX step share it. The caller draws
the random numbers (uniform in [0, 1), shapes from `uniform_shapes`) with its backend's
stateless generator, so a training step is a pure function of (seed, step) and a resumed run
sees exactly the augmentations an uninterrupted one would.
"""

from __future__ import annotations

from keras import ops

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


def uniform_shapes(policy: tuple[str, ...], batch) -> dict[str, tuple]:
    """The uniform draws each augmentation of `policy` needs for a batch."""
    widths = {"color": 3, "translation": 2, "cutout": 2}
    return {name: (batch, widths[name]) for name in policy}


def diff_augment(images, *, policy: tuple[str, ...], uniforms: dict):
    """Augment a batch of images in [-1, 1] (b, h, w, c) with the given uniform draws."""
    functions = {"color": _color, "translation": _translation, "cutout": _cutout}
    for name in policy:
        images = functions[name](images, ops.cast(uniforms[name], images.dtype))
    return images


def _color(images, draws):
    brightness, saturation, contrast = (draws[:, i, None, None, None] for i in range(3))
    images = images + (brightness - 0.5)
    mean = ops.mean(images, axis=3, keepdims=True)
    images = (images - mean) * (saturation * 2.0) + mean
    mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
    return (images - mean) * (contrast + 0.5) + mean


def _shift_along(images, shifts, *, axis: int, pad: int):
    """Shift each image by its own whole number of pixels along `axis` (1 rows, 2 columns),
    filling with zeros."""
    length = images.shape[axis]
    padding = [[0, 0], [0, 0], [0, 0], [0, 0]]
    padding[axis] = [pad, pad]
    padded = ops.pad(images, padding)
    index = ops.arange(length)[None, :] + pad - shifts[:, None]
    shape = [-1, 1, 1, 1]
    shape[axis] = length
    index = ops.reshape(index, shape)
    target = list(ops.shape(padded))
    target[axis] = length
    return ops.take_along_axis(padded, ops.broadcast_to(index, target), axis=axis)


def _translation(images, draws):
    height = images.shape[1]
    pad = int(height * TRANSLATION_RATIO + 0.5)
    shifts = ops.cast(ops.floor(draws * (2 * pad + 1)), "int32") - pad
    images = _shift_along(images, shifts[:, 0], axis=1, pad=pad)
    return _shift_along(images, shifts[:, 1], axis=2, pad=pad)


def _cutout(images, draws):
    height, width = images.shape[1], images.shape[2]
    cut_h, cut_w = int(height * CUTOUT_RATIO + 0.5), int(width * CUTOUT_RATIO + 0.5)
    centre_y = ops.cast(ops.floor(draws[:, 0] * (height + 1 - cut_h % 2)), "int32")
    centre_x = ops.cast(ops.floor(draws[:, 1] * (width + 1 - cut_w % 2)), "int32")
    rows = ops.arange(height)[None, :] - (centre_y[:, None] - cut_h // 2)
    columns = ops.arange(width)[None, :] - (centre_x[:, None] - cut_w // 2)
    inside_rows = ops.logical_and(rows >= 0, rows < cut_h)
    inside_columns = ops.logical_and(columns >= 0, columns < cut_w)
    inside = ops.logical_and(inside_rows[:, :, None], inside_columns[:, None, :])
    keep = ops.cast(ops.logical_not(inside), images.dtype)[..., None]
    return images * keep
