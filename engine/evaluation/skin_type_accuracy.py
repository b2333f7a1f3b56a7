"""Conditional accuracy per Fitzpatrick skin type: is each diagnosis drawn as recognisably on
dark skin as on light?

The overall conditional accuracy can hide a generator that fails on the skin types it saw least
(types 5 and 6 are rare in the HAM10000-derived profile prior). The value is the lowest accuracy
over the skin types with at least MIN_IMAGES generated images; details give every type's
accuracy and count, and per type the accuracy of each diagnosis. The floor is the same on the
held-out real images when they record skin types (phantom data sets do; HAM10000 does not).
"""

from __future__ import annotations

from engine.evaluation.conditional_accuracy import per_class_accuracy
from engine.evaluation.inputs import EvaluationInputs, MetricResult, SampleSet
from engine.vocabulary import SKIN_TYPES

# Fewer images than this in a skin type give an accuracy too noisy to call the worst.
MIN_IMAGES = 20


def accuracy_by_skin_type(sample: SampleSet) -> dict[int, dict]:
    """Per skin type present: accuracy, image count and per-diagnosis accuracy."""
    if sample.skin_types is None:
        raise ValueError(f"sample set {sample.name!r} records no skin types")
    predicted = sample.probabilities.argmax(axis=1)
    table = {}
    for skin_type in SKIN_TYPES:
        members = sample.skin_types == skin_type
        if not members.any():
            continue
        overall, per_class = per_class_accuracy(conditioned=sample.labels[members],
                                                predicted=predicted[members])
        table[skin_type] = {"accuracy": overall, "images": int(members.sum()),
                            "per_class": per_class}
    return table


def lowest_accuracy(table: dict[int, dict]) -> float:
    """The worst accuracy among skin types with enough images (NaN when none has)."""
    counted = [row["accuracy"] for row in table.values() if row["images"] >= MIN_IMAGES]
    return min(counted) if counted else float("nan")


def skin_type_accuracy_metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
    table = accuracy_by_skin_type(inputs.candidate)
    floor_table = (accuracy_by_skin_type(inputs.holdout)
                   if inputs.holdout.skin_types is not None else None)
    return MetricResult(
        name="skin_type_accuracy", value=lowest_accuracy(table),
        floor=None if floor_table is None else lowest_accuracy(floor_table),
        higher_is_better=True,
        details={"by_skin_type": table, "floor_by_skin_type": floor_table,
                 "min_images": MIN_IMAGES})
