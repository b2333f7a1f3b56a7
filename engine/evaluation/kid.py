"""Kernel Inception Distance (Bińkowski et al. 2018): unbiased MMD^2, cubic polynomial kernel.

k(x, y) = (x.y / d + 1)^3. The unbiased estimator leaves out the diagonal of the within-set
kernel matrices, so its mean over draws is 0 when both sets come from one distribution. It is
averaged over random subsets, which also gives its spread.
"""

from __future__ import annotations

import numpy as np

from engine.evaluation.inputs import EvaluationInputs, MetricResult, check_features

DEFAULT_SUBSETS = 50
DEFAULT_SUBSET_SIZE = 1000


def polynomial_kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a @ b.T / a.shape[1] + 1.0) ** 3


def unbiased_mmd2(a: np.ndarray, b: np.ndarray) -> float:
    """Unbiased estimate of MMD^2 between the distributions of rows of a and of b."""
    m, n = len(a), len(b)
    kernel_aa = polynomial_kernel(a, a)
    kernel_bb = polynomial_kernel(b, b)
    kernel_ab = polynomial_kernel(a, b)
    within_a = (kernel_aa.sum() - np.trace(kernel_aa)) / (m * (m - 1))
    within_b = (kernel_bb.sum() - np.trace(kernel_bb)) / (n * (n - 1))
    return float(within_a + within_b - 2 * kernel_ab.mean())


def kernel_distance(
    *,
    real: np.ndarray,
    generated: np.ndarray,
    subsets: int = DEFAULT_SUBSETS,
    subset_size: int = DEFAULT_SUBSET_SIZE,
    seed: int | np.random.Generator = 0,
) -> tuple[float, float]:
    """KID (mean, standard deviation) over `subsets` random subsets of at most `subset_size`."""
    real = check_features("real", real)
    generated = check_features("generated", generated)
    if real.shape[1] != generated.shape[1]:
        raise ValueError(f"feature dimensions differ: {real.shape[1]} vs {generated.shape[1]}")
    if subsets < 1:
        raise ValueError(f"subsets must be at least 1, got {subsets}")
    rng = np.random.default_rng(seed)
    size = min(subset_size, len(real), len(generated))
    estimates = [
        unbiased_mmd2(
            real[rng.choice(len(real), size, replace=False)],
            generated[rng.choice(len(generated), size, replace=False)],
        )
        for _ in range(subsets)
    ]
    return float(np.mean(estimates)), float(np.std(estimates))


def kid_metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
    value, spread = kernel_distance(
        real=inputs.reference.features, generated=inputs.candidate.features, seed=seed
    )
    floor, floor_spread = kernel_distance(
        real=inputs.reference.features, generated=inputs.holdout.features, seed=seed
    )
    return MetricResult(
        name="kid", value=value, floor=floor, higher_is_better=False,
        details={"std": spread, "floor_std": floor_spread},
    )
