"""Where the database is, how SQLite connections are set up, and migrations matching the models."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select
from sqlalchemy.exc import IntegrityError, StatementError

from engine.store.db import Database, check_schema, database_url, normalise_url, upgrade
from engine.store.models import Base, Cohort, User
from engine.store.roles import Role


def test_url_comes_from_database_url_or_the_data_folder():
    assert database_url(environ={}) == "sqlite:///data/lesionlab.db"
    assert database_url(environ={"LESIONLAB_DATA_DIR": "/srv/ll"}) == (
        "sqlite:////srv/ll/lesionlab.db")
    assert database_url(environ={"DATABASE_URL": "postgres://u:p@db:5432/ll"}) == (
        "postgresql+psycopg://u:p@db:5432/ll")
    with pytest.raises(ValueError, match="supports sqlite and postgresql"):
        normalise_url(url="mysql://u@db/ll")
    with pytest.raises(ValueError, match="not a database URL"):
        normalise_url(url="just words")
    with pytest.raises(ValueError, match="in-memory"):
        Database(url="sqlite://")


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    database = Database(url=f"sqlite:///{tmp_path / 'nested' / 'lesionlab.db'}")
    try:
        with database.reading() as session:
            pragma = {name: session.connection().exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "busy_timeout", "foreign_keys")}
    finally:
        database.dispose()
    assert pragma == {"journal_mode": "wal", "busy_timeout": 60000, "foreign_keys": 1}


def test_migrated_schema_matches_the_models(database):
    check_schema(engine=database.engine)
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(
            connection, opts={"compare_type": True}), Base.metadata)
    assert differences == []


def test_upgrade_twice_is_harmless_and_an_empty_database_is_reported(database_url, tmp_path):
    upgrade(url=database_url)
    empty = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(ValueError, match="lesionlab db upgrade"):
        check_schema(engine=empty)
    empty.dispose()


def test_foreign_keys_are_enforced(database):
    with pytest.raises(IntegrityError), database.writing() as session:
        session.add(Cohort(name="orphan", owner_id=12345))


def test_times_come_back_as_utc_whatever_zone_they_were_given_in(database):
    given = datetime(2030, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    with database.writing() as session:
        session.add(User(name="tim", role=Role.TRAINEE, created=given))
    with database.reading() as session:
        created = session.scalar(select(User.created).where(User.name == "tim"))
    assert created == given and created.tzinfo == UTC and created.hour == 12
    with pytest.raises(StatementError, match="no time zone"), database.writing() as session:
        session.add(User(name="naive", role=Role.TRAINEE, created=datetime(2030, 1, 1)))
