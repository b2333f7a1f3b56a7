"""`LesionGenerator`: a trained checkpoint folder -> lesion images from patient profiles.

Determinism: the noise of item i is drawn from `numpy.random.default_rng([seed, i])`, so image
i depends only on (seed, i, profile i) — not on the batch size or the other profiles (the
generators have no batch statistics at inference). Calls are serialised by a lock, so one
instance can be shared by many threads (Streamlit sessions); the model itself is never changed
after loading.

Truncation (Karras et al. 2019, StyleGAN §3.1, applied per condition): with `truncation` psi < 1
the style of each image is pulled towards its profile's mean style, w = mean + psi (w - mean),
the mean taken over a fixed set of noise draws. Images become more typical of their diagnosis
(clearer class cues) and less varied; psi = 1 is the untouched model.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, PngImagePlugin

from engine.conditioning import ConditionEncoder
from engine.nets.checkpoints import file_sha256, read_config
from engine.profiles import PatientProfile

DEFAULT_BATCH = 32
MEAN_STYLE_DRAWS = 256  # noise draws averaged into a profile's mean style
MEAN_STYLE_SEED = 2_147_483_647  # fixed, so a profile's mean style never depends on the seed
PROVENANCE = ("generator", "generator_version", "image_seed", "truncation")


class LesionGenerator:
    """A loaded sampling model with its condition encoder; see the module docstring."""

    def __init__(self, *, model, config: dict, folder: Path, batch_size: int = DEFAULT_BATCH):
        import tensorflow as tf

        self.model = model
        self.config = config
        self.folder = folder
        self.batch_size = batch_size
        self.encoder = ConditionEncoder.from_json(config["encoder"])
        self.model_id: str = config["model_id"]
        self.version: str = config["version"]
        self.kind: str = config["kind"]
        self.size: int = int(config["size"])
        self.noise_dim: int = int(config["architecture"]["noise_dim"])
        self._lock = threading.Lock()
        inputs = [tf.TensorSpec((None, self.noise_dim), tf.float32),
                  tf.TensorSpec((None, self.encoder.dim), tf.float32)]
        self._forward = tf.function(
            lambda noise, condition: model([noise, condition], training=False),
            input_signature=inputs)
        self._truncated_forward = tf.function(
            self._truncated, input_signature=[*inputs, tf.TensorSpec((), tf.float32)])
        self._mean_style_noise = tf.constant(np.random.default_rng(MEAN_STYLE_SEED)
                                             .standard_normal((MEAN_STYLE_DRAWS, self.noise_dim))
                                             .astype(np.float32))
        self._style_split = None

    @classmethod
    def load(cls, folder: str | Path, *, models_root: str | Path | None = None
             ) -> LesionGenerator:
        """Load the sampling model of a checkpoint folder (with `safe_mode=True`).

        `models_root`, when given, is the only directory models may be loaded from. A folder
        whose config.json does not match its weights, or was written by another checkpoint
        format, is refused with a message saying what to do.
        """
        import keras

        import engine.nets.deconv  # noqa: F401  registers the custom layers
        import engine.nets.gan  # noqa: F401

        folder = Path(folder).resolve()
        if models_root is not None and not folder.is_relative_to(Path(models_root).resolve()):
            raise ValueError(f"refusing to load {folder}: models are only loaded from "
                             f"{Path(models_root).resolve()}")
        config = read_config(folder)
        if ConditionEncoder.from_json(config["encoder"]).dim != \
                config["architecture"]["condition_dim"]:
            raise ValueError(f"{folder / 'config.json'}: the condition encoder does not match "
                             "the architecture's condition_dim; the file was edited or mixed")
        path = folder / config["sampling_file"]
        if not path.is_file():
            raise ValueError(f"{folder}: the sampling checkpoint {path.name} is missing")
        if file_sha256(path) != config["sampling_sha256"]:
            raise ValueError(f"{path} does not match {folder / 'config.json'} (checksum "
                             "differs): the folder mixes files of two runs; copy the "
                             "checkpoint and its config.json together")
        try:
            model = keras.saving.load_model(path, safe_mode=True, compile=False)
        except (ValueError, TypeError, OSError) as error:
            raise ValueError(f"{path} cannot be loaded by this LesionLab (Keras "
                             f"{keras.__version__}): {error}") from None
        _check_shapes(model, config, path)
        return cls(model=model, config=config, folder=folder)

    def noise(self, *, seed: int, count: int) -> np.ndarray:
        """The noise vectors of items 0..count-1 for `seed` (row i from rng([seed, i]))."""
        return np.stack([np.random.default_rng([seed, i]).standard_normal(self.noise_dim)
                         for i in range(count)]).astype(np.float32)

    def generate(self, profiles: Sequence[PatientProfile], *, seed: int,
                 truncation: float = 1.0) -> np.ndarray:
        """uint8 images (n, size, size, 3), one per profile; deterministic per (seed, i,
        truncation). `truncation` in [0, 1]: see the module docstring (1 = none)."""
        if seed < 0:
            raise ValueError(f"seed {seed} must be a non-negative integer")
        check_truncation(truncation)
        profiles = list(profiles)
        if not profiles:
            return np.zeros((0, self.size, self.size, 3), dtype=np.uint8)
        conditions = self.encoder.transform(profiles)
        noise = self.noise(seed=seed, count=len(profiles))
        parts = []
        for start in range(0, len(profiles), self.batch_size):
            end = start + self.batch_size
            with self._lock:
                if truncation == 1.0:
                    batch = self._forward(noise[start:end], conditions[start:end])
                else:
                    self._split_at_style()
                    batch = self._truncated_forward(noise[start:end], conditions[start:end],
                                                    np.float32(truncation))
                parts.append(batch.numpy())
        images = np.concatenate(parts)
        return np.clip(np.rint((images + 1.0) * 127.5), 0, 255).astype(np.uint8)

    def _split_at_style(self) -> None:
        """Build (once) the mapping part, (noise, condition) -> style, and the synthesis part,
        style -> image, of the sampling model."""
        if self._style_split is not None:
            return
        import keras

        from engine.nets.blocks import STYLE_LAYER

        try:
            style = self.model.get_layer(STYLE_LAYER).output
        except ValueError:
            raise ValueError(f"{self.model_id} has no layer {STYLE_LAYER!r} (the mapping "
                             "network's output), so it cannot be sampled with truncation") from None
        self._style_split = (keras.Model(self.model.inputs, style),
                             keras.Model(style, self.model.output))

    def _truncated(self, noise, condition, truncation):
        import tensorflow as tf

        mapping, synthesis = self._style_split
        styles = mapping([noise, condition], training=False)
        count = tf.shape(condition)[0]
        draws = tf.tile(self._mean_style_noise, [count, 1])
        mean_styles = tf.reduce_mean(tf.reshape(
            mapping([draws, tf.repeat(condition, MEAN_STYLE_DRAWS, axis=0)], training=False),
            [count, MEAN_STYLE_DRAWS, -1]), axis=1)
        return synthesis(mean_styles + truncation * (styles - mean_styles), training=False)


def check_truncation(truncation: float) -> None:
    if not 0.0 <= truncation <= 1.0:
        raise ValueError(f"truncation {truncation} must be from 0 (each profile's mean image) "
                         "to 1 (no truncation)")


def _check_shapes(model, config: dict, path: Path) -> None:
    architecture = config["architecture"]
    expected = [(None, architecture["noise_dim"]), (None, architecture["condition_dim"])]
    found = [tuple(tensor.shape) for tensor in model.inputs]
    size = config["size"]
    if found != expected or tuple(model.output.shape) != (None, size, size, 3):
        raise ValueError(
            f"{path} does not match its config.json: inputs {found} and output "
            f"{tuple(model.output.shape)}, config says {expected} -> {(None, size, size, 3)}; "
            "the folder mixes files of two runs")


def write_generated(images: np.ndarray, profiles: Sequence[PatientProfile], *,
                    generator: LesionGenerator, seed: int, out: str | Path,
                    format: str = "png", truncation: float = 1.0) -> Path:
    """Write generated images with their profiles and provenance (model id and version, seed
    and truncation: what regenerates them).

    png: `<model_id>_s<seed>_<i>.png` (provenance also in PNG text chunks) + `profiles.csv`.
    isic2024 / ham10000: a data set in that layout (`engine.datasets.open_writer`), with
    generator, generator_version and image_seed columns, ready to augment a training set.
    """
    out = Path(out)
    rows = [{**profile.to_dict(), "generator": generator.model_id,
             "generator_version": generator.version, "image_seed": f"{seed}:{index}",
             "truncation": truncation}
            for index, profile in enumerate(profiles)]
    if format == "png":
        out.mkdir(parents=True, exist_ok=True)
        for index, (image, row) in enumerate(zip(images, rows, strict=True)):
            name = f"{generator.model_id}_s{seed}_{index:05d}.png"
            info = PngImagePlugin.PngInfo()
            for key in PROVENANCE:
                info.add_text(key, str(row[key]))
            info.add_text("profile", json.dumps(profiles[index].to_dict()))
            Image.fromarray(image).save(out / name, pnginfo=info)
            row["file"] = name
        pd.DataFrame(rows).to_csv(out / "profiles.csv", index=False)
        return out
    from engine.datasets import open_writer

    with open_writer(out, format=format, columns=("dx", "skin_type", *PROVENANCE)) as writer:
        for index, (image, row) in enumerate(zip(images, rows, strict=True)):
            writer.add(f"SYN_{generator.model_id}_{seed}_{index:06d}".replace("-", "_"),
                       image, row)
    return out
