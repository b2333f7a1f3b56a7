"""K concurrent browser sessions taking quizzes against one server started as `make run` does.

One chromium, one browser context per session (each its own Streamlit session, a demo guest),
async Playwright. Each session signs in and joins a shared quiz (not timed); when all have, each
answers case after case for --minutes, starting the quiz again when it is done. Afterwards the
answers stored in the database are counted and compared with the answers the sessions saw
accepted. Baseline in the same run: one session
alone for --baseline-minutes. Goal: K=20 on 2 cores with no lost answer and no error.
Before the phases a guest opens the Studio once, so the server holds the Keras models as a
server in use does. CPU time of the server process and of the whole machine (chromium
included) is read from /proc for each phase: it says whether the server or the browsers use
up the cores.

    .venv/bin/python bench/load.py [--sessions 20] [--minutes 2] [--baseline-minutes 0.5]
                                   [--ramp-seconds 0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests" / "app"))
sys.path.insert(0, str(REPOSITORY))

from browser_support import CHROMIUM, CHROMIUM_ARGS, IDLE, streamlit_server  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: E402
from rich.table import Table  # noqa: E402

CASES = 10
STEP_TIMEOUT_MS = 120_000


@dataclass
class SessionFigures:
    """What one browser session did and saw."""

    name: str
    sent: int = 0
    confirmed: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    setup_ms: float = 0.0  # page load, guest sign-in and joining the quiz


def seed(data_dir: Path) -> str:
    """A shared binary quiz made through the engine; returns its join code."""
    from engine.quiz import QuizSpec
    from engine.services import authoring, teaching
    from engine.services.runtime import RuntimeConfig, open_runtime
    from engine.store import users
    from engine.store.roles import Role

    runtime = open_runtime(config=RuntimeConfig.from_environment(
        environ={"LESIONLAB_DATA_DIR": str(data_dir)}))
    with runtime.database.writing() as session:
        educator = users.add_user(session=session, actor=None, name="educator",
                                  role=Role.EDUCATOR, password=None)
    spec = QuizSpec(name="custom", classes=("mel", "nv", "bkl"), answer_mode="binary",
                    n_options=2, severity_range=(0, 1), n_items=CASES)
    quiz = teaching.publish(runtime=runtime, actor=educator, title="Load",
                            design=authoring.QuizDesign(spec=spec, feedback="end"), seed=5,
                            cohort_id=None)
    runtime.database.dispose()
    return quiz.join_code


def stored_answers(data_dir: Path, prefix: str) -> dict[str, int]:
    """Answers in the database per guest account whose name starts with `prefix`."""
    from sqlalchemy import func, select

    from engine.services.runtime import RuntimeConfig, open_runtime
    from engine.store.models import Answer, Attempt, User

    runtime = open_runtime(config=RuntimeConfig.from_environment(
        environ={"LESIONLAB_DATA_DIR": str(data_dir)}))
    with runtime.database.reading() as session:
        rows = session.execute(
            select(User.name, func.count(Answer.id))
            .join(Attempt, Attempt.user_id == User.id)
            .join(Answer, Answer.attempt_id == Attempt.id)
            .where(User.name.like(f"{prefix}%")).group_by(User.name)).all()
    runtime.database.dispose()
    return dict(rows)


async def settle(page) -> None:
    await page.wait_for_timeout(150)
    await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)


async def one_session(browser, url: str, code: str, figures: SessionFigures,
                      start: asyncio.Barrier, clock: dict, delay_s: float) -> None:
    """Arrive after `delay_s`, sign in and join (not timed), wait for every session, then
    answer until the deadline."""
    await asyncio.sleep(delay_s)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    waited = False
    try:
        began = time.perf_counter()
        await sign_in_as_guest(page, url, figures.name)
        await join(page, code)
        figures.setup_ms = (time.perf_counter() - began) * 1000
        waited = True
        await start.wait()
        while True:
            for number in range(1, CASES + 1):
                if time.monotonic() >= clock["deadline"]:
                    return
                await answer(page, figures, number)
            await settle(page)
            await page.get_by_role("button", name="Back to practice").click()
            await settle(page)
            await join(page, code)
    except Exception as error:  # noqa: BLE001 - every failure is a figure of the benchmark
        figures.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        if not waited:
            await start.wait()  # the others must not wait for this session forever
    finally:
        await context.close()


async def sign_in_as_guest(page, url: str, name: str) -> None:
    await page.goto(url)
    await settle(page)
    await page.get_by_test_id("stSidebarNav").get_by_role("link", name="Sign in").click()
    await settle(page)
    await page.get_by_role("textbox", name="Guest name").fill(name)
    await page.get_by_role("button", name="Continue as guest").click()
    await settle(page)


async def load_models_in_server(url: str) -> None:
    """A guest opens the Studio once, which generates with the GAN and Deconv: the server then
    holds Keras models, as it does once anyone has generated a quiz or a practice level."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        await sign_in_as_guest(page, url, "studio")
        await page.get_by_test_id("stSidebarNav").get_by_role("link", name="Studio").click()
        await page.get_by_test_id("stImage").first.wait_for()
        await settle(page)
        await browser.close()


async def join(page, code: str) -> None:
    await page.get_by_test_id("stSidebarNav").get_by_role("link", name="Practice").click()
    await settle(page)
    await page.get_by_label("Join code from your educator").fill(code)
    await page.get_by_role("button", name="Join quiz").click()
    await settle(page)


async def answer(page, figures: SessionFigures, number: int) -> None:
    """Answer case `number`; the latency runs from the click to the next case on screen."""
    await page.get_by_text(f"Case {number} of {CASES}").wait_for()
    await settle(page)
    radios = page.get_by_test_id("stRadio")
    await radios.nth(0).get_by_test_id("stRadioOption").first.click()
    await radios.nth(1).get_by_test_id("stRadioOption").first.click()
    started = time.perf_counter()
    await page.get_by_role("button", name="Submit answer").click()
    figures.sent += 1
    following = f"Case {number + 1} of {CASES}" if number < CASES else "Quiz complete"
    await page.get_by_text(following).first.wait_for()
    figures.latencies_ms.append((time.perf_counter() - started) * 1000)
    figures.confirmed += 1
    if await page.get_by_test_id("stException").count():
        figures.errors.append("exception shown in the page")


async def run_phase(url: str, code: str, *, sessions: int, minutes: float, prefix: str,
                    ramp_s: float, console: Console) -> list[SessionFigures]:
    from playwright.async_api import async_playwright

    figures = [SessionFigures(name=f"{prefix}{index:02d}") for index in range(sessions)]
    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.fields[answers]} answers"), TextColumn("eta"),
               TimeRemainingColumn())
    clock = {"deadline": float("inf")}
    start = asyncio.Barrier(sessions + 1)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"{sessions} session(s) signing in", total=minutes * 60,
                                     answers=0)
            running = [asyncio.create_task(one_session(
                browser, url, code, figure, start, clock, delay_s=ramp_s * index / sessions))
                for index, figure in enumerate(figures)]
            await start.wait()
            clock["deadline"] = time.monotonic() + minutes * 60
            progress.update(task, description=f"{sessions} session(s), {minutes:g} min")
            ticker = asyncio.create_task(_tick(progress, task, clock["deadline"], figures))
            await asyncio.gather(*running)
            ticker.cancel()
        await browser.close()
    return figures


async def _tick(progress, task, deadline: float, figures: list[SessionFigures]) -> None:
    """The bar follows the clock (the phase ends at its deadline) and counts answers."""
    total = progress.tasks[task].total
    while True:
        progress.update(task, completed=total - max(0.0, deadline - time.monotonic()),
                        answers=sum(figure.confirmed for figure in figures))
        await asyncio.sleep(1)


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (Linux /proc/<pid>/stat, fields 14-15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_s() -> float:
    """Busy CPU seconds of the whole machine, all cores (Linux /proc/stat, less idle and
    iowait)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def summary(figures: list[SessionFigures], stored: dict[str, int], *, minutes: float,
            server_cpu_s: float, machine_cpu_s: float) -> dict:
    latencies = [value for figure in figures for value in figure.latencies_ms]
    confirmed = sum(figure.confirmed for figure in figures)
    stored_total = sum(stored.get(figure.name.lower(), 0) for figure in figures)
    return {
        "sessions": len(figures),
        "answers sent": sum(figure.sent for figure in figures),
        "answers confirmed": confirmed,
        "answers stored": stored_total,
        "lost (confirmed, not stored)": sum(
            max(0, figure.confirmed - stored.get(figure.name.lower(), 0)) for figure in figures),
        "errors": sum(len(figure.errors) for figure in figures),
        "sign-in + join p50 ms": statistics.median(
            [figure.setup_ms for figure in figures if figure.setup_ms]) if any(
            figure.setup_ms for figure in figures) else 0.0,
        "submit -> next case p50 ms": statistics.median(latencies) if latencies else 0.0,
        "submit -> next case p95 ms": percentile(latencies, 0.95),
        "answers/min": confirmed / minutes,
        "server CPU s (whole phase)": server_cpu_s,
        "machine CPU s (whole phase)": machine_cpu_s,
        "server CPU ms per answer": 1000 * server_cpu_s / confirmed if confirmed else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--baseline-minutes", type=float, default=0.5)
    parser.add_argument("--ramp-seconds", type=float, default=0.0,
                        help="Spread the sessions' arrivals over this many seconds.")
    arguments = parser.parse_args()
    console = Console()
    os.environ["LESIONLAB_DEMO"] = "1"  # `make run` opens in demo mode
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        code = seed(data_dir)
        phases = []
        with streamlit_server(data_dir=data_dir, log=data_dir / "streamlit.log") as server:
            asyncio.run(load_models_in_server(server.url))
            for label, sessions, minutes in (("baseline", 1, arguments.baseline_minutes),
                                             ("load", arguments.sessions, arguments.minutes)):
                prefix = f"{label}-"
                server_before, machine_before = process_cpu_s(server.process.pid), machine_cpu_s()
                figures = asyncio.run(run_phase(server.url, code, sessions=sessions,
                                                minutes=minutes, prefix=prefix,
                                                ramp_s=arguments.ramp_seconds,
                                                console=console))
                server_used = process_cpu_s(server.process.pid) - server_before
                machine_used = machine_cpu_s() - machine_before
                stored = stored_answers(data_dir, f"guest-{prefix}")
                stored = {name.removeprefix("guest-"): count for name, count in stored.items()}
                row = summary(figures, stored, minutes=minutes, server_cpu_s=server_used,
                              machine_cpu_s=machine_used)
                phases.append((label, row, figures))
    table = Table(title="LesionLab under load (one server, one chromium, guest sessions)")
    table.add_column("figure")
    for label, row, _ in phases:
        table.add_column(f"{label} ({row['sessions']} session(s))", justify="right")
    for key in phases[0][1]:
        table.add_row(key, *(f"{row[key]:.0f}" if isinstance(row[key], float) else
                             str(row[key]) for _, row, _ in phases))
    console.print(table)
    for label, _, figures in phases:
        for figure in figures:
            for error in figure.errors[:3]:
                console.print(f"{label} {figure.name}: {error}")
    goal = phases[-1][1]
    met = goal["lost (confirmed, not stored)"] == 0 and goal["errors"] == 0
    console.print(f"goal (no lost answer, no error at {goal['sessions']} sessions): "
                  f"{'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
