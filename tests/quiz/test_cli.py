import json

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from engine.cli import app

RUNNER = CliRunner()


def test_quiz_command_writes_images_and_an_answer_key(tmp_path):
    out = tmp_path / "quiz"
    result = RUNNER.invoke(app, ["quiz", "--preset", "advanced", "--n", "3", "--seed", "7",
                                 "--out", str(out), "--source", "phantom"])
    assert result.exit_code == 0, result.output
    key = json.loads((out / "answer_key.json").read_text())
    assert key["seed"] == 7 and key["spec"]["name"] == "advanced"
    assert len(key["items"]) == 3
    for entry in key["items"]:
        for name in entry["images"].values():
            assert Image.open(out / name).size == (128, 128)
        assert entry["correct_answer"] in entry["options"]


def test_quiz_command_refuses_a_missing_model_with_a_clear_message(tmp_path):
    result = RUNNER.invoke(app, ["quiz", "--out", str(tmp_path / "q"), "--source", "gan",
                                 "--models-root", str(tmp_path)])
    assert result.exit_code == 2
    assert "no checkpoint" in result.output


def test_degrade_command_writes_the_image_and_prints_parameters(tmp_path, lesion_image):
    source, out = tmp_path / "in.png", tmp_path / "out.png"
    Image.fromarray(lesion_image).save(source)
    result = RUNNER.invoke(app, ["degrade", str(source), "--severity", "3", "--seed", "1",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output[: result.output.rindex("}") + 1])
    assert printed["severity"] == 3 and len(printed["applied"]) == 4
    degraded = np.asarray(Image.open(out))
    assert degraded.shape == lesion_image.shape and not np.array_equal(degraded, lesion_image)


def test_degrade_command_reports_unreadable_input(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    result = RUNNER.invoke(app, ["degrade", str(bad), "--severity", "1",
                                 "--out", str(tmp_path / "o.png")])
    assert result.exit_code == 2 and "error:" in result.output
