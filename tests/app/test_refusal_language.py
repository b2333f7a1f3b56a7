"""Refusals are shown in the user's language, not in the engine's English: a Japanese trainee
who types a wrong join code or an empty display name reads why in Japanese, and so does an
educator whose evaluation report cannot be read, or an expert with nothing to judge yet."""

from __future__ import annotations

import json

import pytest
from apptest_support import REPOSITORY, app_as
from test_turing import REAL

from engine.i18n import text
from engine.refusals import Refusal
from engine.services import model_lab

JAPANESE = json.loads((REPOSITORY / "app" / "locales" / "ja.json").read_text(encoding="utf-8"))


def in_japanese(actor, page: str):
    return app_as(actor, language="ja").switch_page(page).run()


def submit(app, field_key: str, value: str, button_key: str) -> None:
    (field,) = [box for box in app.text_input if box.label == JAPANESE[field_key]]
    field.input(value)
    (button,) = [b for b in app.button if b.label == JAPANESE[button_key]]
    button.click().run()


def test_an_unknown_join_code_is_refused_in_japanese(runtime, accounts):
    app = in_japanese(accounts["trainee"], "app_pages/practice.py")
    submit(app, "practice.join_code", "zzz-zzz", "practice.join_button")
    assert not app.exception
    reason = text("refusal.join_code.unknown", "ja", code="ZZZ-ZZZ")
    assert [error.value for error in app.error] == [
        JAPANESE["practice.join_failed"].format(reason=reason)]


def test_an_empty_display_name_is_refused_in_japanese(runtime, accounts, listed_trainee):
    app = in_japanese(accounts["trainee"], "app_pages/results.py")
    submit(app, "leaderboard.display_name", "   ", "leaderboard.save_name")
    assert not app.exception
    assert [error.value for error in app.error] == [
        "名前を保存できませんでした: 表示名を入力してください"]


def test_an_unreadable_evaluation_report_is_named_in_japanese(runtime, accounts, tmp_path,
                                                              monkeypatch):
    broken = tmp_path / "reports" / "broken" / "metrics.json"
    broken.parent.mkdir(parents=True)
    broken.write_text("{", encoding="utf-8")
    monkeypatch.setenv("LESIONLAB_REPORTS_DIR", str(tmp_path / "reports"))
    with pytest.raises(Refusal) as caught:
        model_lab.read_report(path=broken)
    app = in_japanese(accounts["educator"], "app_pages/model_lab.py")
    assert not app.exception
    assert [error.value for error in app.error] == [caught.value.message("ja")]
    assert str(broken) in app.error[0].value


def test_the_turing_test_without_synthetic_items_says_so_in_japanese(runtime, accounts,
                                                                     monkeypatch):
    monkeypatch.setenv("LESIONLAB_REAL_IMAGES_DIR", str(REAL))
    app = in_japanese(accounts["expert"], "app_pages/review.py")
    assert not app.exception
    assert [warning.value for warning in app.warning] == [
        text("refusal.turing.no_items", "ja")]
