"""The skin around a lesion as a dermoscope sees it: tone, texture, skin lines, sun damage."""

from __future__ import annotations

import numpy as np

from engine.phantom.fields import blur, composite, fractal_noise, mesh_lines, smooth_noise

# Dermoscopic skin tone per Fitzpatrick type: the pink-tan of lit, gel-covered skin.
SKIN_RGB: dict[int, tuple[float, float, float]] = {
    1: (0.93, 0.77, 0.75),
    2: (0.91, 0.73, 0.66),
    3: (0.88, 0.68, 0.60),
    4: (0.80, 0.59, 0.49),
    5: (0.63, 0.44, 0.35),
    6: (0.45, 0.31, 0.25),
}


def skin_tone(*, skin_type: int, rng: np.random.Generator) -> np.ndarray:
    """The base tone with a small random shift in lightness and redness."""
    base = np.array(SKIN_RGB[skin_type], np.float32)
    lightness = rng.normal(1.0, 0.035)
    redness = rng.normal(0.0, 0.025)
    tone = base * lightness + np.array([redness, -redness * 0.5, 0.0], np.float32)
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
    """An RGB float image of skin: blotchy erythema, fine texture, skin lines, sun damage."""
    shape = (size, size)
    image = np.empty((size, size, 3), np.float32)
    image[:] = tone
    # Blotchy redness and lightness at the scale of a few millimetres.
    redness = np.clip(fractal_noise(rng, shape, 4.0 * px_per_mm, octaves=2) + 0.5, 0, None)
    pink = np.array([0.01, -0.035, -0.02], np.float32) * rng.uniform(0.3, 1.0)
    image += redness[..., None] * pink
    image *= (1.0 + 0.03 * smooth_noise(rng, shape, 2.0 * px_per_mm))[..., None]
    # Skin lines: a faint net of furrows, or parallel dermatoglyphics on palms and soles.
    if acral:
        image *= (1.0 - 0.10 * _parallel_ridges(size, px_per_mm, rng))[..., None]
    else:
        furrows = mesh_lines(rng, shape, 1.5 * px_per_mm, 0.12)
        image *= (1.0 - rng.uniform(0.02, 0.05) * furrows)[..., None]
    # Sun damage: mottled tan patches that grow with age.
    years = age if age is not None else 45
    damage = float(np.clip((years - 30) / 50, 0.0, 1.0)) * rng.uniform(0.3, 1.0)
    if damage > 0:
        mottle = np.clip(fractal_noise(rng, shape, 1.5 * px_per_mm, octaves=2) - 0.6, 0, None)
        tan = np.array([0.64, 0.46, 0.37], np.float32) * tone / np.array(SKIN_RGB[2], np.float32)
        composite(image, tan, np.clip(mottle * 0.35 * damage, 0, 0.5))
    # Fine grain of the epidermis.
    grain = blur(rng.standard_normal(shape).astype(np.float32), 0.6)
    image *= (1.0 + 0.025 * grain)[..., None]
    return image


def _parallel_ridges(size: int, px_per_mm: float, rng: np.random.Generator) -> np.ndarray:
    """Dermatoglyphic ridges about 0.5 mm apart, gently curving."""
    angle = rng.uniform(0, np.pi)
    axis = np.arange(size, dtype=np.float32)
    x, y = np.meshgrid(axis, axis)
    across = x * np.cos(angle) + y * np.sin(angle)
    bend = smooth_noise(rng, (size, size), size / 2) * 0.6 * px_per_mm
    phase = 2 * np.pi * (across + bend) / (0.5 * px_per_mm)
    return np.clip(np.cos(phase), 0, 1).astype(np.float32) ** 3
