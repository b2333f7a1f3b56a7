"""Conditional accuracy: does the auditor see the diagnosis each image was conditioned on?

The floor is the auditor's accuracy on held-out real images (with their recorded diagnosis):
a generator cannot be expected to be more recognisable than real lesions.
"""

from __future__ import annotations

import numpy as np

from engine.evaluation.inputs import EvaluationInputs, MetricResult
from engine.vocabulary import DIAGNOSES


def per_class_accuracy(
    *, conditioned: np.ndarray, predicted: np.ndarray, classes: tuple[str, ...] = DIAGNOSES
) -> tuple[float, dict[str, float]]:
    """Overall share of predictions equal to the condition, and the share per class present."""
    conditioned = np.asarray(conditioned)
    predicted = np.asarray(predicted)
    if conditioned.shape != predicted.shape or conditioned.ndim != 1:
        raise ValueError(f"conditioned labels {conditioned.shape} and predictions "
                         f"{predicted.shape} must be 1-D arrays of the same length")
    if len(conditioned) == 0:
        raise ValueError("no images to score: conditioned labels are empty")
    correct = conditioned == predicted
    per_class = {
        classes[index]: float(correct[conditioned == index].mean())
        for index in range(len(classes)) if (conditioned == index).any()
    }
    return float(correct.mean()), per_class


def misreadings(
    *, conditioned: np.ndarray, predicted: np.ndarray, classes: tuple[str, ...] = DIAGNOSES
) -> dict[str, dict[str, float]]:
    """Per conditioned class, the share of its images read as each other class, largest first:
    where a generator's weak class goes tells what it fails to draw."""
    conditioned = np.asarray(conditioned)
    predicted = np.asarray(predicted)
    result = {}
    for index in range(len(classes)):
        of_class = conditioned == index
        if not of_class.any():
            continue
        counts = np.bincount(predicted[of_class], minlength=len(classes)) / of_class.sum()
        result[classes[index]] = {
            classes[other]: float(counts[other])
            for other in np.argsort(-counts, kind="stable") if other != index and counts[other]
        }
    return result


def conditional_accuracy_metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
    candidate, holdout = inputs.candidate, inputs.holdout
    predicted = candidate.probabilities.argmax(axis=1)
    overall, per_class = per_class_accuracy(conditioned=candidate.labels, predicted=predicted)
    floor, floor_per_class = per_class_accuracy(
        conditioned=holdout.labels, predicted=holdout.probabilities.argmax(axis=1)
    )
    return MetricResult(
        name="conditional_accuracy", value=overall, floor=floor, higher_is_better=True,
        details={"per_class": per_class, "floor_per_class": floor_per_class,
                 "worst_class": min(per_class.values()),
                 "misread_as": misreadings(conditioned=candidate.labels, predicted=predicted)},
    )
