"""What the dermoscope adds: hair, gel bubbles, glare, ruler marks, vignette or a circular field,
defocus, colour cast and sensor noise. Each is optional and randomised; the ones drawn are
returned by name so the criteria can record them."""

from __future__ import annotations

import cv2
import numpy as np

from engine.phantom.fields import blur, composite, polylines, spots
from engine.profiles import PatientProfile
from engine.vocabulary import ACRAL_SITES

# Probability that hair is in the field, and how much, by site (male; female is lower). Most
# HAM10000 images show no hair or a few thin ones.
_HAIR_BY_SITE = {"scalp": (0.8, 12), "face": (0.2, 3), "ear": (0.15, 2), "neck": (0.2, 3),
                 "chest": (0.35, 4), "back": (0.2, 3), "abdomen": (0.2, 3),
                 "upper extremity": (0.25, 3), "lower extremity": (0.3, 4)}
_HAIR_DEFAULT = (0.15, 2)
_FEMALE_HAIR_FACTOR = {"scalp": 1.0}


def hair_plan(profile: PatientProfile, rng: np.random.Generator) -> int:
    """How many hairs cross the field (0 for none)."""
    if profile.site in ACRAL_SITES:
        return 0
    probability, mean = _HAIR_BY_SITE.get(profile.site, _HAIR_DEFAULT)
    if profile.sex == "female":
        factor = _FEMALE_HAIR_FACTOR.get(profile.site, 0.35)
        probability, mean = probability * factor, mean * factor
    if rng.random() >= probability:
        return 0
    return int(max(1, rng.poisson(mean)))


def draw_hair(image: np.ndarray, *, count: int, px_per_mm: float,
              rng: np.random.Generator) -> None:
    """Long, gently curved thin hairs crossing the field, dark brown to fair."""
    size = image.shape[0]
    colour = np.array((0.20, 0.14, 0.12), np.float32) * rng.uniform(0.7, 2.6)
    thickness = min(max(0.4, rng.uniform(0.04, 0.08) * px_per_mm), 1.6 * size / 128)
    curves = []
    for _ in range(count):
        start = rng.uniform(-0.2, 1.2, 2) * size
        heading = rng.uniform(0, 2 * np.pi)
        length = rng.uniform(0.4, 1.4) * size
        turns = heading + np.cumsum(rng.normal(0, 0.06, 12)) + np.linspace(0, rng.normal(0, 0.5),
                                                                          12)
        steps = np.stack([np.cos(turns), np.sin(turns)], 1) * length / 12
        curves.append(start + np.cumsum(steps, axis=0))
    coverage = polylines(image.shape[:2], curves, thickness, softness_px=0.4)
    composite(image, colour, np.clip(coverage, 0, 1) * rng.uniform(0.5, 0.85))


def draw_bubbles(image: np.ndarray, *, px_per_mm: float, rng: np.random.Generator) -> None:
    """Gel bubbles: thin bright rims with a dark inner edge and a specular highlight."""
    size = image.shape[0]
    count = int(rng.integers(1, 4))
    centres = rng.uniform(0, size, (count, 2))
    radii = rng.uniform(0.3, 0.9, count) * px_per_mm
    rims = spots(image.shape[:2], centres, radii, 0.7) - spots(image.shape[:2], centres,
                                                               radii * 0.85, 0.7)
    image *= (1.0 - 0.1 * np.clip(rims, 0, 1))[..., None]
    glints = spots(image.shape[:2], centres - radii[:, None] * 0.35, radii * 0.15, 0.8)
    composite(image, (1.0, 1.0, 1.0), np.clip(glints, 0, 1) * 0.4)


def draw_glare(image: np.ndarray, *, px_per_mm: float, rng: np.random.Generator) -> None:
    """Specular reflections: a few soft white spots and a faint haze."""
    size = image.shape[0]
    count = int(rng.integers(1, 4))
    coverage = spots(image.shape[:2], rng.uniform(0, size, (count, 2)),
                     rng.uniform(0.05, 0.25, count) * px_per_mm, softness_px=1.5)
    composite(image, (1.0, 1.0, 1.0), np.clip(coverage, 0, 1) * 0.4)


def draw_ruler(image: np.ndarray, *, px_per_mm: float, rng: np.random.Generator) -> None:
    """Millimetre ticks along one edge, every fifth one longer."""
    size = image.shape[0]
    offset = rng.uniform(0.02, 0.08) * size
    positions = np.arange(rng.uniform(0, px_per_mm), size, px_per_mm)
    curves = []
    for index, along in enumerate(positions):
        length = (0.12 if index % 5 == 0 else 0.06) * size
        curves.append(np.array([[along, offset], [along, offset + length]]))
    coverage = polylines(image.shape[:2], curves, max(1.0, size / 160), 0.3)
    coverage = np.rot90(coverage, int(rng.integers(0, 4))).copy()
    composite(image, (0.08, 0.08, 0.09), np.clip(coverage, 0, 1) * 0.9)


def apply_field(image: np.ndarray, *, circular: bool, rng: np.random.Generator) -> None:
    """Vignette: gentle darkening of the corners, or the black surround of a round field."""
    size = image.shape[0]
    axis = (np.arange(size, dtype=np.float32) - (size - 1) / 2) / (size / 2)
    x, y = np.meshgrid(axis, axis)
    radius = np.sqrt(x * x + y * y)
    if circular:
        edge = rng.uniform(1.15, 1.4)
        mask = np.clip((edge - radius) / 0.06, 0, 1)
        image *= (mask * (1 - 0.25 * np.clip(radius / edge, 0, 1) ** 4))[..., None]
        image += (1 - mask)[..., None] * np.float32(0.02)
    else:
        strength = rng.uniform(0.05, 0.35)
        image *= (1.0 - strength * np.clip(radius - 0.6, 0, None) ** 2)[..., None]


def finish(image: np.ndarray, *, rng: np.random.Generator) -> np.ndarray:
    """Defocus, uneven light, white balance, sensor noise; returns uint8 RGB.

    A photograph is never crisp and clean: the lens is a little out of focus, the light comes
    in at a slant, brighter on one side, and the sensor adds grain with colour in it.
    """
    size = image.shape[0]
    image = blur(image, rng.uniform(0.3, 0.65) * size / 128)
    axis = np.linspace(-1.0, 1.0, size, dtype=np.float32)
    tilt = rng.uniform(-np.pi, np.pi)
    light = 1.0 + rng.uniform(0.02, 0.06) * (np.cos(tilt) * axis[None, :]
                                             + np.sin(tilt) * axis[:, None])
    image = image * light[..., None]
    image = image * rng.normal(1.0, 0.02, 3).astype(np.float32) * rng.uniform(0.95, 1.05)
    grain = rng.standard_normal(image.shape[:2]).astype(np.float32)[..., None] * 0.01
    colour = blur(rng.standard_normal(image.shape).astype(np.float32), 0.6 * size / 128) * 0.012
    image = image + grain + colour
    return cv2.convertScaleAbs(np.clip(image, 0, 1), alpha=255.0)
