"""The conditional GAN's networks and losses, written with Keras layers and `keras.ops` only, so
the TensorFlow training step (`engine.nets.gan`) and the JAX one (`engine.nets.gan_jax`) share
them: a FiLM-modulated upsample+conv generator and a projection discriminator.
"""

from __future__ import annotations

import keras
from keras import layers, ops

from engine.nets.blocks import (
    LEAKY_SLOPE,
    Architecture,
    Modulate,
    PixelNorm,
    modulated_conv,
    sampling_inputs,
    style_vector,
    upsample,
)

LOSSES = ("hinge", "nonsaturating")


def build_generator(architecture: Architecture, *, name: str = "generator") -> keras.Model:
    """(noise, condition) -> image (size, size, 3) in [-1, 1]."""
    noise, condition = sampling_inputs(architecture)
    style = style_vector(noise, condition, style_dim=architecture.style_dim)
    channels = architecture.width(4)
    x = layers.Dense(4 * 4 * channels, name="const_dense")(style)
    x = layers.Reshape((4, 4, channels), name="const_reshape")(x)
    x = PixelNorm(name="const_norm")(x)
    x = Modulate(name="const_modulate")(
        [x, layers.Dense(2 * channels, kernel_initializer="zeros", name="const_style")(style)])
    x = layers.LeakyReLU(LEAKY_SLOPE, name="const_act")(x)
    for resolution in architecture.resolutions:
        x = upsample(x, name=f"block{resolution}")
        convolutions = 2 if resolution <= architecture.double_conv_until else 1
        for index in range(convolutions):
            x = modulated_conv(x, style, channels=architecture.width(resolution),
                               name=f"block{resolution}_{index}")
    x = layers.Conv2D(3, 3, padding="same", name="to_rgb")(x)
    image = layers.Activation("tanh", dtype="float32", name="image")(x)
    return keras.Model([noise, condition], image, name=name)


def leaky_relu_initializer() -> keras.initializers.Initializer:
    """He initialisation for leaky ReLU (He et al. 2015, eq. 15: variance 2 / ((1 + a^2) n)).

    The discriminator has no normalisation, so its weights alone must keep the signal's scale
    from layer to layer; with Keras's default (Glorot) each layer shrank it by about 1.5x and
    its features barely depended on the image (docs/models.md, "The discriminator's scale").
    """
    return keras.initializers.VarianceScaling(
        scale=2.0 / (1.0 + LEAKY_SLOPE ** 2), mode="fan_in", distribution="truncated_normal")


def build_discriminator(architecture: Architecture) -> keras.Model:
    """(image, condition) -> logit; the condition enters by projection (Miyato & Koyama 2018)."""
    size = architecture.size
    image = keras.Input((size, size, 3), name="image")
    condition = keras.Input((architecture.condition_dim,), name="condition")
    x = layers.Conv2D(architecture.d_width(size), 3, padding="same", name="from_rgb",
                      kernel_initializer=leaky_relu_initializer())(image)
    x = layers.LeakyReLU(LEAKY_SLOPE, name="from_rgb_act")(x)
    resolution = size
    while resolution > 4:
        convolutions = 2 if resolution <= architecture.double_conv_until else 1
        x = layers.AveragePooling2D(2, name=f"down{resolution}")(x)
        resolution //= 2
        for index in range(convolutions):
            x = layers.Conv2D(architecture.d_width(resolution), 3, padding="same",
                              kernel_initializer=leaky_relu_initializer(),
                              name=f"d{resolution}_{index}_conv")(x)
            x = layers.LeakyReLU(LEAKY_SLOPE, name=f"d{resolution}_{index}_act")(x)
    x = layers.Flatten(name="flatten")(x)
    features = layers.Dense(architecture.d_width(4), kernel_initializer=leaky_relu_initializer(),
                            name="features")(x)
    features = layers.LeakyReLU(LEAKY_SLOPE, name="features_act")(features)
    unconditional = layers.Dense(1, name="logit")(features)
    embedded = layers.Dense(architecture.d_width(4), use_bias=False,
                            name="condition_projection")(condition)
    projection = layers.Dot(axes=1, name="projection")([embedded, features])
    logit = layers.Add(name="score")([unconditional, projection])
    logit = layers.Activation("linear", dtype="float32", name="score_float32")(logit)
    return keras.Model([image, condition], logit, name="discriminator")


def discriminator_loss(real_logits, fake_logits, *, kind: str):
    """Hinge or non-saturating logistic loss of the discriminator (backend-neutral ops)."""
    if kind == "hinge":
        return ops.mean(ops.relu(1.0 - real_logits)) + rejection_loss(fake_logits, kind=kind)
    return ops.mean(ops.softplus(-real_logits)) + rejection_loss(fake_logits, kind=kind)


def rejection_loss(logits, *, kind: str):
    """The discriminator's loss for pairs it should score as fake."""
    if kind == "hinge":
        return ops.mean(ops.relu(1.0 + logits))
    return ops.mean(ops.softplus(logits))


def mismatched_conditions(conditions):
    """Each image's condition replaced by its neighbour's in the batch: real images with these
    are the matching-aware discriminator's third kind of fake (Reed et al. 2016, GAN-CLS),
    which teaches it that a real lesion under another patient's profile (another diagnosis,
    skin type or site) is wrong, so the generator gains by drawing what the profile says."""
    return ops.roll(conditions, 1, axis=0)


def generator_loss(fake_logits, *, kind: str):
    if kind == "hinge":
        return -ops.mean(fake_logits)
    return ops.mean(ops.softplus(-fake_logits))
