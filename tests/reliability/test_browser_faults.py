"""The server killed with SIGKILL in the middle of a quiz and started again on the same store:
every answer the trainee saw accepted is stored, none twice, and the trainee continues at the
first unanswered case."""

from __future__ import annotations

import pytest
from browser_steps import guest
from browser_support import answer, go_to, join, settle
from sqlalchemy import func, select

from engine.services.runtime import RuntimeConfig, open_runtime
from engine.store.models import Answer, Attempt, User

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CONFIRMED = 3


def stored_answers(data_dir, guest_name: str) -> list[int]:
    runtime = open_runtime(config=RuntimeConfig.from_environment(
        environ={"LESIONLAB_DATA_DIR": str(data_dir)}))
    try:
        with runtime.database.reading() as session:
            rows = session.scalars(
                select(Answer.item_id).join(Attempt, Attempt.id == Answer.attempt_id)
                .join(User, User.id == Attempt.user_id).where(User.name == guest_name)
                .order_by(Answer.id)).all()
            duplicates = session.execute(
                select(Answer.attempt_id, Answer.item_id)
                .group_by(Answer.attempt_id, Answer.item_id).having(func.count() > 1)).all()
    finally:
        runtime.database.dispose()
    assert duplicates == []
    return list(rows)


def test_server_killed_mid_quiz_restarts_with_every_answer_and_resumes(app_server, tally):
    page = guest(app_server, "restart")
    join(page, app_server.codes["five"])
    for number in range(1, CONFIRMED + 1):
        page.get_by_text(f"Case {number} of 5").wait_for()
        settle(page)
        answer(page)
    page.get_by_text(f"Case {CONFIRMED + 1} of 5").wait_for()
    settle(page)
    # one more answer is in flight when the power goes
    page.get_by_text("Benign", exact=True).first.click()
    page.get_by_text("Monitor", exact=True).click()
    page.get_by_role("button", name="Submit answer").click()
    app_server.server.kill()
    page.context.close()

    stored = stored_answers(app_server.server.data_dir, "guest-restart")
    assert len(stored) in (CONFIRMED, CONFIRMED + 1)

    app_server.server.start()
    page = guest(app_server, "restart")
    go_to(page, "Practice")
    page.get_by_role("button", name=f"Five cases · {len(stored)} of 5 answered").click()
    settle(page)
    for number in range(len(stored) + 1, 6):
        page.get_by_text(f"Case {number} of 5").wait_for()
        settle(page)
        answer(page)
    page.get_by_text("Quiz complete").wait_for()
    assert len(stored_answers(app_server.server.data_dir, "guest-restart")) == 5
    page.context.close()
    tally.event("server SIGKILL mid-quiz", answers_confirmed_before_kill=CONFIRMED,
                answers_stored_after_restart=len(stored), lost=0, duplicated=0,
                resumed_at_next_unanswered=True)
