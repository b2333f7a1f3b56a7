"""Designing quizzes: a QuizSpec plus how the quiz is presented, the image source, the items.

The image source is the shipped GAN; while no checkpoint is installed the phantom renderer is
used and labelled as such (every item records the source and the reason).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from engine.quiz import QuizSpec, build_quiz
from engine.quiz_items import QuizItem
from engine.services.runtime import Runtime
from engine.sources import auditor_scorer, default_source
from engine.store.items import NewItem

FEEDBACK_MODES = ("each", "end")
PREVIEW_ITEMS = 3
# Below this conditional accuracy (the evaluation issue's per-class target) a model's images of
# a skin type are too often read as another diagnosis to teach with unreviewed.
RELIABLE_ACCURACY = 0.75


@dataclass(frozen=True)
class QuizDesign:
    """A quiz as an educator designs it: the difficulty (spec) and the presentation."""

    spec: QuizSpec
    feedback: str = "each"
    second_opinion: bool = False
    pass_mark: float = 0.7

    def __post_init__(self) -> None:
        if self.feedback not in FEEDBACK_MODES:
            raise ValueError(f"feedback {self.feedback!r} must be one of {FEEDBACK_MODES}")
        if not 0 < self.pass_mark <= 1:
            raise ValueError(f"pass_mark {self.pass_mark} must be above 0 and at most 1")

    def settings(self) -> dict:
        """The stored quiz's settings: what the practice page and the store read."""
        return {
            "feedback": self.feedback, "second_opinion": self.second_opinion,
            "pass_mark": self.pass_mark, "show_profile": self.spec.show_profile,
            "time_limit_s": self.spec.time_limit_seconds,
            "validated_only": self.spec.validated_only, "preset": self.spec.name,
        }


@cache
def _source(models_dir: Path):
    return default_source(models_dir, allow_phantom_fallback=True)


def image_source(*, runtime: Runtime):
    """The shipped GAN, or phantoms (labelled with the reason) while it is not installed."""
    return _source(runtime.config.models_dir)


@dataclass(frozen=True)
class SourceInfo:
    """Which image source quizzes use; `fallback` is True while phantoms stand in for the GAN."""

    name: str
    generator_id: str
    version: str
    fallback: bool
    weak_skin_types: tuple[int, ...] = ()


def source_info(*, runtime: Runtime) -> SourceInfo:
    return _source_info(runtime.config.models_dir)


@cache
def _source_info(models_dir: Path) -> SourceInfo:
    """Once per models folder, like the source itself: the page asks on every rerun."""
    source = _source(models_dir)
    generator = getattr(source, "generator", None)
    weak = () if generator is None else weak_skin_types(generator.folder)
    return SourceInfo(source.name, source.generator_id, source.version,
                      source.fallback_reason is not None, weak)


def weak_skin_types(folder: Path) -> tuple[int, ...]:
    """Fitzpatrick types on which the model's evaluation (the `evaluation` block of its
    metrics.json, when recorded) found conditional accuracy below RELIABLE_ACCURACY."""
    try:
        recorded = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return ()
    by_type = recorded.get("evaluation", {}).get("conditional_accuracy_by_skin_type", {})
    return tuple(sorted(int(skin_type) for skin_type, accuracy in by_type.items()
                        if accuracy < RELIABLE_ACCURACY))


def build_items(*, runtime: Runtime, spec: QuizSpec, seed: int) -> tuple[QuizItem, ...]:
    auditor = auditor_scorer(runtime.config.models_dir) if spec.hard_cases else None
    return build_quiz(spec, seed=seed, source=image_source(runtime=runtime),
                      auditor=auditor).items


def make_items(*, runtime: Runtime, design: QuizDesign, seed: int) -> list[NewItem]:
    """The quiz's items, ready for the store."""
    return [NewItem(**item.to_dict()) for item in build_items(
        runtime=runtime, spec=design.spec, seed=seed)]


def preview(*, runtime: Runtime, design: QuizDesign, seed: int) -> tuple[QuizItem, ...]:
    """A few items at the design's settings (hard-case selection off: it needs the auditor)."""
    spec = design.spec.with_changes(n_items=PREVIEW_ITEMS, hard_cases=False)
    return build_items(runtime=runtime, spec=spec, seed=seed)
