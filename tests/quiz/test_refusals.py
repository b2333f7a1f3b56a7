"""Refusals of user input: every template the engine raises exists in every language, the English
text is what Python and the CLI read, and the other languages word the same facts."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from engine.i18n import LANGUAGES, LOCALES_DIR, text
from engine.refusals import Refusal, phrase
from engine.store.attempts import READING_ROLES
from engine.store.auth import check_name
from engine.store.leaderboard import BOARD_READERS
from engine.store.quizzes import parse_join_code
from engine.store.roles import ALLOWED_WORDS, ROLE_WORDS, TEACHING_ROLES, Role
from engine.store.users import check_display_name

ENGINE = Path(__file__).resolve().parents[2] / "engine"
# A refusal key written in engine code, as a string literal.
KEY_LITERAL = re.compile(r"""["'](refusal\.[a-z_.]+)["']""")
# The permission checks whose `action` argument names an `action.<name>` template.
PERMISSION_CHECKS = {"require_role", "owned_quiz", "owned_cohort", "_own_or_admin"}


def locale(language: str) -> dict[str, str]:
    return json.loads((LOCALES_DIR / f"{language}.json").read_text(encoding="utf-8"))


def keys_in_engine_code() -> set[str]:
    return {key for path in ENGINE.rglob("*.py")
            for key in KEY_LITERAL.findall(path.read_text(encoding="utf-8"))}


def actions_in_engine_code() -> set[str]:
    """Every `action="..."` written in a call to a permission check."""
    calls = (node for path in ENGINE.rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call))
    return {keyword.value.value for call in calls
            if getattr(call.func, "id", getattr(call.func, "attr", None)) in PERMISSION_CHECKS
            for keyword in call.keywords
            if keyword.arg == "action" and isinstance(keyword.value, ast.Constant)}


def test_the_engine_raises_refusals_somewhere():  # so the scan below can fail
    assert {"refusal.join_code.length", "refusal.display_name.empty"} <= keys_in_engine_code()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_refusal_key_in_engine_code_has_a_template(language):
    assert sorted(keys_in_engine_code() - set(locale(language))) == []


def test_every_refusal_template_is_used():
    templates = {key for key in locale("en") if key.startswith("refusal.")}
    assert sorted(templates - keys_in_engine_code()) == []


def test_every_action_a_permission_check_names_has_a_template_in_every_language():
    actions = {f"action.{name}" for name in actions_in_engine_code()}
    assert {"action.create_quizzes", "action.change_password"} <= actions  # the scan finds them
    for language in LANGUAGES:
        templates = {key for key in locale(language) if key.startswith("action.")}
        assert (sorted(actions - templates), sorted(templates - actions)) == ([], [])


@pytest.mark.parametrize(
    "refuse",
    [lambda: parse_join_code(code="AB"), lambda: parse_join_code(code="O0O-1I1"),
     lambda: check_display_name(display_name=" "),
     lambda: check_display_name(display_name="x" * 200), lambda: check_name(name="No Way")],
)
def test_a_refusal_reads_as_english_and_words_the_same_values_in_each_language(refuse):
    with pytest.raises(Refusal) as caught:
        refuse()
    refusal = caught.value
    assert str(refusal) == refusal.message("en") == text(refusal.key, "en", **refusal.values)
    assert isinstance(refusal, ValueError)
    for language in ("ja", "id"):
        worded = refusal.message(language)
        assert worded != str(refusal) and "{" not in worded
        for value in refusal.values.values():
            assert str(value) in worded


def test_phrases_in_a_refusal_are_worded_in_its_language():
    refusal = Refusal("refusal.cohort.no_name")
    assert refusal.message("ja") == text("refusal.cohort.no_name", "ja")
    nested = Refusal("refusal.quiz_spec.invalid", name="'custom'",
                     problems=(phrase("refusal.quiz_spec.too_few_classes"),
                               phrase("refusal.quiz_spec.items", n_items=0, maximum=200)))
    assert str(nested) == ("invalid quiz spec 'custom': a diagnosis quiz needs at least 2 "
                           "classes; n_items 0 must be from 1 to 200")
    assert text("refusal.quiz_spec.too_few_classes", "ja") in nested.message("ja")


def test_every_role_and_every_group_of_roles_checked_has_words():
    assert set(ROLE_WORDS) == set(Role)
    assert {READING_ROLES, BOARD_READERS, TEACHING_ROLES | {Role.TRAINEE}} <= set(ALLOWED_WORDS)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        Refusal("refusal.cohort.no_name").message("fr")
