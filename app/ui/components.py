"""Reusable pieces of the pages: the patient card, a zoomable image, labels for engine codes."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from engine.vocabulary import SKIN_TYPE_NAMES
from ui.i18n import engine_term, t


def diagnosis_label(code: str) -> str:
    """'Melanoma (mel)' in the current language."""
    return t("dx.label", name=engine_term(f"diagnosis.{code}"), code=code)


def source_label(info) -> str:
    """The image source in words; phantoms standing in for a missing model say so."""
    if info.fallback:
        return t("source.phantom_fallback")
    return t("source.model", name=info.name, generator=info.generator_id, version=info.version)


def profile_line(profile: Mapping) -> str:
    """The profile on one line, for narrow columns."""
    age = profile.get("age")
    return " · ".join((
        t("profile.age_value", age=age, age_end=age + 4) if age is not None
        else t("profile.unknown"),
        t(f"sex.{profile.get('sex', 'unknown')}"), t(f"site.{profile.get('site', 'unknown')}"),
        SKIN_TYPE_NAMES.get(profile.get("skin_type"), "?"),
        t("profile.diameter_value", diameter=float(profile.get("diameter_mm", 0.0))),
    ))


def profile_card(profile: Mapping, *, title_key: str = "profile.title") -> None:
    """The patient profile as a bordered card: age, sex, site, skin type and diameter."""
    age = profile.get("age")
    facts = (
        (t("profile.age"), t("profile.age_value", age=age, age_end=age + 4) if age is not None
         else t("profile.unknown")),
        (t("profile.sex"), t(f"sex.{profile.get('sex', 'unknown')}")),
        (t("profile.site"), t(f"site.{profile.get('site', 'unknown')}")),
        (t("profile.skin_type"),
         SKIN_TYPE_NAMES.get(profile.get("skin_type"), t("profile.unknown"))),
        (t("profile.diameter"), t("profile.diameter_value",
                                  diameter=float(profile.get("diameter_mm", 0.0)))),
    )
    with st.container(border=True):
        st.markdown(f"**{t(title_key)}**")
        for label, value in facts:
            left, right = st.columns([2, 3])
            left.caption(label)
            right.write(value)


@st.dialog(" ", width="large")
def _enlarged(image: bytes, caption: str) -> None:
    st.image(image, caption=caption, width="stretch")


def zoomable_image(image: bytes, *, caption: str, key: str) -> None:
    """An image with a button that opens it full size in a dialog (click to enlarge)."""
    st.image(image, caption=caption, width="stretch")
    if st.button(t("image.enlarge"), key=key, icon=":material/zoom_in:"):
        _enlarged(image, caption)


def page_header(*, title_key: str, subtitle_key: str | None = None) -> None:
    st.title(t(title_key))
    if subtitle_key:
        st.caption(t(subtitle_key))
