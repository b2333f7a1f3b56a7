"""Conditional GAN: the `ConditionalGAN` model whose `train_step` updates the generator and the
projection discriminator (`engine.nets.gan_networks`) with `tf.GradientTape`.

Noise, augmentation and the lazy R1 schedule are drawn from stateless seeds derived from
(seed, step, replica), so a resumed run repeats exactly what an uninterrupted one would do.
The generator's exponential moving average lives in its optimizer (`use_ema`) and is copied
into `ema_generator`, the sampling model, by `sync_sampling_model`.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from engine.nets.blocks import PACKAGE, Architecture
from engine.nets.diffaugment import diff_augment, parse_policy, uniform_shapes
from engine.nets.gan_networks import (
    build_discriminator,
    build_generator,
    check_loss,
    generator_loss,
    judged_batch,
    judged_loss,
)

METRIC_NAMES = ("d_loss", "g_loss", "r1", "d_real", "d_fake")


def to_unit_range(images):
    """uint8 (or float 0..255) images -> float32 in [-1, 1]."""
    return tf.cast(images, tf.float32) / 127.5 - 1.0


def step_seed(base_seed, step, purpose: int):
    """A stateless seed for one purpose in one step, distinct per replica."""
    replica = tf.distribute.get_replica_context()
    replica_id = 0 if replica is None else replica.replica_id_in_sync_group
    seed = tf.stack([tf.cast(base_seed, tf.int64), tf.cast(step, tf.int64)])
    seed = tf.random.experimental.stateless_fold_in(seed, purpose)
    return tf.random.experimental.stateless_fold_in(seed, tf.cast(replica_id, tf.int64))


@keras.saving.register_keras_serializable(package=PACKAGE)
class ConditionalGAN(keras.Model):
    """Generator, discriminator and EMA generator trained together by `fit()`."""

    def __init__(self, architecture: dict, *, loss: str = "hinge", r1_gamma: float = 1.0,
                 r1_interval: int = 4, augment: str = "color,translation,cutout",
                 mismatch_weight: float = 0.0, seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        if r1_interval < 1 or r1_gamma < 0:
            raise ValueError("r1_interval must be >= 1 and r1_gamma >= 0")
        if mismatch_weight < 0:
            raise ValueError(f"mismatch_weight {mismatch_weight} must be >= 0")
        self.architecture = Architecture.from_json(dict(architecture))
        self.loss_kind = check_loss(loss)
        self.r1_gamma = float(r1_gamma)
        self.r1_interval = int(r1_interval)
        self.augment_policy = parse_policy(augment)
        self.mismatch_weight = float(mismatch_weight)
        self.seed = int(seed)
        self.generator = build_generator(self.architecture)
        self.discriminator = build_discriminator(self.architecture)
        self.ema_generator = build_generator(self.architecture, name="ema_generator")
        self.ema_generator.trainable = False
        self.trackers = {name: keras.metrics.Mean(name=name) for name in METRIC_NAMES}
        self.built = True

    def compile(self, *, d_optimizer, g_optimizer, **kwargs):
        if not getattr(g_optimizer, "use_ema", False):
            raise ValueError("the generator optimizer needs use_ema=True (the sampling model)")
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    @property
    def metrics(self):
        return list(self.trackers.values())

    @property
    def sampling_model(self) -> keras.Model:
        return self.ema_generator

    @property
    def training_step(self) -> int:
        return int(self.g_optimizer.iterations.numpy())

    def call(self, inputs, training=False):
        return self.ema_generator(inputs, training=training)

    def build_optimizers(self) -> None:
        """Create optimizer state before loading a training checkpoint into it."""
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    def start_from(self, weights: list) -> None:
        """Begin from a trained generator (fine-tuning); the discriminator starts fresh and
        the moving average takes the generator's weights at the first step."""
        self.generator.set_weights(weights)
        self.ema_generator.set_weights(weights)

    def sync_sampling_model(self) -> None:
        """Copy the optimizer's moving average of the generator into `ema_generator`."""
        averages = getattr(self.g_optimizer, "_model_variables_moving_average", None)
        sources = averages if averages else self.generator.trainable_variables
        for target, source in zip(self.ema_generator.weights, sources, strict=True):
            target.assign(source)

    def _augment(self, images, seed):
        if not self.augment_policy:
            return images
        shapes = uniform_shapes(self.augment_policy, tf.shape(images)[0])
        uniforms = {
            name: tf.random.stateless_uniform(
                tf.stack(shape), seed=tf.random.experimental.stateless_fold_in(seed, index))
            for index, (name, shape) in enumerate(shapes.items())}
        return diff_augment(images, policy=self.augment_policy, uniforms=uniforms)

    def _noise(self, batch, seed):
        return tf.random.stateless_normal(
            tf.stack([batch, self.architecture.noise_dim]), seed=seed)

    def _r1_penalty(self, images, conditions):
        with tf.GradientTape() as tape:
            tape.watch(images)
            total = tf.reduce_sum(self.discriminator([images, conditions], training=True))
        gradients = tape.gradient(total, images)
        return tf.reduce_mean(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]))

    def _lazy_r1(self, images, conditions, step):
        """(penalty, weight for the r1 metric, loss multiplier): R1 on the whole batch every
        r1_interval-th step, scaled up by the interval (lazy regularisation)."""
        if self.r1_gamma == 0:
            return tf.zeros(()), 0.0, 0.0
        due = tf.equal(step % self.r1_interval, 0)
        penalty = tf.cond(due, lambda: self._r1_penalty(images, conditions),
                          lambda: tf.zeros(()))
        return penalty, tf.cast(due, tf.float32), float(self.r1_interval)

    def train_step(self, data):
        images, conditions = data[0], data[1]
        images = to_unit_range(images)
        conditions = tf.cast(conditions, tf.float32)
        batch = tf.shape(images)[0]
        step = self.g_optimizer.iterations
        replicas = float(tf.distribute.get_strategy().num_replicas_in_sync)
        generated = self.generator([self._noise(batch, step_seed(self.seed, step, 0)),
                                    conditions], training=True)
        with tf.GradientTape() as tape:
            both = self._augment(tf.concat([images, generated], axis=0),
                                 step_seed(self.seed, step, 1))
            logits = self.discriminator(
                judged_batch(both, conditions, mismatch_weight=self.mismatch_weight),
                training=True)
            d_loss, real_logits, fake_logits = judged_loss(
                logits, batch, kind=self.loss_kind, mismatch_weight=self.mismatch_weight)
            r1, r1_weight, r1_scale = self._lazy_r1(images, conditions, step)
            total = (d_loss + 0.5 * self.r1_gamma * r1_scale * r1) / replicas
        gradients = tape.gradient(total, self.discriminator.trainable_variables)
        self.d_optimizer.apply(gradients, self.discriminator.trainable_variables)

        with tf.GradientTape() as tape:
            generated = self.generator([self._noise(batch, step_seed(self.seed, step, 2)),
                                        conditions], training=True)
            augmented = self._augment(generated, step_seed(self.seed, step, 3))
            g_logits = self.discriminator([augmented, conditions], training=True)
            g_loss = generator_loss(g_logits, kind=self.loss_kind)
            scaled = g_loss / replicas
        gradients = tape.gradient(scaled, self.generator.trainable_variables)
        self.g_optimizer.apply(gradients, self.generator.trainable_variables)

        values = {"d_loss": d_loss, "g_loss": g_loss, "d_real": tf.reduce_mean(real_logits),
                  "d_fake": tf.reduce_mean(fake_logits)}
        for name, value in values.items():
            self.trackers[name].update_state(value)
        self.trackers["r1"].update_state(r1, sample_weight=r1_weight)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def get_config(self):
        return {
            **super().get_config(),
            "architecture": self.architecture.to_json(),
            "loss": self.loss_kind,
            "r1_gamma": self.r1_gamma,
            "r1_interval": self.r1_interval,
            "augment": ",".join(self.augment_policy),
            "mismatch_weight": self.mismatch_weight,
            "seed": self.seed,
        }
