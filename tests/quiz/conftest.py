"""Shared fixtures for the quiz engine tests: a small synthetic lesion image."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def lesion_image() -> np.ndarray:
    """64 px skin-coloured field with a dark round lesion and some texture."""
    rng = np.random.default_rng(0)
    rows, columns = np.mgrid[:64, :64]
    image = np.empty((64, 64, 3), np.float32)
    image[:] = (214, 170, 150)
    lesion = (rows - 32) ** 2 + (columns - 30) ** 2 < 18**2
    image[lesion] = (110, 70, 45)
    image += rng.normal(0, 4, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)
