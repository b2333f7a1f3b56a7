"""Evaluation speed: 2,000 generated vs 2,000 real images at 128 px.

Times each stage on its own: auditor features of 4,000 images (2,000 real + 2,000 generated),
lesion measurements, and every distance metric on the resulting 2,000 x 2,000 features. Baseline
in the same run: FID through scipy.linalg.sqrtm (the usual reference implementation) beside
LesionLab's eigenvalue form. Images are phantoms rendered in memory, so no data set is needed.
Goal: the whole evaluation of one model within 5 minutes on 2 cores.

    .venv/bin/python bench/evaluation.py [--n 2000] [--auditor models/auditor-128]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from engine.evaluation import fid, kid, memorization, prdc  # noqa: E402
from engine.evaluation.attribute_consistency import measure_lesion  # noqa: E402
from engine.evaluation.samples import PHANTOM, generate  # noqa: E402
from engine.nets.auditor import Auditor  # noqa: E402
from engine.profiles import ProfileSampler  # noqa: E402


def timed(label: str, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:8.2f} s")
    return result, seconds


def scipy_fid(real: np.ndarray, generated: np.ndarray) -> float:
    from scipy.linalg import sqrtm

    mean_a, mean_b = real.mean(0), generated.mean(0)
    cov_a, cov_b = np.cov(real, rowvar=False), np.cov(generated, rowvar=False)
    root = sqrtm(cov_a @ cov_b).real
    return float(((mean_a - mean_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--auditor", type=Path, default=REPOSITORY / "models" / "auditor-128")
    arguments = parser.parse_args()
    n = arguments.n
    profiles = ProfileSampler.default().sample(n=2 * n, class_mix="realistic", seed=0)
    images, render_seconds = timed(f"render {2 * n} phantoms (not part of the goal)", generate,
                                   model=PHANTOM, profiles=profiles, seed=0, size=128)
    auditor = Auditor(arguments.auditor)
    total = 0.0
    prediction, seconds = timed(f"auditor features, {2 * n} images", auditor.predict, images)
    total += seconds
    _, seconds = timed(f"lesion size and colours, {2 * n} images",
                       lambda: [measure_lesion(image) for image in images])
    total += seconds
    real, generated = prediction.features[:n], prediction.features[n:]
    for label, function in (
        ("FID (eigenvalue form)", lambda: fid.frechet_distance(real=real, generated=generated)),
        ("KID (50 subsets of 1000)", lambda: kid.kernel_distance(real=real,
                                                                 generated=generated)),
        ("precision/recall/density/coverage (k=5)",
         lambda: prdc.manifold_scores(real=real, generated=generated)),
        ("memorization test (10 cells)",
         lambda: memorization.copying_test(training=real, held_out=real[: n // 2],
                                           generated=generated)),
    ):
        _, seconds = timed(label, function)
        total += seconds
    ours, ours_seconds = timed("FID, LesionLab", fid.frechet_distance, real=real,
                               generated=generated)
    reference, scipy_seconds = timed("FID, baseline scipy.linalg.sqrtm", scipy_fid, real,
                                     generated)
    print(f"\nFID values: LesionLab {ours:.6f} vs scipy {reference:.6f}; "
          f"time {ours_seconds:.3f} s vs {scipy_seconds:.3f} s")
    print(f"features + measurements + distance metrics: {total:.1f} s "
          f"(goal: the whole evaluation of one model < 300 s; TSTR and generation come on top)")


if __name__ == "__main__":
    main()
