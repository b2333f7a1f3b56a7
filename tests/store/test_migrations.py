"""Upgrading a store made by an older release keeps its rows, and each step can be undone."""

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, select, text

from engine.store.db import MIGRATIONS_DIR, Database, check_schema, upgrade
from engine.store.models import User


def downgrade(*, url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    command.downgrade(config, revision)


def users_table(url: str) -> tuple[set[str], list[tuple]]:
    """The users table's column names and its (name, display name) rows."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT name, display_name FROM users")).all()
        return {column["name"] for column in inspect(engine).get_columns("users")}, rows
    finally:
        engine.dispose()


def test_leaderboard_opt_in_arrives_off_for_existing_accounts_and_can_be_removed(tmp_path):
    url = f"sqlite:///{tmp_path / 'lesionlab.db'}"
    upgrade(url=url, revision="0001")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (name, display_name, role, is_demo_guest, active, created) "
            "VALUES ('tom', 'Tom T.', 'trainee', 0, 1, '2030-01-01 00:00:00.000000')"))
    engine.dispose()

    upgrade(url=url)
    database = Database(url=url)
    try:
        check_schema(engine=database.engine)
        with database.reading() as session:
            (tom,) = session.scalars(select(User)).all()
        assert (tom.name, tom.display_name, tom.leaderboard_opt_in) == ("tom", "Tom T.", False)
    finally:
        database.dispose()

    downgrade(url=url, revision="0001")
    columns, rows = users_table(url)
    assert "leaderboard_opt_in" not in columns and rows == [("tom", "Tom T.")]
