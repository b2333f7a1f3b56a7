"""MirroredStrategy over two logical CPU devices (in a subprocess: logical devices must be
configured before TensorFlow initialises them)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.nets.checkpoints import sampling_path

SCRIPT = textwrap.dedent("""
    import sys
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    sys.path.insert(0, sys.argv[2])
    from conftest import QUIET, TINY, toy_data
    from engine.training import TrainConfig, train, distribution_strategy
    from dataclasses import replace
    assert distribution_strategy("mirrored").num_replicas_in_sync == 2
    result = train(TrainConfig(model="gan", steps=2, **TINY), toy_data(), sys.argv[1],
                   options=replace(QUIET, strategy="mirrored", checkpoint_every=2))
    print("STEP", result.step, "D_LOSS", result.metrics.get("d_loss", "none"))
""")


@pytest.mark.slow
def test_gan_trains_under_mirrored_strategy_on_two_cpu_devices(tmp_path):
    here = Path(__file__).resolve().parent
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "run"), str(here)],
                          capture_output=True, text=True, timeout=300,
                          cwd=here.parent.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "STEP 2" in done.stdout
    assert sampling_path(tmp_path / "run").is_file()
