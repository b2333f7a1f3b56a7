"""Long jobs killed or starved mid-run: `lesionlab synth` killed leaves nothing that looks
complete, a full disk is a clear one-line error, and `lesionlab train` killed while writing a
checkpoint keeps a loadable checkpoint that `--resume` continues."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from engine.datasets import BadInputError, open_dataset

ROOT = Path(__file__).resolve().parents[2]
LESIONLAB = [sys.executable, "-c", "from engine.cli import app; app()"]
TRAINER = Path(__file__).with_name("train_until_killed.py")
ENVIRONMENT = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}


def lesionlab(*arguments, **options) -> subprocess.Popen:
    return subprocess.Popen([*LESIONLAB, *map(str, arguments)], cwd=ROOT, env=ENVIRONMENT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def wait_for(condition, *, process: subprocess.Popen, what: str, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the process ended before {what}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"no {what} within {limit_s} s")
        time.sleep(0.05)


def partial_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f"{out.name}.partial-*"))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["isic2024", "ham10000"])
def test_synth_killed_mid_run_leaves_nothing_that_looks_complete(tmp_path, tally, fmt):
    out = tmp_path / "phantoms"
    rng = np.random.default_rng(11)
    kills = 2
    for _ in range(kills):
        process = lesionlab("synth", "--n", 400, "--size", 48, "--format", fmt, "--out", out)
        wait_for(lambda: any(any(folder.rglob("*")) for folder in partial_folders(out)),
                 process=process, what="images written")
        time.sleep(float(rng.uniform(0.0, 0.8)))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        assert not out.exists(), "a killed run left a folder under the final name"
        for folder in partial_folders(out):
            with pytest.raises(BadInputError, match="does not exist"):
                open_dataset(folder, format=fmt)  # no table: no reader takes it for data
    finished = lesionlab("synth", "--n", 12, "--size", 48, "--format", fmt, "--out", out)
    assert finished.wait(timeout=300) == 0, finished.stderr.read()
    assert len(open_dataset(out, format=fmt)) == 12
    tally.event(f"synth killed mid-run ({fmt})", kills=kills, complete_looking_outputs=0,
                rerun_images=12)


def file_size_limit(limit_bytes: int):
    """Run before the child starts: writes past `limit_bytes` fail with EFBIG, as on a full
    disk, instead of killing the process with SIGXFSZ."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
    return apply


def run_out_of_space(out: Path, fmt: str) -> subprocess.CompletedProcess:
    process = lesionlab("synth", "--n", 30, "--size", 64, "--format", fmt, "--out", out,
                        preexec_fn=file_size_limit(1500))
    stdout, stderr = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.slow
def test_a_full_disk_during_export_is_one_clear_error_and_no_output(tmp_path, tally):
    out = tmp_path / "export"
    result = run_out_of_space(out, "ham10000")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"error: [Errno 27] could not write image SYN_0000000 into "
                     f"{out.parent / partial_folders_name(out, result)}: File too large "
                     f"(is the disk full?); nothing was written to {out}"]
    assert not out.exists() and partial_folders(out) == []
    tally.refused("export on a full disk", lines[0])


def partial_folders_name(out: Path, result: subprocess.CompletedProcess) -> str:
    """The partial folder the message names (it carries the child's process id)."""
    marker = f"{out.name}.partial-"
    start = result.stderr.index(marker)
    return result.stderr[start:result.stderr.index(":", start)]


@pytest.mark.slow
def test_a_full_disk_during_an_hdf5_export_is_one_clear_error(tmp_path, tally):
    out = tmp_path / "export"
    result = run_out_of_space(out, "isic2024")
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    named = partial_folders_name(out, result)  # the message names the file in that folder
    assert named.endswith("/train-image.hdf5")
    assert lines == [f"error: [Errno 27] could not write image SYN_0000000 into "
                     f"{out.parent / named}: "
                     f"File too large (is the disk full?); nothing was written to {out}"]
    assert not out.exists() and partial_folders(out) == []
    tally.refused("HDF5 export on a full disk", lines[0])


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory) -> Path:
    from engine.synth import SynthConfig, write_dataset

    folder = tmp_path_factory.mktemp("train-data") / "phantoms"
    return write_dataset(SynthConfig(n=16, size=32, seed=3, class_mix="balanced"), out=folder)


@pytest.fixture(scope="module")
def killed_run(tmp_path_factory, tiny_data):
    """A run killed inside the second checkpoint, while its new sampling file is moved into
    place: the training state is already the step-4 one, config.json and the sampling file it
    names still step 2."""
    out = tmp_path_factory.mktemp("models") / "tiny-deconv"
    process = subprocess.Popen(
        [sys.executable, str(TRAINER), str(tiny_data), str(out), "generator-*.keras", "2"],
        cwd=ROOT, env=ENVIRONMENT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("HANGING generator-*.keras 2"), process.stderr.read()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        process.kill()
    return out


@pytest.mark.slow
def test_train_killed_while_writing_a_checkpoint_keeps_the_last_one_loadable(killed_run, tally):
    from engine.generator import LesionGenerator
    from engine.profiles import ProfileSampler

    config = json.loads((killed_run / "config.json").read_text())
    assert config["step"] == 2
    assert [p.name for p in killed_run.glob(".*partial*")], "the kill was not mid-write"
    generator = LesionGenerator.load(killed_run, models_root=killed_run.parent)
    assert generator.version == config["version"]
    images = generator.generate(ProfileSampler.default().sample(n=2, seed=0), seed=0)
    assert images.shape == (2, 16, 16, 3) and images.dtype == np.uint8
    tally.event("train killed inside a checkpoint write", kills=1, checkpoint_loaded=True,
                step_kept=config["step"])


@pytest.mark.slow
def test_resume_after_the_kill_finishes_the_run(killed_run, tiny_data, tally):
    from typer.testing import CliRunner

    from engine.cli import app
    from engine.generator import LesionGenerator

    result = CliRunner().invoke(app, ["train", "--resume", "--data", str(tiny_data),
                                      "--format", "isic2024", "--out", str(killed_run),
                                      "--steps", "6"])
    assert result.exit_code == 0, result.output
    config = json.loads((killed_run / "config.json").read_text())
    assert config["step"] == 6
    assert LesionGenerator.load(killed_run, models_root=killed_run.parent).version.startswith(
        "6-")
    tally.event("train --resume after the kill", resumed_to_step=6, ok=True)


@pytest.mark.slow
def test_a_crash_just_before_config_json_is_written_keeps_a_loadable_checkpoint(
        killed_run, tiny_data, monkeypatch, tmp_path):
    import shutil

    from engine.generator import LesionGenerator
    from engine.nets import checkpoints
    from engine.training import TrainConfig, build_model

    folder = tmp_path / "models" / "copy"
    shutil.copytree(killed_run, folder)
    saved = json.loads((folder / "config.json").read_text())
    model = build_model(TrainConfig.from_json(saved["training"]),
                        condition_dim=saved["architecture"]["condition_dim"])
    real_replace = os.replace

    def crash_at_config(source, target):
        if Path(target).name == checkpoints.CONFIG_FILE:
            raise OSError("killed")
        real_replace(source, target)

    monkeypatch.setattr(checkpoints.os, "replace", crash_at_config)
    with pytest.raises(OSError, match="killed"):
        checkpoints.save_checkpoint(model, folder, config=saved)
    monkeypatch.undo()
    assert len(list(folder.glob("generator*.keras"))) == 2  # the new file landed beside the old
    assert LesionGenerator.load(folder, models_root=folder.parent).version == saved["version"]

    written = checkpoints.save_checkpoint(model, folder, config=saved)
    assert [p.name for p in folder.glob("generator*.keras")] == [written["sampling_file"]]
    assert LesionGenerator.load(folder, models_root=folder.parent).version == written["version"]
