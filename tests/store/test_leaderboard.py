"""The cohort leaderboard lists only trainees who opted in, by display name, in a fixed order;
only the trainee sets their own flag, and only the cohort's members and educator see it."""

import pytest
from sqlalchemy import func, select

from engine.store.attempts import AnswerInput, finish_attempt, start_attempt, submit_answer
from engine.store.cohorts import add_member
from engine.store.leaderboard import (
    MIN_ANSWERS_TO_RANK,
    Standing,
    board,
    boards,
    is_opted_in,
    set_opt_in,
)
from engine.store.models import AuditEntry
from engine.store.roles import PermissionDenied, Role
from engine.store.users import add_user

TRUTH = ("mel", "nv", "bcc")  # the world quiz's items, in order


def trainee(world, name, display_name, *, opted_in=True):
    """A new member of the world's cohort, listed or not."""
    with world.database.writing() as session:
        actor = add_user(session=session, actor=None, name=name, role=Role.TRAINEE,
                         password=None, display_name=display_name)
        add_member(session=session, actor=world.eve, cohort_id=world.cohort_id,
                   user_id=actor.user_id)
        set_opt_in(session=session, actor=actor, user_id=actor.user_id, opted_in=opted_in)
    return actor


def attempt(world, actor, *, right, answered=3, revised_first=False):
    """An attempt at the world quiz: the first `right` of `answered` items right, finished
    once all three are answered; `revised_first` revises a wrong first answer to the right one."""
    with world.database.writing() as session:
        started = start_attempt(session=session, actor=actor, quiz_id=world.quiz_id)
        for position, item_id in enumerate(world.item_ids[:answered]):
            given = TRUTH[position] if position < right else "bkl"
            first = "bkl" if revised_first and position == 0 else given
            submit_answer(session=session, actor=actor, attempt_id=started.id, item_id=item_id,
                          answer=AnswerInput(diagnosis=first, management="excise",
                                             confidence=50, time_ms=1000,
                                             revised_diagnosis=given if revised_first else None))
        if answered == len(world.item_ids):
            finish_attempt(session=session, actor=actor, attempt_id=started.id)


@pytest.fixture
def ranked(world):
    """Five listed trainees and one (tom) who did not opt in."""
    people = {name: trainee(world, name, shown) for name, shown in (
        ("amy", "Amy A."), ("bob", "Bob B."), ("zed", "Zoe"), ("yul", "yan"), ("dan", "Dan D."))}
    attempt(world, people["amy"], right=3, revised_first=True)
    attempt(world, people["bob"], right=2)
    attempt(world, people["bob"], right=2)
    attempt(world, people["zed"], right=2)
    attempt(world, people["yul"], right=2)
    attempt(world, people["dan"], right=1, answered=1)  # unfinished: not counted
    attempt(world, world.tom, right=3)
    return people


def test_listed_members_are_ranked_by_accuracy_then_attempts_then_name(world, ranked):
    expected = (Standing(1, "Amy A.", 1, 3, 1.0), Standing(2, "Bob B.", 2, 6, pytest.approx(2 / 3)),
                Standing(3, "yan", 1, 3, pytest.approx(2 / 3)),
                Standing(4, "Zoe", 1, 3, pytest.approx(2 / 3)),
                Standing(None, "Dan D.", 0, 0, None))
    for reader in (ranked["amy"], world.tom, world.eve, world.ada):
        with world.database.reading() as session:
            seen = board(session=session, actor=reader, cohort_id=world.cohort_id,
                         min_answers=3)
        assert seen.standings == expected
        assert seen.unlisted == 1  # tom, who did not opt in, is only counted
        assert "tom" not in repr(seen) and "amy" not in repr(seen)  # no account names


def test_opting_out_takes_a_trainee_off_the_board(world, ranked):
    with world.database.writing() as session:
        set_opt_in(session=session, actor=ranked["amy"], user_id=ranked["amy"].user_id,
                   opted_in=False)
        set_opt_in(session=session, actor=world.tom, user_id=world.tom.user_id, opted_in=True)
    with world.database.reading() as session:
        assert not is_opted_in(session=session, actor=ranked["amy"])
        (seen,) = boards(session=session, actor=world.tom, min_answers=3)
    assert [row.display_name for row in seen.standings] == [
        "tom", "Bob B.", "yan", "Zoe", "Dan D."]
    assert seen.unlisted == 1


def test_a_rank_needs_enough_answers_and_the_unranked_follow_by_answers(world, ranked):
    with world.database.reading() as session:
        few = board(session=session, actor=world.eve, cohort_id=world.cohort_id, min_answers=4)
        default = board(session=session, actor=world.eve, cohort_id=world.cohort_id)
    assert [(row.rank, row.display_name) for row in few.standings] == [
        (1, "Bob B."), (None, "Amy A."), (None, "yan"), (None, "Zoe"), (None, "Dan D.")]
    assert MIN_ANSWERS_TO_RANK == 10  # nobody here has answered 10 cases yet
    assert [row.rank for row in default.standings] == [None] * 5
    assert [row.display_name for row in default.standings] == [
        row.display_name for row in few.standings]
    with pytest.raises(ValueError, match="min_answers 0 must be at least 1"), \
            world.database.reading() as session:
        board(session=session, actor=world.eve, cohort_id=world.cohort_id, min_answers=0)


def test_a_new_account_is_not_listed_until_it_opts_in(world):
    with world.database.reading() as session:
        assert not is_opted_in(session=session, actor=world.tom)
        (seen,) = boards(session=session, actor=world.eve)
    assert (seen.standings, seen.unlisted) == ((), 1)


def test_others_may_neither_set_the_flag_nor_read_a_board_not_theirs(world, ranked):
    amy = ranked["amy"].user_id
    refused = [
        (world.tom, lambda s, a: set_opt_in(session=s, actor=a, user_id=amy, opted_in=False)),
        (world.eve, lambda s, a: set_opt_in(session=s, actor=a, user_id=amy, opted_in=False)),
        (world.ada, lambda s, a: set_opt_in(session=s, actor=a, user_id=amy, opted_in=False)),
        (world.eve, lambda s, a: is_opted_in(session=s, actor=a)),
        (world.tia, lambda s, a: board(session=s, actor=a, cohort_id=world.cohort_id)),
        (world.tia, lambda s, a: board(session=s, actor=a, cohort_id=world.cohort_id + 99)),
        (world.ed, lambda s, a: board(session=s, actor=a, cohort_id=world.cohort_id)),
        (world.xena, lambda s, a: boards(session=s, actor=a)),
    ]
    with world.database.reading() as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
    for actor, call in refused:
        with pytest.raises(PermissionDenied), world.database.writing() as session:
            call(session, actor)
    with world.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before
        assert is_opted_in(session=session, actor=ranked["amy"])
        assert boards(session=session, actor=world.tia) == []
        assert boards(session=session, actor=world.ed) == []
