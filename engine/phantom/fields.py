"""Smooth random fields and drawing helpers shared by the phantom layers.

Everything is float32 and vectorised: a field is sampled from a small random grid upsampled
with bicubic interpolation, which gives organic low-frequency variation at a fraction of the
cost of per-pixel noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


def smooth_noise(rng: np.random.Generator, shape: tuple[int, int], scale_px: float) -> np.ndarray:
    """Zero-mean noise of unit spread whose features are about `scale_px` pixels wide."""
    height, width = shape
    cells_y = max(2, int(np.ceil(height / max(scale_px, 1.0))) + 2)
    cells_x = max(2, int(np.ceil(width / max(scale_px, 1.0))) + 2)
    grid = rng.standard_normal((cells_y, cells_x)).astype(np.float32)
    field = cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC)
    return field / (field.std() + 1e-6)


def fractal_noise(
    rng: np.random.Generator, shape: tuple[int, int], scale_px: float, octaves: int = 3
) -> np.ndarray:
    """Sum of smooth noises at halving scales: a natural, cloud-like variation."""
    total = np.zeros(shape, np.float32)
    for octave in range(octaves):
        total += smooth_noise(rng, shape, scale_px / 2**octave) * 0.55**octave
    return total / (total.std() + 1e-6)


def blur(image: np.ndarray, sigma_px: float) -> np.ndarray:
    """Gaussian blur; a no-op below a tenth of a pixel."""
    if sigma_px < 0.1:
        return image
    return cv2.GaussianBlur(image, (0, 0), sigmaX=float(sigma_px), borderType=cv2.BORDER_REFLECT)


def mesh_lines(
    rng: np.random.Generator, shape: tuple[int, int], cell_px: float, width: float
) -> np.ndarray:
    """A net of closed curved lines (zero crossings of band-passed noise), strength in [0, 1].

    This is how a pigment network, cerebriform fissures or a pseudo-network look: holes of
    about `cell_px` pixels bounded by lines whose relative thickness is `width` (0.1-0.6).
    """
    fine = smooth_noise(rng, shape, cell_px)
    return np.exp(-((fine / width) ** 2)).astype(np.float32)


def smoothstep(edge0: np.ndarray | float, edge1: np.ndarray | float, x: np.ndarray) -> np.ndarray:
    """0 below edge0, 1 above edge1 (either order), cubic in between."""
    t = np.clip((x - edge0) / (np.asarray(edge1) - edge0 + 1e-6), 0.0, 1.0)
    return (t * t * (3.0 - 2.0 * t)).astype(np.float32)


def composite(image: np.ndarray, colour: np.ndarray | tuple, alpha: np.ndarray) -> None:
    """Paint `colour` (an RGB triple or an image) over `image` in place with opacity `alpha`."""
    alpha3 = alpha[..., None]
    image *= 1.0 - alpha3
    image += np.asarray(colour, np.float32) * alpha3


def spots(
    shape: tuple[int, int],
    centres_xy: np.ndarray,
    radii_px: np.ndarray,
    softness_px: float = 0.6,
    strengths: np.ndarray | None = None,
) -> np.ndarray:
    """Filled discs as a soft coverage map in [0, 1] (drawn at 4x precision, then blurred).

    `strengths` (0-1 per disc) lets some discs be fainter than others, as real dots are.
    """
    layer = np.zeros(shape, np.uint8)
    levels = np.ones(len(radii_px)) if strengths is None else np.clip(strengths, 0, 1)
    for (x, y), radius, level in zip(centres_xy, radii_px, levels, strict=True):
        cv2.circle(
            layer, (int(round(x * 4)), int(round(y * 4))), max(1, int(round(radius * 4))),
            int(255 * level), -1, lineType=cv2.LINE_AA, shift=2,
        )
    return blur(layer.astype(np.float32) / 255.0, softness_px)


def polylines(
    shape: tuple[int, int], curves: list[np.ndarray], thickness_px: float, softness_px: float = 0.5
) -> np.ndarray:
    """Anti-aliased open curves (each an (n, 2) array of x, y) as coverage in [0, 1]."""
    layer = np.zeros(shape, np.uint8)
    thickness = max(1, int(round(thickness_px)))
    fixed = [np.round(curve * 16).astype(np.int32) for curve in curves]
    if fixed:
        cv2.polylines(layer, fixed, False, 255, thickness, lineType=cv2.LINE_AA, shift=4)
    coverage = layer.astype(np.float32) / 255.0
    if thickness_px < 1:
        coverage *= thickness_px
    return blur(coverage, softness_px)


@dataclass(frozen=True)
class Grid:
    """Pixel coordinates in millimetres: x to the right, y down, origin at the image centre."""

    size: int
    px_per_mm: float

    def coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        axis = (np.arange(self.size, dtype=np.float32) - (self.size - 1) / 2) / self.px_per_mm
        return np.meshgrid(axis, axis)

    def to_pixels(self, x_mm: np.ndarray, y_mm: np.ndarray) -> np.ndarray:
        """(n, 2) pixel coordinates of points given in millimetres."""
        centre = (self.size - 1) / 2
        return np.stack([x_mm * self.px_per_mm + centre, y_mm * self.px_per_mm + centre], axis=-1)
