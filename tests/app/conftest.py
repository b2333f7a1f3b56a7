"""Fixtures for the app tests: a fresh SQLite store per test and one account per role."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from apptest_support import PASSWORD  # noqa: E402

from engine.services.runtime import RuntimeConfig, open_runtime  # noqa: E402
from engine.store import users  # noqa: E402
from engine.store.roles import Role  # noqa: E402


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty data folder the app's store lives in (the app reads it from the environment)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("LESIONLAB_DATA_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("LESIONLAB_DEMO", raising=False)
    monkeypatch.setenv("LESIONLAB_MODELS_DIR", str(tmp_path / "no-models"))
    return folder


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory):
    """A migrated store holding one account per role, made once (bcrypt is slow on purpose);
    each test gets its own copy of the file."""
    folder = tmp_path_factory.mktemp("seeded")
    seeded = open_runtime(config=RuntimeConfig.from_environment(
        environ={"LESIONLAB_DATA_DIR": str(folder)}))
    made = {}
    with seeded.database.writing() as session:
        for role in Role:
            made[role.value] = users.add_user(session=session, actor=None, name=role.value,
                                              role=role, password=PASSWORD)
    seeded.database.dispose()
    return folder, made


@pytest.fixture
def runtime(data_dir, request):
    """The same runtime the app opens, for arranging data before the app runs (opened after
    the seeded accounts are copied in, when the test uses them)."""
    if "accounts" in request.fixturenames:
        request.getfixturevalue("accounts")
    opened = open_runtime(config=RuntimeConfig.from_environment())
    yield opened
    opened.database.dispose()


@pytest.fixture
def accounts(data_dir, seeded_store):
    """One account per role in this test's store; role name -> Actor."""
    folder, made = seeded_store
    shutil.copytree(folder, data_dir, dirs_exist_ok=True)
    return made


@pytest.fixture
def listed_trainee(runtime, accounts):
    """The trainee, a member of the educator's cohort "Year 3" and listed on its leaderboard;
    returns the cohort id."""
    from engine.services import leaderboard, teaching

    cohort_id = teaching.create_cohort(runtime=runtime, actor=accounts["educator"],
                                       name="Year 3")
    teaching.add_trainee(runtime=runtime, actor=accounts["educator"], cohort_id=cohort_id,
                         account_name="trainee")
    leaderboard.set_opt_in(runtime=runtime, actor=accounts["trainee"], opted_in=True)
    return cohort_id
