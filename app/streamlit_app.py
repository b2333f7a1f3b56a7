"""LesionLab's Streamlit entry point: session, sidebar and the menu built from the user's role.

Pages live in app_pages/; logic lives in engine/. Every page is reached through
st.navigation, so a page missing from a role's menu cannot be opened by that role. A refusal by
the store (say, a session naming someone else's attempt) is shown as a message, not a traceback.
"""

import streamlit as st
from ui.i18n import language_picker, refusal_text, t
from ui.keras_state import keep_keras_state_between_runs
from ui.navigation import menu_for
from ui.session import current_actor, demo_banner, sign_out

from engine.store.roles import PermissionDenied

st.set_page_config(page_title="LesionLab", page_icon="🔬", layout="wide")
keep_keras_state_between_runs()

actor = current_actor()
sections: dict[str, list] = {}
for entry in menu_for(actor.role if actor else None):
    sections.setdefault(t(entry.section_key), []).append(
        st.Page(entry.script, title=t(entry.title_key), icon=entry.icon,
                default=entry.script.endswith("home.py"))
    )
page = st.navigation(sections)

with st.sidebar:
    language_picker()
    if actor is not None:
        st.caption(t("session.signed_in_as", name=actor.name, role=t(f"role.{actor.role.value}")))
        demo_banner()
        st.button(t("session.sign_out"), on_click=sign_out, key="sign_out",
                  icon=":material/logout:")
    st.caption(t("theme.hint"))

try:
    page.run()
except PermissionDenied as refusal:
    st.error(t("session.refused", reason=refusal_text(refusal)), icon=":material/block:")
