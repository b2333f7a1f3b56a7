"""Studio: one profile rendered by every image source side by side, then degraded by hand.

Sources that are not installed (no checkpoint yet) come back with the reason instead of an
image, so the page can label them rather than silently show phantoms under a model's name.
A user's own photo joins them as one more image, at the same size, so the same sliders mean
the same thing on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from engine.degrade import DEGRADATIONS, degradation, describe, replay
from engine.profiles import PatientProfile, ProfileSampler
from engine.quiz import TYPICAL_TRUNCATION
from engine.quiz_items import decode_png, encode_png
from engine.services.uploads import MAX_UPLOAD_BYTES, read_upload
from engine.sources import SOURCE_NAMES, source_by_name

STUDIO_SIZE = 128  # pixels a side, as the shipped models render
# Truncations offered on the page: none, the quiz's typical cases (engine.quiz) and one step
# either side of them.
TRUNCATIONS = (1.0, 0.85, TYPICAL_TRUNCATION, 0.5)


@dataclass(frozen=True)
class StudioImage:
    source: str
    png: bytes | None
    generator_id: str | None
    unavailable_reason: str | None


def sample_profile(*, seed: int, dx: str | None = None) -> PatientProfile:
    """A realistic profile from the shipped prior, optionally with a fixed diagnosis."""
    fixed = {"dx": dx} if dx else None
    return ProfileSampler.default().sample(n=1, fixed=fixed, seed=seed)[0]


def render_all(*, profile: PatientProfile, seed: int, models_dir: Path,
               truncation: float = 1.0) -> list[StudioImage]:
    """The profile from GAN, deconvolution baseline and phantom, in that order; `truncation`
    below 1 makes the two models' images more typical (phantoms ignore it)."""
    shown = []
    for name in SOURCE_NAMES:
        try:
            source = source_by_name(name, models_root=models_dir, size=STUDIO_SIZE)
        except ValueError as error:
            shown.append(StudioImage(name, None, None, str(error)))
            continue
        batch = source.render([profile], seed=seed, truncation=truncation)
        shown.append(StudioImage(name, encode_png(batch.images[0]), source.generator_id, None))
    return shown


def uploaded(*, data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> StudioImage:
    """The user's photo as a Studio image (kept by the caller, never stored), or a ValueError
    naming the file and what is wrong with it."""
    image = read_upload(data, name=name, size=STUDIO_SIZE, max_bytes=max_bytes)
    return StudioImage("upload", encode_png(image), None, None)


def degradation_names() -> tuple[str, ...]:
    return tuple(DEGRADATIONS)


def degradation_label(name: str, *, language: str = "en") -> str:
    """A fault's name for its slider, e.g. "Motion blur", in the user's language."""
    return degradation(name).label(language=language)


def manual_steps(*, strengths: Mapping[str, float]) -> list[dict]:
    """Steps at a chosen strength each (0 clean .. 1 as heavy as the strongest preset);
    free parameters (angles, positions) take the middle of their range."""
    steps = []
    for name, strength in strengths.items():
        if not 0 <= strength <= 1:
            raise ValueError(f"strength of {name!r} is {strength}; it must be from 0 to 1")
        if strength == 0:
            continue
        params = {}
        for parameter in degradation(name).parameters:
            if parameter.free:
                value = (parameter.low + parameter.high) / 2
            else:
                value = parameter.clean + strength * (parameter.heavy - parameter.clean)
            params[parameter.name] = round(value) if parameter.integer else round(value, 4)
        steps.append({"name": name, "params": params})
    steps.sort(key=lambda step: degradation(step["name"]).stage)
    return steps


def apply(*, png: bytes, steps: list[dict], seed: int) -> bytes:
    """The degraded image as PNG."""
    return encode_png(replay(decode_png(png), applied=steps, seed=seed))


def description(*, steps: list[dict], language: str = "en") -> str:
    """A sentence, in `language`, saying what `steps` do to an image."""
    return describe(steps, language=language)
