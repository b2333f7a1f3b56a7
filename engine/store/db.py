"""Where the database lives and how connections behave.

SQLite in a data folder is the default (one file, nothing to install); PostgreSQL is used when
`DATABASE_URL` is set, for many simultaneous users. SQLite connections run in WAL mode with a
busy timeout and foreign keys on, and every writing transaction starts with `BEGIN IMMEDIATE`
so that concurrent writers queue on the busy timeout instead of failing on a lock upgrade.
Within one process (the Streamlit server) SQLite writers also queue on a lock per database
file, which is fairer and quicker than SQLite's sleep-and-retry busy handler.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DATA_DIR_VARIABLE = "LESIONLAB_DATA_DIR"
URL_VARIABLE = "DATABASE_URL"
DEFAULT_DATA_DIR = Path("data")
DATABASE_FILENAME = "lesionlab.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_BEGIN_MODE = "lesionlab_sqlite_begin"
_SQLITE_WRITE_LOCKS: dict[str, threading.RLock] = {}
_SQLITE_WRITE_LOCKS_GUARD = threading.Lock()


@dataclass(frozen=True)
class PoolSettings:
    """Connection pool sizes; PostgreSQL needs one connection per concurrently busy thread."""

    size: int = 10
    max_overflow: int = 50
    timeout_s: float = 60.0
    sqlite_busy_timeout_s: float = 60.0


def database_url(*, environ: Mapping[str, str] | None = None) -> str:
    """`DATABASE_URL` when set, else SQLite in `LESIONLAB_DATA_DIR` (default ./data)."""
    environ = os.environ if environ is None else environ
    url = environ.get(URL_VARIABLE, "").strip()
    if url:
        return normalise_url(url=url)
    data_dir = Path(environ.get(DATA_DIR_VARIABLE, "") or DEFAULT_DATA_DIR)
    return f"sqlite:///{data_dir / DATABASE_FILENAME}"


def normalise_url(*, url: str) -> str:
    """Accept the usual `postgres://` / `postgresql://` spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    try:
        backend = make_url(url).get_backend_name()
    except Exception as error:
        raise ValueError(f"{URL_VARIABLE} {url!r} is not a database URL: {error}") from None
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"database URL uses {backend!r}; LesionLab supports sqlite and postgresql")
    return url


def make_engine(*, url: str, pool: PoolSettings = PoolSettings()) -> Engine:
    """An engine configured for LesionLab; creates the SQLite data folder when needed."""
    url = normalise_url(url=url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url=url, pool=pool)
    return create_engine(
        url,
        pool_size=pool.size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.timeout_s,
        pool_pre_ping=True,
    )


def _sqlite_engine(*, url: str, pool: PoolSettings) -> Engine:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ValueError("an in-memory SQLite database cannot be shared; give a file path")
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        pool_size=pool.size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.timeout_s,
        connect_args={"timeout": pool.sqlite_busy_timeout_s, "check_same_thread": False},
    )
    busy_ms = int(pool.sqlite_busy_timeout_s * 1000)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        mode = connection.get_execution_options().get(_BEGIN_MODE, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Database:
    """An engine plus the two kinds of transaction the repositories run in."""

    def __init__(self, *, url: str, pool: PoolSettings = PoolSettings()) -> None:
        self.url = normalise_url(url=url)
        self.engine = make_engine(url=self.url, pool=pool)
        self.dialect = self.engine.dialect.name
        writer = self.engine
        self._write_lock = None
        if self.dialect == "sqlite":
            writer = self.engine.execution_options(**{_BEGIN_MODE: "IMMEDIATE"})
            self._write_lock = _sqlite_write_lock(database=self.engine.url.database)
        self._reading = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._writing = sessionmaker(bind=writer, expire_on_commit=False)

    @classmethod
    def from_environment(cls, *, environ: Mapping[str, str] | None = None) -> Database:
        return cls(url=database_url(environ=environ))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries; closing it discards anything not committed.

        Objects it loaded stay readable afterwards (detached), but lazy loads need a session.
        """
        with self._reading() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or rolled back on any error."""
        with self._write_lock or nullcontext(), self._writing() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_write_lock(*, database: str) -> threading.RLock:
    key = str(Path(database).resolve())
    with _SQLITE_WRITE_LOCKS_GUARD:
        return _SQLITE_WRITE_LOCKS.setdefault(key, threading.RLock())


def check_schema(*, engine: Engine) -> None:
    """Raise ValueError unless the database has the newest schema (the app checks at start)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        shown = engine.url.render_as_string(hide_password=True)
        state = "has no LesionLab schema" if current is None else f"is at revision {current}"
        raise ValueError(
            f"database {shown} {state}, expected {head}; run `lesionlab db upgrade`"
        )


def upgrade(*, url: str, revision: str = "head") -> None:
    """Bring the schema at `url` to `revision` with the Alembic migrations shipped here."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = normalise_url(url=url)
    command.upgrade(config, revision)
