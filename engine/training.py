"""Training runs of the generative models: configuration, data streams, fit(), resume.

A run is fully determined by its `TrainConfig` and its data: weights are initialised from the
seed, batches follow a precomputed index stream, and every random draw inside the train step is
a stateless function of (seed, step). A resumed run therefore loads the checkpoint (optimizer
state included), skips the batches already consumed, and ends where an uninterrupted run would.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

from engine.conditioning import ConditionEncoder
from engine.nets.checkpoints import CONFIG_FILE, TRAIN_STATE_FILE, read_config, save_checkpoint
from engine.nets.diffaugment import parse_policy
from engine.nets.gan_networks import check_loss

STRATEGIES = ("auto", "mirrored")
MODELS = ("gan", "deconv")
# Fields that may change between a run and its resumption without changing the result.
RESUMABLE_CHANGES = ("steps",)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a run's result. Defaults: the 128 px GAN as trained on the CPU
    (the shipped one, trained on a GPU, has a 4x wider discriminator; see its config.json)."""

    model: str = "gan"
    size: int = 128
    batch: int = 16
    steps: int = 2000
    seed: int = 0
    learning_rate_g: float = 2e-4
    learning_rate_d: float = 2e-4
    loss: str = "hinge"
    r1_gamma: float = 1.0
    r1_interval: int = 4
    augment: str = "color,translation,cutout"
    # Weight of real images under mismatched profiles in the discriminator's loss (0 = off).
    mismatch_weight: float = 0.0
    # Steps at the start in which only the discriminator learns: a fresh discriminator's
    # warm-up before it trains a fine-tuned generator (0 = none).
    d_warmup_steps: int = 0
    ema_decay: float = 0.995
    ssim_weight: float = 0.5
    balanced: bool = False
    mixed_precision: bool = False
    noise_dim: int = 64
    style_dim: int = 128
    channel_base: int = 1024
    max_channels: int = 256
    double_conv_until: int = 32
    d_channel_base: int = 1536
    d_max_channels: int = 256
    # A trained model folder whose sampling weights start the run (fine-tuning); "" = the seed.
    init_from: str = ""

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"model {self.model!r} must be one of {', '.join(MODELS)}")
        if self.batch < 1 or self.steps < 1:
            raise ValueError("batch and steps must be at least 1")
        if self.d_warmup_steps < 0:
            raise ValueError(f"d_warmup_steps {self.d_warmup_steps} must be >= 0")
        if not 0 <= self.ema_decay < 1:
            raise ValueError(f"ema_decay {self.ema_decay} must be in [0, 1)")
        parse_policy(self.augment)
        check_loss(self.loss)

    def architecture(self, *, condition_dim: int):
        from engine.nets.blocks import Architecture

        names = {f.name for f in fields(Architecture)} - {"size", "condition_dim"}
        return Architecture(size=self.size, condition_dim=condition_dim,
                            **{name: getattr(self, name) for name in names})

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> TrainConfig:
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown training settings: {', '.join(sorted(unknown))}")
        return cls(**data)


@dataclass(frozen=True)
class RunOptions:
    """How a run reports and saves; none of this changes the trained weights."""

    checkpoint_every: int = 250
    sample_every: int = 250
    log_every: int = 25
    grid_columns: int = 8
    strategy: str = "auto"
    divergence_limit: float = 1e4
    progress: bool = True
    model_id: str = ""

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy {self.strategy!r} must be one of {', '.join(STRATEGIES)}")
        if min(self.checkpoint_every, self.sample_every, self.log_every) < 1:
            raise ValueError("checkpoint_every, sample_every and log_every must be >= 1")


@dataclass(frozen=True)
class TrainingData:
    """Images (uint8, n x size x size x 3), their encoded conditions and class labels."""

    images: np.ndarray
    conditions: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    encoder: ConditionEncoder
    source: str = ""

    def __post_init__(self) -> None:
        count = len(self.images)
        if count == 0:
            raise ValueError(f"the training data {self.source or ''} holds no images")
        if self.images.dtype != np.uint8 or self.images.ndim != 4 or self.images.shape[3] != 3:
            raise ValueError("training images must be uint8 with shape (n, size, size, 3)")
        if len(self.conditions) != count or len(self.labels) != count:
            raise ValueError("images, conditions and labels must have the same length")
        if self.conditions.shape[1] != self.encoder.dim:
            raise ValueError(f"conditions have {self.conditions.shape[1]} features; the "
                             f"encoder makes {self.encoder.dim}")

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for array in (self.images, self.conditions.astype(np.float32), self.labels):
            digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(json.dumps(self.encoder.to_json(), sort_keys=True).encode())
        return digest.hexdigest()

    def class_counts(self) -> dict[str, int]:
        return {name: int((self.labels == i).sum()) for i, name in enumerate(self.class_names)}


class TrainingDiverged(ValueError):
    """The loss became non-finite or exploded; the last good checkpoint is kept."""


@dataclass(frozen=True)
class TrainResult:
    step: int
    metrics: dict
    seconds: float
    folder: Path


def batch_indices(labels: np.ndarray, *, batch: int, steps: int, seed: int,
                  balanced: bool) -> np.ndarray:
    """(steps, batch) row numbers: shuffled epochs, or class-balanced draws.

    Balanced: each row of a batch picks a class uniformly, then a member of it uniformly.
    """
    rng = np.random.default_rng([seed, 1])
    if balanced:
        classes = np.unique(labels)
        members = [np.flatnonzero(labels == value) for value in classes]
        chosen = rng.integers(0, len(classes), size=steps * batch)
        picks = rng.random(steps * batch)
        flat = np.array([members[c][int(p * len(members[c]))] for c, p in zip(chosen, picks,
                                                                              strict=True)])
    else:
        needed, parts = steps * batch, []
        while sum(len(p) for p in parts) < needed:
            parts.append(rng.permutation(len(labels)))
        flat = np.concatenate(parts)[:needed]
    return flat.reshape(steps, batch)


def make_stream(data: TrainingData, indices: np.ndarray):
    """A tf.data stream of (uint8 images, conditions) batches following `indices`."""
    import tensorflow as tf

    def batches():
        for rows in indices:
            yield data.images[rows], data.conditions[rows]

    size = data.images.shape[1]
    signature = (tf.TensorSpec((indices.shape[1], size, size, 3), tf.uint8),
                 tf.TensorSpec((indices.shape[1], data.conditions.shape[1]), tf.float32))
    return tf.data.Dataset.from_generator(batches, output_signature=signature).prefetch(2)


def distribution_strategy(name: str):
    """auto: the default (one device) unless several GPUs exist; mirrored: every GPU, or
    every logical CPU device when there is no GPU."""
    import tensorflow as tf

    gpus = tf.config.list_logical_devices("GPU")
    if name == "auto" and len(gpus) < 2:
        return tf.distribute.get_strategy()
    devices = [d.name for d in gpus] or [d.name for d in tf.config.list_logical_devices("CPU")]
    return tf.distribute.MirroredStrategy(devices=devices)


def build_model(config: TrainConfig, *, condition_dim: int):
    """The compiled training model (ConditionalGAN or DeconvBaseline) for `config`."""
    import keras

    from engine.nets.deconv import DeconvBaseline
    from engine.nets.gan import ConditionalGAN

    architecture = config.architecture(condition_dim=condition_dim).to_json()
    if config.model == "deconv":
        model = DeconvBaseline(architecture, ssim_weight=config.ssim_weight, seed=config.seed)
        model.compile(optimizer=keras.optimizers.Adam(config.learning_rate_g, beta_1=0.5))
        return model
    model = ConditionalGAN(architecture, loss=config.loss, r1_gamma=config.r1_gamma,
                           r1_interval=config.r1_interval, augment=config.augment,
                           mismatch_weight=config.mismatch_weight, seed=config.seed)
    model.compile(
        d_optimizer=keras.optimizers.Adam(config.learning_rate_d, beta_1=0.0, beta_2=0.99),
        g_optimizer=keras.optimizers.Adam(generator_learning_rate(config), beta_1=0.0,
                                          beta_2=0.99, use_ema=True,
                                          ema_momentum=config.ema_decay))
    return model


def generator_learning_rate(config: TrainConfig):
    """The generator's rate: 0 during the discriminator's warm-up, then the configured one."""
    import keras

    if not config.d_warmup_steps:
        return config.learning_rate_g
    # The schedule sees the optimizer's iterations (0, 1, ...) and keeps values[0] up to and
    # including the boundary.
    return keras.optimizers.schedules.PiecewiseConstantDecay(
        boundaries=[config.d_warmup_steps - 1], values=[0.0, config.learning_rate_g])


@contextlib.contextmanager
def compute_precision(mixed_precision: bool):
    """Models built inside compute in bfloat16 with float32 weights when `mixed_precision`
    (Keras's `mixed_bfloat16` policy); the global policy is restored on the way out."""
    import keras

    previous = keras.mixed_precision.global_policy()
    if mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy(previous)


@contextlib.contextmanager
def without_remapper():
    """Turns Grappler's remapper off while training. With oneDNN kernels it fuses each
    convolution with its LeakyReLU although the gradient still reads the unfused output, fails
    on the GAN's training graph, logs an error and leaves the graph unfused anyway."""
    import tensorflow as tf

    previous = tf.config.optimizer.get_experimental_options().get("remapping", True)
    tf.config.optimizer.set_experimental_options({"remapping": False})
    try:
        yield
    finally:
        tf.config.optimizer.set_experimental_options({"remapping": previous})


def grid_inputs(data: TrainingData, *, columns: int, noise_dim: int, seed: int):
    """Fixed noise per column and, per class, the conditions of its first training rows."""
    noise = np.random.default_rng([seed, 2]).standard_normal((columns, noise_dim))
    conditions, rows = [], 0
    for value in range(len(data.class_names)):
        members = np.flatnonzero(data.labels == value)
        if len(members) == 0:
            continue
        conditions.append(data.conditions[np.resize(members[:columns], columns)])
        rows += 1
    return (np.tile(noise, (rows, 1)).astype(np.float32),
            np.concatenate(conditions).astype(np.float32))


def initial_weights(config: TrainConfig, data: TrainingData) -> tuple[list, dict]:
    """The sampling weights of `config.init_from` and its provenance, checked to fit the run.

    Fine-tuning keeps the meaning of the condition, so the data must be encoded with the
    model's own encoder (`load_training_data(..., encoder=...)`); the architecture must match,
    except the discriminator's fields (`d_*`): a fine-tuned GAN's discriminator starts fresh.
    """
    from engine.generator import LesionGenerator

    generator = LesionGenerator.load(config.init_from)
    if generator.kind != config.model:
        raise ValueError(f"--init-from {config.init_from} is a {generator.kind} model; this run "
                         f"trains a {config.model}")
    expected = config.architecture(condition_dim=data.encoder.dim).to_json()
    found = generator.config["architecture"]
    changed = sorted(k for k in expected
                     if expected[k] != found.get(k) and not k.startswith("d_"))
    if changed:
        raise ValueError(f"--init-from {config.init_from} has another architecture ("
                         + ", ".join(f"{k}: {found.get(k)!r}, run {expected[k]!r}"
                                     for k in changed) + ")")
    if generator.encoder.to_json() != data.encoder.to_json():
        raise ValueError(f"--init-from {config.init_from}: the training data are encoded with "
                         "another condition encoder; load them with the model's encoder")
    provenance = {"model_id": generator.model_id, "version": generator.version,
                  "sampling_sha256": generator.config["sampling_sha256"]}
    return generator.model.get_weights(), provenance


def _check_resumable(saved: dict, config: TrainConfig, fingerprint: str, folder: Path) -> None:
    before = {k: v for k, v in saved["training"].items() if k not in RESUMABLE_CHANGES}
    now = {k: v for k, v in config.to_json().items() if k not in RESUMABLE_CHANGES}
    changed = sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))
    if changed:
        raise ValueError(
            f"cannot resume {folder}: settings differ from the saved run ("
            + ", ".join(f"{k}: saved {before.get(k)!r}, now {now.get(k)!r}" for k in changed)
            + "); use the saved settings or train into a new folder")
    if saved["data"]["fingerprint"] != fingerprint:
        raise ValueError(f"cannot resume {folder}: the training data differ from the data the "
                         "run started on (fingerprint mismatch)")


def train(config: TrainConfig, data: TrainingData, out: str | Path, *, resume: bool = False,
          options: RunOptions = RunOptions()) -> TrainResult:
    """Train (or with `resume` continue) a model into the folder `out`."""
    import keras

    from engine.nets import callbacks as cb

    out = Path(out)
    if data.images.shape[1:3] != (config.size, config.size):
        raise ValueError(f"images are {data.images.shape[1]} px; the run is set to "
                         f"{config.size} px")
    fingerprint = data.fingerprint()
    saved = read_config(out) if resume and (out / CONFIG_FILE).exists() else None
    if resume and (saved is None or not (out / TRAIN_STATE_FILE).exists()):
        raise ValueError(f"cannot resume: {out} holds no training checkpoint")
    if not resume and (out / CONFIG_FILE).exists():
        raise ValueError(f"{out} already holds a run; pass --resume to continue it or choose "
                         "another --out folder")
    if saved is not None:
        _check_resumable(saved, config, fingerprint, out)
    start_weights, init = (initial_weights(config, data) if config.init_from and saved is None
                           else (None, None))
    keras.utils.set_random_seed(config.seed)
    with compute_precision(config.mixed_precision), \
            distribution_strategy(options.strategy).scope():
        model = build_model(config, condition_dim=data.encoder.dim)
        # Built here, not lazily in the first step: under MirroredStrategy a second
        # optimizer creating its variables inside the step fails.
        model.build_optimizers()
        if saved is not None:
            model.load_weights(out / TRAIN_STATE_FILE)
        elif start_weights is not None:
            model.start_from(start_weights)
    start = model.training_step
    if start > config.steps:
        raise ValueError(f"{out} is already at step {start}, past --steps {config.steps}")
    description = {
        "kind": config.model, "model_id": options.model_id or out.name,
        "size": config.size, "architecture": config.architecture(
            condition_dim=data.encoder.dim).to_json(),
        "training": config.to_json(), "encoder": data.encoder.to_json(),
        "class_names": list(data.class_names),
        "data": {"fingerprint": fingerprint, "source": data.source, "images": len(data.images),
                 "class_counts": data.class_counts()},
        "init": init if saved is None else saved.get("init"),
    }
    started = time.perf_counter()
    remaining = config.steps - start
    guard = cb.DivergenceGuard(start_step=start, limit=options.divergence_limit)
    log = cb.TrainingLog(start_step=start, every=options.log_every, folder=out,
                         batch_size=config.batch, guard=guard)

    def save() -> None:
        save_checkpoint(model, out, config={**description, "metrics": log.latest,
                                            "seconds": time.perf_counter() - started})

    noise, conditions = grid_inputs(data, columns=options.grid_columns,
                                     noise_dim=config.noise_dim, seed=config.seed)
    checkpointer = cb.Checkpointer(start_step=start, every=options.checkpoint_every,
                                   save=save, guard=guard)
    callbacks = [guard, log,
                 cb.SampleGrid(start_step=start, every=options.sample_every,
                               folder=out / "samples", noise=noise, conditions=conditions,
                               columns=options.grid_columns, guard=guard),
                 checkpointer]
    if options.progress:
        callbacks.append(cb.ProgressBar(start_step=start, total_steps=config.steps,
                                        description=f"training {config.model}"))
    out.mkdir(parents=True, exist_ok=True)
    if remaining:
        indices = batch_indices(data.labels, batch=config.batch, steps=config.steps,
                                seed=config.seed, balanced=config.balanced)[start:]
        with without_remapper():
            model.fit(make_stream(data, indices), epochs=1, steps_per_epoch=remaining,
                      verbose=0, callbacks=callbacks)
    if guard.reason:
        kept = (f"the last good checkpoint (step {checkpointer.saved_step}) is kept in {out}"
                if (out / TRAIN_STATE_FILE).exists() else "no checkpoint had been written yet")
        raise TrainingDiverged(f"{guard.reason}; {kept}. Lower the learning rates or raise "
                               "r1_gamma and train again")
    if model.training_step != checkpointer.saved_step or saved is None:
        save()
    result = TrainResult(step=model.training_step, metrics=dict(log.latest),
                         seconds=time.perf_counter() - started, folder=out)
    _write_metrics(out, result, config=config)
    return result


def _write_metrics(out: Path, result: TrainResult, *, config: TrainConfig) -> None:
    """metrics.json: the last logged training metrics and what the run cost."""
    import platform

    from engine.nets.checkpoints import atomic_write_json

    path = out / "metrics.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    seconds = previous.get("training", {}).get("seconds", 0.0) + result.seconds
    atomic_write_json(path, {**previous, "training": {
        "steps": result.step, "batch": config.batch, "seconds": round(seconds, 1),
        "images_seen": result.step * config.batch, "final": result.metrics,
        "hardware": f"{platform.machine()} {platform.processor() or ''}".strip()}})

