"""Account management: only an admin creates accounts, changes roles or deactivates them.

The command line (`lesionlab users add`) acts as the local operator, who has the machine and so
may create any account, including the first admin.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.refusals import Phrase, Refusal, phrase
from engine.store import audit
from engine.store.auth import actor_of, check_name, hash_password
from engine.store.models import User
from engine.store.roles import ADMIN_ROLES, Actor, PermissionDenied, Role, require_role

MAX_DISPLAY_NAME = 128  # the column's width


def add_user(
    *,
    session: Session,
    actor: Actor | None,
    name: str,
    role: Role,
    password: str | None,
    display_name: str = "",
) -> Actor:
    """Create an account. `actor` None is the local operator; otherwise it must be an admin.

    `password` None creates an account that can only sign in through OIDC.
    """
    if actor is not None:
        require_role(session=session, actor=actor, allowed=ADMIN_ROLES, action="create_accounts")
    name = check_name(name=name)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Refusal("refusal.account.exists", name=repr(name))
    user = User(
        name=name,
        display_name=check_display_name(display_name=display_name) if display_name.strip()
        else name,
        role=Role(role),
        password_hash=hash_password(password=password) if password is not None else None,
    )
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:
        raise Refusal("refusal.account.exists", name=repr(name)) from None
    audit.record(
        session=session, actor=actor, action="user.add",
        details={"name": name, "role": user.role.value},
    )
    return actor_of(user)


def list_users(*, session: Session, actor: Actor | None) -> list[User]:
    """All accounts by name; admins (or the local operator) only."""
    if actor is not None:
        require_role(session=session, actor=actor, allowed=ADMIN_ROLES, action="list_accounts")
    return list(session.scalars(select(User).order_by(User.name)))


def set_role(*, session: Session, actor: Actor, user_id: int, role: Role) -> None:
    admin = require_role(session=session, actor=actor, allowed=ADMIN_ROLES, action="change_roles")
    user = _user(session=session, user_id=user_id)
    if user.id == admin.id and Role(role) != Role.ADMIN:
        raise PermissionDenied("refusal.permission.own_admin_role")
    previous = user.role
    user.role = Role(role)
    audit.record(
        session=session, actor=actor, action="user.set_role",
        details={"name": user.name, "from": previous.value, "to": user.role.value},
    )


def set_active(*, session: Session, actor: Actor, user_id: int, active: bool) -> None:
    admin = require_role(
        session=session, actor=actor, allowed=ADMIN_ROLES, action="deactivate_accounts"
    )
    user = _user(session=session, user_id=user_id)
    if user.id == admin.id and not active:
        raise PermissionDenied("refusal.permission.own_deactivation")
    user.active = active
    audit.record(
        session=session, actor=actor, action="user.set_active",
        details={"name": user.name, "active": active},
    )


def set_password(*, session: Session, actor: Actor, user_id: int, password: str) -> None:
    """Users change their own password; an admin may reset anyone's."""
    user = _own_or_admin(session=session, actor=actor, user_id=user_id, action="change_password",
                         setting=phrase("refusal.setting.password"))
    user.password_hash = hash_password(password=password)
    audit.record(
        session=session, actor=actor, action="user.set_password", details={"name": user.name}
    )


def check_display_name(*, display_name: str) -> str:
    """The name others see (leaderboards, educators' tables), trimmed; shown as text anywhere,
    so any characters may appear, but it must not be empty or wider than its column."""
    shown = display_name.strip()
    if not shown:
        raise Refusal("refusal.display_name.empty")
    if len(shown) > MAX_DISPLAY_NAME:
        raise Refusal("refusal.display_name.long", maximum=MAX_DISPLAY_NAME, length=len(shown))
    return shown


def set_display_name(*, session: Session, actor: Actor, user_id: int, display_name: str) -> None:
    """Users choose the name others see; an admin may change anyone's."""
    user = _own_or_admin(session=session, actor=actor, user_id=user_id,
                         action="change_display_name",
                         setting=phrase("refusal.setting.display_name"))
    user.display_name = check_display_name(display_name=display_name)
    audit.record(
        session=session, actor=actor, action="user.set_display_name", details={"name": user.name}
    )


def display_name_of(*, session: Session, actor: Actor) -> str:
    """The acting user's own display name."""
    return require_role(session=session, actor=actor, allowed=frozenset(Role),
                        action="read_own_display_name").display_name


def _own_or_admin(*, session: Session, actor: Actor, user_id: int, action: str,
                  setting: Phrase) -> User:
    """The account `user_id`, if the actor is its owner or an admin (settings users change for
    themselves and an admin for anyone)."""
    acting = require_role(session=session, actor=actor, allowed=frozenset(Role), action=action)
    if acting.id != user_id and acting.role != Role.ADMIN:
        raise PermissionDenied("refusal.permission.own_setting", name=repr(acting.name),
                               setting=setting)
    return _user(session=session, user_id=user_id)


def _user(*, session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise ValueError(f"no account with id {user_id}")
    return user
