"""Data-copying test of Meehan, Chaudhuri and Dasgupta (2020), "A non-parametric test to detect
data-copying in generative models".

The training set is partitioned into cells (k-means on its features). In each cell, the
distances of generated samples to their nearest training sample are compared with those of
held-out real samples by a Mann-Whitney U test, as a z-score. C_T is the average z-score over
cells holding enough generated samples, weighted by the held-out share of each cell. Under no
copying C_T is about N(0, 1); C_T well below 0 (generated closer to training images than new
real images are) means copying. The p-value is the lower tail, Phi(C_T).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from engine.evaluation.inputs import EvaluationInputs, MetricResult, check_features
from engine.evaluation.prdc import pairwise_distances

DEFAULT_CELLS = 10
MINIMUM_PER_CELL = 20
SIGNIFICANCE = 0.05
CLOSEST_SHOWN = 8


@dataclass(frozen=True)
class CopyingTest:
    statistic: float  # C_T
    p_value: float
    cells_used: int
    cell_z_scores: tuple[float, ...]
    closest_generated: tuple[int, ...]  # generated indices, closest to the training set first
    closest_training: tuple[int, ...]  # the nearest training image of each of them
    closest_distances: tuple[float, ...]

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE


def _nearest(points: np.ndarray, training: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    indices = np.empty(len(points), dtype=np.int64)
    distances = np.empty(len(points))
    for start in range(0, len(points), 1024):
        block = pairwise_distances(points[start:start + 1024], training)
        indices[start:start + 1024] = block.argmin(axis=1)
        distances[start:start + 1024] = block.min(axis=1)
    return indices, distances


def _kmeans_cells(training: np.ndarray, *, cells: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    model = KMeans(n_clusters=cells, n_init=3, random_state=seed).fit(training)
    return model.cluster_centers_


def mann_whitney_z(*, generated: np.ndarray, held_out: np.ndarray) -> float:
    """z-score of U = #pairs with generated distance > held-out distance (ties count 1/2)."""
    m, n = len(generated), len(held_out)
    order = np.sort(held_out)
    below = np.searchsorted(order, generated, side="left")
    ties = np.searchsorted(order, generated, side="right") - below
    u = float((below + ties / 2).sum())
    return (u - m * n / 2) / np.sqrt(m * n * (m + n + 1) / 12)


def copying_test(
    *,
    training: np.ndarray,
    held_out: np.ndarray,
    generated: np.ndarray,
    cells: int = DEFAULT_CELLS,
    minimum_per_cell: int = MINIMUM_PER_CELL,
    seed: int = 0,
) -> CopyingTest:
    """Meehan's C_T test of generated features against the training and held-out features."""
    training = check_features("training", training, minimum=cells)
    held_out = check_features("held-out", held_out, minimum=minimum_per_cell)
    generated = check_features("generated", generated, minimum=minimum_per_cell)
    centres = _kmeans_cells(training, cells=cells, seed=seed)
    cell_of = {
        name: pairwise_distances(values, centres).argmin(axis=1)
        for name, values in (("held", held_out), ("generated", generated))
    }
    generated_nearest, generated_distances = _nearest(generated, training)
    _, held_distances = _nearest(held_out, training)
    weighted, weights, z_scores = 0.0, 0.0, []
    for cell in range(cells):
        in_generated = cell_of["generated"] == cell
        in_held = cell_of["held"] == cell
        if in_generated.sum() < minimum_per_cell or in_held.sum() < 1:
            continue
        z = mann_whitney_z(generated=generated_distances[in_generated],
                           held_out=held_distances[in_held])
        weight = in_held.mean()
        weighted, weights = weighted + weight * z, weights + weight
        z_scores.append(float(z))
    if not z_scores:
        raise ValueError(
            f"no training cell holds {minimum_per_cell} generated and one held-out image; "
            "use more images or fewer cells"
        )
    statistic = weighted / weights
    closest = np.argsort(generated_distances)[:CLOSEST_SHOWN]
    return CopyingTest(
        statistic=float(statistic),
        p_value=float(norm.cdf(statistic)),
        cells_used=len(z_scores),
        cell_z_scores=tuple(z_scores),
        closest_generated=tuple(int(i) for i in closest),
        closest_training=tuple(int(generated_nearest[i]) for i in closest),
        closest_distances=tuple(float(generated_distances[i]) for i in closest),
    )


def memorization_metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
    """C_T of the candidate, floor: C_T of held-out real images (no copying by construction)."""
    if inputs.training is None:
        raise ValueError("the memorization test needs the generator's training images "
                         "(evaluate --train DIR)")
    # as many cells as keep about 4x the minimum of generated samples in each
    cells = int(np.clip(len(inputs.candidate) // (4 * MINIMUM_PER_CELL), 1, DEFAULT_CELLS))
    common = {"training": inputs.training.features, "held_out": inputs.reference.features,
              "cells": cells, "seed": seed}
    test = copying_test(generated=inputs.candidate.features, **common)
    floor = copying_test(generated=inputs.holdout.features, **common)
    return MetricResult(
        name="memorization_ct", value=test.statistic, floor=floor.statistic,
        higher_is_better=True,
        details={
            "p_value": test.p_value, "significant": test.significant,
            "floor_p_value": floor.p_value, "cells_used": test.cells_used,
            "cell_z_scores": test.cell_z_scores,
            "closest_generated": test.closest_generated,
            "closest_training": test.closest_training,
            "closest_distances": test.closest_distances,
        },
    )
