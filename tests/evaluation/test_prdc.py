"""Precision, recall, density and coverage on toy sets whose answers are worked out by hand."""

import numpy as np
import pytest

from engine.evaluation.prdc import manifold_scores, nearest_neighbour_radii


def _line(positions):
    return np.asarray(positions, dtype=np.float64)[:, None]


def test_radius_is_distance_to_kth_other_point():
    radii = nearest_neighbour_radii(_line(range(10)), k=5)
    # from 0: others at 1..5 -> 5; from 4: 1,1,2,2,3 -> 3
    assert radii[0] == 5 and radii[4] == 3


def test_identical_sets_score_one():
    features = np.random.default_rng(0).normal(size=(200, 3))
    scores = manifold_scores(real=features, generated=features)
    assert (scores.precision, scores.recall, scores.coverage) == (1.0, 1.0, 1.0)


def test_disjoint_sets_score_zero():
    real = np.random.default_rng(1).normal(size=(100, 3))
    scores = manifold_scores(real=real, generated=real + 100)
    assert (scores.precision, scores.recall, scores.density, scores.coverage) == (0, 0, 0, 0)


def test_half_copied_half_far_lattice():
    # real: 0..99 on a line. generated: 0..49 and 50 points far away.
    # precision 50/100; coverage: real balls (radius 3) of 0..52 hold a generated point -> 53/100;
    # recall: generated ball of 49 has radius 5 (others at 1..5) -> reaches real 0..54 -> 55/100.
    scores = manifold_scores(real=_line(range(100)),
                             generated=_line(list(range(50)) + list(range(1000, 1050))))
    assert scores.precision == pytest.approx(0.50)
    assert scores.coverage == pytest.approx(0.53)
    assert scores.recall == pytest.approx(0.55)


def test_density_counts_real_balls_per_generated_sample():
    # six real samples at one spot: every generated sample there lies in all 6 balls (6/5).
    real = np.zeros((6, 2))
    generated = np.vstack([np.zeros((3, 2)), np.full((3, 2), 50.0)])
    scores = manifold_scores(real=real, generated=generated)
    assert scores.density == pytest.approx(3 * 6 / (5 * 6))
    assert scores.precision == pytest.approx(0.5)
    assert scores.coverage == 1.0


def test_too_few_samples_is_a_clear_error():
    with pytest.raises(ValueError, match="at least 6"):
        manifold_scores(real=np.zeros((5, 2)), generated=np.zeros((10, 2)))
