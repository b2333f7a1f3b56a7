"""Training the conditional GAN with JAX, for a borrowed GPU.

LesionLab runs on TensorFlow's CPU build; the GPU machines we borrow have JAX but no
TensorFlow. Keras 3 runs the same networks (`engine.nets.gan_networks`) on JAX, and the
generator it saves loads on TensorFlow. `train_on_jax` is the JAX twin of
`ConditionalGAN.train_step`: the same losses, lazy R1, DiffAugment and moving average of the
generator, with `jax.grad` in place of `tf.GradientTape`. It writes the checkpoint folder that
`LesionGenerator` loads (sampling file, config.json, metrics.json, log.csv, sample grids).
A GPU run is short, so it has no resume: it starts again from its seed.

KERAS_BACKEND=jax must be set before Keras is first imported.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np

from engine.training import (
    TrainConfig,
    TrainingData,
    TrainResult,
    batch_indices,
    generator_learning_rate,
    grid_inputs,
)

METRIC_NAMES = ("d_loss", "g_loss", "r1", "d_real", "d_fake")


def _check_backend():
    import keras

    if keras.backend.backend() != "jax":
        raise ValueError("train_on_jax needs the JAX backend: set KERAS_BACKEND=jax before "
                         f"Keras is imported (it is {keras.backend.backend()!r})")


def make_train_step(config: TrainConfig, *, generator, discriminator, g_optimizer, d_optimizer):
    """A jitted step: (state, images uint8, conditions, step) -> (state, metrics).

    state = (generator weights, discriminator weights, generator optimizer variables,
    discriminator optimizer variables, moving-average generator weights).
    """
    import jax
    import jax.numpy as jnp

    from engine.nets.diffaugment import diff_augment, parse_policy, uniform_shapes
    from engine.nets.gan_networks import generator_loss, judged_batch, judged_loss

    policy = parse_policy(config.augment)
    noise_dim = config.noise_dim

    def augment(images, key):
        if not policy:
            return images
        shapes = uniform_shapes(policy, images.shape[0])
        return diff_augment(images, policy=policy, uniforms={
            name: jax.random.uniform(jax.random.fold_in(key, index), shape)
            for index, (name, shape) in enumerate(shapes.items())})

    def generate(weights, noise, conditions):
        images, _ = generator.stateless_call(weights, [], [noise, conditions], training=True)
        return images

    def score(weights, images, conditions):
        logits, _ = discriminator.stateless_call(weights, [], [images, conditions],
                                                 training=True)
        return logits

    def step(state, images, conditions, step_index):
        g_weights, d_weights, g_opt_vars, d_opt_vars, average = state
        keys = jax.random.split(jax.random.fold_in(jax.random.PRNGKey(config.seed), step_index),
                                4)
        real = images.astype(jnp.float32) / 127.5 - 1.0
        batch = real.shape[0]
        fake = jax.lax.stop_gradient(generate(
            g_weights, jax.random.normal(keys[0], (batch, noise_dim)), conditions))
        lazy_r1 = jnp.logical_and(step_index % config.r1_interval == 0, config.r1_gamma > 0)

        def d_objective(weights):
            both = augment(jnp.concatenate([real, fake]), keys[1])
            logits = score(weights, *judged_batch(both, conditions,
                                                  mismatch_weight=config.mismatch_weight))
            loss, real_logits, fake_logits = judged_loss(
                logits, batch, kind=config.loss, mismatch_weight=config.mismatch_weight)

            def r1_penalty():
                gradient = jax.grad(lambda x: jnp.sum(score(weights, x, conditions)))(real)
                return jnp.mean(jnp.sum(jnp.square(gradient), axis=(1, 2, 3)))

            r1 = jax.lax.cond(lazy_r1, r1_penalty, lambda: jnp.zeros((), jnp.float32))
            total = loss + 0.5 * config.r1_gamma * config.r1_interval * r1
            return total, (loss, r1, jnp.mean(real_logits), jnp.mean(fake_logits))

        (_, (d_loss, r1, d_real, d_fake)), gradients = jax.value_and_grad(
            d_objective, has_aux=True)(d_weights)
        d_weights, d_opt_vars = d_optimizer.stateless_apply(d_opt_vars, gradients, d_weights)

        def g_objective(weights):
            generated = generate(weights, jax.random.normal(keys[2], (batch, noise_dim)),
                                 conditions)
            logits = score(d_weights, augment(generated, keys[3]), conditions)
            return generator_loss(logits, kind=config.loss)

        g_loss, gradients = jax.value_and_grad(g_objective)(g_weights)
        g_weights, g_opt_vars = g_optimizer.stateless_apply(g_opt_vars, gradients, g_weights)
        decay = config.ema_decay
        average = [decay * a + (1.0 - decay) * w for a, w in zip(average, g_weights, strict=True)]
        metrics = {"d_loss": d_loss, "g_loss": g_loss, "r1": r1, "d_real": d_real,
                   "d_fake": d_fake}
        return (g_weights, d_weights, g_opt_vars, d_opt_vars, average), metrics

    return jax.jit(step, donate_argnums=0)


def train_on_jax(config: TrainConfig, data: TrainingData, out: str | Path, *,
                 model_id: str = "", log_every: int = 100, sample_every: int = 1000,
                 time_limit_seconds: float | None = None, progress: bool = True) -> TrainResult:
    """Train a GAN for `config.steps` steps (or until the time limit) into the folder `out`."""
    _check_backend()
    import jax
    import jax.numpy as jnp
    import keras
    from PIL import Image

    from engine.nets.callbacks import tile_grid, to_uint8
    from engine.nets.checkpoints import atomic_write_json, write_sampling_checkpoint
    from engine.nets.gan_networks import build_discriminator, build_generator
    from engine.progress import progress_bar

    if config.model != "gan":
        raise ValueError("train_on_jax trains the GAN only; train the deconv baseline on the CPU")
    out = Path(out)
    if (out / "config.json").exists():
        raise ValueError(f"{out} already holds a run; choose another folder")
    (out / "samples").mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(config.seed)
    architecture = config.architecture(condition_dim=data.encoder.dim)
    generator = build_generator(architecture)
    discriminator = build_discriminator(architecture)
    average_model = build_generator(architecture, name="ema_generator")
    g_optimizer = keras.optimizers.Adam(generator_learning_rate(config), beta_1=0.0,
                                        beta_2=0.99)
    d_optimizer = keras.optimizers.Adam(config.learning_rate_d, beta_1=0.0, beta_2=0.99)
    g_optimizer.build(generator.trainable_variables)
    d_optimizer.build(discriminator.trainable_variables)
    step_function = make_train_step(config, generator=generator, discriminator=discriminator,
                                    g_optimizer=g_optimizer, d_optimizer=d_optimizer)
    state = ([v.value for v in generator.trainable_variables],
             [v.value for v in discriminator.trainable_variables],
             [v.value for v in g_optimizer.variables], [v.value for v in d_optimizer.variables],
             [jnp.array(v.value) for v in generator.trainable_variables])
    images = jax.device_put(data.images)
    conditions = jax.device_put(data.conditions.astype(np.float32))
    indices = batch_indices(data.labels, batch=config.batch, steps=config.steps,
                            seed=config.seed, balanced=config.balanced)
    grid_noise, grid_conditions = grid_inputs(data, columns=8, noise_dim=config.noise_dim,
                                            seed=config.seed)

    def write_grid(step: int) -> None:
        for variable, value in zip(average_model.trainable_variables, state[4], strict=True):
            variable.assign(value)
        grid = average_model([grid_noise, grid_conditions], training=False)
        Image.fromarray(tile_grid(to_uint8(grid), columns=8)).save(
            out / "samples" / f"step_{step:07d}.png")

    log_rows, started, step = [], time.perf_counter(), 0
    with progress_bar(fields=("losses",), disable=not progress) as bar:
        task = bar.add_task("training gan (jax)", total=config.steps, losses="")
        for step in range(1, config.steps + 1):
            rows = jnp.asarray(indices[step - 1])
            state, metrics = step_function(state, images[rows], conditions[rows],
                                           jnp.int32(step - 1))
            if step % log_every == 0 or step == config.steps:
                values = {k: float(v) for k, v in metrics.items()}
                if not all(np.isfinite(v) for v in values.values()):
                    raise ValueError(f"training diverged at step {step}: {values}")
                log_rows.append({"step": step, **values,
                                 "seconds": round(time.perf_counter() - started, 1)})
                bar.update(task, completed=step, losses=f"d_loss {values['d_loss']:.3f} "
                                                        f"g_loss {values['g_loss']:.3f}")
            if step % sample_every == 0:
                write_grid(step)
            if time_limit_seconds and time.perf_counter() - started > time_limit_seconds:
                break
    seconds = time.perf_counter() - started
    write_grid(step)
    with open(out / "log.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["step", *METRIC_NAMES, "seconds"])
        writer.writeheader()
        writer.writerows(log_rows)
    trained = TrainConfig.from_json({**config.to_json(), "steps": step})
    description = {
        "kind": "gan", "model_id": model_id or out.name, "size": config.size,
        "architecture": architecture.to_json(), "training": trained.to_json(),
        "encoder": data.encoder.to_json(), "class_names": list(data.class_names),
        "data": {"fingerprint": data.fingerprint(), "source": data.source,
                 "images": len(data.images), "class_counts": data.class_counts()},
        "backend": f"jax {jax.__version__} on {jax.devices()[0].device_kind}",
        "metrics": log_rows[-1] if log_rows else {}, "seconds": round(seconds, 1),
    }
    write_sampling_checkpoint(average_model, out, config=description, step=step)
    atomic_write_json(out / "metrics.json", {"training": {
        "steps": step, "batch": config.batch, "seconds": round(seconds, 1),
        "images_seen": step * config.batch, "final": description["metrics"],
        "hardware": description["backend"]}})
    return TrainResult(step=step, metrics=description["metrics"], seconds=seconds, folder=out)

