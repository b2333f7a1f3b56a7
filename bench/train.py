"""Training and generation speed.

1. The compiled train step (`tf.function`, as `fit()` runs it) against the plain eager
   `GradientTape` loop (the same `train_step` called without `tf.function`, the way the original
   notebook trained): same model, batch and data, side by side. Goal: at least 5x.
2. Generation of 20 images at 128 px with the shipped GAN, warm: median seconds (goal <= 0.3),
   the model's FLOPs per image and the achieved GFLOP/s.

Usage: .venv/bin/python bench/train.py [--model gan|deconv] [--steps 4] [--batch 16] [--size 128]
                                       [--xla]

`--size 32` shows the same comparison where per-op dispatch, not arithmetic, dominates the step.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import tensorflow as tf

from engine.generator import LesionGenerator
from engine.nets.flops import forward_flops
from engine.profiles import ProfileSampler
from engine.training import TrainConfig, build_model

ROOT = Path(__file__).resolve().parent.parent
CONDITION_DIM = 40


def time_steps(step, batch, *, steps: int) -> float:
    """Seconds per step after one warm-up step (which also traces a tf.function)."""
    step(batch)
    started = time.perf_counter()
    for _ in range(steps):
        logs = step(batch)
    float(next(iter(logs.values())))
    return (time.perf_counter() - started) / steps


def bench_training(*, model_name: str, steps: int, batch_size: int, size: int,
                   xla: bool = False) -> None:
    config = TrainConfig(model=model_name, batch=batch_size, size=size)
    rng = np.random.default_rng(0)
    batch = (rng.integers(0, 256, (batch_size, config.size, config.size, 3), dtype=np.uint8),
             rng.random((batch_size, CONDITION_DIM), dtype=np.float32))
    model = build_model(config, condition_dim=CONDITION_DIM)
    model.build_optimizers()
    seconds = {"eager GradientTape": time_steps(model.train_step, batch, steps=steps),
               "compiled (tf.function)": time_steps(tf.function(model.train_step), batch,
                                                    steps=steps)}
    if xla:
        seconds["compiled with XLA"] = time_steps(
            tf.function(model.train_step, jit_compile=True), batch, steps=steps)
    print(f"train step, {model_name}, {config.size} px, batch {batch_size}, {steps} timed steps")
    print(f"  {'loop':<28}{'steps/s':>10}{'images/s':>10}")
    for name, value in seconds.items():
        print(f"  {name:<28}{1 / value:>10.3f}{batch_size / value:>10.1f}")
    eager = seconds["eager GradientTape"]
    print(f"  speed-up {eager / seconds['compiled (tf.function)']:.1f}x (goal >= 5x)")


def bench_generation(*, folder: Path, count: int = 20, repeats: int = 7) -> None:
    """Untruncated and truncated sampling side by side (truncation adds the mean styles)."""
    if not (folder / "config.json").exists():
        print(f"generation: no model in {folder}; run `make train-default` first")
        return
    generator = LesionGenerator.load(folder)
    profiles = ProfileSampler.default().sample(n=count, class_mix="balanced", seed=0)
    flops = forward_flops(generator.model)
    print(f"generation, {folder.name} ({generator.size} px), {count} images, warm, "
          f"median of {repeats}; {flops / 1e9:.3f} GFLOP per image untruncated")
    medians = {}
    for truncation in (1.0, 0.5):
        generator.generate(profiles, seed=0, truncation=truncation)
        times = []
        for repeat in range(repeats):
            started = time.perf_counter()
            generator.generate(profiles, seed=repeat, truncation=truncation)
            times.append(time.perf_counter() - started)
        medians[truncation] = statistics.median(times)
        print(f"  truncation {truncation}: seconds {medians[truncation]:.3f} (goal <= 0.3); "
              f"{count / medians[truncation]:.0f} images/s")
    print(f"  untruncated: {flops * count / medians[1.0] / 1e9:.1f} GFLOP/s achieved on "
          f"{os.cpu_count()} cores; truncated / untruncated time "
          f"{medians[0.5] / medians[1.0]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="gan", choices=("gan", "deconv"))
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--size", type=int, default=128, help="training image size (px)")
    parser.add_argument("--generator", type=Path, default=ROOT / "models" / "gan-128")
    parser.add_argument("--xla", action="store_true",
                        help="also time the step compiled with XLA (jit_compile=True)")
    arguments = parser.parse_args()
    bench_training(model_name=arguments.model, steps=arguments.steps, batch_size=arguments.batch,
                   size=arguments.size, xla=arguments.xla)
    bench_generation(folder=arguments.generator)


if __name__ == "__main__":
    main()
