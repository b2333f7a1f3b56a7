"""Every user-facing string comes from the locale files, and every language has every key."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
LANGUAGES = ("en", "ja", "id")
# Streamlit calls whose first argument or these keyword arguments are shown to the user.
SHOWN_ARGUMENTS = {"label", "help", "placeholder", "caption", "text", "title", "body"}
STREAMLIT_NAMES = {"st", "column", "left", "right", "before", "after", "name", "info",
                   "approve", "reject", "real_button", "synthetic_button", "image_column",
                   "form_column", "settings_column", "preview_column", "due_column",
                   "weak_column", "degraded_column", "clean_column", "profile_column",
                   "images_column", "levels_column", "code_column"}


def locale(language: str) -> dict[str, str]:
    return json.loads((APP / "locales" / f"{language}.json").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


@pytest.mark.parametrize("language", ["ja", "id"])
def test_every_language_has_exactly_the_english_keys(language):
    english, other = locale("en"), locale(language)
    assert sorted(set(english) - set(other)) == [], f"missing in {language}.json"
    assert sorted(set(other) - set(english)) == [], f"only in {language}.json"


@pytest.mark.parametrize("language", ["ja", "id"])
def test_translations_keep_the_placeholders(language):
    english, other = locale("en"), locale(language)
    wrong = [key for key in english if placeholders(english[key]) != placeholders(other[key])]
    assert wrong == []


def test_translations_are_not_left_in_english():
    english = locale("en")
    for language in ("ja", "id"):
        same = [key for key, text in locale(language).items()
                if text == english[key] and re.search(r"[a-z]{4,} [a-z]{4,}", text)]
        assert same == [], f"{language}: untranslated {same}"


def _python_files():
    return sorted(APP.rglob("*.py"))


def test_every_key_the_pages_ask_for_exists():
    english = locale("en")
    used = set()
    for path in _python_files():
        used |= set(re.findall(r"\bt\(\s*[\"']([^\"'{}]+)[\"']", path.read_text()))
    assert sorted(used - set(english)) == []


def test_pages_pass_no_literal_text_to_streamlit():
    """Literal strings given to st.* widgets and elements would escape translation."""
    offences = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if not (isinstance(owner, ast.Name) and owner.id in STREAMLIT_NAMES):
                continue
            shown = node.args[:1] + [k.value for k in node.keywords if k.arg in SHOWN_ARGUMENTS]
            for argument in shown:
                if (isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                        and re.search(r"[A-Za-z]{2,}", argument.value)
                        and node.func.attr not in {"form", "code", "Page", "dialog", "page_link",
                                                   "get_option"}
                        and not re.fullmatch(r"[A-Z]{3}-[A-Z]{3}", argument.value)):
                    offences.append(f"{path.name}:{node.lineno} {argument.value!r}")
    assert offences == []
