"""Answers every item of one attempt, one transaction each, then keeps resubmitting.

Run as a separate process by test_crash.py, which kills it with SIGKILL mid-way. After each
commit it prints the item id, so the test knows what was stored for certain.
"""

import sys

from engine.store.attempts import AnswerInput, start_attempt, submit_answer, unanswered_items
from engine.store.db import Database
from engine.store.roles import Actor, Role


def main(url: str, user_id: int, quiz_id: int) -> None:
    actor = Actor(user_id=user_id, name="tom", role=Role.TRAINEE)
    database = Database(url=url)
    with database.writing() as session:
        attempt = start_attempt(session=session, actor=actor, quiz_id=quiz_id)
        items = [item.id for item in unanswered_items(
            session=session, actor=actor, attempt_id=attempt.id)]
    answer = AnswerInput(diagnosis="mel", management="excise", confidence=60, time_ms=900)
    while True:
        for item_id in items:
            with database.writing() as session:
                submit_answer(session=session, actor=actor, attempt_id=attempt.id,
                              item_id=item_id, answer=answer)
            print(item_id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
