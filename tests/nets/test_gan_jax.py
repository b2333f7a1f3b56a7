"""The JAX training path (for borrowed GPUs) runs the same networks and writes a checkpoint
that LesionGenerator loads on TensorFlow."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from engine.generator import LesionGenerator
from engine.profiles import ProfileSampler

REPOSITORY = Path(__file__).resolve().parents[2]

TRAIN_TINY_GAN_ON_JAX = textwrap.dedent("""
    import sys
    import numpy as np
    import keras
    from engine.conditioning import ConditionEncoder
    from engine.nets.gan_jax import train_on_jax
    from engine.profiles import ProfileSampler
    from engine.training import TrainConfig, TrainingData
    from engine.vocabulary import DIAGNOSES

    assert keras.backend.backend() == "jax"
    profiles = ProfileSampler.default().sample(n=32, class_mix="balanced", seed=0)
    encoder = ConditionEncoder.for_profiles(profiles)
    rng = np.random.default_rng(0)
    data = TrainingData(
        images=rng.integers(0, 256, (32, 16, 16, 3), dtype=np.uint8),
        conditions=encoder.transform(profiles),
        labels=np.array([DIAGNOSES.index(p.dx) for p in profiles]),
        class_names=DIAGNOSES, encoder=encoder, source="random toy")
    config = TrainConfig(size=16, batch=4, steps=3, noise_dim=8, style_dim=16,
                         channel_base=64, max_channels=16, d_channel_base=64,
                         d_max_channels=16, mismatch_weight=1.0, d_warmup_steps=1)
    result = train_on_jax(config, data, sys.argv[1], log_every=1, sample_every=2,
                          progress=False)
    print("steps", result.step, "d_loss", result.metrics["d_loss"])
""")


@pytest.mark.slow
def test_a_gan_trained_with_jax_loads_and_generates_on_tensorflow(tmp_path):
    out = tmp_path / "gan-jax"
    environment = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu",
                   "PYTHONPATH": str(REPOSITORY)}
    finished = subprocess.run([sys.executable, "-c", TRAIN_TINY_GAN_ON_JAX, str(out)],
                              env=environment, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert "steps 3" in finished.stdout
    assert (out / "samples" / "step_0000002.png").exists()

    generator = LesionGenerator.load(out)
    profiles = ProfileSampler.default().sample(n=3, seed=4)
    images = generator.generate(profiles, seed=9)
    assert images.shape == (3, 16, 16, 3) and images.dtype == np.uint8
    np.testing.assert_array_equal(images, generator.generate(profiles, seed=9))
    assert generator.config["training"]["steps"] == 3
    assert generator.config["backend"].startswith("jax")


def test_jax_training_refuses_the_tensorflow_backend(tmp_path):
    from engine.nets.gan_jax import train_on_jax
    from engine.training import TrainConfig

    with pytest.raises(ValueError, match="KERAS_BACKEND=jax"):
        train_on_jax(TrainConfig(), None, tmp_path)
