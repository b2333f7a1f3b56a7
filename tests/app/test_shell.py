"""The app shell: first run, sign-in, demo mode, the menu by role, language switch."""

from __future__ import annotations

import pytest
from apptest_support import ENGLISH, PASSWORD, app_as, texts

from engine.store.roles import Role


def test_fresh_install_offers_the_first_admin_account_and_signs_it_in(data_dir):
    app = app_as().switch_page("app_pages/login.py").run()
    assert not app.exception
    assert "Create the first account" in texts(app)
    app.text_input[0].input("head")
    app.text_input[1].input(PASSWORD)
    app.button[0].click().run()
    actor = app.session_state["actor"]
    assert (actor.name, actor.role) == ("head", Role.ADMIN)
    assert (data_dir / "lesionlab.db").is_file()


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(accounts):
    app = app_as().switch_page("app_pages/login.py").run()
    assert "With an account" in texts(app)
    app.text_input[0].input("trainee")
    app.text_input[1].input("not-the-password")
    app.button[0].click().run()
    assert "actor" not in app.session_state
    assert [error.value for error in app.error] == ["Unknown account name or wrong password."]


def test_demo_guest_is_only_offered_in_demo_mode_and_is_clearly_shown(runtime, monkeypatch):
    app = app_as().switch_page("app_pages/login.py").run()
    assert "Guest access is off" in texts(app)
    assert not [b for b in app.button if b.label == "Continue as guest"]

    monkeypatch.setenv("LESIONLAB_DEMO", "1")
    app = app_as().switch_page("app_pages/login.py").run()
    next(b for b in app.button if b.label == "Continue as guest").click().run()
    actor = app.session_state["actor"]
    assert actor.role is Role.TRAINEE and actor.name == "guest-trainee"
    assert any("Demo mode" in warning.value for warning in app.sidebar.warning)


TITLE_KEYS = {
    "app_pages/practice.py": "practice.title",
    "app_pages/educator.py": "educator.title",
    "app_pages/review.py": "review.title",
    "app_pages/accounts.py": "accounts.title",
}


@pytest.mark.parametrize(
    ("role", "allowed", "forbidden"),
    [
        ("trainee", "app_pages/practice.py", "app_pages/educator.py"),
        ("educator", "app_pages/educator.py", "app_pages/review.py"),
        ("expert", "app_pages/review.py", "app_pages/practice.py"),
        ("admin", "app_pages/accounts.py", "app_pages/practice.py"),
    ],
)
def test_menu_follows_the_role(accounts, role, allowed, forbidden):
    app = app_as(accounts[role]).switch_page(allowed).run()
    assert not app.exception
    assert app.title[0].value == ENGLISH[TITLE_KEYS[allowed]]
    blocked = app_as(accounts[role]).switch_page(forbidden).run()
    assert all(title.value != ENGLISH[TITLE_KEYS[forbidden]] for title in blocked.title)


def test_signed_out_visitors_only_reach_home_sign_in_and_about(runtime):
    app = app_as().switch_page("app_pages/results.py").run()
    assert all(title.value != "Results and progress" for title in app.title)


def test_language_switch_translates_the_page_and_sticks_across_pages(accounts):
    app = app_as(accounts["trainee"]).run()
    assert app.title[0].value == "LesionLab"
    app.sidebar.selectbox[0].select("ja").run()
    assert "実践を始める" in texts(app) or any("練習" in t.value for t in app.subheader) \
        or "合成" in texts(app)
    app.switch_page("app_pages/results.py").run()
    assert app.title[0].value == "結果と進捗"
    app.sidebar.selectbox[0].select("id").run()
    assert app.title[0].value == "Hasil dan kemajuan"


def test_sign_out_forgets_the_user_but_keeps_the_language(accounts):
    app = app_as(accounts["trainee"]).run()
    app.sidebar.selectbox[0].select("id").run()
    next(b for b in app.sidebar.button if b.key == "sign_out").click().run()
    assert "actor" not in app.session_state
    assert app.session_state["language"] == "id"


def test_reruns_leave_the_loaded_models_alone(accounts, monkeypatch):
    """Streamlit clears the Keras session after every script run unless the app stops it; in
    Keras 3 that is a full garbage collection (about 0.3 s) on every rerun of every session."""
    import keras

    cleared = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *_, **__: cleared.append(1))
    app = app_as(accounts["trainee"]).run()
    app.run()
    assert not app.exception and cleared == []


def test_the_server_skips_streamlits_full_collection_after_each_run():
    """With TensorFlow loaded, `runner.postScriptGC` costs about 0.3 s per rerun (bench/load.py)."""
    import tomllib

    from engine.services.runtime import REPOSITORY_ROOT

    config = tomllib.loads((REPOSITORY_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
