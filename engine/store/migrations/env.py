"""Alembic environment: runs the migrations against the URL that `engine.store.db.upgrade` set.

SQLite cannot alter most constraints in place, so migrations run in batch mode there.
"""

from __future__ import annotations

from alembic import context

from engine.store.db import database_url, make_engine
from engine.store.models import Base

config = context.config
url = config.attributes.get("url") or database_url()
engine = make_engine(url=url)
try:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=engine.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
finally:
    engine.dispose()
