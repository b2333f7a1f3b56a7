"""Example data for a served app: one account per role, and quizzes made through the engine."""

from __future__ import annotations

from pathlib import Path

from engine.quiz import QuizSpec
from engine.services import authoring, teaching
from engine.services.runtime import RuntimeConfig, open_runtime
from engine.store import users
from engine.store.roles import Role

FIVE_CASES = QuizSpec(name="custom", classes=("mel", "nv", "bkl"), answer_mode="binary",
                      n_options=2, severity_range=(0, 1), n_items=5)


def seed_store(*, data_dir: Path, password: str, models_dir: Path | None = None) -> dict:
    """Accounts trainee/educator/expert/admin plus two quizzes; returns their join codes."""
    environ = {"LESIONLAB_DATA_DIR": str(data_dir)}
    if models_dir is not None:
        environ["LESIONLAB_MODELS_DIR"] = str(models_dir)
    runtime = open_runtime(config=RuntimeConfig.from_environment(environ=environ))
    actors = {}
    with runtime.database.writing() as session:
        for role in Role:
            actors[role.value] = users.add_user(session=session, actor=None, name=role.value,
                                                role=role, password=password,
                                                display_name=f"Demo {role.value}")
    # The validated-only quiz first: its items head the expert's review queue.
    validated = teaching.publish(
        runtime=runtime, actor=actors["educator"], title="Validated only",
        design=authoring.QuizDesign(spec=FIVE_CASES.with_changes(n_items=3,
                                                                 validated_only=True)),
        seed=22, cohort_id=None)
    five = teaching.publish(runtime=runtime, actor=actors["educator"], title="Five cases",
                            design=authoring.QuizDesign(spec=FIVE_CASES, feedback="end"),
                            seed=21, cohort_id=None)
    runtime.database.dispose()
    return {"five": five.join_code, "validated": validated.join_code, "actors": actors}
