"""The AI second opinion: the auditor classifier's class probabilities for a quiz image.

Shown only when the quiz asks for it and the auditor checkpoint is installed; the auditor is
loaded once per process and guarded by a lock inside `engine.sources.auditor_scorer`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image

from engine.scoring import BINARY_LABELS
from engine.services.runtime import Runtime
from engine.sources import AUDITOR_FOLDER, auditor_scorer
from engine.vocabulary import DIAGNOSES, MALIGNANT


def auditor_available(*, runtime: Runtime) -> bool:
    return (runtime.config.models_dir / AUDITOR_FOLDER / "config.json").is_file()


@cache
def _scorer(models_dir: Path):
    return auditor_scorer(models_dir)


def probabilities(*, runtime: Runtime, png: bytes, options: Sequence[str]) -> dict[str, float]:
    """Probabilities over the quiz's answer options (benign/malignant sums the classes),
    renormalised to the options offered."""
    with Image.open(io.BytesIO(png)) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=np.uint8)[None]
    scores = np.asarray(_scorer(runtime.config.models_dir)(pixels))[0]
    by_class = dict(zip(DIAGNOSES, scores.tolist(), strict=True))
    if set(options) <= set(BINARY_LABELS):
        malignant = sum(value for dx, value in by_class.items() if dx in MALIGNANT)
        by_class = {"malignant": malignant, "benign": 1.0 - malignant}
    shown = {option: float(by_class.get(option, 0.0)) for option in options}
    total = sum(shown.values())
    return {option: value / total for option, value in shown.items()} if total > 0 else shown
