"""The three-sample data-copying test flags copies and stays quiet for independent samples."""

import numpy as np

from engine.evaluation.memorization import copying_test, mann_whitney_z


def _blobs(rng, count):
    centres = np.array([[0, 0, 0, 0], [6, 0, 0, 0], [0, 6, 0, 0], [0, 0, 6, 0]], float)
    return centres[rng.integers(0, 4, count)] + rng.normal(size=(count, 4))


def test_independent_samples_are_not_significant():
    rng = np.random.default_rng(0)
    training, held_out, generated = _blobs(rng, 600), _blobs(rng, 400), _blobs(rng, 400)
    result = copying_test(training=training, held_out=held_out, generated=generated, seed=0)
    assert not result.significant
    assert abs(result.statistic) < 2.5


def test_copies_of_training_images_are_detected_and_shown():
    rng = np.random.default_rng(1)
    training, held_out = _blobs(rng, 600), _blobs(rng, 400)
    copied = np.arange(100, 500)
    generated = training[copied] + rng.normal(scale=0.01, size=(400, 4))
    result = copying_test(training=training, held_out=held_out, generated=generated, seed=0)
    assert result.significant and result.p_value < 1e-6
    assert result.statistic < -5
    shown = np.array(result.closest_generated)
    assert np.array_equal(copied[shown], np.array(result.closest_training))


def test_mann_whitney_z_sign_follows_which_sample_is_larger():
    small, large = np.arange(50.0), np.arange(50.0) + 100
    assert mann_whitney_z(generated=small, held_out=large) < -8
    assert mann_whitney_z(generated=large, held_out=small) > 8
    assert mann_whitney_z(generated=small, held_out=small) == 0
