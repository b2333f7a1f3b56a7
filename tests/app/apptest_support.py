"""Helpers for the app tests: the app under AppTest, signed in, and its visible text."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

REPOSITORY = Path(__file__).resolve().parents[2]
APP = REPOSITORY / "app" / "streamlit_app.py"
TIMEOUT_S = 60
PASSWORD = "correct-horse-1"
ENGLISH = json.loads((REPOSITORY / "app" / "locales" / "en.json").read_text(encoding="utf-8"))


def app_as(actor=None) -> AppTest:
    """The whole app (entry point and navigation), signed in as `actor` when given."""
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    if actor is not None:
        app.session_state["actor"] = actor
    return app


def texts(app: AppTest) -> str:
    """Every piece of visible text, joined, for assertions on what the user reads."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info",
                 "success", "warning", "error", "metric"):
        for element in getattr(app, kind):
            parts.append(str(getattr(element, "value", "")))
            parts.append(str(getattr(element, "label", "")))
    return "\n".join(parts)


def button(app: AppTest, label_key: str):
    """The one button (or form submit button) whose label is the English text of `label_key`."""
    label = ENGLISH[label_key]
    matches = [b for b in app.button if b.label == label]
    if len(matches) != 1:
        raise LookupError(f"{len(matches)} buttons labelled {label!r}")
    return matches[0]
