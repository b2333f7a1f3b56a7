"""Helpers for the app tests: the app under AppTest, signed in, and its visible text."""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from pathlib import Path

from streamlit.testing.v1 import AppTest, local_script_runner

REPOSITORY = Path(__file__).resolve().parents[2]
APP = REPOSITORY / "app" / "streamlit_app.py"
TIMEOUT_S = 120
PASSWORD = "correct-horse-1"
ENGLISH = json.loads((REPOSITORY / "app" / "locales" / "en.json").read_text(encoding="utf-8"))


def _thread_stacks() -> str:
    """Where every thread of this process is, for a script run that does not finish."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    return "\n".join(f"--- thread {names.get(ident, ident)}\n" + "".join(
        traceback.format_stack(frame)) for ident, frame in sys._current_frames().items())


def _wait_or_show_threads(runner, timeout: float = 3) -> None:
    """AppTest's wait for a script run, which on a time-out also says where the script was
    (the stock wait stops the script first, so its error says nothing about why)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if runner.script_stopped():
            return
        time.sleep(0.001)
    stacks = _thread_stacks()
    runner.request_stop()
    runner.join()
    raise RuntimeError(f"AppTest script run timed out after {timeout}(s); threads then:\n"
                       f"{stacks}")


local_script_runner.require_widgets_deltas = _wait_or_show_threads


def app_as(actor=None, *, language: str | None = None) -> AppTest:
    """The whole app (entry point and navigation), signed in as `actor` and in `language`
    when given."""
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    if actor is not None:
        app.session_state["actor"] = actor
    if language is not None:
        app.session_state["language"] = language
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
