"""`lesionlab profiles fit|sample` from the command line."""

import pandas as pd
from typer.testing import CliRunner

from engine.cli import app

runner = CliRunner()


def test_fit_then_sample_writes_reproducible_profiles(tmp_path):
    metadata = tmp_path / "metadata.csv"
    pd.DataFrame({
        "dx": ["mel", "nv", "nv", "bkl"], "age": [60, 30, 35, 70],
        "sex": ["male", "female", "female", "male"],
        "localization": ["back", "face", "lower extremity", "face"],
    }).to_csv(metadata, index=False)
    prior = tmp_path / "prior.json"
    result = runner.invoke(app, ["profiles", "fit", str(metadata), "--out", str(prior)])
    assert result.exit_code == 0, result.output
    assert "fitted on 4 rows" in result.output

    outputs = []
    for name in ("a.csv", "b.csv"):
        out = tmp_path / name
        result = runner.invoke(app, ["profiles", "sample", "--n", "30", "--seed", "3",
                                     "--prior", str(prior), "--out", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(pd.read_csv(out))
    assert outputs[0].equals(outputs[1])
    assert set(outputs[0].dx) <= {"mel", "nv", "bkl", "akiec", "bcc", "df", "vasc"}
    assert len(outputs[0]) == 30


def test_bad_input_gives_one_line_error_and_exit_2(tmp_path):
    metadata = tmp_path / "metadata.csv"
    pd.DataFrame({"dx": ["mel"], "age": [60]}).to_csv(metadata, index=False)
    result = runner.invoke(app, ["profiles", "fit", str(metadata), "--out",
                                 str(tmp_path / "p.json")])
    assert result.exit_code == 2
    assert "lacks column(s) sex, site" in result.output
    assert "Traceback" not in result.output
