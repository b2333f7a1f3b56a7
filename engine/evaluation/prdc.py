"""Precision and recall (Kynkäänniemi et al. 2019), density and coverage (Naeem et al. 2020).

Each sample's manifold is the union of balls around it whose radius is the distance to its k-th
nearest neighbour in its own set. Precision: share of generated samples inside the real
manifold. Recall: share of real samples inside the generated manifold. Density: how many real
balls hold each generated sample on average, divided by k (1 when matched, can exceed 1).
Coverage: share of real balls that hold at least one generated sample.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from engine.evaluation.inputs import EvaluationInputs, MetricResult, check_features

DEFAULT_NEIGHBOURS = 5
_CHUNK = 1024


@dataclass(frozen=True)
class ManifoldScores:
    precision: float
    recall: float
    density: float
    coverage: float


def pairwise_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances between the rows of a and b, (len(a), len(b))."""
    squared = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.clip(squared, 0, None))


def nearest_neighbour_radii(features: np.ndarray, *, k: int) -> np.ndarray:
    """Distance from each row to its k-th nearest other row of the same set."""
    radii = np.empty(len(features))
    for start in range(0, len(features), _CHUNK):
        distances = pairwise_distances(features[start:start + _CHUNK], features)
        # position 0 of each sorted row is the sample itself (distance 0)
        radii[start:start + _CHUNK] = np.partition(distances, k, axis=1)[:, k]
    return radii


def _ball_counts(centres: np.ndarray, radii: np.ndarray, points: np.ndarray) -> np.ndarray:
    """(len(centres), len(points)) booleans: point inside the closed ball of centre."""
    return pairwise_distances(centres, points) <= radii[:, None]


def manifold_scores(
    *, real: np.ndarray, generated: np.ndarray, k: int = DEFAULT_NEIGHBOURS
) -> ManifoldScores:
    """Precision, recall, density and coverage of generated features against real ones."""
    real = check_features("real", real, minimum=k + 1)
    generated = check_features("generated", generated, minimum=k + 1)
    if real.shape[1] != generated.shape[1]:
        raise ValueError(f"feature dimensions differ: {real.shape[1]} vs {generated.shape[1]}")
    real_radii = nearest_neighbour_radii(real, k=k)
    generated_radii = nearest_neighbour_radii(generated, k=k)
    inside_real = _ball_counts(real, real_radii, generated)
    inside_generated = _ball_counts(generated, generated_radii, real)
    return ManifoldScores(
        precision=float(inside_real.any(axis=0).mean()),
        recall=float(inside_generated.any(axis=0).mean()),
        density=float(inside_real.sum() / (k * len(generated))),
        coverage=float(inside_real.any(axis=1).mean()),
    )


def _prdc_metric(score: str):
    def metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
        value = manifold_scores(real=inputs.reference.features, generated=inputs.candidate.features)
        floor = manifold_scores(real=inputs.reference.features, generated=inputs.holdout.features)
        return MetricResult(
            name=score, value=getattr(value, score), floor=getattr(floor, score),
            higher_is_better=True, details={"k": DEFAULT_NEIGHBOURS, **{
                f"all_{name}": number for name, number in asdict(value).items()}},
        )

    metric.__doc__ = f"{score} with k={DEFAULT_NEIGHBOURS} on auditor features."
    return metric


precision_metric = _prdc_metric("precision")
recall_metric = _prdc_metric("recall")
density_metric = _prdc_metric("density")
coverage_metric = _prdc_metric("coverage")
