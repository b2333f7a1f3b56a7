"""Security through the UI (AppTest, the whole app with its navigation): every role, and a
visitor who is not signed in, tries every page outside its menu and never gets it; a session
whose state names another trainee's attempt is refused by the data layer and shows nothing of
that attempt."""

from __future__ import annotations

import pytest
from apptest_support import ENGLISH, app_as, texts

from engine.services import practice
from engine.store.roles import PermissionDenied

PAGE_TITLES = {
    "app_pages/practice.py": "practice.title", "app_pages/results.py": "results.title",
    "app_pages/educator.py": "educator.title", "app_pages/review.py": "review.title",
    "app_pages/accounts.py": "accounts.title", "app_pages/studio.py": "studio.title",
    "app_pages/model_lab.py": "model_lab.title", "app_pages/login.py": "login.title",
}
# One page each role does reach: the same check must see its title there.
REACHABLE = {None: "login", "trainee": "practice", "educator": "educator", "expert": "review",
             "admin": "accounts"}
# Who must never open what (DESIGN.md, users and roles), written out independently of the menu.
FORBIDDEN = {
    None: ("practice", "results", "educator", "review", "accounts", "studio", "model_lab"),
    "trainee": ("educator", "review", "accounts", "model_lab"),
    "educator": ("practice", "results", "review", "accounts"),
    "expert": ("practice", "results", "educator", "accounts"),
    "admin": ("practice", "results", "review"),
}


@pytest.mark.slow
@pytest.mark.parametrize("role", [None, "trainee", "educator", "expert", "admin"],
                         ids=["visitor", "trainee", "educator", "expert", "admin"])
def test_no_role_reaches_a_page_outside_its_menu(seeded, tally, role):
    actor = seeded.actors[role] if role else None
    reachable = f"app_pages/{REACHABLE[role]}.py"
    shown = [title.value for title in app_as(actor).switch_page(reachable).run().title]
    assert ENGLISH[PAGE_TITLES[reachable]] in shown
    for name in FORBIDDEN[role]:
        page = f"app_pages/{name}.py"
        app = app_as(actor).switch_page(page).run()
        shown = [title.value for title in app.title]
        assert ENGLISH[PAGE_TITLES[page]] not in shown, f"{role} opened {page}"
        tally.refused("page outside the role's menu", f"{role or 'visitor'} -> {page}")


@pytest.mark.slow
def test_a_session_holding_another_trainees_attempt_is_refused(seeded, tally):
    from engine.services import accounts
    from engine.store.roles import Role

    runtime, actors = seeded.runtime, seeded.actors
    victim = actors["trainee"]
    attempt_id = practice.join(runtime=runtime, actor=victim, code=seeded.codes["five"])
    intruder = accounts.add_account(runtime=runtime, actor=actors["admin"], name="tia",
                                    role=Role.TRAINEE, password="long-enough-1",
                                    display_name="Tia")
    app = app_as(intruder)
    app.session_state["attempt_id"] = attempt_id
    app.switch_page("app_pages/practice.py").run()
    assert not app.exception
    errors = [error.value for error in app.error]
    assert len(errors) == 1 and errors[0].startswith("Not allowed: ")
    refusal = errors[0]
    assert "belongs to another trainee" in refusal
    assert "Case 1 of 5" not in texts(app)
    with pytest.raises(PermissionDenied):
        practice.next_case(runtime=runtime, actor=intruder, attempt_id=attempt_id)
    tally.refused("another trainee's attempt in session state (UI)", refusal)
