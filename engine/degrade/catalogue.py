"""The imaging problems LesionLab can simulate, their parameters and how to apply them.

Every degradation has named parameters with hard bounds (what a custom spec may ask for), a
`clean` and a `heavy` value (what the severity presets interpolate between), a stage that fixes
the order of application (scene, lighting, optics, framing, sensor, storage: the order in which
a real photograph acquires its faults), a builder that turns drawn values into albumentations
transforms with degenerate ranges (so the drawn value is the applied value), and its words for
feedback (templates in `engine/locales`, so they follow the trainee's language). Blur sizes
are fractions of the image side, so a preset means the same at any resolution.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from engine.i18n import listing, text


class _LazyModule:
    """Imports a module on first attribute access: albumentations and OpenCV take seconds to
    import, and describing or validating a degradation (as the app does) needs neither."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)


A = _LazyModule("albumentations")
cv2 = _LazyModule("cv2")
custom = _LazyModule("engine.degrade.transforms")


@dataclass(frozen=True)
class Parameter:
    """One parameter: hard bounds, its clean and heaviest preset values, integer or not.

    signed: presets draw it from a range symmetric around zero (a shift either way).
    free: not tied to severity (an angle, a position); presets draw it from its full bounds.
    """

    name: str
    low: float
    high: float
    clean: float = 0.0
    heavy: float = 0.0
    integer: bool = False
    signed: bool = False
    free: bool = False


@dataclass(frozen=True)
class Degradation:
    """One fault. Its words are templates in `engine/locales`: `fault.<name>` names it and
    `degradation.<name>` describes drawn values; `variants` picks among templates
    `degradation.<name>.<variant>` where the words depend on the values (warm or cold, ...)."""

    name: str
    stage: int
    parameters: tuple[Parameter, ...]
    build: Callable[[Mapping[str, float], int, int], list]
    variants: Callable[[Mapping[str, float]], tuple[str, ...]] | None = None

    def label(self, *, language: str = "en") -> str:
        return text(f"fault.{self.name}", language)

    def describe(self, values: Mapping[str, float], *, language: str = "en") -> str:
        """What the drawn values did, e.g. "motion blur (streaks 12% of the field long)"."""
        keys = [f"degradation.{self.name}"] if self.variants is None else [
            f"degradation.{self.name}.{variant}" for variant in self.variants(values)]
        return listing((text(key, language, **values) for key in keys), language)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise ValueError(
            f"degradation {self.name!r} has no parameter {name!r}; it has "
            f"{', '.join(p.name for p in self.parameters)}"
        )

    def degree(self, values: Mapping[str, float]) -> float:
        """How far from clean (0) to the heaviest preset (1) the drawn values are."""
        degrees = [
            min(1.0, abs(values[p.name] - p.clean) / abs(p.heavy - p.clean))
            for p in self.parameters
            if not p.free and p.heavy != p.clean
        ]
        return max(degrees, default=0.0)


def _fixed(value: float) -> tuple[float, float]:
    return (value, value)


def _odd_pixels(fraction: float, side: int) -> int:
    return max(3, int(round(fraction * side)) // 2 * 2 + 1)


def _crop(values: Mapping[str, float], height: int, width: int) -> list:
    """A window keeping `keep` of each side, pushed off-centre by shift (-1..1), resized back."""
    window_height = max(8, int(round(values["keep"] * height)))
    window_width = max(8, int(round(values["keep"] * width)))
    top = int(round((height - window_height) / 2 * (1 + values["shift_y"])))
    left = int(round((width - window_width) / 2 * (1 + values["shift_x"])))
    return [
        A.Crop(x_min=left, y_min=top, x_max=left + window_width, y_max=top + window_height, p=1),
        A.Resize(height=height, width=width, interpolation=cv2.INTER_LINEAR, p=1),
    ]


def _cast_variants(values: Mapping[str, float]) -> tuple[str, ...]:
    """The tint of the strongest channel shift: reddish or cyan, greenish or magenta, ..."""
    strongest = max(("red", "green", "blue"), key=lambda channel: abs(values[channel]))
    tint = {"red": ("reddish", "cyan"), "green": ("greenish", "magenta"),
            "blue": ("bluish", "yellowish")}[strongest]
    return (tint[0] if values[strongest] > 0 else tint[1],)


def _exposure_variants(values: Mapping[str, float]) -> tuple[str, ...]:
    """Over- or under-exposure and more or less contrast, each only when noticeable."""
    variants = []
    if abs(values["brightness"]) >= 0.02:
        variants.append("over" if values["brightness"] > 0 else "under")
    if abs(values["contrast"]) >= 0.02:
        variants.append("more_contrast" if values["contrast"] > 0 else "less_contrast")
    return tuple(variants) or ("slight",)


DEGRADATIONS: dict[str, Degradation] = {
    degradation.name: degradation
    for degradation in (
        Degradation(
            "hair", 10,
            (Parameter("count", 0, 200, 0, 24, integer=True),
             Parameter("thickness", 1, 6, 1, 2, integer=True)),
            lambda v, h, w: [custom.HairOcclusion(count_range=_fixed(int(v["count"])),
                                           thickness_range=_fixed(int(v["thickness"])), p=1)],
        ),
        Degradation(
            "glare", 11,
            (Parameter("count", 0, 50, 0, 8, integer=True),
             Parameter("intensity", 0, 1, 0.4, 1.0)),
            lambda v, h, w: [custom.SpecularGlare(count_range=_fixed(int(v["count"])),
                                           intensity_range=_fixed(v["intensity"]), p=1)],
        ),
        Degradation(
            "shadow", 12,
            (Parameter("intensity", 0, 1, 0, 0.7),
             Parameter("reach", 0.05, 1, 0.2, 0.6)),
            lambda v, h, w: [custom.EdgeShadow(intensity_range=_fixed(v["intensity"]),
                                        reach_range=_fixed(v["reach"]), p=1)],
        ),
        Degradation(
            "vignetting", 20,
            (Parameter("strength", 0, 1, 0, 0.8),),
            lambda v, h, w: [custom.Vignetting(strength_range=_fixed(v["strength"]), p=1)],
        ),
        Degradation(
            "brightness_contrast", 21,
            (Parameter("brightness", -0.9, 0.9, 0, 0.25, signed=True),
             Parameter("contrast", -0.9, 0.9, 0, 0.35, signed=True)),
            lambda v, h, w: [A.RandomBrightnessContrast(
                brightness_limit=_fixed(v["brightness"]), contrast_limit=_fixed(v["contrast"]),
                p=1)],
            variants=_exposure_variants,
        ),
        Degradation(
            "gamma", 22,
            (Parameter("gamma", 0.25, 4.0, 1.0, 2.2),),
            lambda v, h, w: [A.RandomGamma(gamma_limit=_fixed(v["gamma"] * 100), p=1)],
            variants=lambda v: ("darker" if v["gamma"] > 1 else "lighter",),
        ),
        Degradation(
            "white_balance", 23,
            (Parameter("temperature", 3000, 15000, 6000, 4200, integer=True),),
            lambda v, h, w: [custom.WhiteBalance(
                temperature_range=_fixed(int(v["temperature"])), p=1)],
            variants=lambda v: ("warm" if v["temperature"] < 6000 else "cold",),
        ),
        Degradation(
            "colour_cast", 24,
            tuple(Parameter(channel, -120, 120, 0, 45, integer=True, signed=True)
                  for channel in ("red", "green", "blue")),
            lambda v, h, w: [A.RGBShift(r_shift_limit=_fixed(v["red"]),
                                        g_shift_limit=_fixed(v["green"]),
                                        b_shift_limit=_fixed(v["blue"]), p=1)],
            variants=_cast_variants,
        ),
        Degradation(
            "defocus_blur", 30,
            (Parameter("radius", 0.004, 0.1, 0.004, 0.04),),
            lambda v, h, w: [A.Defocus(radius=_fixed(max(1, round(v["radius"] * min(h, w)))),
                                       alias_blur=(0.1, 0.1), p=1)],
        ),
        Degradation(
            "motion_blur", 31,
            (Parameter("length", 0.01, 0.3, 0.01, 0.12),
             Parameter("angle", 0, 360, free=True)),
            lambda v, h, w: [A.MotionBlur(blur_limit=_fixed(_odd_pixels(v["length"], min(h, w))),
                                          angle_range=_fixed(v["angle"]),
                                          direction_range=(0.0, 0.0), allow_shifted=False,
                                          p=1)],
        ),
        Degradation(
            "gaussian_blur", 32,
            (Parameter("sigma", 0.001, 0.1, 0.001, 0.025),),
            lambda v, h, w: [A.GaussianBlur(blur_limit=0,
                                            sigma_limit=_fixed(v["sigma"] * min(h, w)), p=1)],
        ),
        Degradation(
            "crop", 40,
            (Parameter("keep", 0.3, 1.0, 1.0, 0.6),
             Parameter("shift_x", -1, 1, free=True),
             Parameter("shift_y", -1, 1, free=True)),
            _crop,
        ),
        Degradation(
            "low_resolution", 50,
            (Parameter("scale", 0.05, 1.0, 1.0, 0.25),),
            lambda v, h, w: [A.Downscale(scale_range=_fixed(v["scale"]), interpolation_pair={
                "downscale": cv2.INTER_AREA, "upscale": cv2.INTER_LINEAR}, p=1)],
        ),
        Degradation(
            "gaussian_noise", 51,
            (Parameter("std", 0, 0.5, 0, 0.09),),
            lambda v, h, w: [A.GaussNoise(std_range=_fixed(v["std"]), per_channel=True, p=1)],
        ),
        Degradation(
            "iso_noise", 52,
            (Parameter("intensity", 0, 1.5, 0, 0.8),
             Parameter("colour_shift", 0, 0.2, 0, 0.08)),
            lambda v, h, w: [A.ISONoise(color_shift=_fixed(v["colour_shift"]),
                                        intensity=_fixed(v["intensity"]), p=1)],
        ),
        Degradation(
            "salt_pepper", 53,
            (Parameter("amount", 0, 0.3, 0, 0.04),),
            lambda v, h, w: [A.SaltAndPepper(amount=_fixed(v["amount"]),
                                             salt_vs_pepper=(0.5, 0.5), p=1)],
        ),
        Degradation(
            "jpeg", 60,
            (Parameter("quality", 1, 100, 95, 12, integer=True),),
            lambda v, h, w: [A.ImageCompression(compression_type="jpeg",
                                                quality_range=_fixed(int(v["quality"])), p=1)],
        ),
    )
}


def degradation(name: str) -> Degradation:
    """The catalogue entry called `name`, or a ValueError listing the known names."""
    try:
        return DEGRADATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown degradation {name!r}; known: {', '.join(DEGRADATIONS)}"
        ) from None
