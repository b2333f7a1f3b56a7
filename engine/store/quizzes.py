"""Quizzes: created and assigned by educators, opened by trainees with a join code.

A join code is six characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
`ABC-DEF`; typing it in lower case or without the dash works. It is an access token, so it is
drawn from the operating system's secure generator unless a test passes its own.
"""

from __future__ import annotations

import random
import re
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.refusals import Refusal
from engine.store import audit
from engine.store.cohorts import owned_cohort
from engine.store.models import CohortMember, Quiz, utc_now
from engine.store.roles import (
    TAKING_ROLES,
    TEACHING_ROLES,
    Actor,
    PermissionDenied,
    Role,
    require_role,
)

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
_JOIN_CODE_PATTERN = re.compile(f"[{JOIN_CODE_ALPHABET}]{{{JOIN_CODE_LENGTH}}}")
_JOIN_CODE_TRIES = 20


class QuizNotOpen(Refusal):
    """The quiz is outside its opening window (not open yet, or closed): nothing in it can be
    taken or answered now, though the trainee may still be allowed in later or was before."""


def new_join_code(*, rng: random.Random | None = None) -> str:
    source = rng or secrets.SystemRandom()
    return "".join(source.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def parse_join_code(*, code: str) -> str:
    """The stored form of a join code as typed, or a Refusal saying what is wrong with it."""
    cleaned = re.sub(r"[\s-]", "", code).upper()
    if len(cleaned) != JOIN_CODE_LENGTH:
        raise Refusal("refusal.join_code.length", code=repr(code), length=len(cleaned),
                      expected=JOIN_CODE_LENGTH)
    if not _JOIN_CODE_PATTERN.fullmatch(cleaned):
        wrong = ", ".join(repr(char) for char in
                          sorted({char for char in cleaned if char not in JOIN_CODE_ALPHABET}))
        raise Refusal("refusal.join_code.characters", code=repr(code), characters=wrong)
    return cleaned


def format_join_code(*, code: str) -> str:
    half = JOIN_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def create_quiz(
    *,
    session: Session,
    actor: Actor,
    title: str,
    spec: dict,
    seed: int,
    cohort_id: int | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    settings: dict | None = None,
    rng: random.Random | None = None,
) -> Quiz:
    """A new quiz owned by the actor (an educator or admin), with a fresh unique join code."""
    owner = require_role(
        session=session, actor=actor, allowed=TEACHING_ROLES, action="create_quizzes"
    )
    if not title.strip():
        raise Refusal("refusal.quiz.no_title")
    if not isinstance(spec, dict):
        raise ValueError(f"quiz spec must be a JSON object (dict), got {type(spec).__name__}")
    _check_dates(opens_at=opens_at, closes_at=closes_at)
    if cohort_id is not None:
        owned_cohort(session=session, actor=actor, cohort_id=cohort_id, action="assign_quizzes")
    for _ in range(_JOIN_CODE_TRIES):
        quiz = Quiz(
            title=title.strip(), spec=spec, seed=int(seed), join_code=new_join_code(rng=rng),
            owner_id=owner.id, cohort_id=cohort_id, opens_at=opens_at, closes_at=closes_at,
            settings=settings or {},
        )
        try:
            with session.begin_nested():
                session.add(quiz)
                session.flush()
            break
        except IntegrityError:
            continue  # the join code was taken; draw another
    else:
        raise ValueError(f"no free join code after {_JOIN_CODE_TRIES} tries; try again")
    audit.record(
        session=session, actor=actor, action="quiz.create",
        details={"quiz_id": quiz.id, "title": quiz.title, "join_code": quiz.join_code},
    )
    return quiz


def owned_quiz(*, session: Session, actor: Actor, quiz_id: int, action: str) -> Quiz:
    """The quiz, if the actor created it (or is an admin); PermissionDenied otherwise."""
    user = require_role(session=session, actor=actor, allowed=TEACHING_ROLES, action=action)
    quiz = session.get(Quiz, quiz_id)
    if quiz is None:
        raise ValueError(f"no quiz with id {quiz_id}")
    if user.role != Role.ADMIN and quiz.owner_id != user.id:
        raise PermissionDenied("refusal.permission.quiz_of_another_educator",
                               title=repr(quiz.title))
    return quiz


def assign_quiz(
    *,
    session: Session,
    actor: Actor,
    quiz_id: int,
    cohort_id: int | None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Quiz:
    """Give one of the actor's quizzes to one of their cohorts (None: anyone with the code)."""
    quiz = owned_quiz(session=session, actor=actor, quiz_id=quiz_id, action="assign_quizzes")
    if cohort_id is not None:
        owned_cohort(session=session, actor=actor, cohort_id=cohort_id, action="assign_quizzes")
    _check_dates(opens_at=opens_at, closes_at=closes_at)
    quiz.cohort_id = cohort_id
    quiz.opens_at = opens_at
    quiz.closes_at = closes_at
    audit.record(
        session=session, actor=actor, action="quiz.assign",
        details={
            "quiz_id": quiz.id, "cohort_id": cohort_id,
            "opens_at": opens_at.isoformat() if opens_at else None,
            "closes_at": closes_at.isoformat() if closes_at else None,
        },
    )
    return quiz


def list_quizzes(*, session: Session, actor: Actor) -> list[Quiz]:
    """An educator's own quizzes, every quiz for an admin, and for a trainee the quizzes
    assigned to their cohorts."""
    user = require_role(
        session=session, actor=actor, allowed=TEACHING_ROLES | {Role.TRAINEE},
        action="list_quizzes",
    )
    query = select(Quiz).order_by(Quiz.created.desc(), Quiz.id.desc())
    if user.role == Role.EDUCATOR:
        query = query.where(Quiz.owner_id == user.id)
    elif user.role == Role.TRAINEE:
        cohorts = select(CohortMember.cohort_id).where(CohortMember.user_id == user.id)
        query = query.where(Quiz.cohort_id.in_(cohorts))
    return list(session.scalars(query))


def quiz_by_join_code(*, session: Session, actor: Actor, code: str) -> Quiz:
    """The quiz a trainee may take with this code, or a clear reason why not."""
    require_role(session=session, actor=actor, allowed=TAKING_ROLES, action="take_quizzes")
    stored = parse_join_code(code=code)
    quiz = session.scalar(select(Quiz).where(Quiz.join_code == stored))
    if quiz is None:
        raise Refusal("refusal.join_code.unknown", code=format_join_code(code=stored))
    return takeable_quiz(session=session, actor=actor, quiz_id=quiz.id)


def takeable_quiz(*, session: Session, actor: Actor, quiz_id: int) -> Quiz:
    """The quiz, if it is open now and the trainee may take it (no cohort, or their cohort)."""
    user = require_role(session=session, actor=actor, allowed=TAKING_ROLES, action="take_quizzes")
    quiz = session.get(Quiz, quiz_id)
    if quiz is None:
        raise ValueError(f"no quiz with id {quiz_id}")
    if quiz.cohort_id is not None and session.get(CohortMember, (quiz.cohort_id, user.id)) is None:
        raise PermissionDenied("refusal.permission.quiz_for_another_cohort",
                               title=repr(quiz.title))
    now = utc_now()
    if quiz.opens_at and now < quiz.opens_at:
        raise QuizNotOpen("refusal.quiz.not_open", title=repr(quiz.title),
                          time=f"{quiz.opens_at:%Y-%m-%d %H:%M}")
    if quiz.closes_at and now >= quiz.closes_at:
        raise QuizNotOpen("refusal.quiz.closed", title=repr(quiz.title),
                          time=f"{quiz.closes_at:%Y-%m-%d %H:%M}")
    return quiz


def _check_dates(*, opens_at: datetime | None, closes_at: datetime | None) -> None:
    for label, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if value is not None and value.tzinfo is None:
            raise ValueError(f"{label} {value.isoformat()} needs a time zone (use UTC)")
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValueError(
            f"closes_at {closes_at.isoformat()} must be after opens_at {opens_at.isoformat()}"
        )
