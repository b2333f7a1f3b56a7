"""Discrete structures: dots, globules, streaks, ovoid nests, leaf-like areas, milia-like cysts
and comedo-like openings. Each is placed in lesion coordinates, so it follows the outline."""

from __future__ import annotations

import numpy as np

from engine.phantom.criteria import COLOUR_RGB
from engine.phantom.fields import blur, composite, fractal_noise, polylines, spots
from engine.phantom.lesion import Scene

DARK_BROWN = np.array(COLOUR_RGB["dark brown"], np.float32)
BLACK = np.array(COLOUR_RGB["black"], np.float32)
BLUE_GREY = np.array(COLOUR_RGB["blue-grey"], np.float32)
NEST_BLUE = np.array((0.42, 0.48, 0.58), np.float32)


def _sizes_px(scene: Scene, mean_mm: float, spread: float, count: int) -> np.ndarray:
    radii = np.abs(scene.rng.normal(mean_mm, mean_mm * spread, count)) + mean_mm * 0.3
    return np.maximum(radii * scene.outline.px_per_mm, 0.55)


def _faded(scene: Scene, count: int) -> np.ndarray:
    """Per-dot strength: real dots and globules range from crisp to barely there."""
    return scene.rng.uniform(0.4, 1.0, count)


def _area_count(scene: Scene, per_mm2: float, low: int, high: int) -> int:
    area = np.pi * scene.outline.radius_mm**2
    return int(np.clip(scene.rng.poisson(per_mm2 * area), low, high))


def dots(image: np.ndarray, scene: Scene) -> None:
    """Small, even, dark dots gathered in the centre or on the network lines."""
    count = _area_count(scene, 1.5, 8, 60)
    points = scene.outline.random_points(scene.rng, count, rho_high=0.6)
    coverage = spots(scene.shape, scene.outline.to_pixels(*points.T),
                     _sizes_px(scene, 0.04, 0.15, count), softness_px=0.6,
                     strengths=_faded(scene, count))
    composite(image, DARK_BROWN * 0.8, np.clip(coverage, 0, 1) * 0.65)


def irregular_dots(image: np.ndarray, scene: Scene) -> None:
    """Dots of uneven size and colour, crowded off-centre and near the edge."""
    count = _area_count(scene, 2.0, 10, 80)
    centre = scene.rng.uniform(-np.pi, np.pi)
    angles = centre + scene.rng.normal(0, 0.9, count)
    points = scene.outline.random_points(scene.rng, count, rho_low=0.3, rho_high=1.0,
                                         angles=angles)
    pixels = scene.outline.to_pixels(*points.T)
    radii = _sizes_px(scene, 0.06, 0.6, count)
    strengths = _faded(scene, count)
    shades = [BLACK, DARK_BROWN, BLUE_GREY * 0.8]
    for index, colour in enumerate(shades):
        chosen = slice(index, None, len(shades))
        coverage = spots(scene.shape, pixels[chosen], radii[chosen], softness_px=0.6,
                         strengths=strengths[chosen])
        composite(image, colour, np.clip(coverage, 0, 1) * 0.75)


def globules(image: np.ndarray, scene: Scene) -> None:
    """Round brown globules of one size: evenly spread, or as a rim around a growing nevus."""
    count = _area_count(scene, 0.8, 6, 40)
    if scene.rng.random() < 0.35:
        points = scene.outline.random_points(scene.rng, count, rho_low=0.8, rho_high=0.95)
    else:
        points = scene.outline.random_points(scene.rng, count, rho_high=0.85)
    coverage = spots(scene.shape, scene.outline.to_pixels(*points.T),
                     _sizes_px(scene, 0.12, 0.15, count), softness_px=1.1,
                     strengths=_faded(scene, count))
    composite(image, scene.darker(0.55), np.clip(coverage, 0, 1) * 0.75)


def irregular_globules(image: np.ndarray, scene: Scene) -> None:
    """Globules of varied size and shade, clustered in one part of the lesion."""
    count = _area_count(scene, 0.8, 6, 40)
    angles = scene.rng.uniform(-np.pi, np.pi) + scene.rng.normal(0, 0.7, count)
    points = scene.outline.random_points(scene.rng, count, rho_low=0.2, rho_high=0.95,
                                         angles=angles)
    pixels = scene.outline.to_pixels(*points.T)
    radii = _sizes_px(scene, 0.15, 0.6, count)
    half = count // 2
    strengths = _faded(scene, count)
    dark = spots(scene.shape, pixels[:half], radii[:half], softness_px=1.1,
                 strengths=strengths[:half])
    brown = spots(scene.shape, pixels[half:], radii[half:], softness_px=1.1,
                  strengths=strengths[half:])
    composite(image, BLACK * 1.3, np.clip(dark, 0, 1) * 0.8)
    composite(image, DARK_BROWN, np.clip(brown, 0, 1) * 0.85)


def _streaks(image: np.ndarray, scene: Scene, *, angles: np.ndarray, bulbous: bool) -> None:
    outline, rng = scene.outline, scene.rng
    radius = outline.border_radius(angles)
    inner = radius * rng.uniform(0.65, 0.8, len(angles))
    outer = radius * rng.uniform(0.98, 1.06, len(angles))
    curves = []
    for angle, start, end in zip(angles, inner, outer, strict=True):
        steps = np.linspace(0, 1, 6)
        wobble = rng.normal(0, 0.04, 6).cumsum()
        theta = angle + wobble
        r = start + (end - start) * steps
        curves.append(outline.to_pixels(r * np.cos(theta), r * np.sin(theta)))
    thickness = float(np.clip(0.08 * outline.px_per_mm, 1.0, 2.0))
    coverage = polylines(scene.shape, curves, thickness, softness_px=0.5)
    if bulbous:
        tips = np.array([curve[-1] for curve in curves])
        coverage = np.maximum(coverage, spots(scene.shape, tips, np.full(len(tips),
                                                                         thickness * 1.1)))
    composite(image, scene.darker(0.8), np.clip(blur(coverage, 0.5), 0, 1) * 0.8)


def regular_streaks(image: np.ndarray, scene: Scene) -> None:
    """Streaks evenly all around the rim (the starburst of a Reed/Spitz nevus)."""
    count = int(scene.rng.integers(18, 36))
    angles = np.linspace(-np.pi, np.pi, count, endpoint=False) + scene.rng.normal(0, 0.05, count)
    _streaks(image, scene, angles=angles, bulbous=False)


def irregular_streaks(image: np.ndarray, scene: Scene) -> None:
    """Streaks and pseudopods in one or two sectors of the rim only."""
    centres = scene.rng.uniform(-np.pi, np.pi, int(scene.rng.integers(1, 3)))
    angles = np.concatenate([c + scene.rng.uniform(-0.5, 0.5, int(scene.rng.integers(4, 9)))
                             for c in centres])
    _streaks(image, scene, angles=angles, bulbous=True)


def _ovals(scene: Scene, points: np.ndarray, length_mm: np.ndarray) -> np.ndarray:
    """Soft ovoid blobs (each drawn as a short thick line with round caps)."""
    rng = scene.rng
    curves, coverage = [], np.zeros(scene.shape, np.float32)
    directions = rng.uniform(0, np.pi, len(points))
    for (u, v), length, direction in zip(points, length_mm, directions, strict=True):
        du, dv = np.cos(direction) * length / 2, np.sin(direction) * length / 2
        curves.append(scene.outline.to_pixels(np.array([u - du, u + du]),
                                              np.array([v - dv, v + dv])))
    for curve, length in zip(curves, length_mm, strict=True):
        coverage = np.maximum(coverage, polylines(scene.shape, [curve],
                                                  length * 0.7 * scene.outline.px_per_mm, 0.8))
    return coverage


def ovoid_nests(image: np.ndarray, scene: Scene) -> None:
    """Large, well-defined blue-grey ovoid nests (pigmented basal cell carcinoma)."""
    count = int(scene.rng.integers(2, 7))
    points = scene.outline.random_points(scene.rng, count, rho_high=0.75)
    lengths = scene.rng.uniform(0.5, 1.1, count) * min(1.0, scene.outline.radius_mm / 3)
    coverage = _ovals(scene, points, np.maximum(lengths, 0.35))
    # Pigment nests deep in the dermis: clouded and fading at their edges, never solid.
    clouds = 1.0 + 0.2 * fractal_noise(scene.rng, scene.shape, 0.25 * scene.outline.px_per_mm)
    composite(image, NEST_BLUE, np.clip(blur(coverage, 1.0) * 0.9 * clouds, 0, 1))


def leaf_like_areas(image: np.ndarray, scene: Scene) -> None:
    """Bulbous blue-grey-brown lobes at the rim, like the leaflets of a leaf."""
    clusters = scene.rng.uniform(-np.pi, np.pi, int(scene.rng.integers(1, 3)))
    angles = np.concatenate([c + np.linspace(-0.35, 0.35, 4) for c in clusters])
    radius = scene.outline.border_radius(angles) * scene.rng.uniform(0.75, 0.88, len(angles))
    points = np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)
    lengths = np.full(len(angles), 0.22 * scene.outline.radius_mm)
    coverage = _ovals(scene, points, lengths)
    composite(image, BLUE_GREY * 0.85 + DARK_BROWN * 0.15,
              np.clip(blur(coverage, 0.6), 0, 1) * 0.75)


def milia_like_cysts(image: np.ndarray, scene: Scene) -> None:
    """Bright white-yellow round spots, like stars in a night sky."""
    count = _area_count(scene, 0.25, 3, 18)
    points = scene.outline.random_points(scene.rng, count, rho_high=0.85)
    coverage = spots(scene.shape, scene.outline.to_pixels(*points.T),
                     _sizes_px(scene, 0.08, 0.4, count), softness_px=0.8)
    composite(image, (0.96, 0.94, 0.86), np.clip(coverage * 1.3, 0, 1) * 0.7)


def comedo_like_openings(image: np.ndarray, scene: Scene) -> None:
    """Dark, crater-like keratin plugs with a slightly lighter halo."""
    count = _area_count(scene, 0.3, 3, 20)
    points = scene.outline.random_points(scene.rng, count, rho_high=0.85)
    pixels = scene.outline.to_pixels(*points.T)
    radii = _sizes_px(scene, 0.1, 0.3, count)
    halo = spots(scene.shape, pixels, radii * 1.6, softness_px=0.8)
    composite(image, scene.body.mean(axis=(0, 1)) * 1.1, np.clip(halo, 0, 1) * 0.3)
    composite(image, DARK_BROWN * 0.6, np.clip(spots(scene.shape, pixels, radii), 0, 1) * 0.9)
