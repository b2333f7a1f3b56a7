"""Tiny configurations and toy data shared by the generative-model tests."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from engine.conditioning import ConditionEncoder
from engine.profiles import ProfileSampler
from engine.training import RunOptions, TrainConfig, TrainingData, train
from engine.vocabulary import DIAGNOSES

TINY = dict(size=16, batch=4, noise_dim=8, style_dim=16, channel_base=64, max_channels=16,
            d_channel_base=64, d_max_channels=16, learning_rate_g=2e-3, learning_rate_d=2e-3)
QUIET = RunOptions(checkpoint_every=3, sample_every=3, log_every=3, grid_columns=2,
                   progress=False)


def toy_data(*, count: int = 28, size: int = 16, seed: int = 0) -> TrainingData:
    """Flat images whose colour is set by the diagnosis: trivially learnable from the condition."""
    rng = np.random.default_rng(seed)
    profiles = ProfileSampler.default().sample(n=count, class_mix="balanced", seed=seed)
    labels = np.array([DIAGNOSES.index(p.dx) for p in profiles], dtype=np.int32)
    palette = np.linspace(30, 225, len(DIAGNOSES))
    base = np.stack([palette, palette[::-1], np.roll(palette, 3)], axis=1)[labels]
    images = base[:, None, None, :] + rng.normal(0, 4, (count, size, size, 3))
    encoder = ConditionEncoder.for_profiles(profiles)
    return TrainingData(images=np.clip(images, 0, 255).astype(np.uint8),
                        conditions=encoder.transform(profiles), labels=labels,
                        class_names=DIAGNOSES, encoder=encoder, source="toy")


@pytest.fixture(scope="session")
def make_toy_data():
    return toy_data


@pytest.fixture(scope="session")
def tiny() -> dict:
    return dict(TINY)


@pytest.fixture(scope="session")
def quiet() -> RunOptions:
    return QUIET


@pytest.fixture(scope="session")
def data() -> TrainingData:
    return toy_data()


@pytest.fixture(scope="session")
def gan_config() -> TrainConfig:
    return TrainConfig(model="gan", steps=6, **TINY)


@pytest.fixture(scope="session")
def gan_run(tmp_path_factory, data, gan_config):
    """A 6-step GAN run (checkpoints at 3 and 6) in its own folder."""
    folder = tmp_path_factory.mktemp("gan_run")
    result = train(gan_config, data, folder, options=QUIET)
    return folder, result
