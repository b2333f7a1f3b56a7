"""The auditor trains, saves atomically, resumes, reloads and tells colours apart."""

import json
from dataclasses import replace

import keras
import numpy as np
import pytest

from engine.nets.auditor import Auditor, AuditorConfig, fit_auditor

pytestmark = pytest.mark.slow

# A constant rate: the toy has only 48 steps, too few to learn under a decaying one.
TINY = AuditorConfig(input_size=32, internal_size=16, widths=(8, 16), feature_dim=12,
                     batch_size=16, epochs=6, learning_rate=5e-3, validation_share=0.25,
                     learning_rate_schedule="constant")


def _two_colour_classes(rng, count):
    """akiec (index 0) as red squares, nv (index 5) as blue ones, one group per image."""
    labels = np.where(np.arange(count) % 2 == 0, 0, 5)
    images = rng.integers(0, 40, size=(count, 32, 32, 3)).astype(np.uint8)
    images[labels == 0, 8:24, 8:24, 0] = 230
    images[labels == 5, 8:24, 8:24, 2] = 230
    return images, labels, np.array([f"lesion{i}" for i in range(count)])


def test_auditor_learns_resumes_and_reloads(tmp_path):
    images, labels, groups = _two_colour_classes(np.random.default_rng(0), 160)
    first = fit_auditor(images=images, labels=labels, groups=groups, out=tmp_path,
                        config=TINY, seed=0, show_progress=False, max_minutes=0)
    assert first["epochs_done"] == 1  # stopped after one epoch, resumable
    final = fit_auditor(images=images, labels=labels, groups=groups, out=tmp_path,
                        config=TINY, seed=0, show_progress=False)
    assert final["epochs_done"] == TINY.epochs
    assert final["validation"]["balanced_accuracy"] >= 0.9
    card = json.loads((tmp_path / "config.json").read_text())
    assert card["kind"] == "auditor" and card["architecture"]["widths"] == [8, 16]

    auditor = Auditor(tmp_path)
    prediction = auditor.predict(images[:10], batch_size=4)
    assert prediction.probabilities.shape == (10, 7)
    assert np.allclose(prediction.probabilities.sum(axis=1), 1, atol=1e-4)
    assert prediction.features.shape == (10, 12) and prediction.malignant.shape == (10,)
    assert (prediction.probabilities.argmax(axis=1) == labels[:10]).mean() >= 0.9


def test_cosine_schedule_falls_to_five_percent_over_the_run():
    from engine.nets.auditor import build_auditor, compile_auditor

    config = replace(TINY, learning_rate_schedule="cosine")
    model = build_auditor(config=config)
    compile_auditor(model, config=config, steps_per_epoch=10)
    schedule = keras.optimizers.schedules.deserialize(
        model.optimizer.get_config()["learning_rate"])
    rates = [float(schedule(step)) for step in (0, 30, 60)]
    np.testing.assert_allclose(rates, [5e-3, 0.525 * 5e-3, 0.05 * 5e-3], rtol=1e-4)
    with pytest.raises(ValueError, match="learning_rate_schedule 'step' must be one of"):
        replace(TINY, learning_rate_schedule="step")


def test_auditor_folder_must_exist(tmp_path):
    with pytest.raises(ValueError, match="config.json not found"):
        Auditor(tmp_path)


def test_bad_labels_are_refused(tmp_path):
    images, labels, groups = _two_colour_classes(np.random.default_rng(1), 8)
    with pytest.raises(ValueError, match="diagnosis indices"):
        fit_auditor(images=images, labels=labels + 10, groups=groups, out=tmp_path,
                    config=TINY, show_progress=False)
