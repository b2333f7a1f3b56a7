"""The skin around a lesion as a dermoscope sees it: tone, texture, skin lines, sun damage."""

from __future__ import annotations

import numpy as np

from engine.phantom.fields import (
    blur,
    composite,
    fractal_noise,
    mesh_lines,
    smooth_noise,
    spots,
)

# Dermoscopic skin tone per Fitzpatrick type: the pale pink-beige of skin under gel and a
# cool light source (HAM10000 skin medians: L* about 70, a* 10-30, b* near 0).
SKIN_RGB: dict[int, tuple[float, float, float]] = {
    1: (0.84, 0.70, 0.74),
    2: (0.81, 0.67, 0.70),
    3: (0.79, 0.63, 0.64),
    4: (0.73, 0.56, 0.54),
    5: (0.59, 0.43, 0.40),
    6: (0.44, 0.31, 0.29),
}


def skin_tone(*, skin_type: int, rng: np.random.Generator) -> np.ndarray:
    """The base tone with a small random shift in lightness and redness."""
    base = np.array(SKIN_RGB[skin_type], np.float32)
    lightness = rng.normal(1.0, 0.04)
    redness = max(rng.normal(0.0, 0.03), -0.02)  # never far towards green
    tone = base * lightness + np.array([redness, -redness * 0.6, -redness * 0.2], np.float32)
    return np.clip(tone, 0.05, 0.99).astype(np.float32)


def render_skin(
    *,
    size: int,
    px_per_mm: float,
    tone: np.ndarray,
    age: int | None,
    acral: bool,
    rng: np.random.Generator,
) -> np.ndarray:
    """An RGB float image of skin: soft erythema, follicles, skin lines, sun damage, grain."""
    shape = (size, size)
    image = np.empty((size, size, 3), np.float32)
    image[:] = tone
    # Diffuse redness and lightness at the scale of a few millimetres.
    redness = np.clip(fractal_noise(rng, shape, 4.0 * px_per_mm, octaves=2) + 0.3, 0, None)
    pink = np.array([0.005, -0.025, -0.012], np.float32) * rng.uniform(0.1, 1.0)
    image += redness[..., None] * pink
    image *= (1.0 + 0.025 * smooth_noise(rng, shape, 2.0 * px_per_mm))[..., None]
    # Skin lines: a faint net of furrows, or parallel dermatoglyphics on palms and soles.
    if acral:
        image *= (1.0 - 0.04 * _parallel_ridges(size, px_per_mm, rng))[..., None]
    else:
        furrows = mesh_lines(rng, shape, 1.2 * px_per_mm, 0.15)
        image *= (1.0 - rng.uniform(0.02, 0.05) * furrows)[..., None]
        _follicles(image, px_per_mm=px_per_mm, rng=rng)
        _flecks(image, px_per_mm=px_per_mm, rng=rng)
    # Sun damage: mottled light-brown patches that grow with age.
    years = age if age is not None else 45
    damage = float(np.clip((years - 30) / 50, 0.0, 1.0)) * rng.uniform(0.2, 1.0)
    if damage > 0:
        mottle = np.clip(fractal_noise(rng, shape, 1.2 * px_per_mm, octaves=2) - 0.7, 0, None)
        tan = tone * np.array([0.86, 0.8, 0.8], np.float32)
        composite(image, tan, np.clip(mottle * 0.3 * damage, 0, 0.35))
    # Fine grain of the epidermis.
    grain = blur(rng.standard_normal(shape).astype(np.float32), 0.7)
    image *= (1.0 + 0.02 * grain)[..., None]
    return image


def _follicles(image: np.ndarray, *, px_per_mm: float, rng: np.random.Generator) -> None:
    """Hair follicle openings: faint pale dots about 1 mm apart, some with a darker centre."""
    size = image.shape[0]
    count = int(rng.poisson(rng.uniform(0.3, 1.0) * (size / px_per_mm) ** 2))
    if count == 0:
        return
    centres = rng.uniform(0, size, (count, 2))
    radii = np.maximum(rng.uniform(0.05, 0.1, count) * px_per_mm, 0.6)
    coverage = np.clip(spots((size, size), centres, radii, softness_px=0.6), 0, 1)
    composite(image, np.minimum(image.mean(axis=(0, 1)) * 1.12, 1.0), coverage * 0.35)


def _flecks(image: np.ndarray, *, px_per_mm: float, rng: np.random.Generator) -> None:
    """Pale flecks of the horny layer, a tenth to a quarter of a millimetre across, that catch
    the light through the gel: real skin is finely speckled, never a smooth tint."""
    shape = image.shape[:2]
    pale = np.clip(fractal_noise(rng, shape, max(1.0, 0.25 * px_per_mm), octaves=3) - 0.6,
                   0, None)
    composite(image, np.minimum(image.mean(axis=(0, 1)) * 1.25, 1.0),
              np.clip(pale * rng.uniform(0.1, 0.25), 0, 0.4))


def _parallel_ridges(size: int, px_per_mm: float, rng: np.random.Generator) -> np.ndarray:
    """Dermatoglyphic ridges about 0.5 mm apart, gently curving."""
    angle = rng.uniform(0, np.pi)
    axis = np.arange(size, dtype=np.float32)
    x, y = np.meshgrid(axis, axis)
    across = x * np.cos(angle) + y * np.sin(angle)
    bend = smooth_noise(rng, (size, size), size / 2) * 0.6 * px_per_mm
    phase = 2 * np.pi * (across + bend) / (0.5 * px_per_mm)
    return np.clip(np.cos(phase), 0, 1).astype(np.float32) ** 3
