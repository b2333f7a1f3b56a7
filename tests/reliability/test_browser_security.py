"""In chromium against the served app: script payloads in names, titles, join codes and guest
names are shown as text and never run; two browser sessions never see each other's state;
secrets and passwords never reach the server log or the page."""

from __future__ import annotations

import re

import pytest
from browser_steps import assert_no_script_ran, guest
from browser_support import PASSWORD, answer, go_to, join, open_app, settle, sign_in
from payloads import IMAGE_NAME, SCRIPT_TITLE, SECRETS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WRONG_PASSWORD = "wrong-pa55word-31c7"


def body(page) -> str:
    return page.inner_text("body")


def test_payloads_in_titles_and_names_are_shown_as_text_and_never_run(app_server, tally):
    trainee = open_app(app_server.browser, app_server.server)
    sign_in(trainee, name="mallory")
    go_to(trainee, "Practice")
    assert f"{SCRIPT_TITLE} · 1 of 3 answered" in body(trainee)
    assert_no_script_ran(trainee)
    trainee.get_by_role("button", name=re.compile(r"1 of 3 answered")).click()
    settle(trainee)
    trainee.get_by_text("Case 2 of 3").wait_for()
    assert_no_script_ran(trainee)
    trainee.context.close()

    educator = open_app(app_server.browser, app_server.server)
    sign_in(educator, name="educator")
    go_to(educator, "Educator")
    educator.get_by_role("tab", name="Cohorts").click()
    assert IMAGE_NAME in body(educator)
    educator.get_by_role("tab", name="Analytics").click()
    assert_no_script_ran(educator)
    educator.context.close()

    visitor = open_app(app_server.browser, app_server.server)
    go_to(visitor, "Sign in")
    visitor.get_by_role("textbox", name="Guest name").fill(IMAGE_NAME)
    visitor.get_by_role("button", name="Continue as guest").click()
    settle(visitor)
    refusal = visitor.get_by_test_id("stAlert").filter(has_text="Not possible").inner_text()
    assert "guest-<img-src=x-onerror=" in refusal  # the typed name, as text
    tally.refused("guest name with a script payload (browser)", refusal)
    assert_no_script_ran(visitor)
    visitor.context.close()

    payload_code = "<img src=x>"  # the field takes 16 characters
    player = guest(app_server, "payloads")
    join(player, payload_code)
    refusal = player.get_by_test_id("stAlert").filter(has_text="Could not join").inner_text()
    assert f"join code {payload_code!r} is malformed" in refusal
    tally.refused("join code with a script payload (browser)", refusal)
    assert_no_script_ran(player)
    player.context.close()


def test_two_browser_sessions_never_see_each_others_state(app_server):
    alice = guest(app_server, "alice")
    bob = guest(app_server, "bob")
    join(alice, app_server.codes["five"])
    alice.get_by_text("Case 1 of 5").wait_for()
    answer(alice)
    alice.get_by_text("Case 2 of 5").wait_for()

    go_to(bob, "Practice")
    assert "guest-bob" in body(bob) and "guest-alice" not in body(bob)
    assert "Continue where you stopped" not in body(bob)
    join(bob, app_server.codes["five"])
    bob.get_by_text("Case 1 of 5").wait_for()  # his own attempt, from the start

    go_to(alice, "Practice")  # her session still holds her attempt, at her next case
    alice.get_by_text("Case 2 of 5").wait_for()
    assert "guest-alice" in body(alice) and "guest-bob" not in body(alice)
    for page in (alice, bob):
        page.context.close()


def test_secrets_and_passwords_never_reach_the_log_or_the_page(app_server, tally):
    page = open_app(app_server.browser, app_server.server)
    sign_in(page, name="educator", password=WRONG_PASSWORD)
    assert "Unknown account name or wrong password." in body(page)
    sign_in(page, name="educator", password=PASSWORD)
    html = page.content()
    page.context.close()
    log = app_server.server.log.read_text(errors="replace")
    assert "DEBUG" in log or "debug" in log, "the server did not log at debug level"
    # secrets: neither in the log nor in any page; typed passwords: never in the log (the
    # browser's own password field may hold what its user typed)
    leaked = [name for name, value in SECRETS.items() if value in log or value in html]
    leaked += [name for name, value in (("password", PASSWORD),
                                        ("wrong password", WRONG_PASSWORD)) if value in log]
    assert leaked == []
    tally.event("secrets in the server log (debug level) and page", log_bytes=len(log),
                secrets_checked=len(SECRETS) + 2, leaked=len(leaked))
