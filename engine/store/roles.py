"""Roles and the permission check every repository runs before it reads or writes.

The check reloads the acting user from the database, so a role changed or an account
deactivated by an admin takes effect at once, whatever the UI still believes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session


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


class PermissionDenied(ValueError):
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
    """Return the acting user's current row, or raise PermissionDenied naming the action."""
    from engine.store.models import User

    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise PermissionDenied(f"account {actor.name!r} does not exist or is deactivated")
    if user.role not in allowed:
        allowed_names = " or ".join(sorted(role.value for role in allowed))
        article = "an" if allowed_names[0] in "aeiou" else "a"
        raise PermissionDenied(
            f"{user.role.value} {user.name!r} may not {action}; only {article} {allowed_names} may"
        )
    return user
