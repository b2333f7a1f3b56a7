"""Fréchet distance between Gaussians fitted to two feature sets (FID, Heusel et al. 2017).

FID = |m1 - m2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)). The trace of the matrix square root is taken
from the eigenvalues of S1^(1/2) S2 S1^(1/2), which is symmetric, so no complex parts appear.
"""

from __future__ import annotations

import numpy as np

from engine.evaluation.inputs import EvaluationInputs, MetricResult, check_features


def gaussian_statistics(features: np.ndarray, *, name: str = "features"):
    """Mean vector and covariance matrix (unbiased) of a feature set."""
    array = check_features(name, features)
    return array.mean(axis=0), np.cov(array, rowvar=False)


def _psd_square_root(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance_from_statistics(
    *, mean_a: np.ndarray, cov_a: np.ndarray, mean_b: np.ndarray, cov_b: np.ndarray
) -> float:
    """The Fréchet distance between N(mean_a, cov_a) and N(mean_b, cov_b)."""
    mean_a, mean_b = np.atleast_1d(mean_a), np.atleast_1d(mean_b)
    cov_a, cov_b = np.atleast_2d(cov_a), np.atleast_2d(cov_b)
    if mean_a.shape != mean_b.shape or cov_a.shape != cov_b.shape:
        raise ValueError(f"feature dimensions differ: {mean_a.shape} vs {mean_b.shape}")
    root_a = _psd_square_root(cov_a)
    middle = root_a @ cov_b @ root_a
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)).sum()
    difference = mean_a - mean_b
    distance = difference @ difference + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root
    return float(max(distance, 0.0))


def frechet_distance(*, real: np.ndarray, generated: np.ndarray) -> float:
    """FID between two feature sets (N, D) and (M, D)."""
    mean_a, cov_a = gaussian_statistics(real, name="real")
    mean_b, cov_b = gaussian_statistics(generated, name="generated")
    return frechet_distance_from_statistics(mean_a=mean_a, cov_a=cov_a, mean_b=mean_b, cov_b=cov_b)


def fid_metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
    """FID on auditor features, plus FID on every extra feature space (e.g. InceptionV3)."""
    details = {}
    for space in inputs.reference.extra_features:
        details[f"fid_{space}"] = frechet_distance(
            real=inputs.reference.extra_features[space],
            generated=inputs.candidate.extra_features[space],
        )
        details[f"fid_{space}_floor"] = frechet_distance(
            real=inputs.reference.extra_features[space],
            generated=inputs.holdout.extra_features[space],
        )
    return MetricResult(
        name="fid",
        value=frechet_distance(real=inputs.reference.features, generated=inputs.candidate.features),
        floor=frechet_distance(real=inputs.reference.features, generated=inputs.holdout.features),
        higher_is_better=False,
        details=details,
    )
