"""The `lesionlab` command. Each module of this package adds one group of commands.

Heavy libraries (TensorFlow, albumentations, SQLAlchemy) are imported inside the commands so
that `lesionlab --help` answers at once.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="lesionlab",
    help="Synthetic dermoscopy for dermatology training: data, models, quizzes, store.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

COMMAND_MODULES = ("profiles", "data", "admin", "synth", "quiz", "evaluate", "train")

for _name in COMMAND_MODULES:
    importlib.import_module(f"engine.cli.{_name}").register(app)
