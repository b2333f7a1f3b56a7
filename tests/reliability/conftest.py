"""Fixtures of the reliability tests: the run's tally, a seeded store, the app test helpers.

The browser helpers and store seeding of the app tests are reused (tests/app is put on the
import path), so the servers started here are the same `streamlit run` the app tests drive.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "app")]

from payloads import IMAGE_NAME, SCRIPT_TITLE, SECRETS  # noqa: E402
from served_app import AppServer  # noqa: E402
from tally import Tally  # noqa: E402

from engine.services.runtime import RuntimeConfig, open_runtime  # noqa: E402
from engine.store import auth  # noqa: E402
from engine.store.roles import Role  # noqa: E402

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
PASSWORD = "correct-horse-1"

@pytest.fixture(scope="session")
def tally():
    """Counts of cases, refusals and crashes across the run (written out at the end)."""
    counts = Tally()
    yield counts
    counts.write()


@pytest.fixture(autouse=True)
def quick_bcrypt(monkeypatch):
    """The cheapest bcrypt cost keeps account set-up fast; the algorithm is the same."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture(scope="session")
def seeded_folder(tmp_path_factory):
    """A store with one account per role and two published quizzes, made once."""
    from seeding import seed_store

    folder = tmp_path_factory.mktemp("seeded-store")
    models = tmp_path_factory.mktemp("no-models")
    original = auth.BCRYPT_ROUNDS
    auth.BCRYPT_ROUNDS = 4
    try:
        codes = seed_store(data_dir=folder, password=PASSWORD, models_dir=models)
    finally:
        auth.BCRYPT_ROUNDS = original
    return SimpleNamespace(folder=folder, models=models, codes=codes)


@pytest.fixture
def seeded(seeded_folder, tmp_path, monkeypatch):
    """This test's own copy of the seeded store, opened as the app opens it."""
    data_dir = tmp_path / "data"
    shutil.copytree(seeded_folder.folder, data_dir)
    monkeypatch.setenv("LESIONLAB_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LESIONLAB_MODELS_DIR", str(seeded_folder.models))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("LESIONLAB_DEMO", raising=False)
    runtime = open_runtime(config=RuntimeConfig.from_environment())
    yield SimpleNamespace(runtime=runtime, data_dir=data_dir, codes=seeded_folder.codes,
                          actors=seeded_folder.codes["actors"])
    runtime.database.dispose()


def _write_secrets(path: Path) -> None:
    path.write_text(
        "[auth]\n"
        "redirect_uri = \"http://127.0.0.1/oauth2callback\"\n"
        f"cookie_secret = \"{SECRETS['cookie_secret']}\"\n"
        "client_id = \"lesionlab\"\n"
        f"client_secret = \"{SECRETS['client_secret']}\"\n"
        "server_metadata_url = \"http://127.0.0.1:9/.well-known/openid-configuration\"\n"
        "[service]\n"
        f"api_key = \"{SECRETS['api_key']}\"\n")


def _seed_payloads(data_dir: Path, models_dir: Path, actors: dict) -> dict:
    """A trainee whose display name, cohort and quiz title are script payloads, part-way
    through that quiz; made through the engine as the forms would make them."""
    from engine.quiz import QuizSpec
    from engine.services import accounts, authoring, practice, teaching

    runtime = open_runtime(config=RuntimeConfig.from_environment(environ={
        "LESIONLAB_DATA_DIR": str(data_dir), "LESIONLAB_MODELS_DIR": str(models_dir)}))
    mallory = accounts.add_account(runtime=runtime, actor=actors["admin"], name="mallory",
                                   role=Role.TRAINEE, password=PASSWORD,
                                   display_name=IMAGE_NAME)
    cohort = teaching.create_cohort(runtime=runtime, actor=actors["educator"], name=IMAGE_NAME)
    teaching.add_trainee(runtime=runtime, actor=actors["educator"], cohort_id=cohort,
                         account_name="mallory")
    spec = QuizSpec(name="custom", classes=("mel", "nv"), n_options=2, severity_range=(0, 0),
                    n_items=3)
    quiz = teaching.publish(runtime=runtime, actor=actors["educator"], title=SCRIPT_TITLE,
                            design=authoring.QuizDesign(spec=spec), seed=8, cohort_id=cohort)
    attempt = practice.join(runtime=runtime, actor=mallory, code=quiz.join_code)
    case = practice.next_case(runtime=runtime, actor=mallory, attempt_id=attempt)
    practice.record_answer(runtime=runtime, actor=mallory, attempt_id=attempt,
                           item_id=case.item_id, diagnosis="mel", management="excise",
                           confidence=50, time_ms=900)
    runtime.database.dispose()
    return {"payload_quiz": quiz.join_code}


@pytest.fixture(scope="session")
def app_server(seeded_folder, tmp_path_factory):
    """One served app for the browser tests of this folder: demo mode on, a secrets file with
    values that must never show, debug logging, and the payload accounts seeded."""
    from browser_support import chromium

    folder = tmp_path_factory.mktemp("served")
    data_dir = folder / "data"
    shutil.copytree(seeded_folder.folder, data_dir)
    original = auth.BCRYPT_ROUNDS
    auth.BCRYPT_ROUNDS = 4
    try:
        codes = {**seeded_folder.codes,
                 **_seed_payloads(data_dir, seeded_folder.models, seeded_folder.codes["actors"])}
    finally:
        auth.BCRYPT_ROUNDS = original
    secrets_file = folder / "secrets.toml"
    _write_secrets(secrets_file)
    server = AppServer(data_dir=data_dir, models_dir=seeded_folder.models,
                       log=folder / "streamlit.log",
                       extra_arguments=("--secrets.files", str(secrets_file),
                                        "--logger.level", "debug"),
                       environ={"LESIONLAB_DEMO": "1"})
    server.start()
    try:
        with chromium() as browser:
            yield SimpleNamespace(server=server, browser=browser, codes=codes)
    finally:
        server.stop()
