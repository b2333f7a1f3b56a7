"""Training and generation speed, with TensorFlow's own CPU kernels and with oneDNN's.

1. The compiled train step (`tf.function`, as `fit()` runs it) against the plain eager
   `GradientTape` loop (the same `train_step` called without `tf.function`, the way the original
   notebook trained): same model, batch and data, side by side. Goal: at least 5x.
2. Generation of 20 images at 128 px with the shipped GAN, warm: median seconds (goal <= 0.3),
   the model's FLOPs per image and the achieved GFLOP/s.

Both are measured twice, each in its own process because TensorFlow reads the choice when it
is first imported: with TF_ENABLE_ONEDNN_OPTS=0 (TensorFlow's Eigen kernels, its default on
CPUs without AVX-512) and =1 (oneDNN, the engine's default, `engine/__init__.py`).

Usage: .venv/bin/python bench/train.py [--model gan|deconv] [--steps 4] [--batch 16] [--size 128]
                                       [--xla] [--mixed-precision] [--d-channel-base C]
                                       [--kernels both|eigen|onednn]

`--size 32` shows the same comparison where per-op dispatch, not arithmetic, dominates the step.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONDITION_DIM = 40
KERNELS = {"eigen": "0", "onednn": "1"}
EAGER, COMPILED, XLA = "eager GradientTape", "compiled (tf.function)", "compiled with XLA"


def time_steps(step, batch, *, steps: int) -> float:
    """Seconds per step after one warm-up step (which also traces a tf.function)."""
    step(batch)
    started = time.perf_counter()
    for _ in range(steps):
        logs = step(batch)
    float(next(iter(logs.values())))
    return (time.perf_counter() - started) / steps


def training_seconds(*, model_name: str, steps: int, batch_size: int, size: int,
                     xla: bool, mixed_precision: bool,
                     d_channel_base: int | None) -> dict[str, float]:
    """Seconds per step of each loop."""
    import numpy as np
    import tensorflow as tf

    from engine.training import TrainConfig, build_model, compute_precision, without_remapper

    widths = {"d_channel_base": d_channel_base} if d_channel_base else {}
    config = TrainConfig(model=model_name, batch=batch_size, size=size,
                         mixed_precision=mixed_precision, **widths)
    rng = np.random.default_rng(0)
    batch = (rng.integers(0, 256, (batch_size, config.size, config.size, 3), dtype=np.uint8),
             rng.random((batch_size, CONDITION_DIM), dtype=np.float32))
    with compute_precision(mixed_precision):  # as engine.training.train builds the model
        model = build_model(config, condition_dim=CONDITION_DIM)
        model.build_optimizers()
    with without_remapper():  # as engine.training.train runs the step
        seconds = {EAGER: time_steps(model.train_step, batch, steps=steps),
                   COMPILED: time_steps(tf.function(model.train_step), batch, steps=steps)}
        if xla:
            seconds[XLA] = time_steps(tf.function(model.train_step, jit_compile=True), batch,
                                      steps=steps)
    return seconds


def generation_seconds(*, folder: Path, count: int = 20, repeats: int = 7) -> dict:
    """Median seconds untruncated and at truncation 0.5, and the FLOPs per image."""
    from engine.generator import LesionGenerator
    from engine.nets.flops import forward_flops
    from engine.profiles import ProfileSampler

    generator = LesionGenerator.load(folder)
    profiles = ProfileSampler.default().sample(n=count, class_mix="balanced", seed=0)
    medians = {}
    for truncation in (1.0, 0.5):
        generator.generate(profiles, seed=0, truncation=truncation)
        times = []
        for repeat in range(repeats):
            started = time.perf_counter()
            generator.generate(profiles, seed=repeat, truncation=truncation)
            times.append(time.perf_counter() - started)
        medians[str(truncation)] = statistics.median(times)
    return {"medians": medians, "flops": forward_flops(generator.model), "count": count,
            "model": folder.name, "size": generator.size}


def measure(arguments) -> dict:
    """Everything timed in this process, with the kernels it was started with."""
    figures = {"training": training_seconds(
        model_name=arguments.model, steps=arguments.steps, batch_size=arguments.batch,
        size=arguments.size, xla=arguments.xla, mixed_precision=arguments.mixed_precision,
        d_channel_base=arguments.d_channel_base)}
    if (arguments.generator / "config.json").exists():
        figures["generation"] = generation_seconds(folder=arguments.generator)
    return figures


def measure_in_child(kernels: str) -> dict:
    """Runs this script with the given kernels in a fresh process and reads its figures."""
    argv = sys.argv[1:]  # a --kernels given there is overridden: argparse keeps the last one
    environment = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": KERNELS[kernels],
                   "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([sys.executable, __file__, *argv, "--kernels", kernels, "--json"],
                          env=environment, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"the {kernels} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cpu_description() -> str:
    """The CPU's name and the vector instructions that decide which kernels are fast."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    name = re.search(r"model name\s*:\s*(.+)", info)
    listed = re.search(r"flags\s*:\s*(.+)", info)
    flags = set(listed.group(1).split()) if listed else set()
    wanted = [flag for flag in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16")
              if flag in flags]
    return (f"{name.group(1) if name else platform.machine()}, {os.cpu_count()} cores, "
            f"{' '.join(wanted) or 'no AVX2'}")


def report(results: dict[str, dict], arguments) -> None:
    names = list(results)
    print(f"CPU: {cpu_description()}")
    compute = "bfloat16" if arguments.mixed_precision else "float32"
    print(f"train step, {arguments.model}, {arguments.size} px, batch {arguments.batch}, "
          f"{compute} compute, {arguments.steps} timed steps; images/s (steps/s) per kernel set")
    print(f"  {'loop':<26}" + "".join(f"{name:>20}" for name in names))
    for loop in results[names[0]]["training"]:
        cells = [results[name]["training"][loop] for name in names]
        print(f"  {loop:<26}" + "".join(
            f"{arguments.batch / value:>12.1f} ({1 / value:.2f})" for value in cells))
    for name in names:
        seconds = results[name]["training"]
        print(f"  {name}: compiled / eager speed-up "
              f"{seconds[EAGER] / seconds[COMPILED]:.1f}x (goal >= 5x)")
    if len(names) == 2:
        first, second = (results[name]["training"] for name in names)
        print(f"  {names[1]} / {names[0]}, compiled step: "
              f"{first[COMPILED] / second[COMPILED]:.2f}x faster; eager: "
              f"{first[EAGER] / second[EAGER]:.2f}x")
    if "generation" not in results[names[0]]:
        print(f"generation: no model in {arguments.generator}; run `make train-default` first")
        return
    generation = results[names[0]]["generation"]
    print(f"generation, {generation['model']} ({generation['size']} px), {generation['count']} "
          f"images, warm, median of 7 (goal <= 0.3 s); "
          f"{generation['flops'] / 1e9:.3f} GFLOP per image untruncated")
    for name in names:
        medians = results[name]["generation"]["medians"]
        achieved = generation["flops"] * generation["count"] / medians["1.0"] / 1e9
        print(f"  {name}: {medians['1.0']:.3f} s untruncated ({achieved:.1f} GFLOP/s on "
              f"{os.cpu_count()} cores), {medians['0.5']:.3f} s at truncation 0.5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="gan", choices=("gan", "deconv"))
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--size", type=int, default=128, help="training image size (px)")
    parser.add_argument("--generator", type=Path, default=ROOT / "models" / "gan-128")
    parser.add_argument("--xla", action="store_true",
                        help="also time the step compiled with XLA (jit_compile=True)")
    parser.add_argument("--mixed-precision", action="store_true",
                        help="bfloat16 compute, float32 weights (lesionlab train "
                             "--mixed-precision), in every loop timed")
    parser.add_argument("--d-channel-base", type=int, default=None,
                        help="GAN discriminator width (the shipped GAN's recipe: 6144)")
    parser.add_argument("--kernels", default="both", choices=("both", *KERNELS),
                        help="CPU kernels: TensorFlow's own (eigen), oneDNN's, or both")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.json:
        print(json.dumps(measure(arguments)))
        return
    chosen = list(KERNELS) if arguments.kernels == "both" else [arguments.kernels]
    report({name: measure_in_child(name) for name in chosen}, arguments)


if __name__ == "__main__":
    main()
