"""Measurements on dermoscopy pixels alone, real or phantom: the lesion mask, its share of the
frame, its colour in CIELAB, how abruptly its edge falls off and how speckled the skin is.

They let the tests check phantom pixels against their criteria, and the fidelity benchmark
compare phantoms with real images class by class, with one and the same yardstick.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

RING_PX = 4


def lesion_mask(image: np.ndarray) -> np.ndarray:
    """Pixels that differ from the skin (see `skin_reference`): Otsu threshold on the colour
    distance, largest connected part, holes filled."""
    pixels = cv2.GaussianBlur(image, (0, 0), 1.0).astype(np.float32)
    distance = np.linalg.norm(pixels - skin_reference(pixels), axis=-1)
    scaled = np.clip(distance * 255 / max(distance.max(), 1), 0, 255).astype(np.uint8)
    _, mask = cv2.threshold(scaled, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    if count < 2:
        return np.zeros(mask.shape, bool)
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return filled(labels == largest)


def skin_reference(pixels: np.ndarray) -> np.ndarray:
    """The skin's colour at every pixel: a plane per channel fitted to the image's outer ring,
    because a dermoscope's light falls unevenly, brighter on one side of the field. Ring pixels
    far from the ring's median (hair, ruler, the lesion reaching the edge) are left out."""
    height, width = pixels.shape[:2]
    ring = np.ones((height, width), bool)
    ring[RING_PX:-RING_PX, RING_PX:-RING_PX] = False
    y, x = np.mgrid[0:height, 0:width].astype(np.float32) / max(height, width)
    design = np.stack([np.ones_like(x), x, y], axis=-1)
    values = pixels[ring]
    spread = np.linalg.norm(values - np.median(values, axis=0), axis=-1)
    keep = spread <= np.quantile(spread, 0.75)
    coefficients, *_ = np.linalg.lstsq(design[ring][keep], values[keep], rcond=None)
    return design @ coefficients


def filled(mask: np.ndarray) -> np.ndarray:
    """The mask with its holes filled (everything not reachable from the image border)."""
    outside = np.pad(~mask, 1, constant_values=True).astype(np.uint8)
    cv2.floodFill(outside, None, (0, 0), 2)
    return outside[1:-1, 1:-1] != 2


def to_lab(image: np.ndarray) -> np.ndarray:
    """uint8 sRGB -> CIELAB floats (L 0-100, a and b about -128..127)."""
    lab = cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)
    return lab.astype(np.float32)


@dataclass(frozen=True)
class LesionStats:
    """Summary of one image: where the lesion is, its colour against the skin, its edge."""

    area_fraction: float  # share of the frame the lesion covers
    lesion_lab: tuple[float, float, float]
    skin_lab: tuple[float, float, float]
    lesion_texture: float  # spread of L* inside the lesion
    edge_sharpness: float  # boundary gradient of L* per unit of lesion-skin contrast (1/px)
    skin_speckle: float  # how far the skin's brightest specks stand out (L*; see skin_speckle)


def lesion_stats(image: np.ndarray) -> LesionStats:
    """Measure one RGB uint8 image (square, any size; gradients are per pixel)."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f"image must be uint8 RGB (height, width, 3), got {image.dtype} "
                         f"{image.shape}")
    mask = lesion_mask(image)
    lab = to_lab(image)
    inside = mask if mask.any() else np.ones(mask.shape, bool)
    outside = ~mask if (~mask).any() else np.ones(mask.shape, bool)
    lesion_lab = lab[inside].mean(axis=0)
    skin_lab = lab[outside].mean(axis=0)
    lightness = cv2.GaussianBlur(lab[..., 0], (0, 0), 0.7)
    gradient = np.hypot(cv2.Sobel(lightness, cv2.CV_32F, 1, 0, ksize=3),
                        cv2.Sobel(lightness, cv2.CV_32F, 0, 1, ksize=3)) / 8.0
    kernel = np.ones((3, 3), np.uint8)
    boundary = (cv2.dilate(mask.astype(np.uint8), kernel)
                - cv2.erode(mask.astype(np.uint8), kernel)) > 0
    contrast = abs(float(lesion_lab[0] - skin_lab[0]))
    sharpness = float(gradient[boundary].mean() / max(contrast, 3.0)) if boundary.any() else 0.0
    skin_away = cv2.erode(outside.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    return LesionStats(
        area_fraction=float(mask.mean()),
        lesion_lab=tuple(float(v) for v in lesion_lab),
        skin_lab=tuple(float(v) for v in skin_lab),
        lesion_texture=float(lab[inside][:, 0].std()),
        edge_sharpness=sharpness,
        skin_speckle=skin_speckle(lab[..., 0], skin_away if skin_away.any() else outside),
    )


def skin_speckle(lightness: np.ndarray, skin: np.ndarray) -> float:
    """The 99th percentile of L* above its own 1-px blur on the skin: pale flecks, follicle
    openings and glints a few pixels across, which set how grainy the skin looks."""
    detail = lightness - cv2.GaussianBlur(lightness, (0, 0), 1.0)
    return float(np.percentile(detail[skin], 99))
