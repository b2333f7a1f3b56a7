"""Phantom rendering speed: images per second at 128 and 256 px with 1 and 2 worker processes,
printed side by side (goal: at least 100 images/s at 128 px on 2 cores).

    .venv/bin/python bench/phantom.py [--n 400]
"""

from __future__ import annotations

import argparse
import time

from engine.synth import SynthConfig, rendered


def images_per_second(*, n: int, size: int, workers: int) -> tuple[float, float]:
    """Wall-clock images/s, and CPU milliseconds per image of this process (1 worker only:
    unlike wall time it does not depend on what else the machine runs)."""
    config = SynthConfig(n=n, size=size, seed=0)
    warm = SynthConfig(n=2, size=size, seed=1)
    for _ in rendered(warm, workers=1):
        pass
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in rendered(config, workers=workers):
        pass
    cpu_ms = (time.process_time() - cpu_started) * 1000 / n
    return n / (time.perf_counter() - started), cpu_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="images per measurement")
    args = parser.parse_args()
    print(f"{'size':>6}{'1 worker img/s':>18}{'2 workers img/s':>18}{'CPU ms/img':>14}")
    for size in (128, 256):
        one, cpu_ms = images_per_second(n=args.n, size=size, workers=1)
        two, _ = images_per_second(n=args.n, size=size, workers=2)
        print(f"{size:>6}{one:>18.1f}{two:>18.1f}{cpu_ms:>14.1f}")
    print("(2 workers include starting the worker processes; CPU ms/img is of 1 worker)")


if __name__ == "__main__":
    main()
