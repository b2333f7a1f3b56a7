"""Kappa statistics against published and independent reference values."""

import pytest
from sklearn.metrics import cohen_kappa_score

from engine.agreement import cohen_kappa, fleiss_kappa, interpretation

# Fleiss (1971) style worked example as tabulated on Wikipedia: 10 items, 14 raters, 5 labels.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]


def test_cohen_kappa_matches_scikit_learn():
    first = ["approve", "approve", "reject", "approve", "reject", "reject", "approve", "approve"]
    second = ["approve", "reject", "reject", "approve", "reject", "approve", "approve", "approve"]
    assert cohen_kappa(first=first, second=second) == pytest.approx(
        cohen_kappa_score(first, second)
    )


def test_cohen_kappa_is_one_for_identical_labels_and_negative_for_opposites():
    assert cohen_kappa(first=[1, 2, 3, 1], second=[1, 2, 3, 1]) == pytest.approx(1.0)
    assert cohen_kappa(first=[1, 2, 1, 2], second=[2, 1, 2, 1]) == pytest.approx(-1.0)
    assert cohen_kappa(first=["a", "a"], second=["a", "a"]) == 1.0


def test_fleiss_kappa_reproduces_the_worked_example():
    ratings = [dict(enumerate(row)) for row in FLEISS_TABLE]
    assert fleiss_kappa(ratings=ratings) == pytest.approx(0.210, abs=0.001)


def test_fleiss_kappa_with_two_raters_is_close_to_cohen():
    first = [1, 1, 2, 2, 1, 2, 1, 1]
    second = [1, 2, 2, 2, 1, 1, 1, 1]
    ratings = [{a: 2} if a == b else {a: 1, b: 1} for a, b in zip(first, second)]
    assert fleiss_kappa(ratings=ratings) == pytest.approx(
        cohen_kappa(first=first, second=second), abs=0.05
    )


def test_bad_input_is_refused_with_a_message():
    with pytest.raises(ValueError, match="different numbers"):
        cohen_kappa(first=[1, 2], second=[1])
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa(ratings=[{"a": 2}, {"a": 3}])
    with pytest.raises(ValueError, match="at least two"):
        fleiss_kappa(ratings=[{"a": 1}])


def test_interpretation_follows_landis_and_koch():
    assert interpretation(-0.1) == "poor"
    assert interpretation(0.5) == "moderate"
    assert interpretation(0.95) == "almost perfect"
