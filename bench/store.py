"""Concurrent answer writes on SQLite and PostgreSQL, side by side.

Each of N writer threads is a trainee with their own attempt and sessions, submitting one
answer per transaction (as the app does), then resubmitting a few to exercise idempotency.
Prints answers/s, latency percentiles, and whether answers stored equal answers sent.

    .venv/bin/python bench/store.py [--writers 50] [--answers 200] [--postgres-url URL]

Without --postgres-url (or LESIONLAB_TEST_POSTGRES_URL) a throwaway durable PostgreSQL server is
started with scripts/test-postgres.sh and stopped afterwards.
"""

from __future__ import annotations

import argparse
import io
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.store.attempts import AnswerInput, start_attempt, submit_answer  # noqa: E402
from engine.store.db import Database, upgrade  # noqa: E402
from engine.store.items import NewItem, add_items  # noqa: E402
from engine.store.models import Answer  # noqa: E402
from engine.store.quizzes import create_quiz  # noqa: E402
from engine.store.roles import Role  # noqa: E402
from engine.store.users import add_user  # noqa: E402

RESUBMITTED_PER_WRITER = 10
OPTIONS = ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"]


@dataclass
class Outcome:
    backend: str
    sent: int = 0
    resubmitted: int = 0
    stored: int = 0
    created: int = 0  # submissions that reported a new answer (resubmissions must not)
    errors: list[str] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    wall_s: float = 0.0


def tiny_png(shade: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (shade, 60, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def prepare(database: Database, *, writers: int, answers: int):
    """An educator's quiz of `answers` items and `writers` trainees, each with an attempt."""
    with database.writing() as session:
        educator = add_user(session=session, actor=None, name="bench-educator",
                            role=Role.EDUCATOR, password=None)
        trainees = [add_user(session=session, actor=None, name=f"bench-trainee-{index:03d}",
                             role=Role.TRAINEE, password=None) for index in range(writers)]
        quiz = create_quiz(session=session, actor=educator, title="bench", spec={}, seed=0)
        rng = np.random.default_rng(0)
        items = add_items(session=session, actor=educator, quiz_id=quiz.id, items=[
            NewItem(
                profile={"dx": dx, "age": 50, "sex": "male", "site": "back", "skin_type": 3,
                         "diameter_mm": 5.0},
                generator_id="bench", generator_version="0", seed=index,
                degradation={"severity": 1}, clean_png=tiny_png(index % 250),
                degraded_png=tiny_png((index + 3) % 250), correct_answer=dx, options=OPTIONS,
            )
            for index, dx in enumerate(rng.choice(OPTIONS, size=answers).tolist())
        ])
        attempts = [start_attempt(session=session, actor=trainee, quiz_id=quiz.id)
                    for trainee in trainees]
    return trainees, [attempt.id for attempt in attempts], [item.id for item in items]


def run_backend(backend: str, url: str, *, writers: int, answers: int, progress) -> Outcome:
    upgrade(url=url)
    database = Database(url=url)
    outcome = Outcome(backend=backend)
    try:
        trainees, attempt_ids, item_ids = prepare(database, writers=writers, answers=answers)
        task = progress.add_task(backend, total=writers * (answers + RESUBMITTED_PER_WRITER))
        lock = threading.Lock()
        start = threading.Barrier(writers + 1)

        def write(trainee, attempt_id, seed):
            rng = np.random.default_rng(seed)
            order = [*item_ids, *item_ids[:RESUBMITTED_PER_WRITER]]
            latencies, created, errors = [], 0, []
            start.wait()
            for item_id in order:
                answer = AnswerInput(diagnosis=str(rng.choice(OPTIONS)),
                                     management=str(rng.choice(["excise", "monitor"])),
                                     confidence=int(rng.integers(0, 101)),
                                     time_ms=int(rng.integers(500, 20000)))
                began = time.perf_counter()
                try:
                    with database.writing() as session:
                        created += submit_answer(session=session, actor=trainee,
                                                 attempt_id=attempt_id, item_id=item_id,
                                                 answer=answer).created
                except Exception as error:  # counted and reported, the run goes on
                    errors.append(f"{type(error).__name__}: {error}"[:200])
                latencies.append(time.perf_counter() - began)
                progress.advance(task)
            with lock:
                outcome.sent += len(item_ids)
                outcome.resubmitted += RESUBMITTED_PER_WRITER
                outcome.latencies_s.extend(latencies)
                outcome.errors.extend(errors)
                outcome.created += created

        threads = [threading.Thread(target=write, args=(trainee, attempt_id, index))
                   for index, (trainee, attempt_id) in enumerate(zip(trainees, attempt_ids,
                                                                     strict=True))]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        outcome.wall_s = time.perf_counter() - began
        with database.reading() as session:
            outcome.stored = session.scalar(select(func.count()).select_from(Answer))
    finally:
        database.dispose()
    return outcome


def start_postgres() -> tuple[str, dict[str, str]]:
    script = ROOT / "scripts" / "test-postgres.sh"
    exports = subprocess.run([str(script), "start", "--durable"], check=True,
                             capture_output=True, text=True).stdout
    variables = {}
    for line in exports.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        variables[name] = shlex.split(value)[0]
    return variables["LESIONLAB_TEST_POSTGRES_URL"], variables


@contextmanager
def fresh_postgres_database(server_url: str):
    """A new empty database on the server, dropped afterwards."""
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"lesionlab_bench_{os.getpid()}"
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def report(outcomes: list[Outcome], *, writers: int, answers: int) -> None:
    table = Table(title=f"{writers} concurrent writers x {answers} answers "
                        f"(+{RESUBMITTED_PER_WRITER} resubmissions each)")
    table.add_column("figure")
    for outcome in outcomes:
        table.add_column(outcome.backend, justify="right")

    def row(name, values):
        table.add_row(name, *values)

    lat = [np.asarray(o.latencies_s) * 1000 for o in outcomes]
    row("answers sent", [f"{o.sent:,}" for o in outcomes])
    row("answers stored", [f"{o.stored:,}" for o in outcomes])
    row("stored == sent", ["yes" if o.stored == o.sent else "NO" for o in outcomes])
    row("resubmissions stored", [f"{o.created - o.sent:,}" for o in outcomes])
    row("errors", [str(len(o.errors)) for o in outcomes])
    row("wall time (s)", [f"{o.wall_s:.1f}" for o in outcomes])
    row("answers/s", [f"{(o.sent + o.resubmitted) / o.wall_s:,.0f}" for o in outcomes])
    for q in (50, 95, 99):
        row(f"p{q} latency (ms)", [f"{np.percentile(values, q):.1f}" for values in lat])
    row("max latency (ms)", [f"{values.max():.1f}" for values in lat])
    Console().print(table)
    for outcome in outcomes:
        for error in sorted(set(outcome.errors))[:5]:
            print(f"{outcome.backend} error: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--postgres-url", default=os.environ.get("LESIONLAB_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-postgres", action="store_true")
    arguments = parser.parse_args()
    started_server = None
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="lesionlab-bench-") as folder, ExitStack() as stack:
        backends = [("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}")]
        try:
            if not arguments.skip_postgres:
                server_url = arguments.postgres_url
                if not server_url:
                    server_url, started_server = start_postgres()
                backends.append(("postgresql",
                                 stack.enter_context(fresh_postgres_database(server_url))))
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeRemainingColumn())
            with Progress(*columns) as progress:
                for backend, url in backends:
                    outcomes.append(run_backend(backend, url, writers=arguments.writers,
                                                answers=arguments.answers, progress=progress))
            stack.close()
        finally:
            if started_server:
                subprocess.run([str(ROOT / "scripts" / "test-postgres.sh"), "stop"],
                               env={**os.environ, **started_server}, check=False)
    report(outcomes, writers=arguments.writers, answers=arguments.answers)
    return 0 if all(o.stored == o.sent == o.created and not o.errors for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
