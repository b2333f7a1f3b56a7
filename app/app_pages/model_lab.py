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


def _accuracy_chart(per_model: dict, floor: dict, *, label, title: str) -> None:
    """Conditional accuracy per group (class or skin type): one bar series per model and one
    for the real floor."""
    series = per_model | {t("model_lab.real_floor"): floor}
    st.plotly_chart(charts.grouped_bars(
        groups={name: {label(key): value for key, value in values.items()}
                for name, values in series.items()},
        title=title, axis=t("model_lab.conditional_accuracy")), width="stretch")


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
        _accuracy_chart(report.per_class, report.floor_per_class, label=answer_label,
                        title=t("model_lab.per_class"))
    if report.per_skin_type:
        _accuracy_chart(report.per_skin_type, report.floor_per_skin_type,
                        label=SKIN_TYPE_NAMES.__getitem__, title=t("model_lab.per_skin_type"))
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
