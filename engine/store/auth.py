"""Authentication: bcrypt-hashed local passwords, optional OIDC identities, demo guests.

Login functions return an `Actor`; every repository call then checks that actor's role against
the database. Demo mode (a named guest trainee, no password) is off unless `LESIONLAB_DEMO=1`
or the caller enables it explicitly; the UI must show clearly that it is on.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping

import bcrypt
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.refusals import Refusal
from engine.store import audit
from engine.store.models import User
from engine.store.roles import Actor, Role

DEMO_VARIABLE = "LESIONLAB_DEMO"
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72  # bcrypt ignores (bcrypt 5 refuses) anything longer
BCRYPT_ROUNDS = 12
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
DEMO_NAME_PREFIX = "guest-"


class AuthenticationFailed(Refusal):
    """Wrong name or password (deliberately not saying which), or a deactivated account."""


def actor_of(user: User) -> Actor:
    return Actor(user_id=user.id, name=user.name, role=user.role)


def check_name(*, name: str) -> str:
    """Account names are lower-case and plain, so they are easy to type and to compare."""
    name = name.strip().lower()
    if not NAME_PATTERN.fullmatch(name):
        raise Refusal("refusal.account.name", name=repr(name))
    return name


def hash_password(*, password: str) -> str:
    size = len(password.encode("utf-8"))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refusal("refusal.password.short", minimum=MIN_PASSWORD_LENGTH)
    if size > MAX_PASSWORD_BYTES:
        raise Refusal("refusal.password.long", size=size, maximum=MAX_PASSWORD_BYTES)
    salt = bcrypt.gensalt(rounds=BCRYPT_ROUNDS)
    return bcrypt.hashpw(password.encode("utf-8"), salt).decode("ascii")


def verify_password(*, password: str, password_hash: str | None) -> bool:
    if not password_hash or len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return False
    return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))


def authenticate(*, session: Session, name: str, password: str) -> Actor:
    """The actor for a local account whose password matches; AuthenticationFailed otherwise."""
    user = session.scalar(select(User).where(User.name == name.strip().lower()))
    if user is None or not user.active or not verify_password(
        password=password, password_hash=user.password_hash
    ):
        raise AuthenticationFailed("refusal.login.failed")
    return actor_of(user)


def has_users(*, session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def create_first_admin(
    *, session: Session, name: str, password: str, display_name: str = ""
) -> Actor:
    """Create the first account, an admin; refused once any account exists."""
    if has_users(session=session):
        raise Refusal("refusal.account.first_admin_exists")
    user = User(
        name=check_name(name=name),
        display_name=display_name or name,
        role=Role.ADMIN,
        password_hash=hash_password(password=password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session=session, actor=None, action="user.first_admin", details={"name": user.name}
    )
    return actor_of(user)


def demo_enabled(*, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    return environ.get(DEMO_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")


def demo_guest(*, session: Session, guest_name: str, enabled: bool) -> Actor:
    """A password-less trainee named `guest-<name>`; only when demo mode is enabled.

    The guest can do what a trainee does and nothing else; signing in again with the same name
    resumes the same guest's attempts.
    """
    if not enabled:
        raise Refusal("refusal.account.demo_off", variable=DEMO_VARIABLE)
    name = check_name(name=DEMO_NAME_PREFIX + guest_name.strip().lower().replace(" ", "-"))
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        user = _insert_or_get(
            session=session,
            user=User(
                name=name, display_name=f"Guest {guest_name.strip()}", role=Role.TRAINEE,
                is_demo_guest=True,
            ),
            action="user.demo_guest",
        )
    if not user.is_demo_guest or not user.active:
        raise Refusal("refusal.account.not_a_guest", name=repr(name))
    return actor_of(user)


def oidc_configured(*, secrets: Mapping) -> bool:
    """True when Streamlit's `[auth]` secrets hold what `st.login` needs."""
    section = secrets.get("auth") or {}
    required = ("redirect_uri", "cookie_secret")
    provider_keys = ("client_id", "client_secret", "server_metadata_url")
    has_provider = all(section.get(key) for key in provider_keys) or any(
        isinstance(value, Mapping) and all(value.get(key) for key in provider_keys)
        for value in section.values()
    )
    return all(section.get(key) for key in required) and has_provider


def oidc_account(*, session: Session, issuer: str, subject: str, email: str, display_name: str):
    """The account linked to an OIDC identity, created as a trainee on first sign-in.

    An admin promotes it to another role; the identity, not the e-mail, is the key.
    """
    if not issuer or not subject:
        raise ValueError("the identity provider returned no issuer ('iss') or subject ('sub')")
    identity = f"{issuer}|{subject}"
    user = session.scalar(select(User).where(User.oidc_identity == identity))
    if user is None:
        base = re.sub(r"[^a-z0-9._-]", "-", (email or subject).lower())[:56].strip("-._")
        name = check_name(name=base or "user")
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            suffix = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:8]
            name = check_name(name=f"{name[:50]}-{suffix}")
        user = _insert_or_get(
            session=session,
            user=User(
                name=name, display_name=display_name or email or name, role=Role.TRAINEE,
                oidc_identity=identity,
            ),
            action="user.oidc_first_sign_in",
        )
    if not user.active:
        raise AuthenticationFailed("refusal.login.deactivated", name=repr(user.name))
    return actor_of(user)


def _insert_or_get(*, session: Session, user: User, action: str) -> User:
    """Insert a new account; if a concurrent sign-in created it first, return that one."""
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:
        existing = session.scalar(select(User).where(User.name == user.name))
        if existing is None:
            raise
        return existing
    audit.record(session=session, actor=None, action=action, details={"name": user.name})
    return user
