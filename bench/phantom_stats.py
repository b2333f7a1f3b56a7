"""Phantoms against real images, class by class, on cheap pixel statistics (seconds, no
training): lesion share of the frame, lesion and skin colour in CIELAB, texture inside the
lesion, edge sharpness and the speckle of the skin, printed real | phantom side by side.

    .venv/bin/python bench/phantom_stats.py --real ../shared/data/ham10000/sample
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from phantom_fidelity import REPO, real_images

from engine.phantom import render
from engine.phantom.measure import lesion_stats
from engine.profiles import ProfileSampler
from engine.vocabulary import DIAGNOSES

COLUMNS = (("area", 2), ("L", 0), ("a", 0), ("b", 0), ("skin L", 0), ("skin a", 0),
           ("skin b", 0), ("tex", 1), ("edge", 3), ("speckle", 1))


def summary(images: list[np.ndarray]) -> dict[str, float]:
    """Medians over the images of each statistic."""
    stats = [lesion_stats(image) for image in images]
    columns = {
        "area": [s.area_fraction for s in stats],
        "L": [s.lesion_lab[0] for s in stats], "a": [s.lesion_lab[1] for s in stats],
        "b": [s.lesion_lab[2] for s in stats],
        "skin L": [s.skin_lab[0] for s in stats], "skin a": [s.skin_lab[1] for s in stats],
        "skin b": [s.skin_lab[2] for s in stats],
        "tex": [s.lesion_texture for s in stats], "edge": [s.edge_sharpness for s in stats],
        "speckle": [s.skin_speckle for s in stats],
    }
    return {name: float(np.median(values)) for name, values in columns.items()}


def phantom_images(dx: str, *, n: int, size: int, seed: int) -> list[np.ndarray]:
    profiles = ProfileSampler.default().sample(n=n, fixed={"dx": dx}, seed=seed)
    return [render(p, size=size, seed=seed * 10_000 + i)[0] for i, p in enumerate(profiles)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REPO.parent / "shared/data/ham10000/sample")
    parser.add_argument("--n", type=int, default=40, help="phantoms per class")
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    real_x, real_y = real_images(args.real, args.size)
    header = "".join(f"{name:>15}" for name, _ in COLUMNS)
    print(f"{'class':<7}{header}")
    print(f"{'':<7}" + "".join(f"{'real | phant':>15}" for _ in COLUMNS))
    gaps = {name: [] for name, _ in COLUMNS}
    for index, dx in enumerate(DIAGNOSES):
        real = summary(list(real_x[real_y == index]))
        phantom = summary(phantom_images(dx, n=args.n, size=args.size, seed=args.seed + index))
        cells = "".join(f"{real[name]:>7.{digits}f}|{phantom[name]:<7.{digits}f}"
                        for name, digits in COLUMNS)
        print(f"{dx:<7}{cells}")
        for name, _ in COLUMNS:
            gaps[name].append(abs(real[name] - phantom[name]))
    print(f"{'|gap|':<7}" + "".join(f"{np.mean(gaps[name]):>15.{digits}f}"
                                    for name, digits in COLUMNS))
    print("area: lesion share of the frame; L a b: CIELAB medians (lesion, then skin); tex: "
          "spread of L* in the lesion; edge: boundary gradient per unit contrast (1/px); "
          "speckle: how far the skin's brightest specks stand out (L*)")


if __name__ == "__main__":
    main()
