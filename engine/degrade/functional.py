"""Pure image functions behind the custom degradations albumentations lacks.

Each takes a uint8 RGB image and explicit geometry, and returns a new uint8 image; drawing the
geometry at random is the job of the transforms in `engine.degrade.transforms`, so these stay
deterministic and easy to test.
"""

from __future__ import annotations

import cv2
import numpy as np

# Hair colours (RGB): black, dark brown, grey-brown, light blond; dermoscopy shows all of them.
HAIR_COLOURS: tuple[tuple[int, int, int], ...] = (
    (20, 15, 12),
    (58, 38, 25),
    (95, 80, 70),
    (170, 140, 95),
)


def vignette(image: np.ndarray, *, strength: float, centre: tuple[float, float]) -> np.ndarray:
    """Darken towards the border, as a dermatoscope lens or uneven ring light does.

    strength 0 leaves the image unchanged, 1 makes the far corners black; centre is the
    brightest point as fractions (x, y) of width and height.
    """
    height, width = image.shape[:2]
    rows = (np.arange(height, dtype=np.float32) + 0.5) / height - centre[1]
    columns = (np.arange(width, dtype=np.float32) + 0.5) / width - centre[0]
    # Distance in units of the half-diagonal, so a corner of a centred vignette sits at 1.
    distance = np.sqrt(rows[:, None] ** 2 + columns[None, :] ** 2) / np.sqrt(0.5)
    factor = 1.0 - strength * np.clip(distance, 0.0, 1.0) ** 2.5
    return _to_uint8(image.astype(np.float32) * factor[:, :, None])


def edge_shadow(
    image: np.ndarray, *, angle: float, intensity: float, reach: float
) -> np.ndarray:
    """Darken one side of the field with a soft edge, as a finger, the lens rim or a tilted
    dermatoscope casts.

    angle (degrees) points from the centre to the darkest edge; reach 0..1 is how far across
    the field the shadow extends; intensity 0..1 is the darkening at the edge.
    """
    height, width = image.shape[:2]
    rows = (np.arange(height, dtype=np.float32) + 0.5) / height - 0.5
    columns = (np.arange(width, dtype=np.float32) + 0.5) / width - 0.5
    radians = np.deg2rad(angle)
    # 0 at the far side of the field, 1 at the shadowed edge.
    position = (columns[None, :] * np.cos(radians) + rows[:, None] * np.sin(radians)) / (
        abs(np.cos(radians)) + abs(np.sin(radians))
    ) + 0.5
    ramp = np.clip((position - (1.0 - reach)) / max(reach, 1e-3), 0.0, 1.0)
    weight = ramp * ramp * (3 - 2 * ramp)
    return _to_uint8(image.astype(np.float32) * (1.0 - intensity * weight)[:, :, None])


def specular_glare(
    image: np.ndarray, *, spots: np.ndarray, intensity: float
) -> np.ndarray:
    """Blend bright white spots in, like reflections off a non-contact lens or air bubbles.

    spots: array (n, 3) of x, y (pixels) and radius (pixels); intensity 0..1 is the peak
    blend towards white at each spot's centre, with a Gaussian fall-off.
    """
    height, width = image.shape[:2]
    rows = np.arange(height, dtype=np.float32)[:, None]
    columns = np.arange(width, dtype=np.float32)[None, :]
    weight = np.zeros((height, width), dtype=np.float32)
    for x, y, radius in np.asarray(spots, dtype=np.float32).reshape(-1, 3):
        sigma = max(float(radius), 0.5) / 2.0
        spot = np.exp(-((columns - x) ** 2 + (rows - y) ** 2) / (2 * sigma**2))
        weight = np.maximum(weight, spot)
    weight = (intensity * weight)[:, :, None]
    return _to_uint8(image.astype(np.float32) * (1 - weight) + 255.0 * weight)


def hair_strands(
    *, shape: tuple[int, int], count: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """Random gently curved strands (quadratic Bezier curves) as (k, 2) x-y point arrays.

    Strands start anywhere in the image and run 30-100 % of its longer side, so many cross
    the lesion, which is what makes hair a real obstacle.
    """
    height, width = shape
    side = max(height, width)
    samples = np.linspace(0.0, 1.0, 32)[:, None]
    strands = []
    for _ in range(count):
        start = rng.uniform((0, 0), (width, height))
        angle = rng.uniform(0, 2 * np.pi)
        length = rng.uniform(0.3, 1.0) * side
        direction = np.array([np.cos(angle), np.sin(angle)])
        end = start + length * direction
        normal = np.array([-direction[1], direction[0]])
        control = (start + end) / 2 + normal * rng.normal(0, 0.25) * length
        curve = (1 - samples) ** 2 * start + 2 * (1 - samples) * samples * control
        strands.append(curve + samples**2 * end)
    return strands


def draw_hairs(
    image: np.ndarray,
    *,
    strands: list[np.ndarray],
    thickness: int,
    colour: tuple[int, int, int],
    opacity: float,
) -> np.ndarray:
    """Draw hair strands as anti-aliased polylines, blended with the given opacity."""
    layer = np.ascontiguousarray(image.copy())
    for strand in strands:
        points = np.round(strand * 16).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(
            layer, [points], isClosed=False, color=tuple(int(c) for c in colour),
            thickness=int(thickness), lineType=cv2.LINE_AA, shift=4,
        )
    blended = image.astype(np.float32) * (1 - opacity) + layer.astype(np.float32) * opacity
    return _to_uint8(blended)


def _to_uint8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.round(values), 0, 255).astype(np.uint8)
