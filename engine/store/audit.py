"""The audit log: who changed what, when. Written in the same transaction as the change.

Because the entry commits or rolls back with the change it describes, the log never claims a
change that did not happen, nor misses one that did.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.store.models import AuditEntry
from engine.store.roles import ADMIN_ROLES, Actor, require_role

OPERATOR_NAME = "operator (command line)"


def record(*, session: Session, actor: Actor | None, action: str, details: dict) -> None:
    """Add an entry; `actor` None means the local operator at the command line."""
    session.add(
        AuditEntry(
            actor_id=actor.user_id if actor else None,
            actor_name=actor.name if actor else OPERATOR_NAME,
            action=action,
            details=details,
        )
    )


def entries(
    *,
    session: Session,
    actor: Actor,
    action: str | None = None,
    since: datetime | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """The newest entries first; admins only."""
    require_role(session=session, actor=actor, allowed=ADMIN_ROLES, action="read_audit_log")
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action == action)
    if since:
        query = query.where(AuditEntry.created >= since)
    return list(session.scalars(query))
