"""Steps the reliability browser tests share: sign in as a guest and look for script that ran
(joining and answering come from the app tests' browser_support)."""

from __future__ import annotations

from browser_support import go_to, open_app, settle

INJECTED = "() => window.__lesionlab_xss === undefined ? null : String(window.__lesionlab_xss)"


def guest(app, name: str):
    """A new browser session signed in as the demo guest `name`."""
    page = open_app(app.browser, app.server)
    go_to(page, "Sign in")
    page.get_by_role("textbox", name="Guest name").fill(name)
    page.get_by_role("button", name="Continue as guest").click()
    settle(page)
    return page




def assert_no_script_ran(page) -> None:
    """No payload executed and no payload element exists in the page."""
    assert page.evaluate(INJECTED) is None
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("script", has_text="__lesionlab_xss").count() == 0
