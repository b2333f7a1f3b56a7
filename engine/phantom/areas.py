"""Structureless areas of one colour: homogeneous zones, blotches, the blue-whitish veil,
regression, the central white patch of a dermatofibroma, scale, ulceration, and the patches
that give a lesion each of its listed colours."""

from __future__ import annotations

import numpy as np

from engine.phantom.criteria import COLOUR_RGB
from engine.phantom.fields import blur, composite, fractal_noise, smoothstep, spots
from engine.phantom.lesion import Scene

RGB = {name: np.array(value, np.float32) for name, value in COLOUR_RGB.items()}
VEIL = np.array((0.50, 0.56, 0.68), np.float32)
CRUST = np.array((0.48, 0.14, 0.17), np.float32)
# Pigment lies in the skin, not on it: every area fades out over a band this wide, as a share
# of the lesion's radius (wide enough to look diffuse, narrow enough to keep a solid core).
HAZE = 0.06


def _eccentric_bias(scene: Scene, weight: float) -> np.ndarray:
    """A push towards one side of the lesion, so a patch sits off-centre."""
    angle = scene.rng.uniform(-np.pi, np.pi)
    outline = scene.outline
    along = (outline.u * np.cos(angle) + outline.v * np.sin(angle)) / outline.radius_mm
    return weight * along


def _textured(scene: Scene, colour: np.ndarray, amount: float) -> np.ndarray:
    texture = fractal_noise(scene.rng, scene.shape, 0.5 * scene.outline.px_per_mm, octaves=2)
    return colour[None, None, :] * (1.0 + amount * texture)[..., None]


def _cloudy(scene: Scene, amount: float, scale_mm: float = 0.3) -> np.ndarray:
    """An opacity factor around 1 that varies like clouds, so an area is never one solid fill."""
    noise = fractal_noise(scene.rng, scene.shape, scale_mm * scene.outline.px_per_mm)
    return 1.0 + amount * noise


def _whitish(scene: Scene, paleness: float) -> np.ndarray:
    """Dermoscopic white: the skin's own colour turned paler and greyer (`paleness` of the way
    to paper white), as a scar or keratin looks under a dermoscope; never a painted white."""
    greyed = scene.skin * 0.4 + scene.skin.mean() * 0.6
    return greyed + (RGB["white"] - greyed) * paleness


def _pale_core(image: np.ndarray, scene: Scene, region: np.ndarray, colour: np.ndarray, *,
               texture: float, haze: float, gain: float, cloudiness: float,
               cloud_mm: float = 0.3) -> None:
    """Paint a pale area's body: solid where the region is, cloudy and fading at its edge."""
    textured = _textured(scene, colour, texture)
    opacity = _hazy(scene, region, haze) * gain * _cloudy(scene, cloudiness, cloud_mm)
    composite(image, textured, np.clip(opacity, 0, 1))


def _within_pigment(scene: Scene, region: np.ndarray) -> np.ndarray:
    """A pale area kept off the rim: there it would merge with the skin and read as a bay in
    the outline, not as white inside the lesion."""
    return region * smoothstep(0.9, 0.6, scene.outline.rho)


def _hazy(scene: Scene, region: np.ndarray, width: float = HAZE) -> np.ndarray:
    """A region whose edge dissolves into what is around it, kept inside the lesion."""
    outline = scene.outline
    return blur(region, width * outline.radius_mm * outline.px_per_mm) * outline.alpha


def structureless_area(image: np.ndarray, scene: Scene) -> None:
    """A homogeneous zone where the network and dots give way to smooth pigment."""
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.25, 0.45), scale_mm=1.5)
    composite(image, blur(scene.body, 0.6 * scene.outline.px_per_mm), _hazy(scene, region) * 0.8)


def irregular_blotch(image: np.ndarray, scene: Scene) -> None:
    """A dense, dark, structureless patch off the centre."""
    colour = RGB["black"] if "black" in scene.criteria.colours else RGB["dark brown"]
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.12, 0.25), scale_mm=1.2,
                                  bias=_eccentric_bias(scene, 1.2), softness=0.4)
    composite(image, _textured(scene, colour, 0.08), _hazy(scene, region, 0.04) * 0.95)


def blue_whitish_veil(image: np.ndarray, scene: Scene) -> None:
    """A confluent, ground-glass blue-white haze over part of the lesion."""
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.18, 0.32), scale_mm=1.4,
                                  bias=_eccentric_bias(scene, 0.8), softness=0.45)
    composite(image, _textured(scene, VEIL, 0.07),
              np.clip(_hazy(scene, region, 0.07) * 0.9 * _cloudy(scene, 0.12), 0, 1))


def regression_structures(image: np.ndarray, scene: Scene) -> None:
    """Whitish, faintly blue-grey scar-like haze, with blue-grey peppering (fine granules)
    mostly around it."""
    outline, rng = scene.outline, scene.rng
    region = _within_pigment(scene, outline.region(
        rng, share=rng.uniform(0.2, 0.3), scale_mm=1.0, bias=_eccentric_bias(scene, 0.6),
        softness=0.45))
    scar = _whitish(scene, rng.uniform(0.85, 1.0)) * 0.93 + RGB["blue-grey"] * 0.07
    composite(image, RGB["blue-grey"] * 0.4 + scar * 0.6,
              _hazy(scene, region, 0.2) * 0.35)  # the scar's halo
    _pale_core(image, scene, region, scar, texture=0.03, haze=0.07, gain=1.15, cloudiness=0.12)
    peppered = outline.region(rng, share=0.2, scale_mm=0.9, softness=0.25)
    count = int(np.clip(rng.poisson(4 * outline.radius_mm**2), 20, 200))
    points = outline.random_points(rng, count, rho_high=0.95)
    pixels = outline.to_pixels(*points.T)
    rows = np.clip(pixels[:, 1].astype(int), 0, scene.shape[0] - 1)
    cols = np.clip(pixels[:, 0].astype(int), 0, scene.shape[1] - 1)
    keep = (peppered[rows, cols] > 0.3) | ((region[rows, cols] > 0.3) & (rng.random(count) < 0.3))
    granules = spots(scene.shape, pixels[keep], np.full(int(keep.sum()), 0.5), 0.5)
    composite(image, RGB["blue-grey"] * 0.75, np.clip(granules * 1.3, 0, 1) * 0.7)


def central_white_patch(image: np.ndarray, scene: Scene) -> None:
    """The scar-like, hazy white centre of a dermatofibroma."""
    outline = scene.outline
    bias = -2.5 * np.clip(outline.rho, 0, 1.5)
    region = outline.region(scene.rng, share=scene.rng.uniform(0.22, 0.3), scale_mm=1.0,
                            bias=bias, softness=0.6)
    scar = _whitish(scene, scene.rng.uniform(0.8, 1.0)) * 0.97 + RGB["blue-grey"] * 0.03
    composite(image, scar, _hazy(scene, region, 0.25) * 0.35)  # the scar's halo
    _pale_core(image, scene, region, scar, texture=0.03, haze=0.1, gain=1.1, cloudiness=0.2,
               cloud_mm=0.5)


def scale(image: np.ndarray, scene: Scene) -> None:
    """White-yellow keratin flakes on the surface, thin at their edges."""
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.15, 0.25), scale_mm=0.7,
                                  softness=0.5)
    flake = _whitish(scene, scene.rng.uniform(0.85, 1.0)) * np.array((1.0, 0.99, 0.95),
                                                                       np.float32)
    _pale_core(image, scene, region, flake, texture=0.05, haze=0.05, gain=1.15, cloudiness=0.2,
               cloud_mm=0.2)


def ulceration(image: np.ndarray, scene: Scene) -> None:
    """A red-brown crusted erosion with a blood-red rim."""
    region = scene.outline.region(scene.rng, share=scene.rng.uniform(0.08, 0.16), scale_mm=0.8,
                                  bias=_eccentric_bias(scene, 0.5), softness=0.3)
    rim = np.clip(blur(region, 1.2) - region, 0, 1) * 2.0
    composite(image, RGB["red"] * 0.85, np.clip(rim, 0, 1) * 0.6)
    composite(image, _textured(scene, CRUST, 0.15), _hazy(scene, region, 0.03) * 0.9)


def colour_patches(image: np.ndarray, scene: Scene, colours: tuple[str, ...]) -> None:
    """Give each listed colour that no other layer shows a diffuse patch of its own."""
    for name in colours:
        share = scene.rng.uniform(0.15, 0.25)
        region = scene.outline.region(scene.rng, share=share, scale_mm=1.2,
                                      bias=_eccentric_bias(scene, 0.4), softness=0.3)
        opacity = 0.7 if name == "red" else 0.85
        colour = _whitish(scene, 0.9) if name == "white" else RGB[name]
        composite(image, _textured(scene, colour, 0.05), _hazy(scene, region) * opacity)
