"""Practice: pick a preset or join by code, answer one case at a time, see feedback and score.

The attempt lives in the store; this page keeps only which attempt is open and the first
answer while the AI second opinion is shown. A reload or restart offers to continue.
"""

import time

import streamlit as st
from ui import case_view
from ui.components import page_header
from ui.i18n import current_language, refusal_text, t
from ui.practice_start import choose_attempt
from ui.session import require_actor, runtime

from engine.services import advice, practice, results
from engine.store.quizzes import QuizNotOpen

actor = require_actor()
shared = runtime()
page_header(title_key="practice.title")

attempt_id = st.session_state.get("attempt_id")
if attempt_id is None:
    choose_attempt(actor=actor, shared=shared)
    st.stop()


def _leave() -> None:
    for key in ("attempt_id", "feedback_item", "pending_answer"):
        st.session_state.pop(key, None)


if refused := st.session_state.pop("answer_refused", None):
    st.error(t("practice.answer_refused", reason=refused))

shown_feedback = st.session_state.get("feedback_item")
if shown_feedback is not None:
    case_view.show_feedback(practice.feedback(
        runtime=shared, actor=actor, attempt_id=attempt_id, item_id=shown_feedback,
        language=current_language()))
    if st.button(t("practice.next_case"), type="primary", icon=":material/arrow_forward:"):
        del st.session_state["feedback_item"]
        st.rerun()
    st.stop()

try:
    case = practice.next_case(runtime=shared, actor=actor, attempt_id=attempt_id)
except QuizNotOpen as error:  # the quiz closed (or is not open yet) since the attempt began
    st.error(t("practice.cannot_continue", reason=refusal_text(error)))
    st.button(t("practice.back_to_start"), on_click=_leave)
    st.stop()
if case is None and not practice.answered_count(runtime=shared, actor=actor,
                                                attempt_id=attempt_id):
    st.info(t("practice.no_cases_yet"), icon=":material/hourglass_empty:")
    st.button(t("practice.back_to_start"), on_click=_leave)
    st.stop()
if case is None:
    score = results.attempt_score(runtime=shared, actor=actor, attempt_id=attempt_id)
    st.subheader(t("practice.done"))
    columns = st.columns(4)
    columns[0].metric(t("score.accuracy"), f"{score.accuracy:.0%}")
    columns[1].metric(t("score.balanced_accuracy"), f"{score.balanced_accuracy:.0%}")
    columns[2].metric(t("score.management"), f"{score.management_accuracy:.0%}")
    columns[3].metric(t("score.brier"), f"{score.brier:.2f}", help=t("score.brier_help"))
    right_answers = round(score.accuracy * score.n)
    st.subheader(t("practice.score_line", correct=right_answers, total=score.n))
    settings = practice.attempt_settings(runtime=shared, actor=actor, attempt_id=attempt_id)
    if settings.practice_level and score.accuracy >= settings.pass_mark:
        st.success(t("practice.passed"), icon=":material/lock_open:")
    elif settings.practice_level:
        st.warning(t("practice.not_passed", mark=settings.pass_mark))
    with st.expander(t("practice.review_answers"), icon=":material/fact_check:",
                     expanded=True):
        for result in practice.attempt_feedback(runtime=shared, actor=actor,
                                                attempt_id=attempt_id,
                                                language=current_language()):
            case_view.show_feedback(result)
            st.divider()
    st.button(t("practice.back_to_start"), on_click=_leave, type="primary")
    st.stop()

started = case_view.case_started_at(case.item_id)
use_advice = case.settings.second_opinion and advice.auditor_available(runtime=shared)


def _record(diagnosis: str, management: str, confidence: int, revised: str | None) -> None:
    """Store the answer (idempotent) and move on: feedback now, or the next case. A refusal
    (the quiz closed, or the attempt was finished in another tab) is shown above the case."""
    try:
        practice.record_answer(
            runtime=shared, actor=actor, attempt_id=attempt_id, item_id=case.item_id,
            diagnosis=diagnosis, management=management, confidence=confidence,
            time_ms=int((time.monotonic() - started) * 1000), revised_diagnosis=revised)
    except ValueError as error:
        st.session_state.answer_refused = refusal_text(error)
        return
    st.session_state.pop("pending_answer", None)
    if case.settings.feedback == "each":
        st.session_state.feedback_item = case.item_id


def _first_answer(diagnosis: str, management: str, confidence: int) -> None:
    if use_advice:
        st.session_state.pending_answer = {"item_id": case.item_id,
                                           "answer": (diagnosis, management, confidence)}
    else:
        _record(diagnosis, management, confidence, None)


form_column = case_view.show_case(case)
with form_column:
    if case.settings.second_opinion and not use_advice:
        st.caption(t("practice.ai_missing"))
    pending = st.session_state.get("pending_answer")
    if pending is None or pending["item_id"] != case.item_id:
        case_view.answer_form(case, key=f"answer_{case.item_id}", on_submit=_first_answer)
    else:
        first = pending["answer"]
        case_view.second_opinion(advice.probabilities(runtime=shared, png=case.degraded_png,
                                                      options=case.options))
        case_view.revision_form(case, first=first[0], key=f"revise_{case.item_id}",
                                on_submit=lambda final: _record(*first, final))
