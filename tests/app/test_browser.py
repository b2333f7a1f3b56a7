"""End to end in Debian's chromium against a real `streamlit run` server (one per module)."""

from __future__ import annotations

import re

import pytest
from browser_support import (
    PASSWORD,
    answer,
    chromium,
    go_to,
    join,
    open_app,
    settle,
    sign_in,
    streamlit_server,
)
from seeding import seed_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("served")
    models_dir = tmp_path_factory.mktemp("no-models")
    codes = seed_store(data_dir=data_dir, password=PASSWORD, models_dir=models_dir)
    with streamlit_server(data_dir=data_dir, models_dir=models_dir,
                          log=data_dir / "streamlit.log") as server, chromium() as browser:
        yield server, browser, codes


def test_trainee_takes_a_five_case_quiz_and_sees_the_score(served):
    server, browser, codes = served
    page = open_app(browser, server)
    sign_in(page, name="trainee")
    join(page, codes["five"])
    for number in range(1, 6):
        page.get_by_text(f"Case {number} of 5").wait_for()
        settle(page)
        answer(page)
    page.get_by_text("Quiz complete").wait_for()
    assert re.search(r"You scored \d / 5", page.inner_text("body"))
    page.context.close()


def test_educator_publishes_and_a_trainee_joins_by_code(served):
    server, browser, _ = served
    educator = open_app(browser, server)
    sign_in(educator, name="educator")
    go_to(educator, "Educator")
    educator.get_by_role("button", name="Publish quiz").click()
    settle(educator)
    message = educator.get_by_text(re.compile(r"Join code: [A-Z2-9]{3}-[A-Z2-9]{3}"))
    code = re.search(r"[A-Z2-9]{3}-[A-Z2-9]{3}", message.inner_text()).group(0)
    educator.context.close()

    trainee = open_app(browser, server)
    sign_in(trainee, name="trainee")
    join(trainee, code)
    trainee.get_by_text("Case 1 of 10").wait_for()
    trainee.context.close()


def test_expert_approval_brings_an_item_into_a_validated_only_quiz(served):
    server, browser, codes = served
    trainee = open_app(browser, server)
    sign_in(trainee, name="trainee")
    join(trainee, codes["validated"])
    trainee.get_by_text("This quiz has no cases for you yet").wait_for()

    expert = open_app(browser, server)
    sign_in(expert, name="expert")
    go_to(expert, "Expert review")
    waiting = expert.get_by_text(re.compile(r"\d+ items waiting for your review"))
    before = int(waiting.inner_text().split()[0])
    expert.get_by_role("button", name="Approve").click()
    settle(expert)
    expert.get_by_text(f"{before - 1} items waiting for your review").wait_for()
    expert.context.close()

    trainee.get_by_role("button", name="Back to practice").click()
    settle(trainee)
    join(trainee, codes["validated"])
    trainee.get_by_text("Case 1 of 1").wait_for()
    trainee.context.close()


def test_language_switch_translates_the_menu_and_the_page(served):
    server, browser, _ = served
    page = open_app(browser, server)
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="日本語").click()
    settle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="サインイン").wait_for()
    assert "合成病変" in page.inner_text("body")
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="Bahasa Indonesia").click()
    settle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Masuk").wait_for()
    page.context.close()
