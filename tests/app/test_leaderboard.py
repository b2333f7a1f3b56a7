"""The cohort leaderboard section under AppTest: a trainee opts in on the results page, and
the cohort's educator sees the same board in the analytics tab. Names show only as text."""

from __future__ import annotations

from apptest_support import app_as, texts
from test_pages import answer_all, publish

from engine.services import leaderboard, teaching
from engine.store import users
from engine.store.roles import Role

TRICKY_NAME = "**Peer** <img src=x onerror=alert(1)> [link](https://example.com)"


def board_table(app):
    (table,) = [frame.value for frame in app.dataframe if "Display name" in frame.value.columns]
    return table


def test_trainee_opts_in_and_the_educator_sees_the_board(runtime, accounts):
    educator, trainee = accounts["educator"], accounts["trainee"]
    with runtime.database.writing() as session:
        peer = users.add_user(session=session, actor=None, name="peer", role=Role.TRAINEE,
                              password=None, display_name=TRICKY_NAME)
    cohort_id = teaching.create_cohort(runtime=runtime, actor=educator, name="Year 2")
    for name in ("trainee", "peer"):
        teaching.add_trainee(runtime=runtime, actor=educator, cohort_id=cohort_id,
                             account_name=name)
    leaderboard.set_opt_in(runtime=runtime, actor=peer, opted_in=True)
    answer_all(runtime, peer, publish(runtime, educator).join_code)

    app = app_as(trainee).switch_page("app_pages/results.py").run()
    assert not app.exception
    assert "Cohort leaderboard" in texts(app)
    assert board_table(app)["Display name"].tolist() == [TRICKY_NAME]
    assert board_table(app)["Finished attempts"].tolist() == [1]
    assert board_table(app)["Rank"].tolist() == ["not yet"]  # fewer than 10 cases answered
    assert "1 other members are not listed." in texts(app)
    assert "Peer" not in texts(app) and "peer" not in texts(app)  # never rendered as markdown

    app.toggle[0].set_value(True).run()
    assert not app.exception
    assert leaderboard.opted_in(runtime=runtime, actor=trainee)
    assert board_table(app)["Display name"].tolist() == [TRICKY_NAME, "trainee"]

    app = app_as(educator).switch_page("app_pages/educator.py").run()
    assert not app.exception
    assert [box.value for box in app.selectbox if box.label == "Cohort"] == [cohort_id]
    assert board_table(app)["Display name"].tolist() == [TRICKY_NAME, "trainee"]


def test_a_trainee_renames_themself_and_the_board_shows_the_new_name(runtime, accounts,
                                                                      listed_trainee):
    app = app_as(accounts["trainee"]).switch_page("app_pages/results.py").run()
    (field,) = [box for box in app.text_input if box.label == "My display name"]
    field.input("Dr Who")  # a form's fields take effect with its submit button
    next(button for button in app.button if button.label == "Save name").click().run()
    assert not app.exception and [s.value for s in app.success] == ["Display name saved."]
    assert board_table(app)["Display name"].tolist() == ["Dr Who"]

    (field,) = [box for box in app.text_input if box.label == "My display name"]
    field.input("   ")
    next(button for button in app.button if button.label == "Save name").click().run()
    assert [e.value for e in app.error] == ["Name not saved: a display name cannot be empty"]
    assert board_table(app)["Display name"].tolist() == ["Dr Who"]
