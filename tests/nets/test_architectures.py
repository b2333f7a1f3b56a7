"""Shapes, value ranges, FLOP counts and DiffAugment of the networks (no training)."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from engine.nets.blocks import Architecture
from engine.nets.deconv import build_deconv_decoder
from engine.nets.diffaugment import diff_augment, parse_policy, uniform_shapes
from engine.nets.flops import forward_flops
from engine.nets.gan import build_discriminator, build_generator


def tiny(size: int) -> Architecture:
    return Architecture(size=size, condition_dim=5, noise_dim=8, style_dim=16,
                        channel_base=64, max_channels=16, d_channel_base=64, d_max_channels=16)


@pytest.mark.parametrize("size", [16, 32])
def test_generators_map_noise_and_condition_to_images_in_range(size):
    architecture = tiny(size)
    noise = np.random.default_rng(0).standard_normal((3, 8)).astype("float32")
    condition = np.random.default_rng(1).random((3, 5)).astype("float32")
    for build in (build_generator, build_deconv_decoder):
        images = np.asarray(build(architecture)([noise, condition], training=False))
        assert images.shape == (3, size, size, 3)
        assert images.min() >= -1 and images.max() <= 1


def test_discriminator_scores_one_logit_per_image_and_uses_the_condition():
    discriminator = build_discriminator(tiny(32))
    images = np.random.default_rng(0).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    condition = np.eye(5, dtype="float32")[:2]
    scores = np.asarray(discriminator([images, condition]))
    assert scores.shape == (2, 1)
    swapped = np.asarray(discriminator([images, condition[::-1]]))
    assert not np.allclose(scores, swapped)


def test_discriminator_features_keep_the_images_differences_at_initialisation():
    """Without normalisation, only the initialisation keeps the image's signal through the
    layers. With Keras's default one, the features of the shipped 128-px discriminator differed
    between these images about 100x less than its first layer's (6x with He's), and fresh
    discriminators did not learn to tell a trained generator's images from real ones."""
    architecture = Architecture(size=128, condition_dim=5, channel_base=1024,
                                d_channel_base=6144, double_conv_until=32)
    discriminator = build_discriminator(architecture)
    probe = keras.Model(discriminator.inputs, [discriminator.get_layer("from_rgb_act").output,
                                               discriminator.get_layer("features_act").output])
    coarse = np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 3)).astype("float32")
    images = tf.image.resize(coarse, (128, 128)).numpy()  # smooth, like photographs
    condition = np.zeros((16, 5), dtype="float32")
    first, features = (np.asarray(x).reshape(16, -1) for x in probe([images, condition]))
    shrinkage = first.std(axis=0).mean() / features.std(axis=0).mean()
    assert shrinkage < 15, f"image differences shrink {shrinkage:.0f}x through the layers"


def test_generator_output_does_not_depend_on_the_rest_of_the_batch():
    generator = build_generator(tiny(16))
    noise = np.random.default_rng(0).standard_normal((4, 8)).astype("float32")
    condition = np.random.default_rng(1).random((4, 5)).astype("float32")
    together = np.asarray(generator([noise, condition]))
    alone = np.asarray(generator([noise[2:3], condition[2:3]]))
    np.testing.assert_allclose(together[2:3], alone, atol=1e-5)


def test_flops_of_a_conv_and_a_dense_layer_match_the_formula():
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(4, 3, padding="same")(inputs)
    outputs = keras.layers.Dense(2)(keras.layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    assert forward_flops(model) == 2 * 8 * 8 * 3 * 3 * 3 * 4 + 2 * 8 * 8 * 4 * 2


def _draws(policy, batch, seed):
    rng = np.random.default_rng(seed)
    return {name: rng.random(shape).astype("float32")
            for name, shape in uniform_shapes(policy, batch).items()}


def test_diffaugment_is_a_function_of_its_draws_and_keeps_shape():
    images = tf.random.stateless_uniform((4, 16, 16, 3), seed=[0, 1], minval=-1, maxval=1)
    policy = parse_policy("color,translation,cutout")
    first = diff_augment(images, policy=policy, uniforms=_draws(policy, 4, 1))
    again = diff_augment(images, policy=policy, uniforms=_draws(policy, 4, 1))
    other = diff_augment(images, policy=policy, uniforms=_draws(policy, 4, 2))
    assert first.shape == images.shape
    np.testing.assert_array_equal(np.asarray(first), np.asarray(again))
    assert not np.allclose(np.asarray(first), np.asarray(other))


def test_translation_shifts_by_whole_pixels_and_fills_with_zeros():
    image = np.zeros((1, 16, 16, 1), dtype="float32")
    image[0, 6:10, 6:10, 0] = 1.0
    pad = 2  # 16 px * 0.125
    # A draw in the bin k of 2 * pad + 1 equal bins shifts by k - pad pixels: here +1 and -2.
    draws = np.array([[(pad + 1 + 0.5) / (2 * pad + 1), (0 + 0.5) / (2 * pad + 1)]], "float32")
    moved = np.asarray(diff_augment(tf.constant(image), policy=("translation",),
                                    uniforms={"translation": draws}))
    expected = np.zeros_like(image)
    expected[0, 7:11, 4:8, 0] = 1.0
    np.testing.assert_array_equal(moved, expected)


def test_cutout_blanks_a_square_of_half_the_side():
    image = np.ones((1, 16, 16, 1), dtype="float32")
    cut = np.asarray(diff_augment(tf.constant(image), policy=("cutout",),
                                  uniforms={"cutout": np.array([[0.5, 0.5]], "float32")}))
    assert (cut == 0).sum() == 8 * 8


def test_unknown_policy_and_bad_architecture_are_refused_with_names():
    with pytest.raises(ValueError, match="zoom"):
        parse_policy("color,zoom")
    with pytest.raises(ValueError, match="size 48"):
        Architecture(size=48, condition_dim=3)
