"""`lesionlab evaluate` and `lesionlab classify` end to end on tiny phantom data."""

import csv
import json

import pytest
from typer.testing import CliRunner

from engine.cli import app
from engine.evaluation import samples

pytestmark = pytest.mark.slow

METRICS = ("fid,kid,precision,recall,density,coverage,conditional_accuracy,"
           "diameter_consistency,colour_consistency,diversity,memorization,skin_type_accuracy")


def _evaluate(real, training, auditor, out):
    return CliRunner().invoke(app, [
        "evaluate", "--models", "phantom", "--real", str(real), "--format", "ham10000",
        "--n", "50", "--out", str(out), "--train", str(training), "--auditor", str(auditor),
        "--metrics", METRICS])


def test_evaluate_writes_reports_and_reruns_from_cache(phantom_sets, tiny_auditor, tmp_path,
                                                       monkeypatch):
    real, training = phantom_sets
    result = _evaluate(real, training, tiny_auditor, tmp_path / "report")
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "report" / "metrics.json").read_text())
    fid = document["models"]["phantom"]["fid"]
    assert fid["value"] >= 0 and fid["floor"] >= 0
    assert document["real"]["reference_images"] == document["real"]["holdout_images"]
    accuracy = document["models"]["phantom"]["conditional_accuracy"]
    assert set(accuracy["details"]["per_class"]) <= {"akiec", "bcc", "bkl", "df", "mel", "nv",
                                                     "vasc"}
    assert 0 <= document["models"]["phantom"]["memorization"]["details"]["p_value"] <= 1
    report = (tmp_path / "report" / "report.md").read_text()
    assert "| fid | lower |" in report and "images/phantom-samples.png" in report
    assert "Misread as" in report and "## Conditional accuracy per skin type" in report
    by_type = document["models"]["phantom"]["skin_type_accuracy"]["details"]
    assert sum(row["images"] for row in by_type["by_skin_type"].values()) == \
        document["generated_images_per_model"]
    assert by_type["floor_by_skin_type"], "phantom data sets record skin types"
    assert (tmp_path / "report" / "images" / "phantom-neighbours.png").is_file()
    assert "plotly" in (tmp_path / "report" / "report.html").read_text()

    def no_generation(**_):
        raise AssertionError("a rerun must read generated-image features from the cache")

    monkeypatch.setattr(samples, "generate", no_generation)
    again = _evaluate(real, training, tiny_auditor, tmp_path / "report")
    assert again.exit_code == 0, again.output
    rerun = json.loads((tmp_path / "report" / "metrics.json").read_text())
    assert rerun["models"]["phantom"]["fid"]["value"] == pytest.approx(fid["value"])


def test_evaluate_names_a_missing_model_folder(phantom_sets, tiny_auditor, tmp_path):
    real, _ = phantom_sets
    result = CliRunner().invoke(app, [
        "evaluate", "--models", "phantom", str(tmp_path / "nothing"), "--real", str(real),
        "--n", "50", "--out", str(tmp_path / "out"), "--auditor", str(tiny_auditor),
        "--metrics", "fid"])
    assert result.exit_code == 2
    assert "is not a model folder" in result.output


def test_classify_prints_scores_and_writes_predictions(phantom_sets, tiny_auditor, tmp_path):
    real, _ = phantom_sets
    out = tmp_path / "predictions.csv"
    result = CliRunner().invoke(app, ["classify", "--model", str(tiny_auditor), "--data",
                                      str(real), "--format", "ham10000", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "balanced accuracy: " in result.output and "malignant AUC: " in result.output
    assert "recall mel" in result.output
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 120
    assert {"key", "dx", "predicted", "malignant_probability", "p_nv"} <= set(rows[0])
