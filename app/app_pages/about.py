"""About: where the data comes from, its licences, the limits, and how to train on real data."""

import streamlit as st
from ui.components import page_header
from ui.i18n import t

page_header(title_key="about.title")
st.warning(t("about.limits"), icon=":material/health_and_safety:")

with st.container(border=True):
    st.subheader(t("about.provenance"))
    st.write(t("about.data"))
    st.write(t("about.images"))
    st.write(t("about.licence"))

with st.container(border=True):
    st.subheader(t("about.train_title"))
    st.write(t("about.train_ham"))
    st.code("lesionlab data --help\nlesionlab train --help", language="bash")
    st.write(t("about.train_isic"))

with st.container(border=True):
    st.subheader(t("about.privacy_title"))
    st.write(t("about.privacy"))
