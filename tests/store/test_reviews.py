"""Expert reviews decide an item's validation status; reviewing again replaces the review."""

import pytest
from sqlalchemy import select

from engine.store.models import AuditEntry, Item, ValidationStatus
from engine.store.reviews import item_reviews, items_for_review, submit_review
from engine.store.roles import Role
from engine.store.users import add_user


def review(world, expert, decision, item=None, **fields):
    with world.database.writing() as session:
        submit_review(session=session, actor=expert, item_id=item or world.item_ids[0],
                      realism=fields.get("realism", 4), agrees_with_diagnosis=True,
                      decision=decision, artefacts=fields.get("artefacts", ()),
                      comment=fields.get("comment", ""))
    with world.database.reading() as session:
        return session.get(Item, item or world.item_ids[0]).validation_status


def test_status_follows_the_experts_decisions(world):
    with world.database.writing() as session:
        yuri = add_user(session=session, actor=None, name="yuri", role=Role.EXPERT, password=None)
        zoe = add_user(session=session, actor=None, name="zoe", role=Role.EXPERT, password=None)
    assert review(world, world.xena, "reject") == ValidationStatus.REJECTED
    assert review(world, yuri, "approve") == ValidationStatus.APPROVED  # 1 v 1: approved
    assert review(world, zoe, "reject", artefacts=["checkerboard"]) == ValidationStatus.REJECTED
    assert review(world, world.xena, "approve") == ValidationStatus.APPROVED  # xena changed
    with world.database.reading() as session:
        reviews = item_reviews(session=session, actor=yuri, item_id=world.item_ids[0])
        assert len(reviews) == 3
        assert {r.decision.value for r in reviews if r.expert_id == zoe.user_id} == {"reject"}
        assert [r.artefacts for r in reviews if r.expert_id == zoe.user_id] == [["checkerboard"]]
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "item.review"))
        assert [e.details["status_to"] for e in entries] == [
            "rejected", "approved", "rejected", "approved"]


def test_review_queue_shows_each_expert_what_they_have_not_reviewed(world):
    review(world, world.xena, "approve")
    with world.database.reading() as session:
        queue = items_for_review(session=session, actor=world.xena, status=None)
        pending = items_for_review(session=session, actor=world.xena)
    assert [item.id for item in queue] == world.item_ids[1:]
    assert [item.id for item in pending] == world.item_ids[1:]


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"realism": 0}, "realism"), ({"realism": 6}, "realism"),
     ({"decision": "maybe"}, "decision"), ({"artefacts": "blur"}, "artefacts"),
     ({"comment": "x" * 5000}, "comment")],
)
def test_invalid_reviews_name_the_field(world, fields, message):
    values = {"realism": 3, "decision": "approve", "artefacts": [], "comment": "", **fields}
    with world.database.writing() as session, pytest.raises(ValueError, match=message):
        submit_review(session=session, actor=world.xena, item_id=world.item_ids[0],
                      agrees_with_diagnosis=False, **values)
