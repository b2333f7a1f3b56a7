"""The cohort leaderboard section of the results (trainee) and educator pages.

Display and cohort names are typed by people, so they appear only in a table and a select
box, which show plain text, never in markdown, where a name could carry a link or an image.
"""

from __future__ import annotations

import streamlit as st

from engine.services import leaderboard
from engine.store.roles import Role
from ui.i18n import t


def section(*, actor, shared) -> None:
    """The boards the actor may see; a trainee also gets the switch to be listed."""
    st.subheader(t("leaderboard.title"))
    st.caption(t("leaderboard.about"))
    if actor.role == Role.TRAINEE:
        st.toggle(t("leaderboard.opt_in"), key="leaderboard_opt_in",
                  value=leaderboard.opted_in(runtime=shared, actor=actor),
                  help=t("leaderboard.opt_in_help"), on_change=_save_choice,
                  args=(actor, shared))
    boards = {board.cohort_id: board for board in leaderboard.boards(runtime=shared,
                                                                      actor=actor)}
    if not boards:
        st.info(t("leaderboard.no_cohorts"))
        return
    chosen = boards[st.selectbox(t("leaderboard.cohort"), list(boards), key="leaderboard_cohort",
                                 format_func=lambda cohort_id: boards[cohort_id].cohort_name)]
    if chosen.standings:
        accuracy = t("score.accuracy")
        st.dataframe([{t("leaderboard.rank"): row.rank, t("leaderboard.name"): row.display_name,
                       t("leaderboard.finished"): row.finished_attempts, accuracy: row.accuracy}
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
