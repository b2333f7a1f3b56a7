"""A real `streamlit run` server on a free port with its own store, and Debian's chromium
driven by Playwright: shared by the browser tests, the screenshot script and the benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PASSWORD = "correct-horse-1"
START_TIMEOUT_S = 90


@dataclass(frozen=True)
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(*, data_dir: Path, models_dir: Path | None = None) -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop("DATABASE_URL", None)
    environment["LESIONLAB_DATA_DIR"] = str(data_dir)
    if models_dir is not None:
        environment["LESIONLAB_MODELS_DIR"] = str(models_dir)
    return environment


@contextmanager
def streamlit_server(*, data_dir: Path, models_dir: Path | None = None, log: Path | None = None):
    """Start the app as `make run` does (headless, own port) and stop it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app/streamlit_app.py",
               "--server.headless", "true", "--server.port", str(port),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    output = open(log or os.devnull, "w")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(command, cwd=REPOSITORY, stdout=output, stderr=subprocess.STDOUT,
                               env=server_environment(data_dir=data_dir, models_dir=models_dir))
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield Server(url, data_dir, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        output.close()


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer {url}/_stcore/health in {START_TIMEOUT_S} s")


@contextmanager
def chromium():
    """Debian's chromium under Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def settle(page, *, timeout_ms: int = 30_000) -> None:
    """Wait until the script has run to the end after the last interaction."""
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def open_app(browser, server: Server, *, width: int = 1400, height: int = 950):
    """A fresh browser session (its own Streamlit session) on the app's home page."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server.url)
    settle(page)
    return page


def sign_in(page, *, name: str, password: str = PASSWORD) -> None:
    go_to(page, "Sign in")
    page.get_by_role("textbox", name="Account name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    settle(page)


def go_to(page, title: str) -> None:
    """Follow a menu link in the sidebar, keeping the session."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    settle(page)


def join(page, code: str) -> None:
    go_to(page, "Practice")
    page.get_by_label("Join code from your educator").fill(code)
    page.get_by_role("button", name="Join quiz").click()
    settle(page)


def answer(page) -> None:
    page.get_by_text("Malignant", exact=True).first.click()
    page.get_by_text("Excise / biopsy", exact=True).click()
    page.get_by_role("button", name="Submit answer").click()
    settle(page)
