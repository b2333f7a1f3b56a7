"""What a running app needs, read from the environment once: database, models, demo mode.

`open_runtime` brings the database schema up to date, so a first `make run` on a fresh
checkout creates its SQLite file and is usable at once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from engine.store.auth import demo_enabled
from engine.store.db import Database, database_url, upgrade

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
MODELS_VARIABLE = "LESIONLAB_MODELS_DIR"
REAL_IMAGES_VARIABLE = "LESIONLAB_REAL_IMAGES_DIR"
REPORTS_VARIABLE = "LESIONLAB_REPORTS_DIR"


@dataclass(frozen=True)
class RuntimeConfig:
    """Where things are and which optional features are on."""

    database_url: str
    models_dir: Path
    demo: bool
    real_images_dir: Path | None
    reports_dir: Path

    @classmethod
    def from_environment(cls, *, environ: Mapping[str, str] | None = None) -> RuntimeConfig:
        environ = os.environ if environ is None else environ
        real = environ.get(REAL_IMAGES_VARIABLE, "").strip()
        return cls(
            database_url=database_url(environ=environ),
            models_dir=Path(environ.get(MODELS_VARIABLE, "") or REPOSITORY_ROOT / "models"),
            demo=demo_enabled(environ=environ),
            real_images_dir=Path(real) if real else None,
            reports_dir=Path(environ.get(REPORTS_VARIABLE, "") or REPOSITORY_ROOT / "reports"),
        )


@dataclass(frozen=True)
class Runtime:
    """The configuration plus the opened database; shared by every app session."""

    config: RuntimeConfig
    database: Database


def open_runtime(*, config: RuntimeConfig) -> Runtime:
    """Migrate the schema to the latest version and open the database."""
    upgrade(url=config.database_url)
    return Runtime(config=config, database=Database(url=config.database_url))
