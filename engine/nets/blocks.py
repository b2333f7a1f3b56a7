"""Shared building blocks of the generative models.

Every layer here is registered with Keras so a `.keras` checkpoint loads with `safe_mode=True`.
The generator normalises per pixel (no batch statistics), so an image depends only on its own
noise and condition, never on what else is in the batch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import keras
from keras import layers, ops

PACKAGE = "lesionlab"
LEAKY_SLOPE = 0.2
SUPPORTED_SIZES = (16, 32, 64, 128, 256)


@dataclass(frozen=True)
class Architecture:
    """Hyperparameters shared by the generator, the discriminator and the deconv baseline.

    Channel width at a resolution r is min(max_channels, channel_base // r); resolutions up to
    `double_conv_until` get two convolutions per block, higher ones one (they dominate cost).
    """

    size: int = 128
    condition_dim: int = 0
    noise_dim: int = 64
    style_dim: int = 128
    channel_base: int = 2048
    max_channels: int = 256
    double_conv_until: int = 32
    d_channel_base: int = 2048
    d_max_channels: int = 256

    def __post_init__(self) -> None:
        if self.size not in SUPPORTED_SIZES:
            raise ValueError(f"size {self.size} must be one of {SUPPORTED_SIZES}")
        if self.condition_dim < 1:
            raise ValueError("condition_dim must be at least 1 (the encoder's dim)")
        for name in ("noise_dim", "style_dim", "channel_base", "max_channels",
                     "d_channel_base", "d_max_channels"):
            if getattr(self, name) < 1:
                raise ValueError(f"architecture field {name} must be positive")

    def width(self, resolution: int) -> int:
        return max(1, min(self.max_channels, self.channel_base // resolution))

    def d_width(self, resolution: int) -> int:
        return max(1, min(self.d_max_channels, self.d_channel_base // resolution))

    @property
    def resolutions(self) -> tuple[int, ...]:
        """Resolutions of the upsampling blocks, 8 .. size."""
        out, resolution = [], 8
        while resolution <= self.size:
            out.append(resolution)
            resolution *= 2
        return tuple(out)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Architecture:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown architecture fields: {', '.join(sorted(unknown))}")
        return cls(**data)


@keras.saving.register_keras_serializable(package=PACKAGE)
class PixelNorm(layers.Layer):
    """Scales each pixel's feature vector to unit mean square (ProGAN): batch-independent."""

    def __init__(self, epsilon: float = 1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, inputs):
        return inputs * ops.rsqrt(ops.mean(ops.square(inputs), axis=-1, keepdims=True)
                                  + self.epsilon)

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package=PACKAGE)
class Modulate(layers.Layer):
    """FiLM: features * (1 + scale) + shift, with scale and shift computed from the style.

    Inputs are [features (b, h, w, c), scale_and_shift (b, 2c)]; injecting the condition at
    every block this way makes the class visible at every scale.
    """

    def call(self, inputs):
        features, scale_and_shift = inputs
        scale, shift = ops.split(scale_and_shift, 2, axis=-1)
        return features * (1.0 + scale[:, None, None, :]) + shift[:, None, None, :]


def modulated_conv(x, style, *, channels: int, name: str):
    """conv 3x3 -> pixel norm -> FiLM from the style -> leaky ReLU."""
    x = layers.Conv2D(channels, 3, padding="same", name=f"{name}_conv")(x)
    x = PixelNorm(name=f"{name}_norm")(x)
    scale_and_shift = layers.Dense(2 * channels, kernel_initializer="zeros",
                                   name=f"{name}_style")(style)
    x = Modulate(name=f"{name}_modulate")([x, scale_and_shift])
    return layers.LeakyReLU(LEAKY_SLOPE, name=f"{name}_act")(x)


def upsample(x, *, name: str):
    """Bilinear 2x upsampling: with a conv after it, no checkerboard artefacts."""
    return layers.UpSampling2D(2, interpolation="bilinear", name=f"{name}_up")(x)


MAPPING_DEPTH = 2
# The mapping network's last layer: its output is the style that truncation pulls towards a
# profile's mean (engine.generator), so sampling models are split there.
STYLE_LAYER = f"mapping_{MAPPING_DEPTH - 1}_act"


def style_vector(noise, condition, *, style_dim: int):
    """Mapping network: embeds the condition, joins it to the noise, two dense layers."""
    embedded = layers.Dense(style_dim, name="condition_embed")(condition)
    embedded = layers.LeakyReLU(LEAKY_SLOPE, name="condition_embed_act")(embedded)
    style = layers.Concatenate(name="style_join")([PixelNorm(name="noise_norm")(noise), embedded])
    for index in range(MAPPING_DEPTH):
        style = layers.Dense(style_dim, name=f"mapping_{index}")(style)
        style = layers.LeakyReLU(LEAKY_SLOPE, name=f"mapping_{index}_act")(style)
    return style


def sampling_inputs(architecture: Architecture):
    """The two inputs of every sampling model: noise and encoded condition."""
    noise = keras.Input((architecture.noise_dim,), name="noise")
    condition = keras.Input((architecture.condition_dim,), name="condition")
    return noise, condition
