"""Sign in with a local account, create the first admin on a fresh install, or try as a guest."""

import streamlit as st
from ui.components import page_header
from ui.i18n import refusal_text, t
from ui.session import runtime, sign_in

from engine.services import accounts
from engine.store.auth import AuthenticationFailed

page_header(title_key="login.title", subtitle_key="login.subtitle")
shared = runtime()


def _enter(action) -> None:
    try:
        actor = action()
    except AuthenticationFailed:
        st.error(t("login.failed"))
        return
    except ValueError as error:
        st.error(t("login.refused", reason=refusal_text(error)))
        return
    sign_in(actor)
    st.rerun()


left, right = st.columns(2, gap="large")
with left, st.container(border=True):
    if accounts.needs_first_admin(runtime=shared):
        st.subheader(t("login.first_admin"))
        st.caption(t("login.first_admin_help"))
        with st.form("first_admin"):
            name = st.text_input(t("login.name"))
            password = st.text_input(t("login.password"), type="password")
            if st.form_submit_button(t("login.create_admin"), type="primary"):
                _enter(lambda: accounts.create_first_admin(
                    runtime=shared, name=name, password=password))
    else:
        st.subheader(t("login.with_account"))
        with st.form("sign_in"):
            name = st.text_input(t("login.name"))
            password = st.text_input(t("login.password"), type="password")
            if st.form_submit_button(t("login.sign_in"), type="primary"):
                _enter(lambda: accounts.sign_in(runtime=shared, name=name, password=password))

with right, st.container(border=True):
    st.subheader(t("login.guest"))
    if shared.config.demo:
        st.caption(t("login.guest_help"))
        with st.form("guest"):
            guest_name = st.text_input(t("login.guest_name"), value="trainee")
            if st.form_submit_button(t("login.continue_as_guest")):
                _enter(lambda: accounts.sign_in_guest(runtime=shared, guest_name=guest_name))
    else:
        st.caption(t("login.demo_off"))
