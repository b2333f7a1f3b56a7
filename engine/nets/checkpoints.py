"""Checkpoint folders: atomic `.keras` writes and the `config.json` that describes them.

A folder holds `train_state.keras` (the whole training model with both optimizers, for
`--resume`), the sampling model alone (what is shipped, `generator-<checksum>.keras`) and
`config.json` (everything needed to rebuild and use the model, including which sampling file
is current). Each file is written to a temporary name and moved into place with `os.replace`,
so a crash mid-write leaves the previous checkpoint intact. The sampling file is named by its
checksum because two files cannot be replaced in one step: a new sampling file lands beside
the old one, then `config.json` switches to it, and only then is the old one removed; a crash
at any point leaves a `config.json` whose sampling file is there and matches.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path

import keras

FORMAT_VERSION = 1
TRAIN_STATE_FILE = "train_state.keras"
SAMPLING_PREFIX = "generator"
SAMPLING_NAME = re.compile(rf"{SAMPLING_PREFIX}(-[0-9a-f]{{12}})?\.keras")
CONFIG_FILE = "config.json"
KINDS = ("gan", "deconv")


@contextlib.contextmanager
def _temporary_file(path: Path):
    """A temporary name beside `path` to write to; removed afterwards unless it was moved into
    place, so a failed write leaves nothing but the previous file."""
    temporary = path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")
    try:
        yield temporary
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def atomic_save_model(model: keras.Model, path: Path) -> None:
    """Save `model` to `path` (.keras) so that `path` is either the old or the new file."""
    with _temporary_file(path) as temporary:
        model.save(temporary)
        os.replace(temporary, path)


def atomic_write_json(path: Path, data: dict) -> None:
    with _temporary_file(path) as temporary:
        temporary.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.replace(temporary, path)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def float32_model(model: keras.Model) -> keras.Model:
    """`model` computing in float32: a copy when it was built under a mixed-precision policy.

    A run trained with `--mixed-precision` computes in bfloat16, but what it ships must sample
    alike on every machine (bfloat16 is slow on CPUs without bfloat16 instructions), so the
    sampling file gets the same layers and weights with float32 compute."""
    if all(layer.dtype_policy.name == "float32" for layer in model.layers):
        return model

    def as_float32(layer):
        return layer.__class__.from_config({**layer.get_config(), "dtype": "float32"})

    copy = keras.models.clone_model(model, clone_function=as_float32)
    copy.set_weights(model.get_weights())
    return copy


def _save_sampling_file(sampling_model: keras.Model, folder: Path) -> tuple[str, str]:
    """Save the sampling model, in float32, under its checksum's name; returns (file name,
    checksum)."""
    with _temporary_file(folder / f"{SAMPLING_PREFIX}.keras") as temporary:
        float32_model(sampling_model).save(temporary)
        checksum = file_sha256(temporary)
        name = f"{SAMPLING_PREFIX}-{checksum[:12]}.keras"
        os.replace(temporary, folder / name)
    return name, checksum


def write_sampling_checkpoint(sampling_model: keras.Model, folder: Path, *, config: dict,
                              step: int) -> dict:
    """Write a new sampling file, then config.json naming it, then remove the replaced files."""
    name, checksum = _save_sampling_file(sampling_model, folder)
    written = {**config, "format_version": FORMAT_VERSION, "step": step,
               "sampling_file": name, "sampling_sha256": checksum,
               "version": f"{step}-{checksum[:10]}",
               "keras_version": keras.__version__}
    atomic_write_json(folder / CONFIG_FILE, written)
    for stale in folder.glob(f"{SAMPLING_PREFIX}*.keras"):
        if stale.name != name and SAMPLING_NAME.fullmatch(stale.name):
            stale.unlink(missing_ok=True)
    return written


def save_checkpoint(model: keras.Model, folder: Path, *, config: dict) -> dict:
    """Write the training state, the sampling model and config.json (last) into `folder`.

    Returns the config as written: `config` plus step, checksum and version.
    """
    folder.mkdir(parents=True, exist_ok=True)
    model.sync_sampling_model()
    atomic_save_model(model, folder / TRAIN_STATE_FILE)
    return write_sampling_checkpoint(model.sampling_model, folder, config=config,
                                     step=model.training_step)


def read_config(folder: Path) -> dict:
    """config.json of a checkpoint folder, checked for format version and kind."""
    path = Path(folder) / CONFIG_FILE
    try:
        config = json.loads(path.read_text())
    except FileNotFoundError:
        raise ValueError(f"{folder} is not a model folder: {CONFIG_FILE} is missing") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from None
    version = config.get("format_version")
    if version != FORMAT_VERSION:
        raise ValueError(
            f"{path} has checkpoint format version {version!r}, but this LesionLab reads "
            f"version {FORMAT_VERSION}; retrain the model with `lesionlab train` or use the "
            "LesionLab release it was made with")
    if config.get("kind") not in KINDS:
        raise ValueError(f"{path}: kind {config.get('kind')!r} must be one of {', '.join(KINDS)}")
    if not SAMPLING_NAME.fullmatch(str(config.get("sampling_file"))):
        raise ValueError(f"{path}: sampling_file {config.get('sampling_file')!r} is not a "
                         f"sampling checkpoint name ({SAMPLING_PREFIX}-<checksum>.keras)")
    return config


def sampling_path(folder: Path) -> Path:
    """The current sampling file of a checkpoint folder, as its config.json names it."""
    return Path(folder) / read_config(folder)["sampling_file"]
