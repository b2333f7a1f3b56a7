"""Taking a quiz: start (by preset or join code), show one case at a time, answer, resume.

Every step reads the attempt from the store, so a page reload or a server restart continues
where the trainee stopped: the next case is simply the first unanswered item. Answers are
written idempotently by the store (one per attempt and item), so a double click counts once.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.feedback import Feedback as ItemFeedback
from engine.feedback import item_feedback
from engine.services.runtime import Runtime
from engine.store import attempts, items, quizzes
from engine.store.attempts import AnswerInput
from engine.store.models import Attempt, AttemptState, Item, Quiz
from engine.store.quizzes import QuizNotOpen
from engine.store.roles import Actor, PermissionDenied


@dataclass(frozen=True)
class QuizSettings:
    """How a quiz is presented, read from the stored quiz's settings."""

    show_profile: bool
    time_limit_s: int | None
    feedback: str  # "each": after every case; "end": after the last one
    second_opinion: bool
    pass_mark: float
    practice_level: bool  # a preset level generated for this trainee (pass unlocks the next)

    @classmethod
    def of(cls, quiz: Quiz) -> QuizSettings:
        settings = quiz.settings or {}
        spec = quiz.spec or {}
        limit = settings.get("time_limit_s", spec.get("time_limit_s"))
        return cls(
            show_profile=bool(settings.get("show_profile", spec.get("show_profile", True))),
            time_limit_s=int(limit) if limit else None,
            feedback=settings.get("feedback", "each"),
            second_opinion=bool(settings.get("second_opinion", False)),
            pass_mark=float(settings.get("pass_mark", 0.7)),
            practice_level=settings.get("practice_for") is not None,
        )


@dataclass(frozen=True)
class Case:
    """What the trainee sees for one item: no answer, no clean image."""

    attempt_id: int
    item_id: int
    number: int
    total: int
    quiz_title: str
    degraded_png: bytes
    profile: dict | None
    options: tuple[str, ...]
    severity: int | None
    settings: QuizSettings
    generator_id: str


@dataclass(frozen=True)
class Feedback:
    """What the trainee learns after answering: both images, the answer, and why."""

    item_id: int
    correct_answer: str
    diagnosis: str
    revised_diagnosis: str | None
    correct: bool
    management: str
    confidence: int
    clean_png: bytes
    degraded_png: bytes
    explained: ItemFeedback
    profile: dict


@dataclass(frozen=True)
class OpenAttempt:
    attempt_id: int
    quiz_title: str
    answered: int
    total: int


def join(*, runtime: Runtime, actor: Actor, code: str) -> int:
    """Start (or resume) an attempt at the quiz with this join code; returns the attempt id."""
    with runtime.database.writing() as session:
        quiz = quizzes.quiz_by_join_code(session=session, actor=actor, code=code)
        return attempts.start_attempt(session=session, actor=actor, quiz_id=quiz.id).id


def start(*, runtime: Runtime, actor: Actor, quiz_id: int) -> int:
    with runtime.database.writing() as session:
        return attempts.start_attempt(session=session, actor=actor, quiz_id=quiz_id).id


def open_attempts(*, runtime: Runtime, actor: Actor) -> list[OpenAttempt]:
    """The trainee's unfinished attempts, newest first: what a reload offers to continue.
    Attempts on a quiz that has closed since (or is no longer for the trainee's cohort) are
    left out: they cannot go on."""
    with runtime.database.reading() as session:
        result = []
        for attempt in reversed(attempts.list_attempts(session=session, actor=actor)):
            if attempt.state != AttemptState.IN_PROGRESS:
                continue
            quiz = session.get(Quiz, attempt.quiz_id)
            try:
                total = len(items.quiz_items(session=session, actor=actor, quiz_id=quiz.id))
            except (QuizNotOpen, PermissionDenied):
                continue
            answered = len(attempts.attempt_answers(session=session, actor=actor,
                                                    attempt_id=attempt.id))
            result.append(OpenAttempt(attempt.id, quiz.title, answered, total))
        return result


def attempt_settings(*, runtime: Runtime, actor: Actor, attempt_id: int) -> QuizSettings:
    with runtime.database.reading() as session:
        attempt = attempts.get_attempt(session=session, actor=actor, attempt_id=attempt_id)
        return QuizSettings.of(session.get(Quiz, attempt.quiz_id))


def answered_count(*, runtime: Runtime, actor: Actor, attempt_id: int) -> int:
    with runtime.database.reading() as session:
        return len(attempts.attempt_answers(session=session, actor=actor, attempt_id=attempt_id))


def next_case(*, runtime: Runtime, actor: Actor, attempt_id: int) -> Case | None:
    """The first unanswered item of the attempt, or None when every item is answered."""
    with runtime.database.reading() as session:
        attempt = session.get(Attempt, attempt_id)
        shown = items.quiz_items(session=session, actor=actor,
                                 quiz_id=_quiz_id(attempt, attempt_id))
        shown_ids = {item.id for item in shown}
        pending = [item for item in attempts.unanswered_items(
            session=session, actor=actor, attempt_id=attempt_id) if item.id in shown_ids]
        if attempt.state != AttemptState.IN_PROGRESS or not pending:
            return None
        item = pending[0]
        quiz = session.get(Quiz, attempt.quiz_id)
        settings = QuizSettings.of(quiz)
        _, degraded = items.item_images(session=session, actor=actor, item_id=item.id)
        return Case(
            attempt_id=attempt_id, item_id=item.id,
            number=len(shown) - len(pending) + 1, total=len(shown), quiz_title=quiz.title,
            degraded_png=degraded,
            profile=dict(item.profile) if settings.show_profile else None,
            options=tuple(item.options), severity=(item.degradation or {}).get("severity"),
            settings=settings, generator_id=item.generator_id,
        )


def submit(
    *, runtime: Runtime, actor: Actor, attempt_id: int, item_id: int, diagnosis: str,
    management: str, confidence: int, time_ms: int, revised_diagnosis: str | None = None,
) -> Feedback:
    """`record_answer`, then the answer's feedback."""
    record_answer(runtime=runtime, actor=actor, attempt_id=attempt_id, item_id=item_id,
                  diagnosis=diagnosis, management=management, confidence=confidence,
                  time_ms=time_ms, revised_diagnosis=revised_diagnosis)
    return feedback(runtime=runtime, actor=actor, attempt_id=attempt_id, item_id=item_id)


def record_answer(
    *, runtime: Runtime, actor: Actor, attempt_id: int, item_id: int, diagnosis: str,
    management: str, confidence: int, time_ms: int, revised_diagnosis: str | None = None,
) -> None:
    """Store the answer once (a repeat keeps the stored one); the last answer finishes the
    attempt.

    `diagnosis` is the first answer; `revised_diagnosis` the answer after the AI second
    opinion (stored whenever the advice was shown, changed or not).
    """
    with runtime.database.writing() as session:
        attempts.submit_answer(
            session=session, actor=actor, attempt_id=attempt_id, item_id=item_id,
            answer=AnswerInput(diagnosis=diagnosis, management=management,
                               confidence=int(confidence), time_ms=int(time_ms),
                               revised_diagnosis=revised_diagnosis),
        )
        attempt = session.get(Attempt, attempt_id)
        shown = {item.id for item in items.quiz_items(session=session, actor=actor,
                                                      quiz_id=attempt.quiz_id)}
        left = [item for item in attempts.unanswered_items(
            session=session, actor=actor, attempt_id=attempt_id) if item.id in shown]
        if not left:
            attempts.finish_attempt(session=session, actor=actor, attempt_id=attempt_id)


def feedback(
    *, runtime: Runtime, actor: Actor, attempt_id: int, item_id: int, language: str = "en",
) -> Feedback:
    """The feedback for an answered item of the trainee's attempt, written in `language`."""
    with runtime.database.reading() as session:
        answer = next((answer for answer in attempts.attempt_answers(
            session=session, actor=actor, attempt_id=attempt_id) if answer.item_id == item_id),
            None)
        if answer is None:
            raise ValueError(f"item {item_id} has no answer in attempt {attempt_id} yet")
        clean, degraded = items.item_images(session=session, actor=actor, item_id=item_id)
        item = session.get(Item, item_id)
        return Feedback(
            item_id=item_id, correct_answer=item.correct_answer, diagnosis=answer.diagnosis,
            revised_diagnosis=answer.revised_diagnosis,
            correct=_final(answer) == item.correct_answer, management=answer.management.value,
            confidence=answer.confidence, clean_png=clean, degraded_png=degraded,
            explained=item_feedback(
                item={"correct_answer": item.correct_answer, "explanation": item.explanation,
                      "degradation": item.degradation, "options": item.options},
                given=_final(answer), given_management=answer.management.value,
                language=language),
            profile=dict(item.profile),
        )


def attempt_feedback(
    *, runtime: Runtime, actor: Actor, attempt_id: int, language: str = "en",
) -> list[Feedback]:
    """Feedback for every answered item, in quiz order: the end-of-quiz review."""
    with runtime.database.reading() as session:
        answered = [answer.item_id for answer in attempts.attempt_answers(
            session=session, actor=actor, attempt_id=attempt_id)]
    return [feedback(runtime=runtime, actor=actor, attempt_id=attempt_id, item_id=item_id,
                     language=language)
            for item_id in answered]


def _final(answer) -> str:
    return answer.revised_diagnosis or answer.diagnosis


def _quiz_id(attempt: Attempt | None, attempt_id: int) -> int:
    if attempt is None:
        raise ValueError(f"no attempt with id {attempt_id}")
    return attempt.quiz_id
