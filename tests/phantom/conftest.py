"""Measurements taken from phantom pixels alone, to check them against the recorded criteria."""

from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from engine.phantom import render
from engine.phantom.measure import lesion_mask, skin_reference
from engine.profiles import ProfileSampler
from engine.vocabulary import DIAGNOSES


def feret_diameter_px(mask: np.ndarray) -> float:
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)
    hull = cv2.convexHull(np.vstack(contours)).reshape(-1, 2).astype(np.float32)
    return float(np.sqrt(((hull[:, None] - hull[None]) ** 2).sum(-1)).max())


def colour_classes(image: np.ndarray) -> dict[str, np.ndarray]:
    """Masks of the six dermoscopic colours by simple rules on hue and lightness.

    Red is told from brown by its CIELAB hue, as the eye does: red, pink and purple lie below
    22 degrees (red 10, the pink body of a basal cell carcinoma 6, lacunae below 0), browns
    above 30, and red needs a* above 22 so that pink skin is not red (since version 2.2;
    before, an RGB rule read the rim of red-brown pigment thinning into pink skin as red, which
    kept the browns orange).

    White is relative, as a dermatologist sees it: paler than the skin around the lesion and
    nearly grey (since version 2.2; it was a mean RGB above 0.78, which only paper white
    reached)."""
    smooth = cv2.medianBlur(image, 3).astype(np.float32) / 255
    r, g, b = smooth[..., 0], smooth[..., 1], smooth[..., 2]
    lab = cv2.cvtColor(smooth, cv2.COLOR_RGB2LAB)
    hue = np.degrees(np.arctan2(lab[..., 2], lab[..., 1]))
    lightness = smooth.mean(-1)
    spread = smooth.max(-1) - smooth.min(-1)
    white = (lightness > skin_reference(smooth).mean(-1) + 0.05) & (spread < 0.13)
    black = ~white & (lightness < 0.17)
    blue = ~white & ~black & (b > r + 0.03)
    red = ~white & ~black & ~blue & (lab[..., 1] > 22) & (hue > -60) & (hue < 22)
    brown = ~white & ~black & ~blue & ~red & (r > g) & (g > b)
    return {"white": white, "black": black, "blue-grey": blue, "red": red,
            "dark brown": brown & (lightness < 0.36), "light brown": brown & (lightness >= 0.36)}


def reflection_asymmetry(mask: np.ndarray, centre_px: tuple, angle_rad: float) -> float:
    """1 - IoU of the mask and its mirror image across the line through `centre_px` at
    `angle_rad` (0: symmetric about that line)."""
    cos, sin = np.cos(2 * angle_rad), np.sin(2 * angle_rad)
    reflection = np.array([[cos, sin], [sin, -cos]])
    centre = np.asarray(centre_px)
    matrix = np.hstack([reflection, (centre - reflection @ centre)[:, None]])
    mirrored = cv2.warpAffine(mask.astype(np.uint8), matrix, mask.shape[::-1],
                              flags=cv2.INTER_NEAREST) > 0
    union = (mask | mirrored).sum()
    return 1.0 - (mask & mirrored).sum() / max(union, 1)


@pytest.fixture(scope="module")
def measure():
    return SimpleNamespace(lesion_mask=lesion_mask, feret_diameter_px=feret_diameter_px,
                           colour_classes=colour_classes,
                           reflection_asymmetry=reflection_asymmetry)


@pytest.fixture(scope="module")
def clean_cases():
    """16 phantoms per diagnosis at 128 px without optical artefacts: (profile, image, crit)."""
    sampler = ProfileSampler.default()
    cases = []
    for index, dx in enumerate(DIAGNOSES):
        for offset, profile in enumerate(sampler.sample(n=16, fixed={"dx": dx}, seed=index)):
            image, criteria = render(profile, size=128, seed=1000 * index + offset,
                                     artefacts=False)
            cases.append((profile, image, criteria))
    return cases
