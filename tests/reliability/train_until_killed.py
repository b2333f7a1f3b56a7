"""Trains a tiny model as `lesionlab train` does, and hangs inside one checkpoint file's move.

Run as a separate process by test_faults_processes.py, which kills it with SIGKILL while it
hangs: exactly in the middle of writing a checkpoint. Arguments: the data set folder (ISIC 2024
layout), the run folder, a pattern of the checkpoint file whose `os.replace` hangs, and the
how-manieth checkpoint it hangs in. Prints `HANGING <pattern> <checkpoint>` when it gets there.
"""

import fnmatch
import importlib.util
import os
import sys
import time
from pathlib import Path

from engine.nets import checkpoints
from engine.training import RunOptions, TrainConfig, train
from engine.training_data import load_training_data


def _tiny_settings() -> dict:
    """The tiny architecture the model tests train (tests/nets/conftest.py)."""
    path = Path(__file__).resolve().parents[1] / "nets" / "conftest.py"
    spec = importlib.util.spec_from_file_location("nets_settings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.TINY)


TINY = _tiny_settings()
STEPS = 6
EVERY = 2


def main(data: str, out: str, hang_on: str, in_checkpoint: int) -> None:
    moves = {"count": 0}
    real_replace = os.replace

    def replace(source, target):
        if fnmatch.fnmatch(Path(target).name, hang_on):
            moves["count"] += 1
            if moves["count"] == in_checkpoint:
                print(f"HANGING {hang_on} {in_checkpoint}", flush=True)
                time.sleep(600)
        real_replace(source, target)

    checkpoints.os.replace = replace
    training_data = load_training_data(data, format="isic2024", size=TINY["size"],
                                       progress=False)
    options = RunOptions(checkpoint_every=EVERY, sample_every=EVERY, log_every=EVERY,
                         grid_columns=2, progress=False, model_id=Path(out).name)
    train(TrainConfig(model="deconv", steps=STEPS, **TINY), training_data, out, options=options)
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
