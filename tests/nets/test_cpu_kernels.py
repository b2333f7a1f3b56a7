"""The CPU kernel choice made in engine/__init__.py, and the remapper switch used in training."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = ("import engine, tensorflow\n"
         "from tensorflow.python.util import _pywrap_util_port\n"
         "print(_pywrap_util_port.IsMklEnabled())")


def onednn_enabled(**environment: str) -> bool:
    """Whether TensorFlow runs oneDNN kernels in a fresh process that imports engine first."""
    inherited = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    done = subprocess.run([sys.executable, "-c", PROBE], env={**inherited, **environment},
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1] == "True"


def test_engine_turns_onednn_on_unless_the_caller_chose_otherwise():
    assert onednn_enabled()
    assert not onednn_enabled(TF_ENABLE_ONEDNN_OPTS="0")


def test_the_remapper_is_off_only_while_training_runs():
    import tensorflow as tf

    from engine.training import without_remapper

    def remapping():
        return tf.config.optimizer.get_experimental_options().get("remapping", True)

    before = remapping()
    with without_remapper():
        assert remapping() is False
    assert remapping() == before
