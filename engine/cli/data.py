"""`lesionlab info`: describe a data set on disk."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
