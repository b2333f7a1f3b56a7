"""Sentences the engine writes for trainees, in their language (en, ja, id).

Feedback lines, criteria explanations and degradation descriptions are built by the engine, so
their templates live beside it in `engine/locales/<language>.json` rather than in the app.
Every language file holds the same keys with the same {placeholders} (the tests check this);
English is the source. An unknown language is refused rather than quietly shown in English.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable
from functools import cache
from numbers import Number
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("en", "ja", "id")
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def checked_language(language: str) -> str:
    """`language` itself, or a ValueError naming it and the languages there are."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    return language


@cache
def templates(language: str) -> dict[str, str]:
    """Every template of one language, read once per process."""
    path = LOCALES_DIR / f"{checked_language(language)}.json"
    return json.loads(path.read_text(encoding="utf-8"))


class _NumberFormatter(string.Formatter):
    """Fills placeholders, writing numbers with the language's marks: Indonesian writes "4,75"
    and "10.485.760" where English writes "4.75" and "10,485,760" (a template asks for thousands
    grouping with a format spec, as in "{size:,}")."""

    def __init__(self, decimal_mark: str, thousands_mark: str) -> None:
        self.marks = str.maketrans({".": decimal_mark, ",": thousands_mark})

    def format_field(self, value, format_spec: str) -> str:
        formatted = super().format_field(value, format_spec)
        return formatted.translate(self.marks) if isinstance(value, Number) else formatted


@cache
def _formatter(language: str) -> _NumberFormatter:
    language_templates = templates(language)
    return _NumberFormatter(language_templates["number.decimal_mark"],
                            language_templates["number.thousands_mark"])


def text(key: str, language: str, **values) -> str:
    """The template `key` in `language` with its {placeholders} filled from `values`."""
    return _formatter(language).format(templates(language)[key], **values)


def listing(items: Iterable[str], language: str) -> str:
    """Items joined the way the language writes a list ("a, b" / "a、b")."""
    return text("list.separator", language).join(items)
