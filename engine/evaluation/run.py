"""One evaluation: real images split into a reference and a holdout half, each model's images
generated for profiles with the reference's diagnosis mix, measured, and every metric run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.evaluation import samples
from engine.evaluation.cache import ArrayCache, fingerprint
from engine.evaluation.images import LoadedImages, load_images
from engine.evaluation.inputs import EvaluationInputs, MetricResult, SampleSet
from engine.evaluation.registry import METRICS, run_metrics
from engine.vocabulary import DIAGNOSES

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class EvaluationPlan:
    models: tuple[str, ...]
    real: Path
    real_format: str
    n: int = 2000
    train: Path | None = None
    train_format: str | None = None
    seed: int = 0
    metrics: tuple[str, ...] = tuple(METRICS)

    def __post_init__(self) -> None:
        if not self.models:
            raise ValueError("name at least one model folder (or 'phantom') to evaluate")
        if len(set(self.models)) != len(self.models):
            raise ValueError(f"models are named more than once: {', '.join(self.models)}")
        if self.n < 20:
            raise ValueError(f"n = {self.n} is too small; the metrics need at least 20 images")
        for model in self.models:
            samples.split_truncation(model)
        unknown = set(self.metrics) - set(METRICS)
        if unknown:
            raise ValueError(f"unknown metrics {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(METRICS)}")


@dataclass(frozen=True)
class ModelEvaluation:
    model: str
    results: dict[str, MetricResult]
    candidate: SampleSet


@dataclass(frozen=True)
class Evaluation:
    plan: EvaluationPlan
    reference: SampleSet
    holdout: SampleSet
    training: SampleSet | None
    models: tuple[ModelEvaluation, ...]


def _split_halves(loaded: LoadedImages, *, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two disjoint halves of equal size, whole groups (lesions / patients) on one side."""
    from engine.datasets import split_by_group

    first, second = split_by_group(loaded.table, fractions=(0.5, 0.5), seed=seed)
    size = min(len(first), len(second))
    return first[:size], second[:size]


def _measure_loaded(name, loaded: LoadedImages, positions, *, auditor, inception, cache,
                    progress) -> SampleSet:
    skin_types = loaded.skin_types
    return samples.measure(
        name=name, images=loaded.images[positions], labels=loaded.labels[positions],
        diameter_mm=loaded.diameter_mm[positions],
        skin_types=None if skin_types is None else skin_types[positions],
        auditor=auditor, inception=inception,
        cache=cache, progress=lambda done, total: progress(f"features: {name}", done, total))


def _generated_set(model: str, *, reference: SampleSet, count: int, size: int, seed: int,
                   auditor, inception, cache: ArrayCache, progress) -> SampleSet:
    """The model's images for profiles like the reference's, measured; a rerun reads the cache
    and does not generate again."""
    profiles = samples.profiles_like(reference.labels, count=count, seed=seed)
    labels = np.array([DIAGNOSES.index(p.dx) for p in profiles])
    diameters = np.array([p.diameter_mm for p in profiles])
    skin_types = np.array([p.skin_type for p in profiles], dtype=np.int64)
    key = fingerprint("generated", samples.model_fingerprint(model), auditor.model_id,
                      getattr(inception, "model_id", ""), labels, diameters, seed, size)
    stored = cache.get(key)
    if stored is None:
        images = samples.generate(
            model=model, profiles=profiles, seed=seed, size=size,
            progress=lambda done, total: progress(f"generating: {model}", done, total))
        measured = samples.measure(
            name=model, images=images, labels=labels, diameter_mm=diameters, auditor=auditor,
            inception=inception,
            progress=lambda done, total: progress(f"features: {model}", done, total))
        stored = {name: getattr(measured, name) for name in (
            "features", "probabilities", "measured_diameter_px", "colour_counts", "thumbnails")}
        stored.update(measured.extra_features)
        cache.put(key, stored)
    extra = {"inception": stored["inception"]} if "inception" in stored else {}
    return SampleSet(name=model, labels=labels, diameter_mm=diameters, extra_features=extra,
                     skin_types=skin_types,
                     **{k: v for k, v in stored.items() if k != "inception"})


def evaluate(*, plan: EvaluationPlan, auditor, inception=None, cache_folder: Path,
             progress: Progress) -> Evaluation:
    """Run the plan: load and split real images, generate and measure, compute the metrics."""
    cache = ArrayCache(cache_folder)
    size = auditor.input_size
    real = load_images(plan.real, format=plan.real_format, size=size, limit=2 * plan.n,
                       seed=plan.seed,
                       progress=lambda done, total: progress("loading real images", done, total))
    first, second = _split_halves(real, seed=plan.seed)
    if len(first) < 20:
        raise ValueError(f"{plan.real}: only {len(real.images)} usable real images; "
                         "need at least 40 to split into reference and holdout")
    measured = {"auditor": auditor, "inception": inception, "cache": cache, "progress": progress}
    reference = _measure_loaded("real reference", real, first, **measured)
    holdout = _measure_loaded("real holdout", real, second, **measured)
    training = None
    if plan.train is not None:
        loaded = load_images(plan.train, format=plan.train_format or plan.real_format,
                             size=size, limit=4 * plan.n, seed=plan.seed,
                             progress=lambda done, total: progress("loading training images",
                                                                   done, total))
        training = _measure_loaded("training", loaded, np.arange(len(loaded.images)), **measured)
    count = len(holdout)
    evaluations = []
    for model in plan.models:
        candidate = _generated_set(model, reference=reference, count=count, size=size,
                                   seed=plan.seed, auditor=auditor, inception=inception,
                                   cache=cache, progress=progress)
        inputs = EvaluationInputs(candidate=candidate, reference=reference, holdout=holdout,
                                  training=training)
        results = {}
        for index, name in enumerate(plan.metrics):
            progress(f"metrics: {model}", index, len(plan.metrics))
            results.update(run_metrics(inputs, names=(name,), seed=plan.seed))
        progress(f"metrics: {model}", len(plan.metrics), len(plan.metrics))
        evaluations.append(ModelEvaluation(model=model, results=results, candidate=candidate))
    return Evaluation(plan=plan, reference=reference, holdout=holdout, training=training,
                      models=tuple(evaluations))
