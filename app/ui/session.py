"""The shared runtime (database, models) and who is signed in to this browser session."""

from __future__ import annotations

import streamlit as st

from engine.services.runtime import Runtime, RuntimeConfig, open_runtime
from engine.store.roles import Actor
from ui.i18n import t

ACTOR_KEY = "actor"


def runtime() -> Runtime:
    """The runtime for the current environment, opened once per configuration and process."""
    return _opened(RuntimeConfig.from_environment())


@st.cache_resource(show_spinner=False, hash_funcs={RuntimeConfig: repr})
def _opened(config: RuntimeConfig) -> Runtime:
    """Migrations run and the connection pool opens once, shared by every browser session."""
    return open_runtime(config=config)


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR_KEY)


def sign_in(actor: Actor) -> None:
    st.session_state[ACTOR_KEY] = actor


def sign_out() -> None:
    """Forget the user and everything this session cached for them."""
    for key in list(st.session_state):
        if key != "language":
            del st.session_state[key]


def require_actor() -> Actor:
    """The signed-in actor; pages reached without one stop with a hint to sign in."""
    actor = current_actor()
    if actor is None:
        st.info(t("session.sign_in_first"))
        st.stop()
    return actor


def demo_banner() -> None:
    """Demo mode is shown on every page so nobody mistakes a guest session for a real one."""
    if runtime().config.demo:
        st.warning(t("session.demo_banner"), icon=":material/science:")
