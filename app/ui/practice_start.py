"""The start of the practice page: continue an open attempt, join by code, or pick a level."""

from __future__ import annotations

import streamlit as st

from engine.services import practice, presets
from ui.i18n import refusal_text, t


def _open(attempt_id: int) -> None:
    st.session_state.attempt_id = attempt_id
    st.session_state.pop("feedback_item", None)
    st.session_state.pop("pending_answer", None)


def choose_attempt(*, actor, shared) -> None:
    """Three ways in; each ends by putting an attempt id in session state and rerunning."""
    unfinished = practice.open_attempts(runtime=shared, actor=actor)
    if unfinished:
        with st.container(border=True):
            st.subheader(t("practice.continue"))
            for attempt in unfinished:
                st.button(
                    t("practice.continue_item", title=attempt.quiz_title,
                      answered=attempt.answered, total=attempt.total),
                    key=f"continue_{attempt.attempt_id}", on_click=_open,
                    args=(attempt.attempt_id,), icon=":material/play_arrow:")

    levels_column, code_column = st.columns([3, 2], gap="large")
    with code_column, st.container(border=True):
        st.subheader(t("practice.join"))
        with st.form("join"):
            code = st.text_input(t("practice.join_code"), placeholder="ABC-DEF",
                                 max_chars=16)
            if st.form_submit_button(t("practice.join_button"), type="primary"):
                try:
                    _open(practice.join(runtime=shared, actor=actor, code=code))
                    st.rerun()
                except ValueError as error:
                    st.error(t("practice.join_failed", reason=refusal_text(error)))

    with levels_column, st.container(border=True):
        st.subheader(t("practice.levels"))
        st.caption(t("practice.levels_help"))
        for level in presets.levels(runtime=shared, actor=actor):
            name, info = st.columns([3, 1], vertical_alignment="center")
            name.markdown(f"**{t(f'preset.{level.name}')}** · "
                          + t("practice.level_facts", cases=level.cases,
                              classes=level.classes, severity=level.severity))
            if level.best is not None:
                name.caption(t("practice.level_best", best=level.best))
            if info.button(t("practice.start") if level.unlocked else t("practice.locked"),
                           key=f"start_{level.name}", disabled=not level.unlocked,
                           icon=":material/play_circle:" if level.unlocked
                           else ":material/lock:"):
                with st.spinner(t("practice.generating")):
                    _open(presets.start_level(runtime=shared, actor=actor, name=level.name))
                st.rerun()
