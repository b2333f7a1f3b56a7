"""Where quiz images come from: the shipped generative models or the procedural phantom.

The choice is always explicit. `source_by_name("gan" | "deconv" | "phantom")` loads what was
asked for or raises; `default_source` returns the shipped GAN and falls back to phantoms only
when the caller allows it, and then says so in `fallback_reason`, which every quiz item records.
An auditor (the classifier in models/auditor-128) scores images for hard-case selection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from engine.profiles import PatientProfile

MODELS_ROOT = Path(__file__).resolve().parent.parent / "models"
SOURCE_FOLDERS: dict[str, str] = {"gan": "gan-128", "deconv": "deconv-128"}
SOURCE_NAMES: tuple[str, ...] = ("gan", "deconv", "phantom")
AUDITOR_FOLDER = "auditor-128"

# An auditor: uint8 images (n, h, w, 3) -> class probabilities (n, 7) over DIAGNOSES.
Scorer = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class RenderedBatch:
    """Images (n, size, size, 3) uint8 and, for phantoms, the criteria drawn in each."""

    images: np.ndarray
    criteria: tuple[dict | None, ...]


class ImageSource(Protocol):
    name: str
    generator_id: str
    version: str
    fallback_reason: str | None

    def render(self, profiles: Sequence[PatientProfile], *, seed: int,
               truncation: float = 1.0) -> RenderedBatch:
        """One image per profile; image i depends only on (seed, i, profile i, truncation), as
        for `LesionGenerator.generate`, so (seed, i) in an item's record regenerates it.
        truncation < 1 asks for images more typical of their profile, where the source can."""
        ...

    def record(self) -> dict:
        """What an item stores about its source."""
        ...


class _SourceRecord:
    def record(self) -> dict:
        return {
            "name": self.name,
            "generator_id": self.generator_id,
            "version": self.version,
            "fallback_reason": self.fallback_reason,
        }


class PhantomSource(_SourceRecord):
    """Procedural phantoms (engine.phantom) without their own artefacts: the degradation step
    is the only source of imperfection, so severity 0 means a clean image."""

    name = "phantom"

    def __init__(self, *, size: int = 128, fallback_reason: str | None = None) -> None:
        from engine import phantom

        self.size = int(size)
        self.generator_id = phantom.GENERATOR_ID
        self.version = phantom.VERSION
        self.fallback_reason = fallback_reason

    def render(self, profiles: Sequence[PatientProfile], *, seed: int,
               truncation: float = 1.0) -> RenderedBatch:
        """`truncation` has no meaning for drawn images and is ignored: phantom criteria come
        from class-typical distributions with their deliberate overlap."""
        from engine.phantom import render

        images, criteria = [], []
        for index, profile in enumerate(profiles):
            image, drawn = render(profile, size=self.size, artefacts=False,
                                  seed=np.random.default_rng([int(seed), index]))
            images.append(image)
            criteria.append(drawn.to_dict())
        return RenderedBatch(_stack(images, self.size), tuple(criteria))


class GeneratorSource(_SourceRecord):
    """A trained checkpoint (engine.generator.LesionGenerator), generating in batches."""

    def __init__(self, *, name: str, generator) -> None:
        self.name = name
        self.generator = generator
        self.generator_id = generator.model_id
        self.version = str(generator.version)
        self.size = int(generator.size)
        self.fallback_reason = None

    def render(self, profiles: Sequence[PatientProfile], *, seed: int,
               truncation: float = 1.0) -> RenderedBatch:
        images = self.generator.generate(list(profiles), seed=int(seed), truncation=truncation)
        return RenderedBatch(images.astype(np.uint8, copy=False), (None,) * len(images))


def source_by_name(name: str, *, models_root: Path | None = None, size: int = 128):
    """The source called `name` ("gan", "deconv" or "phantom"); raises if it is not there."""
    if name == "phantom":
        return PhantomSource(size=size)
    if name not in SOURCE_FOLDERS:
        raise ValueError(f"unknown image source {name!r}; choose one of {', '.join(SOURCE_NAMES)}")
    return GeneratorSource(name=name, generator=_loaded_generator(
        Path(models_root or MODELS_ROOT).resolve(), SOURCE_FOLDERS[name]))


def default_source(models_root: Path | None = None, *, allow_phantom_fallback: bool = False):
    """The shipped GAN; if it is missing, phantoms only when `allow_phantom_fallback` is set
    (the reason is then recorded in every item), otherwise a ValueError saying what to do."""
    root = Path(models_root or MODELS_ROOT)
    try:
        return source_by_name("gan", models_root=root)
    except ValueError as error:
        if not allow_phantom_fallback:
            raise
        return PhantomSource(fallback_reason=f"GAN unavailable: {error}")


@cache
def _loaded_generator(root: Path, folder: str):
    """Load a checkpoint once per process; the generator itself is read-only afterwards."""
    path = root / folder
    if not (path / "config.json").is_file():
        raise ValueError(
            f"no checkpoint in {path} (config.json missing): train it with "
            "`make train-default`, or choose the phantom source explicitly"
        )
    from engine.generator import LesionGenerator

    return LesionGenerator.load(path, models_root=root)


def auditor_scorer(models_root: Path | None = None) -> Scorer:
    """Class probabilities from the shipped auditor, for hard-case selection; raises if absent."""
    path = Path(models_root or MODELS_ROOT).resolve() / AUDITOR_FOLDER
    auditor = _loaded_auditor(path)
    lock = threading.Lock()

    def score(images: np.ndarray) -> np.ndarray:
        with lock:
            return auditor.predict(images).probabilities

    return score


@cache
def _loaded_auditor(path: Path):
    if not (path / "config.json").is_file():
        raise ValueError(
            f"hard-case selection needs the auditor classifier in {path}, which is missing: "
            "train it with `lesionlab train --model auditor`, or turn hard-case selection off "
            "(`lesionlab quiz --no-hard-cases`)"
        )
    from engine.nets.auditor import Auditor

    return Auditor(path)


def _stack(images: list[np.ndarray], size: int) -> np.ndarray:
    if not images:
        return np.zeros((0, size, size, 3), np.uint8)
    return np.stack(images).astype(np.uint8, copy=False)
