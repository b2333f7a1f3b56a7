"""Attempts and answers: idempotent answer writes and resumable attempts.

An answer is keyed by (attempt, item). Submitting the same item again, after a network retry,
a double click or a restart, returns the answer already stored and never counts twice. Each
answer commits in its own short transaction, so a crash loses at most the answer being
written, and `start_attempt` hands back the unfinished attempt to continue.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.refusals import Refusal
from engine.store import audit
from engine.store.models import Answer, Attempt, AttemptState, Item, Management, Quiz, utc_now
from engine.store.quizzes import QuizNotOpen, takeable_quiz
from engine.store.roles import (
    TAKING_ROLES,
    Actor,
    PermissionDenied,
    Role,
    require_role,
)

READING_ROLES = frozenset({Role.TRAINEE, Role.EDUCATOR, Role.ADMIN})


@dataclass(frozen=True)
class AnswerInput:
    diagnosis: str
    management: str
    confidence: int
    time_ms: int
    revised_diagnosis: str | None = None


@dataclass(frozen=True)
class SubmitResult:
    answer: Answer
    created: bool  # False: this item was already answered; the stored answer is returned


def start_attempt(*, session: Session, actor: Actor, quiz_id: int) -> Attempt:
    """The trainee's unfinished attempt at this quiz, or a new one."""
    quiz = takeable_quiz(session=session, actor=actor, quiz_id=quiz_id)
    unfinished = _unfinished(session=session, user_id=actor.user_id, quiz_id=quiz.id)
    if unfinished is not None:
        return unfinished
    number = session.scalar(
        select(func.coalesce(func.max(Attempt.number), 0)).where(
            Attempt.user_id == actor.user_id, Attempt.quiz_id == quiz.id)
    ) + 1
    attempt = Attempt(user_id=actor.user_id, quiz_id=quiz.id, number=number)
    try:
        with session.begin_nested():
            session.add(attempt)
            session.flush()
    except IntegrityError:
        # the same trainee started this quiz in another tab at the same moment
        existing = _unfinished(session=session, user_id=actor.user_id, quiz_id=quiz.id)
        if existing is None:
            raise
        return existing
    audit.record(
        session=session, actor=actor, action="attempt.start",
        details={"attempt_id": attempt.id, "quiz_id": quiz.id, "number": number},
    )
    return attempt


def submit_answer(
    *, session: Session, actor: Actor, attempt_id: int, item_id: int, answer: AnswerInput
) -> SubmitResult:
    """Store the answer to one item of the actor's own unfinished attempt, at most once."""
    attempt = _own_attempt(session=session, actor=actor, attempt_id=attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS:
        repeated = _stored_answer(session=session, attempt_id=attempt.id, item_id=item_id)
        if repeated is not None:  # the last answer sent twice: it finished the attempt once
            return SubmitResult(answer=repeated, created=False)
        raise Refusal("refusal.attempt.finished", attempt_id=attempt_id)
    closes_at = session.scalar(select(Quiz.closes_at).where(Quiz.id == attempt.quiz_id))
    if closes_at is not None and utc_now() >= closes_at:
        raise QuizNotOpen("refusal.attempt.quiz_closed", attempt_id=attempt_id,
                          time=f"{closes_at:%Y-%m-%d %H:%M}")
    item = session.get(Item, item_id)
    if item is None or item.quiz_id != attempt.quiz_id:
        raise ValueError(f"item {item_id} is not part of the quiz of attempt {attempt_id}")
    _check_answer(answer=answer, options=item.options)
    values = dict(
        attempt_id=attempt.id, item_id=item.id, diagnosis=answer.diagnosis,
        management=Management(answer.management).value, confidence=int(answer.confidence),
        time_ms=int(answer.time_ms), revised_diagnosis=answer.revised_diagnosis,
        correct=answer.diagnosis == item.correct_answer, created=utc_now(),
    )
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = session.execute(
        dialect.insert(Answer).values(**values)
        .on_conflict_do_nothing(index_elements=["attempt_id", "item_id"])
        .returning(Answer.id)
    ).scalar()
    stored = _stored_answer(session=session, attempt_id=attempt.id, item_id=item.id)
    if inserted is not None:
        audit.record(
            session=session, actor=actor, action="answer.submit",
            details={"attempt_id": attempt.id, "item_id": item.id, "answer_id": inserted},
        )
    return SubmitResult(answer=stored, created=inserted is not None)


def _stored_answer(*, session: Session, attempt_id: int, item_id: int) -> Answer | None:
    return session.scalar(
        select(Answer).where(Answer.attempt_id == attempt_id, Answer.item_id == item_id))


def finish_attempt(*, session: Session, actor: Actor, attempt_id: int) -> Attempt:
    attempt = _own_attempt(session=session, actor=actor, attempt_id=attempt_id)
    if attempt.state == AttemptState.FINISHED:
        return attempt
    attempt.state = AttemptState.FINISHED
    attempt.finished = utc_now()
    audit.record(
        session=session, actor=actor, action="attempt.finish",
        details={"attempt_id": attempt.id, "quiz_id": attempt.quiz_id},
    )
    return attempt


def unanswered_items(*, session: Session, actor: Actor, attempt_id: int) -> list[Item]:
    """Items of the attempt's quiz not yet answered, in order: where a resumed quiz goes on."""
    attempt = _own_attempt(session=session, actor=actor, attempt_id=attempt_id)
    answered = select(Answer.item_id).where(Answer.attempt_id == attempt.id)
    return list(session.scalars(
        select(Item).where(Item.quiz_id == attempt.quiz_id, Item.id.not_in(answered))
        .order_by(Item.position)
    ))


def get_attempt(*, session: Session, actor: Actor, attempt_id: int) -> Attempt:
    """A trainee reads only their own attempts; an educator those on their quizzes."""
    user = require_role(
        session=session, actor=actor, allowed=READING_ROLES, action="read_attempts"
    )
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise ValueError(f"no attempt with id {attempt_id}")
    if user.role == Role.TRAINEE and attempt.user_id != user.id:
        raise PermissionDenied("refusal.permission.attempt_of_another_trainee",
                               attempt_id=attempt_id)
    if user.role == Role.EDUCATOR:
        owner = session.scalar(select(Quiz.owner_id).where(Quiz.id == attempt.quiz_id))
        if owner != user.id:
            raise PermissionDenied("refusal.permission.attempt_on_another_quiz",
                                   attempt_id=attempt_id)
    return attempt


def list_attempts(
    *, session: Session, actor: Actor, quiz_id: int | None = None, user_id: int | None = None
) -> list[Attempt]:
    """Attempts the actor may read, optionally for one quiz and/or one trainee."""
    user = require_role(
        session=session, actor=actor, allowed=READING_ROLES, action="read_attempts"
    )
    query = select(Attempt).order_by(Attempt.started, Attempt.id)
    if user.role == Role.TRAINEE:
        if user_id is not None and user_id != user.id:
            raise PermissionDenied("refusal.permission.other_trainees_attempts")
        query = query.where(Attempt.user_id == user.id)
    elif user.role == Role.EDUCATOR:
        query = query.join(Quiz, Quiz.id == Attempt.quiz_id).where(Quiz.owner_id == user.id)
    if quiz_id is not None:
        query = query.where(Attempt.quiz_id == quiz_id)
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    return list(session.scalars(query))


def attempt_answers(*, session: Session, actor: Actor, attempt_id: int) -> list[Answer]:
    attempt = get_attempt(session=session, actor=actor, attempt_id=attempt_id)
    return list(session.scalars(
        select(Answer).where(Answer.attempt_id == attempt.id).order_by(Answer.id)
    ))


def _own_attempt(*, session: Session, actor: Actor, attempt_id: int) -> Attempt:
    user = require_role(session=session, actor=actor, allowed=TAKING_ROLES, action="answer_quizzes")
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise ValueError(f"no attempt with id {attempt_id}")
    if attempt.user_id != user.id:
        raise PermissionDenied("refusal.permission.attempt_of_another_trainee",
                               attempt_id=attempt_id)
    return attempt


def _unfinished(*, session: Session, user_id: int, quiz_id: int) -> Attempt | None:
    return session.scalar(
        select(Attempt).where(
            Attempt.user_id == user_id, Attempt.quiz_id == quiz_id,
            Attempt.state == AttemptState.IN_PROGRESS,
        ).order_by(Attempt.number.desc()).limit(1)
    )


def _check_answer(*, answer: AnswerInput, options: list) -> None:
    problems = []
    if answer.diagnosis not in options:
        problems.append(f"diagnosis {answer.diagnosis!r} is not one of the options {options}")
    if answer.revised_diagnosis is not None and answer.revised_diagnosis not in options:
        problems.append(f"revised_diagnosis {answer.revised_diagnosis!r} is not an option")
    if answer.management not in {member.value for member in Management}:
        problems.append(f"management {answer.management!r} must be 'excise' or 'monitor'")
    if not isinstance(answer.confidence, int) or not 0 <= answer.confidence <= 100:
        problems.append(f"confidence {answer.confidence!r} must be a whole number 0-100")
    if not isinstance(answer.time_ms, int) or answer.time_ms < 0:
        problems.append(f"time_ms {answer.time_ms!r} must be a non-negative whole number")
    if problems:
        raise ValueError("answer: " + "; ".join(problems))
