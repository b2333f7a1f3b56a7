"""The lesion's outline and pigmented body.

The outline is a radius function of angle in the lesion's own frame (u along its long axis,
v across it). Its harmonics decide the symmetry: only even cosine terms keep both axes of
symmetry, cosine terms keep the u axis, sine terms break both. The same rule is applied to the
colour fields, so "asymmetry in N axes" holds for contour and colour alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from engine.phantom.criteria import BROWN_RAMP, COLOUR_RGB, PINK_CLASSES, Criteria
from engine.phantom.fields import Grid, composite, fractal_noise, smoothstep

ANGLES = 360
# How much the body hides the skin: keratinocyte tumours are faint and translucent pink,
# vascular lesions dense red-purple, pigmented lesions in between.
_BODY_OPACITY = {"akiec": (0.35, 0.55), "bcc": (0.35, 0.55), "vasc": (0.8, 0.95)}
# How far a pigmented lesion listed as red turns pink at its rim (dermatofibromas most).
_RED_TINT = {"df": 0.5}
DEEP_RED = np.array((0.58, 0.14, 0.22), np.float32)
# CIELAB shift (L*, a*, b*) of the body per diagnosis. One palette serves every class, but real
# lesions differ in hue (medians of the HAM10000 sample, bench/phantom_stats.py): seborrhoeic
# keratoses are a greyer tan, dermatofibromas a redder pink-brown, actinic keratoses a yellower
# pink, basal cell carcinomas paler, vascular lesions bluer.
_PIGMENT_SHIFT = {"bkl": (0.0, -8.0, 0.0), "df": (0.0, 6.0, 3.0), "akiec": (0.0, -4.0, 6.0),
                  "bcc": (8.0, -3.0, 0.0), "vasc": (0.0, 0.0, -10.0)}
_THETA = np.linspace(-np.pi, np.pi, ANGLES, endpoint=False, dtype=np.float32)


@dataclass(frozen=True)
class Outline:
    """Per-pixel lesion coordinates and the soft lesion mask."""

    u: np.ndarray  # mm along the long axis
    v: np.ndarray  # mm across
    rho: np.ndarray  # radius relative to the outline (1 on the border)
    theta: np.ndarray  # angle in the lesion frame
    alpha: np.ndarray  # coverage in [0, 1]
    radius_mm: float  # half the diameter
    asymmetry_axes: int
    px_per_mm: float
    radius_table: np.ndarray  # outline radius in mm per angle of _THETA
    centre_px: tuple[float, float]
    angle: float  # radians from the image x axis to the lesion u axis

    def to_pixels(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """(n, 2) pixel positions of points given in lesion coordinates (mm)."""
        cos, sin = np.cos(self.angle), np.sin(self.angle)
        x = (u * cos - v * sin) * self.px_per_mm + self.centre_px[0]
        y = (u * sin + v * cos) * self.px_per_mm + self.centre_px[1]
        return np.stack([x, y], axis=-1)

    def border_radius(self, theta: np.ndarray) -> np.ndarray:
        """Outline radius in mm at lesion-frame angles."""
        index = ((np.asarray(theta) + np.pi) * (ANGLES / (2 * np.pi))).astype(np.int32)
        return self.radius_table[index % ANGLES]

    def random_points(self, rng: np.random.Generator, count: int, *, rho_low: float = 0.0,
                      rho_high: float = 0.9, angles: np.ndarray | None = None) -> np.ndarray:
        """Lesion coordinates (u, v) of points spread uniformly by area between two radii."""
        theta = rng.uniform(-np.pi, np.pi, count) if angles is None else angles
        rho = np.sqrt(rng.uniform(rho_low**2, rho_high**2, count))
        radius = rho * self.border_radius(theta)
        return np.stack([radius * np.cos(theta), radius * np.sin(theta)], axis=-1)

    def field(self, rng: np.random.Generator, scale_mm: float,
              detail: float = 0.0) -> np.ndarray:
        """Smooth noise over the lesion with the outline's symmetry, unit spread.

        `detail` (0-1) mixes in unmirrored noise at half the scale, so symmetric lesions are
        symmetric in their layout without being mirror images in every detail.
        """
        extent = self.radius_mm * 1.6
        cells = max(4, int(np.ceil(2 * extent / scale_mm)) + 3)
        grid = rng.standard_normal((cells, cells)).astype(np.float32)
        to_cell = (cells - 3) / (2 * extent)

        def sample(u: np.ndarray, v: np.ndarray) -> np.ndarray:
            map_x = (u * to_cell + (cells - 1) / 2).astype(np.float32)
            map_y = (v * to_cell + (cells - 1) / 2).astype(np.float32)
            return cv2.remap(grid, map_x, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)

        if self.asymmetry_axes == 0:
            total = (sample(self.u, self.v) + sample(-self.u, self.v)
                     + sample(self.u, -self.v) + sample(-self.u, -self.v))
        elif self.asymmetry_axes == 1:
            total = sample(self.u, self.v) + sample(self.u, -self.v)
        else:
            total = sample(self.u, self.v)
        if detail > 0:
            total = total / (total.std() + 1e-6) + detail * sample(2 * self.v, 2 * self.u)
        inside = self.alpha > 0.5
        spread = total[inside].std() if inside.any() else total.std()
        return total / (spread + 1e-6)

    def region(self, rng: np.random.Generator, *, share: float, scale_mm: float,
               bias: np.ndarray | None = None, softness: float = 0.7) -> np.ndarray:
        """A soft patch covering about `share` of the lesion (bias favours where it lies)."""
        values = self.field(rng, scale_mm, detail=0.6)
        if bias is not None:
            values = values + bias
        inside = values[self.alpha > 0.6]
        if inside.size == 0:
            return np.zeros_like(self.alpha)
        threshold = float(np.quantile(inside, 1.0 - share))
        return smoothstep(threshold - softness, threshold + softness, values) * self.alpha


def build_outline(*, criteria: Criteria, grid: Grid, rng: np.random.Generator) -> Outline:
    """The lesion mask, scaled so its longest diameter is `criteria.diameter_mm`."""
    x, y = grid.coordinates()
    angle = np.deg2rad(criteria.orientation_deg)
    dx, dy = x - criteria.centre_mm[0], y - criteria.centre_mm[1]
    u = (dx * np.cos(angle) + dy * np.sin(angle)).astype(np.float32)
    v = (-dx * np.sin(angle) + dy * np.cos(angle)).astype(np.float32)
    radius_table = _radius_table(criteria, rng)
    radius_table *= criteria.diameter_mm / _feret_diameter(radius_table)
    theta = np.arctan2(v, u)
    index = ((theta + np.pi) * (ANGLES / (2 * np.pi))).astype(np.int32) % ANGLES
    r = np.sqrt(u * u + v * v)
    rho = r / radius_table[index]
    softness = _softness_table(criteria, rng)[index]
    # A raggedness of the edge at every scale that grows with the border's irregularity, and
    # a mottle across the fading band: pigment thins out in patches about half a millimetre
    # across, not as a smooth ramp (finer patches read as a spray-painted fringe).
    radius_px = criteria.diameter_mm / 2 * grid.px_per_mm
    ragged = fractal_noise(rng, rho.shape, 0.3 * radius_px, octaves=4) * (
        0.03 + 0.08 * criteria.border_irregularity)
    alpha = smoothstep(1.0 + softness / 2, 1.0 - softness / 2, rho + ragged)
    mottle = fractal_noise(rng, rho.shape, max(2.5, 0.5 * grid.px_per_mm), octaves=3)
    alpha = np.clip(alpha * (1.0 + 0.6 * mottle * (1.0 - alpha)), 0.0, 1.0)
    centre_px = grid.to_pixels(np.float32(criteria.centre_mm[0]), np.float32(criteria.centre_mm[1]))
    return Outline(u=u, v=v, rho=rho.astype(np.float32), theta=theta, alpha=alpha,
                   radius_mm=criteria.diameter_mm / 2,
                   asymmetry_axes=criteria.asymmetry_axes, px_per_mm=grid.px_per_mm,
                   radius_table=radius_table, centre_px=tuple(float(c) for c in centre_px),
                   angle=float(angle))


def _radius_table(criteria: Criteria, rng: np.random.Generator) -> np.ndarray:
    """Relative radius per angle: elongation, symmetry-preserving wobble, irregularity."""
    theta = _THETA
    radius = 1.0 + rng.uniform(0.0, 0.22) * np.cos(2 * theta)
    irregularity = criteria.border_irregularity
    for k in range(3, 16):
        amplitude = (0.02 + 0.10 * irregularity) / k**0.8 * rng.standard_normal()
        if criteria.asymmetry_axes == 0 and k % 2:
            continue
        if criteria.asymmetry_axes == 2:
            radius = radius + amplitude * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
        else:
            radius = radius + amplitude * np.cos(k * theta)
    if criteria.asymmetry_axes >= 1:  # a lobe on one side of the short axis
        radius = radius + rng.choice([-1, 1]) * rng.uniform(0.12, 0.2) * np.cos(3 * theta)
    if criteria.asymmetry_axes == 2:  # and one that is off the long axis too
        lobe = rng.uniform(0.3, 1.2)
        radius = radius + rng.uniform(0.18, 0.28) * np.exp(
            -((np.angle(np.exp(1j * (theta - lobe)))) ** 2) / 0.35)
    if "moth-eaten border" in criteria.structures:  # scalloped bites out of the edge
        for centre in rng.uniform(-np.pi, np.pi, rng.integers(3, 7)):
            distance = np.angle(np.exp(1j * (theta - centre)))
            radius = radius - rng.uniform(0.08, 0.16) * np.exp(-(distance**2) / 0.02)
    return np.clip(radius, 0.45, None).astype(np.float32)


def _feret_diameter(radius_table: np.ndarray) -> float:
    """The longest distance between two points of the contour."""
    points = np.stack([radius_table * np.cos(_THETA), radius_table * np.sin(_THETA)], axis=1)
    step = 3
    sparse = points[::step]
    distances = np.sqrt(((sparse[:, None, :] - sparse[None, :, :]) ** 2).sum(-1))
    return float(distances.max())


def _softness_table(criteria: Criteria, rng: np.random.Generator) -> np.ndarray:
    """Edge width per angle: abrupt sectors are sharp, the others fade over a wide band."""
    abrupt = np.zeros(8, bool)
    abrupt[rng.choice(8, size=criteria.border_segments, replace=False)] = True
    widths = np.where(abrupt, rng.uniform(0.08, 0.16, 8), rng.uniform(0.35, 0.65, 8))
    per_angle = np.repeat(widths, ANGLES // 8)
    kernel = np.ones(9, np.float32) / 9
    padded = np.concatenate([per_angle[-9:], per_angle, per_angle[:9]])
    smooth = np.convolve(padded, kernel, mode="same")[9:-9]
    # Sector 0 starts at angle 0 in the lesion frame; the table starts at -pi.
    return np.roll(smooth, ANGLES // 2).astype(np.float32)


def paint_body(
    image: np.ndarray, *, outline: Outline, criteria: Criteria, rng: np.random.Generator
) -> np.ndarray:
    """Fill the outline with the lesion's base colours; returns the body colour image."""
    ramp = [c for c in BROWN_RAMP if c in criteria.colours]
    pink = criteria.dx in PINK_CLASSES
    if pink:
        ramp = ["red"]
    density = _density(outline, criteria, rng)
    body = _shift_lab(_ramp_colour(density, outline, ramp, rng),
                      _PIGMENT_SHIFT.get(criteria.dx, (0.0, 0.0, 0.0)))
    if not pink and "red" in criteria.colours:  # erythema through the pigment, at the rim
        tint = _RED_TINT.get(criteria.dx, 0.25) * smoothstep(0.1, 0.9, outline.rho)
        composite(body, COLOUR_RGB["red"], tint)
    _mottle(body, outline, rng)
    low, high = _BODY_OPACITY.get(criteria.dx, (0.85, 0.97))
    # Pigment thins towards the rim, where the skin's pink shows through (a nevus's halo), in
    # a granular pattern: real pigment is never an even film, least of all where it is thin.
    grain = fractal_noise(rng, density.shape, max(1.2, 0.15 * outline.px_per_mm), octaves=2)
    periphery = 1.0 - smoothstep(0.3, 1.1, outline.rho) * (
        rng.uniform(0.15, 0.4) + 0.15 * np.clip(grain + 0.5, 0, 2))
    composite(image, body, outline.alpha * rng.uniform(low, high) * periphery)
    return body


def _shift_lab(colours: np.ndarray, shift: tuple[float, float, float]) -> np.ndarray:
    """RGB colours in [0, 1] moved by (L*, a*, b*) in CIELAB."""
    lab = cv2.cvtColor(np.clip(colours, 0.0, 1.0), cv2.COLOR_RGB2LAB)
    lab += np.asarray(shift, np.float32)
    return np.clip(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB), 0.0, 1.0)


def _mottle(body: np.ndarray, outline: Outline, rng: np.random.Generator) -> None:
    """Multi-scale variation of the fill in place: darker and lighter clouds from the lesion's
    scale down to single pixels, and a drift between redder and yellower browns, so no part of
    the body is a flat fill."""
    shape = body.shape[:2]
    density = fractal_noise(rng, shape, 0.4 * outline.radius_mm * outline.px_per_mm, octaves=5)
    hue = fractal_noise(rng, shape, 0.5 * outline.radius_mm * outline.px_per_mm, octaves=2)
    # Pigment lies in granules and nests a few tenths of a millimetre across: a fine grain
    # on top of the clouds, as real lesions show at every magnification.
    granules = fractal_noise(rng, shape, max(1.0, 0.12 * outline.px_per_mm), octaves=2)
    body *= (1.0 + 0.09 * density + 0.05 * granules)[..., None]
    body += hue[..., None] * np.array((0.012, -0.008, -0.012), np.float32)


def _density(outline: Outline, criteria: Criteria, rng: np.random.Generator) -> np.ndarray:
    """Where pigment is densest: centre for most lesions, eccentric for asymmetric ones."""
    noise = outline.field(rng, outline.radius_mm * rng.uniform(0.5, 0.9), detail=0.4)
    profile = 1.0 - np.clip(outline.rho, 0, 1.2) ** 2
    if criteria.asymmetry_axes >= 1:
        shift = outline.u / outline.radius_mm * rng.choice([-1, 1])
        profile = profile + 0.6 * shift
    if criteria.asymmetry_axes == 2:
        profile = profile + 0.5 * rng.choice([-1, 1]) * outline.v / outline.radius_mm
    weight = 0.9 if criteria.dx in {"mel", "bkl"} else 0.5
    return (profile + weight * noise).astype(np.float32)


def _ramp_colour(
    density: np.ndarray, outline: Outline, ramp: list[str], rng: np.random.Generator
) -> np.ndarray:
    """Colour by density bands: each ramp colour gets a share of the lesion's area."""
    colours = [np.array(COLOUR_RGB[name], np.float32) for name in ramp]
    body = np.empty((*density.shape, 3), np.float32)
    body[:] = colours[0]
    if len(colours) == 1:
        return body
    shares = rng.dirichlet(np.full(len(colours), 4.0)) * 0.6 + 0.4 / len(colours)
    inside = density[outline.alpha > 0.6]
    cumulative = np.cumsum(shares[::-1])[:-1]  # area above each threshold, darkest first
    thresholds = np.quantile(inside, 1.0 - cumulative)[::-1] if inside.size else [0.0]
    transition = 0.4 * (inside.std() if inside.size else 1.0)
    for colour, threshold in zip(colours[1:], thresholds, strict=True):
        composite(body, colour, smoothstep(threshold - transition, threshold + transition,
                                           density))
    return body


@dataclass(frozen=True)
class Scene:
    """What every structure painter needs: the outline, the criteria, the body colours."""

    outline: Outline
    criteria: Criteria
    body: np.ndarray
    skin: np.ndarray  # the surrounding skin tone, RGB
    rng: np.random.Generator

    @property
    def shape(self) -> tuple[int, int]:
        return self.outline.alpha.shape

    def darker(self, strength: float) -> np.ndarray:
        """The body colour darkened towards the next ramp colour (for lines and dots)."""
        ramp = [c for c in BROWN_RAMP if c in self.criteria.colours]
        if self.criteria.dx in PINK_CLASSES:
            deepest = DEEP_RED
        else:
            deepest = np.array(COLOUR_RGB[ramp[-1] if ramp else "dark brown"], np.float32)
        return self.body * (1 - strength) + deepest * strength * 0.9
