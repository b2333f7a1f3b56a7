"""Screenshots of every page for the README, taken in chromium from a served, seeded app.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

The Japanese page needs a CJK font in the system (Debian: apt-get install fonts-noto-cjk);
the tests do not, so `make test` does not install one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests" / "app"))
sys.path.insert(0, str(REPOSITORY))

from browser_support import (  # noqa: E402
    PASSWORD,
    chromium,
    go_to,
    open_app,
    settle,
    sign_in,
    streamlit_server,
)
from rich.progress import track  # noqa: E402
from seeding import seed_store  # noqa: E402


def answer_some(data_dir: Path, codes: dict) -> None:
    """Give the demo trainee a finished quiz, so results and analytics have something to show."""
    from engine.services import practice
    from engine.services.runtime import RuntimeConfig, open_runtime

    runtime = open_runtime(config=RuntimeConfig.from_environment(
        environ={"LESIONLAB_DATA_DIR": str(data_dir)}))
    trainee = codes["actors"]["trainee"]
    attempt_id = practice.join(runtime=runtime, actor=trainee, code=codes["five"])
    number = 0
    while case := practice.next_case(runtime=runtime, actor=trainee, attempt_id=attempt_id):
        number += 1
        practice.record_answer(
            runtime=runtime, actor=trainee, attempt_id=attempt_id, item_id=case.item_id,
            diagnosis=case.options[number % len(case.options)], management="excise",
            confidence=40 + 10 * number, time_ms=4000 + 500 * number)
    runtime.database.dispose()


def fill_a_leaderboard(data_dir: Path, codes: dict) -> None:
    """A cohort of the demo trainee and two peers who opted in and took the same quiz twice."""
    from engine.services import leaderboard, practice, teaching
    from engine.services.runtime import RuntimeConfig, open_runtime
    from engine.store import users
    from engine.store.roles import Role

    runtime = open_runtime(config=RuntimeConfig.from_environment(
        environ={"LESIONLAB_DATA_DIR": str(data_dir)}))
    educator, trainee = codes["actors"]["educator"], codes["actors"]["trainee"]
    cohort_id = teaching.create_cohort(runtime=runtime, actor=educator, name="Dermatology year 2")
    peers = []
    for name, display_name in (("aiko", "Aiko S."), ("budi", "Budi R.")):
        with runtime.database.writing() as session:
            peers.append(users.add_user(session=session, actor=None, name=name,
                                        role=Role.TRAINEE, password=None,
                                        display_name=display_name))
    for index, member in enumerate([trainee, *peers]):
        teaching.add_trainee(runtime=runtime, actor=educator, cohort_id=cohort_id,
                             account_name=member.name)
        leaderboard.set_opt_in(runtime=runtime, actor=member, opted_in=True)
        if member is trainee:
            continue
        for _ in range(2):  # ten cases: enough for a rank
            attempt_id = practice.join(runtime=runtime, actor=member, code=codes["five"])
            number = 0
            while case := practice.next_case(runtime=runtime, actor=member,
                                             attempt_id=attempt_id):
                right = case.options[0] if (number + index) % 3 else case.options[-1]
                practice.record_answer(runtime=runtime, actor=member, attempt_id=attempt_id,
                                       item_id=case.item_id, diagnosis=right,
                                       management="monitor", confidence=60, time_ms=5000)
                number += 1
    runtime.database.dispose()


def phantom_photo(folder: Path) -> Path:
    """A 256 px phantom saved as a PNG, standing in for a user's own photo."""
    from PIL import Image

    from engine.phantom import render
    from engine.profiles import ProfileSampler

    profile = ProfileSampler.default().sample(n=1, fixed={"dx": "mel"}, seed=5)[0]
    image, _ = render(profile, size=256, seed=5)
    path = folder / "my-lesion.png"
    Image.fromarray(image).save(path)
    return path


def shoot(page, out: Path, name: str) -> Path:
    settle(page)
    page.wait_for_timeout(600)  # let charts and images finish drawing
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs" / "screenshots")
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        codes = seed_store(data_dir=data_dir, password=PASSWORD)
        answer_some(data_dir, codes)
        fill_a_leaderboard(data_dir, codes)
        photo = phantom_photo(Path(folder))
        with streamlit_server(data_dir=data_dir) as server, chromium() as browser:
            shots = []

            def signed_in(name: str):
                page = open_app(browser, server)
                sign_in(page, name=name)
                return page

            def home(page):
                shots.append(shoot(page, arguments.out, "home"))

            def practice(page):
                go_to(page, "Practice")
                shots.append(shoot(page, arguments.out, "practice-start"))
                page.get_by_label("Join code from your educator").fill(codes["validated"])
                page.get_by_role("button", name="Join quiz").click()
                settle(page)
                page.get_by_role("button", name="Back to practice").click()
                settle(page)
                page.get_by_role("button", name="Start").first.click()
                settle(page)
                shots.append(shoot(page, arguments.out, "practice-case"))
                page.get_by_test_id("stRadioOption").first.click()
                page.get_by_text("Excise / biopsy", exact=True).click()
                page.get_by_role("button", name="Submit answer").click()
                shots.append(shoot(page, arguments.out, "practice-feedback"))

            def results(page):
                go_to(page, "Results and progress")
                shots.append(shoot(page, arguments.out, "results"))
                page.get_by_test_id("stDataFrame").last.scroll_into_view_if_needed()
                shots.append(shoot(page, arguments.out, "leaderboard"))

            def educator(page):
                go_to(page, "Educator")
                shots.append(shoot(page, arguments.out, "educator"))

            def review(page):
                go_to(page, "Expert review")
                shots.append(shoot(page, arguments.out, "expert-review"))

            def studio(page):
                go_to(page, "Studio")
                shots.append(shoot(page, arguments.out, "studio"))
                page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(photo))
                settle(page)
                page.get_by_test_id("stDownloadButton").last.scroll_into_view_if_needed()
                shots.append(shoot(page, arguments.out, "studio-upload"))

            def model_lab(page):
                go_to(page, "Model lab")
                shots.append(shoot(page, arguments.out, "model-lab"))

            def about(page):
                go_to(page, "About")
                shots.append(shoot(page, arguments.out, "about"))

            def japanese_feedback(page):
                page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
                page.get_by_role("option", name="日本語").click()
                settle(page)
                go_to(page, "練習")
                page.get_by_role("button", name="開始").first.click()
                settle(page)
                page.get_by_test_id("stRadioOption").first.click()
                page.get_by_text("切除／生検", exact=True).click()
                page.get_by_role("button", name="回答を送信").click()
                settle(page)
                page.get_by_text("理由", exact=True).first.evaluate(
                    "element => element.scrollIntoView({block: 'start'})")
                shots.append(shoot(page, arguments.out, "practice-feedback-ja"))

            def indonesian_dark(_):
                context = browser.new_context(viewport={"width": 1400, "height": 950},
                                              color_scheme="dark")
                page = context.new_page()
                page.goto(server.url)
                settle(page)
                page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
                page.get_by_role("option", name="Bahasa Indonesia").click()
                shots.append(shoot(page, arguments.out, "home-id-dark"))
                go_to(page, "Masuk")
                shots.append(shoot(page, arguments.out, "sign-in-id-dark"))
                context.close()

            steps = [("trainee", home), ("trainee", results), ("trainee", practice),
                     ("educator", educator), ("expert", review), ("trainee", studio),
                     ("educator", model_lab), (None, about), ("trainee", japanese_feedback),
                     (None, indonesian_dark)]
            for role, step in track(steps, description="screenshots"):
                page = signed_in(role) if role else open_app(browser, server)
                step(page)
                page.context.close()
    for path in shots:
        print(path.relative_to(REPOSITORY) if path.is_relative_to(REPOSITORY) else path)


if __name__ == "__main__":
    main()
