"""The visual Turing test: real images from the configured folder and stored synthetic items,
both shown at the same size; guesses give a detection accuracy."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest
from apptest_support import app_as, texts
from test_pages import publish

from engine.quiz_items import decode_png
from engine.services import turing
from engine.services.runtime import Runtime
from engine.store.roles import PermissionDenied

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "ham10000" / "images"


def with_real_images(runtime, folder: Path) -> Runtime:
    return Runtime(config=dataclasses.replace(runtime.config, real_images_dir=folder),
                   database=runtime.database)


def test_cases_are_real_or_synthetic_at_one_size_and_bad_files_are_named(runtime, accounts,
                                                                         tmp_path):
    publish(runtime, accounts["educator"])
    folder = tmp_path / "real"
    shutil.copytree(REAL, folder)
    shown = with_real_images(runtime, folder)
    cases = [turing.draw_case(runtime=shown, actor=accounts["expert"],
                              rng=np.random.default_rng(seed)) for seed in range(12)]
    assert {case.is_real for case in cases} == {True, False}
    for case in cases:
        assert decode_png(case.png).shape == (turing.SHOWN_SIZE, turing.SHOWN_SIZE, 3)
    with pytest.raises(PermissionDenied):
        turing.draw_case(runtime=shown, actor=accounts["trainee"], rng=np.random.default_rng(0))

    for path in folder.iterdir():
        path.write_bytes(path.read_bytes()[:200])  # every real image cut short
    refusals = set()
    for seed in range(12):
        try:
            turing.draw_case(runtime=shown, actor=accounts["expert"],
                             rng=np.random.default_rng(seed))
        except ValueError as error:
            refusals.add(str(error).split(" ")[1])
    assert refusals and refusals <= {path.name for path in folder.iterdir()}


def test_an_expert_guesses_and_sees_the_detection_accuracy(runtime, accounts, monkeypatch):
    publish(runtime, accounts["educator"])
    monkeypatch.setenv("LESIONLAB_REAL_IMAGES_DIR", str(REAL))
    app = app_as(accounts["expert"]).switch_page("app_pages/review.py").run()
    assert not app.exception
    for guess in ("Real", "Synthetic", "Real"):
        next(button for button in app.button if button.label == guess).click().run()
        assert not app.exception
    assert "Your detection accuracy" in texts(app) and "3 images judged" in texts(app)
    assert len(app.session_state["turing_guesses"]) == 3
