"""`lesionlab db` and `lesionlab users`: schema migrations and accounts, for the operator.

Whoever runs these commands has the machine, so they act as the local operator (audited as
such) and may create any account, including the first admin. Passwords are read without echo,
or from standard input with --password-stdin, never from the command line.
"""

from __future__ import annotations

import getpass
import sys

import typer

from engine.cli.errors import user_errors


def register(app: typer.Typer) -> None:
    database = typer.Typer(help="Database schema.", no_args_is_help=True)
    database.command("upgrade")(upgrade)
    app.add_typer(database, name="db")
    users = typer.Typer(help="Accounts and roles.", no_args_is_help=True)
    users.command("add")(add)
    users.command("list")(list_accounts)
    app.add_typer(users, name="users")


def _url(url: str | None) -> str:
    from engine.store.db import database_url, normalise_url

    return normalise_url(url=url) if url else database_url()


URL_OPTION = typer.Option(
    None, "--url", help="Database URL (default: DATABASE_URL, else SQLite in LESIONLAB_DATA_DIR)."
)


@user_errors
def upgrade(url: str = URL_OPTION) -> None:
    """Create the database or bring its schema up to date."""
    from engine.store.db import upgrade as run_upgrade

    target = _url(url)
    run_upgrade(url=target)
    typer.echo(f"schema is up to date: {_shown(target)}")


@user_errors
def add(
    name: str = typer.Argument(..., help="Account name: lower-case letters, digits, . _ -"),
    role: str = typer.Option(..., "--role", help="trainee, educator, expert or admin."),
    display_name: str = typer.Option("", "--display-name", help="Name shown in the app."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    url: str = URL_OPTION,
) -> None:
    """Create an account (the first one is usually --role admin)."""
    from engine.store.db import Database, check_schema
    from engine.store.roles import parse_role
    from engine.store.users import add_user

    chosen_role = parse_role(value=role)
    password = _read_password(from_stdin=password_stdin)
    database = Database(url=_url(url))
    try:
        check_schema(engine=database.engine)
        with database.writing() as session:
            created = add_user(
                session=session, actor=None, name=name, role=chosen_role,
                password=password, display_name=display_name,
            )
    finally:
        database.dispose()
    typer.echo(f"created {created.role.value} account {created.name!r}")


@user_errors
def list_accounts(url: str = URL_OPTION) -> None:
    """List accounts with their roles."""
    from rich.console import Console
    from rich.table import Table

    from engine.store.db import Database, check_schema
    from engine.store.users import list_users

    database = Database(url=_url(url))
    try:
        check_schema(engine=database.engine)
        with database.reading() as session:
            accounts = list_users(session=session, actor=None)
    finally:
        database.dispose()
    table = Table("name", "role", "display name", "sign-in", "active", "created")
    for user in accounts:
        sign_in = "demo guest" if user.is_demo_guest else (
            "OIDC" if user.oidc_identity else "password" if user.password_hash else "none")
        table.add_row(user.name, user.role.value, user.display_name, sign_in,
                      "yes" if user.active else "no", f"{user.created:%Y-%m-%d %H:%M}")
    Console(highlight=False).print(table)
    typer.echo(f"{len(accounts)} account(s)")


def _read_password(*, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise ValueError("--password-stdin was given but standard input had no password")
        return password
    password = getpass.getpass("password: ")
    if password != getpass.getpass("repeat password: "):
        raise ValueError("the two passwords differ; nothing was created")
    return password


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
