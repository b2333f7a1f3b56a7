import streamlit as st
from ui.i18n import t

st.title(t("about.title"))
st.write(t("about.data"))
st.warning(t("about.limits"))
