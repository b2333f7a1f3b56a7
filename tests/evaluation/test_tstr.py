"""TSTR on a tiny data set: synthetic images with the right labels teach the classifier,
synthetic images with shuffled labels do not, and the mixes hold the promised proportions."""

import numpy as np
import pytest

from engine.evaluation.tstr import (
    LabelledImages,
    TstrConfig,
    train_and_score,
    train_synthetic_test_real,
)

pytestmark = pytest.mark.slow

CLASSES = np.array([0, 4, 5])  # akiec, mel, nv
COLOURS = np.array([[200, 40, 40], [30, 30, 30], [150, 100, 60]])


def _images(rng, count):
    labels = CLASSES[np.arange(count) % 3]
    images = rng.integers(0, 60, size=(count, 12, 12, 3))
    for colour, label in zip(COLOURS, CLASSES):
        images[labels == label, 3:9, 3:9] = colour
    return LabelledImages(np.clip(images, 0, 255).astype(np.uint8), labels)


def test_tstr_scores_each_arm_on_held_out_real():
    rng = np.random.default_rng(0)
    real, test, synthetic = _images(rng, 30), _images(rng, 60), _images(rng, 150)
    shuffled = LabelledImages(synthetic.images, rng.permutation(synthetic.labels))
    config = TstrConfig(epochs=10, batch_size=32, learning_rate=1e-2)

    good = train_synthetic_test_real(real=real, synthetic=synthetic, test=test, config=config)
    assert set(good) == {"real", "synthetic", "real+synthetic 1:1", "real+synthetic 5:1"}
    assert good["synthetic"]["balanced_accuracy"] >= 0.9
    assert good["real+synthetic 5:1"]["balanced_accuracy"] >= 0.9
    assert good["real"]["malignant_auc"] >= 0.9

    bad = train_and_score(train=shuffled.head(30), test=test, config=config, seed=0)
    assert bad["balanced_accuracy"] < 0.7


def test_tstr_needs_five_synthetic_images_per_real_one():
    rng = np.random.default_rng(1)
    with pytest.raises(ValueError, match="at least 20 real"):
        train_synthetic_test_real(real=_images(rng, 30), synthetic=_images(rng, 60),
                                  test=_images(rng, 30))
