"""Answers count once, attempts resume, and bad answers are refused with the field named."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.store.attempts import (
    AnswerInput,
    attempt_answers,
    finish_attempt,
    start_attempt,
    submit_answer,
    unanswered_items,
)
from engine.store.models import Answer, AttemptState, AuditEntry, Quiz

ANSWER = AnswerInput(diagnosis="mel", management="excise", confidence=80, time_ms=5000)


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_resubmitting_returns_the_stored_answer_and_never_counts_twice(world):
    with world.database.writing() as session:
        attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
    item = world.item_ids[0]
    with world.database.writing() as session:
        first = submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                              item_id=item, answer=ANSWER)
    changed = AnswerInput(diagnosis="nv", management="monitor", confidence=10, time_ms=1)
    with world.database.writing() as session:
        again = submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                              item_id=item, answer=changed)
    assert first.created and not again.created
    assert again.answer.id == first.answer.id
    assert (again.answer.diagnosis, again.answer.confidence, again.answer.correct) == (
        "mel", 80, True)
    with world.database.reading() as session:
        assert count(session, Answer) == 1
        submits = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "answer.submit")).all()
        assert len(submits) == 1 and submits[0].actor_name == "tom"


def test_the_last_answer_sent_again_after_the_attempt_finished_is_the_stored_one(world):
    with world.database.writing() as session:
        attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
        for item in world.item_ids:
            submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                          item_id=item, answer=ANSWER)
        finish_attempt(session=session, actor=world.tom, attempt_id=attempt.id)
    with world.database.writing() as session:
        again = submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                              item_id=world.item_ids[-1], answer=ANSWER)
    assert not again.created and again.answer.item_id == world.item_ids[-1]
    with world.database.reading() as session:
        assert count(session, Answer) == len(world.item_ids)


def test_simultaneous_submissions_of_one_answer_store_one_row(world):
    with world.database.writing() as session:
        attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
    results, errors = [], []
    barrier = threading.Barrier(8)

    def submit():
        barrier.wait()
        try:
            with world.database.writing() as session:
                results.append(submit_answer(session=session, actor=world.tom,
                                             attempt_id=attempt.id, item_id=world.item_ids[1],
                                             answer=ANSWER))
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(result.created for result in results) == 1
    assert len({result.answer.id for result in results}) == 1
    with world.database.reading() as session:
        assert count(session, Answer) == 1


def test_an_unfinished_attempt_resumes_where_it_stopped(world):
    with world.database.writing() as session:
        attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
        submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                      item_id=world.item_ids[0], answer=ANSWER)
    with world.database.writing() as session:
        resumed = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
        remaining = unanswered_items(session=session, actor=world.tom, attempt_id=resumed.id)
    assert resumed.id == attempt.id and resumed.number == 1
    assert [item.id for item in remaining] == world.item_ids[1:]
    with world.database.writing() as session:
        finished = finish_attempt(session=session, actor=world.tom, attempt_id=attempt.id)
        assert finished.state == AttemptState.FINISHED and finished.finished is not None
    with world.database.writing() as session, pytest.raises(ValueError, match="is finished"):
        submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                      item_id=world.item_ids[1], answer=ANSWER)
    with world.database.writing() as session:
        second = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
    assert second.id != attempt.id and second.number == 2
    with world.database.reading() as session:
        answers = attempt_answers(session=session, actor=world.tom, attempt_id=attempt.id)
    assert [a.item_id for a in answers] == [world.item_ids[0]]


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        (AnswerInput(diagnosis="xyz", management="excise", confidence=5, time_ms=1), "diagnosis"),
        (AnswerInput(diagnosis="mel", management="wait", confidence=5, time_ms=1), "management"),
        (AnswerInput(diagnosis="mel", management="excise", confidence=101, time_ms=1),
         "confidence"),
        (AnswerInput(diagnosis="mel", management="excise", confidence=5, time_ms=-1), "time_ms"),
        (AnswerInput(diagnosis="mel", management="excise", confidence=5, time_ms=1,
                     revised_diagnosis="akiec"), "revised_diagnosis"),
    ],
)
def test_invalid_answers_name_the_field_and_store_nothing(world, answer, field):
    with world.database.writing() as session:
        attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
    with pytest.raises(ValueError, match=field), world.database.writing() as session:
        submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                      item_id=world.item_ids[0], answer=answer)
    with world.database.reading() as session:
        assert count(session, Answer) == 0


def test_items_of_other_quizzes_and_closed_quizzes_are_refused(world):
    with world.database.writing() as session:
        attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
    with pytest.raises(ValueError, match="not part of the quiz"), \
            world.database.writing() as session:
        submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                      item_id=max(world.item_ids) + 100, answer=ANSWER)
    with world.database.writing() as session:
        session.get(Quiz, world.quiz_id).closes_at = datetime.now(UTC) - timedelta(minutes=1)
    with pytest.raises(ValueError, match="closed at"), world.database.writing() as session:
        submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                      item_id=world.item_ids[0], answer=ANSWER)
