"""An empty, migrated database for every test, on SQLite and on the PostgreSQL `make test` starts.

The schema is migrated once per backend. SQLite tests get a copy of that file; PostgreSQL tests
share one database per test module (a `CREATE DATABASE ... TEMPLATE` copy) whose tables are
truncated before each test, which is much quicker than a new database per test.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from engine.store import auth
from engine.store.cohorts import add_member, create_cohort
from engine.store.db import Database, upgrade
from engine.store.items import NewItem, add_items
from engine.store.models import Base
from engine.store.quizzes import create_quiz
from engine.store.roles import Role
from engine.store.users import add_user

POSTGRES_VARIABLE = "LESIONLAB_TEST_POSTGRES_URL"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
_database_numbers = itertools.count()


@pytest.fixture(autouse=True)
def quick_bcrypt(monkeypatch):
    """The cheapest bcrypt cost keeps password tests fast; the algorithm is the same."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(url=f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template():
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        pytest.skip(
            f"{POSTGRES_VARIABLE} is unset: start a server with "
            'eval "$(scripts/test-postgres.sh start)" (make test does this)'
        )
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    template = f"lesionlab_template_{os.getpid()}"
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{template}"'))
        connection.execute(text(f'CREATE DATABASE "{template}"'))
    upgrade(url=make_url(url).set(database=template).render_as_string(hide_password=False))
    yield SimpleNamespace(server=server, url=make_url(url), template=template)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="module")
def postgres_module_database(postgres_template):
    """One migrated database per test module; tests empty its tables (see database_url)."""
    name = f"lesionlab_test_{os.getpid()}_{next(_database_numbers)}"
    template = postgres_template.template
    with postgres_template.server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = postgres_template.url.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url, poolclass=NullPool)
    yield SimpleNamespace(url=url, engine=engine)
    engine.dispose()
    with postgres_template.server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """The URL of a database with the current schema and no rows."""
    if request.param == "sqlite":
        path = tmp_path / "lesionlab.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    postgres = request.getfixturevalue("postgres_module_database")
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with postgres.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return postgres.url


@pytest.fixture
def database(database_url):
    database = Database(url=database_url)
    yield database
    database.dispose()


def png_bytes(*, shade: int, size: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (shade, 80, 200 - shade)).save(buffer, format="PNG")
    return buffer.getvalue()


def new_item(*, dx: str = "mel", seed: int = 0) -> NewItem:
    return NewItem(
        profile={"dx": dx, "age": 45, "sex": "female", "site": "back", "skin_type": 2,
                 "diameter_mm": 6.5},
        generator_id="phantom", generator_version="1.0", seed=seed,
        degradation={"severity": 2, "blur": {"sigma": 1.5}},
        clean_png=png_bytes(shade=seed % 200), degraded_png=png_bytes(shade=(seed + 7) % 200),
        correct_answer=dx, options=["mel", "nv", "bcc", "bkl"],
        explanation={"criteria": ["atypical network"]},
    )


@pytest.fixture
def make_item():
    return new_item


@pytest.fixture
def world(database):
    """Accounts of every role, a cohort, and a three-item quiz assigned to that cohort."""
    with database.writing() as session:
        people = {
            name: add_user(session=session, actor=None, name=name, role=role, password=None)
            for name, role in (
                ("ada", Role.ADMIN), ("eve", Role.EDUCATOR), ("ed", Role.EDUCATOR),
                ("tom", Role.TRAINEE), ("tia", Role.TRAINEE), ("xena", Role.EXPERT),
            )
        }
    with database.writing() as session:
        cohort = create_cohort(session=session, actor=people["eve"], name="Year 2")
        add_member(session=session, actor=people["eve"], cohort_id=cohort.id,
                   user_id=people["tom"].user_id)
        quiz = create_quiz(session=session, actor=people["eve"], title="Pigmented lesions",
                           spec={"classes": ["mel", "nv"], "severity": 2}, seed=7,
                           cohort_id=cohort.id)
        items = add_items(session=session, actor=people["eve"], quiz_id=quiz.id,
                          items=[new_item(dx=dx, seed=i)
                                 for i, dx in enumerate(("mel", "nv", "bcc"))])
    return SimpleNamespace(database=database, cohort_id=cohort.id, quiz_id=quiz.id,
                           join_code=quiz.join_code, item_ids=[item.id for item in items],
                           **people)
