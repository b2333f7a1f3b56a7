"""Adaptive practice: spaced repetition, a difficulty staircase, and item difficulty.

- `PracticeDeck` keeps one trainee's FSRS cards (the `fsrs` package): one card per diagnosis
  (weak classes come back sooner) and one per missed item (missed cases come back). Its state
  is plain JSON, stored per trainee.
- `DifficultyController` is a weighted up-down staircase (Kaernbach 1991): a right answer moves
  one step harder, a wrong one `target / (1 - target)` steps easier, which settles where the
  trainee is right `target` (77.5 %) of the time. Levels raise severity and answer options
  together.
- `estimate_item_difficulty` fits a Rasch model (P(right) = sigmoid(ability - difficulty)) to
  the answers so far; items with enough answers get a difficulty used for hard-case selection.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from fsrs import Card, Rating, Scheduler

from engine.quiz import QuizSpec
from engine.vocabulary import DIAGNOSES

DECK_FORMAT_VERSION = 1
CLASS_PREFIX = "class:"
ITEM_PREFIX = "item:"
# Confidence (0-100) below which a right answer counts as a hesitant ("hard") recall, and at or
# above which it counts as easy.
HESITANT_BELOW = 50
SURE_FROM = 90


def rating_for(*, correct: bool, confidence: float) -> Rating:
    """FSRS rating of an answer: wrong -> Again; right and unsure -> Hard; sure -> Easy."""
    if not correct:
        return Rating.Again
    if confidence < HESITANT_BELOW:
        return Rating.Hard
    return Rating.Easy if confidence >= SURE_FROM else Rating.Good


class PracticeDeck:
    """One trainee's spaced-repetition cards, keyed "class:<dx>" and "item:<item id>"."""

    def __init__(self, *, cards: Mapping[str, Card] | None = None,
                 desired_retention: float = 0.9) -> None:
        if not 0.5 <= desired_retention < 1:
            raise ValueError(f"desired_retention {desired_retention} must be in [0.5, 1)")
        # No fuzzing: the same answers on the same dates always give the same schedule.
        self.scheduler = Scheduler(desired_retention=desired_retention, enable_fuzzing=False)
        self.cards: dict[str, Card] = dict(cards or {})

    def record(self, *, dx: str, item_key: str | None, correct: bool, confidence: float,
               when: datetime) -> None:
        """Review the diagnosis card and, if the item was missed before or now, its card."""
        if dx not in DIAGNOSES:
            raise ValueError(f"dx {dx!r} must be one of {', '.join(DIAGNOSES)}")
        _check_aware(when)
        rating = rating_for(correct=correct, confidence=confidence)
        keys = [CLASS_PREFIX + dx]
        if item_key is not None and (not correct or ITEM_PREFIX + item_key in self.cards):
            keys.append(ITEM_PREFIX + item_key)
        for key in keys:
            card = self.cards.get(key) or Card(card_id=zlib.crc32(key.encode()), due=when)
            self.cards[key], _ = self.scheduler.review_card(card, rating, when)

    def due(self, *, now: datetime, prefix: str = "") -> list[str]:
        """Keys due at `now` (most overdue first), optionally only those with a prefix."""
        _check_aware(now)
        ready = [(card.due, key) for key, card in self.cards.items()
                 if key.startswith(prefix) and card.due <= now]
        return [key for _, key in sorted(ready)]

    def missed_items_due(self, *, now: datetime) -> list[str]:
        return [key.removeprefix(ITEM_PREFIX) for key in self.due(now=now, prefix=ITEM_PREFIX)]

    def class_mix(self, *, now: datetime, classes: Sequence[str] = DIAGNOSES) -> dict[str, float]:
        """Practice weights per diagnosis: weak and fading classes get more cases.

        Weight = 1.1 - retrievability (FSRS's probability of recall now) + difficulty / 10
        (FSRS's 1-10 difficulty, which rises with every miss); a class never practised counts
        as half-recalled and of middling difficulty. Usable as `class_mix` of
        `ProfileSampler.sample`.
        """
        _check_aware(now)
        weights = {}
        for dx in classes:
            card = self.cards.get(CLASS_PREFIX + dx)
            if card is None:
                recall, difficulty = 0.5, 5.0
            else:
                recall = self.scheduler.get_card_retrievability(card, now)
                difficulty = card.difficulty
            weights[dx] = 1.1 - recall + difficulty / 10
        total = sum(weights.values())
        return {dx: weight / total for dx, weight in weights.items()}

    def to_dict(self) -> dict:
        return {
            "format_version": DECK_FORMAT_VERSION,
            "desired_retention": self.scheduler.desired_retention,
            "cards": {key: card.to_dict() for key, card in sorted(self.cards.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> PracticeDeck:
        if data.get("format_version") != DECK_FORMAT_VERSION:
            raise ValueError(
                f"practice deck format {data.get('format_version')!r} is not supported "
                f"(expected {DECK_FORMAT_VERSION})"
            )
        try:
            cards = {key: Card.from_dict(value) for key, value in data["cards"].items()}
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"practice deck has a damaged card: {error!r}") from None
        return cls(cards=cards, desired_retention=data["desired_retention"])


def _check_aware(moment: datetime) -> None:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError(f"{moment!r} must be a timezone-aware datetime (e.g. UTC)")


# ----- difficulty staircase -----------------------------------------------------------------

# (severity, answer options), easiest first. Options are capped by the classes a quiz asks.
DIFFICULTY_LADDER: tuple[tuple[int, int], ...] = (
    (0, 2), (0, 3), (1, 3), (1, 4), (2, 4), (2, 5), (3, 5), (3, 6), (4, 6), (4, 7),
)


@dataclass(frozen=True)
class DifficultyController:
    """Weighted up-down staircase on DIFFICULTY_LADDER; immutable, `updated` returns the next.

    position: a real number, rounded to the rung in use; step: rungs per right answer.
    """

    target: float = 0.775
    step: float = 0.5
    position: float = 0.0

    def __post_init__(self) -> None:
        if not 0.5 < self.target < 0.95:
            raise ValueError(f"target accuracy {self.target} must be between 0.5 and 0.95")
        if not 0 < self.step <= 2:
            raise ValueError(f"step {self.step} must be in (0, 2]")
        if not 0 <= self.position <= len(DIFFICULTY_LADDER) - 1:
            raise ValueError(
                f"position {self.position} must be in [0, {len(DIFFICULTY_LADDER) - 1}]"
            )

    @property
    def level(self) -> int:
        return int(round(self.position))

    @property
    def severity(self) -> int:
        return DIFFICULTY_LADDER[self.level][0]

    def options(self, *, classes_asked: int) -> int:
        return min(DIFFICULTY_LADDER[self.level][1], classes_asked)

    def updated(self, *, correct: bool) -> DifficultyController:
        down = self.step * self.target / (1 - self.target)
        moved = self.position + self.step if correct else self.position - down
        return replace(self, position=float(np.clip(moved, 0, len(DIFFICULTY_LADDER) - 1)))

    def applied_to(self, spec: QuizSpec) -> QuizSpec:
        """The spec at this rung: one severity level and (diagnosis quizzes) more options."""
        changes = {"severity_range": (self.severity, self.severity)}
        if spec.answer_mode == "diagnosis":
            changes["n_options"] = self.options(classes_asked=len(spec.classes))
        return spec.with_changes(**changes)

    def after(self, answers: Iterable[bool]) -> DifficultyController:
        controller = self
        for correct in answers:
            controller = controller.updated(correct=bool(correct))
        return controller

    def to_dict(self) -> dict:
        return {"target": self.target, "step": self.step, "position": self.position}

    @classmethod
    def from_dict(cls, data: Mapping) -> DifficultyController:
        return cls(**{key: float(data[key]) for key in ("target", "step", "position")})


# ----- item difficulty (Rasch) --------------------------------------------------------------


@dataclass(frozen=True)
class ItemDifficulty:
    """Rasch difficulty in logits (0 = average item; higher = harder) and its evidence."""

    item: str
    difficulty: float
    answers: int
    share_correct: float


def estimate_item_difficulty(
    *,
    responses: Sequence[tuple[str, str, bool]],
    min_answers: int = 10,
    prior_sd: float = 2.0,
    iterations: int = 200,
) -> dict[str, ItemDifficulty]:
    """Fit a Rasch model to (trainee, item, correct) triples; items with >= min_answers.

    Maximum a posteriori with Normal(0, prior_sd) priors on abilities and difficulties, so a
    trainee or item with all answers right (or wrong) gets a finite estimate; fitted by
    alternating Newton steps. Difficulties are centred on the mean item.
    """
    if min_answers < 1:
        raise ValueError(f"min_answers {min_answers} must be at least 1")
    if not responses:
        return {}
    trainees, trainee_index = np.unique([str(r[0]) for r in responses], return_inverse=True)
    items, item_index = np.unique([str(r[1]) for r in responses], return_inverse=True)
    outcome = np.array([bool(r[2]) for r in responses], dtype=float)
    ability = np.zeros(len(trainees))
    difficulty = np.zeros(len(items))
    precision = 1.0 / prior_sd**2
    for _ in range(iterations):
        largest_change = 0.0
        for values, index, sign in ((ability, trainee_index, 1.0),
                                    (difficulty, item_index, -1.0)):
            p = 1.0 / (1.0 + np.exp(difficulty[item_index] - ability[trainee_index]))
            gradient = sign * np.bincount(index, outcome - p, len(values)) - precision * values
            curvature = np.bincount(index, p * (1 - p), len(values)) + precision
            change = gradient / curvature
            values += change
            largest_change = max(largest_change, float(np.abs(change).max()))
        if largest_change < 1e-8:
            break
    difficulty -= difficulty.mean()
    counts = np.bincount(item_index, minlength=len(items))
    right = np.bincount(item_index, outcome, len(items))
    return {
        str(item): ItemDifficulty(str(item), float(difficulty[i]), int(counts[i]),
                                  float(right[i] / counts[i]))
        for i, item in enumerate(items) if counts[i] >= min_answers
    }


def hardest_items(
    *, difficulties: Mapping[str, ItemDifficulty], candidates: Iterable[str], n: int
) -> list[str]:
    """The n hardest candidates with an estimate; fewer if fewer have one (never padded)."""
    rated = [item for item in candidates if item in difficulties]
    rated.sort(key=lambda item: (-difficulties[item].difficulty, item))
    return rated[:n]
