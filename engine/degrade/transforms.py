"""Albumentations transforms for imaging problems the library has no transform for.

Hair over the lesion, lens vignetting, a soft edge shadow, specular glare and an exact white
balance follow albumentations' own pattern: a pydantic `InitSchema` validates the ranges,
`get_params` / `get_params_dependent_on_data` draw the random geometry from the transform's
seeded generators (so `A.Compose(..., seed=...)` makes them reproducible and
`save_applied_params` reports them), and `apply` calls a pure function.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from albumentations.augmentations.pixel.functional import planckian_jitter
from albumentations.core.transforms_interface import BaseTransformInitSchema, ImageOnlyTransform
from pydantic import AfterValidator

from engine.degrade import functional


def _ordered_within(low: float, high: float):
    def check(value: tuple[float, float]) -> tuple[float, float]:
        if not low <= value[0] <= value[1] <= high:
            raise ValueError(f"range {value} must be ordered and within [{low}, {high}]")
        return value

    return AfterValidator(check)


class HairOcclusion(ImageOnlyTransform):
    """Dark or fair hair strands across the field, as on an unshaved scalp, limb or back.

    count_range: how many strands; thickness_range: pixels; opacity_range: 0..1 blend.
    """

    class InitSchema(BaseTransformInitSchema):
        count_range: Annotated[tuple[int, int], _ordered_within(0, 500)]
        thickness_range: Annotated[tuple[int, int], _ordered_within(1, 20)]
        opacity_range: Annotated[tuple[float, float], _ordered_within(0.0, 1.0)]

    def __init__(
        self,
        count_range: tuple[int, int] = (5, 20),
        thickness_range: tuple[int, int] = (1, 2),
        opacity_range: tuple[float, float] = (0.7, 0.95),
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self.count_range = count_range
        self.thickness_range = thickness_range
        self.opacity_range = opacity_range

    def get_params_dependent_on_data(
        self, params: dict[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        height, width = params["shape"][:2]
        count = self.py_random.randint(*self.count_range)
        colour = functional.HAIR_COLOURS[self.py_random.randrange(len(functional.HAIR_COLOURS))]
        return {
            "strands": functional.hair_strands(
                shape=(height, width), count=count, rng=self.random_generator
            ),
            "thickness": self.py_random.randint(*self.thickness_range),
            "colour": colour,
            "opacity": self.py_random.uniform(*self.opacity_range),
        }

    def apply(self, img: np.ndarray, strands, thickness, colour, opacity, **params) -> np.ndarray:
        return functional.draw_hairs(
            img, strands=strands, thickness=thickness, colour=colour, opacity=opacity
        )

    def get_transform_init_args_names(self) -> tuple[str, ...]:
        return ("count_range", "thickness_range", "opacity_range")


class Vignetting(ImageOnlyTransform):
    """Darkening towards the edges, centred near (not exactly at) the middle of the field.

    strength_range: 0 (none) .. 1 (black corners); centre_shift: largest offset of the bright
    centre from the middle, as a fraction of the side.
    """

    class InitSchema(BaseTransformInitSchema):
        strength_range: Annotated[tuple[float, float], _ordered_within(0.0, 1.0)]
        centre_shift: float

    def __init__(
        self,
        strength_range: tuple[float, float] = (0.2, 0.6),
        centre_shift: float = 0.1,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self.strength_range = strength_range
        self.centre_shift = centre_shift

    def get_params(self) -> dict[str, Any]:
        shift = self.centre_shift
        return {
            "strength": self.py_random.uniform(*self.strength_range),
            "centre": (
                0.5 + self.py_random.uniform(-shift, shift),
                0.5 + self.py_random.uniform(-shift, shift),
            ),
        }

    def apply(self, img: np.ndarray, strength, centre, **params) -> np.ndarray:
        return functional.vignette(img, strength=strength, centre=centre)

    def get_transform_init_args_names(self) -> tuple[str, ...]:
        return ("strength_range", "centre_shift")


class EdgeShadow(ImageOnlyTransform):
    """A soft shadow over one side of the field, from a random direction.

    intensity_range: darkening at the edge 0..1; reach_range: how far across the field (0..1).
    Albumentations' RandomShadow casts hard-edged polygons, which a contact dermatoscope
    never shows.
    """

    class InitSchema(BaseTransformInitSchema):
        intensity_range: Annotated[tuple[float, float], _ordered_within(0.0, 1.0)]
        reach_range: Annotated[tuple[float, float], _ordered_within(0.05, 1.0)]

    def __init__(
        self,
        intensity_range: tuple[float, float] = (0.3, 0.6),
        reach_range: tuple[float, float] = (0.3, 0.6),
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self.intensity_range = intensity_range
        self.reach_range = reach_range

    def get_params(self) -> dict[str, Any]:
        return {
            "angle": self.py_random.uniform(0.0, 360.0),
            "intensity": self.py_random.uniform(*self.intensity_range),
            "reach": self.py_random.uniform(*self.reach_range),
        }

    def apply(self, img: np.ndarray, angle, intensity, reach, **params) -> np.ndarray:
        return functional.edge_shadow(img, angle=angle, intensity=intensity, reach=reach)

    def get_transform_init_args_names(self) -> tuple[str, ...]:
        return ("intensity_range", "reach_range")


class SpecularGlare(ImageOnlyTransform):
    """Small bright reflections, as from a non-polarised light or trapped air bubbles.

    count_range: number of spots; radius_range: spot radius as a fraction of the shorter
    side; intensity_range: peak blend towards white.
    """

    class InitSchema(BaseTransformInitSchema):
        count_range: Annotated[tuple[int, int], _ordered_within(0, 200)]
        radius_range: Annotated[tuple[float, float], _ordered_within(0.001, 0.5)]
        intensity_range: Annotated[tuple[float, float], _ordered_within(0.0, 1.0)]

    def __init__(
        self,
        count_range: tuple[int, int] = (2, 6),
        radius_range: tuple[float, float] = (0.01, 0.04),
        intensity_range: tuple[float, float] = (0.6, 0.95),
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self.count_range = count_range
        self.radius_range = radius_range
        self.intensity_range = intensity_range

    def get_params_dependent_on_data(
        self, params: dict[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        height, width = params["shape"][:2]
        count = self.py_random.randint(*self.count_range)
        positions = self.random_generator.uniform((0, 0), (width, height), size=(count, 2))
        radii = self.random_generator.uniform(*self.radius_range, size=(count, 1))
        return {
            "spots": np.hstack([positions, radii * min(height, width)]),
            "intensity": self.py_random.uniform(*self.intensity_range),
        }

    def apply(self, img: np.ndarray, spots, intensity, **params) -> np.ndarray:
        return functional.specular_glare(img, spots=spots, intensity=intensity)

    def get_transform_init_args_names(self) -> tuple[str, ...]:
        return ("count_range", "radius_range", "intensity_range")


class WhiteBalance(ImageOnlyTransform):
    """A wrong white balance: the colour of a black body at the drawn temperature (kelvin).

    Albumentations' PlanckianJitter always samples a range that contains daylight (6000 K);
    this transform applies one exact temperature with the library's own functional, so the
    recorded temperature is the applied one. 6000 K is neutral, lower is warm, higher is cold.
    """

    class InitSchema(BaseTransformInitSchema):
        temperature_range: Annotated[tuple[int, int], _ordered_within(3000, 15000)]

    def __init__(self, temperature_range: tuple[int, int] = (4000, 9000), p: float = 0.5) -> None:
        super().__init__(p=p)
        self.temperature_range = temperature_range

    def get_params(self) -> dict[str, Any]:
        return {"temperature": self.py_random.randint(*self.temperature_range)}

    def apply(self, img: np.ndarray, temperature, **params) -> np.ndarray:
        return planckian_jitter(img, temperature, mode="blackbody")

    def get_transform_init_args_names(self) -> tuple[str, ...]:
        return ("temperature_range",)
