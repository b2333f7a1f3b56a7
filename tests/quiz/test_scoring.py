import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    recall_score,
)

from engine.scoring import Response, correct_management, score_attempt
from engine.vocabulary import DIAGNOSES, MALIGNANT


def _random_responses(rng, classes, n):
    truth = rng.choice(classes, n)
    # right about 60 % of the time, otherwise any class
    given = np.where(rng.random(n) < 0.6, truth, rng.choice(classes, n))
    return [
        Response(truth=str(t), given=str(g), management=str(rng.choice(["excise", "monitor"])),
                 confidence=float(rng.integers(0, 101)), time_seconds=float(rng.uniform(1, 60)),
                 severity=int(rng.integers(0, 5)))
        for t, g in zip(truth, given, strict=True)
    ]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 80), k=st.integers(2, 7))
def test_multiclass_scores_match_scikit_learn(seed, n, k):
    rng = np.random.default_rng(seed)
    classes = tuple(rng.permutation(DIAGNOSES)[:k])
    responses = _random_responses(rng, classes, n)
    score = score_attempt(responses=responses, classes=classes)
    truth = [r.truth for r in responses]
    given_labels = [r.given for r in responses]
    assert score.accuracy == pytest.approx(accuracy_score(truth, given_labels))
    # scikit-learn averages recall over the classes present in y_true, as we do (and warns
    # about predicted classes that never occur in y_true)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected_balanced = balanced_accuracy_score(truth, given_labels)
    assert score.balanced_accuracy == pytest.approx(expected_balanced)
    assert np.array_equal(np.array(score.confusion),
                          confusion_matrix(truth, given_labels, labels=list(classes)))
    correct = [r.truth == r.given for r in responses]
    assert score.brier == pytest.approx(
        brier_score_loss(correct, [r.confidence / 100 for r in responses], pos_label=True))
    malignant_truth = [t in MALIGNANT for t in truth]
    malignant_given = [g in MALIGNANT for g in given_labels]
    if any(malignant_truth):
        assert score.sensitivity == pytest.approx(
            recall_score(malignant_truth, malignant_given, pos_label=True))
    else:
        assert score.sensitivity is None
    if not all(malignant_truth):
        assert score.specificity == pytest.approx(
            recall_score(malignant_truth, malignant_given, pos_label=False))
    assert score.management_accuracy == pytest.approx(
        accuracy_score([correct_management(t) for t in truth], [r.management for r in responses]))
    assert score.mean_time_seconds == pytest.approx(np.mean([r.time_seconds for r in responses]))
    for level, value in score.accuracy_by_severity.items():
        chosen = [c for c, r in zip(correct, responses, strict=True) if r.severity == level]
        assert value == pytest.approx(np.mean(chosen))


def test_binary_quiz_scores_sensitivity_and_specificity():
    answers = [("malignant", "malignant"), ("malignant", "benign"), ("benign", "benign"),
               ("benign", "benign"), ("benign", "malignant")]
    responses = [Response(truth=t, given=g, management="excise", confidence=80, time_seconds=10)
                 for t, g in answers]
    score = score_attempt(responses=responses, classes=("benign", "malignant"),
                          time_limit_seconds=5)
    assert score.sensitivity == pytest.approx(0.5)
    assert score.specificity == pytest.approx(2 / 3)
    assert score.management_accuracy == pytest.approx(2 / 5)
    assert score.over_time == 5
    assert score.to_dict()["confusion"] == [[2, 1], [1, 1]]


def test_brier_rewards_calibrated_confidence():
    sure_right = Response(truth="mel", given="mel", management="excise", confidence=100,
                          time_seconds=1)
    sure_wrong = Response(truth="mel", given="nv", management="monitor", confidence=100,
                          time_seconds=1)
    assert sure_right.brier == 0.0 and sure_wrong.brier == 1.0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"given": "melanoma"}, "unknown answer 'melanoma'"),
        ({"management": "laser"}, "management 'laser'"),
        ({"confidence": 120}, "confidence 120"),
        ({"time_seconds": -1}, "time -1"),
    ],
)
def test_invalid_answers_raise(fields, message):
    values = {"truth": "mel", "given": "mel", "management": "excise", "confidence": 50,
              "time_seconds": 3} | fields
    with pytest.raises(ValueError, match=message):
        Response(**values)


def test_answers_outside_the_classes_asked_are_named():
    response = Response(truth="mel", given="df", management="excise", confidence=50,
                        time_seconds=3)
    with pytest.raises(ValueError, match="answer 1: answer 'df' is not among"):
        score_attempt(responses=[response], classes=("mel", "nv"))
    with pytest.raises(ValueError, match="at least one answer"):
        score_attempt(responses=[], classes=("mel", "nv"))
