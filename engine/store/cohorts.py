"""Cohorts: groups of trainees an educator teaches. Educators see and change only their own."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.refusals import Refusal
from engine.store import audit
from engine.store.models import Cohort, CohortMember, User
from engine.store.roles import TEACHING_ROLES, Actor, PermissionDenied, Role, require_role


def create_cohort(*, session: Session, actor: Actor, name: str) -> Cohort:
    owner = require_role(
        session=session, actor=actor, allowed=TEACHING_ROLES, action="create_cohorts"
    )
    name = name.strip()
    if not name:
        raise Refusal("refusal.cohort.no_name")
    cohort = Cohort(name=name, owner_id=owner.id)
    try:
        with session.begin_nested():
            session.add(cohort)
            session.flush()
    except IntegrityError:
        raise Refusal("refusal.cohort.exists", name=repr(name)) from None
    audit.record(
        session=session, actor=actor, action="cohort.create", details={"cohort_id": cohort.id,
                                                                       "name": name},
    )
    return cohort


def owned_cohort(*, session: Session, actor: Actor, cohort_id: int, action: str) -> Cohort:
    """The cohort, if the actor is its educator (or an admin); PermissionDenied otherwise."""
    user = require_role(session=session, actor=actor, allowed=TEACHING_ROLES, action=action)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise ValueError(f"no cohort with id {cohort_id}")
    if user.role != Role.ADMIN and cohort.owner_id != user.id:
        raise PermissionDenied("refusal.permission.cohort_of_another_educator",
                               name=repr(cohort.name))
    return cohort


def add_member(*, session: Session, actor: Actor, cohort_id: int, user_id: int) -> None:
    """Add a trainee to one of the actor's cohorts; adding twice changes nothing."""
    cohort = owned_cohort(
        session=session, actor=actor, cohort_id=cohort_id, action="change_cohort_members"
    )
    trainee = session.get(User, user_id)
    if trainee is None or trainee.role != Role.TRAINEE:
        raise Refusal("refusal.cohort.not_a_trainee", user_id=user_id)
    if session.get(CohortMember, (cohort.id, trainee.id)) is not None:
        return
    session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id))
    audit.record(
        session=session, actor=actor, action="cohort.add_member",
        details={"cohort_id": cohort.id, "user": trainee.name},
    )


def remove_member(*, session: Session, actor: Actor, cohort_id: int, user_id: int) -> None:
    cohort = owned_cohort(
        session=session, actor=actor, cohort_id=cohort_id, action="change_cohort_members"
    )
    member = session.get(CohortMember, (cohort.id, user_id))
    if member is None:
        raise ValueError(f"account id {user_id} is not in cohort {cohort.name!r}")
    session.delete(member)
    audit.record(
        session=session, actor=actor, action="cohort.remove_member",
        details={"cohort_id": cohort.id, "user_id": user_id},
    )


def list_cohorts(*, session: Session, actor: Actor) -> list[Cohort]:
    """An educator's own cohorts; every cohort for an admin."""
    user = require_role(session=session, actor=actor, allowed=TEACHING_ROLES, action="see_cohorts")
    query = select(Cohort).order_by(Cohort.name)
    if user.role != Role.ADMIN:
        query = query.where(Cohort.owner_id == user.id)
    return list(session.scalars(query))


def members(*, session: Session, actor: Actor, cohort_id: int) -> list[User]:
    cohort = owned_cohort(
        session=session, actor=actor, cohort_id=cohort_id, action="see_cohort_members"
    )
    query = (
        select(User)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.name)
    )
    return list(session.scalars(query))
