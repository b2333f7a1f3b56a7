"""Quiz specs (difficulty), presets, and building quizzes of degraded synthetic lesions.

Difficulty has eight dials (DESIGN.md §5): which classes are asked (all seven, a subset, or the
binary benign/malignant question), how many answer options, the degradation severity range,
whether the patient profile is shown, a time limit per case, the case mix (balanced or real
prevalence), hard-case selection (cases the auditor classifier finds ambiguous), and
validated-only images. A ninth, typical cases, samples the generative models with truncation
(engine.generator) so each image shows its diagnosis's cues more plainly; it does not change
phantoms.

Presets, from our judgement of what each stage of training needs:
- beginner: benign or malignant over mel, nv, bkl (the commonest pigmented lesions); 2 options;
  severity 0-1; profile shown; no time limit; balanced; typical cases.
- intermediate: mel, nv, bkl, bcc, akiec; 3 options; severity 0-2; profile shown; 90 s; balanced.
- advanced: all seven; 5 options; severity 1-3; profile hidden; 60 s; balanced.
- expert: all seven; 7 options; severity 2-4; profile hidden; 30 s; realistic mix; hard cases.

`validated_only` is not applied here (new images are unvalidated by definition): it travels in
`QuizSpec.to_dict()` into the stored quiz's settings, and the store then shows trainees only
the items an expert approved.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine.degrade import degrade
from engine.profiles import PatientProfile, ProfileSampler
from engine.quiz_items import QuizItem
from engine.refusals import Phrase, Refusal, phrase
from engine.scoring import BINARY_LABELS
from engine.sources import ImageSource, Scorer
from engine.vocabulary import DIAGNOSES, MALIGNANT

ANSWER_MODES = ("diagnosis", "binary")
CASE_MIXES = ("balanced", "realistic")
# Hard-case selection renders this many candidates per item and keeps the most ambiguous.
HARD_CASE_POOL = 3
# Truncation of typical cases: with the shipped GAN it raises the auditor's conditional accuracy
# from 0.83 to 0.89, every class to 0.78 or more, at the cost of variety within a class; at 0.5
# the images came significantly close to the training phantoms (docs/benchmark.md).
TYPICAL_TRUNCATION = 0.7
MAX_ITEMS = 200

# For each diagnosis, the others in the order trainees confuse them with it (most first):
# mel/nv, bkl/mel, bcc/akiec, df/nv, vasc/mel and the rest of the look-alikes in the teaching
# texts. Distractors are drawn from the classes asked, favouring the front of the list.
CONFUSABLE: dict[str, tuple[str, ...]] = {
    "mel": ("nv", "bkl", "bcc", "vasc", "df", "akiec"),
    "nv": ("mel", "df", "bkl", "bcc", "vasc", "akiec"),
    "bkl": ("mel", "akiec", "nv", "bcc", "df", "vasc"),
    "bcc": ("akiec", "mel", "nv", "bkl", "vasc", "df"),
    "akiec": ("bcc", "bkl", "mel", "df", "nv", "vasc"),
    "df": ("nv", "mel", "bcc", "vasc", "bkl", "akiec"),
    "vasc": ("mel", "bcc", "df", "nv", "bkl", "akiec"),
}


@dataclass(frozen=True)
class QuizSpec:
    """The difficulty of a quiz; validated on creation with messages naming the field."""

    name: str = "custom"
    classes: tuple[str, ...] = DIAGNOSES
    answer_mode: str = "diagnosis"
    n_options: int = 4
    severity_range: tuple[int, int] = (0, 2)
    show_profile: bool = True
    time_limit_seconds: float | None = None
    case_mix: str = "balanced"
    hard_cases: bool = False
    typical_cases: bool = False
    validated_only: bool = False
    n_items: int = 20

    def __post_init__(self) -> None:
        object.__setattr__(self, "classes", tuple(self.classes))
        object.__setattr__(self, "severity_range", tuple(self.severity_range))
        problems = _spec_problems(self)
        if problems:
            raise Refusal("refusal.quiz_spec.invalid", name=repr(self.name),
                          problems=tuple(problems))

    @property
    def answer_labels(self) -> tuple[str, ...]:
        """What the trainee chooses from: the classes asked, or benign / malignant."""
        return BINARY_LABELS if self.answer_mode == "binary" else self.classes

    def with_changes(self, **changes) -> QuizSpec:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["classes"] = list(self.classes)
        data["severity_range"] = list(self.severity_range)
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> QuizSpec:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(
                f"unknown quiz spec field(s) {', '.join(sorted(unknown))}; known: "
                f"{', '.join(cls.__dataclass_fields__)}"
            )
        return cls(**data)


def _spec_problems(spec: QuizSpec) -> list[Phrase]:
    """What is wrong with the spec, one phrase per field (an educator may read them)."""
    problems = []
    unknown = [c for c in spec.classes if c not in DIAGNOSES]
    if unknown or len(set(spec.classes)) != len(spec.classes):
        problems.append(phrase("refusal.quiz_spec.classes", classes=str(list(spec.classes)),
                               diagnoses=", ".join(DIAGNOSES)))
    if spec.answer_mode not in ANSWER_MODES:
        problems.append(phrase("refusal.quiz_spec.answer_mode", answer_mode=repr(spec.answer_mode),
                               modes=", ".join(ANSWER_MODES)))
    elif spec.answer_mode == "binary":
        kinds = {dx in MALIGNANT for dx in spec.classes}
        if kinds != {True, False}:
            problems.append(phrase("refusal.quiz_spec.binary_classes"))
        if spec.n_options != 2:
            problems.append(phrase("refusal.quiz_spec.binary_options",
                                   n_options=spec.n_options))
    elif len(spec.classes) < 2:
        problems.append(phrase("refusal.quiz_spec.too_few_classes"))
    elif not 2 <= spec.n_options <= len(spec.classes):
        problems.append(phrase("refusal.quiz_spec.options", n_options=spec.n_options,
                               classes=len(spec.classes)))
    low, high = (spec.severity_range + (None, None))[:2]
    if len(spec.severity_range) != 2 or not (
            isinstance(low, int) and isinstance(high, int) and 0 <= low <= high <= 4):
        problems.append(phrase("refusal.quiz_spec.severity",
                               severity_range=repr(spec.severity_range)))
    if spec.time_limit_seconds is not None and not 5 <= spec.time_limit_seconds <= 3600:
        problems.append(phrase("refusal.quiz_spec.time_limit",
                               seconds=repr(spec.time_limit_seconds)))
    if spec.case_mix not in CASE_MIXES:
        problems.append(phrase("refusal.quiz_spec.case_mix", case_mix=repr(spec.case_mix),
                               mixes=", ".join(CASE_MIXES)))
    if not isinstance(spec.n_items, int) or not 1 <= spec.n_items <= MAX_ITEMS:
        problems.append(phrase("refusal.quiz_spec.items", n_items=repr(spec.n_items),
                               maximum=MAX_ITEMS))
    return problems


PRESETS: dict[str, QuizSpec] = {
    "beginner": QuizSpec(
        name="beginner", classes=("mel", "nv", "bkl"), answer_mode="binary", n_options=2,
        severity_range=(0, 1), show_profile=True, time_limit_seconds=None,
        case_mix="balanced", typical_cases=True),
    "intermediate": QuizSpec(
        name="intermediate", classes=("mel", "nv", "bkl", "bcc", "akiec"), n_options=3,
        severity_range=(0, 2), show_profile=True, time_limit_seconds=90, case_mix="balanced"),
    "advanced": QuizSpec(
        name="advanced", classes=DIAGNOSES, n_options=5, severity_range=(1, 3),
        show_profile=False, time_limit_seconds=60, case_mix="balanced"),
    "expert": QuizSpec(
        name="expert", classes=DIAGNOSES, n_options=7, severity_range=(2, 4),
        show_profile=False, time_limit_seconds=30, case_mix="realistic", hard_cases=True),
}


def preset(name: str) -> QuizSpec:
    """A preset spec by (case-insensitive) name."""
    try:
        return PRESETS[name.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None


@dataclass(frozen=True)
class Quiz:
    """Built items plus the spec and seed that rebuild them, and seconds spent per stage."""

    spec: QuizSpec
    seed: int
    items: tuple[QuizItem, ...]
    timings: Mapping[str, float]


def build_quiz(
    spec: QuizSpec,
    *,
    seed: int,
    source: ImageSource,
    sampler: ProfileSampler | None = None,
    auditor: Scorer | None = None,
) -> Quiz:
    """Build `spec.n_items` items; the same spec, seed and source give the same quiz.

    source: where images come from (see engine.sources; never chosen silently here).
    auditor: class probabilities for images; required when `spec.hard_cases` is set.
    """
    if spec.hard_cases and auditor is None:
        raise ValueError(
            "this quiz spec asks for hard cases, which needs an auditor classifier "
            "(engine.sources.auditor_scorer, from models/auditor-128); pass auditor=... or "
            "turn hard_cases off"
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    sampler = sampler or ProfileSampler.default()
    timings: dict[str, float] = {}
    rng = np.random.default_rng(seed)
    pool = spec.n_items * (HARD_CASE_POOL if spec.hard_cases else 1)

    started = time.perf_counter()
    profiles = sampler.sample(n=pool, class_mix=_class_mix(spec, sampler), seed=rng)
    render_seed = int(rng.integers(0, 2**31 - 1))
    item_seeds = [int(s) for s in rng.integers(0, 2**31 - 1, size=pool)]
    severities = _severities(spec, pool, rng)
    timings["sampling"] = time.perf_counter() - started

    started = time.perf_counter()
    truncation = TYPICAL_TRUNCATION if spec.typical_cases else 1.0
    rendered = source.render(profiles, seed=render_seed, truncation=truncation)
    timings["generation"] = time.perf_counter() - started

    started = time.perf_counter()
    degraded = [degrade(image, severity=int(level), seed=item_seed)
                for image, level, item_seed in zip(rendered.images, severities, item_seeds,
                                                   strict=True)]
    timings["degradation"] = time.perf_counter() - started

    keep, margins = list(range(spec.n_items)), [None] * pool
    if spec.hard_cases:
        started = time.perf_counter()
        margins = auditor_margins(auditor, np.stack([d.image for d in degraded]), profiles)
        keep = _hardest_keeping_mix(profiles, margins, spec.n_items)
        timings["hard_case_selection"] = time.perf_counter() - started

    items = tuple(
        QuizItem(
            profile=profiles[i],
            seed=item_seeds[i],
            source={**source.record(), "render_seed": render_seed, "render_index": i,
                    "truncation": truncation},
            degradation=degraded[i].to_dict(),
            clean_image=rendered.images[i],
            degraded_image=degraded[i].image,
            correct_answer=_answer_label(spec, profiles[i].dx),
            options=_options(spec, profiles[i].dx, rng),
            criteria=rendered.criteria[i],
            auditor_margin=margins[i],
        )
        for i in keep
    )
    return Quiz(spec=spec, seed=int(seed), items=items, timings=timings)


def auditor_margins(
    auditor: Scorer, images: np.ndarray, profiles: list[PatientProfile]
) -> list[float]:
    """Probability of the true class minus the best other class: small or negative = hard."""
    probabilities = np.asarray(auditor(images), dtype=float)
    if probabilities.shape != (len(profiles), len(DIAGNOSES)):
        raise ValueError(
            f"the auditor returned shape {probabilities.shape}; expected "
            f"({len(profiles)}, {len(DIAGNOSES)}) class probabilities"
        )
    margins = []
    for row, profile in zip(probabilities, profiles, strict=True):
        truth = DIAGNOSES.index(profile.dx)
        margins.append(float(row[truth] - np.delete(row, truth).max()))
    return margins


def _hardest_keeping_mix(profiles: list[PatientProfile], margins: list[float],
                         n: int) -> list[int]:
    """Indices of the n lowest-margin candidates, with the class counts of the first n."""
    wanted: dict[str, int] = {}
    for profile in profiles[:n]:
        wanted[profile.dx] = wanted.get(profile.dx, 0) + 1
    chosen = []
    for dx, count in wanted.items():
        candidates = [i for i, p in enumerate(profiles) if p.dx == dx]
        chosen.extend(sorted(candidates, key=lambda i: (margins[i], i))[:count])
    return sorted(chosen)


def _class_mix(spec: QuizSpec, sampler: ProfileSampler) -> dict[str, float]:
    if spec.case_mix == "realistic":
        prevalence = sampler.marginal("dx")
        return {dx: prevalence[dx] for dx in spec.classes}
    if spec.answer_mode == "binary":
        # half malignant, half benign, each half shared equally by its classes
        malignant = [dx for dx in spec.classes if dx in MALIGNANT]
        benign = [dx for dx in spec.classes if dx not in MALIGNANT]
        return {dx: 0.5 / len(malignant if dx in MALIGNANT else benign) for dx in spec.classes}
    return {dx: 1.0 for dx in spec.classes}


def _severities(spec: QuizSpec, n: int, rng: np.random.Generator) -> np.ndarray:
    """Severity levels spread evenly over the range (so accuracy by severity has data)."""
    low, high = spec.severity_range
    levels = np.resize(np.arange(low, high + 1), n)
    return rng.permutation(levels)


def _answer_label(spec: QuizSpec, dx: str) -> str:
    if spec.answer_mode == "binary":
        return "malignant" if dx in MALIGNANT else "benign"
    return dx


def _options(spec: QuizSpec, dx: str, rng: np.random.Generator) -> tuple[str, ...]:
    """The right answer and n_options - 1 distractors, favouring confusable classes."""
    if spec.answer_mode == "binary":
        return BINARY_LABELS
    others = [c for c in CONFUSABLE[dx] if c in spec.classes]
    # weight 1, 1/2, 1/3 ... by confusability rank
    weights = 1.0 / np.arange(1, len(others) + 1)
    picked = rng.choice(len(others), size=spec.n_options - 1, replace=False,
                        p=weights / weights.sum())
    options = [dx, *(others[i] for i in picked)]
    return tuple(options[i] for i in rng.permutation(len(options)))

