"""LesionLab's Streamlit entry point: page navigation only; pages live in app_pages/."""

import streamlit as st

st.set_page_config(page_title="LesionLab", page_icon="🔬", layout="wide")

pages = [
    st.Page("app_pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("app_pages/about.py", title="About", icon="ℹ️"),
]
st.navigation(pages).run()
