"""User-facing strings from app/locales/<language>.json; English fills any gap."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = {"en": "English", "ja": "日本語", "id": "Bahasa Indonesia"}


@cache
def strings(language: str) -> dict[str, str]:
    return json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))


def t(key: str, **values) -> str:
    """The current language's text for `key`, with {placeholders} filled in."""
    language = st.session_state.get("language", "en")
    text = strings(language).get(key) or strings("en")[key]
    return text.format(**values) if values else text
