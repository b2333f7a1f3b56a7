"""Conditional accuracy: does the auditor see the diagnosis each image was conditioned on?

The floor is the auditor's accuracy on held-out real images (with their recorded diagnosis):
a generator cannot be expected to be more recognisable than real lesions.
"""

from __future__ import annotations

import numpy as np

from engine.evaluation.inputs import EvaluationInputs, MetricResult
from engine.vocabulary import DIAGNOSES


def _class_shares(conditioned: np.ndarray, predicted: np.ndarray,
                  n_classes: int) -> dict[int, np.ndarray]:
    """For each conditioned class present, the share of its images read as each class (a row
    of the confusion matrix): per-class accuracy is its diagonal, misreadings the rest."""
    conditioned = np.asarray(conditioned)
    predicted = np.asarray(predicted)
    if conditioned.shape != predicted.shape or conditioned.ndim != 1:
        raise ValueError(f"conditioned labels {conditioned.shape} and predictions "
                         f"{predicted.shape} must be 1-D arrays of the same length")
    if len(conditioned) == 0:
        raise ValueError("no images to score: conditioned labels are empty")
    return {index: np.bincount(predicted[conditioned == index], minlength=n_classes)
            / np.count_nonzero(conditioned == index)
            for index in range(n_classes) if (conditioned == index).any()}


def per_class_accuracy(
    *, conditioned: np.ndarray, predicted: np.ndarray, classes: tuple[str, ...] = DIAGNOSES
) -> tuple[float, dict[str, float]]:
    """Overall share of predictions equal to the condition, and the share per class present."""
    shares = _class_shares(conditioned, predicted, len(classes))
    overall = float(np.mean(np.asarray(conditioned) == np.asarray(predicted)))
    return overall, {classes[index]: float(row[index]) for index, row in shares.items()}


def misreadings(
    *, conditioned: np.ndarray, predicted: np.ndarray, classes: tuple[str, ...] = DIAGNOSES
) -> dict[str, dict[str, float]]:
    """Per conditioned class, the share of its images read as each other class, largest first:
    where a generator's weak class goes tells what it fails to draw."""
    shares = _class_shares(conditioned, predicted, len(classes))
    return {classes[index]: {classes[other]: float(row[other])
                             for other in np.argsort(-row, kind="stable")
                             if other != index and row[other]}
            for index, row in shares.items()}


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
