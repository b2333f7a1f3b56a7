"""Features for the distance metrics: the auditor's penultimate layer (domain features) and,
only when a local weights file is configured, InceptionV3's pool features.

InceptionV3 weights are never downloaded: set LESIONLAB_INCEPTION_WEIGHTS to a Keras weights
file (with or without the classification top) and the network is built with weights=None and
loads that file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

INCEPTION_ENVIRONMENT = "LESIONLAB_INCEPTION_WEIGHTS"
INCEPTION_SIZE = 299


def configured_inception_weights() -> Path | None:
    """The InceptionV3 weights file named by the environment, or None when not configured."""
    value = os.environ.get(INCEPTION_ENVIRONMENT, "").strip()
    if not value:
        return None
    path = Path(value)
    if not path.is_file():
        raise ValueError(f"{INCEPTION_ENVIRONMENT} names {path}, which is not a file; "
                         "point it at a local InceptionV3 weights file or unset it")
    return path


class InceptionFeatures:
    """2048-d average-pool features of InceptionV3 loaded from a local weights file."""

    def __init__(self, weights: Path) -> None:
        import keras

        try:
            network = keras.applications.InceptionV3(weights=None, include_top=False,
                                                     pooling="avg")
            network.load_weights(weights)
        except ValueError:
            full = keras.applications.InceptionV3(weights=None, include_top=True)
            full.load_weights(weights)
            network = keras.Model(full.input, full.get_layer("avg_pool").output)
        self._network = network
        digest = hashlib.sha256(Path(weights).read_bytes()).hexdigest()[:16]
        self.model_id = f"inception_v3:{digest}"

    def extract(self, images: np.ndarray, *, batch_size: int = 32) -> np.ndarray:
        """Features of uint8 images (N, h, w, 3), resized to 299 px and scaled to [-1, 1]."""
        import tensorflow as tf

        parts = []
        for start in range(0, len(images), batch_size):
            batch = tf.image.resize(images[start:start + batch_size],
                                    [INCEPTION_SIZE, INCEPTION_SIZE], antialias=True)
            parts.append(np.asarray(self._network(batch / 127.5 - 1.0, training=False)))
        return np.concatenate(parts)


def load_inception() -> InceptionFeatures | None:
    """InceptionV3 features when configured, else None (FID/KID then use auditor features)."""
    weights = configured_inception_weights()
    return InceptionFeatures(weights) if weights else None
