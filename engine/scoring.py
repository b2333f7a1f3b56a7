"""Scoring answers and attempts.

Each answer records the diagnosis given, the management chosen, a confidence (0-100) and the
time taken. The answer space is the quiz's: diagnosis codes (akiec ... vasc) or, in binary
quizzes, "benign" / "malignant".

Definitions (see DESIGN.md §5):
- accuracy: share of correct diagnoses.
- balanced accuracy: mean recall over the classes asked that occur among the right answers
  (a class asked but never shown has no recall; this matches scikit-learn).
- sensitivity / specificity: malignant vs benign, by the malignancy of the answer given
  (answering "bcc" for a melanoma is wrong but still flags it as malignant). None without any
  malignant (resp. benign) case.
- management: the right decision is "excise" (excise or biopsy) for malignant lesions (mel, bcc,
  akiec) and "monitor" for benign ones. This is a teaching simplification: a benign lesion that
  bleeds, itches or worries the patient may be excised too, and akiec is often treated without
  surgery (cryotherapy, topical therapy); the quiz asks "does this need tissue?".
- Brier score: the confidence is read as the probability that the chosen answer is right, so
  the score is mean((confidence/100 - correct)^2); 0 is perfect, 0.25 is a constant 50 %.
  Multi-class Brier scores need a full probability vector, which trainees do not give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.vocabulary import DIAGNOSES, MALIGNANT

EXCISE = "excise"
MONITOR = "monitor"
MANAGEMENTS: tuple[str, ...] = (EXCISE, MONITOR)
BINARY_LABELS: tuple[str, ...] = ("benign", "malignant")


def is_malignant_label(label: str) -> bool:
    """Malignancy of an answer label: a diagnosis code or "benign" / "malignant"."""
    if label == "malignant":
        return True
    if label == "benign":
        return False
    if label not in DIAGNOSES:
        raise ValueError(
            f"unknown answer {label!r}; expected a diagnosis ({', '.join(DIAGNOSES)}) "
            "or benign / malignant"
        )
    return label in MALIGNANT


def correct_management(label: str) -> str:
    """"excise" for a malignant diagnosis (or "malignant"), "monitor" otherwise."""
    return EXCISE if is_malignant_label(label) else MONITOR


@dataclass(frozen=True)
class Response:
    """One answer to one item. `truth` and `given` are labels in the quiz's answer space."""

    truth: str
    given: str
    management: str
    confidence: float
    time_seconds: float
    severity: int = 0

    def __post_init__(self) -> None:
        is_malignant_label(self.truth)
        is_malignant_label(self.given)
        if self.management not in MANAGEMENTS:
            raise ValueError(
                f"management {self.management!r} must be one of {', '.join(MANAGEMENTS)}"
            )
        if not 0 <= self.confidence <= 100:
            raise ValueError(f"confidence {self.confidence!r} must be from 0 to 100")
        if not self.time_seconds >= 0:
            raise ValueError(f"time {self.time_seconds!r} s must be 0 or more")

    @property
    def correct(self) -> bool:
        return self.given == self.truth

    @property
    def management_correct(self) -> bool:
        return self.management == correct_management(self.truth)

    @property
    def brier(self) -> float:
        return (self.confidence / 100 - float(self.correct)) ** 2


@dataclass(frozen=True)
class AttemptScore:
    """Every figure of one attempt; `to_dict` is JSON-friendly for the store and dashboards."""

    n: int
    accuracy: float
    balanced_accuracy: float
    sensitivity: float | None
    specificity: float | None
    management_accuracy: float
    brier: float
    mean_time_seconds: float
    over_time: int
    accuracy_by_severity: dict[int, float]
    recall_by_class: dict[str, float]
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]

    def to_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["accuracy_by_severity"] = {str(k): v for k, v in self.accuracy_by_severity.items()}
        data["labels"] = list(self.labels)
        data["confusion"] = [list(row) for row in self.confusion]
        return data


def score_attempt(
    *,
    responses: Sequence[Response],
    classes: Sequence[str],
    time_limit_seconds: float | None = None,
) -> AttemptScore:
    """Score the answers of one attempt over the classes asked (the confusion matrix's labels).

    Raises ValueError naming the answer whose truth or given label is not among the classes.
    """
    classes = tuple(classes)
    if not responses:
        raise ValueError("an attempt needs at least one answer to be scored")
    if len(set(classes)) != len(classes) or len(classes) < 2:
        raise ValueError(f"classes {classes!r} must be at least two distinct labels")
    for position, response in enumerate(responses):
        for role, label in (("right answer", response.truth), ("answer", response.given)):
            if label not in classes:
                raise ValueError(
                    f"answer {position + 1}: {role} {label!r} is not among the classes asked "
                    f"({', '.join(classes)})"
                )
    truth = np.array([classes.index(r.truth) for r in responses])
    given = np.array([classes.index(r.given) for r in responses])
    confusion = np.zeros((len(classes), len(classes)), dtype=int)
    np.add.at(confusion, (truth, given), 1)
    shown = confusion.sum(axis=1) > 0
    recalls = np.diag(confusion)[shown] / confusion.sum(axis=1)[shown]

    malignant_truth = np.array([is_malignant_label(r.truth) for r in responses])
    malignant_given = np.array([is_malignant_label(r.given) for r in responses])
    correct = truth == given
    severities = np.array([r.severity for r in responses])
    times = np.array([r.time_seconds for r in responses], dtype=float)
    return AttemptScore(
        n=len(responses),
        accuracy=float(correct.mean()),
        balanced_accuracy=float(recalls.mean()),
        sensitivity=_share(malignant_given[malignant_truth]),
        specificity=_share(~malignant_given[~malignant_truth]),
        management_accuracy=float(np.mean([r.management_correct for r in responses])),
        brier=float(np.mean([r.brier for r in responses])),
        mean_time_seconds=float(times.mean()),
        over_time=int((times > time_limit_seconds).sum()) if time_limit_seconds else 0,
        accuracy_by_severity={
            int(level): float(correct[severities == level].mean())
            for level in np.unique(severities)
        },
        recall_by_class={
            label: float(confusion[i, i] / confusion[i].sum())
            for i, label in enumerate(classes) if shown[i]
        },
        labels=classes,
        confusion=tuple(tuple(int(v) for v in row) for row in confusion),
    )


def _share(values: np.ndarray) -> float | None:
    return float(values.mean()) if values.size else None
