"""Commands fail with one line naming the problem: no traceback, no secret."""

import socket

from typer.testing import CliRunner

from engine.cli import app


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_database_is_one_line_without_the_password():
    url = f"postgresql+psycopg://lesionlab:hunter2secret@127.0.0.1:{_closed_port()}/lesionlab"
    result = CliRunner().invoke(app, ["users", "list", "--url", url])
    assert result.exit_code == 2
    assert result.output.startswith("error: database:")
    assert "Connection refused" in result.output or "connection failed" in result.output
    assert "hunter2secret" not in result.output
    assert "Traceback" not in result.output
