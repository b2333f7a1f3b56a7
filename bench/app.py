"""Browser timings of the app: submit -> next case shown, submit -> feedback shown, page load.

Runs a real `streamlit run` server on a fresh store seeded with quizzes made from the shipped
default image source (the GAN checkpoint, or labelled phantoms while none is installed), and
drives Debian's chromium through Playwright. Baseline in the same run: a bare rerun of the
home page (switching the language), i.e. what any interaction costs in Streamlit itself.
Submit -> next case is timed twice: before and after the server has loaded the models (the
Studio generates with them), since a server in use holds them.
Goal: p95 of submit -> next case at most 300 ms on 2 cores.

    .venv/bin/python bench/app.py [--cases 20] [--loads 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests" / "app"))
sys.path.insert(0, str(REPOSITORY))

from browser_support import (  # noqa: E402
    IDLE,
    PASSWORD,
    chromium,
    go_to,
    open_app,
    settle,
    sign_in,
    streamlit_server,
)
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

GOAL_MS = 300


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def seed(data_dir: Path, cases: int) -> dict:
    from engine.quiz import QuizSpec
    from engine.services import authoring, teaching
    from engine.services.runtime import RuntimeConfig, open_runtime
    from engine.store import users
    from engine.store.roles import Role

    runtime = open_runtime(config=RuntimeConfig.from_environment(
        environ={"LESIONLAB_DATA_DIR": str(data_dir)}))
    with runtime.database.writing() as session:
        educator = users.add_user(session=session, actor=None, name="educator",
                                  role=Role.EDUCATOR, password=PASSWORD)
        users.add_user(session=session, actor=None, name="trainee", role=Role.TRAINEE,
                       password=PASSWORD)
    spec = QuizSpec(name="custom", classes=("mel", "nv", "bkl", "bcc"), n_options=4,
                    severity_range=(0, 2), n_items=cases)
    codes = {}
    for name, mode in (("end", "end"), ("each", "each"), ("loaded", "end")):
        codes[name] = teaching.publish(
            runtime=runtime, actor=educator, title=f"bench-{name}",
            design=authoring.QuizDesign(spec=spec, feedback=mode), seed=3,
            cohort_id=None).join_code
    source = authoring.source_info(runtime=runtime)
    codes["source"] = f"{source.generator_id} {source.version}" + (
        " (phantom fallback)" if source.fallback else "")
    runtime.database.dispose()
    return codes


def choose_and_submit(page) -> float:
    """Pick the first options and click submit; returns the click time (perf counter)."""
    radios = page.get_by_test_id("stRadio")
    radios.nth(0).get_by_test_id("stRadioOption").first.click()
    radios.nth(1).get_by_test_id("stRadioOption").first.click()
    started = time.perf_counter()
    page.get_by_role("button", name="Submit answer").click()
    return started


def time_answers(page, code: str, cases: int, *, feedback_each: bool, progress, task) -> list:
    go_to(page, "Practice")
    page.get_by_label("Join code from your educator").fill(code)
    page.get_by_role("button", name="Join quiz").click()
    settle(page)
    timings = []
    for number in range(1, cases + 1):
        page.get_by_text(f"Case {number} of {cases}").wait_for()
        settle(page)
        started = choose_and_submit(page)
        if feedback_each:
            page.get_by_role("button", name="Next case").wait_for()
        elif number < cases:
            page.get_by_text(f"Case {number + 1} of {cases}").wait_for()
        else:
            page.get_by_text("Quiz complete").wait_for()
        timings.append((time.perf_counter() - started) * 1000)
        if feedback_each:
            settle(page)
            page.get_by_role("button", name="Next case").click()
        progress.advance(task)
    settle(page)
    page.get_by_role("button", name="Back to practice").click()
    settle(page)
    return timings


def load_models_in_server(page) -> None:
    """Open the Studio, which generates with the GAN and Deconv: from then on the server holds
    Keras models, as a server does once anyone has generated a quiz or a practice level."""
    go_to(page, "Studio")
    page.get_by_test_id("stImage").first.wait_for(timeout=300_000)
    settle(page)


def time_loads(browser, server, loads: int, progress, task) -> list:
    timings = []
    for _ in range(loads):
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        page = context.new_page()
        started = time.perf_counter()
        page.goto(server.url)
        page.get_by_text("LesionLab").first.wait_for()
        page.wait_for_selector(IDLE)
        timings.append((time.perf_counter() - started) * 1000)
        context.close()
        progress.advance(task)
    return timings


def time_bare_reruns(page, reruns: int, progress, task) -> list:
    timings = []
    selectbox = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox")
    for index in range(reruns):
        target, title = (("日本語", "ホーム") if index % 2 == 0 else ("English", "Home"))
        selectbox.click()
        started = time.perf_counter()
        page.get_by_role("option", name=target).click()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).wait_for()
        timings.append((time.perf_counter() - started) * 1000)
        settle(page)
        progress.advance(task)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--loads", type=int, default=8)
    arguments = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        codes = seed(data_dir, arguments.cases)
        with streamlit_server(data_dir=data_dir) as server, chromium() as browser, \
                Progress(console=console) as progress:
            steps = 4 * arguments.cases + arguments.loads
            task = progress.add_task("browser timings", total=steps)
            loads = time_loads(browser, server, arguments.loads, progress, task)
            page = open_app(browser, server)
            bare = time_bare_reruns(page, arguments.cases, progress, task)
            sign_in(page, name="trainee")
            next_case = time_answers(page, codes["end"], arguments.cases, feedback_each=False,
                                     progress=progress, task=task)
            feedback = time_answers(page, codes["each"], arguments.cases, feedback_each=True,
                                    progress=progress, task=task)
            load_models_in_server(page)
            loaded = time_answers(page, codes["loaded"], arguments.cases, feedback_each=False,
                                  progress=progress, task=task)
    table = Table(title=f"LesionLab in chromium ({codes['source']})")
    for column in ("measure", "n", "median ms", "p95 ms", f"goal p95 <= {GOAL_MS} ms"):
        table.add_column(column)
    for name, values, goal in (
        ("baseline: bare rerun (language switch)", bare, ""),
        ("submit -> next case shown", next_case, "yes" if percentile(next_case, .95) <= GOAL_MS
         else "NO"),
        ("submit -> next case, models loaded", loaded,
         "yes" if percentile(loaded, .95) <= GOAL_MS else "NO"),
        ("submit -> feedback shown", feedback, ""),
        ("page load (new session)", loads, ""),
    ):
        table.add_row(name, str(len(values)), f"{statistics.median(values):.0f}",
                      f"{percentile(values, 0.95):.0f}", goal)
    console.print(table)


if __name__ == "__main__":
    main()
