"""Keep Keras' global state between script runs.

After every script run Streamlit calls `keras.backend.clear_session()` once Keras is imported
(its `_clean_problem_modules`). In Keras 3 that is a full garbage collection: about 0.3 s of
CPU with a model loaded, paid by every rerun of every session, and the reason a busy server
slowed down for everyone once the first quiz was generated. LesionLab loads its models once per
process (`st.cache_resource`) and builds no per-run graphs, so there is nothing to clear; the
other clean-up Streamlit does there (closing pyplot figures) is kept.
"""

from __future__ import annotations

import sys

from streamlit.runtime.scriptrunner import script_runner


def _close_pyplot_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def keep_keras_state_between_runs() -> None:
    """Replace Streamlit's after-run clean-up with one that leaves Keras alone."""
    if not hasattr(script_runner, "_clean_problem_modules"):
        raise RuntimeError("Streamlit no longer has script_runner._clean_problem_modules; "
                           "check whether it still clears the Keras session after each run")
    script_runner._clean_problem_modules = _close_pyplot_figures
