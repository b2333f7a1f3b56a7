"""Expert review: rate generated items, approve or reject, Turing test, inter-rater agreement."""

import numpy as np
import streamlit as st
from ui.components import diagnosis_label, page_header, profile_card, zoomable_image
from ui.i18n import refusal_text, t
from ui.session import require_actor, runtime

from engine.agreement import interpretation
from engine.services import review, turing

actor = require_actor()
shared = runtime()
page_header(title_key="review.title", subtitle_key="review.subtitle")
queue_tab, turing_tab, agreement_tab = st.tabs(
    [t("review.queue"), t("review.turing"), t("review.agreement")])

with queue_tab:
    case = review.next_case(runtime=shared, actor=actor)
    if case is None:
        st.success(t("review.queue_empty"), icon=":material/task_alt:")
    else:
        if case.status == "unvalidated":
            st.caption(t("review.remaining", count=case.remaining))
        else:
            st.caption(t("review.second_rating", status=t(f"status.{case.status}"),
                         count=case.remaining))
        image_column, form_column = st.columns([3, 2], gap="large")
        with image_column:
            zoomable_image(case.clean_png, caption=t("review.clean_caption",
                                                     generator=case.generator_id),
                           key=f"enlarge_review_{case.item_id}")
        with form_column:
            st.markdown(f"**{t('review.conditioned_on')}** {diagnosis_label(case.diagnosis)}")
            profile_card(case.profile)
            with st.form(f"review_{case.item_id}"):
                realism = st.slider(t("review.realism"), 1, 5, 3, help=t("review.realism_help"))
                agrees = st.radio(t("review.agrees"), [True, False], horizontal=True,
                                  format_func=lambda yes: t("common.yes" if yes else "common.no"))
                flags = st.multiselect(t("review.artefacts"), review.ARTEFACT_FLAGS,
                                       format_func=lambda flag: t(f"artefact.{flag}"))
                comment = st.text_area(t("review.comment"), max_chars=4000)
                approve, reject = st.columns(2)
                decision = None
                if approve.form_submit_button(t("review.approve"), type="primary",
                                              icon=":material/check:"):
                    decision = "approve"
                if reject.form_submit_button(t("review.reject"), icon=":material/close:"):
                    decision = "reject"
            if decision:
                status = review.record_review(
                    runtime=shared, actor=actor, item_id=case.item_id, realism=realism,
                    agrees=agrees, decision=decision, artefacts=flags, comment=comment)
                st.toast(t("review.saved", status=t(f"status.{status}")))
                st.rerun()

with turing_tab:
    if not turing.real_image_paths(folder=shared.config.real_images_dir):
        st.info(t("review.turing_off"), icon=":material/info:")
    else:
        guesses = st.session_state.setdefault("turing_guesses", [])
        if "turing_case" not in st.session_state:
            rng = np.random.default_rng(st.session_state.setdefault("turing_seed", len(guesses)))
            try:
                st.session_state.turing_case = turing.draw_case(runtime=shared, actor=actor,
                                                                rng=rng)
            except ValueError as error:
                st.warning(refusal_text(error))
        turing_case = st.session_state.get("turing_case")
        if turing_case is not None:
            st.image(turing_case.png, width=320)
            real_button, synthetic_button = st.columns(2)

            def _guess(real: bool) -> None:
                st.session_state.turing_guesses.append((real, st.session_state.turing_case.is_real))
                st.session_state.turing_seed += 1
                del st.session_state["turing_case"]

            real_button.button(t("review.looks_real"), on_click=_guess, args=(True,))
            synthetic_button.button(t("review.looks_synthetic"), on_click=_guess, args=(False,))
        accuracy = turing.detection_accuracy(guesses=guesses)
        if accuracy is not None:
            st.metric(t("review.detection_accuracy"), f"{accuracy:.0%}",
                      help=t("review.detection_help"))
            st.caption(t("review.guesses", count=len(guesses)))

with agreement_tab:
    result = review.agreement(runtime=shared, actor=actor)
    st.metric(t("review.items_several"), result.items_with_several_reviews)
    if result.fleiss is not None:
        st.metric(t("review.fleiss", raters=result.fleiss_raters), f"{result.fleiss:.2f}",
                  help=t(f"kappa.{interpretation(result.fleiss)}"))
    if result.pairwise:
        st.dataframe(
            [{t("review.expert_a"): a, t("review.expert_b"): b, t("review.shared_items"): n,
              t("review.cohen"): round(kappa, 3),
              t("review.meaning"): t(f"kappa.{interpretation(kappa)}")}
             for a, b, n, kappa in result.pairwise],
            hide_index=True, width="stretch")
    if result.fleiss is None and not result.pairwise:
        st.info(t("review.agreement_empty"))
