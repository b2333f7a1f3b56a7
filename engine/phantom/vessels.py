"""Vascular structures: arborizing, dotted, glomerular, comma and atypical vessels, and the
red-purple lacunae of vascular lesions."""

from __future__ import annotations

import numpy as np

from engine.phantom.fields import composite, polylines, spots
from engine.phantom.lesion import Scene

VESSEL_RED = np.array((0.72, 0.08, 0.18), np.float32)
PALE_RED = np.array((0.80, 0.25, 0.32), np.float32)
LACUNA_REDS = np.array([(0.62, 0.16, 0.34), (0.48, 0.12, 0.30), (0.68, 0.20, 0.34)], np.float32)


def _branch(rng: np.random.Generator, start: np.ndarray, heading: float, length: float,
            depth: int, curves: list[np.ndarray]) -> None:
    """A wandering vessel segment that forks into thinner ones (lesion coordinates, mm)."""
    steps = 7
    turns = heading + np.cumsum(rng.normal(0, 0.25, steps))
    step = length / steps
    points = start + np.cumsum(np.stack([np.cos(turns), np.sin(turns)], 1) * step, axis=0)
    points = np.vstack([start, points])
    curves.append((depth, points))
    if depth == 0:
        return
    for _ in range(int(rng.integers(2, 4))):
        fork = points[int(rng.integers(2, steps + 1))]
        _branch(rng, fork, turns[-1] + rng.normal(0, 0.9), length * rng.uniform(0.45, 0.7),
                depth - 1, curves)


def arborizing_vessels(image: np.ndarray, scene: Scene) -> None:
    """Sharp, bright red, tree-like branching vessels of decreasing calibre."""
    outline, rng = scene.outline, scene.rng
    segments: list = []
    for _ in range(int(rng.integers(1, 4))):
        start = outline.random_points(rng, 1, rho_high=0.6)[0]
        _branch(rng, start, rng.uniform(-np.pi, np.pi), outline.radius_mm * rng.uniform(0.5, 0.9),
                2, segments)
    trunk_px = float(np.clip(0.06 * outline.px_per_mm, 0.6, 1.6))
    for depth in (2, 1, 0):
        curves = [outline.to_pixels(*points.T) for d, points in segments if d == depth]
        coverage = polylines(scene.shape, curves, trunk_px * (0.5 + 0.25 * depth), 0.35)
        composite(image, VESSEL_RED, np.clip(coverage, 0, 1) * outline.alpha * 0.8)


def dotted_vessels(image: np.ndarray, scene: Scene) -> None:
    """Tiny red dots spread evenly over the lesion."""
    outline, rng = scene.outline, scene.rng
    count = int(np.clip(rng.poisson(2 * outline.radius_mm**2), 10, 80))
    points = outline.random_points(rng, count, rho_high=0.9)
    coverage = spots(scene.shape, outline.to_pixels(*points.T), np.full(count, 0.55), 0.5)
    composite(image, VESSEL_RED, np.clip(coverage * 1.4, 0, 1) * 0.6)


def glomerular_vessels(image: np.ndarray, scene: Scene) -> None:
    """Coiled capillaries: clusters of tight red dots, often in rows."""
    outline, rng = scene.outline, scene.rng
    clusters = int(np.clip(rng.poisson(0.6 * outline.radius_mm**2), 4, 25))
    centres = outline.random_points(rng, clusters, rho_high=0.85)
    offsets = rng.normal(0, 0.07, (clusters, 5, 2))
    points = (centres[:, None, :] + offsets).reshape(-1, 2)
    coverage = spots(scene.shape, outline.to_pixels(*points.T), np.full(len(points), 0.5), 0.5)
    composite(image, VESSEL_RED, np.clip(coverage * 1.3, 0, 1) * 0.6)


def comma_vessels(image: np.ndarray, scene: Scene) -> None:
    """Short, slightly curved pink-red vessels (dermal nevi)."""
    outline, rng = scene.outline, scene.rng
    count = int(rng.integers(4, 12))
    starts = outline.random_points(rng, count, rho_high=0.8)
    curves = []
    for start in starts:
        heading = rng.uniform(-np.pi, np.pi) + np.linspace(0, rng.choice([-1, 1]) * 1.2, 5)
        points = start + np.cumsum(np.stack([np.cos(heading), np.sin(heading)], 1) * 0.09, 0)
        curves.append(outline.to_pixels(*points.T))
    coverage = polylines(scene.shape, curves, max(1.0, 0.07 * outline.px_per_mm), 0.4)
    composite(image, PALE_RED, np.clip(coverage, 0, 1) * 0.85)


def atypical_vessels(image: np.ndarray, scene: Scene) -> None:
    """Polymorphous vessels: dotted and irregular linear ones together in one area."""
    outline, rng = scene.outline, scene.rng
    centre = rng.uniform(-np.pi, np.pi)
    count = int(rng.integers(6, 14))
    angles = centre + rng.normal(0, 0.6, count)
    starts = outline.random_points(rng, count, rho_low=0.2, rho_high=0.85, angles=angles)
    curves = []
    for start in starts:
        heading = rng.uniform(-np.pi, np.pi) + np.cumsum(rng.normal(0, 0.8, 5))
        points = start + np.cumsum(np.stack([np.cos(heading), np.sin(heading)], 1) * 0.12, 0)
        curves.append(outline.to_pixels(*points.T))
    coverage = polylines(scene.shape, curves, max(1.0, 0.06 * outline.px_per_mm), 0.35)
    dots = outline.random_points(rng, count * 3, rho_low=0.2, rho_high=0.9,
                                 angles=centre + rng.normal(0, 0.6, count * 3))
    coverage = np.maximum(coverage, spots(scene.shape, outline.to_pixels(*dots.T),
                                          np.full(len(dots), 0.55), 0.4))
    composite(image, VESSEL_RED, np.clip(coverage, 0, 1) * 0.9)


def red_purple_lacunae(image: np.ndarray, scene: Scene) -> None:
    """Well-demarcated round red-purple blood spaces packed together, with paler septa."""
    outline, rng = scene.outline, scene.rng
    size_mm = rng.uniform(0.25, 0.45) * max(1.0, outline.radius_mm / 3) ** 0.5
    count = int(np.clip(1.1 * (outline.radius_mm / size_mm) ** 2, 3, 120))
    points = outline.random_points(rng, count, rho_high=0.85)
    pixels = outline.to_pixels(*points.T)
    radii = np.maximum(size_mm * rng.uniform(0.6, 1.1, count) * outline.px_per_mm, 0.8)
    shades = rng.integers(0, len(LACUNA_REDS), count)
    for shade in range(len(LACUNA_REDS)):
        chosen = shades == shade
        coverage = spots(scene.shape, pixels[chosen], radii[chosen], softness_px=1.2)
        composite(image, LACUNA_REDS[shade], np.clip(coverage, 0, 1) * outline.alpha * 0.65)
