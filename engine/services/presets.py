"""Practice levels: the quiz presets in order; each unlocks after a passing score on the last.

A practice session is a private quiz generated for the trainee from a preset, owned by the
built-in practice account (an educator account without a password, so nobody signs in as
it), and taken like any other quiz: stored, resumable, scored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from engine.quiz import PRESETS
from engine.refusals import Refusal
from engine.services import authoring
from engine.services.results import attempt_score
from engine.services.runtime import Runtime
from engine.store import attempts, items, quizzes, users
from engine.store.auth import actor_of
from engine.store.models import AttemptState, Quiz, User
from engine.store.roles import TAKING_ROLES, Actor, Role, require_role

PRACTICE_ACCOUNT = "lesionlab-practice"
PRACTICE_CASES = 10
PASS_MARK = 0.7


@dataclass(frozen=True)
class Level:
    name: str
    cases: int
    classes: int
    severity: str
    best: float | None
    unlocked: bool


def levels(*, runtime: Runtime, actor: Actor) -> list[Level]:
    """Every preset with the trainee's best finished score; the first is always open."""
    best = _best_scores(runtime=runtime, actor=actor)
    shown, unlocked = [], True
    for name, spec in PRESETS.items():
        low, high = spec.severity_range
        shown.append(Level(name, PRACTICE_CASES, len(spec.answer_labels), f"{low}–{high}",
                           best.get(name), unlocked))
        unlocked = best.get(name, 0.0) >= PASS_MARK
    return shown


def start_level(*, runtime: Runtime, actor: Actor, name: str,
                seed: int | None = None) -> int:
    """Generate a practice quiz from the preset and start the trainee's attempt at it.

    Only trainees take quizzes: checked first, before any image is generated.
    """
    with runtime.database.reading() as session:
        require_role(session=session, actor=actor, allowed=TAKING_ROLES, action="take_quizzes")
    level = next((level for level in levels(runtime=runtime, actor=actor) if level.name == name),
                 None)
    if level is None:
        raise ValueError(f"unknown practice level {name!r}; choose one of {', '.join(PRESETS)}")
    if not level.unlocked:
        raise Refusal("refusal.level.locked", name=repr(name), mark=f"{PASS_MARK:.0%}")
    seed = secrets.randbelow(2**31) if seed is None else seed
    design = authoring.QuizDesign(spec=PRESETS[name].with_changes(n_items=PRACTICE_CASES),
                                  feedback="each", pass_mark=PASS_MARK)
    new_items = authoring.make_items(runtime=runtime, design=design, seed=seed)
    owner = practice_account(runtime=runtime)
    with runtime.database.writing() as session:
        quiz = quizzes.create_quiz(
            session=session, actor=owner, title=f"{name} practice", spec=design.spec.to_dict(),
            seed=seed, settings=design.settings() | {"practice_for": actor.user_id},
        )
        items.add_items(session=session, actor=owner, quiz_id=quiz.id, items=new_items)
        return attempts.start_attempt(session=session, actor=actor, quiz_id=quiz.id).id


def practice_account(*, runtime: Runtime) -> Actor:
    """The built-in owner of practice quizzes, created on first use."""
    with runtime.database.writing() as session:
        user = session.scalar(select(User).where(User.name == PRACTICE_ACCOUNT))
        if user is not None:
            return actor_of(user)
        return users.add_user(session=session, actor=None, name=PRACTICE_ACCOUNT,
                              role=Role.EDUCATOR, password=None,
                              display_name="LesionLab practice levels")


def _best_scores(*, runtime: Runtime, actor: Actor) -> dict[str, float]:
    with runtime.database.reading() as session:
        finished = [a for a in attempts.list_attempts(session=session, actor=actor)
                    if a.state == AttemptState.FINISHED]
        presets = {quiz.id: (quiz.settings or {}).get("preset") for quiz in session.scalars(
            select(Quiz).where(Quiz.id.in_([a.quiz_id for a in finished])))}
    best: dict[str, float] = {}
    for attempt in finished:
        name = presets.get(attempt.quiz_id)
        if name in PRESETS:
            score = attempt_score(runtime=runtime, actor=actor, attempt_id=attempt.id).accuracy
            best[name] = max(best.get(name, 0.0), score)
    return best
