"""The matching-aware discriminator: real images under another image's profile count as fake,
so the discriminator learns to read the profile from the image, not only realism."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from engine.nets.gan import to_unit_range
from engine.nets.gan_networks import mismatched_conditions, rejection_loss
from engine.training import TrainConfig, batch_indices, build_model, make_stream


def trained_model(data, tiny: dict, *, mismatch_weight: float, steps: int,
                  d_warmup_steps: int = 0):
    config = TrainConfig(model="gan", steps=steps, augment="", mismatch_weight=mismatch_weight,
                         d_warmup_steps=d_warmup_steps, **tiny)
    keras.utils.set_random_seed(0)
    model = build_model(config, condition_dim=data.conditions.shape[1])
    indices = batch_indices(data.labels, batch=config.batch, steps=steps, seed=0,
                            balanced=False)
    history = model.fit(make_stream(data, indices), epochs=1, steps_per_epoch=steps, verbose=0)
    return model, history.history


def test_the_discriminator_loss_counts_real_images_under_another_profile_as_fake(data, tiny):
    """One step from the same weights: the loss differs by exactly the weighted hinge loss of
    the first batch's real images scored under their neighbours' profiles."""
    keras.utils.set_random_seed(0)
    untrained = build_model(TrainConfig(model="gan", augment="", **tiny),
                            condition_dim=data.conditions.shape[1])
    rows = batch_indices(data.labels, batch=tiny["batch"], steps=1, seed=0, balanced=False)[0]
    images = to_unit_range(data.images[rows]).numpy()
    under_others = untrained.discriminator(
        [images, np.asarray(mismatched_conditions(data.conditions[rows]))])
    expected = float(rejection_loss(under_others, kind="hinge"))

    _, plain = trained_model(data, tiny, mismatch_weight=0.0, steps=1)
    _, matching = trained_model(data, tiny, mismatch_weight=0.5, steps=1)
    assert matching["d_loss"][0] - plain["d_loss"][0] == pytest.approx(0.5 * expected, rel=1e-4)


def test_the_mismatch_weight_is_checked_and_saved():
    from engine.nets.blocks import Architecture
    from engine.nets.gan import ConditionalGAN

    architecture = Architecture(size=16, condition_dim=4, noise_dim=8, style_dim=8,
                                channel_base=32, max_channels=8, d_channel_base=32,
                                d_max_channels=8).to_json()
    with pytest.raises(ValueError, match="mismatch_weight"):
        ConditionalGAN(architecture, mismatch_weight=-1.0)
    assert ConditionalGAN(architecture, mismatch_weight=0.5).get_config()["mismatch_weight"] == 0.5


def test_during_the_discriminators_warm_up_only_the_discriminator_learns(data, tiny):
    """The first d_warmup_steps steps leave the generator (and its moving average) as it
    was; the discriminator learns from the first step, the generator after the warm-up."""
    keras.utils.set_random_seed(0)
    fresh = build_model(TrainConfig(model="gan", augment="", **tiny),
                        condition_dim=data.conditions.shape[1])
    warmed, trained = (trained_model(data, tiny, mismatch_weight=0.0, steps=steps,
                                     d_warmup_steps=2)[0] for steps in (2, 3))
    for before, after in zip(fresh.generator.get_weights(), warmed.generator.get_weights(),
                             strict=True):
        np.testing.assert_array_equal(before, after)
    warmed.sync_sampling_model()
    for before, after in zip(fresh.generator.get_weights(), warmed.ema_generator.get_weights(),
                             strict=True):
        np.testing.assert_allclose(before, after, rtol=1e-6)  # averaging rounds
    assert any(not np.array_equal(a, b) for a, b in zip(
        fresh.discriminator.get_weights(), warmed.discriminator.get_weights(), strict=True))
    assert any(not np.array_equal(a, b) for a, b in zip(
        fresh.generator.get_weights(), trained.generator.get_weights(), strict=True))
