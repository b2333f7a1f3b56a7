"""Fixtures for the whole suite."""

import sys

import pytest

import engine  # noqa: F401  (chooses the CPU kernels before any test module imports TensorFlow)


@pytest.fixture(autouse=True)
def _restore_main_module():
    """Streamlit's AppTest runs the app script as `__main__` and leaves it there; a later
    spawn-context process pool (`lesionlab synth --workers 2`) would then re-run the app script
    in each worker and never start. Put the real `__main__` back after every test."""
    main = sys.modules.get("__main__")
    yield
    sys.modules["__main__"] = main
