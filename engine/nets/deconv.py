"""The baseline: a Conv2DTranspose decoder from the same (noise, condition) input as the GAN,
trained to reconstruct real images of that condition with L1 + SSIM.

It has no adversary, so it learns something close to the conditional mean image; comparing it
with the GAN on the same metrics shows what the adversarial training adds.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers

from engine.nets.blocks import LEAKY_SLOPE, PACKAGE, Architecture, sampling_inputs, style_vector
from engine.nets.gan import step_seed, to_unit_range

METRIC_NAMES = ("loss", "l1", "ssim")


def build_deconv_decoder(architecture: Architecture, *, name: str = "decoder") -> keras.Model:
    """(noise, condition) -> image in [-1, 1] through stride-2 transposed convolutions."""
    noise, condition = sampling_inputs(architecture)
    style = style_vector(noise, condition, style_dim=architecture.style_dim)
    channels = architecture.width(4)
    x = layers.Dense(4 * 4 * channels, name="const_dense")(style)
    x = layers.Reshape((4, 4, channels), name="const_reshape")(x)
    x = layers.LeakyReLU(LEAKY_SLOPE, name="const_act")(x)
    resolutions = architecture.resolutions
    for resolution in resolutions[:-1]:
        x = layers.Conv2DTranspose(architecture.width(resolution), 4, strides=2, padding="same",
                                   name=f"deconv{resolution}")(x)
        x = layers.BatchNormalization(name=f"deconv{resolution}_norm")(x)
        x = layers.LeakyReLU(LEAKY_SLOPE, name=f"deconv{resolution}_act")(x)
    x = layers.Conv2DTranspose(3, 4, strides=2, padding="same", name="to_rgb")(x)
    image = layers.Activation("tanh", dtype="float32", name="image")(x)
    return keras.Model([noise, condition], image, name=name)


@keras.saving.register_keras_serializable(package=PACKAGE)
class DeconvBaseline(keras.Model):
    """The decoder plus a reconstruction `train_step` (L1 + ssim_weight * (1 - SSIM))."""

    def __init__(self, architecture: dict, *, ssim_weight: float = 0.5, seed: int = 0,
                 **kwargs):
        super().__init__(**kwargs)
        if ssim_weight < 0:
            raise ValueError(f"ssim_weight {ssim_weight} must be >= 0")
        self.architecture = Architecture.from_json(dict(architecture))
        self.ssim_weight = float(ssim_weight)
        self.seed = int(seed)
        self.decoder = build_deconv_decoder(self.architecture)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in METRIC_NAMES}
        self.built = True

    @property
    def metrics(self):
        return list(self.trackers.values())

    @property
    def sampling_model(self) -> keras.Model:
        return self.decoder

    @property
    def training_step(self) -> int:
        return int(self.optimizer.iterations.numpy())

    def call(self, inputs, training=False):
        return self.decoder(inputs, training=training)

    def build_optimizers(self) -> None:
        self.optimizer.build(self.decoder.trainable_variables)

    def start_from(self, weights: list) -> None:
        """Begin from a trained decoder (fine-tuning)."""
        self.decoder.set_weights(weights)

    def sync_sampling_model(self) -> None:
        """The decoder is itself the sampling model: nothing to copy."""

    def train_step(self, data):
        images = to_unit_range(data[0])
        conditions = tf.cast(data[1], tf.float32)
        batch = tf.shape(images)[0]
        replicas = float(tf.distribute.get_strategy().num_replicas_in_sync)
        noise = tf.random.stateless_normal(
            tf.stack([batch, self.architecture.noise_dim]),
            seed=step_seed(self.seed, self.optimizer.iterations, 0))
        filter_size = min(11, self.architecture.size // 2 - 1)
        with tf.GradientTape() as tape:
            decoded = self.decoder([noise, conditions], training=True)
            l1 = tf.reduce_mean(tf.abs(decoded - images))
            ssim = tf.reduce_mean(tf.image.ssim((decoded + 1.0) / 2.0, (images + 1.0) / 2.0,
                                                max_val=1.0, filter_size=filter_size))
            loss = l1 + self.ssim_weight * (1.0 - ssim)
            scaled = loss / replicas
        variables = self.decoder.trainable_variables
        self.optimizer.apply(tape.gradient(scaled, variables), variables)
        for name, value in {"loss": loss, "l1": l1, "ssim": ssim}.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def get_config(self):
        return {**super().get_config(), "architecture": self.architecture.to_json(),
                "ssim_weight": self.ssim_weight, "seed": self.seed}
