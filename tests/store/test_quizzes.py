"""Join codes, quiz dates, cohort assignment and item storage."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.store.attempts import AnswerInput, start_attempt, submit_answer
from engine.store.cohorts import add_member
from engine.store.items import add_items, item_images, quiz_items
from engine.store.models import Item, Quiz
from engine.store.quizzes import (
    JOIN_CODE_ALPHABET,
    assign_quiz,
    create_quiz,
    format_join_code,
    list_quizzes,
    new_join_code,
    parse_join_code,
    quiz_by_join_code,
)
from engine.store.reviews import submit_review
from engine.store.roles import PermissionDenied


@given(st.integers(min_value=0, max_value=2**32))
def test_join_codes_round_trip_through_their_display_form(seed):
    code = new_join_code(rng=random.Random(seed))
    assert len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET)
    assert not set(code) & set("01OIL")
    shown = format_join_code(code=code)
    assert parse_join_code(code=shown) == code
    assert parse_join_code(code=f"  {shown.lower()} ") == code


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("ABC-DE", "5 characters"), ("ABCDEFG", "7 characters"), ("ABC-DE0", "'0'"),
     ("OIL-234", "it holds 'I', 'L', 'O', which"), ("", "0 characters")],
)
def test_malformed_join_codes_say_what_is_wrong(typed, reason):
    with pytest.raises(ValueError, match="malformed") as caught:
        parse_join_code(code=typed)
    assert reason in str(caught.value)


def test_a_trainee_opens_a_quiz_by_code_only_inside_its_dates_and_cohort(world):
    with world.database.reading() as session:
        quiz = quiz_by_join_code(session=session, actor=world.tom,
                                 code=format_join_code(code=world.join_code).lower())
        assert quiz.id == world.quiz_id
        with pytest.raises(PermissionDenied, match="cohort you are not in"):
            quiz_by_join_code(session=session, actor=world.tia, code=world.join_code)
        unknown = next(c for c in ("AAAAAA", "BBBBBB") if c != world.join_code)
        with pytest.raises(ValueError, match="no quiz has the join code"):
            quiz_by_join_code(session=session, actor=world.tom, code=unknown)
    now = datetime.now(UTC)
    with world.database.writing() as session:
        assign_quiz(session=session, actor=world.eve, quiz_id=world.quiz_id,
                    cohort_id=world.cohort_id, opens_at=now + timedelta(hours=1))
    with world.database.reading() as session, pytest.raises(ValueError, match="opens at"):
        quiz_by_join_code(session=session, actor=world.tom, code=world.join_code)
    with world.database.writing() as session:
        assign_quiz(session=session, actor=world.eve, quiz_id=world.quiz_id, cohort_id=None,
                    opens_at=now - timedelta(hours=2), closes_at=now - timedelta(hours=1))
    with world.database.reading() as session, pytest.raises(ValueError, match="closed at"):
        quiz_by_join_code(session=session, actor=world.tia, code=world.join_code)
    with world.database.writing() as session:
        assign_quiz(session=session, actor=world.eve, quiz_id=world.quiz_id, cohort_id=None)
        assert start_attempt(session=session, actor=world.tia, quiz_id=world.quiz_id).number == 1


def test_quiz_fields_are_checked_and_stored_as_given(world):
    now = datetime.now(UTC).replace(microsecond=0)
    with world.database.writing() as session:
        with pytest.raises(ValueError, match="must be after opens_at"):
            create_quiz(session=session, actor=world.eve, title="t", spec={}, seed=1,
                        opens_at=now, closes_at=now)
        with pytest.raises(ValueError, match="time zone"):
            create_quiz(session=session, actor=world.eve, title="t", spec={}, seed=1,
                        opens_at=datetime(2030, 1, 1))
        with pytest.raises(ValueError, match="JSON object"):
            create_quiz(session=session, actor=world.eve, title="t", spec=["x"], seed=1)
        with pytest.raises(PermissionDenied, match="another educator"):
            create_quiz(session=session, actor=world.ed, title="t", spec={}, seed=1,
                        cohort_id=world.cohort_id)
        quiz = create_quiz(session=session, actor=world.eve, title="Dated", seed=2**40,
                           spec={"classes": ["mel", "nv"], "options": 4},
                           opens_at=now, closes_at=now + timedelta(days=7),
                           settings={"validated_only": True})
    with world.database.reading() as session:
        quizzes = {q.title: q for q in list_quizzes(session=session, actor=world.eve)}
    stored = quizzes["Dated"]
    assert stored.id == quiz.id and stored.seed == 2**40
    assert stored.spec == {"classes": ["mel", "nv"], "options": 4}
    assert stored.opens_at == now and stored.opens_at.tzinfo is not None
    assert stored.join_code != world.join_code


def test_items_keep_positions_checksums_and_refuse_bad_input(world, make_item):
    with world.database.writing() as session:
        more = add_items(session=session, actor=world.eve, quiz_id=world.quiz_id,
                         items=[make_item(dx="nv", seed=11)])
        assert more[0].position == 3
        good = make_item()
        bad = replace(good, clean_png=b"GIF89a", profile={**good.profile, "dx": "zzz"})
        with pytest.raises(ValueError, match=r"item 1: profile: dx 'zzz'.*clean_png"):
            add_items(session=session, actor=world.eve, quiz_id=world.quiz_id, items=[good, bad])
    with world.database.reading() as session:
        items = quiz_items(session=session, actor=world.eve, quiz_id=world.quiz_id)
        assert [item.position for item in items] == [0, 1, 2, 3]
        clean, degraded = item_images(session=session, actor=world.xena, item_id=items[0].id)
        assert clean == make_item(dx="mel", seed=0).clean_png and clean != degraded
    with world.database.writing() as session:
        session.get(Item, items[0].id).degraded_png = b"\x89PNG\r\n\x1a\ndamaged"
    with world.database.reading() as session, pytest.raises(ValueError, match="checksum"):
        item_images(session=session, actor=world.tom, item_id=items[0].id)


def test_a_trainee_reviews_answered_items_after_the_quiz_closed(world):
    with world.database.writing() as session:
        attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
        submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                      item_id=world.item_ids[0],
                      answer=AnswerInput(diagnosis="mel", management="excise", confidence=50,
                                         time_ms=900))
        now = datetime.now(UTC)
        assign_quiz(session=session, actor=world.eve, quiz_id=world.quiz_id, cohort_id=None,
                    opens_at=now - timedelta(hours=2), closes_at=now - timedelta(hours=1))
    with world.database.reading() as session:
        clean, degraded = item_images(session=session, actor=world.tom,
                                      item_id=world.item_ids[0])
        assert clean and degraded
        with pytest.raises(ValueError, match="closed at"):
            item_images(session=session, actor=world.tom, item_id=world.item_ids[1])
        with pytest.raises(ValueError, match="closed at"):
            item_images(session=session, actor=world.tia, item_id=world.item_ids[0])


def test_validated_only_quizzes_show_trainees_approved_items_only(world):
    with world.database.writing() as session:
        session.get(Quiz, world.quiz_id).settings = {"validated_only": True}
        submit_review(session=session, actor=world.xena, item_id=world.item_ids[1], realism=4,
                      agrees_with_diagnosis=True, decision="approve")
        add_member(session=session, actor=world.eve, cohort_id=world.cohort_id,
                   user_id=world.tia.user_id)
    with world.database.reading() as session:
        shown = quiz_items(session=session, actor=world.tia, quiz_id=world.quiz_id)
        everything = quiz_items(session=session, actor=world.eve, quiz_id=world.quiz_id)
    assert [item.id for item in shown] == [world.item_ids[1]]
    assert len(everything) == 3
