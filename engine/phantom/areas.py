"""Structureless areas of one colour: homogeneous zones, blotches, the blue-whitish veil,
regression, the central white patch of a dermatofibroma, scale, ulceration, and the patches
that give a lesion each of its listed colours."""

from __future__ import annotations

import numpy as np

from engine.phantom.criteria import COLOUR_RGB
from engine.phantom.fields import blur, composite, fractal_noise, spots
from engine.phantom.lesion import Scene

RGB = {name: np.array(value, np.float32) for name, value in COLOUR_RGB.items()}
VEIL = RGB["blue-grey"] * 0.85 + RGB["white"] * 0.15
CRUST = np.array((0.48, 0.10, 0.15), np.float32)


def _eccentric_bias(scene: Scene, weight: float) -> np.ndarray:
    """A push towards one side of the lesion, so a patch sits off-centre."""
    angle = scene.rng.uniform(-np.pi, np.pi)
    outline = scene.outline
    along = (outline.u * np.cos(angle) + outline.v * np.sin(angle)) / outline.radius_mm
    return weight * along


def _textured(scene: Scene, colour: np.ndarray, amount: float) -> np.ndarray:
    texture = fractal_noise(scene.rng, scene.shape, 0.5 * scene.outline.px_per_mm, octaves=2)
    return colour[None, None, :] * (1.0 + amount * texture)[..., None]


def structureless_area(image: np.ndarray, scene: Scene) -> None:
    """A homogeneous zone where the network and dots give way to smooth pigment."""
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.25, 0.45), scale_mm=1.5)
    composite(image, blur(scene.body, 2.0 * scene.outline.px_per_mm * 0.3), region * 0.85)


def irregular_blotch(image: np.ndarray, scene: Scene) -> None:
    """A dense, dark, structureless patch off the centre."""
    colour = RGB["black"] if "black" in scene.criteria.colours else RGB["dark brown"]
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.1, 0.22), scale_mm=1.2,
                                  bias=_eccentric_bias(scene, 1.2), softness=0.2)
    composite(image, _textured(scene, colour, 0.08), region * 0.95)


def blue_whitish_veil(image: np.ndarray, scene: Scene) -> None:
    """A confluent, ground-glass blue-white haze over part of the lesion."""
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.15, 0.3), scale_mm=1.4,
                                  bias=_eccentric_bias(scene, 0.8), softness=0.35)
    composite(image, _textured(scene, VEIL, 0.06), region * 0.92)


def regression_structures(image: np.ndarray, scene: Scene) -> None:
    """White scar-like areas with blue-grey peppering (fine granules) in and around them."""
    outline, rng = scene.outline, scene.rng
    region = outline.region(rng, share=rng.uniform(0.14, 0.24), scale_mm=1.0,
                            bias=_eccentric_bias(scene, 0.6), softness=0.25)
    composite(image, _textured(scene, RGB["white"], 0.03), region * 0.92)
    peppered = outline.region(rng, share=0.2, scale_mm=0.9, softness=0.25)
    count = int(np.clip(rng.poisson(6 * outline.radius_mm**2), 20, 300))
    points = outline.random_points(rng, count, rho_high=0.95)
    pixels = outline.to_pixels(*points.T)
    rows = np.clip(pixels[:, 1].astype(int), 0, scene.shape[0] - 1)
    cols = np.clip(pixels[:, 0].astype(int), 0, scene.shape[1] - 1)
    keep = np.maximum(region, peppered)[rows, cols] > 0.3
    granules = spots(scene.shape, pixels[keep], np.full(int(keep.sum()), 0.55), 0.5)
    composite(image, RGB["blue-grey"] * 0.8, np.clip(granules * 1.5, 0, 1) * 0.9)


def central_white_patch(image: np.ndarray, scene: Scene) -> None:
    """The scar-like white centre of a dermatofibroma."""
    outline = scene.outline
    bias = -2.5 * np.clip(outline.rho, 0, 1.5)
    region = outline.region(scene.rng, share=scene.rng.uniform(0.2, 0.3), scale_mm=0.8,
                            bias=bias, softness=0.3)
    composite(image, _textured(scene, RGB["white"] * (0.99, 0.96, 0.96), 0.02), region * 0.95)


def scale(image: np.ndarray, scene: Scene) -> None:
    """Opaque white-yellow keratin flakes on the surface."""
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.2, 0.3), scale_mm=0.9,
                                  softness=0.2)
    flake = RGB["white"] * np.array((1.0, 0.99, 0.93), np.float32)
    composite(image, _textured(scene, flake, 0.04), region * 0.95)


def ulceration(image: np.ndarray, scene: Scene) -> None:
    """A red-brown crusted erosion with a blood-red rim."""
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.08, 0.18), scale_mm=0.8,
                                  bias=_eccentric_bias(scene, 0.5), softness=0.15)
    rim = np.clip(blur(region, 1.2) - region, 0, 1) * 2.0
    composite(image, RGB["red"] * 0.85, np.clip(rim, 0, 1) * 0.8)
    composite(image, _textured(scene, CRUST, 0.15), region)


def colour_patches(image: np.ndarray, scene: Scene, colours: tuple[str, ...]) -> None:
    """Give each listed colour that no other layer shows a patch of its own."""
    for name in colours:
        share = scene.rng.uniform(0.14, 0.24)
        region = scene.outline.region(scene.rng, share=share, scale_mm=1.2,
                                      bias=_eccentric_bias(scene, 0.4), softness=0.3)
        opacity = 0.75 if name == "red" else 0.92
        composite(image, _textured(scene, RGB[name], 0.05), region * opacity)
