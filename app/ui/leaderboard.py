"""The cohort leaderboard section of the results (trainee) and educator pages.

Display and cohort names are typed by people, so they appear only in a table and a select
box, which show plain text, never in markdown, where a name could carry a link or an image.
"""

from __future__ import annotations

import streamlit as st

from engine.services import accounts, leaderboard
from engine.store.leaderboard import MIN_ANSWERS_TO_RANK
from engine.store.roles import Role
from ui.i18n import refusal_text, t


def section(*, actor, shared) -> None:
    """The boards the actor may see; a trainee also gets the switch to be listed."""
    st.subheader(t("leaderboard.title"))
    st.caption(t("leaderboard.about", minimum=MIN_ANSWERS_TO_RANK))
    if actor.role == Role.TRAINEE:
        st.toggle(t("leaderboard.opt_in"), key="leaderboard_opt_in",
                  value=leaderboard.opted_in(runtime=shared, actor=actor),
                  help=t("leaderboard.opt_in_help"), on_change=_save_choice,
                  args=(actor, shared))
        _display_name_form(actor=actor, shared=shared)
    boards = {board.cohort_id: board for board in leaderboard.boards(runtime=shared,
                                                                      actor=actor)}
    if not boards:
        st.info(t("leaderboard.no_cohorts"))
        return
    chosen = boards[st.selectbox(t("leaderboard.cohort"), list(boards), key="leaderboard_cohort",
                                 format_func=lambda cohort_id: boards[cohort_id].cohort_name)]
    if chosen.standings:
        accuracy = t("score.accuracy")
        unranked = t("leaderboard.unranked")
        st.dataframe([{t("leaderboard.rank"): unranked if row.rank is None else str(row.rank),
                       t("leaderboard.name"): row.display_name,
                       t("leaderboard.finished"): row.finished_attempts,
                       t("leaderboard.answered"): row.answered, accuracy: row.accuracy}
                      for row in chosen.standings], hide_index=True, width="stretch",
                     column_config={accuracy: st.column_config.ProgressColumn(
                         format="percent", min_value=0, max_value=1)})
    else:
        st.info(t("leaderboard.nobody_listed"))
    if chosen.unlisted:
        st.caption(t("leaderboard.unlisted", count=chosen.unlisted))


def _save_choice(actor, shared) -> None:
    leaderboard.set_opt_in(runtime=shared, actor=actor,
                           opted_in=st.session_state.leaderboard_opt_in)


def _display_name_form(*, actor, shared) -> None:
    """The name the board shows for this trainee, which they choose themself."""
    if "display_name_field" not in st.session_state:
        st.session_state.display_name_field = accounts.display_name(runtime=shared, actor=actor)
    with st.form("display_name", border=False):
        typed = st.text_input(t("leaderboard.display_name"), max_chars=128,
                              key="display_name_field", help=t("leaderboard.display_name_help"))
        if st.form_submit_button(t("leaderboard.save_name")):
            try:
                accounts.set_display_name(runtime=shared, actor=actor, display_name=typed)
            except ValueError as error:
                st.error(t("leaderboard.name_refused", reason=refusal_text(error)))
            else:
                st.success(t("leaderboard.name_saved"))
