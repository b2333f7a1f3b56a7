"""Accounts as the pages use them: signing in (local passwords, the first-run admin, demo
guests), the admin's account list, and each user's own display name."""

from __future__ import annotations

from dataclasses import dataclass

from engine.services.runtime import Runtime
from engine.store import auth, users
from engine.store.roles import Actor, Role


def needs_first_admin(*, runtime: Runtime) -> bool:
    """True on a fresh database: the app then offers to create the first (admin) account."""
    with runtime.database.reading() as session:
        return not auth.has_users(session=session)


def sign_in(*, runtime: Runtime, name: str, password: str) -> Actor:
    with runtime.database.reading() as session:
        return auth.authenticate(session=session, name=name, password=password)


def create_first_admin(*, runtime: Runtime, name: str, password: str) -> Actor:
    with runtime.database.writing() as session:
        return auth.create_first_admin(session=session, name=name, password=password)


def sign_in_guest(*, runtime: Runtime, guest_name: str) -> Actor:
    """A demo guest trainee; refused unless demo mode is on."""
    with runtime.database.writing() as session:
        return auth.demo_guest(
            session=session, guest_name=guest_name, enabled=runtime.config.demo
        )


@dataclass(frozen=True)
class AccountRow:
    """What the account list shows; plain values, safe to keep after the session closes."""

    user_id: int
    name: str
    display_name: str
    role: Role
    active: bool
    demo_guest: bool


def list_accounts(*, runtime: Runtime, actor: Actor) -> list[AccountRow]:
    with runtime.database.reading() as session:
        return [
            AccountRow(user.id, user.name, user.display_name, user.role, user.active,
                       user.is_demo_guest)
            for user in users.list_users(session=session, actor=actor)
        ]


def add_account(
    *, runtime: Runtime, actor: Actor, name: str, role: Role, password: str, display_name: str
) -> Actor:
    with runtime.database.writing() as session:
        return users.add_user(session=session, actor=actor, name=name, role=role,
                              password=password, display_name=display_name)


def change_account(
    *, runtime: Runtime, actor: Actor, user_id: int, role: Role, active: bool
) -> None:
    """Set an account's role and whether it may sign in, in one transaction."""
    with runtime.database.writing() as session:
        users.set_role(session=session, actor=actor, user_id=user_id, role=role)
        users.set_active(session=session, actor=actor, user_id=user_id, active=active)


def display_name(*, runtime: Runtime, actor: Actor) -> str:
    with runtime.database.reading() as session:
        return users.display_name_of(session=session, actor=actor)


def set_display_name(*, runtime: Runtime, actor: Actor, display_name: str) -> None:
    """The signed-in user renames themself (the name leaderboards and educators show)."""
    with runtime.database.writing() as session:
        users.set_display_name(session=session, actor=actor, user_id=actor.user_id,
                               display_name=display_name)
