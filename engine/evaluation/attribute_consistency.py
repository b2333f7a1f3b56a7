"""Attribute consistency: is what is measured on the image what was asked for?

Diameter: the lesion is segmented (distance from the skin colour sampled at the image border,
Otsu threshold, largest component) and its equivalent-circle diameter in pixels is compared
with the conditioned diameter in mm by Spearman rank correlation, which needs no pixel scale.
Colours: the ABCD colours (white, red, light brown, dark brown, blue-grey, black) present on at
least 5% of the lesion are counted; per diagnosis, the mean count of generated images is
compared with that of real images. Both measurements are heuristics for relative comparison.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr

from engine.evaluation.inputs import EvaluationInputs, MetricResult, SampleSet
from engine.vocabulary import DIAGNOSES

BORDER_SHARE = 0.08
COLOUR_SHARE = 0.05
COLOURS = ("white", "red", "light brown", "dark brown", "blue-grey", "black")


def lesion_mask(image: np.ndarray) -> np.ndarray:
    """Boolean mask of the lesion: pixels far (in Lab) from the skin colour at the border."""
    import cv2

    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    height, width = lab.shape[:2]
    band = max(1, int(round(min(height, width) * BORDER_SHARE)))
    border = np.concatenate([lab[:band].reshape(-1, 3), lab[-band:].reshape(-1, 3),
                             lab[:, :band].reshape(-1, 3), lab[:, -band:].reshape(-1, 3)])
    distance = np.linalg.norm(lab - np.median(border, axis=0), axis=2)
    scaled = np.clip(distance * (255 / max(distance.max(), 1e-6)), 0, 255).astype(np.uint8)
    _, binary = cv2.threshold(scaled, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    count, components, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return np.zeros((height, width), dtype=bool)
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return components == largest


def colour_presence(image: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    """Share of lesion pixels of each ABCD colour (rules on CIE Lab, L 0-100, a/b signed)."""
    import cv2

    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)[mask]
    if len(lab) == 0:
        return dict.fromkeys(COLOURS, 0.0)
    lightness, a, b = lab[:, 0] * 100 / 255, lab[:, 1] - 128, lab[:, 2] - 128
    chroma = np.hypot(a, b)
    rules = {
        "white": (lightness > 80) & (chroma < 15),
        "red": (a > 25) & (a > 1.2 * b) & (lightness > 30),
        "light brown": (lightness >= 45) & (lightness <= 80) & (b > 10) & (a <= 25),
        "dark brown": (lightness >= 20) & (lightness < 45) & (b > 5),
        "blue-grey": (lightness >= 20) & (lightness <= 75) & (b <= 0) & (a < 15),
        "black": lightness < 20,
    }
    return {name: float(rule.mean()) for name, rule in rules.items()}


def measure_lesion(image: np.ndarray) -> tuple[float, int]:
    """(equivalent-circle diameter in pixels, number of ABCD colours present) of one image."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f"expected an RGB uint8 image (h, w, 3), got {image.dtype} {image.shape}")
    mask = lesion_mask(image)
    diameter = 2 * np.sqrt(mask.sum() / np.pi)
    colours = sum(share >= COLOUR_SHARE for share in colour_presence(image, mask).values())
    return float(diameter), int(colours)


def diameter_correlation(*, conditioned_mm: np.ndarray, measured_px: np.ndarray) -> float:
    """Spearman correlation over images with a known diameter (NaN when fewer than 3)."""
    known = np.isfinite(conditioned_mm) & np.isfinite(measured_px)
    if known.sum() < 3 or np.ptp(conditioned_mm[known]) == 0:
        return float("nan")
    return float(spearmanr(conditioned_mm[known], measured_px[known]).statistic)


def colour_count_gap(*, real: SampleSet, candidate: SampleSet) -> tuple[float, dict]:
    """Mean over shared diagnoses of |mean colour count (candidate) - mean colour count (real)|."""
    per_class = {}
    for index, name in enumerate(DIAGNOSES):
        real_counts = real.colour_counts[real.labels == index]
        candidate_counts = candidate.colour_counts[candidate.labels == index]
        if len(real_counts) and len(candidate_counts):
            per_class[name] = {"real": float(real_counts.mean()),
                               "candidate": float(candidate_counts.mean())}
    if not per_class:
        return float("nan"), per_class
    gaps = [abs(values["real"] - values["candidate"]) for values in per_class.values()]
    return float(np.mean(gaps)), per_class


def diameter_metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
    value = diameter_correlation(conditioned_mm=inputs.candidate.diameter_mm,
                                 measured_px=inputs.candidate.measured_diameter_px)
    floor = diameter_correlation(conditioned_mm=inputs.holdout.diameter_mm,
                                 measured_px=inputs.holdout.measured_diameter_px)
    return MetricResult(
        name="diameter_consistency", value=value, floor=None if np.isnan(floor) else floor,
        higher_is_better=True,
        details={"meaning": "Spearman correlation of conditioned mm vs measured pixels"},
    )


def colour_metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
    value, per_class = colour_count_gap(real=inputs.reference, candidate=inputs.candidate)
    floor, _ = colour_count_gap(real=inputs.reference, candidate=inputs.holdout)
    return MetricResult(
        name="colour_consistency", value=value, floor=floor, higher_is_better=False,
        details={"per_class": per_class,
                 "meaning": "mean |colour count generated - real| per diagnosis"},
    )
