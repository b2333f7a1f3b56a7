"""User-facing strings from app/locales/<language>.json.

Every page asks for text by key; the locale test checks that en, ja and id hold the same keys,
so a missing translation is caught before a user sees English in a Japanese page.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

from engine.i18n import LANGUAGES, text
from engine.refusals import Refusal

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LANGUAGE = "en"


@cache
def strings(language: str) -> dict[str, str]:
    return json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))


def current_language() -> str:
    language = st.session_state.get("language", DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values) -> str:
    """The current language's text for `key`, with {placeholders} filled in."""
    text = strings(current_language()).get(key) or strings(DEFAULT_LANGUAGE)[key]
    return text.format(**values) if values else text


def engine_term(key: str) -> str:
    """A term the engine owns (diagnosis names, management choices) in the current language."""
    return text(key, current_language())


def refusal_text(error: ValueError) -> str:
    """Why the engine turned the user's input down, in their language when the engine worded
    it as a Refusal; any other error keeps its own (English) text."""
    return error.message(current_language()) if isinstance(error, Refusal) else str(error)


def language_picker() -> None:
    """The language switch; kept in session state so every page follows it. Each language is
    named in its own words (the engine's locale files hold the names)."""
    st.selectbox(
        t("language"), LANGUAGES, format_func=lambda code: text("language.name", code),
        key="language",
    )
