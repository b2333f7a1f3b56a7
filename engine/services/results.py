"""A trainee's results: per-attempt scores, progress over attempts, weak classes, mistakes,
and how often the AI second opinion helped or misled (Tschandl et al., Nat Med 2020)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.adaptive import CLASS_PREFIX, PracticeDeck
from engine.scoring import AttemptScore, Response, score_attempt
from engine.services.runtime import Runtime
from engine.store import attempts
from engine.store.models import Answer, Attempt, AttemptState, Item, Quiz, utc_now
from engine.store.roles import Actor
from engine.vocabulary import DIAGNOSES

WEAK_RECALL = 0.6
ANSWER_ORDER: tuple[str, ...] = (*DIAGNOSES, "benign", "malignant")


@dataclass(frozen=True)
class AttemptPoint:
    """One finished attempt on the learning curve."""

    attempt_id: int
    index: int
    quiz_title: str
    accuracy: float
    balanced_accuracy: float


@dataclass(frozen=True)
class SecondOpinion:
    """Counts over answers where the AI advice was shown and the trainee could revise."""

    shown: int
    helped: int  # first answer wrong, revised answer right
    misled: int  # first answer right, revised answer wrong


@dataclass(frozen=True)
class Mistake:
    attempt_id: int
    item_id: int
    truth: str
    given: str


@dataclass(frozen=True)
class Progress:
    """Everything the results page shows; `overall` is None before any answer."""

    curve: tuple[AttemptPoint, ...]
    overall: AttemptScore | None
    weak_classes: tuple[str, ...]
    second_opinion: SecondOpinion
    mistakes: tuple[Mistake, ...]
    due_classes: tuple[str, ...]
    due_items: tuple[int, ...]


def attempt_score(*, runtime: Runtime, actor: Actor, attempt_id: int) -> AttemptScore:
    """The score of one attempt over the answer labels its quiz offers."""
    with runtime.database.reading() as session:
        rows = _answered(session=session, actor=actor, attempt_ids=[attempt_id])
        if not rows:
            raise ValueError(f"attempt {attempt_id} has no answers yet")
        quiz = session.get(Quiz, session.get(Attempt, attempt_id).quiz_id)
        return _score(rows, time_limit=(quiz.settings or {}).get("time_limit_s"))


def progress(
    *, runtime: Runtime, actor: Actor, user_id: int | None = None, now: datetime | None = None
) -> Progress:
    """The trainee's progress over all their attempts (an educator may pass a trainee's id)."""
    with runtime.database.reading() as session:
        own = attempts.list_attempts(session=session, actor=actor, user_id=user_id)
        finished = [a for a in own if a.state == AttemptState.FINISHED]
        titles = dict(session.execute(select(Quiz.id, Quiz.title)).all())
        curve = []
        for index, attempt in enumerate(finished, start=1):
            rows = _answered(session=session, actor=actor, attempt_ids=[attempt.id])
            if rows:
                score = _score(rows, time_limit=None)
                curve.append(AttemptPoint(attempt.id, index, titles.get(attempt.quiz_id, ""),
                                          score.accuracy, score.balanced_accuracy))
        rows = _answered(session=session, actor=actor, attempt_ids=[a.id for a in own])
    if not rows:
        return Progress(tuple(curve), None, (), SecondOpinion(0, 0, 0), (), (), ())
    overall = _score(rows, time_limit=None)
    weak = tuple(label for label, recall in overall.recall_by_class.items()
                 if recall < WEAK_RECALL)
    revised = [(answer, item) for answer, item in rows if answer.revised_diagnosis is not None]
    opinion = SecondOpinion(
        shown=len(revised),
        helped=sum(a.diagnosis != i.correct_answer and a.revised_diagnosis == i.correct_answer
                   for a, i in revised),
        misled=sum(a.diagnosis == i.correct_answer and a.revised_diagnosis != i.correct_answer
                   for a, i in revised),
    )
    mistakes = tuple(
        Mistake(answer.attempt_id, item.id, item.correct_answer, final_answer(answer))
        for answer, item in reversed(rows) if final_answer(answer) != item.correct_answer
    )
    deck = practice_deck(rows)
    moment = now or utc_now()
    due_classes = tuple(key.removeprefix(CLASS_PREFIX)
                        for key in deck.due(now=moment, prefix=CLASS_PREFIX))
    due_items = tuple(int(key) for key in deck.missed_items_due(now=moment))
    return Progress(tuple(curve), overall, weak, opinion, mistakes, due_classes, due_items)


def practice_deck(rows) -> PracticeDeck:
    """The spaced-repetition deck rebuilt by replaying every answer at the time it was given:
    the answers are the record, so the deck never drifts from them."""
    deck = PracticeDeck()
    for answer, item in sorted(rows, key=lambda row: row[0].created):
        deck.record(dx=item.profile["dx"], item_key=str(item.id),
                    correct=final_answer(answer) == item.correct_answer,
                    confidence=answer.confidence, when=answer.created)
    return deck


def final_answer(answer: Answer) -> str:
    """The answer that counts: the revised one after a second opinion, else the first."""
    return answer.revised_diagnosis or answer.diagnosis


def _answered(*, session: Session, actor: Actor, attempt_ids: list[int]):
    """(answer, item) pairs of attempts the actor may read, in answer order."""
    rows = []
    for attempt_id in attempt_ids:
        answers = attempts.attempt_answers(session=session, actor=actor, attempt_id=attempt_id)
        by_id = {item.id: item for item in session.scalars(
            select(Item).where(Item.id.in_([a.item_id for a in answers])))}
        rows.extend((answer, by_id[answer.item_id]) for answer in answers)
    return rows


def _score(rows, *, time_limit) -> AttemptScore:
    labels = {label for _, item in rows for label in item.options}
    labels |= {item.correct_answer for _, item in rows}
    classes = [label for label in ANSWER_ORDER if label in labels]
    responses = [
        Response(truth=item.correct_answer, given=final_answer(answer),
                 management=answer.management.value, confidence=answer.confidence,
                 time_seconds=answer.time_ms / 1000,
                 severity=int((item.degradation or {}).get("severity", 0)))
        for answer, item in rows
    ]
    return score_attempt(responses=responses, classes=classes, time_limit_seconds=time_limit)
