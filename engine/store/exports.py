"""Exports for educators: attempts and answers as CSV, and the item bank in ISIC 2024 layout.

Spreadsheet programs run cells that start with = + - @ (or a tab / carriage return before
them) as formulas, so every such text cell gets a leading apostrophe: the CSV opens as plain
text wherever it is opened.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from engine.store import audit
from engine.store.models import Answer, Attempt, Item, Quiz, User, ValidationStatus
from engine.store.quizzes import owned_quiz
from engine.store.roles import TEACHING_ROLES, Actor, Role, require_role

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ANSWER_COLUMNS = (
    "quiz_id", "quiz_title", "attempt_id", "attempt_number", "attempt_state", "trainee",
    "trainee_display_name", "item_id", "item_position", "correct_answer", "diagnosis",
    "revised_diagnosis", "correct", "management", "confidence", "time_ms", "answered_at",
    "degradation", "generator_id", "generator_version", "item_seed",
)
IMAGE_VARIANTS = ("clean", "degraded")


def neutralise_cell(value) -> str:
    """The cell as text, with an apostrophe in front when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def answers_csv(*, session: Session, actor: Actor, quiz_id: int) -> str:
    """Every answer to one of the actor's quizzes, one row per answer, neutralised."""
    quiz = owned_quiz(session=session, actor=actor, quiz_id=quiz_id, action="export_answers")
    rows = session.execute(
        select(Attempt, User, Answer, Item)
        .join(User, User.id == Attempt.user_id)
        .join(Answer, Answer.attempt_id == Attempt.id)
        .join(Item, Item.id == Answer.item_id)
        .where(Attempt.quiz_id == quiz.id)
        .order_by(Attempt.id, Item.position)
    ).all()
    buffer = io.StringIO()
    # CRLF rows (RFC 4180): the writer then quotes any cell holding a CR or LF, so a name with
    # a carriage return cannot start a new row whose first cell a spreadsheet would run
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ANSWER_COLUMNS)
    for attempt, trainee, answer, item in rows:
        values = (
            quiz.id, quiz.title, attempt.id, attempt.number, attempt.state.value, trainee.name,
            trainee.display_name, item.id, item.position, item.correct_answer, answer.diagnosis,
            answer.revised_diagnosis, int(answer.correct), answer.management.value,
            answer.confidence, answer.time_ms, answer.created.isoformat(),
            json.dumps(item.degradation, sort_keys=True), item.generator_id,
            item.generator_version, item.seed,
        )
        writer.writerow([neutralise_cell(value) for value in values])
    audit.record(
        session=session, actor=actor, action="export.answers",
        details={"quiz_id": quiz.id, "rows": len(rows)},
    )
    return buffer.getvalue()


def export_item_bank(
    *,
    session: Session,
    actor: Actor,
    out_dir: Path,
    quiz_id: int | None = None,
    image: str = "clean",
    approved_only: bool = False,
    overwrite: bool = False,
) -> int:
    """Write items as an ISIC 2024 dataset (train-image.hdf5 + train-metadata.csv).

    An educator exports their own quizzes' items (or one quiz), an admin every item. Each row
    keeps what regenerates the image (generator, version, seed, degradation) so the bank can be
    read back with the ISIC 2024 reader. Returns the number of items written.
    """
    from engine.datasets.images import decode_image
    from engine.datasets.writers import open_writer

    if image not in IMAGE_VARIANTS:
        raise ValueError(f"image {image!r} must be one of {', '.join(IMAGE_VARIANTS)}")
    user = require_role(
        session=session, actor=actor, allowed=TEACHING_ROLES, action="export_item_bank"
    )
    query = select(Item).join(Quiz, Quiz.id == Item.quiz_id).order_by(Item.id)
    query = query.options(undefer(Item.clean_png if image == "clean" else Item.degraded_png))
    if quiz_id is not None:
        owned_quiz(session=session, actor=actor, quiz_id=quiz_id, action="export_item_bank")
        query = query.where(Item.quiz_id == quiz_id)
    elif user.role != Role.ADMIN:
        query = query.where(Quiz.owner_id == user.id)
    if approved_only:
        query = query.where(Item.validation_status == ValidationStatus.APPROVED)
    count = 0
    with open_writer(out_dir, format="isic2024", overwrite=overwrite) as writer:
        for item in session.scalars(query):
            png = item.clean_png if image == "clean" else item.degraded_png
            pixels = decode_image(png, source=f"item {item.id}")
            writer.add(f"LL_{item.id:07d}", pixels, _isic_row(item=item))
            count += 1
    audit.record(
        session=session, actor=actor, action="export.item_bank",
        details={"quiz_id": quiz_id, "items": count, "image": image},
    )
    return count


def _isic_row(*, item: Item) -> dict:
    profile = item.profile
    return {
        "dx": profile.get("dx"),
        "age": profile.get("age"),
        "sex": profile.get("sex"),
        "site": profile.get("site"),
        "diameter_mm": profile.get("diameter_mm"),
        "skin_type": profile.get("skin_type"),
        "patient_id": f"LL_QUIZ_{item.quiz_id:06d}",
        "lesion_id": f"LL_ITEM_{item.id:07d}",
        "image_type": "synthetic",
        "attribution": f"LesionLab synthetic ({item.generator_id} {item.generator_version})",
        "quiz_id": item.quiz_id,
        "generator_id": item.generator_id,
        "generator_version": item.generator_version,
        "seed": item.seed,
        "degradation": item.degradation,
        "validation_status": item.validation_status.value,
        "clean_sha256": item.clean_sha256,
        "degraded_sha256": item.degraded_sha256,
    }
