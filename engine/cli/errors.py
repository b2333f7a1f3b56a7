"""Turning domain errors into a one-line message and exit status 2, never a traceback."""

from __future__ import annotations

import functools

import typer


def _database_errors() -> tuple[type[Exception], ...]:
    """SQLAlchemy's errors, imported only when an exception is already on its way."""
    from sqlalchemy.exc import SQLAlchemyError

    return (SQLAlchemyError,)


def user_errors(command):
    """Decorate a command so ValueError / OSError / database errors print `error: ...` and
    exit with 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (ValueError, OSError) as error:
            message = str(error)
        except _database_errors() as error:
            # The first line names the failure; the SQL and parameters that follow may hold
            # user data and are left out.
            message = f"database: {str(error).splitlines()[0]}"
        typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None

    return wrapper
