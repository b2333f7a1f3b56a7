"""Landing page: what LesionLab is, who it is for, and the way in for each role."""

import streamlit as st
from ui.i18n import t
from ui.session import current_actor, runtime

from engine.store.roles import Role

actor = current_actor()
st.title(t("home.title"))
st.subheader(t("home.tagline"))

if actor is None:
    st.page_link("app_pages/login.py", label=t("home.start_sign_in"), icon=":material/login:")
    if runtime().config.demo:
        st.caption(t("home.demo_hint"))
elif actor.role is Role.TRAINEE:
    st.page_link("app_pages/practice.py", label=t("home.start_practising"),
                 icon=":material/play_circle:")
elif actor.role is Role.EXPERT:
    st.page_link("app_pages/review.py", label=t("home.start_reviewing"),
                 icon=":material/verified:")
else:
    st.page_link("app_pages/educator.py", label=t("home.start_teaching"),
                 icon=":material/school:")

steps = st.columns(3, gap="medium")
for column, step in zip(steps, ("profile", "generate", "quiz"), strict=True):
    with column, st.container(border=True):
        st.markdown(f"**{t(f'home.step.{step}.title')}**")
        st.caption(t(f"home.step.{step}.text"))

st.write(t("home.what"))
st.write(t("home.who"))
st.info(t("home.disclaimer"), icon=":material/health_and_safety:")
