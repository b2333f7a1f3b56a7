"""Educators: publish quizzes with join codes, manage cohorts, read analytics, export CSV."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from engine.adaptive import estimate_item_difficulty
from engine.refusals import Refusal
from engine.services import authoring
from engine.services.results import final_answer
from engine.services.runtime import Runtime
from engine.store import attempts, cohorts, exports, items, quizzes
from engine.store.models import Answer, Attempt, Item, User
from engine.store.roles import TEACHING_ROLES, Actor, Role, require_role

MIN_ANSWERS_FOR_DIFFICULTY = 3


@dataclass(frozen=True)
class PublishedQuiz:
    quiz_id: int
    title: str
    join_code: str  # formatted as ABC-DEF
    items: int
    attempts: int
    cohort: str | None


@dataclass(frozen=True)
class CohortView:
    cohort_id: int
    name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class QuizAnalytics:
    """Per trainee, per class and per item figures for one quiz; empty tuples before answers."""

    trainees: tuple[dict, ...]
    classes: tuple[dict, ...]
    items: tuple[dict, ...]


def publish(
    *, runtime: Runtime, actor: Actor, title: str, design: authoring.QuizDesign, seed: int,
    cohort_id: int | None,
) -> PublishedQuiz:
    """Generate the quiz's items and store quiz and items in one transaction.

    The role is checked before the (costly) generation as well as by the store when writing.
    """
    with runtime.database.reading() as session:
        require_role(session=session, actor=actor, allowed=TEACHING_ROLES,
                     action="create_quizzes")
    new_items = authoring.make_items(runtime=runtime, design=design, seed=seed)
    with runtime.database.writing() as session:
        quiz = quizzes.create_quiz(
            session=session, actor=actor, title=title, spec=design.spec.to_dict(), seed=seed,
            cohort_id=cohort_id, settings=design.settings(),
        )
        items.add_items(session=session, actor=actor, quiz_id=quiz.id, items=new_items)
        return PublishedQuiz(quiz.id, quiz.title, quizzes.format_join_code(code=quiz.join_code),
                             len(new_items), 0, None)


def my_quizzes(*, runtime: Runtime, actor: Actor) -> list[PublishedQuiz]:
    with runtime.database.reading() as session:
        rows = []
        names = {c.id: c.name for c in cohorts.list_cohorts(session=session, actor=actor)}
        for quiz in quizzes.list_quizzes(session=session, actor=actor):
            count = session.scalar(select(func.count()).select_from(Item)
                                   .where(Item.quiz_id == quiz.id))
            taken = session.scalar(select(func.count()).select_from(Attempt)
                                   .where(Attempt.quiz_id == quiz.id))
            rows.append(PublishedQuiz(quiz.id, quiz.title,
                                      quizzes.format_join_code(code=quiz.join_code), count,
                                      taken, names.get(quiz.cohort_id)))
        return rows


def create_cohort(*, runtime: Runtime, actor: Actor, name: str) -> int:
    with runtime.database.writing() as session:
        return cohorts.create_cohort(session=session, actor=actor, name=name).id


def add_trainee(*, runtime: Runtime, actor: Actor, cohort_id: int, account_name: str) -> None:
    """Add a trainee to one of the educator's cohorts by account name."""
    with runtime.database.writing() as session:
        user_id = session.scalar(select(User.id).where(
            User.name == account_name.strip().lower(), User.role == Role.TRAINEE))
        if user_id is None:
            raise Refusal("refusal.cohort.no_such_trainee", name=repr(account_name.strip()))
        cohorts.add_member(session=session, actor=actor, cohort_id=cohort_id, user_id=user_id)


def my_cohorts(*, runtime: Runtime, actor: Actor) -> list[CohortView]:
    with runtime.database.reading() as session:
        return [
            CohortView(cohort.id, cohort.name, tuple(user.name for user in cohorts.members(
                session=session, actor=actor, cohort_id=cohort.id)))
            for cohort in cohorts.list_cohorts(session=session, actor=actor)
        ]


def analytics(*, runtime: Runtime, actor: Actor, quiz_id: int) -> QuizAnalytics:
    """Accuracy per trainee and per class, and per-item share correct with a Rasch difficulty
    once an item has enough answers."""
    with runtime.database.reading() as session:
        own = attempts.list_attempts(session=session, actor=actor, quiz_id=quiz_id)
        names = dict(session.execute(select(User.id, User.display_name)).all())
        owner_of = {attempt.id: attempt.user_id for attempt in own}
        rows = session.execute(
            select(Answer, Item).join(Item, Item.id == Answer.item_id)
            .where(Answer.attempt_id.in_(list(owner_of)))
        ).all()
    per_trainee, per_class, per_item = defaultdict(list), defaultdict(list), defaultdict(list)
    triples = []
    for answer, item in rows:
        right = final_answer(answer) == item.correct_answer
        user = owner_of[answer.attempt_id]
        per_trainee[names.get(user, str(user))].append((right, answer.time_ms))
        per_class[item.correct_answer].append(right)
        per_item[item.position + 1].append(right)
        triples.append((str(user), str(item.position + 1), right))
    difficulty = estimate_item_difficulty(responses=triples,
                                          min_answers=MIN_ANSWERS_FOR_DIFFICULTY)
    return QuizAnalytics(
        trainees=tuple({"trainee": name, "answers": len(v),
                        "accuracy": sum(r for r, _ in v) / len(v),
                        "mean_time_s": sum(ms for _, ms in v) / len(v) / 1000}
                       for name, v in sorted(per_trainee.items())),
        classes=tuple({"class": label, "answers": len(v), "accuracy": sum(v) / len(v)}
                      for label, v in sorted(per_class.items())),
        items=tuple({"item": position, "answers": len(v), "accuracy": sum(v) / len(v),
                     "difficulty": round(difficulty[str(position)].difficulty, 2)
                     if str(position) in difficulty else None}
                    for position, v in sorted(per_item.items())),
    )


def answers_csv(*, runtime: Runtime, actor: Actor, quiz_id: int) -> str:
    """Every answer to the quiz as CSV, with formula-like cells neutralised by the store."""
    with runtime.database.reading() as session:
        return exports.answers_csv(session=session, actor=actor, quiz_id=quiz_id)
