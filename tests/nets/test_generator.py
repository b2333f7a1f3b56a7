"""LesionGenerator: determinism per (seed, item), thread safety, provenance, refusals."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from typer.testing import CliRunner

from engine.cli import app
from engine.generator import LesionGenerator
from engine.nets.checkpoints import CONFIG_FILE, sampling_path
from engine.profiles import ProfileSampler


@pytest.fixture(scope="module")
def generator(gan_run):
    return LesionGenerator.load(gan_run[0])


@pytest.fixture(scope="module")
def profiles():
    return ProfileSampler.default().sample(n=5, class_mix="balanced", seed=4)


def test_images_are_uint8_and_identified(generator, profiles):
    images = generator.generate(profiles, seed=7)
    assert images.shape == (5, 16, 16, 3) and images.dtype == np.uint8
    assert generator.model_id and generator.version.startswith("6-") and generator.size == 16


def test_item_depends_only_on_seed_index_and_profile(generator, profiles):
    whole = generator.generate(profiles, seed=7)
    np.testing.assert_array_equal(whole, generator.generate(profiles, seed=7))
    np.testing.assert_array_equal(whole[:2], generator.generate(profiles[:2], seed=7))
    generator.batch_size = 2
    try:
        np.testing.assert_array_equal(whole, generator.generate(profiles, seed=7))
    finally:
        generator.batch_size = 32
    assert not np.array_equal(whole, generator.generate(profiles, seed=8))


def test_truncation_pulls_images_to_their_profile_mean(generator, profiles):
    untouched = generator.generate(profiles, seed=7)
    np.testing.assert_array_equal(untouched, generator.generate(profiles, seed=7, truncation=1))
    means = [generator.generate(profiles, seed=seed, truncation=0.0) for seed in (7, 8)]
    np.testing.assert_array_equal(means[0], means[1])
    assert not np.array_equal(means[0], untouched)
    halfway = generator.generate(profiles, seed=7, truncation=0.5)
    alone = generator.generate(profiles[:2], seed=7, truncation=0.5)
    np.testing.assert_array_equal(halfway[:2], alone)
    distance = {psi: np.abs(generator.generate(profiles, seed=7, truncation=psi).astype(int)
                            - means[0]).mean() for psi in (0.5, 1.0)}
    assert 0 < distance[0.5] < distance[1.0]


@pytest.mark.parametrize("truncation", [-0.1, 1.5, float("nan")])
def test_truncation_outside_zero_to_one_is_refused(generator, profiles, truncation):
    with pytest.raises(ValueError, match="from 0 .* to 1"):
        generator.generate(profiles, seed=7, truncation=truncation)


def test_concurrent_calls_give_the_same_images_as_sequential_ones(generator, profiles):
    expected = [generator.generate(profiles, seed=seed) for seed in range(6)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda seed: generator.generate(profiles, seed=seed), range(6)))
    for got, want in zip(results, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def _copy(folder, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("train_state.keras"))
    return target


def test_mismatched_checkpoints_are_refused_with_a_clear_message(gan_run, tmp_path):
    folder = _copy(gan_run[0], tmp_path)
    config = json.loads((folder / CONFIG_FILE).read_text())

    (folder / CONFIG_FILE).write_text(json.dumps({**config, "format_version": 99}))
    with pytest.raises(ValueError, match="format version 99"):
        LesionGenerator.load(folder)

    wider = {**config, "architecture": {**config["architecture"], "noise_dim": 9}}
    (folder / CONFIG_FILE).write_text(json.dumps(wider))
    with pytest.raises(ValueError, match="does not match its config.json"):
        LesionGenerator.load(folder)

    outside = {**config, "sampling_file": "../elsewhere/generator.keras"}
    (folder / CONFIG_FILE).write_text(json.dumps(outside))
    with pytest.raises(ValueError, match="not a sampling checkpoint name"):
        LesionGenerator.load(folder)

    (folder / CONFIG_FILE).write_text(json.dumps(config))
    weights_file = sampling_path(folder)
    weights_file.write_bytes(weights_file.read_bytes() + b"x")
    with pytest.raises(ValueError, match="checksum"):
        LesionGenerator.load(folder)


def test_folders_outside_the_models_root_are_refused(gan_run, tmp_path):
    with pytest.raises(ValueError, match="only loaded from"):
        LesionGenerator.load(gan_run[0], models_root=tmp_path)


def test_generate_command_writes_pngs_with_provenance_and_a_data_set(gan_run, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["generate", "--model", str(gan_run[0]), "--n", "3",
                                 "--seed", "7", "--dx", "mel", "--age", "65", "--sex", "male",
                                 "--site", "posterior torso", "--out", str(tmp_path / "png")])
    assert result.exit_code == 0, result.output
    table = (tmp_path / "png" / "profiles.csv").read_text().splitlines()
    assert len(table) == 4 and all(",mel,65,male,back," in f",{row}," for row in table[1:])
    first = Image.open(tmp_path / "png" / table[1].split(",")[-1])
    assert first.text["image_seed"] == "7:0" and first.size == (16, 16)
    assert first.text["truncation"] == "1.0"
    result = runner.invoke(app, ["generate", "--model", str(gan_run[0]), "--n", "4",
                                 "--truncation", "0.7", "--format", "ham10000",
                                 "--out", str(tmp_path / "ham")])
    assert result.exit_code == 0, result.output
    from engine.datasets import open_dataset

    reader = open_dataset(tmp_path / "ham", format="ham10000")
    assert len(reader) == 4 and {r.image.shape for r in reader} == {(16, 16, 3)}
    assert set(pd.read_csv(tmp_path / "ham" / "HAM10000_metadata.csv")["truncation"]) == {0.7}
    result = runner.invoke(app, ["generate", "--model", str(tmp_path), "--n", "2",
                                 "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "config.json is missing" in result.output
