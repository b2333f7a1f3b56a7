"""Line patterns over the lesion: pigment networks, pseudo-networks, acral parallel patterns and
the cerebriform fissures of seborrhoeic keratosis."""

from __future__ import annotations

import numpy as np

from engine.phantom.fields import composite, mesh_lines, smooth_noise, smoothstep, spots
from engine.phantom.lesion import Scene


def _granular(lines: np.ndarray, scene: Scene) -> np.ndarray:
    """Lines made of pigment granules: beaded, thicker and thinner, broken here and there,
    as melanin along the rete ridges looks, rather than a smooth drawn stroke."""
    grain = smooth_noise(scene.rng, scene.shape, max(1.0, 0.06 * scene.outline.px_per_mm))
    return lines * np.clip(0.75 + 0.4 * grain, 0.0, 1.0)


def regular_network(image: np.ndarray, scene: Scene) -> None:
    """Thin, evenly meshed brown lines that fade out towards the periphery."""
    outline, rng = scene.outline, scene.rng
    cell = rng.uniform(0.28, 0.4) * outline.px_per_mm
    lines = _granular(mesh_lines(rng, scene.shape, cell, rng.uniform(0.3, 0.42)), scene)
    fade = smoothstep(1.05, 0.55, outline.rho) if scene.criteria.dx != "df" else (
        smoothstep(1.05, 0.7, outline.rho) * smoothstep(0.3, 0.65, outline.rho))
    composite(image, scene.darker(0.55), np.clip(lines * fade * outline.alpha * 0.6, 0, 1))


def atypical_network(image: np.ndarray, scene: Scene) -> None:
    """Thick, dark, irregular meshes of uneven size that stop abruptly in patches."""
    outline, rng = scene.outline, scene.rng
    cell = rng.uniform(0.35, 0.55) * outline.px_per_mm
    width = np.clip(0.45 + 0.18 * smooth_noise(rng, scene.shape, cell * 4), 0.2, 0.8)
    lines = _granular(mesh_lines(rng, scene.shape, cell, 1.0) ** (1.0 / width), scene)
    patches = outline.region(rng, share=rng.uniform(0.45, 0.75), scale_mm=1.2, softness=0.15)
    composite(image, scene.darker(0.7), np.clip(lines * patches * 0.7, 0, 1))


def pseudo_network(image: np.ndarray, scene: Scene) -> None:
    """Pigment (or redness) interrupted by the round, evenly spaced follicular openings."""
    outline, rng = scene.outline, scene.rng
    spacing = rng.uniform(0.35, 0.5) * outline.px_per_mm
    size = scene.shape[0]
    axis = np.arange(spacing / 2, size, spacing)
    x, y = np.meshgrid(axis, axis)
    centres = np.stack([x.ravel(), y.ravel()], axis=1) + rng.normal(0, spacing * 0.3,
                                                                    (x.size, 2))
    radii = np.abs(rng.normal(spacing * 0.2, spacing * 0.06, len(centres)))
    holes = spots(scene.shape, centres, radii, softness_px=0.5)
    composite(image, scene.darker(0.3), outline.alpha * 0.25)
    composite(image, scene.skin * 1.05, np.clip(holes, 0, 1) * outline.alpha * 0.3)


def parallel_pattern(image: np.ndarray, scene: Scene, *, ridge: bool) -> None:
    """Pigment along the skin markings: thin lines in the furrows, or wide bands on the ridges."""
    outline, rng = scene.outline, scene.rng
    period = rng.uniform(0.45, 0.6) * outline.px_per_mm
    angle = rng.uniform(0, np.pi)
    axis = np.arange(scene.shape[0], dtype=np.float32)
    x, y = np.meshgrid(axis, axis)
    bend = smooth_noise(rng, scene.shape, scene.shape[0] / 2) * period
    wave = np.cos(2 * np.pi * (x * np.cos(angle) + y * np.sin(angle) + bend) / period)
    if ridge:
        pattern = smoothstep(-0.3, 0.4, wave) * (0.75 + 0.25 * smooth_noise(rng, scene.shape, 8))
    else:
        pattern = smoothstep(0.55, 0.9, wave)
        if rng.random() < 0.5:  # double furrow lines
            pattern = np.maximum(pattern, smoothstep(0.55, 0.9, -wave) * 0.7)
    strength = 0.7 if ridge else 0.5
    composite(image, scene.darker(0.7), np.clip(pattern, 0, 1) * outline.alpha * strength)


def parallel_ridge(image: np.ndarray, scene: Scene) -> None:
    parallel_pattern(image, scene, ridge=True)


def parallel_furrow(image: np.ndarray, scene: Scene) -> None:
    parallel_pattern(image, scene, ridge=False)


def fissures(image: np.ndarray, scene: Scene) -> None:
    """Brain-like (cerebriform) dark furrows between lighter ridges."""
    outline, rng = scene.outline, scene.rng
    lines = mesh_lines(rng, scene.shape, rng.uniform(0.6, 0.9) * outline.px_per_mm, 0.3)
    ridges = 1.0 - lines
    composite(image, scene.darker(0.5), lines * outline.alpha * 0.45)
    image *= (1.0 + 0.06 * ridges * outline.alpha)[..., None]
