"""Per-class grid of GAN, Deconv and phantom images for the same profiles (docs/models.md).

Usage: .venv/bin/python scripts/model_grids.py [--out docs/images/model-grid.png] [--columns 4]
       .venv/bin/python scripts/model_grids.py --gan-truncations 1,0.7,0.5 \
           --out docs/images/truncation-grid.png
Each row is one diagnosis; each block of columns one source (or, with --gan-truncations, the
GAN at one truncation each); column j of every block shows the same patient profile (drawn per
class with a fixed seed) and, for the GAN, the same noise.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from engine.generator import LesionGenerator
from engine.nets.callbacks import tile_grid
from engine.phantom import render
from engine.profiles import ProfileSampler
from engine.vocabulary import DIAGNOSES

ROOT = Path(__file__).resolve().parent.parent
LABEL_WIDTH = 48
HEADER_HEIGHT = 18
BLOCK_GAP = 10


def block_images(source, profiles_by_class, *, seed: int,
                 truncation: float = 1.0) -> list[np.ndarray]:
    """One row of images per class from a LesionGenerator or the phantom renderer."""
    rows = []
    for profiles in profiles_by_class:
        if source == "phantom":
            rows.append(np.stack([render(p, size=128, seed=seed + i)[0]
                                  for i, p in enumerate(profiles)]))
        else:
            rows.append(source.generate(profiles, seed=seed, truncation=truncation))
    return rows


def grid_sources(truncations: str | None) -> dict[str, tuple[object, float]]:
    """Block title -> (source, truncation)."""
    gan = LesionGenerator.load(ROOT / "models" / "gan-128")
    if truncations:
        return {f"GAN, truncation {value}": (gan, float(value))
                for value in truncations.split(",")}
    return {"GAN": (gan, 1.0), "Deconv": (LesionGenerator.load(ROOT / "models" / "deconv-128"),
                                          1.0), "Phantom": ("phantom", 1.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "model-grid.png")
    parser.add_argument("--columns", type=int, default=4)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--gan-truncations", help="e.g. 1,0.7,0.5: the GAN at each truncation")
    arguments = parser.parse_args()
    sampler = ProfileSampler.default()
    profiles_by_class = [sampler.sample(n=arguments.columns, class_mix="balanced",
                                       fixed={"dx": dx}, seed=arguments.seed)
                         for dx in DIAGNOSES]
    blocks = {name: tile_grid(np.concatenate(block_images(source, profiles_by_class,
                                                          seed=arguments.seed,
                                                          truncation=truncation)),
                              columns=arguments.columns)
              for name, (source, truncation) in grid_sources(arguments.gan_truncations).items()}
    height = next(iter(blocks.values())).shape[0]
    width = next(iter(blocks.values())).shape[1]
    canvas = Image.new("RGB", (LABEL_WIDTH + len(blocks) * (width + BLOCK_GAP),
                               HEADER_HEIGHT + height), "white")
    draw = ImageDraw.Draw(canvas)
    for index, (name, block) in enumerate(blocks.items()):
        left = LABEL_WIDTH + index * (width + BLOCK_GAP)
        canvas.paste(Image.fromarray(block), (left, HEADER_HEIGHT))
        draw.text((left + width // 2 - 3 * len(name), 3), name, fill="black")
    row_height = (height + 2) // len(DIAGNOSES)
    for row, dx in enumerate(DIAGNOSES):
        draw.text((6, HEADER_HEIGHT + row * row_height + row_height // 2 - 5), dx, fill="black")
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(arguments.out)
    print(f"wrote {arguments.out}")


if __name__ == "__main__":
    main()
