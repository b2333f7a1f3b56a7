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
    "diameter_consistency": attribute_consistency.diameter_metric,
    "colour_consistency": attribute_consistency.colour_metric,
    "diversity": diversity.diversity_metric,
    "memorization": memorization.memorization_metric,
    "tstr": tstr.tstr_metric,
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
    """Every named metric on `inputs`; memorization is skipped when no training set is known."""
    names = tuple(n for n in names if n != "memorization" or inputs.training is not None)
    return {name: metric(name)(inputs, seed=seed) for name in names}
