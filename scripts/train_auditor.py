"""Train the shipped auditor (models/auditor-128) on phantom images rendered in memory, then
score it on real labelled images given with --check (e.g. the HAM10000 test fixtures).

    .venv/bin/python scripts/train_auditor.py --n 20000 --out models/auditor-128 \
        --check tests/fixtures/ham10000:ham10000

Interrupted runs resume from the last finished epoch when started again with the same --out.
"""

from __future__ import annotations

import argparse
import json
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
from rich.progress import Progress

from engine.evaluation.classification import classification_scores
from engine.evaluation.images import load_images
from engine.nets.auditor import Auditor, AuditorConfig, fit_auditor
from engine.phantom.render import render
from engine.profiles import ProfileSampler
from engine.vocabulary import DIAGNOSES

CHUNK = 250


def _render_chunk(profiles, size: int, first_seed: int) -> np.ndarray:
    return np.stack([render(p, size=size, seed=first_seed + i)[0] for i, p in enumerate(profiles)])


def render_phantoms(*, count: int, size: int, seed: int, workers: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """`count` phantoms of a balanced class mix; image i has seed `seed * 1_000_003 + i`, so
    the result does not depend on the number of worker processes."""
    profiles = ProfileSampler.default().sample(n=count, class_mix="balanced", seed=seed)
    images = np.empty((count, size, size, 3), np.uint8)
    starts = range(0, count, CHUNK)
    with Progress() as progress, ProcessPoolExecutor(max_workers=workers) as pool:
        task = progress.add_task("rendering phantoms", total=count)
        jobs = {pool.submit(_render_chunk, profiles[start:start + CHUNK], size,
                            seed * 1_000_003 + start): start for start in starts}
        for job in as_completed(jobs):
            start = jobs[job]
            images[start:start + CHUNK] = job.result()
            progress.advance(task, CHUNK)
    return images, np.array([DIAGNOSES.index(p.dx) for p in profiles])


def score_on(auditor: Auditor, *, path: str, format: str) -> dict:
    loaded = load_images(path, format=format, size=auditor.input_size)
    prediction = auditor.predict(loaded.images)
    scores = classification_scores(labels=loaded.labels, probabilities=prediction.probabilities,
                                   malignant_probability=prediction.malignant)
    name = Path(path).name if Path(path).is_dir() else f"{Path(path).parent.name}/{Path(path).name}"
    return {"data": name, "format": format, **scores.to_dict()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="phantom images to train on")
    parser.add_argument("--out", type=Path, default=Path("models/auditor-128"))
    parser.add_argument("--epochs", type=int, default=AuditorConfig.epochs)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-minutes", type=float, default=None)
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                        help="processes rendering phantoms")
    parser.add_argument("--check", action="append", default=[],
                        help="PATH:FORMAT of real labelled images to score the auditor on")
    arguments = parser.parse_args()
    config = AuditorConfig(epochs=arguments.epochs)
    images, labels = render_phantoms(count=arguments.n, size=config.input_size,
                                     seed=arguments.seed, workers=arguments.workers)
    description = {"name": "phantom (engine.phantom.render, balanced class mix)",
                   "images": arguments.n, "seed": arguments.seed}
    metrics = fit_auditor(images=images, labels=labels, groups=np.arange(len(labels)),
                          out=arguments.out, config=config, seed=arguments.seed,
                          data_description=description, max_minutes=arguments.max_minutes)
    auditor = Auditor(arguments.out)
    checks = []
    for check in arguments.check:
        path, _, format = check.rpartition(":")
        checks.append(score_on(auditor, path=path, format=format))
    metrics_path = arguments.out / "metrics.json"
    stored = json.loads(metrics_path.read_text())
    stored["real_images"] = checks
    metrics_path.write_text(json.dumps(stored, indent=2))
    print(json.dumps({"validation": metrics["validation"], "real_images": checks}, indent=2))


if __name__ == "__main__":
    main()
