"""How far has the phantom renderer moved since a generator learned from it?

A generator trained on an older renderer is measured against today's phantoms; part of its
distance is then the renderer's change, not the generator. This renders the same profiles with
an older renderer (a checkout of the repository at that commit) and with today's, and scores
both against held-out phantoms of today with the auditor: FID on its features (beside the
floor of two real halves) and conditional accuracy.

Usage:
    git worktree add OLD 8ed2d20          # renderer 2.0, which the shipped GAN learned from
    .venv/bin/python bench/renderer_drift.py --old OLD --real data/phantom-v23-eval-128
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import numpy as np

from engine.evaluation.fid import frechet_distance
from engine.evaluation.images import load_images
from engine.evaluation.samples import profiles_like
from engine.nets.auditor import Auditor
from engine.phantom.render import render
from engine.profiles import PatientProfile
from engine.vocabulary import DIAGNOSES

FIRST_SEED = 50_000


def old_renderer(tree: Path):
    """`render` and `PatientProfile` of another checkout, imported beside today's engine."""
    today = {name: module for name, module in sys.modules.items()
             if name == "engine" or name.startswith("engine.")}
    for name in today:
        del sys.modules[name]
    sys.path.insert(0, str(tree.resolve()))
    try:
        old = (importlib.import_module("engine.phantom.render").render,
               importlib.import_module("engine.profiles").PatientProfile)
    finally:
        sys.path.pop(0)
        for name in [n for n in sys.modules if n == "engine" or n.startswith("engine.")]:
            del sys.modules[name]
        sys.modules.update(today)
    return old


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="checkout of the old renderer")
    parser.add_argument("--real", type=Path, required=True, help="held-out phantoms of today")
    parser.add_argument("--format", default="isic2024")
    parser.add_argument("--auditor", type=Path, default=Path("models/auditor-128"))
    parser.add_argument("--n", type=int, default=4000, help="held-out images to read")
    args = parser.parse_args()
    if not (args.old / "engine" / "phantom" / "render.py").is_file():
        raise SystemExit(f"{args.old} is not a LesionLab checkout (no engine/phantom/render.py)")
    auditor = Auditor(args.auditor)
    real = load_images(args.real, format=args.format, size=auditor.input_size, limit=args.n,
                       seed=0)
    half = len(real.images) // 2
    reference = auditor.predict(real.images[:half]).features
    holdout = auditor.predict(real.images[half:2 * half]).features
    profiles = profiles_like(real.labels[:half], count=half, seed=3)
    labels = np.array([DIAGNOSES.index(p.dx) for p in profiles])
    print(f"{half} images per set, auditor {args.auditor}")
    print(f"  {'source':<22}{'FID':>8}{'conditional accuracy':>24}")
    floor = frechet_distance(real=reference, generated=holdout)
    print(f"  {'floor (real halves)':<22}{floor:>8.3f}")
    renderers = {"today's renderer": (render, PatientProfile),
                 f"renderer of {args.old.name}": old_renderer(args.old)}
    for name, (draw, profile_class) in renderers.items():
        images = np.stack([draw(profile_class(**p.to_dict()), size=auditor.input_size,
                                seed=FIRST_SEED + i)[0] for i, p in enumerate(profiles)])
        prediction = auditor.predict(images)
        accuracy = float((prediction.probabilities.argmax(1) == labels).mean())
        fid = frechet_distance(real=reference, generated=prediction.features)
        print(f"  {name:<22}{fid:>8.3f}{accuracy:>24.3f}", flush=True)


if __name__ == "__main__":
    main()
