"""Every forbidden action, tried through the repositories, ends in PermissionDenied."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.store import audit
from engine.store.attempts import (
    AnswerInput,
    attempt_answers,
    get_attempt,
    list_attempts,
    start_attempt,
    submit_answer,
)
from engine.store.cohorts import add_member, create_cohort, list_cohorts, members, remove_member
from engine.store.exports import answers_csv, export_item_bank
from engine.store.items import add_items, item_images, quiz_items
from engine.store.models import AuditEntry
from engine.store.quizzes import assign_quiz, create_quiz, list_quizzes, takeable_quiz
from engine.store.reviews import item_reviews, items_for_review, submit_review
from engine.store.roles import TEACHING_ROLES, PermissionDenied, Role, require_role
from engine.store.users import add_user, list_users, set_active, set_password, set_role

ANSWER = AnswerInput(diagnosis="mel", management="excise", confidence=80, time_ms=5000)


def forbidden_actions(w, tom_attempt_id, make_item, tmp_path):
    """(who, what, call) for every action the role must not take."""
    item = w.item_ids[0]
    return [
        # only an admin manages users
        ("eve", "create accounts", lambda s, a: add_user(
            session=s, actor=a, name="mallory", role=Role.ADMIN, password=None)),
        ("tom", "create accounts", lambda s, a: add_user(
            session=s, actor=a, name="mallory", role=Role.TRAINEE, password=None)),
        ("xena", "list accounts", lambda s, a: list_users(session=s, actor=a)),
        ("tom", "change roles", lambda s, a: set_role(
            session=s, actor=a, user_id=w.tom.user_id, role=Role.ADMIN)),
        ("eve", "deactivate accounts", lambda s, a: set_active(
            session=s, actor=a, user_id=w.tia.user_id, active=False)),
        ("tom", "change someone else's password", lambda s, a: set_password(
            session=s, actor=a, user_id=w.tia.user_id, password="new-password-1")),
        ("ada", "remove own admin role", lambda s, a: set_role(
            session=s, actor=a, user_id=w.ada.user_id, role=Role.TRAINEE)),
        ("eve", "read the audit log", lambda s, a: audit.entries(session=s, actor=a)),
        # only educators (and admins) create and assign quizzes and see their cohorts
        ("tom", "create quizzes", lambda s, a: create_quiz(
            session=s, actor=a, title="mine", spec={}, seed=1)),
        ("xena", "create quizzes", lambda s, a: create_quiz(
            session=s, actor=a, title="mine", spec={}, seed=1)),
        ("tom", "create cohorts", lambda s, a: create_cohort(session=s, actor=a, name="x")),
        ("tom", "see cohorts", lambda s, a: list_cohorts(session=s, actor=a)),
        ("xena", "see cohorts", lambda s, a: list_cohorts(session=s, actor=a)),
        ("ed", "see another educator's cohort", lambda s, a: members(
            session=s, actor=a, cohort_id=w.cohort_id)),
        ("ed", "add to another educator's cohort", lambda s, a: add_member(
            session=s, actor=a, cohort_id=w.cohort_id, user_id=w.tia.user_id)),
        ("tom", "leave a cohort himself", lambda s, a: remove_member(
            session=s, actor=a, cohort_id=w.cohort_id, user_id=w.tom.user_id)),
        ("ed", "assign another educator's quiz", lambda s, a: assign_quiz(
            session=s, actor=a, quiz_id=w.quiz_id, cohort_id=None)),
        ("tom", "assign quizzes", lambda s, a: assign_quiz(
            session=s, actor=a, quiz_id=w.quiz_id, cohort_id=None)),
        ("ed", "add items to another educator's quiz", lambda s, a: add_items(
            session=s, actor=a, quiz_id=w.quiz_id, items=[make_item()])),
        ("tom", "add items", lambda s, a: add_items(
            session=s, actor=a, quiz_id=w.quiz_id, items=[make_item()])),
        ("ed", "see another educator's items", lambda s, a: quiz_items(
            session=s, actor=a, quiz_id=w.quiz_id)),
        ("ed", "see another educator's images", lambda s, a: item_images(
            session=s, actor=a, item_id=item)),
        ("xena", "list quizzes", lambda s, a: list_quizzes(session=s, actor=a)),
        # a trainee reads only their own attempts, and takes only quizzes given to them
        ("tia", "read another trainee's attempt", lambda s, a: get_attempt(
            session=s, actor=a, attempt_id=tom_attempt_id)),
        ("tia", "read another trainee's answers", lambda s, a: attempt_answers(
            session=s, actor=a, attempt_id=tom_attempt_id)),
        ("tia", "list another trainee's attempts", lambda s, a: list_attempts(
            session=s, actor=a, user_id=w.tom.user_id)),
        ("tia", "answer in another trainee's attempt", lambda s, a: submit_answer(
            session=s, actor=a, attempt_id=tom_attempt_id, item_id=item, answer=ANSWER)),
        ("tia", "take a quiz of a cohort she is not in", lambda s, a: start_attempt(
            session=s, actor=a, quiz_id=w.quiz_id)),
        ("tia", "see images of a quiz not given to her", lambda s, a: item_images(
            session=s, actor=a, item_id=item)),
        ("eve", "take quizzes", lambda s, a: takeable_quiz(
            session=s, actor=a, quiz_id=w.quiz_id)),
        ("ed", "read an attempt on another educator's quiz", lambda s, a: get_attempt(
            session=s, actor=a, attempt_id=tom_attempt_id)),
        ("xena", "read attempts", lambda s, a: list_attempts(session=s, actor=a)),
        ("ed", "export another educator's answers", lambda s, a: answers_csv(
            session=s, actor=a, quiz_id=w.quiz_id)),
        ("tom", "export answers", lambda s, a: answers_csv(
            session=s, actor=a, quiz_id=w.quiz_id)),
        ("xena", "export the item bank", lambda s, a: export_item_bank(
            session=s, actor=a, out_dir=tmp_path / "bank")),
        # only experts review
        ("eve", "review items", lambda s, a: submit_review(
            session=s, actor=a, item_id=item, realism=5, agrees_with_diagnosis=True,
            decision="approve")),
        ("ada", "review items", lambda s, a: submit_review(
            session=s, actor=a, item_id=item, realism=5, agrees_with_diagnosis=True,
            decision="approve")),
        ("tom", "list items for review", lambda s, a: items_for_review(session=s, actor=a)),
        ("tom", "read reviews", lambda s, a: item_reviews(session=s, actor=a, item_id=item)),
    ]


def test_every_forbidden_action_is_refused_and_changes_nothing(world, make_item, tmp_path):
    with world.database.writing() as session:
        attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
        submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                      item_id=world.item_ids[0], answer=ANSWER)
    with world.database.reading() as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
    actions = forbidden_actions(world, attempt.id, make_item, tmp_path)
    for who, what, call in actions:
        with pytest.raises(PermissionDenied) as caught:
            with world.database.writing() as session:
                call(session, getattr(world, who))
        assert str(caught.value), f"{who} may not {what}: the refusal must say why"
    with world.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before
    assert not (tmp_path / "bank").exists()


def test_deactivated_or_demoted_accounts_lose_their_rights_at_once(world):
    with world.database.writing() as session:
        set_active(session=session, actor=world.ada, user_id=world.eve.user_id, active=False)
        set_role(session=session, actor=world.ada, user_id=world.ed.user_id, role=Role.TRAINEE)
    for actor in (world.eve, world.ed):
        with pytest.raises(PermissionDenied), world.database.writing() as session:
            create_quiz(session=session, actor=actor, title="after", spec={}, seed=1)


def test_allowed_actions_see_only_what_belongs_to_the_actor(world):
    with world.database.writing() as session:
        other = create_cohort(session=session, actor=world.ed, name="Year 3")
        create_quiz(session=session, actor=world.ed, title="Ed's quiz", spec={}, seed=2,
                    cohort_id=other.id,
                    closes_at=datetime.now(UTC) + timedelta(days=1))
        tom_attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
    with world.database.reading() as session:
        assert [c.name for c in list_cohorts(session=session, actor=world.eve)] == ["Year 2"]
        assert {c.name for c in list_cohorts(session=session, actor=world.ada)} == {
            "Year 2", "Year 3"}
        assert [q.title for q in list_quizzes(session=session, actor=world.eve)] == [
            "Pigmented lesions"]
        assert [q.title for q in list_quizzes(session=session, actor=world.tom)] == [
            "Pigmented lesions"]
        assert list_quizzes(session=session, actor=world.tia) == []
        assert [a.id for a in list_attempts(session=session, actor=world.tom)] == [tom_attempt.id]
        assert list_attempts(session=session, actor=world.tia) == []
        assert [a.id for a in list_attempts(session=session, actor=world.eve)] == [tom_attempt.id]
        assert list_attempts(session=session, actor=world.ed) == []
        assert len(audit.entries(session=session, actor=world.ada)) > 0


def test_a_permission_refusal_names_roles_in_the_language(world):
    with world.database.reading() as session, pytest.raises(PermissionDenied) as caught:
        require_role(session=session, actor=world.tom, allowed=TEACHING_ROLES,
                     action="create_quizzes")
    assert str(caught.value) == ("trainee 'tom' may not create quizzes; only an admin or "
                                 "educator may")
    assert caught.value.message("ja") == ("研修医のアカウント 'tom' にはクイズの作成の権限があり"
                                          "ません。この操作ができるのは管理者または指導医のみです")
    assert caught.value.message("id") == ("peserta didik 'tom' tidak berwenang membuat kuis; "
                                          "hanya admin atau pendidik yang berwenang")
