"""The figure of docs/phantoms.md: per diagnosis, real HAM10000 samples beside phantoms.

    .venv/bin/python scripts/phantom_gallery.py --real ../shared/data/ham10000/sample \
        --out docs/images/phantoms/gallery.jpg
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

from engine.phantom import render
from engine.profiles import ProfileSampler
from engine.vocabulary import DIAGNOSES

REPO = Path(__file__).resolve().parent.parent
TILE = 128


def square(path: Path) -> Image.Image:
    image = Image.open(path).convert("RGB")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    return image.crop((left, top, left + side, top + side)).resize((TILE, TILE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REPO.parent / "shared/data/ham10000/sample")
    parser.add_argument("--out", type=Path, default=REPO / "docs/images/phantoms/gallery.jpg")
    parser.add_argument("--real-per-class", type=int, default=4)
    parser.add_argument("--phantoms-per-class", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    columns = args.real_per_class + args.phantoms_per_class
    label_width, gap = 60, 8
    sheet = Image.new("RGB", (label_width + columns * TILE + gap, len(DIAGNOSES) * TILE),
                      "white")
    draw = ImageDraw.Draw(sheet)
    sampler = ProfileSampler.default()
    for row, dx in enumerate(DIAGNOSES):
        draw.text((6, row * TILE + TILE // 2 - 6), dx, fill="black")
        for column, path in enumerate(sorted((args.real / dx).glob("*.jpg"))[
                :args.real_per_class]):
            sheet.paste(square(path), (label_width + column * TILE, row * TILE))
        profiles = sampler.sample(n=args.phantoms_per_class, fixed={"dx": dx},
                                  seed=args.seed + row)
        for column, profile in enumerate(profiles):
            image, _ = render(profile, size=TILE, seed=args.seed * 1000 + row * 100 + column)
            x = label_width + gap + (args.real_per_class + column) * TILE
            sheet.paste(Image.fromarray(image), (x, row * TILE))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, quality=88)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
