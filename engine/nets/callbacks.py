"""Keras callbacks of a training run: divergence guard, logs, sample grids, checkpoints and a
progress bar. Each callback is told the global step the run started from, so a resumed run
counts on from its checkpoint.
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
from PIL import Image


def tile_grid(images: np.ndarray, *, columns: int) -> np.ndarray:
    """(n, h, w, 3) uint8 -> one image with `columns` per row and 2-pixel white gutters."""
    count, height, width, _ = images.shape
    rows = math.ceil(count / columns)
    gutter = 2
    grid = np.full((rows * (height + gutter) - gutter, columns * (width + gutter) - gutter, 3),
                   255, dtype=np.uint8)
    for index, image in enumerate(images):
        top, left = (index // columns) * (height + gutter), (index % columns) * (width + gutter)
        grid[top:top + height, left:left + width] = image
    return grid


def to_uint8(images) -> np.ndarray:
    """Images in [-1, 1] -> uint8 0..255."""
    return np.clip(np.rint((np.asarray(images, dtype=np.float32) + 1.0) * 127.5), 0, 255
                   ).astype(np.uint8)


class StepCallback(keras.callbacks.Callback):
    """Base: turns fit's batch index into the run's global step."""

    def __init__(self, *, start_step: int):
        super().__init__()
        self.start_step = start_step

    def global_step(self, batch: int) -> int:
        return self.start_step + batch + 1


class DivergenceGuard(StepCallback):
    """Stops the run at the first non-finite or exploding loss; `reason` says why."""

    def __init__(self, *, start_step: int, limit: float):
        super().__init__(start_step=start_step)
        self.limit = limit
        self.reason = ""

    def on_train_batch_end(self, batch, logs=None):
        for name, value in (logs or {}).items():
            value = float(value)
            if not math.isfinite(value) or abs(value) > self.limit:
                self.reason = (f"training diverged at step {self.global_step(batch)}: "
                               f"{name} = {value:.4g} (limit {self.limit:g})")
                self.model.stop_training = True
                return


class TrainingLog(StepCallback):
    """Every `every` steps: metric means over the interval to log.csv and TensorBoard."""

    def __init__(self, *, start_step: int, every: int, folder: Path, batch_size: int,
                 guard: DivergenceGuard):
        super().__init__(start_step=start_step)
        self.every, self.folder, self.batch_size, self.guard = every, folder, batch_size, guard
        self.path = folder / "log.csv"
        self.latest: dict[str, float] = {}
        self.writer = None

    def on_train_begin(self, logs=None):
        import tensorflow as tf

        self._truncate_after(self.start_step)
        self.writer = tf.summary.create_file_writer(str(self.folder / "tensorboard"))
        self.interval_start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        step = self.global_step(batch)
        if self.guard.reason or step % self.every:
            return
        elapsed = time.perf_counter() - self.interval_start
        self.latest = {name: float(value) for name, value in (logs or {}).items()}
        self.latest["images_per_second"] = self.every * self.batch_size / max(elapsed, 1e-9)
        self._append({"step": step, **self.latest})
        self._write_tensorboard(step)
        self.model.reset_metrics()
        self.interval_start = time.perf_counter()

    def on_train_end(self, logs=None):
        if self.writer is not None:
            self.writer.close()

    def _write_tensorboard(self, step: int) -> None:
        """Scalar events TensorBoard reads, written with TensorFlow's core summary op (the
        `tensorboard` package itself is not needed to write them)."""
        import tensorflow as tf

        metadata = tf.compat.v1.SummaryMetadata(
            plugin_data=tf.compat.v1.SummaryMetadata.PluginData(plugin_name="scalars"))
        with self.writer.as_default(step=step):
            for name, value in self.latest.items():
                tf.summary.write(name, tf.constant(value, tf.float32), metadata=metadata)
        self.writer.flush()

    def _append(self, row: dict) -> None:
        new_file = not self.path.exists()
        with open(self.path, "a", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(row))
            if new_file:
                writer.writeheader()
            writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v)
                             for k, v in row.items()})

    def _truncate_after(self, step: int) -> None:
        """Drop rows a resumed run will write again (they came after its checkpoint)."""
        if not self.path.exists():
            return
        with open(self.path, newline="") as handle:
            rows = list(csv.DictReader(handle))
        kept = [row for row in rows if int(row["step"]) <= step]
        if len(kept) == len(rows):
            return
        with open(self.path, "w", newline="") as handle:
            if kept:
                writer = csv.DictWriter(handle, fieldnames=list(kept[0]))
                writer.writeheader()
                writer.writerows(kept)


class SampleGrid(StepCallback):
    """Every `every` steps: a grid (one row per class, fixed noise and conditions) as PNG."""

    def __init__(self, *, start_step: int, every: int, folder: Path, noise: np.ndarray,
                 conditions: np.ndarray, columns: int, guard: DivergenceGuard):
        super().__init__(start_step=start_step)
        self.every, self.folder, self.columns, self.guard = every, folder, columns, guard
        self.noise, self.conditions = noise, conditions

    def on_train_batch_end(self, batch, logs=None):
        step = self.global_step(batch)
        if self.guard.reason or step % self.every:
            return
        self.model.sync_sampling_model()
        images = self.model.sampling_model.predict_on_batch([self.noise, self.conditions])
        self.folder.mkdir(parents=True, exist_ok=True)
        grid = tile_grid(to_uint8(images), columns=self.columns)
        Image.fromarray(grid).save(self.folder / f"step_{step:07d}.png")


class Checkpointer(StepCallback):
    """Every `every` steps (and at the end) saves through `save`, unless the run diverged."""

    def __init__(self, *, start_step: int, every: int, save: Callable[[], None],
                 guard: DivergenceGuard):
        super().__init__(start_step=start_step)
        self.every, self.save, self.guard = every, save, guard
        self.saved_step = start_step

    def on_train_batch_end(self, batch, logs=None):
        step = self.global_step(batch)
        if not self.guard.reason and step % self.every == 0:
            self.save()
            self.saved_step = step


class ProgressBar(StepCallback):
    """A rich progress bar with ETA and the latest losses."""

    def __init__(self, *, start_step: int, total_steps: int, description: str):
        super().__init__(start_step=start_step)
        self.total_steps, self.description = total_steps, description

    def on_train_begin(self, logs=None):
        from engine.progress import progress_bar

        self.progress = progress_bar(fields=("losses",))
        self.progress.start()
        self.task = self.progress.add_task(self.description, total=self.total_steps,
                                           completed=self.start_step, losses="")

    def on_train_batch_end(self, batch, logs=None):
        losses = " ".join(f"{name} {float(value):.3f}" for name, value in (logs or {}).items())
        self.progress.update(self.task, completed=self.global_step(batch), losses=losses)

    def on_train_end(self, logs=None):
        self.progress.stop()
