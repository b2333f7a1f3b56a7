"""Image sets for evaluation: generated ones (a checkpoint folder or the phantom renderer) and
their per-image measurements (auditor features and probabilities, lesion size and colours,
thumbnails), cached by feature model id + data fingerprint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from engine.evaluation.attribute_consistency import measure_lesion
from engine.evaluation.cache import ArrayCache, file_fingerprint, fingerprint
from engine.evaluation.images import square_resize
from engine.evaluation.inputs import SampleSet
from engine.generator import check_truncation
from engine.profiles import PatientProfile, ProfileSampler
from engine.vocabulary import DIAGNOSES

PHANTOM = "phantom"
TRUNCATION_MARK = "@"
THUMBNAIL_SIZE = 64
GENERATION_CHUNK = 100
Progress = Callable[[int, int], None]


def profiles_like(labels: np.ndarray, *, count: int, seed: int) -> list[PatientProfile]:
    """`count` profiles whose diagnosis mix matches `labels` (other fields from the prior)."""
    shares = np.bincount(labels, minlength=len(DIAGNOSES))
    mix = {dx: float(share) for dx, share in zip(DIAGNOSES, shares, strict=True) if share}
    return ProfileSampler.default().sample(n=count, class_mix=mix, seed=seed)


def split_truncation(model: str) -> tuple[str, float]:
    """'models/gan-128@0.7' -> ('models/gan-128', 0.7): a checkpoint sampled with truncation
    0.7 (engine.generator); without '@', truncation 1 (none)."""
    folder, mark, value = model.rpartition(TRUNCATION_MARK)
    if not mark:
        return model, 1.0
    try:
        truncation = float(value)
    except ValueError:
        raise ValueError(f"{model!r}: after '@' comes a truncation from 0 to 1, "
                         f"e.g. {folder}@0.7") from None
    if folder == PHANTOM:
        raise ValueError(f"{model!r}: phantoms are drawn, not sampled from a style space; "
                         "truncation applies to model folders only")
    check_truncation(truncation)
    return folder, truncation


def model_fingerprint(model: str) -> str:
    """Identity of a generator: the phantom renderer's source, or a checkpoint folder's files
    and the truncation it is sampled with."""
    if model == PHANTOM:
        return file_fingerprint(Path(__file__).resolve().parents[1] / "phantom")
    folder, truncation = split_truncation(model)
    if not (Path(folder) / "config.json").is_file():
        raise ValueError(f"{folder} is not a model folder (no config.json); pass a folder "
                         f"under models/ or '{PHANTOM}'")
    return fingerprint(file_fingerprint(Path(folder)), truncation)


def generate(
    *, model: str, profiles: list[PatientProfile], seed: int, size: int,
    progress: Progress | None = None,
) -> np.ndarray:
    """uint8 images (N, size, size, 3) of `profiles`; the same seed gives the same images."""
    if model == PHANTOM:
        from engine.phantom.render import render

        def make(chunk, chunk_seed):
            return np.stack([render(p, size=size, seed=chunk_seed * 10_007 + i)[0]
                             for i, p in enumerate(chunk)])
    else:
        from engine.generator import LesionGenerator

        folder, truncation = split_truncation(model)
        generator = LesionGenerator.load(folder)

        def make(chunk, chunk_seed):
            return np.asarray(generator.generate(chunk, seed=chunk_seed, truncation=truncation))
    parts = []
    for start in range(0, len(profiles), GENERATION_CHUNK):
        images = make(profiles[start:start + GENERATION_CHUNK], seed + start)
        if images.shape[1] != size:
            images = np.stack([square_resize(image, size=size) for image in images])
        parts.append(images)
        if progress is not None:
            progress(min(start + GENERATION_CHUNK, len(profiles)), len(profiles))
    return np.concatenate(parts)


def thumbnails(images: np.ndarray, *, size: int = THUMBNAIL_SIZE) -> np.ndarray:
    return np.stack([square_resize(image, size=size) for image in images])


def measure(
    *,
    name: str,
    images: np.ndarray,
    labels: np.ndarray,
    diameter_mm: np.ndarray,
    auditor,
    inception=None,
    cache: ArrayCache | None = None,
    progress: Progress | None = None,
    skin_types: np.ndarray | None = None,
) -> SampleSet:
    """Measure every image once; a second call with the same images and models reads the cache."""
    key = fingerprint(auditor.model_id, getattr(inception, "model_id", ""), images, labels,
                      diameter_mm)
    stored = cache.get(key) if cache else None
    if stored is None:
        prediction = auditor.predict(images, progress=progress)
        attributes = np.array([measure_lesion(image) for image in images], dtype=np.float64)
        stored = {"features": prediction.features, "probabilities": prediction.probabilities,
                  "measured_diameter_px": attributes[:, 0], "colour_counts": attributes[:, 1],
                  "thumbnails": thumbnails(images)}
        if inception is not None:
            stored["inception"] = inception.extract(images)
        if cache:
            cache.put(key, stored)
    extra = {"inception": stored["inception"]} if "inception" in stored else {}
    return SampleSet(name=name, features=stored["features"], labels=np.asarray(labels),
                     probabilities=stored["probabilities"], diameter_mm=np.asarray(diameter_mm),
                     measured_diameter_px=stored["measured_diameter_px"],
                     colour_counts=stored["colour_counts"], thumbnails=stored["thumbnails"],
                     extra_features=extra, skin_types=skin_types)
