"""Quiz items: what regenerates each image, both images with checksums, and the right answer.

Images are stored as PNG bytes with their SHA-256; reading an image checks the checksum, so a
damaged row is reported instead of shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from engine.profiles import profile_problems
from engine.store import audit
from engine.store.models import Answer, Attempt, Item, ValidationStatus
from engine.store.quizzes import owned_quiz, takeable_quiz
from engine.store.roles import Actor, Role, require_role

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class NewItem:
    """One item as the quiz engine hands it over; everything JSON-friendly except the PNGs."""

    profile: dict
    generator_id: str
    generator_version: str
    seed: int
    degradation: dict
    clean_png: bytes
    degraded_png: bytes
    correct_answer: str
    options: list
    explanation: dict = field(default_factory=dict)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def add_items(
    *, session: Session, actor: Actor, quiz_id: int, items: list[NewItem]
) -> list[Item]:
    """Append items to one of the actor's quizzes, numbered after those already there."""
    quiz = owned_quiz(session=session, actor=actor, quiz_id=quiz_id, action="add_quiz_items")
    for index, item in enumerate(items):
        _check_item(item=item, label=f"item {index}")
    start = session.scalar(select(func.coalesce(func.max(Item.position), -1)).where(
        Item.quiz_id == quiz.id)) + 1
    rows = [
        Item(
            quiz_id=quiz.id, position=start + offset, profile=dict(item.profile),
            generator_id=item.generator_id, generator_version=item.generator_version,
            seed=int(item.seed), degradation=dict(item.degradation),
            clean_png=item.clean_png, clean_sha256=sha256(item.clean_png),
            degraded_png=item.degraded_png, degraded_sha256=sha256(item.degraded_png),
            correct_answer=item.correct_answer, options=list(item.options),
            explanation=dict(item.explanation),
        )
        for offset, item in enumerate(items)
    ]
    session.add_all(rows)
    session.flush()
    audit.record(
        session=session, actor=actor, action="quiz.add_items",
        details={"quiz_id": quiz.id, "count": len(rows),
                 "positions": [start, start + len(rows) - 1] if rows else []},
    )
    return rows


def quiz_items(*, session: Session, actor: Actor, quiz_id: int) -> list[Item]:
    """The items of a quiz in order (images not loaded): for its educator or a trainee taking it.

    A trainee only sees approved items when the quiz's settings ask for validated images.
    """
    user = require_role(
        session=session, actor=actor, allowed=frozenset({Role.TRAINEE, Role.EDUCATOR, Role.ADMIN}),
        action="see_quiz_items",
    )
    if user.role == Role.TRAINEE:
        quiz = takeable_quiz(session=session, actor=actor, quiz_id=quiz_id)
    else:
        quiz = owned_quiz(session=session, actor=actor, quiz_id=quiz_id, action="see_quiz_items")
    query = select(Item).where(Item.quiz_id == quiz.id).order_by(Item.position)
    if user.role == Role.TRAINEE and quiz.settings.get("validated_only"):
        query = query.where(Item.validation_status == ValidationStatus.APPROVED)
    return list(session.scalars(query))


def item_images(*, session: Session, actor: Actor, item_id: int) -> tuple[bytes, bytes]:
    """(clean PNG, degraded PNG) after checking both checksums.

    Experts see every item; educators the items of their quizzes; trainees those of a quiz
    they may take, and those they have answered (to review them after the quiz closed).
    """
    item = session.scalar(
        select(Item).where(Item.id == item_id).options(
            undefer(Item.clean_png), undefer(Item.degraded_png))
    )
    if item is None:
        raise ValueError(f"no item with id {item_id}")
    user = require_role(session=session, actor=actor, allowed=frozenset(Role), action="see_items")
    if user.role == Role.TRAINEE:
        if not _answered_by(session=session, user_id=user.id, item_id=item.id):
            takeable_quiz(session=session, actor=actor, quiz_id=item.quiz_id)
    elif user.role == Role.EDUCATOR:
        owned_quiz(session=session, actor=actor, quiz_id=item.quiz_id, action="see_items")
    for label, data, expected in (
        ("clean", item.clean_png, item.clean_sha256),
        ("degraded", item.degraded_png, item.degraded_sha256),
    ):
        if sha256(data) != expected:
            raise ValueError(
                f"item {item_id}: the stored {label} image does not match its SHA-256 "
                "checksum; the row is damaged and the item should be regenerated from its seed"
            )
    return item.clean_png, item.degraded_png


def _check_item(*, item: NewItem, label: str) -> None:
    problems = [f"profile: {problem}" for problem in profile_problems(item.profile)]
    for name in ("clean_png", "degraded_png"):
        data = getattr(item, name)
        if not isinstance(data, bytes) or not data.startswith(PNG_SIGNATURE):
            problems.append(f"{name} is not PNG bytes")
    if not item.generator_id or not item.generator_version:
        problems.append("generator_id and generator_version are required")
    if not isinstance(item.options, list) or not item.options:
        problems.append("options must be a non-empty list of answer codes")
    elif item.correct_answer not in item.options:
        problems.append(f"correct_answer {item.correct_answer!r} is not among the options")
    if not isinstance(item.degradation, dict):
        problems.append("degradation must be a JSON object (dict) of parameters")
    if problems:
        raise ValueError(f"{label}: " + "; ".join(problems))


def _answered_by(*, session: Session, user_id: int, item_id: int) -> bool:
    return session.scalar(
        select(func.count()).select_from(Answer).join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.user_id == user_id, Answer.item_id == item_id)) > 0
