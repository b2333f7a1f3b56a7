"""Turning domain errors into a one-line message and exit status 2, never a traceback."""

from __future__ import annotations

import functools

import typer


def user_errors(command):
    """Decorate a command so ValueError / OSError print `error: ...` and exit with 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (ValueError, OSError) as error:
            typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=2) from None

    return wrapper
