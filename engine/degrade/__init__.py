"""Imperfect imaging: degrade a clean lesion image the way real dermoscopy photographs fail.

`degrade(image, severity=3, seed=1)` or `degrade(image, spec=..., seed=1)` returns the degraded
image with the exact parameters applied (a JSON-friendly list of {"name", "params"}) and a
description for feedback (`describe(applied, language=...)` words it in en, ja or id).
`replay(image, applied=..., seed=...)` reproduces the image from what a quiz item stored. The
seed drives two independent streams: one draws which faults occur and their parameters, the
other (albumentations' `Compose(seed=...)`) the pixel-level randomness (noise, hair paths,
shadow shape).

Severity presets live in `engine.degrade.presets`, the catalogue of faults in
`engine.degrade.catalogue`, custom albumentations transforms in `engine.degrade.transforms`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.degrade.catalogue import DEGRADATIONS, degradation
from engine.degrade.presets import SEVERITIES, SEVERITY_NAMES, severity_spec
from engine.degrade.spec import DegradationSpec, DegradationStep
from engine.i18n import text

__all__ = [
    "DEGRADATIONS",
    "SEVERITIES",
    "SEVERITY_NAMES",
    "DegradationResult",
    "DegradationSpec",
    "DegradationStep",
    "degrade",
    "describe",
    "replay",
    "severity_spec",
]

# Appended to the seed for the stream that draws which faults occur and their parameters,
# keeping it independent of the pixel-level stream albumentations seeds with the bare seed.
_PARAMETER_STREAM = 0x5EED


@dataclass(frozen=True)
class DegradationResult:
    """The degraded image, what was applied (in order), the seed, and the preset if any."""

    image: np.ndarray
    applied: tuple[dict, ...]
    seed: int
    severity: int | None
    spec_label: str

    @property
    def description(self) -> str:
        return describe(self.applied)

    def to_dict(self) -> dict:
        """JSON-friendly record of everything but the image; `replay` takes it back."""
        return {
            "severity": self.severity,
            "spec": self.spec_label,
            "seed": self.seed,
            "applied": [dict(step) for step in self.applied],
            "description": self.description,
        }


def degrade(
    image: np.ndarray,
    *,
    severity: int | None = None,
    spec: DegradationSpec | None = None,
    seed: int,
) -> DegradationResult:
    """Degrade a uint8 RGB image with a severity preset (0..4) or a custom spec, for a seed."""
    if (severity is None) == (spec is None):
        raise ValueError("give exactly one of severity (0..4) or spec (a DegradationSpec)")
    if spec is None:
        spec = severity_spec(severity)
    elif not isinstance(spec, DegradationSpec):
        raise ValueError(f"spec must be a DegradationSpec, got {type(spec).__name__}")
    seed = _checked_seed(seed)
    rng = np.random.default_rng([seed, _PARAMETER_STREAM])
    applied = tuple(spec.draw(rng))
    return DegradationResult(
        image=replay(image, applied=applied, seed=seed),
        applied=applied,
        seed=seed,
        severity=spec.severity,
        spec_label=spec.label,
    )


def replay(image: np.ndarray, *, applied: Sequence[Mapping], seed: int) -> np.ndarray:
    """Apply recorded steps ({"name", "params"} in order) exactly as they were applied."""
    import albumentations as A

    image = _checked_image(image)
    if not applied:
        return image.copy()
    height, width = image.shape[:2]
    transforms = []
    for position, step in enumerate(applied):
        transforms.extend(_step_transforms(step, position, height, width))
    pipeline = A.Compose(transforms, seed=_checked_seed(seed), strict=True)
    return pipeline(image=image)["image"]


def describe(applied: Sequence[Mapping], *, language: str = "en") -> str:
    """A trainee-readable summary, e.g. "heavy motion blur (...); moderate JPEG quality 35"."""
    if not applied:
        return text("degradation.none", language)
    phrases = []
    for step in applied:
        entry = degradation(step["name"])
        degree = entry.degree(step["params"])
        strength = "slight" if degree < 0.3 else "moderate" if degree < 0.65 else "heavy"
        phrases.append(text("degradation.step", language,
                            strength=text(f"degradation.strength.{strength}", language),
                            fault=entry.describe(step["params"], language=language)))
    return text("degradation.separator", language).join(phrases)


def _step_transforms(step: Mapping, position: int, height: int, width: int) -> list:
    if not isinstance(step, Mapping) or {"name", "params"} - set(step):
        raise ValueError(f"applied step {position} must be a mapping with 'name' and 'params'")
    entry = degradation(step["name"])
    params = step["params"]
    missing = [p.name for p in entry.parameters if p.name not in params]
    if missing:
        raise ValueError(
            f"applied step {position} ({entry.name}) lacks parameter(s) {', '.join(missing)}"
        )
    for parameter in entry.parameters:
        value = params[parameter.name]
        if not parameter.low <= value <= parameter.high:
            raise ValueError(
                f"applied step {position} ({entry.name}): {parameter.name}={value!r} is outside "
                f"[{parameter.low:g}, {parameter.high:g}]"
            )
    return entry.build(params, height, width)


def _checked_image(image) -> np.ndarray:
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(
            "image must be a uint8 RGB array of shape (height, width, 3); got "
            f"dtype {image.dtype} and shape {image.shape}"
        )
    if min(image.shape[:2]) < 16:
        raise ValueError(f"image of {image.shape[1]}x{image.shape[0]} px is too small (min 16)")
    return image


def _checked_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)
