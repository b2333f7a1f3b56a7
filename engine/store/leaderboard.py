"""The opt-in cohort leaderboard: nobody is listed without their own consent.

Only the trainee sets or clears their flag. A board lists opted-in members by display name,
never by account name, and counts the others without naming them. It is shown to the
cohort's members and to its educator; anyone else is refused. Members are ranked once they
have answered enough cases, so one lucky short quiz does not top the board.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from engine.store import audit
from engine.store.cohorts import list_cohorts, owned_cohort
from engine.store.models import Answer, Attempt, AttemptState, Cohort, CohortMember, Item, User
from engine.store.roles import (
    TAKING_ROLES,
    TEACHING_ROLES,
    Actor,
    PermissionDenied,
    Role,
    require_role,
)

BOARD_READERS = TAKING_ROLES | TEACHING_ROLES
MIN_ANSWERS_TO_RANK = 10


@dataclass(frozen=True)
class Standing:
    """One listed trainee. `accuracy` is the share of right final answers over all their
    finished attempts (practice levels and quizzes alike), `answered` the cases it counts;
    `rank` is None until `answered` reaches the board's minimum."""

    rank: int | None
    display_name: str
    finished_attempts: int
    answered: int
    accuracy: float | None


@dataclass(frozen=True)
class Board:
    cohort_id: int
    cohort_name: str
    standings: tuple[Standing, ...]
    unlisted: int  # active members who did not opt in: a count, never who


def set_opt_in(*, session: Session, actor: Actor, user_id: int, opted_in: bool) -> None:
    """A trainee lists or unlists themself; nobody may decide this for someone else."""
    user = require_role(session=session, actor=actor, allowed=TAKING_ROLES,
                        action="join_cohort_leaderboards")
    if user.id != user_id:
        raise PermissionDenied("refusal.permission.leaderboard_choice", name=repr(user.name))
    user.leaderboard_opt_in = opted_in
    audit.record(session=session, actor=actor, action="user.leaderboard_opt_in",
                 details={"opted_in": opted_in})


def is_opted_in(*, session: Session, actor: Actor) -> bool:
    return require_role(session=session, actor=actor, allowed=TAKING_ROLES,
                        action="join_cohort_leaderboards").leaderboard_opt_in


def boards(*, session: Session, actor: Actor,
           min_answers: int = MIN_ANSWERS_TO_RANK) -> list[Board]:
    """The board of every cohort the trainee is in, or that the educator owns (admin: all)."""
    user = require_role(session=session, actor=actor, allowed=BOARD_READERS,
                        action="see_cohort_leaderboards")
    if user.role == Role.TRAINEE:
        cohorts = session.scalars(
            select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user.id).order_by(Cohort.name, Cohort.id))
    else:
        cohorts = list_cohorts(session=session, actor=actor)
    return [_board(session=session, cohort=cohort, min_answers=min_answers)
            for cohort in cohorts]


def board(*, session: Session, actor: Actor, cohort_id: int,
          min_answers: int = MIN_ANSWERS_TO_RANK) -> Board:
    """One cohort's board, for its members and its educator only."""
    return _board(session=session,
                  cohort=_readable_cohort(session=session, actor=actor, cohort_id=cohort_id),
                  min_answers=min_answers)


def _board(*, session: Session, cohort: Cohort, min_answers: int) -> Board:
    """Ranked members (at least `min_answers` cases answered) by accuracy, then finished
    attempts; after them the others by cases answered; ties by display name and account id,
    so equal figures always come out in the same order."""
    if min_answers < 1:
        raise ValueError(f"min_answers {min_answers} must be at least 1")
    members = list(session.scalars(
        select(User).join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id, User.active.is_(True))))
    listed = [member for member in members if member.leaderboard_opt_in]
    figures = _figures(session=session, user_ids=[member.id for member in listed])

    rows = [(member, *figures.get(member.id, (0, 0, None))) for member in listed]

    def order(row):
        member, finished, answered, accuracy = row
        if answered >= min_answers:
            return (0, -accuracy, -finished, member.display_name.casefold(), member.id)
        return (1, -answered, 0, member.display_name.casefold(), member.id)

    standings = tuple(
        Standing(position if answered >= min_answers else None, member.display_name,
                 finished, answered, accuracy)
        for position, (member, finished, answered, accuracy)
        in enumerate(sorted(rows, key=order), start=1))
    return Board(cohort.id, cohort.name, standings, len(members) - len(listed))


def _readable_cohort(*, session: Session, actor: Actor, cohort_id: int) -> Cohort:
    user = require_role(session=session, actor=actor, allowed=BOARD_READERS,
                        action="see_cohort_leaderboards")
    if user.role != Role.TRAINEE:
        return owned_cohort(session=session, actor=actor, cohort_id=cohort_id,
                            action="see_cohort_leaderboards")
    if session.get(CohortMember, (cohort_id, user.id)) is None:
        raise PermissionDenied("refusal.permission.not_in_cohort", name=repr(user.name),
                               cohort_id=cohort_id)
    return session.get(Cohort, cohort_id)


def _figures(*, session: Session,
             user_ids: list[int]) -> dict[int, tuple[int, int, float | None]]:
    """user id -> (finished attempts, answers in them, share of right final answers)."""
    final = func.coalesce(Answer.revised_diagnosis, Answer.diagnosis)
    rows = session.execute(
        select(Attempt.user_id, func.count(distinct(Attempt.id)), func.count(Answer.id),
               func.sum(case((final == Item.correct_answer, 1), else_=0)))
        .outerjoin(Answer, Answer.attempt_id == Attempt.id)
        .outerjoin(Item, Item.id == Answer.item_id)
        .where(Attempt.user_id.in_(user_ids), Attempt.state == AttemptState.FINISHED)
        .group_by(Attempt.user_id))
    return {user_id: (finished, answered, right / answered if answered else None)
            for user_id, finished, answered, right in rows}
