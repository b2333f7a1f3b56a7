"""The pieces of one quiz case on the practice page: the case, the answer form, the feedback."""

from __future__ import annotations

import time

import streamlit as st

from engine.scoring import MANAGEMENTS
from engine.vocabulary import DIAGNOSES
from ui.charts import probability_bars
from ui.components import diagnosis_label, profile_card, zoomable_image
from ui.i18n import engine_term, t


def answer_label(code: str) -> str:
    """A diagnosis code or benign/malignant, in words."""
    return diagnosis_label(code) if code in DIAGNOSES else t(f"dx.{code}")


def case_started_at(item_id: int) -> float:
    """When this case was first shown in this browser session (for time per case)."""
    started = st.session_state.setdefault("case_started", {})
    return started.setdefault(item_id, time.monotonic())


def show_case(case) -> None:
    """Progress, the degraded image big, the patient card beside it; returns that side column
    so the answer form goes under the card."""
    st.progress(case.number / case.total,
                text=t("practice.case_of", number=case.number, total=case.total))
    image_column, side_column = st.columns([3, 2], gap="large")
    with image_column:
        caption = t("practice.image_caption")
        if case.generator_id == "phantom":
            caption += " · " + t("source.phantom_short")
        zoomable_image(case.degraded_png, caption=caption, key=f"enlarge_{case.item_id}")
    with side_column:
        if case.profile is not None:
            profile_card(case.profile)
        else:
            st.caption(t("practice.profile_hidden"))
        if case.settings.time_limit_s:
            _countdown(case.item_id, case.settings.time_limit_s)
    return side_column


@st.fragment(run_every=1)
def _countdown(item_id: int, limit_s: int) -> None:
    left = limit_s - (time.monotonic() - case_started_at(item_id))
    if left > 0:
        st.metric(t("practice.time_left"), t("practice.seconds", seconds=int(left)))
    else:
        st.warning(t("practice.time_up"), icon=":material/timer_off:")


def answer_form(case, *, key: str, on_submit) -> None:
    """Diagnosis, management and confidence. `on_submit(diagnosis, management, confidence)`
    runs as the form's callback, before the next script run, so the page draws the next case
    in a single run."""

    def submitted() -> None:
        diagnosis = st.session_state[f"{key}_diagnosis"]
        management = st.session_state[f"{key}_management"]
        if diagnosis is None or management is None:
            st.session_state.answer_incomplete = True
            return
        st.session_state.answer_incomplete = False
        on_submit(diagnosis, management, st.session_state[f"{key}_confidence"])

    with st.form(key, border=True):
        st.radio(t("practice.diagnosis"), case.options, format_func=answer_label, index=None,
                 key=f"{key}_diagnosis")
        st.radio(t("practice.management"), MANAGEMENTS, horizontal=True, index=None,
                 format_func=lambda m: engine_term(f"management.{m}"), key=f"{key}_management")
        st.slider(t("practice.confidence"), 0, 100, 50, step=5, format="%d%%",
                  key=f"{key}_confidence")
        st.form_submit_button(t("practice.submit"), type="primary", width="stretch",
                              on_click=submitted)
    if st.session_state.get("answer_incomplete"):
        st.error(t("practice.answer_incomplete"))


def revision_form(case, *, first: str, key: str, on_submit) -> None:
    """After the AI advice: keep or change the first diagnosis; `on_submit(final)` runs as
    the form's callback."""
    with st.form(key, border=True):
        st.radio(t("practice.revise"), case.options, format_func=answer_label,
                 index=case.options.index(first), key=f"{key}_final")
        st.form_submit_button(t("practice.submit_final"), type="primary", width="stretch",
                              on_click=lambda: on_submit(st.session_state[f"{key}_final"]))


def second_opinion(probabilities: dict[str, float]) -> None:
    with st.container(border=True):
        st.markdown(f"**{t('practice.ai_title')}**")
        st.caption(t("practice.ai_help"))
        st.plotly_chart(probability_bars(
            probabilities={answer_label(code): value for code, value in probabilities.items()},
            title=""), width="stretch", config={"displayModeBar": False})


def show_feedback(result) -> None:
    """Right or wrong, the clean image beside the degraded one, and the reasons."""
    final = result.revised_diagnosis or result.diagnosis
    if result.correct:
        st.success(t("feedback.correct", answer=answer_label(result.correct_answer)),
                   icon=":material/check_circle:")
    else:
        st.error(t("feedback.wrong", given=answer_label(final),
                   answer=answer_label(result.correct_answer)), icon=":material/cancel:")
    if result.revised_diagnosis and result.revised_diagnosis != result.diagnosis:
        st.caption(t("feedback.revised", first=answer_label(result.diagnosis),
                     revised=answer_label(result.revised_diagnosis)))
    degraded_column, clean_column = st.columns(2)
    degraded_column.image(result.degraded_png, caption=t("feedback.degraded"), width="stretch")
    clean_column.image(result.clean_png, caption=t("feedback.clean"), width="stretch")
    explained = result.explained
    with st.container(border=True):
        st.markdown(f"**{t('feedback.why')}**")
        st.text(explained.teaching.summary)
        if explained.tell_apart:
            st.info(explained.tell_apart, icon=":material/compare:")
        if explained.criteria_lines:
            st.caption(t("feedback.criteria"))
            st.text("\n".join(f"• {line}" for line in explained.criteria_lines))
        st.caption(t("feedback.cues"))
        st.text("\n".join(f"• {cue}" for cue in explained.teaching.dermoscopic_cues))
        st.caption(t("feedback.management", management=explained.management_label))
        if explained.degradation:
            st.caption(t("feedback.imaging", description=explained.degradation))
