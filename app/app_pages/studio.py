"""Studio: pick or sample a patient, see every image source side by side, degrade by hand;
or degrade a photo of one's own, which stays in this session (session-scoped caches)."""

import streamlit as st
from ui.case_view import answer_label
from ui.components import page_header, profile_card
from ui.i18n import current_language, refusal_text, t
from ui.session import require_actor, runtime

from engine.profiles import PatientProfile
from engine.services import studio, uploads
from engine.vocabulary import DIAGNOSES, SEXES, SITES, SKIN_TYPES

require_actor()
shared = runtime()
page_header(title_key="studio.title", subtitle_key="studio.subtitle")


@st.cache_data(max_entries=32, show_spinner=False)
def _rendered(profile: dict, seed: int, truncation: float) -> list:
    return studio.render_all(profile=PatientProfile.from_dict(profile), seed=seed,
                             models_dir=shared.config.models_dir, truncation=truncation)


@st.cache_data(max_entries=2, show_spinner=False, scope="session")
def _uploaded(data: bytes, name: str, max_bytes: int) -> studio.StudioImage:
    return studio.uploaded(data=data, name=name, max_bytes=max_bytes)


@st.cache_data(max_entries=64, show_spinner=False, scope="session")
def _degraded(png: bytes, steps: list[dict], seed: int) -> bytes:
    return studio.apply(png=png, steps=steps, seed=seed)


def _fault_label(name: str) -> str:
    return studio.degradation_label(name, language=current_language())


profile_column, images_column = st.columns([4, 11], gap="large")
with profile_column, st.container(border=True):
    seed = int(st.number_input(t("studio.seed"), 0, 2**31 - 1, 1))
    dx = st.selectbox(t("studio.diagnosis"), DIAGNOSES, format_func=answer_label, index=4)
    truncation = st.select_slider(t("studio.truncation"), options=studio.TRUNCATIONS, value=1.0,
                                  help=t("studio.truncation_help"))
    sampled = studio.sample_profile(seed=seed, dx=dx)
    if st.toggle(t("studio.edit_profile"), value=False):
        profile = PatientProfile(
            dx=dx,
            age=st.slider(t("profile.age"), 0, 90, sampled.age or 50, step=5),
            sex=st.selectbox(t("profile.sex"), SEXES, index=SEXES.index(sampled.sex),
                             format_func=lambda s: t(f"sex.{s}")),
            site=st.selectbox(t("profile.site"), SITES, index=SITES.index(sampled.site),
                              format_func=lambda s: t(f"site.{s}")),
            skin_type=st.select_slider(t("profile.skin_type"), SKIN_TYPES,
                                       value=sampled.skin_type),
            diameter_mm=st.slider(t("profile.diameter"), 1.0, 40.0,
                                  float(min(40.0, sampled.diameter_mm)), step=0.5),
        )
    else:
        profile = sampled
        profile_card(profile.to_dict())

with images_column:
    with st.spinner(t("studio.rendering")):
        images = _rendered(profile.to_dict(), seed, truncation)
    for column, image in zip(st.columns(len(images)), images, strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{t(f'studio.source.{image.source}')}**")
            if image.png is None:
                st.caption(t("studio.unavailable"))
            else:
                st.image(image.png, width="stretch", caption=image.generator_id)

    available = [image for image in images if image.png is not None]
    st.subheader(t("studio.degrade"))
    photo = st.file_uploader(t("studio.upload"), type=uploads.UPLOAD_TYPES,
                             help=t("studio.upload_help"))
    if photo is not None:
        limit = st.get_option("server.maxUploadSize") * uploads.MEGABYTE  # Streamlit's own cap
        try:
            available.insert(0, _uploaded(photo.getvalue(), photo.name, limit))
        except ValueError as error:
            st.error(t("studio.upload_refused", reason=refusal_text(error)))
    chosen_source = st.radio(t("studio.degrade_which"), available, horizontal=True,
                             format_func=lambda image: t(f"studio.source.{image.source}"))
    picked = st.multiselect(t("studio.faults"), studio.degradation_names(),
                            default=("gaussian_blur", "hair", "jpeg"),
                            format_func=_fault_label)
    strengths = {name: st.slider(_fault_label(name), 0.0, 1.0, 0.5, step=0.05,
                                 key=f"strength_{name}") for name in picked}
    steps = studio.manual_steps(strengths=strengths)
    degraded = _degraded(chosen_source.png, steps, seed)
    description = studio.description(steps=steps, language=current_language())
    before, after = st.columns(2)
    before.image(chosen_source.png, caption=t("feedback.clean"), width="stretch")
    after.image(degraded, caption=t("studio.degraded"), width="stretch")
    st.caption(description)
    stem = "upload" if chosen_source.source == "upload" else profile.dx
    st.download_button(t("studio.download"), data=degraded,
                       file_name=f"lesionlab-{stem}-{seed}.png", mime="image/png",
                       icon=":material/download:")
