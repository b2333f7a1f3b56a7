import streamlit as st
from ui.i18n import LANGUAGES, t

st.selectbox(t("language"), list(LANGUAGES), format_func=LANGUAGES.get, key="language")
st.title(t("home.title"))
st.subheader(t("home.tagline"))
st.write(t("home.what"))
st.write(t("home.who"))
st.info(t("home.disclaimer"))
