"""The auditor: a compact CNN that names the diagnosis (7 classes) and malignancy of an image.

It judges generated images (conditional accuracy), gives the domain features for FID/KID (its
penultimate layer, "features"), and ranks quiz items by difficulty. It reads 128 px images and
works at 64 px inside (anti-aliased resize), which keeps training within minutes on two CPU
cores. It is trained with strong augmentation (flips, rotations, crops, colour jitter, blur,
noise) so that what it learns on synthetic images carries over to real dermoscopy.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from engine.vocabulary import DIAGNOSES, MALIGNANT

CHECKPOINT = "auditor.keras"
CONFIG = "config.json"
STATE = "training_state.json"
FEATURE_LAYER = "features"
FORMAT_VERSION = 1
LEARNING_RATE_SCHEDULES = ("cosine", "constant")


@dataclass(frozen=True)
class AuditorConfig:
    input_size: int = 128
    internal_size: int = 64
    widths: tuple[int, ...] = (24, 48, 96, 160)
    feature_dim: int = 128
    dropout: float = 0.3
    learning_rate: float = 2e-3
    # "cosine": the rate falls to 5% of its start over the run, so the last epochs settle the
    # weights instead of ending on a noisy step; "constant" keeps it fixed.
    learning_rate_schedule: str = "cosine"
    batch_size: int = 64
    epochs: int = 10
    malignant_loss_weight: float = 0.5
    validation_share: float = 0.1

    def __post_init__(self) -> None:
        if self.internal_size > self.input_size or self.internal_size % 16:
            raise ValueError(f"internal_size {self.internal_size} must be a multiple of 16 "
                             f"no larger than input_size {self.input_size}")
        if not self.widths or min(self.widths) < 1 or self.epochs < 1 or self.batch_size < 1:
            raise ValueError("widths, epochs and batch_size must be positive")
        if self.learning_rate_schedule not in LEARNING_RATE_SCHEDULES:
            raise ValueError(f"learning_rate_schedule {self.learning_rate_schedule!r} must be "
                             f"one of {', '.join(LEARNING_RATE_SCHEDULES)}")
        if not 0 < self.validation_share < 0.5:
            raise ValueError(f"validation_share {self.validation_share} must be in (0, 0.5)")

    @classmethod
    def from_json(cls, data: dict) -> AuditorConfig:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown auditor config fields: {', '.join(sorted(unknown))}")
        return cls(**{**data, "widths": tuple(data.get("widths", cls.widths))})


def _augmentation_layers(seed: int) -> list:
    """Flips, turns, zoom, colour jitter and blur; active only while training."""
    from keras import layers

    pixel_range = (0, 255)
    return [
        layers.RandomFlip("horizontal_and_vertical", seed=seed),
        layers.RandomRotation(0.5, fill_mode="reflect", seed=seed + 1),
        layers.RandomZoom((-0.25, 0.0), fill_mode="reflect", seed=seed + 2),
        layers.RandomBrightness(0.12, value_range=pixel_range, seed=seed + 3),
        layers.RandomContrast(0.3, value_range=pixel_range, seed=seed + 4),
        layers.RandomSaturation((0.3, 0.7), value_range=pixel_range, seed=seed + 5),
        layers.RandomHue(0.05, value_range=pixel_range, seed=seed + 6),
        layers.RandomGaussianBlur((0.0, 0.6), kernel_size=3, value_range=pixel_range,
                                  seed=seed + 7),
    ]


def build_auditor(*, config: AuditorConfig = AuditorConfig(), seed: int = 0):
    """The auditor network: uint8-range RGB in, outputs `diagnosis` (7) and `malignant` (1).

    The augmentation layers after the resize act only in training, so the saved model is the
    plain classifier at inference.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=(None, None, 3), name="image")
    x = layers.Resizing(config.internal_size, config.internal_size, antialias=True)(inputs)
    for layer in _augmentation_layers(seed):
        x = layer(x)
    x = layers.Rescaling(1 / 127.5, offset=-1)(x)
    x = layers.GaussianNoise(0.03, seed=seed + 8)(x)
    for index, width in enumerate(config.widths):
        for repeat in range(2):
            x = layers.Conv2D(width, 3, padding="same", use_bias=False,
                              name=f"block{index}_conv{repeat}")(x)
            # Momentum 0.9: with the default 0.99 the moving statistics trail the weights
            # over a run of a thousand steps, and inference drifts towards a few classes.
            x = layers.BatchNormalization(momentum=0.9, name=f"block{index}_norm{repeat}")(x)
            x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(name=f"block{index}_pool")(x)
    x = layers.GlobalAveragePooling2D()(x)
    features = layers.Dense(config.feature_dim, activation="relu", name=FEATURE_LAYER)(x)
    x = layers.Dropout(config.dropout)(features)
    diagnosis = layers.Dense(len(DIAGNOSES), activation="softmax", name="diagnosis")(x)
    malignant = layers.Dense(1, activation="sigmoid", name="malignant")(x)
    return keras.Model(inputs, {"diagnosis": diagnosis, "malignant": malignant}, name="auditor")


def compile_auditor(model, *, config: AuditorConfig, steps_per_epoch: int) -> None:
    import keras

    learning_rate = config.learning_rate
    if config.learning_rate_schedule == "cosine":
        learning_rate = keras.optimizers.schedules.CosineDecay(
            config.learning_rate, decay_steps=config.epochs * steps_per_epoch, alpha=0.05)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss={"diagnosis": "sparse_categorical_crossentropy", "malignant": "binary_crossentropy"},
        loss_weights={"diagnosis": 1.0, "malignant": config.malignant_loss_weight},
    )


@dataclass(frozen=True)
class Prediction:
    probabilities: np.ndarray  # (N, 7) over DIAGNOSES
    malignant: np.ndarray  # (N,) probability from the malignant head
    features: np.ndarray  # (N, feature_dim)


class Auditor:
    """A trained auditor loaded from its folder (config.json + auditor.keras), read-only."""

    def __init__(self, folder: str | Path) -> None:
        import keras

        folder = Path(folder)
        config_path, checkpoint = folder / CONFIG, folder / CHECKPOINT
        for path in (config_path, checkpoint):
            if not path.is_file():
                raise ValueError(f"{path} not found: is {folder} an auditor folder "
                                 "(train one with `lesionlab train --model auditor`)?")
        self.card = json.loads(config_path.read_text())
        if self.card.get("kind") != "auditor":
            raise ValueError(f"{config_path}: kind is {self.card.get('kind')!r}, not 'auditor'")
        self.config = AuditorConfig.from_json(self.card["architecture"])
        model = keras.models.load_model(checkpoint, safe_mode=True, compile=False)
        outputs = [model.output["diagnosis"], model.output["malignant"],
                   model.get_layer(FEATURE_LAYER).output]
        self._model = keras.Model(model.input, outputs)
        # identity of the weights actually loaded (keys the feature cache)
        self.model_id = f"auditor:{hashlib.sha256(checkpoint.read_bytes()).hexdigest()[:16]}"

    @property
    def input_size(self) -> int:
        return self.config.input_size

    def predict(self, images: np.ndarray, *, batch_size: int = 256, progress=None) -> Prediction:
        """Predictions for uint8 images (N, input_size, input_size, 3)."""
        if images.ndim != 4 or images.shape[-1] != 3:
            raise ValueError(f"expected images (N, h, w, 3), got shape {images.shape}")
        parts = []
        for start in range(0, len(images), batch_size):
            batch = images[start:start + batch_size].astype(np.float32)
            parts.append([np.asarray(p) for p in self._model(batch, training=False)])
            if progress is not None:
                progress(min(start + batch_size, len(images)), len(images))
        if not parts:
            raise ValueError("no images to predict")
        probabilities, malignant, features = (np.concatenate(p) for p in zip(*parts, strict=True))
        return Prediction(probabilities, malignant[:, 0], features)

    def score(self, images: np.ndarray, labels: np.ndarray, *, progress=None):
        """(predictions, per-class recall / balanced accuracy / malignant AUC) on labelled
        images: what `lesionlab classify` prints and the card records for real images."""
        from engine.evaluation.classification import classification_scores

        prediction = self.predict(images, progress=progress)
        scores = classification_scores(labels=labels, probabilities=prediction.probabilities,
                                       malignant_probability=prediction.malignant)
        return prediction, scores


def malignant_labels(labels: np.ndarray) -> np.ndarray:
    return np.isin(labels, [DIAGNOSES.index(name) for name in MALIGNANT]).astype(np.float32)


def downsample(images: np.ndarray, *, size: int) -> np.ndarray:
    """uint8 images resized to size x size exactly as the auditor's own Resizing layer does."""
    from keras import ops

    parts = [ops.convert_to_numpy(ops.image.resize(images[start:start + 512].astype(np.float32),
                                                   (size, size), antialias=True))
             for start in range(0, len(images), 512)]
    return np.clip(np.round(np.concatenate(parts)), 0, 255).astype(np.uint8)


def _class_weights(labels: np.ndarray) -> np.ndarray:
    """Per-image weights that give every class present the same total weight."""
    counts = np.bincount(labels, minlength=len(DIAGNOSES)).astype(np.float64)
    per_class = len(labels) / (np.count_nonzero(counts) * counts.clip(1))
    return per_class[labels].astype(np.float32)


def _validation_split(labels: np.ndarray, groups: np.ndarray, *, share: float, seed: int):
    import pandas as pd

    from engine.datasets import split_by_group

    table = pd.DataFrame({"group": groups.astype(str), "dx": [DIAGNOSES[i] for i in labels]})
    train, validation = split_by_group(table, fractions=(1 - share, share), seed=seed)
    return train, validation


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _progress_callback(total_epochs: int, steps_per_epoch: int, first_epoch: int):
    import keras

    from engine.progress import progress_bar

    class RichProgress(keras.callbacks.Callback):
        """One bar over all remaining steps, with the latest loss and an ETA."""

        def on_train_begin(self, logs=None):
            self.bar = progress_bar(fields=("epoch", "loss"))
            self.bar.start()
            self.task = self.bar.add_task(
                "training auditor", total=(total_epochs - first_epoch) * steps_per_epoch,
                epoch=f"epoch {first_epoch + 1}/{total_epochs}", loss="")

        def on_train_batch_end(self, batch, logs=None):
            self.bar.update(self.task, advance=1,
                            loss=f"loss {(logs or {}).get('loss', 0):.3f}")

        def on_epoch_begin(self, epoch, logs=None):
            if hasattr(self, "bar"):
                self.bar.update(self.task, epoch=f"epoch {epoch + 1}/{total_epochs}")

        def on_train_end(self, logs=None):
            self.bar.stop()

    return RichProgress()


def fit_auditor(
    *,
    images: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    out: str | Path,
    config: AuditorConfig = AuditorConfig(),
    seed: int = 0,
    data_description: dict | None = None,
    max_minutes: float | None = None,
    show_progress: bool = True,
) -> dict:
    """Train on uint8 images (N, s, s, 3) with diagnosis indices and group ids; write `out`.

    Validation images are whole groups (lesions / patients). After every epoch the checkpoint
    and `training_state.json` are replaced atomically, so an interrupted run resumes from the
    last finished epoch when called again with the same `out`. Stops early, still resumable,
    once `max_minutes` have passed. Returns the validation scores written to metrics.json.
    """
    import keras

    from engine.evaluation.classification import classification_scores

    images, labels, groups = np.asarray(images), np.asarray(labels), np.asarray(groups)
    if images.ndim != 4 or images.shape[-1] != 3 or images.dtype != np.uint8:
        raise ValueError(f"expected uint8 images (N, h, w, 3), got {images.dtype} {images.shape}")
    if not (len(images) == len(labels) == len(groups)):
        raise ValueError(f"{len(images)} images, {len(labels)} labels and {len(groups)} groups "
                         "must have the same length")
    if labels.min() < 0 or labels.max() >= len(DIAGNOSES):
        raise ValueError(f"labels must be diagnosis indices 0..{len(DIAGNOSES) - 1}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    small = downsample(images, size=config.internal_size)
    train, validation = _validation_split(labels, groups, share=config.validation_share,
                                          seed=seed)
    keras.utils.set_random_seed(seed)
    state_path, checkpoint = out / STATE, out / CHECKPOINT
    first_epoch = 0
    steps_per_epoch = -(-len(train) // config.batch_size)
    if state_path.is_file() and checkpoint.is_file():
        model = keras.models.load_model(checkpoint, safe_mode=True)
        first_epoch = json.loads(state_path.read_text())["epochs_done"]
    else:
        model = build_auditor(config=config, seed=seed)
        compile_auditor(model, config=config, steps_per_epoch=steps_per_epoch)
    started = time.monotonic()

    class SaveEachEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            temporary = out / f".{CHECKPOINT}.tmp.keras"
            self.model.save(temporary)
            os.replace(temporary, checkpoint)
            _write_atomically(state_path, json.dumps({"epochs_done": epoch + 1, "seed": seed}))
            if max_minutes is not None and time.monotonic() - started > max_minutes * 60:
                self.model.stop_training = True

    callbacks = [SaveEachEpoch()]
    if show_progress:
        callbacks.append(_progress_callback(config.epochs, steps_per_epoch, first_epoch))
    if first_epoch < config.epochs:
        targets = {"diagnosis": labels[train],
                   "malignant": malignant_labels(labels[train])[:, None]}
        model.fit(small[train].astype(np.float32), targets,
                  sample_weight=_class_weights(labels[train]), batch_size=config.batch_size,
                  epochs=config.epochs, initial_epoch=first_epoch, shuffle=True, verbose=0,
                  callbacks=callbacks)
    epochs_done = json.loads(state_path.read_text())["epochs_done"]
    outputs = model.predict(small[validation], batch_size=256, verbose=0)
    scores = classification_scores(labels=labels[validation],
                                   probabilities=np.asarray(outputs["diagnosis"]),
                                   malignant_probability=np.asarray(outputs["malignant"])[:, 0])
    metrics = {"validation": scores.to_dict(), "epochs_done": epochs_done,
               "training_images": int(len(train))}
    _write_card(out, config=config, data_description=data_description or {}, metrics=metrics)
    return metrics


def _write_card(out: Path, *, config: AuditorConfig, data_description: dict,
                metrics: dict) -> None:
    weights_sha256 = hashlib.sha256((out / CHECKPOINT).read_bytes()).hexdigest()
    card = {"kind": "auditor", "format_version": FORMAT_VERSION, "classes": list(DIAGNOSES),
            "malignant": sorted(MALIGNANT), "feature_layer": FEATURE_LAYER,
            "architecture": asdict(config), "training_data": data_description,
            "epochs_done": metrics["epochs_done"], "weights_sha256": weights_sha256}
    _write_atomically(out / CONFIG, json.dumps(card, indent=2))
    existing = {}
    if (out / "metrics.json").is_file():
        existing = json.loads((out / "metrics.json").read_text())
    _write_atomically(out / "metrics.json", json.dumps({**existing, **metrics}, indent=2))


def train_auditor(
    *,
    data: str | Path,
    format: str,
    out: str | Path,
    config: AuditorConfig = AuditorConfig(),
    limit: int | None = None,
    seed: int = 0,
    max_minutes: float | None = None,
) -> dict:
    """Load a labelled data set (any supported format) and train the auditor on it."""
    from engine.evaluation.images import load_images

    loaded = load_images(data, format=format, size=config.input_size, limit=limit, seed=seed)
    description = {"name": Path(data).name, "format": format, "images": len(loaded.images),
                   "skipped": loaded.skipped,
                   "class_counts": loaded.table["dx"].value_counts().to_dict()}
    return fit_auditor(images=loaded.images, labels=loaded.labels,
                       groups=loaded.table["group"].astype(str).to_numpy(), out=out,
                       config=config, seed=seed, data_description=description,
                       max_minutes=max_minutes)
