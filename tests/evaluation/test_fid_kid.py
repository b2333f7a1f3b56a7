"""FID and KID against their closed forms on Gaussian samples, and the unbiasedness of KID."""

import numpy as np
import pytest
from scipy.linalg import sqrtm

from engine.evaluation.fid import frechet_distance, frechet_distance_from_statistics
from engine.evaluation.kid import kernel_distance, unbiased_mmd2


def _random_covariance(rng, dimension):
    factor = rng.normal(size=(dimension, dimension))
    return factor @ factor.T / dimension + 0.2 * np.eye(dimension)


def _closed_form_fid(mean_a, cov_a, mean_b, cov_b):
    root = sqrtm(cov_a @ cov_b).real
    return float(np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a + cov_b - 2 * root))


def test_fid_of_a_set_with_itself_is_zero():
    features = np.random.default_rng(0).normal(size=(500, 16))
    assert frechet_distance(real=features, generated=features) == pytest.approx(0, abs=1e-8)


def test_fid_statistics_formula_matches_scipy_matrix_square_root():
    rng = np.random.default_rng(1)
    mean_a, mean_b = rng.normal(size=6), rng.normal(size=6)
    cov_a, cov_b = _random_covariance(rng, 6), _random_covariance(rng, 6)
    ours = frechet_distance_from_statistics(mean_a=mean_a, cov_a=cov_a, mean_b=mean_b, cov_b=cov_b)
    assert ours == pytest.approx(_closed_form_fid(mean_a, cov_a, mean_b, cov_b), rel=1e-6)


def test_fid_estimate_on_gaussian_samples_matches_closed_form():
    rng = np.random.default_rng(2)
    mean_a, mean_b = np.zeros(4), np.array([1.0, -0.5, 0.0, 0.5])
    cov_a, cov_b = _random_covariance(rng, 4), _random_covariance(rng, 4)
    a = rng.multivariate_normal(mean_a, cov_a, size=60_000)
    b = rng.multivariate_normal(mean_b, cov_b, size=60_000)
    expected = _closed_form_fid(mean_a, cov_a, mean_b, cov_b)
    assert expected > 1
    assert frechet_distance(real=a, generated=b) == pytest.approx(expected, rel=0.03)


def _gaussian_moments(mean, cov):
    """Raw moments of orders 1-3 of N(mean, cov) as tensors."""
    second = cov + np.outer(mean, mean)
    third = (np.einsum("i,j,k->ijk", mean, mean, mean) + np.einsum("i,jk->ijk", mean, cov)
             + np.einsum("j,ik->ijk", mean, cov) + np.einsum("k,ij->ijk", mean, cov))
    return mean, second, third


def _closed_form_kid(mean_a, cov_a, mean_b, cov_b):
    """(x.y/d + 1)^3 expands into moment tensors: MMD^2 = sum_k c_k |M_k(a) - M_k(b)|^2 / d^k."""
    d = len(mean_a)
    moments_a, moments_b = _gaussian_moments(mean_a, cov_a), _gaussian_moments(mean_b, cov_b)
    weights = (3 / d, 3 / d**2, 1 / d**3)
    return sum(w * np.sum((ma - mb) ** 2) for w, ma, mb in zip(weights, moments_a, moments_b))


def test_kid_on_gaussian_samples_matches_closed_form():
    rng = np.random.default_rng(3)
    mean_a, mean_b = np.zeros(3), np.array([0.6, 0.0, -0.3])
    cov_a, cov_b = np.eye(3), _random_covariance(rng, 3)
    a = rng.multivariate_normal(mean_a, cov_a, size=20_000)
    b = rng.multivariate_normal(mean_b, cov_b, size=20_000)
    expected = _closed_form_kid(mean_a, cov_a, mean_b, cov_b)
    estimate, _ = kernel_distance(real=a, generated=b, subsets=6, subset_size=2500, seed=0)
    assert expected > 0.05
    assert estimate == pytest.approx(expected, rel=0.1)


def test_kid_is_unbiased_on_equal_distributions():
    rng = np.random.default_rng(4)
    draws = [unbiased_mmd2(rng.normal(size=(40, 8)), rng.normal(size=(40, 8)))
             for _ in range(400)]
    standard_error = np.std(draws) / np.sqrt(len(draws))
    assert abs(np.mean(draws)) < 3 * standard_error
    shifted = [unbiased_mmd2(rng.normal(size=(40, 8)), rng.normal(0.5, 1, size=(40, 8)))
               for _ in range(100)]
    assert np.mean(shifted) > 10 * standard_error


def test_kid_refuses_mismatched_dimensions():
    with pytest.raises(ValueError, match="dimensions differ"):
        kernel_distance(real=np.zeros((10, 3)), generated=np.zeros((10, 4)))
