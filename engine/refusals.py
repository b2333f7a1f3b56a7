"""Refusals: input the engine turns down, worded for the person who typed it, in their language.

A `Refusal` is an ordinary ValueError whose text is the English template `key` of
engine/locales, so the CLI, logs and tests read it as before; the app asks `message(language)`
for the same refusal in the user's language. Values keep naming what is wrong (the bad value,
the allowed range); only the wording around them is translated. A value may itself be a
`Phrase` (an action, a list of roles) or a tuple of phrases (several problems at once), worded
in the same language. Programming errors stay plain ValueErrors: only developers read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.i18n import text


@dataclass(frozen=True)
class Phrase:
    """A template and its values, worded only when a language is known."""

    key: str
    values: dict = field(default_factory=dict)

    def worded(self, language: str) -> str:
        return text(self.key, language, **{name: _worded(value, language)
                                           for name, value in self.values.items()})


def phrase(key: str, **values) -> Phrase:
    return Phrase(key, values)


def _worded(value, language: str):
    """A phrase in `language`; several phrases joined as the language joins problems."""
    if isinstance(value, Phrase):
        return value.worded(language)
    if isinstance(value, tuple) and value and all(isinstance(part, Phrase) for part in value):
        return text("refusal.separator", language).join(part.worded(language) for part in value)
    return value


class Refusal(ValueError):
    """User input turned down; `str()` is the English message, `message()` any language's."""

    def __init__(self, key: str, **values) -> None:
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, language: str) -> str:
        return Phrase(self.key, self.values).worded(language)
