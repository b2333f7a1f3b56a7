"""Educator: design a quiz with a live preview, publish it with a join code, follow the cohort."""

import streamlit as st
from ui import charts
from ui.case_view import answer_label
from ui.components import page_header, profile_line, source_label
from ui.i18n import refusal_text, t
from ui.leaderboard import section as leaderboard_section
from ui.session import require_actor, runtime

from engine.quiz import QuizSpec
from engine.services import advice, authoring, teaching
from engine.vocabulary import DIAGNOSES, SKIN_TYPE_NAMES

actor = require_actor()
shared = runtime()
page_header(title_key="educator.title", subtitle_key="educator.subtitle")
design_tab, quizzes_tab, cohorts_tab, analytics_tab = st.tabs(
    [t("educator.design"), t("educator.quizzes"), t("educator.cohorts"), t("educator.analytics")])
my_cohorts = teaching.my_cohorts(runtime=shared, actor=actor)


@st.cache_data(max_entries=16, show_spinner=False)
def _preview(spec: dict, seed: int) -> list[dict]:
    """Preview items as plain dicts (cached: widgets rerun the page on every change)."""
    design = authoring.QuizDesign(spec=QuizSpec.from_dict(spec))
    return [item.to_dict() for item in authoring.preview(runtime=shared, design=design,
                                                         seed=seed)]

with design_tab:
    settings_column, preview_column = st.columns([2, 3], gap="large")
    with settings_column, st.container(border=True):
        title = st.text_input(t("educator.quiz_title"), value=t("educator.default_title"),
                              max_chars=200)
        scope = st.radio(t("educator.classes"), ("all", "binary", "custom"), horizontal=True,
                         format_func=lambda s: t(f"educator.classes.{s}"))
        chosen = DIAGNOSES
        if scope == "custom":
            chosen = tuple(st.multiselect(t("educator.pick_classes"), DIAGNOSES,
                                          default=("mel", "nv"), format_func=answer_label))
        cases = st.slider(t("educator.cases"), 3, 30, 10)
        options = st.slider(t("educator.options"), 2, 7, 4, disabled=scope == "binary")
        severity = st.select_slider(t("educator.severity"), options=list(range(5)),
                                    value=(0, 2), format_func=lambda level: t(f"severity.{level}"))
        mix = st.radio(t("educator.mix"), ("balanced", "realistic"), horizontal=True,
                       format_func=lambda m: t(f"educator.mix.{m}"))
        show_profile = st.toggle(t("educator.show_profile"), value=True)
        timed = st.toggle(t("educator.timed"), value=False)
        limit = st.number_input(t("educator.time_limit"), 10, 600, 60, step=10,
                                disabled=not timed)
        feedback = st.radio(t("educator.feedback"), authoring.FEEDBACK_MODES, horizontal=True,
                            format_func=lambda f: t(f"educator.feedback.{f}"))
        validated_only = st.toggle(t("educator.validated_only"), value=False,
                                   help=t("educator.validated_only_help"))
        has_auditor = advice.auditor_available(runtime=shared)
        hard_cases = st.toggle(t("educator.hard_cases"), value=False, disabled=not has_auditor,
                               help=t("educator.hard_cases_help"))
        typical_cases = st.toggle(t("educator.typical_cases"), value=False,
                                  help=t("educator.typical_cases_help"))
        second_opinion = st.toggle(t("educator.second_opinion"), value=False,
                                   help=t("educator.second_opinion_help"))
        if not has_auditor:
            st.caption(t("educator.no_auditor"))
        seed = int(st.number_input(t("educator.seed"), 0, 2**31 - 1, 7))
    try:
        design = authoring.QuizDesign(
            spec=QuizSpec(
                name="custom", classes=tuple(chosen),
                answer_mode="binary" if scope == "binary" else "diagnosis",
                n_options=2 if scope == "binary" else min(options, len(chosen)),
                severity_range=tuple(severity), show_profile=show_profile,
                time_limit_seconds=int(limit) if timed else None, case_mix=mix,
                hard_cases=hard_cases, typical_cases=typical_cases,
                validated_only=validated_only, n_items=cases),
            feedback=feedback, second_opinion=second_opinion)
    except ValueError as error:
        design = None
        settings_column.error(refusal_text(error))
    with preview_column:
        st.subheader(t("educator.preview"))
        info = authoring.source_info(runtime=shared)
        st.caption(t("educator.preview_help", source=source_label(info)))
        if info.weak_skin_types:
            st.warning(t("educator.weak_skin_types", types=", ".join(
                SKIN_TYPE_NAMES[k] for k in info.weak_skin_types)), icon=":material/warning:")
        if design is not None:
            for column, item in zip(st.columns(authoring.PREVIEW_ITEMS),
                                    _preview(design.spec.to_dict(), seed), strict=False):
                with column:
                    st.image(item["degraded_png"], width="stretch",
                             caption=answer_label(item["correct_answer"]))
                    if design.spec.show_profile:
                        st.caption(profile_line(item["profile"]))
        cohort_names = {None: t("educator.anyone_with_code")} | {
            c.cohort_id: c.name for c in my_cohorts}
        cohort = st.selectbox(t("educator.publish_to"), list(cohort_names),
                              format_func=cohort_names.get)
        if st.button(t("educator.publish"), type="primary", disabled=design is None,
                     icon=":material/publish:"):
            with st.spinner(t("educator.publishing")):
                try:
                    published = teaching.publish(runtime=shared, actor=actor, title=title,
                                                 design=design, seed=seed, cohort_id=cohort)
                    st.session_state.published_code = published.join_code
                except ValueError as error:
                    st.error(refusal_text(error))
        if st.session_state.get("published_code"):
            st.success(t("educator.published", code=st.session_state.published_code),
                       icon=":material/key:")

quiz_list = teaching.my_quizzes(runtime=shared, actor=actor)
with quizzes_tab:
    if not quiz_list:
        st.info(t("educator.no_quizzes"))
    st.dataframe([{t("educator.quiz_title"): quiz.title, t("educator.join_code"): quiz.join_code,
                   t("educator.items"): quiz.items, t("educator.attempts"): quiz.attempts,
                   t("educator.cohort"): quiz.cohort or t("educator.anyone_with_code")}
                  for quiz in quiz_list], hide_index=True, width="stretch")

with cohorts_tab:
    with st.form("new_cohort", clear_on_submit=True):
        name = st.text_input(t("educator.cohort_name"), max_chars=128)
        if st.form_submit_button(t("educator.create_cohort")):
            try:
                teaching.create_cohort(runtime=shared, actor=actor, name=name)
                st.rerun()
            except ValueError as error:
                st.error(refusal_text(error))
    for cohort in my_cohorts:
        with st.expander(t("educator.cohort_line", name=cohort.name,
                           count=len(cohort.members))):
            st.write(", ".join(cohort.members) or t("educator.no_members"))
            with st.form(f"add_member_{cohort.cohort_id}", clear_on_submit=True):
                member = st.text_input(t("educator.trainee_account"))
                if st.form_submit_button(t("educator.add_member")):
                    try:
                        teaching.add_trainee(runtime=shared, actor=actor,
                                             cohort_id=cohort.cohort_id, account_name=member)
                        st.rerun()
                    except ValueError as error:
                        st.error(refusal_text(error))

with analytics_tab:
    if quiz_list:
        quiz = st.selectbox(t("educator.quiz"), quiz_list,
                            format_func=lambda q: f"{q.title} · {q.join_code}")
        figures = teaching.analytics(runtime=shared, actor=actor, quiz_id=quiz.quiz_id)
        if not figures.trainees:
            st.info(t("educator.no_answers"))
        else:
            st.markdown(f"**{t('educator.per_trainee')}**")
            st.dataframe(figures.trainees, hide_index=True, width="stretch",
                         column_config={"accuracy": st.column_config.ProgressColumn(
                             format="percent", min_value=0, max_value=1)})
            st.plotly_chart(charts.bar_chart(
                values={answer_label(row["class"]): row["accuracy"] for row in figures.classes},
                title=t("educator.per_class"), axis=t("score.accuracy")), width="stretch")
            st.markdown(f"**{t('educator.per_item')}**")
            st.caption(t("educator.difficulty_help"))
            st.dataframe(figures.items, hide_index=True, width="stretch")
        st.download_button(
            t("educator.export_csv"),
            data=teaching.answers_csv(runtime=shared, actor=actor, quiz_id=quiz.quiz_id),
            file_name=f"lesionlab-quiz-{quiz.quiz_id}-answers.csv", mime="text/csv",
            icon=":material/download:")
    else:
        st.info(t("educator.no_quizzes"))
    leaderboard_section(actor=actor, shared=shared)
