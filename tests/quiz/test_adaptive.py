import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from fsrs import Rating
from scipy.stats import spearmanr

from engine.adaptive import (
    DIFFICULTY_LADDER,
    DifficultyController,
    PracticeDeck,
    estimate_item_difficulty,
    hardest_items,
    rating_for,
)
from engine.quiz import preset

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_ratings_follow_correctness_and_confidence():
    assert rating_for(correct=False, confidence=99) == Rating.Again
    assert rating_for(correct=True, confidence=20) == Rating.Hard
    assert rating_for(correct=True, confidence=70) == Rating.Good
    assert rating_for(correct=True, confidence=95) == Rating.Easy


def test_missed_cases_and_weak_classes_come_back_first():
    deck = PracticeDeck()
    deck.record(dx="mel", item_key="17", correct=False, confidence=80, when=NOW)
    deck.record(dx="nv", item_key="18", correct=True, confidence=95, when=NOW)
    later = NOW + timedelta(minutes=15)
    assert deck.missed_items_due(now=later) == ["17"]  # the right answer made no item card
    assert "class:mel" in deck.due(now=later) and "class:nv" not in deck.due(now=later)
    mix = deck.class_mix(now=later, classes=("mel", "nv"))
    assert mix["mel"] > mix["nv"] and sum(mix.values()) == pytest.approx(1)


def test_deck_state_round_trips_through_json():
    deck = PracticeDeck()
    for day, correct in enumerate([False, True, True]):
        deck.record(dx="bcc", item_key="5", correct=correct, confidence=60,
                    when=NOW + timedelta(days=day))
    again = PracticeDeck.from_dict(json.loads(json.dumps(deck.to_dict())))
    assert again.to_dict() == deck.to_dict()
    assert again.due(now=NOW + timedelta(days=60)) == deck.due(now=NOW + timedelta(days=60))


def test_deck_rejects_naive_dates_and_unknown_formats():
    with pytest.raises(ValueError, match="timezone-aware"):
        PracticeDeck().record(dx="mel", item_key=None, correct=True, confidence=50,
                              when=datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="format"):
        PracticeDeck.from_dict({"format_version": 99})


def test_staircase_keeps_a_simulated_trainee_near_the_target():
    """A trainee whose accuracy falls with the rung (logistic in the rung) settles at ~77.5%."""
    rng = np.random.default_rng(3)
    controller, outcomes = DifficultyController(), []
    ability = 6.0  # 50 % correct at rung 6
    for _ in range(800):
        p_correct = 1 / (1 + np.exp(controller.position - ability))
        correct = bool(rng.random() < p_correct)
        outcomes.append(correct)
        controller = controller.updated(correct=correct)
    assert 0.72 <= np.mean(outcomes[200:]) <= 0.83
    # the staircase settles around the rung where p = 0.775 (ability - 1.24)
    assert abs(controller.position - (ability - 1.24)) < 2.0


def test_staircase_moves_severity_and_options_and_serialises():
    controller = DifficultyController().after([True] * 40)
    assert controller.level == len(DIFFICULTY_LADDER) - 1
    assert controller.severity == 4 and controller.options(classes_asked=5) == 5
    spec = controller.applied_to(preset("intermediate"))
    assert spec.severity_range == (4, 4) and spec.n_options == 5
    easier = controller.after([False] * 40)
    assert easier.level == 0
    assert DifficultyController.from_dict(json.loads(json.dumps(controller.to_dict()))) == \
        controller
    binary = DifficultyController(position=3).applied_to(preset("beginner"))
    assert binary.n_options == 2 and binary.severity_range == (1, 1)


def test_rasch_recovers_the_order_of_true_item_difficulties():
    rng = np.random.default_rng(0)
    abilities = rng.normal(0, 1, 80)
    difficulties = np.linspace(-2, 2, 15)
    responses = [
        (f"trainee{t}", f"item{i}", bool(rng.random() < 1 / (1 + np.exp(b - a))))
        for t, a in enumerate(abilities) for i, b in enumerate(difficulties)
    ]
    estimates = estimate_item_difficulty(responses=responses, min_answers=10)
    fitted = [estimates[f"item{i}"].difficulty for i in range(len(difficulties))]
    assert spearmanr(fitted, difficulties).statistic > 0.9
    assert abs(np.mean(fitted)) < 1e-9
    assert hardest_items(difficulties=estimates, candidates=["item0", "item14", "new"],
                         n=2) == ["item14", "item0"]


def test_items_with_too_few_answers_get_no_estimate():
    responses = [("a", "x", True), ("b", "x", False), ("a", "y", True)]
    assert set(estimate_item_difficulty(responses=responses, min_answers=2)) == {"x"}
    assert estimate_item_difficulty(responses=[], min_answers=2) == {}
