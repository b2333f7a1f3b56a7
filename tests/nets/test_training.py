"""Training runs: resume equals an uninterrupted run, the loss falls, NaN stops keep the last
good checkpoint, an interrupted save keeps the previous checkpoint, settings are checked."""

from __future__ import annotations

import csv
import json
from dataclasses import replace

import keras
import numpy as np
import pytest

from engine.generator import LesionGenerator
from engine.nets import checkpoints
from engine.nets.checkpoints import CONFIG_FILE, TRAIN_STATE_FILE, file_sha256, sampling_path
from engine.profiles import ProfileSampler
from engine.training import (
    TrainConfig,
    TrainingDiverged,
    batch_indices,
    build_model,
    train,
)


def weights(path):
    return keras.saving.load_model(path, safe_mode=True, compile=False).get_weights()


@pytest.mark.slow
def test_resumed_run_ends_where_the_uninterrupted_run_ends(tmp_path, data, gan_config, gan_run,
                                                           quiet):
    folder, result = gan_run
    assert result.step == 6
    train(replace(gan_config, steps=3), data, tmp_path, options=quiet)
    assert json.loads((tmp_path / CONFIG_FILE).read_text())["step"] == 3
    resumed = train(gan_config, data, tmp_path, resume=True, options=quiet)
    assert resumed.step == 6
    for whole, pieced in zip(weights(sampling_path(folder)), weights(sampling_path(tmp_path)),
                             strict=True):
        np.testing.assert_allclose(whole, pieced, atol=1e-6)
    with open(tmp_path / "log.csv") as handle:
        assert [row["step"] for row in csv.DictReader(handle)] == ["3", "6"]
    assert sorted(p.name for p in (tmp_path / "samples").iterdir()) == [
        "step_0000003.png", "step_0000006.png"]


def test_run_folder_holds_checkpoint_config_logs_and_metrics(gan_run, data):
    folder, result = gan_run
    config = json.loads((folder / CONFIG_FILE).read_text())
    assert config["step"] == 6 and config["kind"] == "gan"
    assert config["data"]["fingerprint"] == data.fingerprint()
    assert config["sampling_sha256"] == file_sha256(sampling_path(folder))
    assert [p.name for p in folder.glob("generator*.keras")] == [config["sampling_file"]]
    assert set(result.metrics) >= {"d_loss", "g_loss", "r1", "d_real", "d_fake"}
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["training"]["steps"] == 6
    assert (folder / "tensorboard").is_dir()


def test_resume_refuses_changed_settings_or_data(tmp_path, data, gan_config, gan_run, quiet,
                                                 make_toy_data):
    folder, _ = gan_run
    with pytest.raises(ValueError, match="r1_gamma"):
        train(replace(gan_config, r1_gamma=5.0), data, folder, resume=True, options=quiet)
    with pytest.raises(ValueError, match="training data differ"):
        train(gan_config, make_toy_data(seed=1), folder, resume=True, options=quiet)
    with pytest.raises(ValueError, match="already holds a run"):
        train(gan_config, data, folder, options=quiet)
    with pytest.raises(ValueError, match="no training checkpoint"):
        train(gan_config, data, tmp_path, resume=True, options=quiet)


def test_deconv_reconstruction_loss_falls_on_a_learnable_toy(tmp_path, data, tiny, quiet):
    config = TrainConfig(model="deconv", steps=60, **tiny)
    options = replace(quiet, log_every=15, checkpoint_every=60, sample_every=60)
    train(config, data, tmp_path, options=options)
    with open(tmp_path / "log.csv") as handle:
        losses = [float(row["loss"]) for row in csv.DictReader(handle)]
    assert losses[-1] < 0.8 * losses[0]


def test_nan_stops_the_run_and_keeps_the_last_good_checkpoint(tmp_path, data, tiny, quiet):
    clean = data
    config = TrainConfig(model="deconv", steps=6, **tiny)
    first_rows = batch_indices(clean.labels, batch=4, steps=6, seed=0, balanced=False)[:2]
    conditions = clean.conditions.copy()
    conditions[np.setdiff1d(np.arange(len(conditions)), first_rows.ravel())] = np.nan
    poisoned = replace(clean, conditions=conditions)
    options = replace(quiet, checkpoint_every=2)
    with pytest.raises(TrainingDiverged, match="step 3.*step 2"):
        train(config, poisoned, tmp_path, options=options)
    assert json.loads((tmp_path / CONFIG_FILE).read_text())["step"] == 2
    generator = LesionGenerator.load(tmp_path)
    assert np.isfinite(generator.model.get_weights()[0]).all()


def test_mixed_precision_trains_in_bfloat16_and_ships_a_float32_sampling_file(
        tmp_path, data, gan_config, quiet):
    config = replace(gan_config, steps=3, mixed_precision=True)
    result = train(config, data, tmp_path, options=quiet)
    assert np.isfinite(list(result.metrics.values())).all()
    assert keras.mixed_precision.global_policy().name == "float32"
    state = keras.saving.load_model(tmp_path / TRAIN_STATE_FILE, safe_mode=True, compile=False)
    generator = LesionGenerator.load(tmp_path)
    assert {layer.dtype_policy.name for layer in generator.model.layers} == {"float32"}
    for trained, shipped in zip(state.ema_generator.get_weights(),
                                generator.model.get_weights(), strict=True):
        np.testing.assert_array_equal(trained, shipped)
    profiles = ProfileSampler.default().sample(n=2, seed=0)
    assert generator.generate(profiles, seed=0).dtype == np.uint8


def test_an_interrupted_save_leaves_the_previous_checkpoint_loadable(
        tmp_path, monkeypatch, gan_run, data, gan_config):
    folder, _ = gan_run
    before = {path: file_sha256(path) for path in (folder / TRAIN_STATE_FILE,
                                                    sampling_path(folder))}
    model = build_model(gan_config, condition_dim=data.encoder.dim)

    def crash(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(checkpoints.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        checkpoints.save_checkpoint(model, folder, config={"kind": "gan"})
    monkeypatch.undo()
    assert {path: file_sha256(path) for path in before} == before
    assert not [p for p in folder.iterdir() if "partial" in p.name]
    assert LesionGenerator.load(folder).version.startswith("6-")


def test_batches_are_reproducible_and_balanced_sampling_evens_classes():
    labels = np.array([0] * 90 + [1] * 10)
    first = batch_indices(labels, batch=8, steps=50, seed=3, balanced=True)
    np.testing.assert_array_equal(first, batch_indices(labels, batch=8, steps=50, seed=3,
                                                       balanced=True))
    share = (labels[first] == 1).mean()
    assert 0.4 < share < 0.6
    plain = batch_indices(labels, batch=10, steps=10, seed=3, balanced=False)
    assert sorted(plain.ravel()) == list(range(100))


def test_fine_tuning_starts_from_the_given_model_and_records_it(tmp_path, data, gan_config,
                                                                gan_run, quiet):
    folder, _ = gan_run
    frozen = replace(gan_config, steps=2, init_from=str(folder), learning_rate_g=0.0,
                     learning_rate_d=0.0)
    train(frozen, data, tmp_path, options=quiet)
    for start, tuned in zip(weights(sampling_path(folder)), weights(sampling_path(tmp_path)),
                            strict=True):
        np.testing.assert_allclose(tuned, start, atol=1e-7)
    config = json.loads((tmp_path / CONFIG_FILE).read_text())
    source = json.loads((folder / CONFIG_FILE).read_text())
    assert config["init"] == {"model_id": source["model_id"], "version": source["version"],
                              "sampling_sha256": source["sampling_sha256"]}
    assert config["training"]["init_from"] == str(folder)


def test_fine_tuning_may_widen_the_fresh_discriminator(tmp_path, data, gan_config, gan_run,
                                                       quiet):
    folder, _ = gan_run
    wider = replace(gan_config, steps=1, init_from=str(folder),
                    d_channel_base=2 * gan_config.d_channel_base)
    train(wider, data, tmp_path, options=quiet)
    config = json.loads((tmp_path / CONFIG_FILE).read_text())
    assert config["architecture"]["d_channel_base"] == 2 * gan_config.d_channel_base


def test_fine_tuning_refuses_another_kind_architecture_or_encoder(tmp_path, data, gan_config,
                                                                  gan_run, quiet, make_toy_data):
    folder, _ = gan_run
    tuned = replace(gan_config, steps=1, init_from=str(folder))
    with pytest.raises(ValueError, match="is a gan model; this run trains a deconv"):
        train(replace(tuned, model="deconv"), data, tmp_path / "a", options=quiet)
    with pytest.raises(ValueError, match="another architecture .*channel_base: 64, run 128"):
        train(replace(tuned, channel_base=128), data, tmp_path / "b", options=quiet)
    with pytest.raises(ValueError, match="another condition encoder"):
        train(tuned, make_toy_data(seed=1), tmp_path / "c", options=quiet)


@pytest.mark.slow
def test_cli_fine_tunes_on_new_data_with_the_models_encoder(tmp_path):
    from typer.testing import CliRunner

    from engine.cli import app
    from engine.synth import SynthConfig, write_dataset

    def synth(seed):
        return str(write_dataset(SynthConfig(n=14, size=32, seed=seed, class_mix="balanced"),
                                 out=tmp_path / f"data-{seed}"))

    def run(*arguments):
        result = CliRunner().invoke(app, ["train", "--model", "deconv", "--format", "isic2024",
                                          "--size", "16", "--batch", "4", *arguments])
        assert result.exit_code == 0, result.output

    run("--data", synth(1), "--steps", "2", "--out", str(tmp_path / "base"))
    run("--data", synth(2), "--steps", "2", "--learning-rate-g", "0",
        "--init-from", str(tmp_path / "base"), "--out", str(tmp_path / "tuned"))
    base, tuned = (json.loads((tmp_path / name / CONFIG_FILE).read_text())
                   for name in ("base", "tuned"))
    assert tuned["encoder"] == base["encoder"]
    assert tuned["init"]["version"] == base["version"]
    # With a frozen learning rate the trained weights stay those of the base model (the batch
    # norm statistics still follow the new data).
    start, end = (keras.saving.load_model(sampling_path(tmp_path / name), safe_mode=True,
                                          compile=False).trainable_weights
                  for name in ("base", "tuned"))
    for before, after in zip(start, end, strict=True):
        np.testing.assert_array_equal(before.numpy(), after.numpy())


def test_cli_sets_the_discriminator_settings_of_a_gan_only(tmp_path):
    from typer.testing import CliRunner

    from engine.cli import app
    from engine.synth import SynthConfig, write_dataset

    data = str(write_dataset(SynthConfig(n=8, size=32, seed=0, class_mix="balanced"),
                             out=tmp_path / "data"))

    def run(model, out):
        return CliRunner().invoke(app, ["train", "--model", model, "--data", data, "--format",
                                        "isic2024", "--size", "16", "--batch", "4", "--steps",
                                        "1", "--d-channel-base", "96", "--augment", "none",
                                        "--mismatch-weight", "0.5", "--d-warmup-steps", "1",
                                        "--loss", "nonsaturating",
                                        "--out", str(out)])

    result = run("gan", tmp_path / "gan")
    assert result.exit_code == 0, result.output
    config = json.loads((tmp_path / "gan" / CONFIG_FILE).read_text())
    assert config["architecture"]["d_channel_base"] == 96
    assert config["training"]["augment"] == ""
    assert config["training"]["mismatch_weight"] == 0.5
    assert config["training"]["d_warmup_steps"] == 1
    assert config["training"]["loss"] == "nonsaturating"
    refused = run("deconv", tmp_path / "deconv")
    assert refused.exit_code != 0
    assert "--d-channel-base is a GAN setting" in refused.output
    assert "a deconv has no discriminator" in refused.output
    assert not (tmp_path / "deconv").exists()
