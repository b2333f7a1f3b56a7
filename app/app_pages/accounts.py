"""Admin: create accounts, change roles, deactivate. The store re-checks that the actor is admin."""

import streamlit as st
from ui.components import page_header
from ui.i18n import refusal_text, t
from ui.session import require_actor, runtime

from engine.services import accounts
from engine.store.roles import Role

actor = require_actor()
shared = runtime()
page_header(title_key="accounts.title", subtitle_key="accounts.subtitle")

with st.expander(t("accounts.add"), expanded=False, icon=":material/person_add:"), st.form(
    "add_account", clear_on_submit=True
):
    name = st.text_input(t("login.name"))
    display_name = st.text_input(t("accounts.display_name"))
    role = st.selectbox(t("accounts.role"), list(Role), format_func=lambda r: t(f"role.{r.value}"))
    password = st.text_input(t("login.password"), type="password")
    if st.form_submit_button(t("accounts.create"), type="primary"):
        try:
            created = accounts.add_account(runtime=shared, actor=actor, name=name, role=role,
                                           password=password, display_name=display_name)
            st.success(t("accounts.created", name=created.name))
        except ValueError as error:
            st.error(refusal_text(error))

rows = accounts.list_accounts(runtime=shared, actor=actor)
st.dataframe(
    [{t("login.name"): row.name, t("accounts.display_name"): row.display_name,
      t("accounts.role"): t(f"role.{row.role.value}"), t("accounts.active"): row.active,
      t("accounts.guest"): row.demo_guest} for row in rows],
    hide_index=True, width="stretch",
)

editable = [row for row in rows if row.user_id != actor.user_id]
if editable:
    st.subheader(t("accounts.change"))
    chosen = st.selectbox(t("accounts.account"), editable, format_func=lambda row: row.name)
    with st.form("change_account"):
        role = st.selectbox(t("accounts.role"), list(Role), index=list(Role).index(chosen.role),
                            format_func=lambda r: t(f"role.{r.value}"))
        active = st.checkbox(t("accounts.active"), value=chosen.active)
        if st.form_submit_button(t("accounts.save")):
            try:
                accounts.change_account(runtime=shared, actor=actor, user_id=chosen.user_id,
                                        role=role, active=active)
                st.rerun()
            except ValueError as error:
                st.error(refusal_text(error))
