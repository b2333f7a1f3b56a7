"""What every metric is computed from: per-image arrays of one image set, and the sets compared.

Metrics compare a candidate set with a reference set of real images. The same metric between
two disjoint real splits of the same size is its floor: the value a perfect generator reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class SampleSet:
    """Per-image measurements of one image set, all arrays aligned on the first axis.

    features: auditor penultimate-layer features (N, D); labels: diagnosis index into
    DIAGNOSES (conditioned for generated images, recorded for real ones); probabilities: the
    auditor's class probabilities (N, 7); diameter_mm: conditioned or recorded diameter (NaN when
    unknown); measured_diameter_px and colour_counts: measured on the image; thumbnails: small
    uint8 images (N, h, w, 3) for the classifiers of the TSTR metric; skin_types: Fitzpatrick
    type 1-6 per image (0 where unknown), None when the set does not record it.
    """

    name: str
    features: np.ndarray
    labels: np.ndarray
    probabilities: np.ndarray
    diameter_mm: np.ndarray
    measured_diameter_px: np.ndarray
    colour_counts: np.ndarray
    thumbnails: np.ndarray
    extra_features: dict[str, np.ndarray] = field(default_factory=dict)
    skin_types: np.ndarray | None = None

    def __post_init__(self) -> None:
        count = len(self.features)
        for name in ("labels", "probabilities", "diameter_mm", "measured_diameter_px",
                     "colour_counts", "thumbnails"):
            if len(getattr(self, name)) != count:
                raise ValueError(
                    f"sample set {self.name!r}: {name} has {len(getattr(self, name))} rows "
                    f"but features has {count}"
                )
        if self.skin_types is not None and len(self.skin_types) != count:
            raise ValueError(f"sample set {self.name!r}: skin_types has "
                             f"{len(self.skin_types)} rows but features has {count}")
        for name, values in self.extra_features.items():
            if len(values) != count:
                raise ValueError(f"sample set {self.name!r}: {name} features have "
                                 f"{len(values)} rows but features has {count}")

    def __len__(self) -> int:
        return len(self.features)

    def subset(self, indices: np.ndarray, *, name: str | None = None) -> SampleSet:
        """The images at `indices`, as a new set."""
        return SampleSet(
            name=name or self.name,
            features=self.features[indices],
            labels=self.labels[indices],
            probabilities=self.probabilities[indices],
            diameter_mm=self.diameter_mm[indices],
            measured_diameter_px=self.measured_diameter_px[indices],
            colour_counts=self.colour_counts[indices],
            thumbnails=self.thumbnails[indices],
            extra_features={k: v[indices] for k, v in self.extra_features.items()},
            skin_types=None if self.skin_types is None else self.skin_types[indices],
        )


@dataclass(frozen=True)
class EvaluationInputs:
    """A candidate set judged against real images.

    reference and holdout are disjoint real splits of the same size; the candidate is compared
    with the reference and the holdout gives each metric's real-vs-real floor. training, when
    known, holds the images the generator was trained on (for the memorization test).
    """

    candidate: SampleSet
    reference: SampleSet
    holdout: SampleSet
    training: SampleSet | None = None


@dataclass(frozen=True)
class MetricResult:
    """One metric's value for the candidate, its real-vs-real floor and the details behind it."""

    name: str
    value: float
    floor: float | None
    higher_is_better: bool
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "value": plain(self.value),
            "floor": plain(self.floor),
            "higher_is_better": self.higher_is_better,
            "details": plain(self.details),
        }


def plain(value):
    """Numpy values -> JSON-friendly Python values (NaN -> None)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def check_features(name: str, features: np.ndarray, *, minimum: int = 2) -> np.ndarray:
    """A (N, D) float64 array with at least `minimum` rows, or a ValueError naming the set."""
    array = np.asarray(features, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"{name} features must be a 2-D array (images x features), "
                         f"got shape {array.shape}")
    if len(array) < minimum:
        raise ValueError(f"{name} has {len(array)} images; this metric needs at least {minimum}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} features contain NaN or infinite values")
    return array
