"""A process killed while writing answers leaves a consistent database and a resumable attempt."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.store.attempts import (
    AnswerInput,
    finish_attempt,
    start_attempt,
    submit_answer,
    unanswered_items,
)
from engine.store.items import add_items
from engine.store.models import Answer, AuditEntry

WRITER = Path(__file__).with_name("answer_writer.py")
ROOT = Path(__file__).resolve().parents[2]
ITEMS = 60
KILL_AFTER = 25


@pytest.mark.slow
def test_sigkill_while_writing_answers_loses_nothing_committed(world, database_url, make_item):
    with world.database.writing() as session:
        add_items(session=session, actor=world.eve, quiz_id=world.quiz_id,
                  items=[make_item(seed=seed) for seed in range(3, ITEMS)])
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), database_url, str(world.tom.user_id), str(world.quiz_id)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    confirmed = []
    try:
        for line in writer.stdout:
            confirmed.append(int(line))
            if len(confirmed) == KILL_AFTER:
                writer.send_signal(signal.SIGKILL)
                break
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert len(confirmed) == KILL_AFTER, writer.stderr.read()
    assert writer.returncode == -signal.SIGKILL

    with world.database.reading() as session:
        if world.database.dialect == "sqlite":
            check = session.connection().exec_driver_sql("PRAGMA integrity_check").scalar()
            assert check == "ok"
        stored = list(session.scalars(select(Answer).order_by(Answer.id)))
        duplicates = session.execute(
            select(Answer.attempt_id, Answer.item_id).group_by(Answer.attempt_id, Answer.item_id)
            .having(func.count() > 1)).all()
        logged = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "answer.submit"))
    stored_items = [answer.item_id for answer in stored]
    # every confirmed answer is there, at most the one in flight besides, nothing twice
    assert stored_items[:KILL_AFTER] == confirmed
    assert len(stored_items) in (KILL_AFTER, KILL_AFTER + 1)
    assert duplicates == []
    assert logged == len(stored)  # answer and its audit entry commit together or not at all
    assert all(a.diagnosis == "mel" and a.confidence == 60 for a in stored)

    answer = AnswerInput(diagnosis="nv", management="monitor", confidence=30, time_ms=700)
    with world.database.writing() as session:
        attempt = start_attempt(session=session, actor=world.tom, quiz_id=world.quiz_id)
        remaining = unanswered_items(session=session, actor=world.tom, attempt_id=attempt.id)
    assert attempt.id == stored[0].attempt_id
    assert len(remaining) == ITEMS - len(stored)
    for item in [*remaining, *remaining[:3]]:  # the last three are resubmissions
        with world.database.writing() as session:
            submit_answer(session=session, actor=world.tom, attempt_id=attempt.id,
                          item_id=item.id, answer=answer)
    with world.database.writing() as session:
        finish_attempt(session=session, actor=world.tom, attempt_id=attempt.id)
        assert session.scalar(select(func.count()).select_from(Answer)) == ITEMS
