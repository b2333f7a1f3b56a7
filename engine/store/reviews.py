"""Expert reviews of synthetic images, and the validation status they give an item.

Each expert reviews an item once (reviewing again replaces their review). An item is
'approved' when at least one expert approves and approvals are not outnumbered by
rejections, 'rejected' when rejections outnumber approvals, and 'unvalidated' otherwise.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.store import audit
from engine.store.models import Decision, Item, Review, ValidationStatus
from engine.store.roles import REVIEWING_ROLES, Actor, require_role

MAX_COMMENT_CHARS = 4000


def submit_review(
    *,
    session: Session,
    actor: Actor,
    item_id: int,
    realism: int,
    agrees_with_diagnosis: bool,
    decision: str,
    artefacts: list[str] | tuple[str, ...] = (),
    comment: str = "",
) -> Review:
    """Record the expert's review of an item and update the item's validation status."""
    expert = require_role(
        session=session, actor=actor, allowed=REVIEWING_ROLES, action="review_items"
    )
    item = session.get(Item, item_id)
    if item is None:
        raise ValueError(f"no item with id {item_id}")
    _check_review(realism=realism, decision=decision, artefacts=artefacts, comment=comment)
    review = session.scalar(
        select(Review).where(Review.item_id == item.id, Review.expert_id == expert.id)
    )
    if review is None:
        review = Review(item_id=item.id, expert_id=expert.id)
        session.add(review)
    review.realism = int(realism)
    review.agrees_with_diagnosis = bool(agrees_with_diagnosis)
    review.decision = Decision(decision)
    review.artefacts = [str(flag) for flag in artefacts]
    review.comment = comment.strip()
    session.flush()
    previous = item.validation_status
    item.validation_status = _status(session=session, item_id=item.id)
    audit.record(
        session=session, actor=actor, action="item.review",
        details={
            "item_id": item.id, "decision": review.decision.value, "realism": review.realism,
            "status_from": previous.value, "status_to": item.validation_status.value,
        },
    )
    return review


def items_for_review(
    *,
    session: Session,
    actor: Actor,
    status: ValidationStatus | None = ValidationStatus.UNVALIDATED,
    limit: int = 100,
) -> list[Item]:
    """Items the expert has not reviewed yet (optionally only those with `status`), oldest first."""
    expert = require_role(
        session=session, actor=actor, allowed=REVIEWING_ROLES, action="review_items"
    )
    mine = select(Review.item_id).where(Review.expert_id == expert.id)
    query = select(Item).where(Item.id.not_in(mine)).order_by(Item.id).limit(limit)
    if status is not None:
        query = query.where(Item.validation_status == ValidationStatus(status))
    return list(session.scalars(query))


def item_reviews(*, session: Session, actor: Actor, item_id: int) -> list[Review]:
    require_role(session=session, actor=actor, allowed=REVIEWING_ROLES, action="read_reviews")
    return list(session.scalars(
        select(Review).where(Review.item_id == item_id).order_by(Review.id)
    ))


def _status(*, session: Session, item_id: int) -> ValidationStatus:
    counts = dict(session.execute(
        select(Review.decision, func.count()).where(Review.item_id == item_id)
        .group_by(Review.decision)
    ).all())
    approvals = counts.get(Decision.APPROVE, 0)
    rejections = counts.get(Decision.REJECT, 0)
    if approvals and approvals >= rejections:
        return ValidationStatus.APPROVED
    if rejections > approvals:
        return ValidationStatus.REJECTED
    return ValidationStatus.UNVALIDATED


def _check_review(*, realism: int, decision: str, artefacts, comment: str) -> None:
    problems = []
    if not isinstance(realism, int) or not 1 <= realism <= 5:
        problems.append(f"realism {realism!r} must be a whole number from 1 to 5")
    if decision not in {member.value for member in Decision}:
        problems.append(f"decision {decision!r} must be 'approve' or 'reject'")
    if isinstance(artefacts, str) or not all(isinstance(flag, str) for flag in artefacts):
        problems.append("artefacts must be a list of flag names (strings)")
    if len(comment) > MAX_COMMENT_CHARS:
        problems.append(f"comment has {len(comment)} characters; at most {MAX_COMMENT_CHARS}")
    if problems:
        raise ValueError("review: " + "; ".join(problems))
