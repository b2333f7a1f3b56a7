"""Train the shipped GAN on a GPU with the JAX backend, on phantoms rendered in memory.

    KERAS_BACKEND=jax python scripts/train_gan_jax.py --n 20000 --minutes 6 --out runs/gan-128

The phantoms are rendered by the project's renderer with a class-balanced profile mix, the same
data `lesionlab synth --class-mix balanced` writes (without its JPEG round trip). The run stops
at --steps or after --minutes of training, whichever comes first, and writes a checkpoint
folder that `LesionGenerator` loads on TensorFlow; copy it into models/gan-128 to ship it.
See engine/nets/gan_jax.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KERAS_BACKEND", "jax")

# A GPU affords a discriminator 4x wider than the CPU default; it keeps telling real from
# generated images where the narrow one stalls near chance (docs/benchmark.md).
GPU_D_CHANNEL_BASE = 6144


def phantom_training_data(*, n: int, size: int, seed: int, workers: int,
                          skin_mix: str = "prior"):
    """Render n phantoms (class-balanced; skin types by `skin_mix`) and encode their
    profiles."""
    import numpy as np

    from engine.conditioning import ConditionEncoder
    from engine.phantom import VERSION
    from engine.synth import SynthConfig, rendered
    from engine.training import TrainingData
    from engine.vocabulary import DIAGNOSES

    config = SynthConfig(n=n, size=size, seed=seed, format="isic2024", class_mix="balanced",
                         skin_mix=skin_mix)
    images = np.zeros((n, size, size, 3), dtype=np.uint8)
    profiles = [None] * n
    for index, image, _criteria, profile in rendered(config, workers=workers):
        images[index], profiles[index] = image, profile
    encoder = ConditionEncoder.for_profiles(profiles)
    return TrainingData(
        images=images, conditions=encoder.transform(profiles),
        labels=np.array([DIAGNOSES.index(p.dx) for p in profiles]), class_names=DIAGNOSES,
        encoder=encoder,
        source=f"phantom renderer {VERSION}: {n} images, seed {seed}, balanced class mix, "
               f"{skin_mix} skin mix")


def main() -> None:
    from engine.profiles import SKIN_MIXES
    from engine.training import TrainConfig

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=50000)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--ema-decay", type=float, default=0.999)
    parser.add_argument("--r1-gamma", type=float, default=TrainConfig.r1_gamma)
    parser.add_argument("--mismatch-weight", type=float, default=TrainConfig.mismatch_weight,
                        help="weight of real images under another image's profile, scored "
                             "as fake (0 = off)")
    parser.add_argument("--d-channel-base", type=int, default=GPU_D_CHANNEL_BASE,
                        help="discriminator width: channels at resolution r = base / r "
                             f"(lesionlab train on the CPU: {TrainConfig.d_channel_base})")
    parser.add_argument("--channel-base", type=int, default=TrainConfig.channel_base,
                        help="generator width: channels at resolution r = base / r")
    parser.add_argument("--skin-mix", default="prior", choices=SKIN_MIXES,
                        help="balanced: the six Fitzpatrick types equally often")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    from engine.nets.gan_jax import train_on_jax

    started = time.perf_counter()
    data = phantom_training_data(n=args.n, size=128, seed=args.seed, workers=args.workers,
                                 skin_mix=args.skin_mix)
    print(f"rendered {args.n} phantoms in {time.perf_counter() - started:.0f} s", flush=True)
    config = TrainConfig(batch=args.batch, steps=args.steps, seed=args.seed,
                         ema_decay=args.ema_decay, r1_gamma=args.r1_gamma,
                         mismatch_weight=args.mismatch_weight,
                         channel_base=args.channel_base, d_channel_base=args.d_channel_base)
    result = train_on_jax(config, data, args.out, model_id="gan-128", log_every=100,
                          sample_every=1000, time_limit_seconds=args.minutes * 60,
                          progress=False)
    print(f"trained {result.step} steps in {result.seconds:.0f} s "
          f"({result.step / result.seconds:.1f} steps/s): {result.metrics}", flush=True)


if __name__ == "__main__":
    main()
