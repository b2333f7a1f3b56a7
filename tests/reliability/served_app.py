"""A `streamlit run` server that a test may kill with SIGKILL and start again on the same store,
started as `make run` starts it, with extra command-line settings (secrets files, log level)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from browser_support import REPOSITORY, START_TIMEOUT_S, free_port, server_environment


class AppServer:
    """One server process at a time; `url` changes on every start (a fresh port)."""

    def __init__(self, *, data_dir: Path, models_dir: Path, log: Path,
                 extra_arguments: tuple[str, ...] = (), environ: dict | None = None) -> None:
        self.data_dir, self.models_dir, self.log = data_dir, models_dir, log
        self.extra_arguments = extra_arguments
        self.environ = environ or {}
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.starts = 0

    def start(self) -> None:
        port = free_port()
        command = [sys.executable, "-m", "streamlit", "run", "app/streamlit_app.py",
                   "--server.headless", "true", "--server.port", str(port),
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
                   *self.extra_arguments]
        environment = server_environment(data_dir=self.data_dir, models_dir=self.models_dir)
        environment.update(self.environ)
        with open(self.log, "a") as output:
            self.process = subprocess.Popen(command, cwd=REPOSITORY, stdout=output,
                                            stderr=subprocess.STDOUT, env=environment)
        self.url = f"http://127.0.0.1:{port}"
        self.starts += 1
        self._wait_healthy()

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as when the machine loses power."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with status {self.process.returncode}; "
                                   f"see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not answer {self.url} in {START_TIMEOUT_S} s")
