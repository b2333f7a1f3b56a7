"""Security through the engine: every role tries every action of the services the pages call
that is not theirs (refused with PermissionDenied, nothing changed); CSV exports neutralise
formula cells; checkpoints load only from the configured model folder; database passwords never
reach the command line's output."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from tally import fuzz

from engine.quiz import QuizSpec
from engine.services import accounts, authoring, practice, presets, results, review, teaching
from engine.store.exports import FORMULA_TRIGGERS
from engine.store.models import AuditEntry, Quiz, User
from engine.store.roles import PermissionDenied, Role

ROOT = Path(__file__).resolve().parents[2]
SMALL = authoring.QuizDesign(spec=QuizSpec(name="custom", classes=("mel", "nv"), n_options=2,
                                           severity_range=(0, 0), n_items=3))


def forbidden(runtime, actors: dict, *, attempt_id: int, quiz_id: int, item_id: int):
    """(role, action, call) for every service action the role must not take."""
    answer = dict(diagnosis="malignant", management="excise", confidence=50, time_ms=100)
    calls = {
        "publish a quiz": lambda a: teaching.publish(runtime=runtime, actor=a, title="x",
                                                     design=SMALL, seed=1, cohort_id=None),
        "create a cohort": lambda a: teaching.create_cohort(runtime=runtime, actor=a, name="x"),
        "see cohorts": lambda a: teaching.my_cohorts(runtime=runtime, actor=a),
        "see quizzes": lambda a: teaching.my_quizzes(runtime=runtime, actor=a),
        "read a quiz's analytics": lambda a: teaching.analytics(runtime=runtime, actor=a,
                                                                quiz_id=quiz_id),
        "export a quiz's answers": lambda a: teaching.answers_csv(runtime=runtime, actor=a,
                                                                  quiz_id=quiz_id),
        "review an item": lambda a: review.record_review(
            runtime=runtime, actor=a, item_id=item_id, realism=5, agrees=True,
            decision="approve", artefacts=[], comment=""),
        "open the review queue": lambda a: review.next_case(runtime=runtime, actor=a),
        "read review agreement": lambda a: review.agreement(runtime=runtime, actor=a),
        "list accounts": lambda a: accounts.list_accounts(runtime=runtime, actor=a),
        "create an admin": lambda a: accounts.add_account(
            runtime=runtime, actor=a, name="mallory", role=Role.ADMIN,
            password="long-enough-1", display_name="m"),
        "make the trainee an admin": lambda a: accounts.change_account(
            runtime=runtime, actor=a, user_id=actors["trainee"].user_id, role=Role.ADMIN,
            active=True),
        "join a quiz": lambda a: practice.join(runtime=runtime, actor=a,
                                               code=_join_code(runtime, quiz_id)),
        "start a practice level": lambda a: presets.start_level(runtime=runtime, actor=a,
                                                                name="beginner", seed=1),
        "see the trainee's next case": lambda a: practice.next_case(
            runtime=runtime, actor=a, attempt_id=attempt_id),
        "answer in the trainee's attempt": lambda a: practice.record_answer(
            runtime=runtime, actor=a, attempt_id=attempt_id, item_id=item_id, **answer),
        "read the trainee's feedback": lambda a: practice.feedback(
            runtime=runtime, actor=a, attempt_id=attempt_id, item_id=item_id),
        "read the trainee's score": lambda a: results.attempt_score(
            runtime=runtime, actor=a, attempt_id=attempt_id),
    }
    allowed = {
        "trainee": {"join a quiz", "start a practice level", "see the trainee's next case",
                    "answer in the trainee's attempt", "read the trainee's feedback",
                    "read the trainee's score", "see quizzes", "read a quiz's analytics"},
        # the quiz's educator (and an admin) read the attempts made on it
        "educator": {"publish a quiz", "create a cohort", "see cohorts", "see quizzes",
                     "read a quiz's analytics", "export a quiz's answers",
                     "read the trainee's feedback", "read the trainee's score"},
        "expert": {"review an item", "open the review queue", "read review agreement"},
        "admin": {"publish a quiz", "create a cohort", "see cohorts", "see quizzes",
                  "read a quiz's analytics", "export a quiz's answers", "list accounts",
                  "create an admin", "make the trainee an admin",
                  "read the trainee's feedback", "read the trainee's score"},
        # another trainee and another educator: the same role, someone else's things
        "other trainee": {"join a quiz", "start a practice level", "see quizzes",
                          "read a quiz's analytics"},
        "other educator": {"publish a quiz", "create a cohort", "see cohorts", "see quizzes",
                           "read a quiz's analytics"},
    }
    return [(role, action, call) for role, permitted in allowed.items()
            for action, call in calls.items() if action not in permitted]


def _join_code(runtime, quiz_id: int) -> str:
    with runtime.database.reading() as session:
        return session.get(Quiz, quiz_id).join_code


def test_every_role_is_refused_every_service_action_that_is_not_its_own(seeded, tally,
                                                                        monkeypatch):
    runtime, actors = seeded.runtime, dict(seeded.actors)
    actors["other trainee"] = accounts.add_account(
        runtime=runtime, actor=actors["admin"], name="tia", role=Role.TRAINEE,
        password="long-enough-1", display_name="Tia")
    actors["other educator"] = accounts.add_account(
        runtime=runtime, actor=actors["admin"], name="ed", role=Role.EDUCATOR,
        password="long-enough-1", display_name="Ed")
    attempt_id = practice.join(runtime=runtime, actor=actors["trainee"],
                               code=seeded.codes["five"])
    case = practice.next_case(runtime=runtime, actor=actors["trainee"], attempt_id=attempt_id)
    practice.record_answer(runtime=runtime, actor=actors["trainee"], attempt_id=attempt_id,
                           item_id=case.item_id, diagnosis=case.options[0],
                           management="excise", confidence=50, time_ms=100)
    generated = []
    real_make_items = authoring.make_items
    monkeypatch.setattr(authoring, "make_items",
                        lambda **kw: generated.append(kw) or real_make_items(**kw))
    with runtime.database.reading() as session:
        quiz_id = session.scalar(select(Quiz.id).where(
            Quiz.join_code == seeded.codes["five"].replace("-", "")))
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
    attempts = forbidden(runtime, actors, attempt_id=attempt_id, quiz_id=quiz_id,
                         item_id=case.item_id)
    for role, action, call in attempts:
        try:
            call(actors[role])
        except PermissionDenied as error:
            tally.refused("forbidden service action", f"{role}: {error}")
            continue
        tally.crashed("forbidden service action", AssertionError(f"{role} could {action}"))
        pytest.fail(f"{role} could {action}")
    with runtime.database.reading() as session:
        added = session.scalars(select(AuditEntry).order_by(AuditEntry.id)
                                .offset(audited)).all()
    assert [(entry.action, entry.details) for entry in added] == []
    assert len(attempts) >= 60
    assert generated == [], "a refused action generated images before the role check"
    with runtime.database.reading() as session:
        assert session.scalar(select(User).where(User.name == presets.PRACTICE_ACCOUNT)) is None
    # analytics are filtered, not refused: each sees only answers they may see
    own = teaching.analytics(runtime=runtime, actor=actors["trainee"], quiz_id=quiz_id)
    assert [row["trainee"] for row in own.trainees] == ["Demo trainee"]
    for role in ("other trainee", "other educator"):
        seen = teaching.analytics(runtime=runtime, actor=actors[role], quiz_id=quiz_id)
        assert seen.trainees == seen.classes == seen.items == ()
    tally.event("forbidden service actions", tried=len(attempts), allowed=0,
                roles=len({role for role, _, _ in attempts}))


@pytest.fixture
def csv_world(seeded):
    runtime, actors = seeded.runtime, seeded.actors
    quiz = teaching.publish(runtime=runtime, actor=actors["educator"], title="plain",
                            design=SMALL, seed=3, cohort_id=None)
    return runtime, actors, quiz


def test_answer_exports_neutralise_every_formula_cell(csv_world, tally):
    runtime, actors, quiz = csv_world
    triggered = st.builds(lambda trigger, rest: trigger + rest,
                          st.sampled_from(FORMULA_TRIGGERS), st.text(max_size=30))
    names = iter(range(10_000))

    smuggled = st.builds(lambda head, breaker, formula: head + breaker + formula,
                         st.text(max_size=8), st.sampled_from(["\r", "\n", "\r\n"]), triggered)

    @fuzz(20)
    @given(display=st.one_of(triggered, smuggled, st.text(max_size=30)),
           title=st.one_of(triggered, smuggled))
    def run(display, title):
        with runtime.database.writing() as session:
            session.get(Quiz, quiz.quiz_id).title = title
        trainee = accounts.add_account(runtime=runtime, actor=actors["admin"],
                                       name=f"csv-{next(names)}", role=Role.TRAINEE,
                                       password="long-enough-1", display_name=display)
        attempt = practice.join(runtime=runtime, actor=trainee, code=quiz.join_code)
        case = practice.next_case(runtime=runtime, actor=trainee, attempt_id=attempt)
        practice.record_answer(runtime=runtime, actor=trainee, attempt_id=attempt,
                               item_id=case.item_id, diagnosis="mel", management="excise",
                               confidence=50, time_ms=100)
        exported = teaching.answers_csv(runtime=runtime, actor=actors["educator"],
                                        quiz_id=quiz.quiz_id)
        rows = list(csv.DictReader(io.StringIO(exported, newline="")))
        for row in rows:
            for column, cell in row.items():
                assert not cell.startswith(FORMULA_TRIGGERS), (column, cell)
        mine = [row for row in rows if row["trainee"] == trainee.name]
        assert len(mine) == 1 and mine[0]["quiz_title"] in (title, "'" + title)
        shown = display.strip() or trainee.name
        assert mine[0]["trainee_display_name"] in (shown, "'" + shown)
        tally.accepted("answers CSV export with formula cells")

    run()


@pytest.fixture(scope="module")
def model_folders(tmp_path_factory):
    """A configured model folder holding a real (one-step) checkpoint, and a copy outside it."""
    import importlib.util
    import shutil

    spec = importlib.util.spec_from_file_location(
        "nets_settings", ROOT / "tests" / "nets" / "conftest.py")
    nets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nets)
    from engine.training import TrainConfig, train

    root = tmp_path_factory.mktemp("models")
    inside = root / "gan-128"  # where source_by_name("gan") looks
    train(TrainConfig(model="deconv", steps=1, **nets.TINY), nets.toy_data(), inside,
          options=nets.QUIET)
    outside = tmp_path_factory.mktemp("elsewhere") / "gan-128"
    shutil.copytree(inside, outside)
    (root / "linked").symlink_to(outside, target_is_directory=True)
    return root, inside, outside


@pytest.mark.slow
def test_checkpoints_load_only_from_the_configured_model_folder(model_folders, tally):
    from engine.generator import LesionGenerator
    from engine.sources import source_by_name

    root, inside, outside = model_folders
    assert LesionGenerator.load(inside, models_root=root).model_id == "gan-128"
    for attempt in (outside, root / "linked", root / ".." / outside.parent.name / "gan-128"):
        with pytest.raises(ValueError, match="models are only loaded from") as caught:
            LesionGenerator.load(attempt, models_root=root)
        tally.refused("checkpoint outside the model folder", str(caught.value))
    empty = root.parent / "empty-models"
    empty.mkdir()
    with pytest.raises(ValueError, match="no checkpoint in") as caught:
        source_by_name("gan", models_root=empty)  # nothing falls back to another folder
    assert str(empty) in str(caught.value)
    assert source_by_name("gan", models_root=root).generator.folder == inside.resolve()


def test_database_passwords_never_reach_the_command_line_output(tmp_path, tally):
    password = "Pg-s3cret-4d1a"
    url = f"postgresql://lesionlab:{password}@127.0.0.1:9/lesionlab"
    outputs = []
    for command in (["db", "upgrade"], ["users", "list"], ["db", "upgrade", "--url", url]):
        finished = subprocess.run(
            [sys.executable, "-c", "from engine.cli import app; app()", *command],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)})
        assert finished.returncode != 0
        outputs.append(finished.stdout + finished.stderr)
    assert all("127.0.0.1" in output for output in outputs)  # the failure was reported
    assert not [output for output in outputs if password in output]
    tally.event("database password in command output", commands=len(outputs), leaked=0)
