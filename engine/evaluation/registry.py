"""Metric registry: name -> callable(inputs: EvaluationInputs, *, seed: int) -> MetricResult."""

from __future__ import annotations

from collections.abc import Callable

from engine.evaluation import (
    attribute_consistency,
    conditional_accuracy,
    diversity,
    fid,
    kid,
    memorization,
    prdc,
    skin_type_accuracy,
    tstr,
)
from engine.evaluation.inputs import EvaluationInputs, MetricResult

Metric = Callable[..., MetricResult]

METRICS: dict[str, Metric] = {
    "fid": fid.fid_metric,
    "kid": kid.kid_metric,
    "precision": prdc.precision_metric,
    "recall": prdc.recall_metric,
    "density": prdc.density_metric,
    "coverage": prdc.coverage_metric,
    "conditional_accuracy": conditional_accuracy.conditional_accuracy_metric,
    "skin_type_accuracy": skin_type_accuracy.skin_type_accuracy_metric,
    "diameter_consistency": attribute_consistency.diameter_metric,
    "colour_consistency": attribute_consistency.colour_metric,
    "diversity": diversity.diversity_metric,
    "memorization": memorization.memorization_metric,
    "tstr": tstr.tstr_metric,
}

# What a metric needs beyond the candidate, reference and holdout features.
NEEDS: dict[str, Callable[[EvaluationInputs], bool]] = {
    "memorization": lambda inputs: inputs.training is not None,
    "skin_type_accuracy": lambda inputs: inputs.candidate.skin_types is not None,
}


def metric(name: str) -> Metric:
    """The metric registered under `name`, or a ValueError listing the known names."""
    try:
        return METRICS[name]
    except KeyError:
        raise ValueError(f"unknown metric {name!r}; known: {', '.join(METRICS)}") from None


def run_metrics(
    inputs: EvaluationInputs, *, names: tuple[str, ...] = tuple(METRICS), seed: int = 0
) -> dict[str, MetricResult]:
    """Every named metric on `inputs`, except those whose data is missing: memorization without
    a training set, skin-type accuracy without the candidates' skin types."""
    names = tuple(n for n in names if NEEDS.get(n, lambda _: True)(inputs))
    return {name: metric(name)(inputs, seed=seed) for name in names}
