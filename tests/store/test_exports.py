"""CSV exports cannot run formulas; the item bank reads back as an ISIC 2024 data set."""

import csv
import io
import json

import h5py
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from engine.datasets.columns import ISIC2024_COLUMNS
from engine.store.attempts import AnswerInput, start_attempt, submit_answer
from engine.store.cohorts import add_member
from engine.store.exports import FORMULA_TRIGGERS, answers_csv, export_item_bank, neutralise_cell
from engine.store.reviews import submit_review
from engine.store.users import add_user


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_cells_get_an_apostrophe(text):
    assert neutralise_cell(text) == "'" + text


@given(st.text())
def test_neutralised_cells_never_start_a_formula_and_keep_the_text(text):
    cell = neutralise_cell(text)
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert cell.removeprefix("'") == text or cell == text


def test_answers_csv_has_one_neutralised_row_per_answer(world):
    with world.database.writing() as session:
        evil = add_user(session=session, actor=None, name="evil", role="trainee", password=None,
                        display_name='=cmd|" /C calc"!A0')
        add_member(session=session, actor=world.eve, cohort_id=world.cohort_id,
                   user_id=evil.user_id)
    for trainee, item_ids in ((world.tom, world.item_ids), (evil, world.item_ids[:1])):
        with world.database.writing() as session:
            attempt = start_attempt(session=session, actor=trainee, quiz_id=world.quiz_id)
            for item_id in item_ids:
                submit_answer(session=session, actor=trainee, attempt_id=attempt.id,
                              item_id=item_id, answer=AnswerInput(
                                  diagnosis="mel", management="excise", confidence=70,
                                  time_ms=1200))
    with world.database.writing() as session:
        text = answers_csv(session=session, actor=world.eve, quiz_id=world.quiz_id)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    assert [row["correct"] for row in rows if row["trainee"] == "tom"] == ["1", "0", "0"]
    assert json.loads(rows[0]["degradation"]) == {"blur": {"sigma": 1.5}, "severity": 2}
    assert {row["trainee_display_name"] for row in rows if row["trainee"] == "evil"} == {
        "'=cmd|\" /C calc\"!A0"}
    for row in rows:
        assert not any(value.startswith(FORMULA_TRIGGERS) for value in row.values())


def test_item_bank_is_written_in_isic_2024_layout(world, tmp_path):
    with world.database.writing() as session:
        submit_review(session=session, actor=world.xena, item_id=world.item_ids[2], realism=5,
                      agrees_with_diagnosis=True, decision="approve")
    with world.database.writing() as session:
        written = export_item_bank(session=session, actor=world.eve, out_dir=tmp_path / "bank")
        approved = export_item_bank(session=session, actor=world.ada, out_dir=tmp_path / "ok",
                                    approved_only=True, image="degraded")
    assert (written, approved) == (3, 1)
    table = pd.read_csv(tmp_path / "bank" / "train-metadata.csv")
    assert list(table.columns[: len(ISIC2024_COLUMNS)]) == list(ISIC2024_COLUMNS)
    assert table["target"].tolist() == [1, 0, 1]  # mel, nv, bcc
    assert table["anatom_site_general"].tolist() == ["posterior torso"] * 3
    assert table["seed"].tolist() == [0, 1, 2] and set(table["generator_id"]) == {"phantom"}
    with h5py.File(tmp_path / "bank" / "train-image.hdf5", "r") as images:
        assert sorted(images) == sorted(table["isic_id"])
        first = Image.open(io.BytesIO(images[table["isic_id"][0]][()]))
        assert first.format == "JPEG" and first.size == (8, 8)
        colour = np.asarray(first.convert("RGB"))[4, 4].astype(int)
    assert np.abs(colour - [0, 80, 200]).max() < 12  # the clean image of seed 0
    assert pd.read_csv(tmp_path / "ok" / "train-metadata.csv")["validation_status"].tolist() == [
        "approved"]
    with world.database.writing() as session, pytest.raises(ValueError, match="image"):
        export_item_bank(session=session, actor=world.eve, out_dir=tmp_path / "x", image="raw")
