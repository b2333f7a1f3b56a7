"""`lesionlab db upgrade`, `users add` (password without echo or from stdin) and `users list`."""

import getpass

from typer.testing import CliRunner

from engine.cli import app
from engine.store import auth
from engine.store.db import Database

runner = CliRunner()


def test_upgrade_then_add_and_list_accounts(tmp_path, monkeypatch):
    monkeypatch.setenv("LESIONLAB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    refused = runner.invoke(app, ["users", "list"])
    assert refused.exit_code == 2 and "lesionlab db upgrade" in refused.output
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    added = runner.invoke(app, ["users", "add", "Root", "--role", "admin", "--password-stdin"],
                          input="first-admin-pw\n")
    assert added.exit_code == 0, added.output
    assert "created admin account 'root'" in added.output
    assert "first-admin-pw" not in added.output

    typed = iter(["educator-pw-1", "educator-pw-1"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    added = runner.invoke(app, ["users", "add", "eve", "--role", "Educator",
                                "--display-name", "Dr Eve"])
    assert added.exit_code == 0, added.output

    listing = runner.invoke(app, ["users", "list"])
    assert listing.exit_code == 0
    assert "root" in listing.output and "Dr Eve" in listing.output
    assert "2 account(s)" in listing.output

    database = Database(url=f"sqlite:///{tmp_path / 'data' / 'lesionlab.db'}")
    with database.reading() as session:
        eve = auth.authenticate(session=session, name="eve", password="educator-pw-1")
    assert eve.name == "eve" and eve.role == "educator"
    database.dispose()


def test_bad_input_is_one_line_with_exit_status_2(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'lesionlab.db'}"
    assert runner.invoke(app, ["db", "upgrade", "--url", url]).exit_code == 0
    cases = [
        (["users", "add", "ann", "--role", "boss", "--password-stdin", "--url", url], "pw-long-1\n",
         "role 'boss'"),
        (["users", "add", "ann", "--role", "trainee", "--password-stdin", "--url", url], "\n",
         "had no password"),
        (["users", "add", "ann", "--role", "trainee", "--password-stdin", "--url", url], "short\n",
         "at least 8"),
    ]
    for arguments, stdin, message in cases:
        result = runner.invoke(app, arguments, input=stdin)
        assert result.exit_code == 2 and message in result.output, result.output
    typed = iter(["one-password", "another-password"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    result = runner.invoke(app, ["users", "add", "ann", "--role", "trainee", "--url", url])
    assert result.exit_code == 2 and "passwords differ" in result.output
