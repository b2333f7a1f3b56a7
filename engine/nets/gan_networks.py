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


def check_loss(kind: str) -> str:
    if kind not in LOSSES:
        raise ValueError(f"loss {kind!r} must be one of {', '.join(LOSSES)}")
    return kind


def discriminator_loss(real_logits, fake_logits, *, kind: str):
    """Hinge or non-saturating logistic loss of the discriminator (backend-neutral ops)."""
    accept = ops.relu(1.0 - real_logits) if kind == "hinge" else ops.softplus(-real_logits)
    return ops.mean(accept) + rejection_loss(fake_logits, kind=kind)


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


def judged_batch(real_then_fake, conditions, *, mismatch_weight: float):
    """What the discriminator scores in one step: the (augmented) real images, then the
    generated ones, each under its profile; with a mismatch weight, then the real ones again
    under their neighbours' profiles. Returns the discriminator's inputs [images, conditions]."""
    images, profiles = real_then_fake, ops.concatenate([conditions, conditions], axis=0)
    if mismatch_weight:
        real = ops.split(real_then_fake, 2, axis=0)[0]
        images = ops.concatenate([real_then_fake, real], axis=0)
        profiles = ops.concatenate([profiles, mismatched_conditions(conditions)], axis=0)
    return [images, profiles]


def judged_loss(logits, batch, *, kind: str, mismatch_weight: float):
    """(loss, real logits, fake logits) of the discriminator from its scores of
    `judged_batch`."""
    real_logits, fake_logits = logits[:batch], logits[batch:2 * batch]
    loss = discriminator_loss(real_logits, fake_logits, kind=kind)
    if mismatch_weight:
        loss = loss + mismatch_weight * rejection_loss(logits[2 * batch:], kind=kind)
    return loss, real_logits, fake_logits


def generator_loss(fake_logits, *, kind: str):
    if kind == "hinge":
        return -ops.mean(fake_logits)
    return ops.mean(ops.softplus(-fake_logits))
