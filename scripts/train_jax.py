"""Train the shipped GAN and auditor on a GPU (JAX backend) on phantoms rendered in memory.

    KERAS_BACKEND=jax python scripts/train_jax.py --n 20000 --gan-minutes 5.2 \
        --gan-out models/gan-128 --auditor-out models/auditor-128

The phantoms are rendered by the project's renderer with a class-balanced profile mix, the same
data `lesionlab synth --class-mix balanced` writes (without its JPEG round trip). The GAN stops
at --steps or after --gan-minutes of training, whichever comes first (engine/nets/gan_jax.py);
the auditor then learns from the same images (engine/nets/auditor.py, Keras `fit`). Both
folders load on TensorFlow like any other checkpoint.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KERAS_BACKEND", "jax")


def phantom_training_data(*, n: int, size: int, seed: int, workers: int):
    """Render n phantoms (class-balanced) and encode their profiles."""
    import numpy as np

    from engine.conditioning import ConditionEncoder
    from engine.phantom import VERSION
    from engine.synth import SynthConfig, rendered
    from engine.training import TrainingData
    from engine.vocabulary import DIAGNOSES

    config = SynthConfig(n=n, size=size, seed=seed, format="isic2024", class_mix="balanced")
    images = np.zeros((n, size, size, 3), dtype=np.uint8)
    profiles = [None] * n
    for index, image, _criteria, profile in rendered(config, workers=workers):
        images[index], profiles[index] = image, profile
    encoder = ConditionEncoder.for_profiles(profiles)
    return TrainingData(
        images=images, conditions=encoder.transform(profiles),
        labels=np.array([DIAGNOSES.index(p.dx) for p in profiles]), class_names=DIAGNOSES,
        encoder=encoder,
        source=f"phantom renderer {VERSION}: {n} images, seed {seed}, balanced class mix")


def main() -> None:
    from engine.training import TrainConfig

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=24000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--gan-out", type=Path, help="train the GAN into this folder")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=100000)
    parser.add_argument("--gan-minutes", type=float, default=3.0)
    parser.add_argument("--ema-decay", type=float, default=0.999)
    parser.add_argument("--r1-gamma", type=float, default=TrainConfig.r1_gamma)
    parser.add_argument("--auditor-out", type=Path, help="train the auditor into this folder")
    parser.add_argument("--auditor-epochs", type=int, default=30)
    parser.add_argument("--auditor-minutes", type=float, default=2.0)
    args = parser.parse_args()
    if not (args.gan_out or args.auditor_out):
        parser.error("give --gan-out, --auditor-out or both")

    import numpy as np

    from engine.nets.auditor import AuditorConfig, fit_auditor
    from engine.nets.gan_jax import train_on_jax

    started = time.perf_counter()
    data = phantom_training_data(n=args.n, size=128, seed=args.seed, workers=args.workers)
    print(f"rendered {args.n} phantoms in {time.perf_counter() - started:.0f} s", flush=True)
    if args.gan_out:
        config = TrainConfig(batch=args.batch, steps=args.steps, seed=args.seed,
                             ema_decay=args.ema_decay, r1_gamma=args.r1_gamma)
        result = train_on_jax(config, data, args.gan_out, model_id="gan-128", log_every=100,
                              sample_every=1000, time_limit_seconds=args.gan_minutes * 60,
                              progress=False)
        print(f"gan: {result.step} steps in {result.seconds:.0f} s "
              f"({result.step / result.seconds:.1f} steps/s): {result.metrics}", flush=True)
    if args.auditor_out:
        started = time.perf_counter()
        metrics = fit_auditor(
            images=data.images, labels=data.labels, groups=np.arange(args.n).astype(str),
            out=args.auditor_out, config=AuditorConfig(epochs=args.auditor_epochs),
            seed=args.seed, max_minutes=args.auditor_minutes, show_progress=False,
            data_description={"name": data.source, "images": args.n,
                              "class_counts": data.class_counts()})
        print(f"auditor: {metrics['epochs_done']} epochs in "
              f"{time.perf_counter() - started:.0f} s: {metrics['validation']}", flush=True)


if __name__ == "__main__":
    main()
