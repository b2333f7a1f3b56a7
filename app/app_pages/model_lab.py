"""Model lab: evaluation reports (metrics beside real-vs-real floors, per-class accuracy, grids)
and the cards of the installed models."""

import streamlit as st
from ui import charts
from ui.case_view import answer_label
from ui.components import page_header, source_label
from ui.i18n import refusal_text, t
from ui.session import require_actor, runtime

from engine.services import authoring, model_lab
from engine.vocabulary import SKIN_TYPE_NAMES

require_actor()
shared = runtime()
page_header(title_key="model_lab.title", subtitle_key="model_lab.subtitle")
st.caption(t("model_lab.quiz_source",
             source=source_label(authoring.source_info(runtime=shared))))

try:
    found = model_lab.reports(folder=shared.config.reports_dir)
except ValueError as error:
    found = []
    st.error(refusal_text(error))
if not found:
    st.info(t("model_lab.no_report", command=model_lab.EVALUATE_COMMAND),
            icon=":material/lab_research:")
else:
    report = st.selectbox(t("model_lab.report"), found, format_func=lambda r: r.name)
    st.dataframe(report.rows, hide_index=True, width="stretch")
    st.caption(t("model_lab.floor_help"))
    if report.per_class:
        st.plotly_chart(charts.grouped_bars(
            groups={model: {answer_label(dx): value for dx, value in values.items()}
                    for model, values in report.per_class.items()}
            | {t("model_lab.real_floor"): {answer_label(dx): value
                                           for dx, value in report.floor_per_class.items()}},
            title=t("model_lab.per_class"), axis=t("model_lab.conditional_accuracy")),
            width="stretch")
    if report.per_skin_type:
        st.plotly_chart(charts.grouped_bars(
            groups={model: {SKIN_TYPE_NAMES[k]: value for k, value in values.items()}
                    for model, values in report.per_skin_type.items()}
            | {t("model_lab.real_floor"): {SKIN_TYPE_NAMES[k]: value
                                           for k, value in report.floor_per_skin_type.items()}},
            title=t("model_lab.per_skin_type"), axis=t("model_lab.conditional_accuracy")),
            width="stretch")
    for name, png in report.grids:
        st.image(png, caption=name, width="stretch")

st.subheader(t("model_lab.models"))
cards = model_lab.model_cards(models_dir=shared.config.models_dir)
if not cards:
    st.caption(t("model_lab.no_models"))
for card in cards:
    with st.expander(card.name):
        if card.card:
            st.markdown(card.card)
        if card.metrics:
            st.json(card.metrics, expanded=False)
