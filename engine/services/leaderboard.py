"""The cohort leaderboard for the app: the trainee's own opt-in and the boards they may see."""

from __future__ import annotations

from engine.services.runtime import Runtime
from engine.store import leaderboard
from engine.store.leaderboard import Board
from engine.store.roles import Actor


def opted_in(*, runtime: Runtime, actor: Actor) -> bool:
    with runtime.database.reading() as session:
        return leaderboard.is_opted_in(session=session, actor=actor)


def set_opt_in(*, runtime: Runtime, actor: Actor, opted_in: bool) -> None:
    with runtime.database.writing() as session:
        leaderboard.set_opt_in(session=session, actor=actor, user_id=actor.user_id,
                               opted_in=opted_in)


def boards(*, runtime: Runtime, actor: Actor) -> list[Board]:
    """A board per cohort of the trainee, or per cohort the educator owns."""
    with runtime.database.reading() as session:
        return leaderboard.boards(session=session, actor=actor)
