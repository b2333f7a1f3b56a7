"""Diversity: mean pairwise feature distance within each class, relative to real images.

A ratio near 1 means the generator varies as much as real lesions of that class; well below 1
means mode collapse. The floor is the same ratio for a held-out real split.
"""

from __future__ import annotations

import numpy as np

from engine.evaluation.inputs import EvaluationInputs, MetricResult, SampleSet
from engine.evaluation.prdc import pairwise_distances
from engine.vocabulary import DIAGNOSES

MAX_PER_CLASS = 500


def mean_pairwise_distance(
    features: np.ndarray, *, limit: int = MAX_PER_CLASS, seed: int | np.random.Generator = 0
) -> float:
    """Mean Euclidean distance over distinct pairs of rows (a random `limit` rows at most)."""
    features = np.asarray(features, dtype=np.float64)
    if len(features) < 2:
        raise ValueError(f"diversity needs at least 2 images, got {len(features)}")
    if len(features) > limit:
        features = features[np.random.default_rng(seed).choice(len(features), limit, False)]
    distances = pairwise_distances(features, features)
    count = len(features)
    return float(distances.sum() / (count * (count - 1)))


def diversity_ratios(*, real: SampleSet, candidate: SampleSet, seed: int) -> dict[str, float]:
    """Per class (with at least 2 images in both sets): candidate diversity / real diversity."""
    ratios = {}
    for index, name in enumerate(DIAGNOSES):
        real_rows = real.features[real.labels == index]
        candidate_rows = candidate.features[candidate.labels == index]
        if len(real_rows) < 2 or len(candidate_rows) < 2:
            continue
        real_spread = mean_pairwise_distance(real_rows, seed=seed)
        if real_spread > 0:
            ratios[name] = mean_pairwise_distance(candidate_rows, seed=seed) / real_spread
    return ratios


def diversity_metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
    ratios = diversity_ratios(real=inputs.reference, candidate=inputs.candidate, seed=seed)
    floor_ratios = diversity_ratios(real=inputs.reference, candidate=inputs.holdout, seed=seed)
    return MetricResult(
        name="diversity",
        value=float(np.mean(list(ratios.values()))) if ratios else float("nan"),
        floor=float(np.mean(list(floor_ratios.values()))) if floor_ratios else None,
        higher_is_better=True,
        details={"per_class": ratios, "floor_per_class": floor_ratios,
                 "meaning": "within-class feature spread, generated / real (1 = as varied)"},
    )
