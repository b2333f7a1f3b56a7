"""Roles and the permission check every repository runs before it reads or writes.

The check reloads the acting user from the database, so a role changed or an account
deactivated by an admin takes effect at once, whatever the UI still believes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from engine.refusals import Refusal, phrase


class Role(StrEnum):
    TRAINEE = "trainee"
    EDUCATOR = "educator"
    EXPERT = "expert"
    ADMIN = "admin"


# Who may do what. Admins manage users and may also act as educators.
TEACHING_ROLES = frozenset({Role.EDUCATOR, Role.ADMIN})
REVIEWING_ROLES = frozenset({Role.EXPERT})
ADMIN_ROLES = frozenset({Role.ADMIN})
TAKING_ROLES = frozenset({Role.TRAINEE})

# How a refusal names a role, and the roles that may do what was refused.
ROLE_WORDS = {Role.TRAINEE: "refusal.role.trainee", Role.EDUCATOR: "refusal.role.educator",
              Role.EXPERT: "refusal.role.expert", Role.ADMIN: "refusal.role.admin"}
ALLOWED_WORDS = {
    TAKING_ROLES: "refusal.allowed.trainee",
    TEACHING_ROLES: "refusal.allowed.teaching",
    REVIEWING_ROLES: "refusal.allowed.expert",
    ADMIN_ROLES: "refusal.allowed.admin",
    TAKING_ROLES | TEACHING_ROLES: "refusal.allowed.trainee_or_teaching",
}


class PermissionDenied(Refusal):
    """The acting user may not do this. The message says who tried what and who may."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: what a login yields and what every repository call takes."""

    user_id: int
    name: str
    role: Role


def parse_role(*, value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise ValueError(f"role {value!r} is not one of {choices}") from None


def require_role(*, session: Session, actor: Actor, allowed: frozenset[Role], action: str):
    """Return the acting user's current row, or raise PermissionDenied naming the action.

    `action` names the template `action.<action>` of engine/locales ("create_quizzes" words
    "create quizzes"), so the refusal says what was refused in the user's language too.
    """
    from engine.store.models import User

    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise PermissionDenied("refusal.permission.inactive", name=repr(actor.name))
    if user.role not in allowed:
        raise PermissionDenied("refusal.permission.role", role=phrase(ROLE_WORDS[user.role]),
                               name=repr(user.name), action=phrase(f"action.{action}"),
                               allowed=phrase(ALLOWED_WORDS[allowed]))
    return user
