"""Results and progress: scores, confusion matrix, recall per class, learning curve, due today,
and the cohort leaderboard."""

import streamlit as st
from ui import charts
from ui.case_view import answer_label, show_feedback
from ui.components import page_header
from ui.i18n import current_language, t
from ui.leaderboard import section as leaderboard_section
from ui.session import require_actor, runtime

from engine.services import practice, results

actor = require_actor()
shared = runtime()
page_header(title_key="results.title", subtitle_key="results.subtitle")
progress = results.progress(runtime=shared, actor=actor)
overall = progress.overall
if overall is None:
    st.info(t("results.empty"), icon=":material/insights:")
    st.page_link("app_pages/practice.py", label=t("home.start_practising"),
                 icon=":material/play_circle:")
    leaderboard_section(actor=actor, shared=shared)
    st.stop()

columns = st.columns(5)
columns[0].metric(t("results.cases"), overall.n)
columns[1].metric(t("score.accuracy"), f"{overall.accuracy:.0%}")
columns[2].metric(t("score.balanced_accuracy"), f"{overall.balanced_accuracy:.0%}")
columns[3].metric(t("score.sensitivity"),
                  "–" if overall.sensitivity is None else f"{overall.sensitivity:.0%}")
columns[4].metric(t("score.specificity"),
                  "–" if overall.specificity is None else f"{overall.specificity:.0%}")

due_column, weak_column = st.columns(2, gap="medium")
with due_column, st.container(border=True):
    st.markdown(f"**{t('results.due_today')}**")
    if progress.due_classes or progress.due_items:
        for code in progress.due_classes:
            st.markdown(f"- {answer_label(code)}")
        if progress.due_items:
            st.caption(t("results.due_items", count=len(progress.due_items)))
    else:
        st.caption(t("results.nothing_due"))
with weak_column, st.container(border=True):
    st.markdown(f"**{t('results.weak_classes')}**")
    if progress.weak_classes:
        for code in progress.weak_classes:
            st.markdown(f"- {answer_label(code)}")
    else:
        st.caption(t("results.no_weak_classes"))

left, right = st.columns(2, gap="medium")
left.plotly_chart(charts.confusion_heatmap(
    labels=list(overall.labels), matrix=overall.confusion,
    title=t("results.confusion"), truth_axis=t("results.truth"),
    answer_axis=t("results.answer")), width="stretch")
right.plotly_chart(charts.bar_chart(
    values={answer_label(code): value for code, value in overall.recall_by_class.items()},
    title=t("results.recall"), axis=t("results.recall_axis")), width="stretch")
left, right = st.columns(2, gap="medium")
left.plotly_chart(charts.bar_chart(
    values={t("results.severity_level", level=level): value
            for level, value in sorted(overall.accuracy_by_severity.items())},
    title=t("results.by_severity"), axis=t("score.accuracy")), width="stretch")
if progress.curve:
    right.plotly_chart(charts.learning_curve(
        attempts=[point.index for point in progress.curve],
        accuracy=[point.accuracy for point in progress.curve],
        balanced=[point.balanced_accuracy for point in progress.curve],
        title=t("results.learning_curve"), axis=t("results.attempt"),
        accuracy_name=t("score.accuracy"), balanced_name=t("score.balanced_accuracy")),
        width="stretch")

opinion = progress.second_opinion
if opinion.shown:
    with st.container(border=True):
        st.markdown(f"**{t('results.second_opinion')}**")
        columns = st.columns(3)
        columns[0].metric(t("results.advice_shown"), opinion.shown)
        columns[1].metric(t("results.advice_helped"), opinion.helped)
        columns[2].metric(t("results.advice_misled"), opinion.misled)

st.subheader(t("results.mistakes"))
if not progress.mistakes:
    st.caption(t("results.no_mistakes"))
for mistake in progress.mistakes[:10]:
    with st.expander(t("results.mistake_line", truth=answer_label(mistake.truth),
                       given=answer_label(mistake.given))):
        show_feedback(practice.feedback(runtime=shared, actor=actor,
                                        attempt_id=mistake.attempt_id,
                                        item_id=mistake.item_id,
                                        language=current_language()))

leaderboard_section(actor=actor, shared=shared)
