"""The store under a held write lock and on a full disk: an answer waits for the lock and is
stored once, never lost; an export that cannot be written is a clear error that leaves
nothing behind. SQLite always; PostgreSQL where `make test` started one."""

from __future__ import annotations

import errno
import os
import threading
import time

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from engine.quiz import QuizSpec
from engine.services import authoring, practice, teaching
from engine.services.runtime import Runtime, RuntimeConfig, open_runtime
from engine.store.exports import export_item_bank
from engine.store.models import Answer, AuditEntry
from engine.store.roles import Role
from engine.store.users import add_user

POSTGRES_VARIABLE = "LESIONLAB_TEST_POSTGRES_URL"
LOCK_HELD_S = 2.0
SMALL = QuizSpec(name="custom", classes=("mel", "nv"), n_options=2, severity_range=(0, 0),
                 n_items=3)


def open_store(url: str, tmp_path) -> Runtime:
    config = RuntimeConfig(database_url=url, models_dir=tmp_path / "no-models", demo=False,
                           real_images_dir=None, reports_dir=tmp_path / "reports")
    return open_runtime(config=config)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """A migrated store with an educator, a trainee and one three-case quiz."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'lesionlab.db'}"
        cleanup = None
    else:
        server_url = os.environ.get(POSTGRES_VARIABLE)
        if not server_url:
            pytest.skip(f"{POSTGRES_VARIABLE} is unset (make test starts PostgreSQL)")
        name = f"lesionlab_reliability_{os.getpid()}"
        server = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

        def cleanup():
            with server.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            server.dispose()
    runtime = open_store(url, tmp_path)
    with runtime.database.writing() as session:
        educator = add_user(session=session, actor=None, name="educator", role=Role.EDUCATOR,
                            password=None)
        trainee = add_user(session=session, actor=None, name="trainee", role=Role.TRAINEE,
                           password=None)
    quiz = teaching.publish(runtime=runtime, actor=educator, title="Locks",
                            design=authoring.QuizDesign(spec=SMALL), seed=4, cohort_id=None)
    yield runtime, educator, trainee, quiz
    runtime.database.dispose()
    if cleanup is not None:
        cleanup()


def hold_write_lock(runtime: Runtime, *, locked: threading.Event, released: threading.Event):
    """Another connection (as another process would) holds the answers table for a while."""
    engine = create_engine(runtime.database.url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
        else:
            connection.execute(text("LOCK TABLE answers IN ACCESS EXCLUSIVE MODE"))
        locked.set()
        time.sleep(LOCK_HELD_S)
        released.set()
        connection.rollback()
    engine.dispose()


@pytest.mark.slow
def test_an_answer_sent_while_the_database_is_locked_waits_and_is_stored_once(store, tally):
    runtime, _, trainee, quiz = store
    attempt_id = practice.join(runtime=runtime, actor=trainee, code=quiz.join_code)
    case = practice.next_case(runtime=runtime, actor=trainee, attempt_id=attempt_id)
    locked, released = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(runtime,),
                              kwargs={"locked": locked, "released": released})
    holder.start()
    assert locked.wait(timeout=30)
    answer = dict(runtime=runtime, actor=trainee, attempt_id=attempt_id, item_id=case.item_id,
                  diagnosis="mel", management="excise", confidence=70, time_ms=1200)
    practice.record_answer(**answer)
    stored_after_release = released.is_set()
    holder.join(timeout=30)
    practice.record_answer(**answer)  # the client retries: still one answer
    with runtime.database.reading() as session:
        answers = session.scalar(select(func.count()).select_from(Answer))
    assert stored_after_release, "the answer returned while the lock was still held"
    assert answers == 1
    tally.event(f"answer under a held write lock ({runtime.database.dialect})",
                lock_held_s=LOCK_HELD_S, answers_sent=2, answers_stored=answers, lost=0)


def test_an_export_on_a_full_disk_is_a_clear_error_and_leaves_nothing(store, tmp_path,
                                                                      monkeypatch, tally):
    from engine.datasets import writers

    runtime, educator, _, _ = store
    out = tmp_path / "bank"
    written = []
    real_store = writers.Isic2024Writer._store

    def fill_disk(writer, image_id, jpeg):
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(image_id)
        real_store(writer, image_id, jpeg)

    monkeypatch.setattr(writers.Isic2024Writer, "_store", fill_disk)
    with pytest.raises(OSError) as caught, runtime.database.writing() as session:
        export_item_bank(session=session, actor=educator, out_dir=out)
    message = str(caught.value)
    assert caught.value.errno == errno.ENOSPC
    assert "No space left on device" in message and str(out) in message
    assert not out.exists() and not list(tmp_path.glob("bank.partial-*"))
    with runtime.database.reading() as session:
        logged = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "export.item_bank"))
    assert logged == 0  # the failed export is not recorded as done
    tally.refused("item bank export on a full disk", message)
    monkeypatch.undo()
    with runtime.database.writing() as session:
        assert export_item_bank(session=session, actor=educator, out_dir=out) == 3
