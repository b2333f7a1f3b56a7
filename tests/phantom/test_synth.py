"""`lesionlab synth` and engine.synth: readable layouts, same output for any worker count,
nothing left behind by an interrupted run."""

import json

import h5py
import pytest
from typer.testing import CliRunner

from engine.cli import app
from engine.datasets import open_dataset
from engine.synth import SynthConfig, image_seed, write_dataset


@pytest.mark.parametrize("layout", ["isic2024", "ham10000"])
def test_readers_read_synth_output(tmp_path, layout):
    out = tmp_path / layout
    write_dataset(SynthConfig(n=6, size=48, seed=2, format=layout, class_mix="balanced"),
                  out=out)
    reader = open_dataset(out, format=layout)
    table = reader.metadata()
    assert len(reader) == 6
    records = list(reader)
    assert [r.image.shape for r in records] == [(48, 48, 3)] * 6
    assert all(r.dx == row for r, row in zip(records, table["dx"], strict=True))
    assert set(table["dx"]) <= {"akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"}
    criteria = json.loads(records[0].row["criteria_json"])
    assert criteria["dx"] == records[0].dx


def test_isic_layout_has_the_isic_columns(tmp_path):
    out = tmp_path / "isic"
    write_dataset(SynthConfig(n=4, size=40, seed=1), out=out)
    import pandas as pd

    table = pd.read_csv(out / "train-metadata.csv")
    for column in ("isic_id", "target", "patient_id", "lesion_id", "age_approx", "sex",
                   "anatom_site_general", "clin_size_long_diam_mm", "iddx_full", "iddx_1",
                   "dx", "tds", "seven_point_score", "colours", "structures"):
        assert column in table.columns, column
    malignant = table["dx"].isin(["mel", "bcc", "akiec"]).astype(int)
    assert (table["target"] == malignant).all()


@pytest.mark.slow
def test_output_is_the_same_whatever_the_number_of_workers(tmp_path):
    config = SynthConfig(n=10, size=40, seed=5)
    one = write_dataset(config, out=tmp_path / "one", workers=1)
    two = write_dataset(config, out=tmp_path / "two", workers=2)
    assert (one / "train-metadata.csv").read_bytes() == (two / "train-metadata.csv").read_bytes()
    with h5py.File(one / "train-image.hdf5") as a, h5py.File(two / "train-image.hdf5") as b:
        assert sorted(a) == sorted(b)
        assert all(a[key][()] == b[key][()] for key in a)


def test_image_seeds_depend_on_seed_and_index_only():
    assert image_seed(3, 10) == image_seed(3, 10)
    assert len({image_seed(3, i) for i in range(100)} | {image_seed(4, 0)}) == 101


def test_interrupted_run_leaves_no_complete_looking_folder(tmp_path):
    out = tmp_path / "data"

    def interrupt(done):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_dataset(SynthConfig(n=8, size=40, seed=0), out=out, on_image=interrupt)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_a_data_set_and_refuses_bad_options(tmp_path):
    runner = CliRunner()
    out = tmp_path / "ham"
    result = runner.invoke(app, ["synth", "--n", "3", "--size", "40", "--seed", "1",
                                 "--format", "ham10000", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list((out / "images").glob("*.jpg"))) == 3
    bad = runner.invoke(app, ["synth", "--n", "3", "--format", "png", "--out",
                              str(tmp_path / "x")])
    assert bad.exit_code == 2 and "--format" in bad.output
    again = runner.invoke(app, ["synth", "--n", "3", "--size", "40", "--format", "ham10000",
                                "--out", str(out)])
    assert again.exit_code == 2 and "not empty" in again.output
    dark = runner.invoke(app, ["synth", "--n", "3", "--skin-mix", "dark", "--out",
                               str(tmp_path / "y")])
    assert dark.exit_code == 2 and "--skin-mix 'dark'" in dark.output


def test_a_balanced_skin_mix_reaches_the_written_skin_types(tmp_path):
    import pandas as pd

    write_dataset(SynthConfig(n=60, size=32, seed=3, class_mix="balanced",
                              skin_mix="balanced"), out=tmp_path / "even")
    types = pd.read_csv(tmp_path / "even" / "train-metadata.csv")["skin_type"]
    assert set(types) == {1, 2, 3, 4, 5, 6} and (types >= 5).mean() > 0.2
